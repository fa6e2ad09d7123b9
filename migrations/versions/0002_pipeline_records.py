"""pipeline records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:32:43.643243
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('orgtarget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('period_kind', sa.String(length=24), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('admissions', sa.Integer(), nullable=False),
    sa.Column('composition', sa.JSON(), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['set_by'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'label')
    )
    with op.batch_alter_table('orgtarget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orgtarget_org_id'), ['org_id'], unique=False)

    op.create_table('partyclass',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('enrol_by', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('partyclass', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partyclass_org_id'), ['org_id'], unique=False)

    op.create_table('admissionrecord',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('dossier_started_on', sa.Date(), nullable=True),
    sa.Column('resolution_on', sa.Date(), nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('official_members', sa.Integer(), nullable=True),
    sa.Column('decision_on', sa.Date(), nullable=True),
    sa.Column('decision_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('refused_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('decision_received_on', sa.Date(), nullable=True),
    sa.Column('ceremony_on', sa.Date(), nullable=True),
    sa.Column('personal_history_on', sa.Date(), nullable=True),
    sa.Column('recognition_resolution_on', sa.Date(), nullable=True),
    sa.Column('recognition_votes_for', sa.Integer(), nullable=True),
    sa.Column('recognition_members', sa.Integer(), nullable=True),
    sa.Column('recognition_decision_on', sa.Date(), nullable=True),
    sa.Column('recognition_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('struck_off_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.PrimaryKeyConstraint('candidate_id')
    )
    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('sponsor_id', sa.Integer(), nullable=False),
    sa.Column('met_on', sa.Date(), nullable=False),
    sa.Column('how', sa.String(length=24), nullable=False),
    sa.Column('assessment', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.ForeignKeyConstraint(['sponsor_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_candidate_met', ['candidate_id', 'met_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_sponsor_id'), ['sponsor_id'], unique=False)

    op.create_table('dossierentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('item', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('dated', sa.Date(), nullable=False),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_id', 'item')
    )
    with op.batch_alter_table('dossierentry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossierentry_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('enrollment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('certificate_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('certificate_on', sa.Date(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.ForeignKeyConstraint(['class_id'], ['partyclass.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('class_id', 'candidate_id')
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_class_id'), ['class_id'], unique=False)

    op.create_table('monthlyreview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('decision', sa.String(length=24), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('by_person_id', sa.Integer(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_id', 'period')
    )
    with op.batch_alter_table('monthlyreview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monthlyreview_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('sourcesurvey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('assessment', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('by_person_id', sa.Integer(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_id', 'period')
    )
    with op.batch_alter_table('sourcesurvey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sourcesurvey_candidate_id'), ['candidate_id'], unique=False)

    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column('ethnic_minority', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('religious', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('private_firm', sa.Boolean(), nullable=False, server_default=sa.false()))




def downgrade() -> None:

    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_column('private_firm')
        batch_op.drop_column('religious')
        batch_op.drop_column('ethnic_minority')
        batch_op.drop_column('unit')

    with op.batch_alter_table('sourcesurvey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sourcesurvey_candidate_id'))

    op.drop_table('sourcesurvey')
    with op.batch_alter_table('monthlyreview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monthlyreview_candidate_id'))

    op.drop_table('monthlyreview')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_class_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_candidate_id'))

    op.drop_table('enrollment')
    with op.batch_alter_table('dossierentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossierentry_candidate_id'))

    op.drop_table('dossierentry')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_sponsor_id'))
        batch_op.drop_index('ix_checkin_candidate_met')

    op.drop_table('checkin')
    op.drop_table('admissionrecord')
    with op.batch_alter_table('partyclass', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partyclass_org_id'))

    op.drop_table('partyclass')
    with op.batch_alter_table('orgtarget', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orgtarget_org_id'))

    op.drop_table('orgtarget')

