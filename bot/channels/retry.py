"""The one retry policy that Zalo and Telegram share, on tenacity.

A call is tried up to `attempts` times; after a failure the platform's reading of it
(`pause_after`) says whether to try again and after how long: the growing backoff (1, 2, 4, …
seconds, at most `cap`), a pause the platform asked for (Telegram's retry_after), or not at all
(a blocked user, a bad request: the error goes to the caller at once). After the last try, its
error goes to the caller. The pauses run on the injected `sleep`, so tests never wait.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tenacity import AsyncRetrying, RetryCallState, stop_after_attempt

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
# After failed attempt number n (1, 2, …) with this error: the pause before trying again, or
# None to give up (the error is raised).
PauseAfter = Callable[[int, BaseException], float | None]


@dataclass
class Backoff:
    attempts: int = 5
    base: float = 1.0
    factor: float = 2.0
    cap: float = 60.0
    sleep: Sleep = field(default=asyncio.sleep)

    def backoff(self, attempt: int) -> float:
        """The growing pause after failed attempt number `attempt`."""
        return min(self.cap, self.base * self.factor ** (attempt - 1))

    async def retrying(self, call: Callable[[], Awaitable[T]], pause_after: PauseAfter) -> T:
        pauses: dict[int, float] = {}

        def again(state: RetryCallState) -> bool:
            error = state.outcome.exception() if state.outcome is not None else None
            if error is None:
                return False
            pause = pause_after(state.attempt_number, error)
            if pause is None:
                return False
            pauses[state.attempt_number] = pause
            return True

        async for attempt in AsyncRetrying(stop=stop_after_attempt(self.attempts), retry=again,
                                           wait=lambda state: pauses.get(state.attempt_number, 0.0),
                                           sleep=self._pause, reraise=True):
            with attempt:
                return await call()
        raise AssertionError("unreachable")  # tenacity returns or raises above

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:  # no pause: no call (tests count the pauses)
            await self.sleep(seconds)
