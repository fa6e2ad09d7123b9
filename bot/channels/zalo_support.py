"""What the Zalo channel needs besides the API: who was greeted, the pace, the order.

Nothing here knows Zalo; it is kept apart so that zalo.py reads as the channel alone.
"""

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Protocol

from bot.channels.zalo_client import chat_tag
from bot.private import private_file

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class Greetings(Protocol):
    """Which chats were already told that chibo is an automated assistant."""

    async def greeted(self, chat_id: str) -> bool: ...

    async def mark_greeted(self, chat_id: str) -> None: ...


class MemoryGreetings:
    """For tests: forgets everything when the process ends."""

    def __init__(self) -> None:
        self.chats: set[str] = set()

    async def greeted(self, chat_id: str) -> bool:
        return chat_id in self.chats

    async def mark_greeted(self, chat_id: str) -> None:
        self.chats.add(chat_id)


class FileGreetings:
    """Greeted chats in a text file, one hash per line (no chat ids at rest)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._known: set[str] | None = None

    def _hashes(self) -> set[str]:
        if self._known is None:
            lines = self.path.read_text().split() if self.path.exists() else []
            self._known = set(lines)
        return self._known

    @staticmethod
    def _hash(chat_id: str) -> str:
        return hashlib.sha256(f"zalo:{chat_id}".encode()).hexdigest()

    async def greeted(self, chat_id: str) -> bool:
        return self._hash(chat_id) in self._hashes()

    async def mark_greeted(self, chat_id: str) -> None:
        digest = self._hash(chat_id)
        if digest not in self._hashes():
            private_file(self.path)
            with self.path.open("a") as f:
                f.write(digest + "\n")
            self._hashes().add(digest)


class Seen(Protocol):
    """The messages the channel answered itself (not through the engine), by message id."""

    async def first_time(self, message_id: str) -> bool:
        """Note the message; False when it was noted before (a repeat: answer it no more)."""


class MemorySeen:
    """The last `size` message ids, for this process only (a restart forgets them)."""

    def __init__(self, size: int = 1000) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    async def first_time(self, message_id: str) -> bool:
        if message_id in self._ids:
            return False
        self._ids[message_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


class Pacer:
    """At most `overall` messages a second in all, and `per_chat` to any one chat (0: no limit).
    Each send reserves the next free moment, so waiting senders go out in turn."""

    def __init__(self, overall: float, per_chat: float, sleep: Sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.gap_all = 1 / overall if overall > 0 else 0.0
        self.gap_chat = 1 / per_chat if per_chat > 0 else 0.0
        self.sleep, self.monotonic = sleep, monotonic
        self._next_all = 0.0
        self._next_chat: dict[str, float] = {}

    async def wait(self, chat_id: str) -> None:
        now = self.monotonic()
        at = max(now, self._next_all, self._next_chat.get(chat_id, 0.0))
        self._next_all = at + self.gap_all
        if len(self._next_chat) > 10_000:
            self._next_chat = {k: v for k, v in self._next_chat.items() if v > now}
        self._next_chat[chat_id] = at + self.gap_chat
        if at > now:
            await self.sleep(at - now)


class InOrder:
    """Jobs with the same key run one at a time, in the order given; other keys run alongside."""

    def __init__(self) -> None:
        self._queues: dict[str, deque[tuple[Callable[[], Awaitable[None]], asyncio.Future]]] = {}
        self._workers: set[asyncio.Task] = set()

    def submit(self, key: str, job: Callable[[], Awaitable[None]]) -> asyncio.Future:
        done = asyncio.get_running_loop().create_future()
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque()
            worker = asyncio.create_task(self._drain(key, queue))
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)
        queue.append((job, done))
        return done

    async def _drain(self, key: str, queue: deque) -> None:
        try:
            while queue:
                job, done = queue.popleft()
                try:
                    await job()
                except Exception:
                    log.exception("a job failed (key %s)", chat_tag(key))
                if not done.done():
                    done.set_result(None)
        finally:
            self._queues.pop(key, None)
            for _, done in queue:
                done.cancel()

    async def join(self) -> None:
        while self._workers:
            await asyncio.gather(*list(self._workers), return_exceptions=True)
