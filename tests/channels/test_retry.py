"""The retry policy Zalo and Telegram share: each platform's reading of a failure decides."""

import pytest

from bot.channels.retry import Backoff
from tests.zalo.fake_zalo import FakeTime


class Flaky(Exception):
    pass


class Broken(Exception):
    pass


def failing(errors: list[Exception]):
    tries: list[int] = []

    async def call():
        tries.append(len(tries) + 1)
        if errors:
            raise errors.pop(0)
        return "ok"

    return call, tries


async def test_temporary_failures_back_off_then_succeed_and_a_permanent_one_is_raised_at_once():
    time = FakeTime()
    policy = Backoff(attempts=4, base=1, factor=2, cap=3, sleep=time.sleep)
    read = lambda attempt, error: policy.backoff(attempt) if isinstance(error, Flaky) else None  # noqa: E731
    call, tries = failing([Flaky(), Flaky(), Flaky()])
    assert await policy.retrying(call, read) == "ok" and tries == [1, 2, 3, 4] and time.slept == [1, 2, 3]
    time.slept.clear()
    call, tries = failing([Flaky(), Broken()])
    with pytest.raises(Broken):
        await policy.retrying(call, read)
    assert tries == [1, 2] and time.slept == [1]


async def test_after_the_last_try_its_error_is_raised_and_a_pause_of_zero_sleeps_not():
    time = FakeTime()
    policy = Backoff(attempts=3, sleep=time.sleep)
    call, tries = failing([Flaky("1"), Flaky("2"), Flaky("3"), Flaky("4")])
    with pytest.raises(Flaky, match="3"):
        await policy.retrying(call, lambda attempt, error: 0.0)
    assert tries == [1, 2, 3] and time.slept == []
