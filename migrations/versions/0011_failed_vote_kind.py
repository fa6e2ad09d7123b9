"""failed vote kind: a failed vote on recognition as an official member is kept too

Earlier rows were all votes on proposing admission.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 18:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('failedvote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='admission'))


def downgrade() -> None:
    with op.batch_alter_table('failedvote', schema=None) as batch_op:
        batch_op.drop_column('kind')
