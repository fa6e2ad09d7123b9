"""recognition vote: whether the official members were typed and confirmed by the secretary
(the branch keeps no roster) or counted from the roster, as for the admission vote (issue 12)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-02 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, nullable: no table copy (see 0018). Earlier votes keep None: not known.
    op.add_column('admissionrecord', sa.Column('recognition_members_typed', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('admissionrecord', schema=None) as batch_op:
        batch_op.drop_column('recognition_members_typed')
