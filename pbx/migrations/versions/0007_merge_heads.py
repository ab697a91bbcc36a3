"""merge the feature branches of the first session into one head

Revision ID: 0007_merge_heads
Revises: 0005_fax, 0006_directory_token
"""
revision = "0007_merge_heads"
down_revision = ("0005_fax", "0006_directory_token")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
