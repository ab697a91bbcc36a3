"""live state: which node a parked call is on, when a node was last seen

Revision ID: 0004_live
Revises: 0003_voicemail
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_live"
down_revision = "0003_voicemail"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("parked_calls") as batch:
        batch.add_column(sa.Column("node", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_parked_calls_node"), ["node"], unique=False)
    with op.batch_alter_table("node_status") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("node_status") as batch:
        batch.drop_column("last_seen_at")
    with op.batch_alter_table("parked_calls") as batch:
        batch.drop_index(batch.f("ix_parked_calls_node"))
        batch.drop_column("node")
