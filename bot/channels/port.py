"""The channel port: what every platform turns its updates into, and what it delivers.

A channel knows its platform and nothing else: it never touches the database, and a
handler never knows which channel it talks to.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from bot.events import Attachment, Capabilities, Choice, Incoming, Outgoing, Reply

# The neutral events live in bot/events.py; channels get them here too, with their contract.
__all__ = ["Attachment", "Capabilities", "Channel", "Choice", "DeliveryError", "Handler", "Incoming", "Outgoing",
           "Reply", "Sent", "nothing_kept"]


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


class DeliveryError(Exception):
    """A message could not be delivered; `permanent` when retrying cannot help. `retry_at`: not
    before then (a monthly quota spent until the month turns): hold it, it was no failed try."""

    def __init__(self, reason: str, *, permanent: bool, retry_at: datetime | None = None) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.retry_at = retry_at
