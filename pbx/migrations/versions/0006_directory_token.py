"""directory token: each process caches rendered SIP users per account, keyed by this token

Revision ID: 0006_directory_token
Revises: 0002_numbers
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_directory_token"
down_revision = "0002_numbers"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("call_versions") as batch:
        batch.add_column(sa.Column("directory_token", sa.String(length=16), nullable=False,
                                   server_default="0000000000000000"))


def downgrade():
    with op.batch_alter_table("call_versions") as batch:
        batch.drop_column("directory_token")
