"""The console channel: a terminal or a pipe, plain text and numbered choices, like Zalo.

With stdin not a terminal it reads one message per line, prints each reply as soon
as it is ready (flushed), and ends at the end of input.
"""

import asyncio
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.events import CONSOLE  # noqa: F401 (here too: the channel's name)
from bot.channels.port import Capabilities, Incoming, Outgoing, Sent, nothing_kept
from bot.private import private_dir, write_private
from bot.render import text_of



class ConsoleChannel:
    name = CONSOLE
    capabilities = Capabilities(buttons=False, max_text=2000)

    def __init__(self, out: TextIO | None = None, *, show_recipient: bool = False,
                 files_dir: Path | None = None) -> None:
        self.out = out or sys.stdout
        self.show_recipient = show_recipient
        self.files_dir = files_dir  # where a file sent to the console is saved (owner-only)

    async def send(self, chat_id: str, message: Outgoing) -> None:
        head = f"[{chat_id}] " if self.show_recipient else ""
        text = message.text
        if message.file is not None:
            text = "\n".join(t for t in (text.strip(), self._saved(message.file)) if t)
        self.out.write(f"{head}{text}\n\n")
        self.out.flush()

    def _saved(self, file) -> str:
        """A terminal cannot show a file: it is saved in the data folder and its path shown."""
        if self.files_dir is None:
            return text_of("console/file_not_saved", name=file.name)
        path = private_dir(self.files_dir) / Path(file.name).name
        write_private(path, file.data)
        return text_of("console/file_saved", name=file.name, path=str(path))

    async def chat(
        self,
        account: str,
        handle: Callable[[Incoming], Awaitable[list[Outgoing]]],
        now: Callable[[], datetime],
        source: TextIO | None = None,
        sent: Sent = nothing_kept,
    ) -> None:
        source = source or sys.stdin
        interactive = source.isatty()
        while True:
            if interactive:
                self.out.write("> ")
                self.out.flush()
            line = await asyncio.to_thread(source.readline)
            if not line:
                break
            text = line.rstrip("\n")
            if not text.strip():
                continue
            incoming = Incoming(channel=CONSOLE, chat_id=account, sender_id=account, text=text,
                                message_id=uuid.uuid4().hex, received_at=now(), sender_name=account)
            replies = await handle(incoming)
            for message in replies:
                await self.send(account, message)
            if replies:
                await sent(incoming)
