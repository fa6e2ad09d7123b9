"""register import: a birth year without its day (an imported "Năm sinh"), a dossier paper's
number (the awareness class certificate's), an audit entry's detail (an import's file name
and counts), and a register file sent in chat kept between its dry run and "Nhập"

Issue 14, "Import".

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 20:10:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'registerupload',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['org_id'], ['organisation.id'], ),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('registerupload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registerupload_person_id'), ['person_id'], unique=False)
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_year_only', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('dossierentry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.drop_column('detail')
    with op.batch_alter_table('dossierentry', schema=None) as batch_op:
        batch_op.drop_column('number')
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_column('birth_year_only')
    with op.batch_alter_table('registerupload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registerupload_person_id'))
    op.drop_table('registerupload')
