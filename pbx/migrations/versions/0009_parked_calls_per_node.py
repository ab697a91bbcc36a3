"""live state: a parked call's slot is unique per (node, lot); per-account live_versions

Revision ID: 0009_parked_calls_per_node
Revises: 0008_fax_retention

mod_valet_parking keeps each lot in one switch's memory, so two FreeSWITCH nodes can each hold
slot 701 of the same lot: ``uq_parked_calls_lot_slot`` becomes ``uq_parked_calls_node_lot_slot``
and ``node`` is required. Rows without a node (written before 0004) belong to no listener:
they are deleted, and the next resync of each node writes its parked calls again. Constraint
names follow fs_service.db.NAMING, so SQLite's batch copy and PostgreSQL's ALTER agree.

``live_versions`` holds one token per account, renewed whenever its live state changes: the
status page's push stream reads it instead of the whole view (fs_service.status.store).
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_parked_calls_per_node"
down_revision = "0008_fax_retention"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text("DELETE FROM parked_calls WHERE node IS NULL"))
    with op.batch_alter_table("parked_calls") as batch:
        batch.drop_constraint(op.f("uq_parked_calls_lot_slot"), type_="unique")
        batch.alter_column("node", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f("uq_parked_calls_node_lot_slot"), ["node", "lot", "slot"])
    op.create_table(
        "live_versions",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_live_versions_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_live_versions")),
    )


def downgrade():
    op.drop_table("live_versions")
    # One node's 701 survives per lot: the old model cannot hold two (live state: the next
    # resync rewrites what the kept row's node still holds).
    op.execute(sa.text("DELETE FROM parked_calls WHERE id NOT IN "
                       "(SELECT min(id) FROM parked_calls GROUP BY lot, slot)"))
    with op.batch_alter_table("parked_calls") as batch:
        batch.drop_constraint(op.f("uq_parked_calls_node_lot_slot"), type_="unique")
        batch.alter_column("node", existing_type=sa.String(length=64), nullable=True)
        batch.create_unique_constraint(op.f("uq_parked_calls_lot_slot"), ["lot", "slot"])
