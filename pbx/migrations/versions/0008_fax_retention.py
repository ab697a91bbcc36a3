"""fax: "cancelled" job state, files_purged_at on sent and received faxes (retention sweep), job toll_class

Revision ID: 0008_fax_retention
Revises: 0007_merge_heads

The job state is a VARCHAR with a named CHECK constraint (``ck_fax_jobs_fax_state``, models
_columns.choice): it is dropped and created again with the new list. On SQLite the batch
mode rebuilds the table; the reflected copy carries the old CHECK, so it is dropped by name
inside the same batch.
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_fax_retention"
down_revision = "0007_merge_heads"
branch_labels = None
depends_on = None

CHECK = "ck_fax_jobs_fax_state"
OLD_STATES = ("queued", "sending", "retrying", "sent", "failed")
NEW_STATES = OLD_STATES + ("cancelled",)


def _states_check(batch, states) -> None:
    batch.drop_constraint(op.f(CHECK), type_="check")
    batch.create_check_constraint(op.f(CHECK), sa.column("state").in_(states))


def upgrade():
    with op.batch_alter_table("fax_jobs") as batch:
        _states_check(batch, NEW_STATES)
        batch.add_column(sa.Column("files_purged_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("toll_class", sa.String(length=16), nullable=True))
    with op.batch_alter_table("received_faxes") as batch:
        batch.add_column(sa.Column("files_purged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.execute(sa.text("UPDATE fax_jobs SET state = 'failed' WHERE state = 'cancelled'"))
    with op.batch_alter_table("received_faxes") as batch:
        batch.drop_column("files_purged_at")
    with op.batch_alter_table("fax_jobs") as batch:
        batch.drop_column("toll_class")
        batch.drop_column("files_purged_at")
        _states_check(batch, OLD_STATES)
