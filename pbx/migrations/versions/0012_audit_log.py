"""audit log: changes made by people and commands sent to FreeSWITCH (issue 14)

Revision ID: 0012_audit_log
Revises: 0011_two_factor

A new table only. Account and actor are plain integers without foreign keys on purpose: the
history outlives the account or the person it tells about (fs_service/models/audit.py).
"""
from alembic import op
import sqlalchemy as sa

revision = "0012_audit_log"
down_revision = "0011_two_factor"
branch_labels = None
depends_on = None

TABLE = "audit_events"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_email", sa.String(length=254), nullable=False),
        sa.Column("source", sa.Enum("ui", "api", "cli", "system", name="audit_source", native_enum=False,
                                    create_constraint=True, length=24), nullable=False),
        sa.Column("action", sa.Enum("create", "update", "delete", "command", name="audit_action",
                                    native_enum=False, create_constraint=True, length=24), nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("remote_addr", sa.String(length=45), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_account_id_id", TABLE, ["account_id", "id"], unique=False)
    op.create_index(op.f("ix_audit_events_created_at"), TABLE, ["created_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_audit_events_created_at"), table_name=TABLE)
    op.drop_index("ix_audit_events_account_id_id", table_name=TABLE)
    op.drop_table(TABLE)
