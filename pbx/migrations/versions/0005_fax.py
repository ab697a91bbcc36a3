"""fax: outbox display, node and retry bookkeeping, email queues, one received fax per call

Revision ID: 0005_fax
Revises: 0004_live
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_fax"
down_revision = "0004_live"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("fax_jobs") as batch:
        batch.add_column(sa.Column("subject", sa.String(length=200), server_default="", nullable=False))
        batch.add_column(sa.Column("recipient_name", sa.String(length=200), server_default="", nullable=False))
        batch.add_column(sa.Column("node", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("line_retries", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("failure_class", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("duration_seconds", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("email_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("email_attempts", sa.Integer(), server_default="0", nullable=False))
        batch.create_index(batch.f("ix_fax_jobs_email_due_at"), ["email_due_at"], unique=False)
        batch.create_index("ix_fax_jobs_state_next_attempt_at", ["state", "next_attempt_at"], unique=False)
    with op.batch_alter_table("received_faxes") as batch:
        batch.alter_column("pdf_path", existing_type=sa.String(length=255), nullable=True)
        batch.add_column(sa.Column("channel_uuid", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("tiff_path", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("result_text", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("error", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("email_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("email_attempts", sa.Integer(), server_default="0", nullable=False))
        batch.create_unique_constraint(batch.f("uq_received_faxes_channel_uuid"), ["channel_uuid"])
        batch.create_index(batch.f("ix_received_faxes_email_due_at"), ["email_due_at"], unique=False)


def downgrade():
    with op.batch_alter_table("received_faxes") as batch:
        batch.drop_index(batch.f("ix_received_faxes_email_due_at"))
        batch.drop_constraint(batch.f("uq_received_faxes_channel_uuid"), type_="unique")
        for name in ("email_attempts", "email_due_at", "error", "result_text", "tiff_path", "channel_uuid"):
            batch.drop_column(name)
        batch.alter_column("pdf_path", existing_type=sa.String(length=255), nullable=False)
    with op.batch_alter_table("fax_jobs") as batch:
        batch.drop_index("ix_fax_jobs_state_next_attempt_at")
        batch.drop_index(batch.f("ix_fax_jobs_email_due_at"))
        for name in ("email_attempts", "email_due_at", "duration_seconds", "failure_class", "line_retries",
                     "node", "recipient_name", "subject"):
            batch.drop_column(name)
