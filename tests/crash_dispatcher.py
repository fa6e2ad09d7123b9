"""A dispatcher in its own process, for the crash test: delivers to a file, one line a message.

    python tests/crash_dispatcher.py DATABASE_URL DELIVERY_FILE RESTART_NUMBER
"""

import asyncio
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.channels.port import Capabilities, Outgoing  # noqa: E402
from bot.clock import Clock, FixedClock  # noqa: E402
from bot.db import make_engine, make_sessions  # noqa: E402
from bot.dispatcher import Dispatcher  # noqa: E402


class FileChannel:
    name = "console"
    capabilities = Capabilities(buttons=False, max_text=2000, rate_overall=1000, rate_per_chat=1000)

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    async def send(self, chat_id: str, message: Outgoing) -> None:
        os.write(self.fd, f"{chat_id}\n".encode())
        os.fsync(self.fd)


async def main(url: str, path: str, hours: int) -> None:
    engine = make_engine(url)
    # 09:00 in Vietnam, then 6 minutes later at each restart: past the 5-minute lease
    clock = FixedClock(Clock().now().replace(hour=2, minute=0) + timedelta(minutes=6 * hours))
    dispatcher = Dispatcher(sessions=make_sessions(engine), channels={"console": FileChannel(path)},
                            clock=clock, batch=3, lease=timedelta(minutes=5))
    await dispatcher.run_until_empty()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
