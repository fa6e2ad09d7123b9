"""A small client of the Zalo Bot API on aiohttp (http.py), and the retry policy its callers use.

Every call is `POST <base>/bot<TOKEN>/<method>` with a JSON body; every answer is
`{"ok", "result", "error_code", "description"}`. A failure raises `ZaloError`, which says
whether trying again may help. The client itself never retries and never sleeps:
`RetryPolicy` does, with an injected sleep so tests never wait on the wall clock.

Logs carry the method, the error code and the HTTP status; never the token, never a
message text or a name, and a chat only as a short hash.
"""

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp

from bot.channels.http import Outbound
from bot.channels.retry import Backoff

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
# 400 bad request (an unknown chat among others), 404 not found: sending again cannot help.
# 401 is a bad token: a setting to fix, not a person to give up on.
RECIPIENT_GONE = frozenset({400, 404})
# 403: blocked or not allowed, but Zalo's error table has also been quoted with 403 as an
# internal error; it is tried a few times (RetryPolicy.forbidden_attempts) before giving up.
FORBIDDEN = 403
UNAUTHORIZED = 401
NOTHING_NEW = 408  # getUpdates waited and nothing came
QUOTA_EXCEEDED = 429

T = TypeVar("T")


def chat_tag(chat_id: str | None) -> str:
    """A chat as logs may show it: a short hash, never the id itself."""
    if not chat_id:
        return "-"
    return "#" + hashlib.sha256(str(chat_id).encode()).hexdigest()[:10]


class ZaloError(Exception):
    """A call failed. `code` is Zalo's error_code, else the HTTP status, else None (network)."""

    def __init__(self, method: str, reason: str, *, code: int | None = None,
                 http_status: int | None = None) -> None:
        super().__init__(f"zalo {method}: {reason} (error_code={code})")
        self.method = method
        self.reason = reason
        self.code = code
        self.http_status = http_status

    @property
    def rate_limited(self) -> bool:
        return self.code == QUOTA_EXCEEDED

    @property
    def quota_spent(self) -> bool:
        """429 "Quota exceeded": the plan's messages for the month may be used up; trying again
        soon cannot help (a 429 without that word is a rate limit: pause and try again)."""
        return self.code == QUOTA_EXCEEDED and "quota" in self.reason.lower()

    @property
    def temporary(self) -> bool:
        """Trying again later may work: network trouble, a timeout, 5xx, 408, 429."""
        return self.code is None or self.code >= 500 or self.code in (NOTHING_NEW, QUOTA_EXCEEDED)

    @property
    def recipient_gone(self) -> bool:
        """The chat is unknown: give up on this message."""
        return self.code in RECIPIENT_GONE

    @property
    def forbidden(self) -> bool:
        """403: the chat blocked the bot, or Zalo failed inside; not certain either way."""
        return self.code == FORBIDDEN


