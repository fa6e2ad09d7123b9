"""undoable action: a removal, a review decision or an enrolment, remembered with what undoing
it needs (the stage and its first day before, the review or survey period, the class), and
who took it back, when (/hoantac; issue 12, "What a secretary expects")

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'undoableaction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('by_person_id', sa.Integer(), nullable=True),
        sa.Column('stage_change_id', sa.Integer(), nullable=True),
        sa.Column('from_stage', sa.String(length=24), nullable=True),
        sa.Column('to_stage', sa.String(length=24), nullable=True),
        sa.Column('since_before', sa.Date(), nullable=True),
        sa.Column('review_period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
        sa.Column('survey_period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
        sa.Column('class_id', sa.Integer(), nullable=True),
        sa.Column('undone_on', sa.Date(), nullable=True),
        sa.Column('undone_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('undone_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['by_person_id'], ['person.id'], ),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
        sa.ForeignKeyConstraint(['class_id'], ['partyclass.id'], ),
        sa.ForeignKeyConstraint(['stage_change_id'], ['stagechange.id'], ),
        sa.ForeignKeyConstraint(['undone_by'], ['person.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('undoableaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_undoableaction_candidate_id'), ['candidate_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('undoableaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_undoableaction_candidate_id'))
    op.drop_table('undoableaction')
