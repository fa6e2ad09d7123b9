"""A channel's monthly message quota: count what goes out, warn the operator, say when it is spent.

Zalo's Basic plan has been reported as 3,000 outbound messages a calendar month (and a 429
"Quota exceeded" once they are used up). The count is kept per calendar month in Vietnam's
zone, in the database (`DbCounts`) so restarts and several processes share it. The operator
is warned in the log once a month when `warn_percent` of the quota is used, and when it is
spent: by the count, or because the platform said so. A spent quota holds reminders until the
month turns (the channel raises a DeliveryError with `retry_at`, the dispatcher keeps the rows).

`chibo run` counts in batches (`every` seconds): every process adding one to the month's one
row for each message sent would make that row the place where all of them wait for each other,
and cost a transaction a message. A crash loses at most the last second's count, and Zalo
still says 429 when its own count is spent.
"""

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Protocol

from bot.clock import VN, local
from bot.config import Settings
from bot.engine.transaction import Transactions
from models.outbox import add_sent, flag_spent, month_usage

log = logging.getLogger(__name__)


def month_of(moment: datetime) -> date:
    """The first day of the calendar month (Vietnam time) the moment falls in."""
    return local(moment).date().replace(day=1)


def next_month(moment: datetime) -> datetime:
    """The first moment of the next calendar month, Vietnam time (as UTC)."""
    first = month_of(moment)
    first = first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)
    return datetime.combine(first, time(0), VN).astimezone(UTC)


class Counts(Protocol):
    async def add(self, channel: str, month: date, n: int) -> int:
        """Count n more; the month's total."""

    async def flag(self, channel: str, month: date) -> bool:
        """Note the platform called the quota spent; False if noted already."""

    async def usage(self, channel: str, month: date) -> tuple[int, bool]:
        """(sent, flagged) for the month."""


class MemoryCounts:
    """For tests, and a channel without a database: forgotten when the process ends."""

    def __init__(self) -> None:
        self.months: dict[tuple[str, date], list] = {}

    async def add(self, channel: str, month: date, n: int) -> int:
        row = self.months.setdefault((channel, month), [0, False])
        row[0] += n
        return row[0]

    async def flag(self, channel: str, month: date) -> bool:
        row = self.months.setdefault((channel, month), [0, False])
        was, row[1] = row[1], True
        return not was

    async def usage(self, channel: str, month: date) -> tuple[int, bool]:
        sent, flagged = self.months.get((channel, month), (0, False))
        return sent, flagged


class DbCounts:
    """The counts in the `sentcount` table (models/outbox.py)."""

    def __init__(self, transaction: Transactions) -> None:
        self.transaction = transaction

    async def add(self, channel: str, month: date, n: int) -> int:
        async with self.transaction() as tx:
            total = await add_sent(db=tx, channel=channel, month=month, n=n)
            await tx.commit()
        return total

    async def flag(self, channel: str, month: date) -> bool:
        async with self.transaction() as tx:
            flagged = await flag_spent(db=tx, channel=channel, month=month)
            await tx.commit()
        return flagged

    async def usage(self, channel: str, month: date) -> tuple[int, bool]:
        async with self.transaction() as tx:
            found = await month_usage(db=tx, channel=channel, month=month)
            await tx.give_back()
        return found


@dataclass(frozen=True)
class Usage:
    """Where the month stands, for the operator (`chibo outbox`)."""

    month: date
    sent: int
    limit: int  # 0: no quota
    percent: int | None
    warn: bool  # warn_percent or more used
    spent: bool
    resumes: date  # the day a spent quota comes back (Vietnam time)


