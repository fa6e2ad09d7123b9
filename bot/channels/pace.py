"""The one pacer that Zalo and Telegram share: how fast chibo may send.

At most `overall` messages in any `window` seconds in all, spread evenly (one every
window/overall seconds, no bursts), and `per_chat` a second to any one chat (0: no limit).
Each gap counts from the moment the previous message actually left (to one chat, with `turn`,
from when its answer came), so a late wake-up of the event loop never lets a burst through
(the pace is lost, not caught up: under load chibo sends a little slower than the limit).
One chat's senders wait in turn; other chats are not held up by them. Runs on an injected
`sleep` and `monotonic`, so tests never wait on the wall clock.

A window a little longer than a second (Telegram: 30 in 1.1 s) keeps any second at the
platform's end within the limit when one request takes longer than the one after it.
"""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _Gate:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last: float = float("-inf")


class Pacer:
    def __init__(self, overall: float, per_chat: float = 0.0, *, window: float = 1.0,
                 sleep: Sleep = asyncio.sleep, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.gap_all = window / overall if overall > 0 else 0.0
        self.gap_chat = 1 / per_chat if per_chat > 0 else 0.0
        self.sleep, self.monotonic = sleep, monotonic
        self._all = _Gate()
        self._chats: dict[str, _Gate] = {}

    async def wait(self, chat_id: str | None = None) -> None:
        """Until the next message (to `chat_id`; None: the overall pace only) may leave."""
        async with self.turn(chat_id):
            pass

    @contextlib.asynccontextmanager
    async def turn(self, chat_id: str | None = None) -> AsyncIterator[None]:
        """Send inside: the chat's next message waits until one gap after this block ends
        (after the platform's answer, so it never sees two closer than that)."""
        if chat_id is None or not self.gap_chat:
            await self._overall()
            yield
            return
        gate = self._gate(chat_id)
        async with gate.lock:
            await self._until(gate.last + self.gap_chat)
            await self._overall()
            try:
                yield
            finally:
                gate.last = self.monotonic()

    async def _overall(self) -> None:
        if not self.gap_all:
            return
        async with self._all.lock:
            await self._until(self._all.last + self.gap_all)
            self._all.last = self.monotonic()

    async def _until(self, moment: float) -> None:
        wait = moment - self.monotonic()
        if wait > 0:
            await self.sleep(wait)

    def _gate(self, chat_id: str) -> _Gate:
        if len(self._chats) > 2000:
            now = self.monotonic()
            self._chats = {k: g for k, g in self._chats.items()
                           if g.lock.locked() or g.last + self.gap_chat > now}
        return self._chats.setdefault(chat_id, _Gate())
