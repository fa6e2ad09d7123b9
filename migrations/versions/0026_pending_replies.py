"""pending replies: a chat's answer is kept with its conversation until the channel has sent it,
so that a crash between the commit and the send loses no confirmation

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 00:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, nullable: no table copy (see 0018).
    op.add_column('conversation', sa.Column('pending', sa.JSON(), nullable=True))
    op.add_column('conversation', sa.Column('pending_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
    op.add_column('conversation', sa.Column('pending_since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_index(op.f('ix_conversation_pending_since'), 'conversation', ['pending_since'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_conversation_pending_since'), table_name='conversation')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_column('pending_since')
        batch_op.drop_column('pending_id')
        batch_op.drop_column('pending')
