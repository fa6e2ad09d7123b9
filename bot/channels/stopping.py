"""The one stop helper that Zalo's and Telegram's polling share."""

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import Any


class Stopped(Exception):
    """`stop` was set while waiting."""


async def until(stop: asyncio.Event, work: Awaitable[Any]) -> Any:
    """`work`'s result, unless `stop` is set first: then `work` is cancelled and Stopped raised."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not task.done():
            task.cancel()
    if task.done() and not task.cancelled():
        return task.result()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    raise Stopped
