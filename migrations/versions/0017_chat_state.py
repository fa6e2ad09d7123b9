"""chat state: greeted Zalo chats and live Telegram keyboards move from files in the data folder
into the database, so that several chibo processes share them

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 20:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'greetedchat',
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('chat_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('channel', 'chat_hash'),
    )
    op.create_table(
        'livekeyboard',
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('chat_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('message_id', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('channel', 'chat_hash'),
    )


def downgrade() -> None:
    op.drop_table('livekeyboard')
    op.drop_table('greetedchat')
