"""What the Zalo channel needs besides the API: who was greeted, which events it answered, the order.

Nothing here knows Zalo; it is kept apart so that zalo.py reads as the channel alone.
"""

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.channels.zalo_client import chat_tag

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
