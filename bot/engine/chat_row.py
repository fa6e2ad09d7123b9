"""A chat's Conversation row as the engine reads and writes it, once per message: one SELECT
that also brings who speaks (models/policy.py) and whether the message was processed before,
and one upsert that also records the message as processed (ProcessedMessage: a trigger on
SQLite, models/conversation.py; a CTE on PostgreSQL). On SQLite the upsert, the last statement
of the message's transaction, commits it in the same trip to the database (bot/sqlite_driver.py).
On PostgreSQL the read takes the chat's lock and the upsert lets go of it: a message whose
handlers only looked things up begins no transaction, and takes two round trips in all.

Both are Core statements built and compiled once per process (bot/prepared.py) and run on the
message's connection (bot/engine/transaction.py), on SQLite straight on its driver from the
event loop: a message pays for neither building, compiling, SQLAlchemy's execution bookkeeping
nor, unless a handler opened one, a session, which cost more CPU than the rest of a message
together (bench/engine.py)."""

import asyncio
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from bot.engine.transaction import MessageTransaction
from bot.prepared import Prepared
from bot.sqlite_driver import AND_COMMIT
from models.conversation import Conversation, ProcessedMessage
from models.policy import ACTOR_COLUMNS, ACTOR_ORDER, Actor, actor_joins, actor_of

# What the engine changes in a chat's row (the rest is its key).
STATE = ("flow", "data", "choices", "updated_at", "pending", "pending_id", "pending_since", "last_message_id")


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
    last_message_id: str | None = None


# PostgreSQL advisory locks keyed (class, chat): this class number is chibo's chats.
CHAT_LOCK_CLASS = 0x63686174  # "chat"


class Stale(Exception):
    """The chat's row changed between this message's read and its write (PostgreSQL: another
    process wrote it while this one waited for the chat's lock): the message is handled again."""


