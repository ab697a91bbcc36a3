"""company numbers: rules cache tokens, per-account call versions, unique closure codes (issue 5)

Revision ID: 0002_numbers
Revises: 0001

Hand-written. Adding columns and indexes needs no table rebuild on SQLite (ALTER TABLE ADD
COLUMN, CREATE INDEX), so the batch context only adds; PostgreSQL runs the same operations.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_numbers'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('phone_numbers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules_token', sa.String(length=16), server_default='', nullable=False))
        batch_op.create_index('ix_phone_numbers_account_closure_code', ['account_id', 'closure_code'], unique=True)
    op.create_table(
        'call_versions',
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('blacklist_token', sa.String(length=16), nullable=False),
        sa.Column('routing_token', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_call_versions_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('account_id', name=op.f('pk_call_versions')),
    )


def downgrade():
    op.drop_table('call_versions')
    with op.batch_alter_table('phone_numbers', schema=None) as batch_op:
        batch_op.drop_index('ix_phone_numbers_account_closure_code')
    if op.get_bind().dialect.name == 'sqlite':
        # A batch drop_column would rebuild phone_numbers: dropping the old table with foreign
        # keys on runs an implicit DELETE that cascades to schedules, exceptions and extensions'
        # caller IDs. SQLite >= 3.35 drops a plain column in place.
        op.execute('ALTER TABLE phone_numbers DROP COLUMN rules_token')
    else:
        op.drop_column('phone_numbers', 'rules_token')
