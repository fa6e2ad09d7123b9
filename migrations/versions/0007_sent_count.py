"""sent count: messages a channel sent in a calendar month, against its plan's monthly quota

Zalo's Basic plan has been reported as 3,000 outbound messages a month: chibo counts what it
sends, warns the operator at 80 % and holds reminders when the quota is spent.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sentcount',
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('sent', sa.Integer(), nullable=False),
        sa.Column('spent', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('channel', 'month'),
    )


def downgrade() -> None:
    op.drop_table('sentcount')
