"""What the channels must remember about a chat, kept in the database (models/conversation.py):
which Zalo chats were greeted, and which Telegram keyboard may still be tapped.

A channel gets these as its `greetings` or `keyboards` and never sees the database; several
chibo processes on one database share them (one greeting per chat, and a keyboard sent by one
process is accepted by another), and a restart forgets nothing. Chats are stored as hashes.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.conversation import GreetedChat, LiveKeyboard
from models.sql import dialect_insert


def chat_hash(channel: str, chat_id: str) -> str:
    return hashlib.sha256(f"{channel}:{chat_id}".encode()).hexdigest()


class DbGreetings:
    """Zalo's "greeted" chats (bot/channels/zalo_support.Greetings)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], now: Callable[[], datetime],
                 channel: str = "zalo") -> None:
        self.sessions, self.now, self.channel = sessions, now, channel

    async def greeted(self, chat_id: str) -> bool:
        async with self.sessions() as session:
            found = await session.get(GreetedChat, (self.channel, chat_hash(self.channel, chat_id)))
            return found is not None

    async def mark_greeted(self, chat_id: str) -> None:
        async with self.sessions() as session, session.begin():
            stmt = dialect_insert(session)(GreetedChat).values(
                channel=self.channel, chat_hash=chat_hash(self.channel, chat_id), at=self.now())
            await session.exec(stmt.on_conflict_do_nothing())


class DbKeyboards:
    """Telegram's live keyboard per chat (bot/channels/telegram_support.Keyboards)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], channel: str = "telegram") -> None:
        self.sessions, self.channel = sessions, channel

    async def live(self, chat_id: str) -> int | None:
        async with self.sessions() as session:
            key = chat_hash(self.channel, chat_id)
            stmt = select(LiveKeyboard.message_id).where(LiveKeyboard.channel == self.channel,
                                                         LiveKeyboard.chat_hash == key)
            return (await session.exec(stmt)).first()

    async def set_live(self, chat_id: str, message_id: int | None) -> None:
        key = chat_hash(self.channel, chat_id)
        async with self.sessions() as session, session.begin():
            if message_id is None:
                await session.exec(delete(LiveKeyboard).where(LiveKeyboard.channel == self.channel,
                                                              LiveKeyboard.chat_hash == key))
                return
            stmt = dialect_insert(session)(LiveKeyboard).values(channel=self.channel, chat_hash=key,
                                                         message_id=message_id)
            await session.exec(stmt.on_conflict_do_update(index_elements=["channel", "chat_hash"],
                                                          set_={"message_id": message_id}))
