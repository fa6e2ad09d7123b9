"""A chat's Conversation row as the engine reads and writes it, once per message: one SELECT
that also brings who speaks (models/policy.py), and one upsert.

Both are Core statements built once per process and run with bound parameters: a message pays
for neither building, compiling (SQLAlchemy's compiled cache) nor the ORM's identity map and
unit of work, which cost more CPU than the rest of a message together (bench/engine.py)."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from models.conversation import Conversation
from models.policy import ACTOR_COLUMNS, ACTOR_ORDER, Actor, actor_joins, actor_of

# What the engine changes in a chat's row (the rest is its key).
STATE = ("flow", "data", "choices", "updated_at", "pending", "pending_id", "pending_since")


@dataclass
class Chat:
    """Where a chat stands (the Conversation row's values), a plain object the engine changes."""

    channel: str
    chat_id: str
    updated_at: datetime
    flow: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    choices: list[Any] = field(default_factory=list)
    pending: list[Any] | None = None
    pending_id: str | None = None
    pending_since: datetime | None = None


@lru_cache(maxsize=1)
def _read() -> sa.Select:
    table = Conversation.__table__
    anchor = sa.select(sa.literal(1).label("one")).subquery()
    query = sa.select(table.c.channel, *(table.c[name] for name in STATE), *ACTOR_COLUMNS).select_from(anchor)
    query = query.outerjoin(table, sa.and_(table.c.channel == sa.bindparam("channel"),
                                           table.c.chat_id == sa.bindparam("chat_id")))
    return actor_joins(query, channel=sa.bindparam("channel"),
                       account_id=sa.bindparam("account_id")).order_by(*ACTOR_ORDER)


async def read_chat(session: AsyncSession, *, channel: str, chat_id: str, account_id: str,
                    now: datetime) -> tuple[Actor, Chat]:
    """Who wrote and where their chat stands (a new chat: nothing yet), in one round trip."""
    rows = (await session.exec(_read(), params={"channel": channel, "chat_id": chat_id,
                                                 "account_id": account_id})).all()
    first = rows[0]
    if first[0] is None:
        return actor_of(rows), Chat(channel=channel, chat_id=chat_id, updated_at=now)
    return actor_of(rows), Chat(channel, chat_id, **dict(zip(STATE, first[1:1 + len(STATE)], strict=True)))


@lru_cache(maxsize=2)
def _write(dialect: str) -> sa.Insert:
    table = Conversation.__table__
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return insert.on_conflict_do_update(index_elements=[table.c.channel, table.c.chat_id],
                                        set_={name: insert.excluded[name] for name in STATE})


async def write_chat(session: AsyncSession, chat: Chat) -> None:
    """The chat's row as it now stands: made if new (or dropped during the message), else updated."""
    values = {"channel": chat.channel, "chat_id": chat.chat_id, **{name: getattr(chat, name) for name in STATE}}
    await session.exec(_write(session.bind.dialect.name), params=values)
