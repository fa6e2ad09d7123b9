"""The channel port: what every platform turns its updates into, and what it delivers.

A channel knows its platform and nothing else: it never touches the database, and a
handler never knows which channel it talks to.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.events import Attachment, Capabilities, Choice, Incoming, Outgoing, Reply

if TYPE_CHECKING:
    from aiohttp import web

# The neutral events live in bot/events.py; channels get them here too, with their contract.
__all__ = ["Attachment", "Capabilities", "Channel", "Choice", "DeliveryError", "Handler", "Inbound", "Incoming",
           "Outgoing", "Reply", "Sent", "nothing_kept"]


Handler = Callable[[Incoming], Awaitable[list[Outgoing]]]
# Called once a message's answer has reached the chat: chibo stops keeping it (models/replies.py).
Sent = Callable[[Incoming], Awaitable[None]]


async def nothing_kept(incoming: Incoming) -> None:
    """The `Sent` of a channel used without chibo's database (tests, tools)."""


class Channel(Protocol):
    name: str
    capabilities: Capabilities

    async def send(self, chat_id: str, message: Outgoing) -> None:
        """Deliver one rendered message; raise DeliveryError when it cannot be."""


class Inbound(Channel, Protocol):
    """A channel that takes messages in: what `chibo run` (bot/serve.py) drives, the same way
    for every platform: start, then either poll or take a webhook, then stop."""

    webhook_path: str  # where the platform POSTs, on the server the channels share

    async def start(self, process: Handler) -> None:
        """Connect (a wrong token fails here); from now on `process` answers each message."""

    async def poll(self, stop: asyncio.Event) -> None:
        """Long polling until `stop` is set; returns once the messages taken are handled."""

    def add_webhook(self, app: "web.Application", *, secret: str) -> None:
        """Route POST `webhook_path` of `app` to the channel (the shared receiver, webhook.py)."""

    async def set_webhook(self, url: str, secret: str) -> None:
        """Give the platform the webhook's URL (once the server accepts connections)."""

    async def stop(self) -> None:
        """Finish the messages in hand, then close the connection."""


class DeliveryError(Exception):
    """A message could not be delivered; `permanent` when retrying cannot help. `retry_at`: not
    before then (a monthly quota spent until the month turns): hold it, it was no failed try."""

    def __init__(self, reason: str, *, permanent: bool, retry_at: datetime | None = None) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.retry_at = retry_at
