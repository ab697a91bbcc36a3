"""conference rooms, codes, sessions and history (issue 18)

Revision ID: 0015_conferences
Revises: 0014_mail_delivery

Participant codes (unique per room), the node and FreeSWITCH id of a session, each caller's
attendance (join/leave times, live flags) and the wrong codes counted per room.
"""
from alembic import op
import sqlalchemy as sa

revision = "0015_conferences"
down_revision = "0014_mail_delivery"
branch_labels = None
depends_on = None

_ROLES = sa.Enum("admin", "participant", name="attendance_role", native_enum=False, create_constraint=True,
                 length=24)


def upgrade():
    with op.batch_alter_table("conference_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=4), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_conference_participants_conference_id_code"),
                                          ["conference_id", "code"])
    with op.batch_alter_table("conference_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("node", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("fs_unique_id", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_conference_sessions_fs_unique_id"), ["fs_unique_id"], unique=False)
    op.create_table(
        "conference_attendances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("uuid", sa.String(length=64), nullable=False),
        sa.Column("role", _ROLES, server_default=sa.text("'participant'"), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("caller_number", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("talking", sa.Boolean(), nullable=False),
        sa.Column("muted", sa.Boolean(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conferences.id"],
                                name=op.f("fk_conference_attendances_conference_id_conferences"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["conference_participants.id"],
                                name=op.f("fk_conference_attendances_participant_id_conference_participants"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["session_id"], ["conference_sessions.id"],
                                name=op.f("fk_conference_attendances_session_id_conference_sessions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conference_attendances")),
    )
    with op.batch_alter_table("conference_attendances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conference_attendances_conference_id"), ["conference_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conference_attendances_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conference_attendances_uuid"), ["uuid"], unique=False)
    op.create_table(
        "conference_entry_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("caller", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conferences.id"],
                                name=op.f("fk_conference_entry_failures_conference_id_conferences"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conference_entry_failures")),
    )
    op.create_index("ix_conference_entry_failures_room_at", "conference_entry_failures",
                    ["conference_id", "created_at"], unique=False)


def downgrade():
    op.drop_index("ix_conference_entry_failures_room_at", table_name="conference_entry_failures")
    op.drop_table("conference_entry_failures")
    with op.batch_alter_table("conference_attendances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conference_attendances_uuid"))
        batch_op.drop_index(batch_op.f("ix_conference_attendances_session_id"))
        batch_op.drop_index(batch_op.f("ix_conference_attendances_conference_id"))
    op.drop_table("conference_attendances")
    with op.batch_alter_table("conference_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conference_sessions_fs_unique_id"))
        batch_op.drop_column("fs_unique_id")
        batch_op.drop_column("node")
    with op.batch_alter_table("conference_participants", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_conference_participants_conference_id_code"), type_="unique")
        batch_op.drop_column("code")
