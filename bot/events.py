"""The neutral events: what a person sent, what chibo answers, and what a channel can show.

Handlers, the engine and rendering speak only these; the channels in bot/channels/ turn them
into a platform's calls and back (bot/channels/port.py is their side of the contract).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# The channels' names (Incoming.channel), here so that handlers need not import a channel.
CONSOLE, TELEGRAM, ZALO = "console", "telegram", "zalo"


@dataclass(frozen=True)
class Attachment:
    name: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class Incoming:
    """One message from a person, whatever the platform."""

    channel: str
    chat_id: str
    sender_id: str
    text: str
    message_id: str
    received_at: datetime
    sender_name: str | None = None
    is_group: bool = False
    attachment: Attachment | None = None  # a file sent with the message (Telegram: a document)


@dataclass(frozen=True)
class Choice:
    """One answer offered. Without a key a choice is typed by its place in the list (1, 2, …).
    With a key (a register number "7", a reference "TP-7", a word "tiep") it is typed by that
    key, which the list shows instead of its place: on one screen a number means one thing."""

    label: str
    value: str
    key: str | None = None


@dataclass(frozen=True)
class Reply:
    """What a handler answers: a template key with its values, and maybe choices or a file."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    file: Attachment | None = None


@dataclass(frozen=True)
class Outgoing:
    """A reply rendered for one channel: text within its limits, choices, a file."""

    text: str
    choices: tuple[Choice, ...] = ()
    file: Attachment | None = None


@dataclass(frozen=True)
class Capabilities:
    buttons: bool
    max_text: int
    markup: str | None = None  # "html" on Telegram; None: plain text
    files: bool = False
    photos: bool = False
    rate_overall: float = 30.0  # messages per second
    rate_per_chat: float = 1.0
    # Telegram: the bot's @username once known (getMe), for one-tap links (t.me/<bot>?start=CODE)
    # shown beside an invite's code; None elsewhere. Templates see it as `bot_username`.
    bot_username: str | None = None
