"""a number's treatment may send callers to a conference entry (issue 18)

A treatment of kind ``conference`` takes the caller to the rooms' phone entry (room number,
then code). Only the CHECK constraint on ``treatments.kind`` changes. On SQLite that means a
rebuild of ``treatments``, a parent of several tables (menu keys cascade, numbers and
exceptions are set to NULL): env.py runs SQLite migrations with foreign keys off so that the
rebuild's DROP does not touch them.

Revision ID: 0020_conference_entry_treatment
Revises: 0019_phones
"""
import sqlalchemy as sa
from alembic import op

revision = "0020_conference_entry_treatment"
down_revision = "0019_phones"
branch_labels = None
depends_on = None

CHECK = "ck_treatments_treatment_kind"
OLD_KINDS = ("extension", "mailbox", "voicemail_login", "menu", "message", "hangup")
NEW_KINDS = OLD_KINDS + ("conference",)


def _kinds_check(kinds) -> None:
    with op.batch_alter_table("treatments") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), sa.column("kind").in_(kinds))


def upgrade():
    _kinds_check(NEW_KINDS)


def downgrade():
    # The older schema has no way to reach a conference from a number: such callers hear the
    # default (a hangup), as they would with the treatment deleted.
    op.execute(sa.text("UPDATE treatments SET kind = 'hangup' WHERE kind = 'conference'"))
    _kinds_check(OLD_KINDS)
