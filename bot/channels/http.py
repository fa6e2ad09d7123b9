"""What chibo's calls out to Telegram and Zalo share: aiohttp's client, and the proxy the
environment names.

aiohttp's client costs chibo's process 0.2–0.6 ms of CPU a call where httpx cost 1.5–2.9 ms (a
POST to a server on 127.0.0.1, side by side in one process), and aiohttp already runs chibo's
webhook server. HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured as httpx honoured
them (where Telegram is blocked, a proxy is how a branch reaches it), but read once for each
server: aiohttp's own `trust_env` reads them, and ~/.netrc, in a worker thread at every call,
two trips that cost more than the call itself.
"""

import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp


class Outbound:
    """The calls out to one platform: an aiohttp session of `pool_size` connections, opened at
    the first call (inside the event loop), each call through the proxy the environment names
    for its server. `session` is for tests that bring their own."""

    def __init__(self, pool_size: int, headers: dict[str, str] | None = None,
                 session: aiohttp.ClientSession | None = None) -> None:
        self.pool_size, self.headers = pool_size, headers
        self._session = session
        self._proxies = EnvironmentProxies()

    def request(self, method: str, url: str, **kw: Any) -> Any:
        """As `aiohttp.ClientSession.request`: `async with outbound.request(…) as response:`."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self.pool_size),
                                                  headers=self.headers)
        return self._session.request(method, url, proxy=self._proxies.for_url(url), **kw)

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


class EnvironmentProxies:
    """The proxy for a URL, read from the environment at the first call to its server."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], str | None] = {}  # (scheme, host): the proxy, or None

    def for_url(self, url: str) -> str | None:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._known:
            self._known[key] = proxy_from_environment(*key)
        return self._known[key]


def proxy_from_environment(scheme: str, host: str) -> str | None:
    """The standard library's reading of <SCHEME>_PROXY, ALL_PROXY and NO_PROXY; aiohttp speaks
    to http:// proxies only, so any other kind is left out."""
    if host and urllib.request.proxy_bypass(host):
        return None
    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    return proxy if proxy and proxy.startswith(("http://", "https://")) else None
