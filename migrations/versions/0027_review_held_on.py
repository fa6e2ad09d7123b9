"""review meeting day: a monthly review is recorded for the day of the meeting that decided,
which may be before the day it is typed in (issue 13 item 6)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, nullable: no table copy (see 0018). Earlier rows keep None: their day is `at`'s.
    op.add_column('monthlyreview', sa.Column('held_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('monthlyreview', schema=None) as batch_op:
        batch_op.drop_column('held_on')
