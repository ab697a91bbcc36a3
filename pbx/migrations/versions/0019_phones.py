"""phones, line keys, phone display lists, provisioning secrets (issue 19)

Revision ID: 0019_phones
Revises: 0018_address_books

The devices tables exist since 0001; provisioning needs a per-phone secret (part of the URL a
phone fetches, so a MAC alone reads nothing), the "configure address books on the phone" flag,
the company book as an entry of a phone's list (it has no stored id), an index to find
phones whose reboot waits for the end of a call, and a table counting failed
provisioning requests per source address. Columns are added in place (no table rebuild: on
SQLite a rebuild of ``devices`` would cascade-delete its line keys and display lists); existing
phones get a fresh secret each.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0019_phones"
down_revision = "0018_address_books"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("devices", sa.Column("secret", sa.String(43), nullable=True))
    op.add_column("devices", sa.Column("configure_books", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_devices_reboot_pending", "devices", ["reboot_pending"])
    op.add_column("device_contacts", sa.Column("company_book", sa.Boolean(), nullable=False,
                                               server_default=sa.false()))
    devices = sa.table("devices", sa.column("id", sa.Integer), sa.column("secret", sa.String))
    conn = op.get_bind()
    for (device_id,) in conn.execute(sa.select(devices.c.id)).all():
        conn.execute(devices.update().where(devices.c.id == device_id).values(secret=secrets.token_urlsafe(32)))
    op.create_table(
        "provisioning_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remote_addr", sa.String(45), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provisioning_failures")),
    )
    op.create_index("ix_provisioning_failures_source_time", "provisioning_failures", ["remote_addr", "created_at"])


def downgrade():
    op.drop_index("ix_provisioning_failures_source_time", table_name="provisioning_failures")
    op.drop_table("provisioning_failures")
    op.drop_index("ix_devices_reboot_pending", table_name="devices")
    op.drop_column("device_contacts", "company_book")
    # SQLite >= 3.35 drops a column in place (no rebuild, so the children are kept).
    op.drop_column("devices", "configure_books")
    op.drop_column("devices", "secret")
