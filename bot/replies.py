"""A rendered answer as JSON and back: what the engine keeps with a conversation until the
channel has sent it (models/replies.py), and sends after a crash. `SentMarks` records, in
batches, that answers went out."""

import asyncio
import base64
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.events import Attachment, Choice, Incoming, Outgoing
from models.replies import mark_sent

log = logging.getLogger(__name__)


def kept(messages: list[Outgoing]) -> list[dict[str, Any]]:
    return [{"text": m.text,
             "choices": [[c.label, c.value, c.key] for c in m.choices],
             "file": None if m.file is None else {
                 "name": m.file.name, "mime": m.file.mime, "data": base64.b64encode(m.file.data).decode()}}
            for m in messages]


def unkept(pending: list[Any] | None) -> list[Outgoing]:
    messages = []
    for item in pending or []:
        file = item.get("file")
        messages.append(Outgoing(
            text=item["text"],
            choices=tuple(Choice(label=c[0], value=c[1], key=c[2] if len(c) > 2 else None)
                          for c in item.get("choices", [])),
            file=None if not file else Attachment(name=file["name"], mime=file["mime"],
                                                  data=base64.b64decode(file["data"]))))
    return messages


class SentMarks:
    """Marks answers sent, together: those the channels report within `every` seconds become one
    statement, not one transaction per message (`every` 0: each at once). A crash loses at most
    those not yet written: their answers go once more after SEND_GRACE, none is lost."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], every: float = 1.0,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.sessions, self.every, self.sleep = sessions, every, sleep
        self.waiting: list[tuple[str, str, str]] = []
        self.task: asyncio.Task | None = None

    async def add(self, incoming: Incoming) -> None:
        self.waiting.append((incoming.channel, incoming.chat_id, incoming.message_id))
        if self.every <= 0:
            await self.flush()
        elif self.task is None or self.task.done():
            self.task = asyncio.create_task(self._later())

    async def _later(self) -> None:
        await self.sleep(self.every)
        try:
            await self.flush()
        except Exception:  # the database is away: those answers are sent again later, never lost
            log.exception("could not record that %d answers were sent", len(self.waiting))

    async def flush(self) -> None:
        answers, self.waiting = self.waiting, []
        if answers:
            async with self.sessions() as session, session.begin():
                await mark_sent(session=session, answers=answers)

    async def close(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        await self.flush()
