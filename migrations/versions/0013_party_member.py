"""party member: the branch's roster of party members (official or probationary, since when,
left when), optionally linked to a person and to the candidate chibo admitted (issue 13, item 7)

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-01 20:20:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0013'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'partymember',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('full_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('status', sa.String(length=24), nullable=False),
        sa.Column('since', sa.Date(), nullable=False),
        sa.Column('left_on', sa.Date(), nullable=True),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('candidate_id', sa.Integer(), nullable=True),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
        sa.ForeignKeyConstraint(['org_id'], ['organisation.id'], ),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('partymember', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partymember_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partymember_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partymember_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('partymember', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partymember_person_id'))
        batch_op.drop_index(batch_op.f('ix_partymember_org_id'))
        batch_op.drop_index(batch_op.f('ix_partymember_candidate_id'))
    op.drop_table('partymember')