def chat_lock(channel: str, chat_id: str) -> int:
    """The chat's advisory lock number (two chats whose hashes meet merely wait their turn)."""
    digest = hashlib.sha256(f"{channel}\x1f{chat_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


@lru_cache(maxsize=2)
def _read_statement(dialect: str) -> sa.Select:
    table, processed = Conversation.__table__, ProcessedMessage.__table__
    if dialect == "postgresql":  # the chat's lock, taken here, held until the write lets it go
        lock = sa.func.pg_advisory_lock(sa.bindparam("lock_class"), sa.bindparam("lock_chat"))
        anchor = sa.select(sa.cast(lock, sa.Text).label("one")).subquery()
    else:
        anchor = sa.select(sa.literal(1).label("one")).subquery()
    seen = sa.exists().where(processed.c.channel == sa.bindparam("channel"),
                             processed.c.message_id == sa.bindparam("message_id"))
    query = sa.select(seen.label("seen"), table.c.channel, *(table.c[name] for name in STATE), *ACTOR_COLUMNS)
    query = query.select_from(anchor)
    query = query.outerjoin(table, sa.and_(table.c.channel == sa.bindparam("channel"),
                                           table.c.chat_id == sa.bindparam("chat_id")))
    return actor_joins(query, channel=sa.bindparam("channel"),
                       account_id=sa.bindparam("account_id")).order_by(*ACTOR_ORDER)


async def read_chat(tx: MessageTransaction, *, channel: str, chat_id: str, account_id: str, message_id: str,
                    now: datetime) -> tuple[bool, Actor, Chat]:
    """Whether `message_id` was processed before (a repeat), who wrote, and where their chat
    stands (a new chat: nothing yet), in one round trip on the message's connection.

    On PostgreSQL the same statement takes the chat's lock across processes (for the session,
    not the transaction: it begins none, and the message's write lets go of the lock; so does
    the transaction on its way out, if the message stops before its write). What it reads is
    what was committed when it began, perhaps before the lock came: if another process wrote
    the chat meanwhile, the write (write_chat) finds the row changed and raises Stale."""
    params = {"channel": channel, "chat_id": chat_id, "account_id": account_id, "message_id": message_id}
    if tx.dialect.name == "postgresql":
        tx.chat_lock = (CHAT_LOCK_CLASS, chat_lock(channel, chat_id))  # let go on the way out, if not by the write
        params.update(lock_class=CHAT_LOCK_CLASS, lock_chat=tx.chat_lock[1])
    rows = await tx.rows(_read_statement(tx.dialect.name), params)
    first = rows[0]
    if first[1] is None:
        return bool(first[0]), actor_of(rows), Chat(channel=channel, chat_id=chat_id, updated_at=now)
    state = dict(zip(STATE, first[2:2 + len(STATE)], strict=True))
    return bool(first[0]), actor_of(rows), Chat(channel, chat_id, **state)


@lru_cache(maxsize=4)
def _write(dialect: Dialect) -> Prepared:
    return Prepared.of(_write_statement(dialect.name), dialect, column_keys=("channel", "chat_id", *STATE))


@lru_cache(maxsize=2)
def _write_statement(dialect: str) -> sa.Insert | sa.Select:
    table = Conversation.__table__
    if dialect == "postgresql":
        # One statement that records the message as processed, writes the row and lets go of the
        # chat's lock: where the message began no transaction (nothing but lookups before it), it
        # commits itself, and the message took two round trips in all (read_chat's and this one).
        # It gives one row: how many rows it wrote (0 or 1) and whether the lock was held.
        insert = postgresql.insert(table).values(
            {name: sa.bindparam(name, type_=table.c[name].type) for name in ("channel", "chat_id", *STATE)})
        # Only over the row as it was read: a row changed since (or made, for a chat read as
        # new) is left alone, and the message is handled again (Stale).
        unchanged = table.c.last_message_id.is_not_distinct_from(sa.bindparam("read_last", type_=sa.String))
        written = (insert.on_conflict_do_update(index_elements=[table.c.channel, table.c.chat_id],
                                                set_={name: insert.excluded[name] for name in STATE}, where=unchanged)
                   .returning(sa.literal(1).label("one")).cte("written"))
        # The message is recorded as processed only with the row: a message whose write was
        # refused (Stale) is handled again, not dropped as a repeat (this statement commits
        # itself, with or without the row, where it began no transaction).
        processed = ProcessedMessage.__table__
        recorded = sa.select(sa.bindparam("seen_channel", type_=processed.c.channel.type),
                             sa.bindparam("seen_id", type_=processed.c.message_id.type),
                             sa.bindparam("seen_at", type_=processed.c.at.type)).select_from(written)
        seen = (postgresql.insert(processed).from_select(["channel", "message_id", "at"], recorded)
                .on_conflict_do_nothing().cte("seen"))
        unlock = sa.func.pg_advisory_unlock(sa.bindparam("lock_class"), sa.bindparam("lock_chat"))
        return sa.select(sa.select(sa.func.count()).select_from(written).scalar_subquery().label("written"),
                         unlock.label("unlocked")).add_cte(seen)
    # SQLite: one process, whose asyncio lock keeps a chat's messages apart. The trigger records
    # the message; the write commits in the trip that carries it.
    insert = sqlite.insert(table).prefix_with(AND_COMMIT)
    return insert.on_conflict_do_update(index_elements=[table.c.channel, table.c.chat_id],
                                        set_={name: insert.excluded[name] for name in STATE})


async def write_chat(tx: MessageTransaction, chat: Chat, *, read_last: str | None) -> None:
    """The chat's row as it now stands (made if new, or dropped during the message, else updated),
    its last message recorded as processed; `read_last` is the row's last_message_id as read.
    The last statement of the message's transaction: it commits the transaction (on SQLite in
    the statement's own trip) and gives the connection back, the session first if a handler
    opened one. On Stale neither: the transaction stays open for the caller to roll back."""
    values = {"channel": chat.channel, "chat_id": chat.chat_id, **{name: getattr(chat, name) for name in STATE}}
    statement = _write(tx.dialect)
    session = tx.opened_session
    if tx.dialect.name == "postgresql":
        if tx.chat_lock is None:
            raise RuntimeError("the chat's write without its read")
        values.update(seen_channel=chat.channel, seen_id=chat.last_message_id, seen_at=chat.updated_at,
                      read_last=read_last, lock_class=tx.chat_lock[0], lock_chat=tx.chat_lock[1])
    alone = await _written_alone(tx, statement, values) if session is None else None
    if alone is not None:  # committed by the statement itself
        tx.chat_lock = None  # PostgreSQL: let go by the write, whether it wrote or not
        if not alone:
            raise Stale
        await tx.give_back()
        return
    if session is not None:  # what the handlers left pending goes first, and the session's commit ends it all
        written = await session.run_sync(_run_in_session, statement, values, tx.connection.sync_connection)
    else:
        written = await tx.connection.run_sync(_run_alone, statement, values)
    tx.chat_lock = None  # PostgreSQL: let go by the write, whether it wrote or not
    if not written:
        raise Stale
    tx.closed = True
    await asyncio.sleep(0)  # as give_back does: this task does not jump the pool's queue


async def _written_alone(tx: MessageTransaction, statement: Prepared, values: dict[str, Any]) -> bool | None:
    """Whether the write wrote its row, where it runs straight on the driver and commits itself
    (SQLite: in its statement's trip; PostgreSQL: where nothing but lookups ran before it, so no
    transaction is open); None where it must be committed with what the handlers began."""
    if (driver := tx.loop_driver) is not None:
        return await statement.run_on(driver, values) == 1
    if not tx.driver.is_in_transaction():
        [(written, _held)] = await statement.fetch_asyncpg(tx.driver, values)
        return bool(written == 1)
    return None


def _run_in_session(session: Session, statement: Prepared, params: dict[str, Any], connection: sa.Connection) -> bool:
    """The write, after what the handlers left pending (as the session's own execute would flush
    it first), then commit, close the session and give the connection back; False (nothing
    committed) if it wrote no row (PostgreSQL: the row changed since it was read; SQLite's
    upsert always writes one)."""
    session.flush()
    if not _wrote(statement, connection, params):
        return False
    session.commit()
    session.close()
    connection.close()
    return True


def _run_alone(connection: sa.Connection, statement: Prepared, params: dict[str, Any]) -> bool:
    """The write where no handler opened a session: committed at the driver, whose transaction
    the read began (SQLAlchemy's Connection never began one), and the connection given back;
    False (nothing committed) if it wrote no row, as for `_run_in_session`."""
    if not _wrote(statement, connection, params):
        return False
    connection.connection.commit()
    connection.close()
    return True


def _wrote(statement: Prepared, connection: sa.Connection, params: dict[str, Any]) -> bool:
    """Whether the chat's write wrote its row (PostgreSQL's statement says so in its one row)."""
    if connection.dialect.name == "postgresql":
        [(written, _held)] = statement.fetch(connection, params)
        return bool(written == 1)
    return statement.run(connection, params) == 1
