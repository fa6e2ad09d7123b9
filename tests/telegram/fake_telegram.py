"""A fake Telegram Bot API server on 127.0.0.1 (aiohttp, port 0) for the real python-telegram-bot.

It keeps what Telegram keeps: updates until a later getUpdates' offset confirms them (so an
update handed out and never confirmed comes again), and each chat's messages with their
keyboards and ids (one sequence per chat for both sides, as in a private chat), so that a test
taps the buttons the bot really sent. It records every request and injects faults per method:
an HTTP status, a hang (the client times out), 429 with retry_after, 403. Tests wait for
requests on asyncio conditions, never on the clock.
"""

import asyncio
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_support import ChatRateLimiter, MemoryKeyboards, Retry
from tests.zalo.fake_zalo import FakeTime

TOKEN = "7100000001:AAFakeTokenForChiboTests-0123456789"
BOT = {"id": 7100000001, "is_bot": True, "first_name": "chibo", "username": "chibo_test_bot",
       "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
DATE = 1772416800  # 2 March 2026, 09:00 in Hà Nội
SAFETY = 10  # seconds: only so that a broken test fails instead of hanging
# PTB 22 warns, inside its own RetryAfter, that retry_after will become a timedelta.
PTB_RETRY_AFTER_WARNING = "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
INTS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout"})
JSONS = frozenset({"reply_markup", "scope", "commands", "allowed_updates", "link_preview_options"})


@dataclass
class Fault:
    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    hang: bool = False


@dataclass
class Request:
    method: str
    body: dict[str, Any]
    at: float = 0.0  # when it came: the server's `clock` (by default the loop's)


class FakeTelegram:
    def __init__(self, token: str = TOKEN, *, clock=None) -> None:
        self.token = token
        self.clock = clock  # e.g. FakeTime.monotonic: arrivals on the time the sender paces by
        self.requests: list[Request] = []
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        self.blocked: set[int] = set()
        self.pending: list[dict] = []  # updates handed out or not, until confirmed
        self.messages: dict[tuple[int, int], dict] = {}  # what the bot sent, as it is now
        self.webhook: dict[str, Any] = {"url": ""}
        self.files: dict[str, bytes] = {}  # what people sent, by file_id (getFile, then a download)
        self._update_ids = itertools.count(5001)
        self._message_ids: dict[int, itertools.count] = defaultdict(lambda: itertools.count(1))
        self._changed = asyncio.Condition()
        self._new = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- updates a test makes ------------------------------------------------------------

    def message(self, chat_id: int, text: str | None, *, name: str = "Lê Thị Thu", user_id: int | None = None,
                chat_type: str = "private", **content: Any) -> dict:
        """An update: a person sends `text` (None: a sticker) in a chat."""
        first, _, last = name.rpartition(" ")
        user = {"id": user_id or chat_id, "is_bot": False, "first_name": last, "last_name": first or None}
        chat = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": last} if chat_type == "private" else {"title": "Chi bộ (nhóm)"})
        message = {"message_id": self._next_message_id(chat_id), "date": DATE, "chat": chat, "from": user,
                   **content}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        elif "document" not in content:
            message.setdefault("sticker", {"file_id": "s1", "file_unique_id": "s1", "type": "regular",
                                           "width": 512, "height": 512, "is_animated": False, "is_video": False})
        return {"update_id": next(self._update_ids), "message": message}

    def document(self, chat_id: int, name: str, data: bytes, *, caption: str | None = None,
                 size: int | None = None, **kw: Any) -> dict:
        """An update: a person sends a file (kept here for getFile and its download); `size`: the
        size Telegram announces, if not the data's."""
        file_id = f"doc{len(self.files) + 1}"
        self.files[file_id] = data
        extra = {"caption": caption} if caption else {}
        return self.message(chat_id, None, document={"file_id": file_id, "file_unique_id": file_id, "file_name": name,
                                                    "file_size": len(data) if size is None else size}, **extra, **kw)

    def tap(self, chat_id: int, button: int | str, *, message_id: int | None = None,
            name: str = "Lê Thị Thu") -> dict:
        """An update: the person taps a button (its number, or the start of its label) on the
        keyboard of `message_id`, by default the newest message that shows one."""
        message = self.messages[(chat_id, message_id)] if message_id else self.keyboard(chat_id)
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        if isinstance(button, int):
            chosen = buttons[button - 1]
        else:
            chosen = next(b for b in buttons if b["text"].startswith(button))
        first, _, last = name.rpartition(" ")
        return {"update_id": next(self._update_ids), "callback_query": {
            "id": f"q{next(self._update_ids)}", "chat_instance": f"ci{chat_id}", "data": chosen["callback_data"],
            "from": {"id": chat_id, "is_bot": False, "first_name": last, "last_name": first or None},
            "message": json.loads(json.dumps(message)),
        }}

    def queue(self, *updates: dict) -> None:
        """Updates for getUpdates, numbered as they arrive (as Telegram numbers them)."""
        for update in updates:
            update["update_id"] = next(self._update_ids)
        self.pending.extend(updates)
        self._new.set()

    def fail(self, method: str, times: int = 1, **fault: Any) -> None:
        self.faults[method].extend(Fault(**fault) for _ in range(times))

    # --- what a test reads ---------------------------------------------------------------

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.method == method]

    def sent(self, chat_id: int) -> list[dict]:
        """The messages the bot sent to a chat, oldest first, as they are now."""
        return [m for (chat, _), m in sorted(self.messages.items()) if chat == chat_id]

    def texts(self, chat_id: int) -> list[str]:
        return [m["text"] for m in self.sent(chat_id) if "text" in m]

    def arrivals(self, method: str = "sendMessage") -> list[float]:
        """When each request of `method` came, in order."""
        return sorted(r.at for r in self.requests if r.method == method)

    def keyboard(self, chat_id: int) -> dict:
        """The newest message of the chat that still shows a keyboard."""
        return next(m for m in reversed(self.sent(chat_id)) if m.get("reply_markup"))

    async def wait_for(self, method: str, count: int = 1) -> list[dict[str, Any]]:
        """Until `count` requests of `method` have come (answered or not)."""
        await self.wait_until(lambda: len(self.calls(method)) >= count)
        return self.calls(method)

    async def confirmed(self, update_id: int) -> None:
        """Until a getUpdates confirms `update_id`: the bot handled it and asks for what follows."""
        await self.wait_until(lambda: any((b.get("offset") or 0) > update_id for b in self.calls("getUpdates")))

    async def wait_until(self, ready) -> None:
        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(ready)
        await asyncio.wait_for(until(), SAFETY)

    # --- the server ----------------------------------------------------------------------

    async def start(self) -> "FakeTelegram":
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        self._closing.set()
        if self._runner:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        body = await _body(request)
        async with self._changed:
            at = self.clock() if self.clock else asyncio.get_running_loop().time()
            self.requests.append(Request(method, body, at))
            self._changed.notify_all()
        if self.faults[method]:
            fault = self.faults[method].pop(0)
            if fault.hang:
                await self._closing.wait()
            return _error(fault.status, fault.description, retry_after=fault.retry_after)
        if isinstance(body.get("chat_id"), int) and body["chat_id"] in self.blocked and method.startswith("send"):
            return _error(403, "Forbidden: bot was blocked by the user")
        answer = await getattr(self, f"_{method}", self._unknown)(body)
        if isinstance(answer, web.Response):
            return answer
        async with self._changed:
            self._changed.notify_all()  # the state moved (messages, pending)
        return web.json_response({"ok": True, "result": answer})

    async def _getUpdates(self, body: dict) -> Any:
        offset = body.get("offset") or 0
        self.pending = [u for u in self.pending if u["update_id"] >= offset]
        while not self.pending:
            self._new.clear()
            try:
                await asyncio.wait_for(self._new.wait(), float(body.get("timeout") or 0))
            except TimeoutError:
                return []
        return self.pending[: body.get("limit") or 100]

    async def _getFile(self, body: dict) -> Any:
        data = self.files[body["file_id"]]
        return {"file_id": body["file_id"], "file_unique_id": body["file_id"], "file_size": len(data),
                "file_path": f"documents/{body['file_id']}"}

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        return web.Response(body=self.files[request.match_info["path"].rsplit("/", 1)[-1]])

    async def _getMe(self, body: dict) -> Any:
        return BOT

    async def _sendMessage(self, body: dict) -> Any:
        text = body.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= 4096:
            return _error(400, "Bad Request: message text is empty or too long")
        markup = body.get("reply_markup")
        if markup and any(len(b["callback_data"].encode()) > 64 for row in markup["inline_keyboard"] for b in row):
            return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        return self._store(body["chat_id"], text=text, reply_markup=markup or None)

    async def _sendDocument(self, body: dict) -> Any:
        file = body["document"]
        return self._store(body["chat_id"], document={"file_id": "d1", "file_unique_id": "d1",
                                                      "file_name": file["filename"], "file_size": len(file["data"])})

    async def _sendPhoto(self, body: dict) -> Any:
        return self._store(body["chat_id"], photo=[{"file_id": "p1", "file_unique_id": "p1", "width": 1,
                                                    "height": 1, "file_size": len(body["photo"]["data"])}])

    async def _editMessageReplyMarkup(self, body: dict) -> Any:
        message = self.messages.get((body.get("chat_id"), body.get("message_id")))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = body.get("reply_markup") or None
        if markup == message.get("reply_markup"):
            return _error(400, "Bad Request: message is not modified")
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _answerCallbackQuery(self, body: dict) -> Any:
        return True

    async def _setMyCommands(self, body: dict) -> Any:
        return True

    async def _deleteMyCommands(self, body: dict) -> Any:
        return True

    async def _setWebhook(self, body: dict) -> Any:
        self.webhook = {"url": body.get("url", ""), "secret_token": body.get("secret_token")}
        return True

    async def _deleteWebhook(self, body: dict) -> Any:
        self.webhook = {"url": ""}
        return True

    async def _unknown(self, body: dict) -> web.Response:
        return _error(404, "Not Found")

    def _store(self, chat_id: int, **content: Any) -> dict:
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        message = {"message_id": self._next_message_id(chat_id), "date": DATE, "chat": chat, "from": BOT,
                   **{k: v for k, v in content.items() if v is not None}}
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids[chat_id])


