"""consent: each candidate's consents to the processing of their data and their requests about
it (/dulieu), and which channels may carry a branch's personal data (issue 16)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 23:40:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'consent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('notice_version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('purposes', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('categories', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('given_by', sa.String(length=24), nullable=False),
        sa.Column('method', sa.String(length=24), nullable=False),
        sa.Column('given_on', sa.Date(), nullable=False),
        sa.Column('guardian_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column('guardian_relation', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column('recorded_by', sa.Integer(), nullable=True),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
        sa.ForeignKeyConstraint(['recorded_by'], ['person.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_candidate_id'), ['candidate_id'], unique=False)
    op.create_table(
        'datarequest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('made_on', sa.Date(), nullable=False),
        sa.Column('acknowledge_by', sa.Date(), nullable=False),
        sa.Column('act_by', sa.Date(), nullable=False),
        sa.Column('acknowledged_on', sa.Date(), nullable=True),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('datarequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_datarequest_candidate_id'), ['candidate_id'], unique=False)
    # Plain ADD COLUMN with a constant default (see 0018).
    op.add_column('organisation', sa.Column('personal_data_channels', sqlmodel.sql.sqltypes.AutoString(length=40),
                                            server_default='telegram,zalo', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('personal_data_channels')
    with op.batch_alter_table('datarequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_datarequest_candidate_id'))
    op.drop_table('datarequest')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_candidate_id'))
    op.drop_table('consent')
