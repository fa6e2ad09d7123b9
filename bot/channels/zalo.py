"""The Zalo channel: the Zalo Bot API behind the channel port.

Serving Zalo (what `chibo run` does when CHIBO_ZALO_TOKEN is set, bot/serve_channels.py),
through the inbound port (port.py Inbound) that Telegram implements too:

    channel = ZaloChannel(ZaloClient(token, base_url=zalo_base_url),         # zalo_client.py
                          greetings=DbGreetings(chibo.transaction, now),     # bot/chat_state.py
                          seen=ProcessedIds(sessions, "zalo", now),          # bot/processed.py
                          quota=zalo_quota(chibo.transaction, settings, now), now=chibo.clock.now)  # bot/quota.py
    await channel.start(lambda incoming: chibo.process(incoming, channel.capabilities))
    # getMe: fails early on a bad token; the bot's id drops its own messages that come back
    await channel.poll(stop_event)  # polling (the default): returns once stop is set, work done
    # or a webhook (CHIBO_PUBLIC_URL set), on the receiver shared with Telegram (webhook.py):
    channel.add_webhook(app, secret=webhook_secret)
    await channel.set_webhook(webhook_url(public_url, channel.webhook_path), webhook_secret)  # once it listens
    ...
    await channel.stop()

Text events go to `process`; images, stickers and unsupported events are answered here with
a short polite note (messages/vi/zalo/not_text.j2). Events sent by the bot itself (its id from
getMe, or `from.is_bot`) are dropped before anything sees them: Zalo may echo the bot's own
messages back as updates, and answering them would never end. Each chat's events are handled
one at a time, in arrival order; chats are handled side by side. Sends are paced (overall and
per chat, pace.py's Pacer) and temporary failures retried by an injected `RetryPolicy` (on
retry.py's shared Backoff). A reply that takes more
than a second to prepare (a report) shows "typing" (sendChatAction) meanwhile; a quick one
does not spend the call. Every message sent counts against the month's `quota`; once it is
spent, reminders (`send`) are refused with DeliveryError.retry_at and wait in the outbox.

Zalo's terms require telling users they talk to an automated system: before the first
answer to a chat, the channel sends messages/vi/zalo/first_contact.j2, unless `greetings`
says that chat was greeted already. `greetings` must outlive the process (bot/chat_state.DbGreetings,
a table), so a restart does not greet everyone again. getUpdates has no offset and may hand
out an event again: text events are dropped as repeats by the engine (their message id is
recorded with their effects), the others by `seen`, which must outlive the process too
(bot/processed.py's ProcessedIds, in the same table).
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.channels.stopping import Stopped, until
from bot.channels.pace import Pacer
from bot.channels.port import Capabilities, DeliveryError, Handler, Incoming, Outgoing, Sent, nothing_kept
from bot.channels.zalo_client import RetryPolicy, ZaloClient, ZaloError, chat_tag
from bot.channels.zalo_events import TEXT, ZALO, ZaloEvent, parse_events
from bot.channels.zalo_webhook import DEFAULT_PATH, add_zalo_webhook
from bot.channels.zalo_support import (
    Greetings, InOrder, MemoryGreetings, MemorySeen, Seen, Sleep,
)
from aiohttp import web

from bot.files import FileLinks
from bot.quota import MemoryCounts, MonthlyQuota
from bot.render import split_text, text_of

log = logging.getLogger(__name__)

MAX_TEXT = 2000
TYPING_TIMES = 12  # "typing" shown at most this often while one reply is prepared
__all__ = ["Greetings", "MemoryGreetings", "MemorySeen", "Seen", "ZaloChannel"]


class ZaloChannel:
    """Zalo behind the port: `send` for the outbox, `run_polling` or `submit` (webhook) for
    incoming events. Inject `sleep` and `monotonic` (pacing) and `retry` to test without time."""

    name = ZALO
    webhook_path = DEFAULT_PATH

    def __init__(
        self,
        client: ZaloClient,
        *,
        greetings: Greetings,
        retry: RetryPolicy | None = None,
        rate_overall: float = 5.0,
        rate_per_chat: float = 1.0,
        poll_timeout: int = 30,
        poll_gap: float = 1.0,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        file_links: FileLinks | None = None,
        bot_id: str | int | None = None,
        seen: Seen | None = None,
        quota: MonthlyQuota | None = None,
        typing_after: float | None = 1.0,
        typing_every: float = 5.0,
        sent: Sent = nothing_kept,
    ) -> None:
        self.client = client
        self.sent = sent
        self.bot_id = str(bot_id) if bot_id not in (None, "") else None  # from getMe
        self.file_links = file_links  # signed links to files, when chibo has a public URL
        self.greetings = greetings
        self.retry = retry or RetryPolicy(sleep=sleep)
        self.capabilities = Capabilities(buttons=False, max_text=MAX_TEXT, markup=None, files=False,
                                         photos=True, rate_overall=rate_overall,
                                         rate_per_chat=rate_per_chat)
        self.poll_timeout = poll_timeout
        self.poll_gap = poll_gap  # seconds at least between polls that brought nothing
        self.sleep, self.monotonic = sleep, monotonic
        self.now = now
        self._pacer = Pacer(rate_overall, rate_per_chat, sleep=sleep, monotonic=monotonic)
        self._in_order = InOrder()
        # Non-text events answered here; text ones the engine dedupes. getUpdates has no offset
        # and may hand out an event again: `seen` must outlive the process (ProcessedIds).
        self.seen = seen or MemorySeen()
        # Every message sent is counted; when the month's quota is spent, `send` (the outbox's
        # way in) holds reminders until the month turns. Replies to a person are still tried.
        self.quota = quota or MonthlyQuota(MemoryCounts(), channel=ZALO, limit=0, now=now)
        # A reply slower than this (a report) shows "typing" first (None: never).
        self.typing_after, self.typing_every = typing_after, typing_every
        self._process: Handler | None = None

    # --- the inbound port (bot/channels/port.py Inbound) -------------------------------

    async def start(self, process: Handler) -> None:
        """getMe (a wrong token fails here; the bot's id drops its own echoed messages);
        `process` answers the text messages."""
        self._process = process
        me = await self.client.get_me()
        if self.bot_id is None and isinstance(me, dict) and me.get("id") not in (None, ""):
            self.bot_id = str(me["id"])

    async def poll(self, stop: asyncio.Event) -> None:
        await self.run_polling(self._started, stop)

    def add_webhook(self, app: web.Application, *, secret: str) -> None:
        add_zalo_webhook(app, self, self._started, secret=secret, path=self.webhook_path)

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.client.set_webhook(url, secret)

    async def stop(self) -> None:
        await self.join()
        await self.quota.close()  # the messages counted and not yet written
        await self.client.aclose()

    async def _started(self, incoming: Incoming) -> list[Outgoing]:
        if self._process is None:
            raise RuntimeError("ZaloChannel.start(process) was not called")
        return await self._process(incoming)

    # --- sending ---------------------------------------------------------------------

    async def send(self, chat_id: str, message: Outgoing) -> None:
        """A reminder (the outbox's way in). When the month's quota is spent it is not sent:
        DeliveryError with `retry_at`, the first moment of the next month."""
        await self._send(chat_id, message, reminder=True)

    async def _send(self, chat_id: str, message: Outgoing, *, reminder: bool) -> None:
        """Text only: a file cannot go through Zalo, so it goes as a signed link that expires
        (with a public URL), or a note says where to get it."""
        texts = split_text(message.text, MAX_TEXT) if message.text.strip() else []
        if message.file is not None and self.file_links is not None:
            link, expires = self.file_links.put(message.file)
            texts.append(text_of("zalo/file_link", name=message.file.name, link=link, expires=expires))
        elif message.file is not None:
            texts.append(text_of("zalo/file_elsewhere", name=message.file.name))
        for text in texts:
            if text.strip():
                await self._deliver_call(chat_id, lambda text=text: self.client.send_message(chat_id, text),
                                         reminder=reminder)

    async def send_photo(self, chat_id: str, photo_url: str, caption: str | None = None) -> None:
        """A photo Zalo can fetch by URL (Zalo takes no uploads); held like a reminder."""
        caption = caption[:MAX_TEXT] if caption else None
        await self._deliver_call(chat_id, lambda: self.client.send_photo(chat_id, photo_url, caption),
                                 reminder=True)

    async def _deliver_call(self, chat_id: str, call: Callable[[], Awaitable[object]], *,
                            reminder: bool) -> None:
        if reminder and await self.quota.spent():
            raise DeliveryError("zalo quota spent", permanent=False, retry_at=self.quota.resumes_at())
        await self._pacer.wait(chat_id)
        try:
            await self.retry.run(call)
        except ZaloError as e:
            if e.quota_spent:  # the month is used up: no retry helps before it turns
                await self.quota.exhausted()
                raise DeliveryError(f"zalo error_code={e.code}: {e.reason}", permanent=False,
                                    retry_at=self.quota.resumes_at()) from None
            permanent = not e.temporary and e.code != 401
            raise DeliveryError(f"zalo error_code={e.code}: {e.reason}", permanent=permanent) from None
        try:
            await self.quota.record()
        except Exception:  # the message is out; a count that failed must not send it twice
            log.warning("a message sent on zalo could not be counted against the quota", exc_info=True)

    async def answer(self, chat_id: str, messages: list[Outgoing]) -> None:
        """Replies to a chat, in order, after the first-contact notice if it is owed."""
        if not messages:
            return
        if not await self.greetings.greeted(chat_id):
            await self._send(chat_id, Outgoing(text_of("zalo/first_contact")), reminder=False)
            await self.greetings.mark_greeted(chat_id)
        for message in messages:
            await self._send(chat_id, message, reminder=False)

    # --- receiving -------------------------------------------------------------------

    def submit(self, body: object, process: Handler) -> list[asyncio.Future]:
        """Queue the events of a getUpdates answer or webhook body; each done future is one
        event handled (replies sent, or the failure logged)."""
        return self._submit(parse_events(body, self.now), process)

    def _submit(self, events: list[ZaloEvent], process: Handler) -> list[asyncio.Future]:
        return [self._in_order.submit(e.incoming.chat_id, lambda e=e: self._handle(e, process))
                for e in events if not self._own(e)]

    def _own(self, event: ZaloEvent) -> bool:
        """Sent by chibo itself (echoed back by Zalo) or by another bot: never answered."""
        if event.from_bot or (self.bot_id is not None and event.incoming.sender_id == self.bot_id):
            log.debug("dropped an event sent by a bot (message %s)", event.incoming.message_id)
            return True
        return False

    async def join(self) -> None:
        """Wait until every event submitted so far has been handled."""
        await self._in_order.join()

    async def _handle(self, event: ZaloEvent, process: Handler) -> None:
        incoming = event.incoming
        if event.kind == TEXT:
            replies = await self._preparing(incoming, process(incoming))
        elif incoming.is_group or not await self.seen.first_time(incoming.message_id):
            replies = []  # in a group chibo speaks only when called; a repeat gets no second note
        else:
            replies = [Outgoing(text_of("zalo/not_text", kind=event.kind))]
        try:
            await self.answer(incoming.chat_id, replies)
            if replies and event.kind == TEXT:
                await self.sent(incoming)
        except DeliveryError as e:
            log.warning("a reply was not delivered (chat %s, permanent=%s): %s",
                        chat_tag(incoming.chat_id), e.permanent, e)

    async def _preparing(self, incoming: Incoming, work: Awaitable[list[Outgoing]]) -> list[Outgoing]:
        """The replies `work` prepares. If that takes longer than `typing_after` seconds (a report,
        say), the chat sees chibo typing, again every `typing_every` seconds while it lasts (at
        most TYPING_TIMES times). A quick answer costs no extra call."""
        task = asyncio.ensure_future(work)
        if incoming.is_group or self.typing_after is None:
            return await task
        wait = self.typing_after
        try:
            for _ in range(TYPING_TIMES):
                timer = asyncio.ensure_future(self.sleep(wait))
                try:
                    await asyncio.wait({task, timer}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    timer.cancel()
                if task.done():
                    break
                with contextlib.suppress(ZaloError):  # only a courtesy: its failure changes nothing
                    await self.client.send_chat_action(incoming.chat_id, "typing")
                wait = self.typing_every
            return await task
        finally:
            task.cancel()  # only if this handling itself was cancelled (then its work is, too)

    async def run_polling(self, process: Handler, stop: asyncio.Event, *,
                          delete_webhook: bool = True) -> None:
        """Long polling until `stop` is set; then waits for the events already taken.
        A temporary failure pauses (as the retry policy says) and polls again; a permanent
        one (a bad token) ends the loop with ZaloError. An answer with nothing in it is no
        failure, but a live getUpdates may give it at once, many times a second: polls that
        bring nothing are kept `poll_gap` seconds apart."""
        try:
            if delete_webhook:  # getUpdates does not work while a webhook is set
                await until(stop, self.retry.run(self.client.delete_webhook))
            failures = 0
            while not stop.is_set():
                asked = self.monotonic()
                try:
                    result = await until(stop, self.client.get_updates(self.poll_timeout))
                except ZaloError as e:
                    if not e.temporary:
                        raise
                    failures += 1
                    await until(stop, self.retry.sleep(self.retry.delay(failures, e)))
                    continue
                failures = 0
                events = parse_events(result, self.now)
                self._submit(events, process)
                wait = self.poll_gap - (self.monotonic() - asked)
                if not events and wait > 0:
                    await until(stop, self.sleep(wait))
        except Stopped:
            pass
        finally:
            await self.join()
