"""What the channels must remember about a chat, kept in the database (models/conversation.py):
which Zalo chats were greeted, and which Telegram keyboard may still be tapped.

A channel gets these as its `greetings` or `keyboards` and never sees the database; several
chibo processes on one database share them (one greeting per chat, and a keyboard sent by one
process is accepted by another), and a restart forgets nothing. Chats are stored as hashes.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa

from bot.engine.transaction import Transactions
from models.conversation import GreetedChat, LiveKeyboard
from models.sql import insert_for

# Statements built once, run as Core on a pooled connection with no ORM session: they are
# asked at every message (a session would cost more than the engine's own work on it).
_G, _K = GreetedChat.__table__, LiveKeyboard.__table__
_GREETED = sa.select(_G.c.at).where(_G.c.channel == sa.bindparam("channel"),
                                    _G.c.chat_hash == sa.bindparam("chat_hash"))
_LIVE = sa.select(_K.c.message_id).where(_K.c.channel == sa.bindparam("channel"),
                                         _K.c.chat_hash == sa.bindparam("chat_hash"))
_DROP = sa.delete(_K).where(_K.c.channel == sa.bindparam("channel"), _K.c.chat_hash == sa.bindparam("chat_hash"))


@lru_cache(maxsize=2)
def _greet(dialect: str) -> sa.Insert:
    return insert_for(dialect)(_G).values(channel=sa.bindparam("channel"), chat_hash=sa.bindparam("chat_hash"),
                                          at=sa.bindparam("at")).on_conflict_do_nothing()


@lru_cache(maxsize=2)
def _set_live(dialect: str) -> sa.Insert:
    insert = insert_for(dialect)(_K).values(
        channel=sa.bindparam("channel"), chat_hash=sa.bindparam("chat_hash"), message_id=sa.bindparam("message_id"))
    return insert.on_conflict_do_update(index_elements=[_K.c.channel, _K.c.chat_hash],
                                        set_={"message_id": insert.excluded.message_id})



def chat_hash(channel: str, chat_id: str) -> str:
    return hashlib.sha256(f"{channel}:{chat_id}".encode()).hexdigest()


class DbGreetings:
    """Zalo's "greeted" chats (bot/channels/zalo_support.Greetings)."""

    def __init__(self, transaction: Transactions, now: Callable[[], datetime], channel: str = "zalo") -> None:
        self.transaction, self.now, self.channel = transaction, now, channel

    async def greeted(self, chat_id: str) -> bool:
        async with self.transaction() as tx:
            found = await tx.rows(_GREETED, {"channel": self.channel, "chat_hash": chat_hash(self.channel, chat_id)})
            await tx.give_back()
        return bool(found)

    async def mark_greeted(self, chat_id: str) -> None:
        async with self.transaction() as tx:
            await tx.run(_greet(tx.dialect.name), {"channel": self.channel, "at": self.now(),
                                                   "chat_hash": chat_hash(self.channel, chat_id)})
            await tx.commit()


class DbKeyboards:
    """Telegram's live keyboard per chat (bot/channels/telegram_support.Keyboards)."""

    def __init__(self, transaction: Transactions, channel: str = "telegram") -> None:
        self.transaction, self.channel = transaction, channel

    async def live(self, chat_id: str) -> int | None:
        async with self.transaction() as tx:
            found = await tx.rows(_LIVE, {"channel": self.channel, "chat_hash": chat_hash(self.channel, chat_id)})
            await tx.give_back()
        return found[0][0] if found else None

    async def set_live(self, chat_id: str, message_id: int | None) -> None:
        key = {"channel": self.channel, "chat_hash": chat_hash(self.channel, chat_id)}
        async with self.transaction() as tx:
            if message_id is None:
                await tx.run(_DROP, key)
            else:
                await tx.run(_set_live(tx.dialect.name), {**key, "message_id": message_id})
            await tx.commit()
