"""An in-memory channel for tests: it records what each chat was sent."""

from collections import defaultdict

from bot.channels.port import Capabilities, DeliveryError, Outgoing


class MemoryChannel:
    def __init__(self, name: str = "memory", capabilities: Capabilities | None = None) -> None:
        self.name = name
        self.capabilities = capabilities or Capabilities(buttons=False, max_text=2000)
        self.sent: dict[str, list[Outgoing]] = defaultdict(list)
        self.blocked: set[str] = set()

    async def send(self, chat_id: str, message: Outgoing) -> None:
        if chat_id in self.blocked:
            raise DeliveryError("blocked", permanent=True)
        self.sent[chat_id].append(message)
