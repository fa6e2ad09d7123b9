"""the committee's decisions that move a deadline: its extensions of the admission and the
recognition decisions (+30 working days), and its consent to a late admission ceremony

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 23:50:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

COLUMNS = ('decision_extended', 'ceremony_consent', 'recognition_extended')


def upgrade() -> None:
    # Plain ADD COLUMN, all nullable (see 0018: a batch would copy the table on SQLite).
    for name in COLUMNS:
        op.add_column('admissionrecord', sa.Column(f'{name}_on', sa.Date(), nullable=True))
        op.add_column('admissionrecord', sa.Column(f'{name}_by', sqlmodel.sql.sqltypes.AutoString(length=200),
                                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('admissionrecord', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(f'{name}_by')
            batch_op.drop_column(f'{name}_on')
