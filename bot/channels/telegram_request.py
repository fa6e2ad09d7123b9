"""python-telegram-bot's calls to Telegram on aiohttp instead of httpx.

PTB sends every call through a `BaseRequest`; its default, `HTTPXRequest`, is on httpx, which
costs several times aiohttp's CPU a call (http.py), and a Telegram answer takes two calls or more:
the reply, and the removal of the previous keyboard. PTB's documentation of
`telegram.request.BaseRequest` says it "can be implemented via different asyncio HTTP
libraries"; this is one.

What PTB's default did and this keeps:
- parameters form-encoded, files as multipart (`RequestData.json_parameters`, `multipart_data`);
- its User-Agent;
- the four timeouts (connect, read, write, pool), each call's own when PTB passes one (getUpdates
  adds its long-polling time to the read timeout);
- the proxy named in the environment (http.py);
- a timeout raises PTB's `TimedOut`, any other transport failure its `NetworkError`, so the
  channel's retry policy (telegram_support.Retry) reads failures as before. The error says the
  aiohttp exception's name only: its text may hold the URL, and the URL holds the token.
"""

import asyncio
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.channels.http import Outbound


class AiohttpRequest(BaseRequest):
    """One connection pool of `pool_size` for one kind of call (PTB keeps one for getUpdates,
    one for the rest)."""

    __slots__ = ("_connect", "_media_write", "_outbound", "_pool", "_read", "_write")

    def __init__(self, *, pool_size: int = 256, connect_timeout: float | None = 5.0,
                 read_timeout: float | None = 5.0, write_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0) -> None:
        self._outbound = Outbound(pool_size, {"User-Agent": self.USER_AGENT})
        self._connect = connect_timeout
        self._read = read_timeout
        self._write = write_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        """Nothing: the pool opens at the first call (the outbox may send before `initialize`,
        as PTB's default allows), and `shutdown` closes it."""

    async def shutdown(self) -> None:
        await self._outbound.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        files = request_data.multipart_data if request_data is not None else {}
        write_default = self._media_write if files else self._write
        timeout = _timeout(_given(connect_timeout, self._connect), _given(read_timeout, self._read),
                           _given(write_timeout, write_default), _given(pool_timeout, self._pool))
        try:
            async with self._outbound.request(method, url, data=_body(request_data, files),
                                              timeout=timeout) as response:
                return response.status, await response.read()
        except (TimeoutError, asyncio.TimeoutError) as e:  # aiohttp's timeouts are both
            raise TimedOut from e
        except aiohttp.ClientError as e:
            raise NetworkError(f"aiohttp.{type(e).__name__}") from e


def _given(value: Any, default: float | None) -> float | None:
    """A call's own timeout (None: no limit), or the default when PTB passed none."""
    return default if value is BaseRequest.DEFAULT_NONE else value


def _timeout(connect: float | None, read: float | None, write: float | None,
             pool: float | None) -> aiohttp.ClientTimeout:
    """aiohttp has no write timeout: the whole call is bounded by the four together instead
    (so a stalled upload still ends), and no timeout given as None means none at all."""
    parts = (connect, read, write, pool)
    return aiohttp.ClientTimeout(
        total=None if None in parts else sum(parts),  # type: ignore[arg-type]
        connect=None if connect is None or pool is None else connect + pool,  # a free connection, then connected
        sock_connect=connect, sock_read=read)


def _body(request_data: RequestData | None, files: dict[str, Any]) -> Any:
    """Form fields, or multipart with the files in it, as PTB's default request sends them."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
