"""A fake Zalo Bot API server on 127.0.0.1 (aiohttp, port 0), and fake time.

It records every request, hands out queued updates through getUpdates (waiting on a queue,
never on the clock), and injects faults per method: HTTP 500, a dropped connection,
`ok: false` with an error code, 429. Tests wait for requests with `wait_for`.

It can also behave as live bots have been seen to: echo the bot's own messages back as
updates (`echo_own`), answer getUpdates at once with nothing (`empty_answer`), hand out
again what it delivered before (`replay`: there is no offset), refuse sends once a monthly
quota is used up (`quota`, 429 "Quota exceeded"), and ping the URL given to setWebhook
(`ping_webhook`). A client timeout is played by `Stalling`, an HTTP transport whose answer
comes "too late" at once, so no test waits on the clock.
"""

import asyncio
import itertools
import json
import socket
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import ClientError, ClientResponse, ClientSession, ServerTimeoutError, web

from bot.channels.zalo import MemoryGreetings, ZaloChannel
from bot.channels.zalo_client import RetryPolicy, ZaloClient

BOT_ID = "1459232241454765289"
TOKEN = f"{BOT_ID}:s3cr3t-t0ken-Vx9Qz"
EMPTY_ANSWERS = {  # what a live getUpdates may answer at once when nothing is new
    "408": (408, {"ok": False, "error_code": 408, "description": "Request timeout"}),
    "{}": (200, {}),
    "timeout": (200, {"ok": False, "description": "Timeout, no new updates"}),
}
SAFETY = 10  # seconds: only so that a broken test fails instead of hanging


@dataclass
class Fault:
    status: int = 500
    error_code: int | None = None
    description: str = "Internal error"
    drop: bool = False  # close the connection without an answer


@dataclass
class Request:
    method: str
    body: dict[str, Any]
    at: float = 0.0  # when it came, on the loop's clock


