"""introducer: a candidate's introducers as records, members of the branch's roster with the
day they began working, studying or living with the person (issue 13, item 2)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 23:40:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'introducer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('together_since', sa.Date(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
        sa.ForeignKeyConstraint(['member_id'], ['partymember.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('candidate_id', 'member_id'),
    )
    with op.batch_alter_table('introducer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introducer_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introducer_member_id'), ['member_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('introducer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_introducer_member_id'))
        batch_op.drop_index(batch_op.f('ix_introducer_candidate_id'))
    op.drop_table('introducer')
