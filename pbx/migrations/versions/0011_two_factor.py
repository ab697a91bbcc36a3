"""TOTP two-factor: each user's confirmed secret and last accepted step, single-use recovery
codes, and the per-account rule that its admins must use it (issue 14)

Revision ID: 0011_two_factor
Revises: 0010_password_reset_requests

Columns with server defaults (or nullable) only, so existing rows need no rewrite, and SQLite
adds them in place (ALTER TABLE ADD COLUMN). The downgrade drops them in place too (SQLite
3.35+): batch mode would rebuild ``accounts`` and ``users``, and with foreign keys enforced
the DROP of the old table cascades into every child row. Names follow fs_service.db.NAMING.
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_two_factor"
down_revision = "0010_password_reset_requests"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("accounts", sa.Column("admins_require_two_factor", sa.Boolean(), server_default=sa.false(),
                                        nullable=False))
    op.add_column("users", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column("users", sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"], unique=False)


def _drop_in_place(table: str, column: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text(f'ALTER TABLE "{table}" DROP COLUMN "{column}"'))
    else:
        op.drop_column(table, column)


def downgrade():
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes")
    op.drop_table("recovery_codes")
    for column in ("totp_last_step", "totp_enabled_at", "totp_secret"):
        _drop_in_place("users", column)
    _drop_in_place("accounts", "admins_require_two_factor")