class FakeZalo:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.requests: list[Request] = []
        self.updates: deque = deque()  # events (dicts) or Batch; one per getUpdates answer
        self._more = asyncio.Event()
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        self.unknown_chats: dict[str, int] = {}  # chat id -> error code sendMessage gives
        self.echo_own = False  # the bot's own messages come back as updates
        self.echo_is_bot: bool | None = False  # what an echo's from.is_bot says (None: no such field)
        self.empty_answer: str | None = None  # a key of EMPTY_ANSWERS: getUpdates answers it at once
        self.quota: int | None = None  # messages accepted before 429 "Quota exceeded"
        self.ping_webhook = False  # setWebhook POSTs to the URL first and fails if nobody answers
        self.delivered: list[Any] = []  # every update getUpdates handed out, for `replay`
        self.accepted = 0  # messages sent (sendMessage, sendPhoto)
        self._handed_at = 0  # the getUpdates call that handed out the last update
        self.webhook: dict[str, Any] = {"url": ""}
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- what tests use ----------------------------------------------------------------

    def queue_text(self, chat_id: str, text: str, *, name: str = "Nguyễn Văn A",
                   message_id: str | None = None, chat_type: str = "PRIVATE") -> dict:
        event = self.event("message.text.received", chat_id, name=name, message_id=message_id,
                           chat_type=chat_type, text=text)
        self.queue(event)
        return event

    def queue(self, update: Any) -> None:
        """Anything getUpdates should answer next: an event, a Batch, or any JSON."""
        self.updates.append(update)
        self._more.set()

    def event(self, event_name: str, chat_id: str, *, name: str = "Nguyễn Văn A",
              message_id: str | None = None, chat_type: str = "PRIVATE", **content: Any) -> dict:
        return {"event_name": event_name, "message": {
            "message_id": message_id or f"msg{next(self._ids):05d}",
            "date": 1772416800000,
            "chat": {"id": chat_id, "chat_type": chat_type},
            "from": {"id": chat_id, "display_name": name, "is_bot": False},
            **content,
        }}

    def replay(self) -> None:
        """Hand out again everything delivered so far, as getUpdates without an offset may."""
        for update in self.delivered:
            self.queue(update)

    def fail(self, method: str, times: int = 1, **fault: Any) -> None:
        self.faults[method].extend(Fault(**fault) for _ in range(times))

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.method == method]

    def texts(self, chat_id: str | None = None) -> list[str]:
        return [b["text"] for b in self.calls("sendMessage")
                if chat_id is None or b.get("chat_id") == chat_id]

    async def wait_for(self, method: str, count: int = 1) -> list[dict[str, Any]]:
        """Until `count` requests of `method` have come (answered or not)."""
        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.calls(method)) >= count)
        await asyncio.wait_for(enough(), SAFETY)
        return self.calls(method)

    async def until(self, condition) -> None:
        """Until `condition()` holds; it is checked whenever a request comes or a webhook is set."""
        async def holds() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)
        await asyncio.wait_for(holds(), SAFETY)

    async def drained(self, rounds: int = 50) -> None:
        """Until every update queued so far is handed out and the poller has asked again, so it
        has taken in the last one (updates queued meanwhile, echoes say, count too)."""
        for _ in range(rounds):
            if self.updates:
                await self.wait_for("getUpdates", len(self.calls("getUpdates")) + 1)
                continue
            await self.wait_for("getUpdates", self._handed_at + 1)
            if not self.updates:
                return
        raise AssertionError(f"still {len(self.updates)} updates queued after {rounds} polls: a loop")

    # --- the server --------------------------------------------------------------------

    async def start(self) -> "FakeZalo":
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1, handler_cancellation=True,
                                     access_log=None)  # the real server's logs are not ours
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _answer(401, error_code=401, description="Unauthorized")
        method = request.match_info["method"]
        try:
            body = json.loads(await request.read() or b"{}")
        except ValueError:
            body = {"_raw": True}
        async with self._changed:
            self.requests.append(Request(method, body, asyncio.get_running_loop().time()))
            self._changed.notify_all()
        if self.faults[method]:
            fault = self.faults[method].pop(0)
            if fault.drop:
                request.transport.close()
                return web.Response()  # never reaches the client
            return _answer(fault.status, error_code=fault.error_code or fault.status,
                           description=fault.description)
        if method == "getUpdates":
            return await self._getUpdates(body, request)
        return await getattr(self, f"_{method}", self._unknown)(body)

    async def _getUpdates(self, body: dict, request: web.Request) -> web.Response:
        if not self.updates and self.empty_answer:
            status, answer = EMPTY_ANSWERS[self.empty_answer]
            return web.json_response(answer, status=status)
        while not self.updates:
            self._more.clear()
            try:
                await asyncio.wait_for(self._more.wait(), float(body.get("timeout", 30)))
            except TimeoutError:
                return _answer(408, error_code=408, description="Request timeout")
        if request.transport is None or request.transport.is_closing():
            return _answer(499, error_code=499, description="client gone")  # keep the update
        update = self.updates.popleft()
        self.delivered.append(update)
        self._handed_at = len(self.calls("getUpdates"))
        result = update.events if isinstance(update, Batch) else update
        return web.json_response({"ok": True, "result": result})

    async def _sendMessage(self, body: dict) -> web.Response:
        chat = body.get("chat_id")
        if chat in self.unknown_chats:
            code = self.unknown_chats[chat]
            return _answer(code, error_code=code, description=f"User {chat} not found")
        text = body.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= 2000:
            return _answer(400, error_code=400, description="Text length must be 1-2000")
        return self._accepted(chat, text=text)

    async def _sendPhoto(self, body: dict) -> web.Response:
        return self._accepted(body.get("chat_id"), photo_url=body.get("photo"))

    def _accepted(self, chat: Any, **content: Any) -> web.Response:
        """A message sent: counted against the quota, and echoed back if the bot does that."""
        if self.quota is not None and self.accepted >= self.quota:
            return _answer(429, error_code=429, description="Quota exceeded")
        self.accepted += 1
        message_id = f"out{next(self._ids)}"
        if self.echo_own:
            kind = "message.text.received" if "text" in content else "message.image.received"
            echo = self.event(kind, str(chat), message_id=message_id, name="Bot chibo", **content)
            echo["message"]["from"] = {"id": BOT_ID, "display_name": "Bot chibo"}
            if self.echo_is_bot is not None:
                echo["message"]["from"]["is_bot"] = self.echo_is_bot
            self.queue(echo)
        return web.json_response({"ok": True, "result": {"message_id": message_id, "date": 1772416800000}})

    async def _sendChatAction(self, body: dict) -> web.Response:
        return web.json_response({"ok": True})

    async def _getMe(self, body: dict) -> web.Response:
        return web.json_response({"ok": True, "result": {
            "id": BOT_ID, "account_name": "bot.chibo", "account_type": "BASIC",
            "can_join_groups": False}})

    async def _setWebhook(self, body: dict) -> web.Response:
        if self.ping_webhook:
            try:
                async with ClientSession() as http, http.post(
                        body.get("url", ""), json={},
                        headers={"X-Bot-Api-Secret-Token": body.get("secret_token", "")}) as answer:
                    await answer.read()
            except (ClientError, OSError):
                return _answer(400, error_code=400, description="Cannot reach the webhook URL")
        self.webhook = {"url": body.get("url", ""), "updated_at": 1772416800000}
        async with self._changed:
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": self.webhook})

    async def _deleteWebhook(self, body: dict) -> web.Response:
        self.webhook = {"url": "", "updated_at": 1772416800000}
        return web.json_response({"ok": True, "result": self.webhook})

    async def _getWebhookInfo(self, body: dict) -> web.Response:
        return web.json_response({"ok": True, "result": self.webhook})

    async def _unknown(self, body: dict) -> web.Response:
        return _answer(404, error_code=404, description="Method not found")


