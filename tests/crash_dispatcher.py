"""A dispatcher in its own process, for the crash test: delivers to a file, one line a message,
and kills itself with SIGKILL at one chosen moment.

    python tests/crash_dispatcher.py DATABASE_URL DELIVERY_FILE RESTART_NUMBER PHASE NTH

PHASE is where the NTH occurrence kills the process ("none": run to the end):
    claiming  the claim's UPDATE is done, its transaction not yet committed
    claimed   the claim is committed, nothing of it sent
    sending   about to send a message (it is not written)
    sent      the message is written, its row not yet marked sent
    marking   the mark's UPDATE is done, its transaction not yet committed
    marked    the mark is committed
"""

import asyncio
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.channels.port import Capabilities, Outgoing  # noqa: E402
from bot.clock import Clock, FixedClock  # noqa: E402
from bot.db import make_engine, make_sessions  # noqa: E402
from bot.dispatcher import Dispatcher  # noqa: E402

PHASES = ("claiming", "claimed", "sending", "sent", "marking", "marked")


class Killer:
    def __init__(self, phase: str, nth: int) -> None:
        self.phase, self.left = phase, nth
        self.in_step: str | None = None  # "claim" or "mark" while that transaction is open

    def reached(self, phase: str) -> None:
        if phase == self.phase:
            self.left -= 1
            if self.left == 0:
                os.kill(os.getpid(), signal.SIGKILL)


class FileChannel:
    name = "console"
    capabilities = Capabilities(buttons=False, max_text=2000, rate_overall=1000, rate_per_chat=1000)

    def __init__(self, path: str, killer: Killer) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        self.killer = killer

    async def send(self, chat_id: str, message: Outgoing) -> None:
        self.killer.reached("sending")
        os.write(self.fd, f"{chat_id}\n".encode())
        os.fsync(self.fd)
        self.killer.reached("sent")


class KilledDispatcher(Dispatcher):
    def __init__(self, killer: Killer, **kw) -> None:
        super().__init__(**kw)
        self.killer = killer

    async def _claim(self, now):
        self.killer.in_step = "claim"
        try:
            rows = await super()._claim(now)
        finally:
            self.killer.in_step = None
        if rows:
            self.killer.reached("claimed")
        return rows

    async def _mark(self, rows, status, **values):
        self.killer.in_step = "mark"
        try:
            await super()._mark(rows, status, **values)
        finally:
            self.killer.in_step = None
        self.killer.reached("marked")


async def main(url: str, path: str, restart: int, killer: Killer) -> None:
    @event.listens_for(Session, "before_commit")
    def before_commit(_session):
        if killer.in_step:
            killer.reached({"claim": "claiming", "mark": "marking"}[killer.in_step])

    engine = make_engine(url)
    # 09:00 in Vietnam, then 6 minutes later at each restart: past the 5-minute lease
    clock = FixedClock(Clock().now().replace(hour=2, minute=0) + timedelta(minutes=6 * restart))
    dispatcher = KilledDispatcher(killer, sessions=make_sessions(engine),
                                  channels={"console": FileChannel(path, killer)},
                                  clock=clock, batch=3, lease=timedelta(minutes=5))
    await dispatcher.run_until_empty()
    await engine.dispose()


if __name__ == "__main__":
    url, path, restart, phase, nth = sys.argv[1:6]
    assert phase in PHASES or phase == "none", phase
    asyncio.run(main(url, path, int(restart), Killer(phase, int(nth))))
