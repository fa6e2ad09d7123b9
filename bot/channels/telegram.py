"""The Telegram channel: python-telegram-bot 22 as transport behind the channel port.

Serving Telegram (what `chibo run` does when CHIBO_TELEGRAM_TOKEN is set, bot/serve_channels.py),
through the inbound port (port.py Inbound) that Zalo implements too:

    channel = TelegramChannel.connect(token, base_url=telegram_base_url,
                                      keyboards=DbKeyboards(chibo.transaction),  # bot/chat_state.py
                                      now=chibo.clock.now)
    await channel.start(lambda incoming: chibo.process(incoming, channel.capabilities))  # getMe
    await channel.poll(stop_event)                   # the default; returns once stop is set
    # or a webhook (CHIBO_PUBLIC_URL set), on the receiver shared with Zalo (webhook.py):
    channel.add_webhook(app, secret=webhook_secret)
    await channel.set_webhook(webhook_url(public_url, channel.webhook_path), webhook_secret)
    ...
    await channel.stop()

One python-telegram-bot handler (a TypeHandler) takes every update: a text message or a tapped
button becomes an `Incoming` for the engine, and the replies go back through the Bot. No
ConversationHandler and no PTB persistence: the conversation lives in our database.

Polling is ours (telegram_polling.py), not PTB's Updater, which confirms updates before they
are handled: getUpdates is called again only after every update it returned has been handled and
its replies sent, so a crash loses nothing; Telegram sends the update again and the engine drops
what it already committed.

Buttons: a choice is a button whose callback data is what a person would type for it: its
number ("c:3"), or its key ("c:7" for register number 7, "c:TP-7"); a tap is handed to the engine
as that typed text, which the engine maps to the value of the choices it offered last.
So a tap counts only on the chat's live keyboard, the one on chibo's last answer to that chat,
which is what the engine offered last: anything older or already tapped (a double tap) is
answered with a short notice and its keyboard removed, never given to the engine. A tapped
keyboard is removed at once, and one the person typed past when the next answer goes out.
`keyboards` keeps the live one per chat; it must outlive the process (bot/chat_state.DbKeyboards) so that a
restart does not turn the current question's buttons stale. (A tap is not sent as the choice's
value: values may be long, and the engine reads typed text against the list it offered.)

Groups: only commands are taken (the engine answers that it continues in a private chat);
nothing else is read there and no keyboard is sent there.
"""

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from telegram import (
    BotCommand, BotCommandScopeChat, BotCommandScopeDefault, CallbackQuery, InlineKeyboardButton,
    InlineKeyboardMarkup, Message, Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, BaseRateLimiter, TypeHandler

from bot.events import TELEGRAM  # noqa: F401 (here too: the channel's name)
from bot.channels.port import (
    Attachment, Capabilities, Choice, DeliveryError, Handler, Incoming, Outgoing, Sent, nothing_kept,
)
from bot.channels.telegram_support import (
    ChatRateLimiter, Keyboards, MemoryKeyboards, Retry, Sleep, button_data, button_text,
    deep_link,
)
from bot.channels.telegram_polling import ALLOWED_UPDATES, poll
from bot.channels.telegram_request import AiohttpRequest
from bot.channels.telegram_webhook import DEFAULT_PATH, add_telegram_webhook
from bot.channels.zalo_client import chat_tag
from bot.channels.zalo_support import InOrder, MemorySeen, Seen
from bot.render import split_text, text_of

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_FILE = 10 * 1024 * 1024  # a file a person sends (a register: far smaller); Telegram allows bots 20 MB
MAX_BUTTONS = 100
TAKEN = 10_000  # update ids remembered (in this process) to drop a repeat
PHOTO_LIMIT = 10 * 1024 * 1024
_DEFAULT: Any = object()

__all__ = ["MemoryKeyboards", "TelegramChannel", "bot_username", "build_application",
           "deep_link"]


def build_application(token: str, *, base_url: str | None = None,
                      rate_limiter: BaseRateLimiter | None = None, timeout: float = 15.0) -> Application:
    """A PTB Application used as transport only: no Updater (we poll), no job queue, no persistence,
    its calls on aiohttp (telegram_request.py). `base_url` is the server without "/bot<token>"
    (any Bot-API-compatible server)."""
    times = dict(connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout, pool_timeout=timeout)
    builder = (Application.builder().token(token).updater(None).job_queue(None)
               .request(AiohttpRequest(**times)).get_updates_request(AiohttpRequest(pool_size=1, **times)))
    if base_url:
        base = base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot{{token}}").base_file_url(f"{base}/file/bot{{token}}")
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    ptb = logging.getLogger("telegram")
    if ptb.level == logging.NOTSET:  # PTB's DEBUG lines carry message texts: personal data
        ptb.setLevel(logging.INFO)
    limiter_log = logging.getLogger("telegram.ext.AIORateLimiter")
    if limiter_log.level == logging.NOTSET:  # it logs each 429 with a trace; Retry logs it plainly
        limiter_log.setLevel(logging.CRITICAL)
    return builder.build()


async def bot_username(token: str, *, base_url: str | None = None) -> str:
    """The bot's @username (getMe), for deep links printed outside `chibo run`."""
    application = build_application(token, base_url=base_url)
    await application.initialize()
    try:
        return application.bot.username
    finally:
        await application.shutdown()


class TelegramChannel:
    """Telegram behind the port: `send` for the outbox; `run_polling`, or `submit` (webhook),
    for updates. Inject `sleep` and `monotonic` (pauses and pace) to test without time."""

    name = TELEGRAM
    webhook_path = DEFAULT_PATH

    def __init__(self, application: Application, *, keyboards: Keyboards | None = None,
                 retry: Retry | None = None, rate_overall: float = 30.0, rate_per_chat: float = 1.0,
                 poll_timeout: int = 30, sleep: Sleep = asyncio.sleep,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC), seen: Seen | None = None,
                 sent: Sent = nothing_kept) -> None:
        self.application = application
        self.sent = sent
        # Updates the channel answers itself (not text) are dropped as repeats by their update id
        # here; the engine drops the others by message id. Must outlive the process (ProcessedIds).
        self.seen = seen or MemorySeen()
        self.bot = application.bot
        self.keyboards = keyboards or MemoryKeyboards()
        self.retry = retry or Retry(sleep=sleep)
        self.capabilities = Capabilities(buttons=True, max_text=MAX_TEXT, markup=None, files=True,
                                         photos=True, rate_overall=rate_overall, rate_per_chat=rate_per_chat)
        self.poll_timeout = poll_timeout
        self.sleep = sleep
        self.now = now
        self._process: Handler | None = None
        self._in_order = InOrder()
        self._taken: OrderedDict[int, None] = OrderedDict()  # the last TAKEN update ids
        application.add_handler(TypeHandler(Update, self._on_update))

    @classmethod
    def connect(cls, token: str, *, base_url: str | None = None, rate_overall: float = 30.0,
                rate_per_chat: float = 1.0, rate_limiter: BaseRateLimiter | None = _DEFAULT,
                timeout: float = 15.0, sleep: Sleep = asyncio.sleep,
                monotonic: Callable[[], float] = time.monotonic, **kw: Any) -> "TelegramChannel":
        """A channel with its own Application; by default paced by ChatRateLimiter."""
        if rate_limiter is _DEFAULT:
            rate_limiter = ChatRateLimiter(rate_overall, rate_per_chat, sleep=sleep, monotonic=monotonic)
        application = build_application(token, base_url=base_url, rate_limiter=rate_limiter, timeout=timeout)
        kw.setdefault("retry", Retry(sleep=sleep, monotonic=monotonic))
        return cls(application, rate_overall=rate_overall, rate_per_chat=rate_per_chat, sleep=sleep, **kw)

    async def start(self, process: Handler | None = None) -> None:
        """Calls getMe (a wrong token fails here with InvalidToken); `process` answers updates."""
        self._process = process
        await self.application.initialize()
        # Known from getMe now: the one-tap links beside invite codes (bot/render.py).
        self.capabilities = replace(self.capabilities, bot_username=self.bot.username)

    async def stop(self) -> None:
        await self.join()
        await self.application.shutdown()
        # PTB shuts its requests down only if it was started; the outbox may have sent without.
        await self.bot.request.shutdown()

    async def poll(self, stop: asyncio.Event) -> None:
        """The inbound port's polling: `run_polling`."""
        await self.run_polling(stop)

    def add_webhook(self, app: web.Application, *, secret: str) -> None:
        add_telegram_webhook(app, self, secret=secret, path=self.webhook_path)

    @property
    def username(self) -> str:
        return self.bot.username

    def deep_link(self, code: str) -> str:
        return deep_link(self.username, code)

    # --- sending ---------------------------------------------------------------------

    async def send(self, chat_id: str, message: Outgoing) -> None:
        """Deliver one message (the outbox's way): DeliveryError(permanent=True) when the
        person blocked the bot, permanent=False when Telegram stayed unreachable."""
        await self._deliver(chat_id, message)

    async def _deliver(self, chat_id: str, message: Outgoing) -> int | None:
        """Plain text (no parse_mode: what was typed shows as typed), split under 4096; the
        choices as a keyboard on the last piece; then the file. Returns the keyboard's message id."""
        chat = _chat(chat_id)
        texts = [t for t in split_text(message.text, MAX_TEXT) if t.strip()]
        keyboard = None
        for i, text in enumerate(texts):
            markup = _keyboard(message.choices) if message.choices and i == len(texts) - 1 else None
            sent = await self.retry.run(
                lambda text=text, markup=markup: self.bot.send_message(chat, text, reply_markup=markup),
                "sendMessage")
            if markup is not None:
                keyboard = sent.message_id
        if message.file is not None:
            await self._send_file(chat, message.file)
        return keyboard

    async def _send_file(self, chat: int | str, file: Attachment) -> None:
        if file.mime.startswith("image/") and len(file.data) <= PHOTO_LIMIT:
            await self.retry.run(lambda: self.bot.send_photo(chat, photo=file.data, filename=file.name),
                                 "sendPhoto")
        else:
            await self.retry.run(lambda: self.bot.send_document(chat, document=file.data, filename=file.name),
                                 "sendDocument")

    async def _reply(self, chat_id: str, messages: list[Outgoing]) -> int | None:
        """Replies in order; the id of the last one's keyboard when all went out."""
        keyboard = None
        try:
            for message in messages:
                keyboard = await self._deliver(chat_id, message)
        except DeliveryError as e:
            log.warning("a reply was not delivered (chat %s, permanent=%s): %s",
                        chat_tag(chat_id), e.permanent, e)
            return None
        return keyboard

    async def set_menu(self, chat_id: str | None, commands: list[tuple[str, str]]) -> None:
        """The command menu of one chat (None: everyone's default), e.g. [("/them", "Thêm …")].
        An empty list removes the chat's own menu. Raises DeliveryError like `send`."""
        scope = BotCommandScopeChat(_chat(chat_id)) if chat_id is not None else BotCommandScopeDefault()
        entries = []
        for command, description in commands[:100]:
            name = command.strip().lstrip("/").lower()
            if not name or len(name) > 32 or not all(c.isascii() and (c.isalnum() or c == "_") for c in name):
                log.warning("left a command out of the menu: not a Telegram command name")
                continue
            entries.append(BotCommand(name, description.strip()[:256] or name))
        if entries:
            await self.retry.run(lambda: self.bot.set_my_commands(entries, scope=scope), "setMyCommands")
        else:
            await self.retry.run(lambda: self.bot.delete_my_commands(scope=scope), "deleteMyCommands")

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.retry.run(lambda: self.bot.set_webhook(
            url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES)), "setWebhook")

    # --- receiving -------------------------------------------------------------------

    def parse(self, body: object) -> Update | None:
        """A webhook body as an Update, or None if it is not one."""
        if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
            return None
        try:
            return Update.de_json(body, self.bot)
        except Exception:
            log.warning("ignored a Telegram update that could not be read")
            return None

    def submit(self, updates: list[Update]) -> list[asyncio.Future]:
        """Queue updates; each chat's are handled one at a time in order, chats side by side.
        Each returned future is done when its update was handled (replies sent or logged).
        An update this process has taken already (by its update id: a webhook delivery Telegram
        tried again while the first was still being handled, a batch handed out twice) is
        dropped here; a message that comes again in another update, or after a restart, is
        dropped by the engine (its message id, recorded with its effects)."""
        done = []
        for update in updates:
            if update.update_id in self._taken:
                log.info("dropped Telegram update %s: taken already", update.update_id)
                future = asyncio.get_running_loop().create_future()
                future.set_result(None)
                done.append(future)
                continue
            self._taken[update.update_id] = None
            if len(self._taken) > TAKEN:
                self._taken.popitem(last=False)
            done.append(self._in_order.submit(_chat_key(update),
                                              lambda u=update: self.application.process_update(u)))
        return done

    async def join(self) -> None:
        await self._in_order.join()

    async def _on_update(self, update: Update, context: object) -> None:
        """The one PTB handler."""
        try:
            if update.callback_query is not None:
                await self._tap(update.callback_query)
            elif update.message is not None:
                await self._message(update.message)
        except Exception:
            log.exception("failed to handle Telegram update %s", update.update_id)

    async def _message(self, message: Message) -> None:
        user, chat = message.from_user, message.chat
        if user is None or user.is_bot:
            return
        private = chat.type == ChatType.PRIVATE
        if not private:
            if not message.text or not self._command_for_me(message.text):
                return  # in a group chibo reads only its commands
        elif message.document is not None:
            await self._document(message)
            return
        elif message.text is None:
            if await self.seen.first_time(f"tg:{chat.id}:{message.message_id}"):
                await self._reply(str(chat.id), [Outgoing(text_of("telegram/not_text"))])
            return
        await self._converse(Incoming(
            channel=TELEGRAM, chat_id=str(chat.id), sender_id=str(user.id), text=message.text,
            message_id=f"tg:{chat.id}:{message.message_id}", received_at=self.now(),
            sender_name=user.full_name, is_group=not private,
        ))

    async def _document(self, message: Message) -> None:
        """A file in a private chat: "/nhap" with the file attached (a branch's register, the only
        file chibo takes), the caption after it. Too large a file is refused before downloading."""
        document, chat, user = message.document, message.chat, message.from_user
        if document.file_size is not None and document.file_size > MAX_FILE:
            await self._reply(str(chat.id), [Outgoing(text_of("telegram/file_too_big"))])
            return
        file = await document.get_file()
        data = bytes(await file.download_as_bytearray())
        if len(data) > MAX_FILE:
            await self._reply(str(chat.id), [Outgoing(text_of("telegram/file_too_big"))])
            return
        await self._converse(Incoming(
            channel=TELEGRAM, chat_id=str(chat.id), sender_id=str(user.id),
            text=f"/nhap {message.caption or ''}".strip(), message_id=f"tg:{chat.id}:{message.message_id}",
            received_at=self.now(), sender_name=user.full_name,
            attachment=Attachment(name=document.file_name or "tep", mime=document.mime_type or "", data=data),
        ))

    async def _tap(self, query: CallbackQuery) -> None:
        message = query.message
        typed = button_text(query.data)
        chat_id = str(message.chat.id) if message is not None else None
        live = (await self.keyboards.live(chat_id)
                if chat_id and message.chat.type == ChatType.PRIVATE else None)
        if typed is None or live is None or live != message.message_id:
            await self._quietly(lambda: query.answer(text_of("telegram/old_button")), "answerCallbackQuery")
            if message is not None:
                await self._remove_keyboard(message)
            return
        await self._quietly(query.answer, "answerCallbackQuery")
        await self._remove_keyboard(message)
        await self._converse(Incoming(
            channel=TELEGRAM, chat_id=chat_id, sender_id=str(query.from_user.id), text=typed,
            message_id=f"tg:q:{query.id}", received_at=self.now(), sender_name=query.from_user.full_name,
        ), removed=message.message_id)

    async def _converse(self, incoming: Incoming, removed: int | None = None) -> None:
        """The engine's answer to one message, sent; then the chat's live keyboard is the one on
        the last reply, or none, and the one live before (if not tapped: `removed`) disappears.
        After a crash between the engine's commit and this, the live keyboard is one step behind
        the engine, but the update comes again first (it was not confirmed), the engine drops
        it, answers nothing, and no keyboard is live any more."""
        if self._process is None:
            raise RuntimeError("TelegramChannel.start(process) was not called")
        chat = incoming.chat_id
        if incoming.is_group:
            replies = await self._process(incoming)
            await self._reply(chat, [replace(r, choices=()) for r in replies])
            if replies:
                await self.sent(incoming)
            return
        before = await self.keyboards.live(chat)
        replies = await self._process(incoming)
        keyboard = await self._reply(chat, replies)
        if replies:
            await self.sent(incoming)
        await self.keyboards.set_live(chat, keyboard)
        if before is not None and before not in (removed, keyboard):
            await self._remove_keyboard(_Sent(chat_id=_chat(chat), message_id=before))

    async def _remove_keyboard(self, message: "Message | _Sent") -> None:
        if isinstance(message, Message) and message.reply_markup is None:
            return
        chat_id = message.chat_id if isinstance(message, _Sent) else message.chat.id
        await self._quietly(lambda: self.bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=message.message_id, reply_markup=None), "editMessageReplyMarkup")

    async def _quietly(self, call: Callable[[], Awaitable[Any]], what: str) -> None:
        """One try, for courtesies (answering a tap, removing a keyboard) that may fail."""
        try:
            await call()
        except TelegramError as e:
            log.info("telegram %s failed: %s", what, type(e).__name__)

    def _command_for_me(self, text: str) -> bool:
        head = text.split(maxsplit=1)[0] if text.strip() else ""
        if not head.startswith("/"):
            return False
        _, at, bot = head.partition("@")
        return not at or bot.lower() == (self.bot.username or "").lower()

    # --- polling ---------------------------------------------------------------------

    async def run_polling(self, stop: asyncio.Event, *, delete_webhook: bool = True) -> None:
        """Long polling until `stop` is set (telegram_polling.py); a bad token raises."""
        await poll(self, stop, delete_webhook=delete_webhook)


@dataclass(frozen=True)
class _Sent:
    """A message chibo sent, known by its ids only."""

    chat_id: int | str
    message_id: int


def _chat(chat_id: str) -> int | str:
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def _chat_key(update: Update) -> str:
    chat = update.effective_chat
    return str(chat.id) if chat is not None else "-"


def _keyboard(choices: tuple[Choice, ...]) -> InlineKeyboardMarkup:
    """One button a row; a tap sends what a person would type: the choice's key, or its number."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(choice.label.strip() or str(n), callback_data=button_data(choice.key or n))]
        for n, choice in enumerate(choices[:MAX_BUTTONS], 1)
    ])
