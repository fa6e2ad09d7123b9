"""Where chibo's log goes, and what may be in it: ids, never personal data or secrets.

chibo's own loggers (bot, handlers, models) log at CHIBO_LOG_LEVEL and never write a name, a
birth date or a note. Libraries are another matter: at DEBUG aiosqlite writes every statement
with its parameters (names, birth dates, notes), python-telegram-bot every message's text,
httpx every URL (and Telegram's URLs hold the bot token). So the root logger, and with it every
library, stays at WARNING whatever level chibo's own lines are at, and the libraries that set
their own level are pinned there too. The handler also hides the secrets of the settings
(tokens, webhook secret, the invite key, a database password) wherever they would appear.
"""

import logging
import sys
from typing import TextIO
from urllib.parse import urlsplit

from bot.config import Settings

CHIBO_LOGGERS = ("bot", "handlers", "models")
# Libraries that log personal data or secrets below WARNING, or that set a level of their own
# (which would otherwise outrank the root's): held at WARNING.
LIBRARY_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy", "alembic", "httpx", "httpcore", "telegram",
                   "apscheduler", "aiohttp", "asyncio", "hpack", "hypercorn", "urllib3")
LIBRARY_LEVEL = logging.WARNING
HIDDEN = "<hidden>"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def secrets_of(settings: Settings) -> list[str]:
    """The values that must never reach a log line."""
    found = [settings.telegram_token, settings.zalo_token, settings.webhook_secret, settings.secret]
    password = urlsplit(settings.database_url).password
    found.append(password)
    # A token's parts (Zalo: "<bot_id>:<secret>"; Telegram: "<bot_id>:<key>") may be logged apart.
    for token in (settings.telegram_token, settings.zalo_token):
        if token and ":" in token:
            found.append(token.split(":", 1)[1])
    return sorted({s for s in found if s and len(s) >= 4}, key=len, reverse=True)


class HideSecrets(logging.Filter):
    """Replaces every secret in a record's message and traceback before it is written."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def _hide(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, HIDDEN)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg, record.args = self._hide(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._hide(record.exc_text)
        if record.stack_info:
            record.stack_info = self._hide(record.stack_info)
        return True


def set_levels(level: str | int) -> None:
    """chibo's loggers at `level`; the root and every library at WARNING, even at DEBUG."""
    logging.getLogger().setLevel(LIBRARY_LEVEL)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(LIBRARY_LEVEL)
    for name in CHIBO_LOGGERS:
        logging.getLogger(name).setLevel(level)


def setup_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """The log of `chibo run`, `chat` and `tick`: one line a record on stderr."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(HideSecrets(secrets_of(settings)))
    logging.getLogger().addHandler(handler)
    set_levels(settings.log_level.upper())
    return handler
