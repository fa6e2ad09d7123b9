"""candidate edit: every correction of a candidate's record (/sua), field by field, with the
value before and after as text, who made it and when

The card shows the latest of them with the stage changes (issue 12, "What a secretary expects").

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'candidateedit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('old_value', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('new_value', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('by_person_id', sa.Integer(), nullable=True),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['by_person_id'], ['person.id'], ),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('candidateedit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidateedit_candidate_id'), ['candidate_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('candidateedit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidateedit_candidate_id'))
    op.drop_table('candidateedit')
