"""fax try outcomes recorded by the switch (mod_xml_cdr) for reconciliation (issue 16)

Revision ID: 0013_fax_outcomes
Revises: 0012_audit_log

The "unknown" job state (a try that ended while nobody listened and whose record never came:
not retried, shown to the sender), the deadline of the wait for that record
(``outcome_due_by``) and who reported each outcome (``outcome_source``). The state CHECK is
recreated as in 0008_fax_retention (SQLite: inside the batch rebuild).
"""
from alembic import op
import sqlalchemy as sa

revision = "0013_fax_outcomes"
down_revision = "0012_audit_log"
branch_labels = None
depends_on = None

CHECK = "ck_fax_jobs_fax_state"
OLD_STATES = ("queued", "sending", "retrying", "sent", "failed", "cancelled")
NEW_STATES = OLD_STATES + ("unknown",)


def _states_check(batch, states) -> None:
    batch.drop_constraint(op.f(CHECK), type_="check")
    batch.create_check_constraint(op.f(CHECK), sa.column("state").in_(states))


def upgrade():
    with op.batch_alter_table("fax_jobs") as batch:
        _states_check(batch, NEW_STATES)
        batch.add_column(sa.Column("outcome_due_by", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("outcome_source", sa.String(length=16), nullable=True))


def downgrade():
    # An unknown outcome becomes a failure: the older schema has no word for it, and "failed"
    # is the state that is never retried by itself either.
    op.execute(sa.text("UPDATE fax_jobs SET state = 'failed' WHERE state = 'unknown'"))
    with op.batch_alter_table("fax_jobs") as batch:
        batch.drop_column("outcome_source")
        batch.drop_column("outcome_due_by")
        _states_check(batch, OLD_STATES)
