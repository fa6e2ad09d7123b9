"""candidate reception: a candidate received from another branch or place, where from and the
stage they had reached there since when (issue 13, item 8: /nhanve)

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'candidatereception',
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('came_from', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('stage_there', sa.String(length=24), nullable=False),
        sa.Column('since', sa.Date(), nullable=False),
        sa.Column('by_person_id', sa.Integer(), nullable=True),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['by_person_id'], ['person.id'], ),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
        sa.PrimaryKeyConstraint('candidate_id'),
    )


def downgrade() -> None:
    op.drop_table('candidatereception')
