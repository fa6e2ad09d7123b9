"""The dispatcher: claims due outbox rows, sends each person one message, marks the rows.

A claim is a lease: rows are marked in flight until a time; if this process dies, another
run takes them again after the lease (so the one message in flight at a crash may be sent
twice, and nothing is lost). On PostgreSQL several dispatchers share the work with
FOR UPDATE SKIP LOCKED; on SQLite only one may run (a lock file beside the database).
Nothing is sent in quiet hours. A channel whose monthly quota is spent says until when
(DeliveryError.retry_at): those rows are held until then, not counted as a try, and the
digests and deadline reminders among them fall due first.
A clean stop (`stop()`, at SIGTERM) finishes the message in hand and gives the rest of the
claim back at once, so that another process sends it without waiting for the lease.
"""

import asyncio
import fcntl
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.channels.port import Channel, DeliveryError
from bot.events import Reply
from bot.clock import Clock, local
from bot.private import private_file
from bot.render import render, text_of
from bot.replies import unkept
from models.outbox import FIRST_WHEN_RESUMED, Due, Outbox, OutboxStatus, backoff, enqueue
from models.people import ChatLink, Person
from models.privacy import carried_by, masked
from models.reminders import branch_officers, describe
from models.replies import mark_sent, take_unsent

log = logging.getLogger(__name__)

# Where a person is reached first when they have several chat accounts.
CHANNEL_PREFERENCE = ("zalo", "telegram", "console", "memory")
MAX_ATTEMPTS = 8


class DispatcherBusy(RuntimeError):
    """Another dispatcher already runs on this SQLite database."""


def quiet(moment: datetime, start: time, end: time) -> bool:
    """Is this moment in quiet hours (e.g. 21:00–07:00, Vietnam time)?"""
    now = local(moment).time()
    return now >= start or now < end if start > end else start <= now < end


