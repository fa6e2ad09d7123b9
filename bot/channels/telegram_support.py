"""What the Telegram channel needs besides python-telegram-bot's calls: the pace, which keyboard
may still be tapped, the buttons' callback data, deep links, and the retry rules.

The pace: python-telegram-bot's AIORateLimiter limits the bot as a whole (and each group), but
not a private chat; `ChatRateLimiter` adds "at most one message a second to one chat".
"""

import asyncio
import logging
import re
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from telegram.error import (
    BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter, TelegramError,
)
from telegram.ext import AIORateLimiter

from bot.channels.pace import Pacer
from bot.channels.port import DeliveryError
from bot.channels.retry import Backoff
from models.text import fold

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

# --- buttons ---------------------------------------------------------------------------

_DATA = re.compile(r"^c:(/?[A-Za-z0-9]{1,16}(?:-[0-9]{1,9})?)$")


def button_data(typed: int | str) -> str:
    """A button's callback data: what a person would type for it (its number in the keyboard,
    or the choice's key: a register number, a reference such as "TP-7", a word)."""
    return f"c:{fold(str(typed)).replace(' ', '')}"


def button_text(data: object) -> str | None:
    """The text a tapped button stands for, or None for data chibo did not make."""
    match = _DATA.match(data) if isinstance(data, str) else None
    return match.group(1) if match else None


# --- deep links ------------------------------------------------------------------------

_START_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def deep_link(bot_username: str, code: str) -> str:
    """https://t.me/<bot>?start=<code>: one tap sends `/start <code>` to the bot."""
    bot = bot_username.strip().lstrip("@")
    if not bot or not _START_PARAMETER.match(code):
        raise ValueError("a deep link needs a bot username and a code of letters, digits, _ or -")
    return f"https://t.me/{bot}?start={code}"


# --- which keyboard is live ------------------------------------------------------------

class Keyboards(Protocol):
    """Per chat, the message id of the one keyboard that may still be tapped (or None)."""

    async def live(self, chat_id: str) -> int | None: ...

    async def set_live(self, chat_id: str, message_id: int | None) -> None: ...


class MemoryKeyboards:
    """For tests: forgotten when the process ends (then every old keyboard is refused)."""

    def __init__(self) -> None:
        self.chats: dict[str, int] = {}

    async def live(self, chat_id: str) -> int | None:
        return self.chats.get(chat_id)

    async def set_live(self, chat_id: str, message_id: int | None) -> None:
        if message_id is None:
            self.chats.pop(chat_id, None)
        else:
            self.chats[chat_id] = message_id


# --- the pace --------------------------------------------------------------------------

SENDS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})


# Telegram allows about 30 messages a second in all. The pace counts at the sender; a request
# that takes longer than the one after it arrives late, so the window is widened by this margin
# to keep any one second at Telegram's end within the limit.
WINDOW = 1.1


class ChatRateLimiter(AIORateLimiter):
    """PTB's rate limiter hook, paced by the Pacer Zalo uses too: `overall` messages a second
    for the bot as a whole (evenly spread, 30 in any 1.1 s, so no second at Telegram's end
    holds more), plus at most `per_chat` messages a second to one private chat: the next one
    leaves 1/per_chat s after the answer to the previous one came, so Telegram never sees two
    closer than that. 0 turns a limit off. A 429 is not retried here: the channel waits
    `retry_after` with its own (injectable) sleep. The pace runs on the injected `sleep` and
    `monotonic`."""

    def __init__(self, overall: float = 30.0, per_chat: float = 1.0, *, sleep: Sleep = asyncio.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        # AIORateLimiter's own overall limit is off: its bucket allowed 31 or 32 in a second.
        super().__init__(overall_max_rate=0, overall_time_period=0, max_retries=0)
        self.pace = Pacer(overall, per_chat, window=WINDOW, sleep=sleep, monotonic=monotonic)

    @property
    def gap(self) -> float:
        """Seconds between two messages to one private chat (0: no limit)."""
        return self.pace.gap_chat

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint not in SENDS:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        chat = _private_chat(data.get("chat_id"))
        async with self.pace.turn(str(chat) if chat is not None else None):
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def _private_chat(chat_id: object) -> int | None:
    """Private chats have positive ids; groups negative ones, channels '@names'."""
    try:
        chat = int(chat_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return chat if chat > 0 else None


# --- retries ---------------------------------------------------------------------------

_GIVE_UP = (Forbidden, BadRequest, ChatMigrated, InvalidToken)


@dataclass
class Retry(Backoff):
    """Telegram's reading of a failure, on the shared retry (bot/channels/retry.py): temporary
    failures (timeouts, network trouble, 5xx) are tried again after 1, 2, 4, … seconds; a 429
    waits what Telegram says. After `attempts` tries: a temporary DeliveryError. A blocked user
    (403) or a bad request (400) is permanent at once. While a 429's pause runs, every call
    through this policy waits (Telegram asks the bot to slow down, not one message)."""

    cap: float = 30.0
    monotonic: Callable[[], float] = time.monotonic
    _resume_at: float = field(default=float("-inf"), init=False, repr=False)

    async def run(self, call: Callable[[], Awaitable[Any]], what: str) -> Any:
        async def attempt() -> Any:
            pause = self._resume_at - self.monotonic()
            if pause > 0:
                await self.sleep(pause)
            return await call()

        def pause_after(attempt: int, error: BaseException) -> float | None:
            if not isinstance(error, TelegramError) or isinstance(error, _GIVE_UP):
                return None
            if isinstance(error, RetryAfter):  # the pause comes before the next try, for every call
                self._resume_at = max(self._resume_at, self.monotonic() + retry_after(error))
                pause, shown = 0.0, retry_after(error)
            else:  # NetworkError (TimedOut among them), Conflict, anything new: temporary
                pause = shown = self.backoff(attempt)
            if attempt < self.attempts:
                log.info("telegram %s failed (%s), try %d in %.1f s", what, type(error).__name__, attempt + 1, shown)
            return pause

        try:
            return await self.retrying(attempt, pause_after)
        except (Forbidden, BadRequest, ChatMigrated) as e:
            raise DeliveryError(f"telegram {what}: {_short(e)}", permanent=True) from None
        except InvalidToken:
            raise DeliveryError(f"telegram {what}: the token is not valid", permanent=False) from None
        except TelegramError as e:
            raise DeliveryError(f"telegram {what}: {type(e).__name__} after {self.attempts} tries",
                                permanent=False) from None


def retry_after(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # an int in v22, a timedelta later: either is read
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _short(error: TelegramError) -> str:
    return str(error.message)[:80]