class MonthlyQuota:
    """`limit` messages a calendar month on `channel` (0: counted, never spent by the count).
    With `every` > 0, what `record` counts is written `every` seconds later, together with what
    came meanwhile; until then this process counts it in `spent` and `usage` (others do not)."""

    def __init__(self, counts: Counts, *, channel: str, limit: int, warn_percent: int = 80,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC), every: float = 0.0,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.counts, self.channel, self.limit, self.now = counts, channel, max(limit, 0), now
        self.warn_at = math.ceil(self.limit * warn_percent / 100) if self.limit else 0
        self.every, self.sleep = every, sleep
        self._unwritten: dict[date, int] = {}  # month: counted here, not yet in `counts`
        self._writing: asyncio.Task | None = None
        self._waiting = False  # the batch's task is in its pause, not writing

    def resumes_at(self) -> datetime:
        return next_month(self.now())

    async def spent(self) -> bool:
        month = month_of(self.now())
        sent, flagged = await self.counts.usage(self.channel, month)
        return flagged or bool(self.limit and sent + self._unwritten.get(month, 0) >= self.limit)

    async def record(self, n: int = 1) -> None:
        """Count messages sent; the warnings come with the count that crosses their line."""
        month = month_of(self.now())
        if self.every <= 0:
            await self._write(month, n)
            return
        self._unwritten[month] = self._unwritten.get(month, 0) + n
        if self._writing is None or self._writing.done():
            self._writing = asyncio.create_task(self._later())

    async def _later(self) -> None:
        self._waiting = True
        try:
            await self.sleep(self.every)
        finally:
            self._waiting = False
        try:
            await self.flush()
        except Exception:  # the database is away: counted again at the next batch
            log.warning("could not count the messages sent on %s against the quota; trying with the next ones",
                        self.channel, exc_info=True)

    async def flush(self) -> None:
        """Write what was counted and not yet written (a failed write keeps it for the next)."""
        unwritten, self._unwritten = self._unwritten, {}
        for month, n in unwritten.items():
            try:
                await self._write(month, n)
            except BaseException:
                self._unwritten[month] = self._unwritten.get(month, 0) + n
                raise

    async def close(self) -> None:
        """Write what is left (at the channel's stop). A batch being written is let finish:
        cancelled after its write committed, it would be counted again."""
        if self._writing is not None and not self._writing.done():
            if self._waiting:
                self._writing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writing
        await self.flush()

    async def _write(self, month: date, n: int) -> None:
        total = await self.counts.add(self.channel, month, n)
        if not self.limit:
            return
        if total - n < self.warn_at <= total < self.limit:
            log.warning("%s has sent %d of its %d messages for %s (%d %%); once all are used, reminders "
                        "wait for the next month", self.channel, total, self.limit, f"{month:%Y-%m}",
                        total * 100 // self.limit)
        if total - n < self.limit <= total:
            log.warning("%s has sent its %d messages for %s: the quota is spent, reminders are held until %s",
                        self.channel, self.limit, f"{month:%Y-%m}", f"{local(self.resumes_at()):%Y-%m-%d}")

    async def exhausted(self) -> None:
        """The platform said the quota is used up (429), whatever the count."""
        month = month_of(self.now())
        if await self.counts.flag(self.channel, month):
            log.warning("%s says the message quota for %s is used up: reminders are held until %s",
                        self.channel, f"{month:%Y-%m}", f"{local(self.resumes_at()):%Y-%m-%d}")

    async def usage(self) -> Usage:
        month = month_of(self.now())
        sent, flagged = await self.counts.usage(self.channel, month)
        sent += self._unwritten.get(month, 0)
        percent = sent * 100 // self.limit if self.limit else None
        return Usage(month=month, sent=sent, limit=self.limit, percent=percent,
                     warn=bool(self.limit and sent >= self.warn_at), spent=await self.spent(),
                     resumes=local(self.resumes_at()).date())


def zalo_quota(transaction: Transactions, settings: Settings,
               now: Callable[[], datetime], every: float = 0.0) -> MonthlyQuota:
    """Zalo's monthly message quota as the settings say, counted in the database (written
    `every` seconds: `chibo run` counts each second's messages together)."""
    return MonthlyQuota(DbCounts(transaction), channel="zalo", limit=settings.zalo_monthly_quota,
                        warn_percent=settings.zalo_quota_warn_percent, now=now, every=every)
