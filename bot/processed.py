"""Platform messages a channel answered itself (an image, a sticker), recorded where the engine
records the ones it handles (ProcessedMessage), so a repeat is dropped by its message id, after
a restart too. A channel gets this as its `seen` and never sees the database."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from models.conversation import ProcessedMessage
from models.sql import dialect_insert


class ProcessedIds:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], channel: str,
                 now: Callable[[], datetime]) -> None:
        self.sessions, self.channel, self.now = sessions, channel, now

    async def first_time(self, message_id: str) -> bool:
        """Record the message; False when it was recorded before."""
        async with self.sessions() as session, session.begin():
            stmt = dialect_insert(session)(ProcessedMessage).values(channel=self.channel, message_id=message_id[:80],
                                                   at=self.now()).on_conflict_do_nothing()
            return (await session.exec(stmt)).rowcount == 1
