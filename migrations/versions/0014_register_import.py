"""register import: a birth year without its day (an imported "Năm sinh"), a dossier paper's
number (the awareness class certificate's), and an audit entry's detail (an import's file name
and counts)

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