@dataclass
class Batch:
    """Several events in one getUpdates answer (a list `result`, as some code has it)."""

    events: list[dict]


def _answer(status: int, *, error_code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": error_code, "description": description},
                             status=status)


def stalling(method: str, times: int) -> ClientSession:
    """A client session to the fake server whose answers to the first `times` calls of `method`
    come after the client's timeout: the request arrives, then the client times out (at once)."""
    left = [times]

    class Late(ClientResponse):
        async def start(self, connection):
            answered = await super().start(connection)
            if left[0] and self.url.path.endswith("/" + method):
                left[0] -= 1
                self.close()
                raise ServerTimeoutError("the answer came too late")
            return answered

    return ClientSession(response_class=Late)


def free_port() -> int:
    """A port nobody listens on: the system gives a free one, and it is closed again."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class FakeTime:
    """A monotonic clock that moves only when something sleeps on it."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """Run an aiohttp app on 127.0.0.1, any free port; returns the runner and its URL."""
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


# --- fixtures (imported by the test modules) -----------------------------------------------

@pytest.fixture
async def fake_zalo():
    fake = await FakeZalo().start()
    yield fake
    await fake.stop()


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
async def zalo_client(fake_zalo):
    client = ZaloClient(TOKEN, base_url=fake_zalo.url)
    yield client
    await client.aclose()


@pytest.fixture
def zalo_channel(zalo_client, fake_time, clock):
    """A channel on the fake server: fake time for pauses and pacing, no greeting owed."""
    return make_channel(zalo_client, fake_time, clock)


def make_channel(client: ZaloClient, fake_time: FakeTime, clock, *, greetings=None,
                 **kw: Any) -> ZaloChannel:
    kw.setdefault("retry", RetryPolicy(sleep=fake_time.sleep))
    return ZaloChannel(client, greetings=greetings or MemoryGreetings(), sleep=fake_time.sleep,
                       monotonic=fake_time.monotonic, now=clock.now, **kw)


class Polling:
    """A ZaloChannel polling the fake server, driven one update at a time.

    Each update is handed out by a getUpdates call, after which the channel calls getUpdates
    again; `deliver` waits for that next call, then for the channel to finish the work.
    """

    def __init__(self, fake: FakeZalo, channel: ZaloChannel, process) -> None:
        self.fake, self.channel, self.process = fake, channel, process
        self.stop = asyncio.Event()
        self.polls = 0
        self.task: asyncio.Task | None = None

    async def __aenter__(self) -> "Polling":
        self.polls = len(self.fake.calls("getUpdates")) + 1
        self.task = asyncio.create_task(self.channel.run_polling(self.process, self.stop))
        await self.fake.wait_for("getUpdates", self.polls)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, SAFETY)

    async def deliver(self, update: Any, *, polls: int = 1) -> None:
        self.fake.queue(update)
        self.polls += polls
        await self.fake.wait_for("getUpdates", self.polls)
        await asyncio.wait_for(self.channel.join(), SAFETY)

    async def say(self, chat_id: str, text: str, *, name: str = "Nguyễn Văn A",
                  message_id: str | None = None) -> list[str]:
        """What the chat was sent in answer to one text."""
        before = len(self.fake.texts(chat_id))
        await self.deliver(self.fake.event("message.text.received", chat_id, name=name,
                                           message_id=message_id, text=text))
        return self.fake.texts(chat_id)[before:]
