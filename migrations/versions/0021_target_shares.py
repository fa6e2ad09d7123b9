"""target shares: a target may ask for shares ("> 60 % of admissions are Youth Union members",
"> 70 % of branches admit") beside counts; why a member left the roster (moved, struck off,
expelled)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 23:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN with a constant default, as 0018 does (no batch copy of the table).
    op.add_column('orgtarget', sa.Column('shares', sa.JSON(), server_default='{}', nullable=False))
    op.add_column('partymember', sa.Column('left_reason', sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('partymember', schema=None) as batch_op:
        batch_op.drop_column('left_reason')
    with op.batch_alter_table('orgtarget', schema=None) as batch_op:
        batch_op.drop_column('shares')
