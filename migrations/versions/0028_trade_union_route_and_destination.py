"""the Trade Union route for introducers: the grassroots Trade Union committee and one official
member introduce a person of a unit without a Youth Union (Charter art. 4); where a member who
moved went (partymember.moved_to)

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-02 02:15:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (see 0018: a batch would copy the table on SQLite).
    op.add_column('admissionrecord', sa.Column('trade_union_route', sa.Boolean(), server_default=sa.false(),
                                               nullable=False))
    op.add_column('partymember', sa.Column('moved_to', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('partymember', schema=None) as batch_op:
        batch_op.drop_column('moved_to')
    with op.batch_alter_table('admissionrecord', schema=None) as batch_op:
        batch_op.drop_column('trade_union_route')
