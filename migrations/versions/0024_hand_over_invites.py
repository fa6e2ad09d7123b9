"""hand-over invites: the secretary an invite replaces, and the role they keep

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 00:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, nullable, no foreign key: no batch copy of the invite table (see 0018).
    op.add_column('invite', sa.Column('replaces_person_id', sa.Integer(), nullable=True))
    op.add_column('invite', sa.Column('replaced_becomes', sqlmodel.sql.sqltypes.AutoString(length=16),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_column('replaced_becomes')
        batch_op.drop_column('replaces_person_id')
