"""reminder runs: the days whose reminders were enqueued, so a restart knows what to replay

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 23:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reminderrun',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('day'),
    )


def downgrade() -> None:
    op.drop_table('reminderrun')
