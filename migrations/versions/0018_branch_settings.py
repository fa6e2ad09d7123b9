"""branch settings: the sponsor nudge, "no source left", and who decides admissions and issues
class certificates, per organisation

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 20:50:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (each with a constant default): a batch would copy the table, and on
    # SQLite dropping the old one fails while other tables' rows point at it.
    op.add_column('organisation', sa.Column('sponsor_nudge_days', sa.Integer(), server_default='30', nullable=False))
    op.add_column('organisation', sa.Column('no_source_left', sa.Boolean(), server_default=sa.false(),
                                            nullable=False))
    op.add_column('organisation', sa.Column('admission_decided_by', sqlmodel.sql.sqltypes.AutoString(length=200),
                                            nullable=True))
    op.add_column('organisation', sa.Column('certificates_issued_by', sqlmodel.sql.sqltypes.AutoString(length=200),
                                            nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('certificates_issued_by')
        batch_op.drop_column('admission_decided_by')
        batch_op.drop_column('no_source_left')
        batch_op.drop_column('sponsor_nudge_days')