class SqliteLock:
    """One dispatcher per SQLite file: an OS lock the kernel releases if the process dies."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".dispatcher.lock")
        self.handle = None

    def acquire(self) -> None:
        private_file(self.path)
        handle = open(self.path, "w")  # noqa: SIM115 (held for the life of the dispatcher)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise DispatcherBusy(str(self.path)) from None
        self.handle = handle

    def release(self) -> None:
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class Dispatcher:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        channels: dict[str, Channel],
        clock: Clock,
        quiet_start: time = time(21, 0),
        quiet_end: time = time(7, 0),
        lease: timedelta = timedelta(minutes=5),
        batch: int = 200,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.sessions = sessions
        self.channels = channels
        self.clock = clock
        self.quiet_start, self.quiet_end = quiet_start, quiet_end
        self.lease = lease
        self.batch = batch
        self.sleep = sleep
        self.stopping = False

    def stop(self) -> None:
        """Finish the message in hand, then give back what the run still holds, and claim no more."""
        self.stopping = True

    async def run_until_empty(self) -> int:
        """Send everything due now; returns how many messages went out."""
        sent = 0
        while True:
            done, claimed = await self.run_once()
            sent += done
            if claimed < self.batch or self.stopping:
                return sent

    async def run_once(self) -> tuple[int, int]:
        now = self.clock.now()
        if self.stopping or quiet(now, self.quiet_start, self.quiet_end):
            return 0, 0
        resent = await self.resend_lost_answers()
        claimed = await self._claim(now)
        by_person: dict[int, list[Outbox]] = defaultdict(list)
        for row in claimed:
            by_person[row.person_id].append(row)
        links = await self._links(list(by_person))
        sent, renewed_at, lost = 0, now, set()
        groups = list(by_person.items())
        for i, (person_id, rows) in enumerate(groups):
            if self.stopping:  # a clean stop: the rest go back to the outbox for the others
                await self._release([row for _, later in groups[i:] for row in later if row.id not in lost])
                break
            if self.clock.now() - renewed_at >= self.lease / 2:  # a long batch renews its claim
                lost |= await self._renew([row for _, later in groups[i:] for row in later])
                renewed_at = self.clock.now()
            if any(row.id in lost for row in rows):
                continue  # the lease ran out and another run took these rows: they are its own now
            try:
                sent += await self._deliver(rows, links.get(person_id))
            except Exception:  # a bad row (a template, a value): set aside, never holding back the rest
                log.exception("outbox %s could not be prepared or sent", [r.id for r in rows])  # pragma: no mutate
                await self._set_aside(rows)
        return sent + resent, len(claimed)

    async def resend_lost_answers(self) -> int:
        """Answers to chat messages that a crash kept from being sent (models/replies.py), sent
        now; returns how many answers went out."""
        async with self.sessions() as session, session.begin():
            unsent = await take_unsent(session=session, now=self.clock.now(), channels=list(self.channels))
        done = 0
        for item in unsent:
            channel = self.channels[item.channel]
            try:
                for message in unkept(item.pending):
                    await channel.send(item.chat_id, message)
            except DeliveryError as error:
                if not error.permanent:
                    continue  # taken again after SEND_GRACE
                log.warning("a kept answer could not be delivered on %s: %s", item.channel, error)  # pragma: no mutate
            async with self.sessions() as session, session.begin():
                await mark_sent(session=session, answers=[(item.channel, item.chat_id, item.message_id)])
            done += 1
        return done

    async def _renew(self, rows: list[Outbox]) -> set[int]:
        """Extends the lease of rows this run still holds; returns the ids it no longer holds."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            held = await session.exec(
                sa.update(Outbox).where(Outbox.id.in_([r.id for r in rows]),
                                        Outbox.status == OutboxStatus.in_flight,
                                        Outbox.lease_until == rows[0].lease_until)
                .values(lease_until=now + self.lease).returning(Outbox.id))
            kept = set(held.scalars())
        for row in rows:
            row.lease_until = now + self.lease
        lost = {row.id for row in rows} - kept
        if lost:
            log.warning("outbox %s: the claim ran out and was taken over", sorted(lost))  # pragma: no mutate
        return lost

    async def _release(self, rows: list[Outbox]) -> None:
        """Rows this run claimed and will not send: pending again and due as they were, the claim
        not counted as a try (only those whose lease it still holds)."""
        if rows:
            await self._mark(rows, OutboxStatus.pending, attempts=Outbox.attempts - 1)

    async def _set_aside(self, rows: list[Outbox]) -> None:
        """A row that fails for a reason other than delivery is tried again later like a failed
        send, and after MAX_ATTEMPTS set aside as failed (`chibo outbox` lists it)."""
        if rows[0].attempts >= MAX_ATTEMPTS:
            await self._mark(rows, OutboxStatus.failed, error="internal")
        else:
            await self._retry(rows, "internal")

    async def _claim(self, now: datetime) -> list[Outbox]:
        async with self.sessions() as session, session.begin():
            ready = sa.or_(
                sa.and_(Outbox.status == OutboxStatus.pending, Outbox.due_at <= now),
                sa.and_(Outbox.status == OutboxStatus.in_flight, Outbox.lease_until < now),
            )
            # The longest due first (held rows: digests and deadlines before the rest), then by person.
            stmt = sa.select(Outbox).where(ready).order_by(Outbox.due_at, Outbox.person_id, Outbox.id).limit(self.batch)
            if session.bind.dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            rows = list((await session.exec(stmt)).scalars())
            for row in rows:
                row.status, row.lease_until = OutboxStatus.in_flight, now + self.lease
                row.attempts += 1
            return rows

    async def _links(self, person_ids: list[int]) -> dict[int, tuple[str, str]]:
        if not person_ids:
            return {}
        async with self.sessions() as session:
            rows = (await session.exec(sa.select(ChatLink.person_id, ChatLink.channel, ChatLink.account_id)
                                       .where(ChatLink.person_id.in_(person_ids)))).all()
        best: dict[int, tuple[str, str]] = {}
        rank = {name: i for i, name in enumerate(CHANNEL_PREFERENCE)}
        for person_id, channel, account in rows:
            if channel not in self.channels:
                continue
            current = best.get(person_id)
            if current is None or rank.get(channel, 99) < rank.get(current[0], 99):
                best[person_id] = (channel, account)
        return best

    async def _deliver(self, rows: list[Outbox], link: tuple[str, str] | None) -> int:
        if link is None:
            await self._fail(rows, "no_chat")
            return 0
        channel = self.channels[link[0]]
        async with self.sessions() as session:  # the branches that keep names off this channel
            shown = await carried_by(session, {r.branch_id for r in rows if r.branch_id is not None}, link[0])
        items, bad = [], []
        for row in rows:
            try:
                values = row.values if shown.get(row.branch_id, True) else masked(row.values)
                items.append(text_of(row.template, **describe(row.kind, values)))
            except Exception:
                log.exception("outbox %s could not be written out", row.id)  # pragma: no mutate
                bad.append(row)
        if bad:
            await self._set_aside(bad)
            rows = [row for row in rows if row not in bad]
            if not rows:
                return 0
        messages = render([Reply("reminders/digest", {"items": items})], channel.capabilities)
        try:
            for i, message in enumerate(messages):
                if i:
                    await self.sleep(1 / channel.capabilities.rate_per_chat)
                await channel.send(link[1], message)
        except DeliveryError as error:
            if error.retry_at is not None:
                await self._hold(rows, error.retry_at)
            elif error.permanent or rows[0].attempts >= MAX_ATTEMPTS:
                log.warning("permanent delivery failure on %s (outbox %s): %s",  # pragma: no mutate
                            link[0], rows[0].id, error)  # pragma: no mutate
                await self._fail(rows, str(error)[:80])
            else:
                log.info("delivery failed on %s (outbox %s), will retry: %s",  # pragma: no mutate
                         link[0], rows[0].id, error)  # pragma: no mutate
                await self._retry(rows, str(error)[:80])
            return 0
        await self.sleep(1 / channel.capabilities.rate_overall)
        await self._mark(rows, OutboxStatus.sent, sent_at=self.clock.now())
        return 1

    async def _mark(self, rows: list[Outbox], status: OutboxStatus, **values) -> None:
        """The outcome lands only while this run still holds the rows' lease (a conditional
        update): a run that outlived its lease does not overwrite the run that took over."""
        async with self.sessions() as session, session.begin():
            marked = await session.exec(sa.update(Outbox).where(Outbox.id.in_([r.id for r in rows]),
                                                                Outbox.status == OutboxStatus.in_flight,
                                                                Outbox.lease_until == rows[0].lease_until)
                                        .values(status=status, lease_until=None, **values))
            if marked.rowcount != len(rows):
                log.warning("outbox %s: the lease ran out before its outcome (%s) was recorded",  # pragma: no mutate
                            [r.id for r in rows], status)  # pragma: no mutate

    async def _retry(self, rows: list[Outbox], error: str) -> None:
        await self._mark(rows, OutboxStatus.pending, error=error,
                         due_at=self.clock.now() + backoff(rows[0].attempts))

    async def _hold(self, rows: list[Outbox], until: datetime) -> None:
        """Keep the rows until the channel can send again (its quota is spent), the claim not
        counted as a try; digests and deadlines fall due a minute before the rest."""
        first = any(row.kind in FIRST_WHEN_RESUMED for row in rows)
        log.debug("outbox %s held until %s (quota spent)", rows[0].id, until)  # pragma: no mutate
        await self._mark(rows, OutboxStatus.pending, error="quota", attempts=Outbox.attempts - 1,
                         due_at=until if first else until + timedelta(minutes=1))

    async def _fail(self, rows: list[Outbox], error: str) -> None:
        """Mark the rows failed for good and tell the person's branch secretary, once a day."""
        await self._mark(rows, OutboxStatus.failed, error=error)
        if any(r.kind == "undelivered" for r in rows):
            return  # never report the failure of a failure report
        branch_id = next((r.branch_id for r in rows if r.branch_id), None)
        if branch_id is None:
            return
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            officers = (await branch_officers(session)).get(branch_id, [])
            person = await session.get(Person, rows[0].person_id)
            # Once per person and chat link: a new link (a new invite) starts afresh.
            linked = (await session.exec(sa.select(sa.func.max(ChatLink.linked_at))
                                         .where(ChatLink.person_id == person.id))).scalar()
            since = f"{linked:%Y%m%d%H%M%S}" if linked else "never"

            async def notices():
                for officer in officers:
                    if officer != person.id:
                        yield Due(f"undelivered:p{person.id}:{since}:p{officer}", officer, "undelivered",
                                  "reminders/undelivered", {"full_name": person.full_name}, branch_id)

            await enqueue(session=session, items=notices(), now=now)
