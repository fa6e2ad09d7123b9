"""failed vote: a branch vote on proposing admission that fell short of 2/3, with its date and counts

The candidate stays in dossier; the card shows the vote (issue 12, defect 5).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'failedvote',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('votes_for', sa.Integer(), nullable=False),
        sa.Column('official_members', sa.Integer(), nullable=False),
        sa.Column('by_person_id', sa.Integer(), nullable=True),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['by_person_id'], ['person.id'], ),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('failedvote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_failedvote_candidate_id'), ['candidate_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('failedvote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failedvote_candidate_id'))
    op.drop_table('failedvote')
