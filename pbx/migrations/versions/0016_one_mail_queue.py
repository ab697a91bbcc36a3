"""every email through mail_deliveries: fax emails moved in, the old per-feature queue columns dropped (issue 16)

Revision ID: 0016_one_mail_queue
Revises: 0015_conferences

The fax emails still owed (``email_due_at`` set on fax_jobs or received_faxes) become
``mail_deliveries`` rows (kinds ``fax_confirmation``, ``fax_received``, fs_service/fax/mailer.py)
with their attempts and due time, so an upgrade while the mail server is down loses none. Then
the old queue columns go: fax_jobs / received_faxes ``email_due_at`` + ``email_attempts``,
voicemail_messages ``email_next_at`` + ``email_attempts`` + ``email_error`` (moved by 0014),
password_reset_requests ``email_due_at`` + ``email_attempts`` + ``emailed_at`` (moved by 0014).

Columns are dropped in place (``ALTER TABLE … DROP COLUMN``: SQLite ≥ 3.35 and PostgreSQL), each
index first (SQLite refuses to drop an indexed column). Never ``batch_alter_table`` here: on
SQLite it rebuilds the table, and dropping the old copy cascades into child tables declared
ON DELETE CASCADE (it emptied children in 0011).

Downgrade re-adds the columns (nullable, counters with a server default 0) and their indexes,
and hands the still-queued fax emails back to their rows (then removes those queue rows, so
an upgrade again does not owe them twice). Voicemail and reset emails stay in mail_deliveries,
where 0015 reads them (0014's downgrade hands them back further down).
"""
from alembic import op
import sqlalchemy as sa

revision = "0016_one_mail_queue"
down_revision = "0015_conferences"
branch_labels = None
depends_on = None

QUEUE = "mail_deliveries"
COLUMNS = "account_id, kind, source_id, recipient, subject, state, attempts, next_try_at, created_at"
FAX_KINDS = {"fax_jobs": "fax_confirmation", "received_faxes": "fax_received"}
# table -> (column, type, indexed), in the order they are dropped
DROPPED = {
    "fax_jobs": (("email_due_at", "time", True), ("email_attempts", "count", False)),
    "received_faxes": (("email_due_at", "time", True), ("email_attempts", "count", False)),
    "voicemail_messages": (("email_next_at", "time", True), ("email_attempts", "count", False),
                           ("email_error", "text", False)),
    "password_reset_requests": (("email_due_at", "time", True), ("email_attempts", "count", False),
                                ("emailed_at", "time", False)),
}


def _column(name: str, kind: str) -> sa.Column:
    if kind == "count":
        return sa.Column(name, sa.Integer(), server_default="0", nullable=False)
    return sa.Column(name, sa.DateTime(timezone=True) if kind == "time" else sa.String(length=255), nullable=True)


def upgrade():
    op.execute(f"INSERT INTO {QUEUE} ({COLUMNS}) "
               "SELECT j.account_id, 'fax_confirmation', j.id, COALESCE(u.email, ''), '', 'queued', j.email_attempts, "
               "j.email_due_at, j.updated_at FROM fax_jobs j LEFT JOIN users u ON u.id = j.user_id "
               "WHERE j.email_due_at IS NOT NULL")
    op.execute(f"INSERT INTO {QUEUE} ({COLUMNS}) "
               "SELECT r.account_id, 'fax_received', r.id, SUBSTR(COALESCE(n.fax_inbound_emails, ''), 1, 254), '', "
               "'queued', r.email_attempts, r.email_due_at, r.created_at FROM received_faxes r "
               "LEFT JOIN phone_numbers n ON n.id = r.number_id WHERE r.email_due_at IS NOT NULL")
    for table, columns in DROPPED.items():
        for name, _, indexed in columns:
            if indexed:
                op.drop_index(op.f(f"ix_{table}_{name}"), table_name=table)
            op.drop_column(table, name)  # ALTER TABLE … DROP COLUMN, in place on SQLite too


def downgrade():
    for table, columns in DROPPED.items():
        for name, kind, indexed in columns:
            op.add_column(table, _column(name, kind))
            if indexed:
                op.create_index(op.f(f"ix_{table}_{name}"), table, [name], unique=False)
    for table, kind in FAX_KINDS.items():
        owed = f"FROM {QUEUE} d WHERE d.state = 'queued' AND d.kind = '{kind}' AND d.source_id = {table}.id"
        op.execute(f"UPDATE {table} SET email_due_at = (SELECT MIN(d.next_try_at) {owed}), "
                   f"email_attempts = COALESCE((SELECT MAX(d.attempts) {owed}), 0)")
        op.execute(f"DELETE FROM {QUEUE} WHERE state = 'queued' AND kind = '{kind}'")
