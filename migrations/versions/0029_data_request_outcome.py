"""data request outcome: what the branch did about a person's request about their data, told
to them when the request is marked done (/yeucau); a request of an officer or member who has no
candidate record (candidate_id empty) names the organisation that answers it (org_id); such a
person's own consent (consent.person_id, candidate_id empty)

Revision ID: 0029
Revises: 0026
Create Date: 2026-12-02 02:20:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, nullable: no table copy (see 0018).
    op.add_column('datarequest', sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
    op.add_column('datarequest', sa.Column('answered_by', sa.Integer(), nullable=True))
    with op.batch_alter_table('datarequest', schema=None) as batch_op:
        batch_op.alter_column('candidate_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('org_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_datarequest_org_id_organisation'), 'organisation', ['org_id'],
                                    ['id'])
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.alter_column('candidate_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consent_person_id_person'), 'person', ['person_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_consent_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_person_id'))
        batch_op.drop_constraint(batch_op.f('fk_consent_person_id_person'), type_='foreignkey')
        batch_op.drop_column('person_id')
        batch_op.alter_column('candidate_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('datarequest', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_datarequest_org_id_organisation'), type_='foreignkey')
        batch_op.drop_column('org_id')
        batch_op.alter_column('candidate_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('answered_by')
        batch_op.drop_column('outcome')
