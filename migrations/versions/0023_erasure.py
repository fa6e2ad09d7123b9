"""erasure: when a person or a candidate was anonymised (chibo person erase, the retention rule)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 23:40:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable): a batch would copy tables other rows point at (see 0018).
    op.add_column('candidate', sa.Column('erased_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.add_column('person', sa.Column('erased_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
