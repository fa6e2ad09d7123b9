"""Conversation state per chat, the platform messages already processed, and what a channel
must remember about a chat (greeted on Zalo; the live keyboard on Telegram).

Everything a running chibo remembers lives in the database, so that several processes behind
one webhook share it and a restart loses nothing. Chats are kept as hashes in the channel's
own tables: those need no chat id to work."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Conversation(SQLModel, table=True):
    """Where a chat stands: the flow it is in, the step, the answers so far, the last choices."""

    channel: str = Field(primary_key=True, max_length=16)
    chat_id: str = Field(primary_key=True, max_length=64)
    flow: str | None = Field(default=None, max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    choices: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    updated_at: datetime
    # The answer to the chat's last message, written in the transaction that did its work and
    # cleared once the channel has sent it (models/replies.py): a crash between the two leaves
    # it here, and it is sent after the restart instead of being lost.
    pending: list[Any] | None = Field(default=None, sa_type=sa.JSON(none_as_null=True))
    pending_id: str | None = Field(default=None, max_length=80)  # the message it answers
    pending_since: datetime | None = Field(default=None, index=True)
    # The platform message the row was last written for. Writing it records that message as
    # processed (ProcessedMessage) in the same statement: a trigger on SQLite (below), a CTE
    # on PostgreSQL (bot/engine/chat_row.py). One statement a message instead of two.
    last_message_id: str | None = Field(default=None, max_length=80)


class ProcessedMessage(SQLModel, table=True):
    """A platform message id seen once; recorded in the same transaction as its effects."""

    channel: str = Field(primary_key=True, max_length=16)
    message_id: str = Field(primary_key=True, max_length=80)
    at: datetime = Field(index=True)


# SQLite: writing a conversation's last_message_id records that message as processed. Made with
# the tables (create_all) and by migration 0034; PostgreSQL does the same in the write itself.
PROCESSED_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS conversation_processed_{event.split()[0].lower()} AFTER {event} ON conversation"
    " WHEN NEW.last_message_id IS NOT NULL BEGIN"
    " INSERT OR IGNORE INTO processedmessage (channel, message_id, at)"
    " VALUES (NEW.channel, NEW.last_message_id, NEW.updated_at); END"
    for event in ("INSERT", "UPDATE OF last_message_id"))
for _trigger in PROCESSED_TRIGGERS:
    sa.event.listen(Conversation.__table__, "after_create", sa.DDL(_trigger).execute_if(dialect="sqlite"))


class GreetedChat(SQLModel, table=True):
    """A chat already told that chibo is an automated assistant (Zalo's terms), by hash."""

    channel: str = Field(primary_key=True, max_length=16)
    chat_hash: str = Field(primary_key=True, max_length=64)
    at: datetime


class LiveKeyboard(SQLModel, table=True):
    """The one keyboard of a chat that may still be tapped: the message that carries it."""

    channel: str = Field(primary_key=True, max_length=16)
    chat_hash: str = Field(primary_key=True, max_length=64)
    message_id: int = Field(sa_type=sa.BigInteger)
