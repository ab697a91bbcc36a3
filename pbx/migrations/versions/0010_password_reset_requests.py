"""table of "forgot password" requests: the reset throttle and the queue of reset emails

Revision ID: 0010_password_reset_requests
Revises: 0009_parked_calls_per_node

One row per request, whether or not the address has a login (fs_service/accounts/password_reset.py):
counted per email and per source address for the limit, and queued for the background sender
while ``email_due_at`` is set. A new table only, so SQLite and PostgreSQL take the same
statements; names follow fs_service.db.NAMING.
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_password_reset_requests"
down_revision = "0009_parked_calls_per_node"
branch_labels = None
depends_on = None

TABLE = "password_reset_requests"
INDEXED = ("email", "remote_addr", "email_due_at")


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("remote_addr", sa.String(length=45), nullable=False),
        sa.Column("email_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset_requests")),
    )
    for column in INDEXED:
        op.create_index(op.f(f"ix_{TABLE}_{column}"), TABLE, [column], unique=False)


def downgrade():
    for column in INDEXED:
        op.drop_index(op.f(f"ix_{TABLE}_{column}"), table_name=TABLE)
    op.drop_table(TABLE)