class ZaloClient:
    """The calls chibo makes. Methods return the envelope's `result`."""

    def __init__(self, token: str, *, base_url: str = DEFAULT_BASE_URL, timeout: float = 15.0,
                 session: aiohttp.ClientSession | None = None, pool_size: int = 100) -> None:
        if not token:
            raise ValueError("a Zalo bot token is required")
        self._token = token
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._outbound = Outbound(pool_size, session=session)

    def __repr__(self) -> str:  # the token stays out of reprs and tracebacks' locals
        return f"ZaloClient(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        await self._outbound.close()

    async def call(self, method: str, payload: dict[str, Any] | None = None, *,
                   timeout: float | None = None) -> Any:
        url = f"{self.base_url}/bot{self._token}/{method}"
        chat = chat_tag(payload.get("chat_id")) if payload else "-"
        seconds = timeout or self.timeout  # each of: a free connection, connecting, each read
        try:
            async with self._outbound.request(
                    "POST", url, json=payload or {},
                    timeout=aiohttp.ClientTimeout(connect=seconds, sock_connect=seconds, sock_read=seconds)) as answer:
                status, raw = answer.status, await answer.read()
        except (TimeoutError, asyncio.TimeoutError):  # aiohttp's timeouts are both
            log.warning("zalo %s timed out (chat %s)", method, chat)
            raise ZaloError(method, "timeout") from None
        except aiohttp.ClientError as e:  # connection refused, reset, dropped, a mistyped address
            log.warning("zalo %s network error %s (chat %s)", method, type(e).__name__, chat)
            raise ZaloError(method, f"network: {type(e).__name__}") from None
        try:
            body = json.loads(raw)
        except ValueError:  # not JSON, or not UTF-8
            body = None
        if method == "getUpdates" and _nothing_new(status, body):
            raise ZaloError(method, "nothing new", code=NOTHING_NEW, http_status=status)
        if not isinstance(body, dict):
            log.warning("zalo %s answered HTTP %s without a JSON envelope (chat %s)",
                        method, status, chat)
            # not the Bot API talking (a proxy, a wrong base URL): not the recipient's fault
            code = status if status >= 500 else 502
            raise ZaloError(method, "no envelope", code=code, http_status=status)
        if body.get("ok") is True and status < 400:
            return body.get("result")
        code = body.get("error_code")
        if not isinstance(code, int) or isinstance(code, bool):  # no code: the HTTP status, if any
            code = status if status >= 400 else None
        description = _scrub(body.get("description"), payload)
        level = logging.ERROR if code == UNAUTHORIZED else logging.WARNING
        log.log(level, "zalo %s failed: error_code=%s http_status=%s description=%r (chat %s)",
                method, code, status, description, chat)
        raise ZaloError(method, description or "not ok", code=code, http_status=status)

    # --- the calls ---------------------------------------------------------------

    async def get_me(self) -> dict[str, Any]:
        return await self.call("getMe")

    async def get_updates(self, timeout: int = 30) -> Any:
        """Waits up to `timeout` seconds for events; None when nothing came (which a live bot
        may also say at once: HTTP 408, `{}`, or `ok: false` with a "timeout")."""
        try:
            return await self.call("getUpdates", {"timeout": str(timeout)}, timeout=timeout + 10)
        except ZaloError as e:
            if e.code == NOTHING_NEW:
                return None
            raise

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        if not 8 <= len(secret_token) <= 256:
            raise ValueError("the webhook secret must have 8 to 256 characters")
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> Any:
        return await self.call("getWebhookInfo")

    async def send_message(self, chat_id: str, text: str) -> Any:
        return await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def send_photo(self, chat_id: str, photo_url: str, caption: str | None = None) -> Any:
        payload = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            payload["caption"] = caption
        return await self.call("sendPhoto", payload)

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> Any:
        return await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


@dataclass
class RetryPolicy(Backoff):
    """Zalo's reading of a failure, on the shared retry (bot/channels/retry.py): temporary
    failures are tried again after a growing pause; 429 pauses longer, unless it says the quota
    is spent (then at once the caller hears of it). A 403 is tried `forbidden_attempts` times in
    all before it counts as permanent."""

    cap: float = 60.0
    quota_pause: float = 30.0
    forbidden_attempts: int = 3

    def again(self, attempt: int, error: ZaloError) -> bool:
        """May failed attempt number `attempt` be tried once more?"""
        if attempt >= self.attempts or error.quota_spent:
            return False
        if error.forbidden:
            return attempt < self.forbidden_attempts
        return error.temporary

    def delay(self, attempt: int, error: ZaloError) -> float:
        """The pause after failed attempt number `attempt` (1, 2, …)."""
        if error.rate_limited:
            return min(self.cap, self.quota_pause * attempt)
        return self.backoff(attempt)

    async def run(self, call: Callable[[], Awaitable[T]]) -> T:
        def pause_after(attempt: int, error: BaseException) -> float | None:
            if isinstance(error, ZaloError) and self.again(attempt, error):
                return self.delay(attempt, error)
            return None

        return await self.retrying(call, pause_after)


def _nothing_new(status: int, body: Any) -> bool:
    """A getUpdates answer that means "no new event": 408, an empty `{}`, or `ok: false` saying
    it timed out (without another error code)."""
    if status == NOTHING_NEW:
        return True
    if not isinstance(body, dict):
        return False
    if not body:
        return True
    code = body.get("error_code")
    if code == NOTHING_NEW:
        return True
    description = body.get("description")
    return (body.get("ok") is False and code in (None, 0) and status < 400
            and isinstance(description, str) and "timeout" in description.lower())


def _scrub(description: Any, payload: dict[str, Any] | None) -> str:
    """Zalo's description, short, with anything we sent (a chat id, a text) taken out."""
    if not isinstance(description, str):
        return ""
    for value in (payload or {}).values():
        if isinstance(value, str) and len(value) >= 3:
            description = description.replace(value, "…")
    return description[:120]
