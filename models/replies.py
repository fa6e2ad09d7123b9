"""Answers kept with their conversation until the channel has sent them.

The engine writes a chat's answer into its Conversation row in the transaction that did the
work (`pending`, the message it answers, since when). The channel clears it once sent
(`mark_sent`). What a crash left behind is taken, a grace period later, by the dispatcher
(`take_unsent`), or sent before the chat's next answer, whichever comes first. An answer
kept less than SEND_GRACE ago may still be on its way (its mark is written in batches): the
next answer is then sent without being kept, so that nothing is ever sent twice. Rows are
taken by a conditional update, so two dispatchers never both send one answer."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from models.conversation import Conversation

# An answer not marked sent this long after it was written is taken to be lost: the process
# that wrote it died before sending (sending one, even a report, takes seconds).
SEND_GRACE = timedelta(minutes=5)


class Kept(Enum):
    nothing = "nothing"
    on_its_way = "on its way"  # written less than SEND_GRACE ago: maybe being sent, or marked soon
    lost = "lost"  # older: the process that wrote it died before sending it


def kept_state(pending: list[Any] | None, since: datetime | None, now: datetime) -> Kept:
    """What became of the answer a conversation keeps, when its chat's next message comes."""
    if not pending or since is None:
        return Kept.nothing
    return Kept.lost if now - since >= SEND_GRACE else Kept.on_its_way


@dataclass(frozen=True)
class Unsent:
    channel: str
    chat_id: str
    message_id: str
    pending: list[Any]


async def mark_sent(*, session: AsyncSession, answers: list[tuple[str, str, str]]) -> None:
    """These answers (channel, chat, the message answered) reached their chats: nothing is kept
    of them any more. One statement for all of them."""
    if not answers:
        return
    connection = await session.connection()  # plain Core: every answer a channel sends comes here
    await connection.execute(_MARK_SENT, {"answers": answers})


_conversations = Conversation.__table__
# Built once: the channels mark every answer they send, and building the statement (and its
# cache key) again each time cost as much as running it.
_MARK_SENT = (sa.update(_conversations)
              .where(sa.tuple_(_conversations.c.channel, _conversations.c.chat_id, _conversations.c.pending_id)
                     .in_(sa.bindparam("answers", expanding=True)))
              .values(pending=None, pending_id=None, pending_since=None))


async def take_unsent(*, session: AsyncSession, now: datetime, channels: list[str],
                      limit: int = 100) -> list[Unsent]:
    """Answers on `channels` written more than SEND_GRACE ago and never marked sent; each one
    taken is given another SEND_GRACE (if this run dies too, the next takes it again)."""
    table = Conversation.__table__
    rows = (await session.exec(
        sa.select(table.c.channel, table.c.chat_id, table.c.pending_id, table.c.pending_since)
        .where(table.c.pending_since < now - SEND_GRACE, table.c.channel.in_(channels))
        .order_by(table.c.pending_since).limit(limit)
    )).all()
    taken = []
    for channel, chat_id, message_id, since in rows:
        claim = (sa.update(table)
                 .where(table.c.channel == channel, table.c.chat_id == chat_id, table.c.pending_id == message_id,
                        table.c.pending_since == since)
                 .values(pending_since=now).returning(table.c.pending))
        pending = (await session.exec(claim)).scalar_one_or_none()
        if pending:
            taken.append(Unsent(channel=channel, chat_id=chat_id, message_id=message_id, pending=pending))
    return taken
