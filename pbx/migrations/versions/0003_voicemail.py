"""voicemail: email queue columns on voicemail_messages

Revision ID: 0003_voicemail
Revises: 0001

A message row doubles as the email queue (nothing lost while SMTP is down): the address
at deposit time, when to try next, the last error, and whether the row only waits for its
email (email-only boxes keep nothing once SMTP accepted it). batch_alter_table so SQLite (which
cannot ALTER most things) and PostgreSQL run the same migration.
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_voicemail"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("voicemail_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_to", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("email_next_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("email_error", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("delete_after_email", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_index(batch_op.f("ix_voicemail_messages_email_next_at"), ["email_next_at"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("voicemail_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voicemail_messages_email_next_at"))
        batch_op.drop_column("delete_after_email")
        batch_op.drop_column("email_error")
        batch_op.drop_column("email_next_at")
        batch_op.drop_column("email_to")
