"""email delivery state visible to admins (issue 16)

Revision ID: 0014_mail_delivery
Revises: 0013_fax_outcomes

One queue for the emails that wait for SMTP (fs_service/mail_queue.py): ``mail_deliveries``.
The emails still owed by the older queues move into it -- voicemail messages not yet emailed,
reset requests still due -- so an upgrade while the mail server is down loses nothing. Their
old queue columns stay (no longer read) so a downgrade can hand the still-queued ones back.
``voicemail_messages.audio_path`` gets an index: a recording is filed once, looked up by path
at each deposit and by the recovery after a restart (fs_service/voicemail/recovery.py).
"""
from alembic import op
import sqlalchemy as sa

revision = "0014_mail_delivery"
down_revision = "0013_fax_outcomes"
branch_labels = None
depends_on = None

TABLE = "mail_deliveries"
COLUMNS = "account_id, kind, source_id, recipient, subject, state, attempts, next_try_at, last_answer, created_at"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=255), server_default="", nullable=False),
        sa.Column("state", sa.Enum("queued", "sent", "failed", name="mail_state", native_enum=False,
                                   create_constraint=True, length=24), server_default=sa.text("'queued'"),
                  nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_answer", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_mail_deliveries_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_deliveries")),
    )
    op.create_index(op.f("ix_mail_deliveries_account_id"), TABLE, ["account_id"], unique=False)
    op.create_index("ix_mail_deliveries_state_next_try_at", TABLE, ["state", "next_try_at"], unique=False)
    op.create_index(op.f("ix_voicemail_messages_audio_path"), "voicemail_messages", ["audio_path"], unique=False)
    op.execute(f"INSERT INTO {TABLE} ({COLUMNS}) "
               "SELECT b.account_id, 'voicemail', m.id, m.email_to, '', 'queued', m.email_attempts, "
               "COALESCE(m.email_next_at, m.created_at), m.email_error, m.created_at "
               "FROM voicemail_messages m JOIN mailboxes b ON b.id = m.mailbox_id "
               "WHERE m.email_to IS NOT NULL AND m.emailed_at IS NULL")
    op.execute(f"INSERT INTO {TABLE} ({COLUMNS}) "
               "SELECT NULL, 'password_reset', r.id, r.email, '', 'queued', r.email_attempts, r.email_due_at, "
               "NULL, r.created_at FROM password_reset_requests r WHERE r.email_due_at IS NOT NULL")


def downgrade():
    queued = f"SELECT d.next_try_at FROM {TABLE} d WHERE d.state = 'queued' AND d.source_id = {{table}}.id " \
             "AND d.kind = '{kind}'"
    op.execute("UPDATE voicemail_messages SET email_next_at = ("
               + queued.format(table="voicemail_messages", kind="voicemail") + ")")
    op.execute("UPDATE password_reset_requests SET email_due_at = ("
               + queued.format(table="password_reset_requests", kind="password_reset") + ")")
    op.drop_index(op.f("ix_voicemail_messages_audio_path"), table_name="voicemail_messages")
    op.drop_index("ix_mail_deliveries_state_next_try_at", table_name=TABLE)
    op.drop_index(op.f("ix_mail_deliveries_account_id"), table_name=TABLE)
    op.drop_table(TABLE)