async def _body(request: web.Request) -> dict[str, Any]:
    """PTB posts form fields (JSON-encoded where not plain) or multipart with the files."""
    if request.content_type == "application/json":
        return await request.json()
    body: dict[str, Any] = {}
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            body[key] = {"filename": value.filename, "content_type": value.content_type,
                         "data": value.file.read()}
        elif key in INTS:
            body[key] = int(value)
        elif key in JSONS:
            body[key] = json.loads(value)
        else:
            body[key] = value
    return body


def _error(status: int, description: str, *, retry_after: int | None = None) -> web.Response:
    answer: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        answer["parameters"] = {"retry_after": retry_after}
    return web.json_response(answer, status=status)


def most_in_a_second(times: list[float]) -> int:
    """The most events inside any window of one second (half-open), `times` sorted."""
    best, first = 0, 0
    for last, t in enumerate(times):
        while t - times[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


# --- the channel on the fake server ---------------------------------------------------------

def make_channel(fake: FakeTelegram, fake_time: FakeTime, clock, *, pace: bool = True, rate_limiter=None,
                 keyboards=None, timeout: float = 5.0, **kw: Any) -> TelegramChannel:
    """A TelegramChannel on the fake server: fake time for pauses; with `pace`, one message a
    second per chat (on fake time) and no overall limit, unless a `rate_limiter` is given."""
    limiter = rate_limiter or (
        ChatRateLimiter(0, 1, sleep=fake_time.sleep, monotonic=fake_time.monotonic) if pace else None)
    kw.setdefault("retry", Retry(sleep=fake_time.sleep, monotonic=fake_time.monotonic))
    return TelegramChannel.connect(TOKEN, base_url=fake.url, rate_limiter=limiter, timeout=timeout,
                                   sleep=fake_time.sleep, monotonic=fake_time.monotonic,
                                   keyboards=keyboards or MemoryKeyboards(), now=clock.now, **kw)


class Polling:
    """A TelegramChannel polling the fake server. `deliver` queues updates and returns once a
    getUpdates has confirmed them, which the channel asks only after handling them."""

    def __init__(self, fake: FakeTelegram, channel: TelegramChannel, process) -> None:
        self.fake, self.channel, self.process = fake, channel, process
        self.stop = asyncio.Event()
        self.task: asyncio.Task | None = None

    async def __aenter__(self) -> "Polling":
        await self.channel.start(self.process)
        polls = len(self.fake.calls("getUpdates")) + 1
        self.task = asyncio.create_task(self.channel.run_polling(self.stop))
        await self.fake.wait_for("getUpdates", polls)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop.set()
        try:
            await asyncio.wait_for(self.task, SAFETY)
        finally:
            await self.channel.stop()

    async def deliver(self, *updates: dict) -> None:
        self.fake.queue(*updates)
        await self.fake.confirmed(updates[-1]["update_id"])

    async def say(self, chat_id: int, text: str | None, **kw: Any) -> list[str]:
        """What the chat was sent in answer to one message."""
        return await self._answer(chat_id, self.fake.message(chat_id, text, **kw))

    async def tap(self, chat_id: int, button: int | str, **kw: Any) -> list[str]:
        return await self._answer(chat_id, self.fake.tap(chat_id, button, **kw))

    async def send_file(self, chat_id: int, name: str, data: bytes, **kw: Any) -> list[str]:
        """What the chat was sent in answer to a file."""
        return await self._answer(chat_id, self.fake.document(chat_id, name, data, **kw))

    async def _answer(self, chat_id: int, update: dict) -> list[str]:
        before = len(self.fake.texts(chat_id))
        await self.deliver(update)
        return self.fake.texts(chat_id)[before:]


# --- fixtures (imported by the test modules) -------------------------------------------------

@pytest.fixture
async def fake_telegram():
    fake = await FakeTelegram().start()
    yield fake
    await fake.stop()


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
async def telegram_channel(fake_telegram, fake_time, clock):
    channel = make_channel(fake_telegram, fake_time, clock, pace=False)
    yield channel
    await channel.stop()
