"""Long polling for the Telegram channel, done here rather than by PTB's Updater.

The Updater asks getUpdates for the next offset, which confirms the updates it got, as soon as
it has queued them, before anything handled them: a crash then loses them. Here each batch is
handled completely (the engine committed, the replies sent) before the next getUpdates confirms
it. A crash before that: Telegram hands the batch out again and the engine drops what it had
committed. A clean stop confirms the last batch, so nothing comes twice.
"""

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.channels.stopping import Stopped, until
from bot.channels.telegram_support import retry_after

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]


async def poll(channel: "TelegramChannel", stop: asyncio.Event, *, delete_webhook: bool = True) -> None:
    """Until `stop` is set. Network trouble, 5xx and 429 pause (channel.sleep) and poll again;
    a bad token raises InvalidToken."""
    bot = channel.bot
    offset: int | None = None
    failures = 0
    try:
        if delete_webhook:  # getUpdates does not work while a webhook is set
            await until(stop, channel.retry.run(bot.delete_webhook, "deleteWebhook"))
        while not stop.is_set():
            try:
                updates = await until(stop, bot.get_updates(
                    offset=offset, timeout=channel.poll_timeout, allowed_updates=ALLOWED_UPDATES))
            except InvalidToken:
                raise
            except TelegramError as e:  # Conflict (another poller, a webhook) included
                failures += 1
                pause = retry_after(e) if isinstance(e, RetryAfter) else min(30.0, 2.0 ** (failures - 1))
                log.warning("getUpdates failed (%s), polling again in %.0f s", type(e).__name__, pause)
                await until(stop, channel.sleep(pause))
                continue
            failures = 0
            if updates:
                await asyncio.gather(*channel.submit(list(updates)))
                offset = updates[-1].update_id + 1
    except Stopped:
        pass
    finally:
        await channel.join()
    if offset is not None:
        with contextlib.suppress(TelegramError, TimeoutError):
            await asyncio.wait_for(bot.get_updates(offset=offset, limit=1, timeout=0), 5)
