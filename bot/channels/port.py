"""The channel port: what every platform turns its updates into, and what it delivers.

A channel knows its platform and nothing else: it never touches the database, and a
handler never knows which channel it talks to.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


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


@dataclass(frozen=True)
class Choice:
    label: str
    value: str


@dataclass(frozen=True)
class Attachment:
    name: str
    mime: str
    data: bytes


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


Handler = Callable[[Incoming], Awaitable[list[Outgoing]]]


class Channel(Protocol):
    name: str
    capabilities: Capabilities

    async def send(self, chat_id: str, message: Outgoing) -> None:
        """Deliver one rendered message; raise DeliveryError when it cannot be."""


class DeliveryError(Exception):
    """A message could not be delivered; `permanent` when retrying cannot help. `retry_at`: not
    before then (a monthly quota spent until the month turns): hold it, it was no failed try."""

    def __init__(self, reason: str, *, permanent: bool, retry_at: datetime | None = None) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.retry_at = retry_at
