"""the conversation row records the message it was last written for, and writing it records that
message as processed (on SQLite by a trigger; PostgreSQL's write does it itself): one statement
a message instead of two (issue 17, engine speed)

Revision ID: 0034
Revises: 0032
Create Date: 2026-12-02 00:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0034'
down_revision = '0032'
branch_labels = None
depends_on = None

# As models/conversation.py's PROCESSED_TRIGGERS were made at this revision.
PROCESSED_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS conversation_processed_{event.split()[0].lower()} AFTER {event} ON conversation"
    " WHEN NEW.last_message_id IS NOT NULL BEGIN"
    " INSERT OR IGNORE INTO processedmessage (channel, message_id, at)"
    " VALUES (NEW.channel, NEW.last_message_id, NEW.updated_at); END"
    for event in ("INSERT", "UPDATE OF last_message_id"))


def upgrade() -> None:
    # Plain ADD COLUMN, nullable: no table copy (see 0018).
    op.add_column('conversation', sa.Column('last_message_id', sqlmodel.sql.sqltypes.AutoString(length=80),
                                            nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in PROCESSED_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS conversation_processed_insert')
        op.execute('DROP TRIGGER IF EXISTS conversation_processed_update')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_column('last_message_id')
