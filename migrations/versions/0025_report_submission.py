"""report submission: a branch's report sent up to the committee above (who, when, the
period, the files and a snapshot of the figures)

Issue 15, "Where people get them".

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 23:40:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reportsubmission',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('files', sa.JSON(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['org_id'], ['organisation.id'], ),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_reportsubmission_period_org', 'reportsubmission', ['period', 'org_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reportsubmission_period_org', table_name='reportsubmission')
    op.drop_table('reportsubmission')
