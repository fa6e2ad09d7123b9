"""Files for channels that cannot carry them (Zalo): a signed link that expires, served by
chibo's own HTTP endpoint. The signature (HMAC-SHA256 with the webhook secret) covers the
file's token and expiry, so a link cannot be forged or stretched."""

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web

from bot.events import Attachment
from bot.private import private_dir, write_private

ROUTE = "/files/{token}"


class FileLinks:
    def __init__(self, *, directory: Path, secret: str, public_url: str, now: Callable[[], datetime],
                 ttl: timedelta = timedelta(days=2)) -> None:
        self.directory = directory
        self.key = secret.encode()
        self.public_url = public_url.rstrip("/")
        self.now = now
        self.ttl = ttl

    def put(self, file: Attachment) -> tuple[str, datetime]:
        """Keep the file and return its link and when the link stops working."""
        private_dir(self.directory)
        token = secrets.token_urlsafe(24)
        expires = self.now() + self.ttl
        write_private(self.directory / token, file.data)
        write_private(self.directory / f"{token}.json", json.dumps({"name": file.name, "mime": file.mime}).encode())
        stamp = str(int(expires.timestamp()))
        query = urlencode({"e": stamp, "s": self._sign(token, stamp)})
        return f"{self.public_url}/files/{token}?{query}", expires

    def _sign(self, token: str, stamp: str) -> str:
        return hmac.new(self.key, f"{token}.{stamp}".encode(), hashlib.sha256).hexdigest()

    def add_route(self, app: web.Application) -> None:
        async def fetch(request: web.Request) -> web.StreamResponse:
            token = request.match_info["token"]
            stamp, signature = request.query.get("e", ""), request.query.get("s", "")
            if not (stamp.isdigit() and hmac.compare_digest(self._sign(token, stamp), signature)):
                raise web.HTTPForbidden()
            if int(stamp) < self.now().timestamp():
                raise web.HTTPGone()
            path = self.directory / token
            if "/" in token or not path.is_file():
                raise web.HTTPNotFound()
            meta = json.loads((self.directory / f"{token}.json").read_text())
            return web.Response(body=path.read_bytes(), content_type=meta["mime"], headers={
                "Content-Disposition": f'attachment; filename="{meta["name"]}"'})

        app.router.add_get(ROUTE, fetch)
