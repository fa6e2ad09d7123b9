"""Time as an injected dependency: production reads the wall clock, tests set it.

Times are aware UTC datetimes (stored as such); rules work on dates in Vietnam's zone.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return local(self.now()).date()


@dataclass
class FixedClock(Clock):
    """A clock that moves only when told to (tests, `chibo tick --at`)."""

    current: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 2, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def local(moment: datetime) -> datetime:
    """A moment as the clock on the wall in Vietnam shows it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN)


def vn_time(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment given as Vietnam's local time, in UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=VN).astimezone(UTC)
