"""Report pages for Zalo (which cannot carry files): /baocao keeps the report's files and a page
for a phone under the data folder, and answers with a link to chibo's own HTTP endpoint.

Every link (the page, its chart, each file) is signed: HMAC-SHA256 with CHIBO_LINK_SECRET over
the page's token, the file's name, the organisation and the expiry, so that none can be forged,
pointed at another organisation or stretched. A link expires after CHIBO_REPORT_LINK_HOURS (the
injected clock says when). Each time it is opened, the person it was made for must still be
allowed to report on that organisation (models/reports/scope.py); a forged, altered or expired
link, or one whose person lost the role, gets a Vietnamese refusal page (403). Expired pages
are deleted when the next one is made."""

import hashlib
import hmac
import json
import logging
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from aiohttp import web

from bot.config import Settings
from bot.private import private_dir, write_private
from bot.reports.document import Document
from bot.reports.html import Link, refusal_page, report_page
from models.reports.scope import may_report_on

log = logging.getLogger(__name__)
PREFIX = "/baocao"
PAGE = "index.html"
META = "meta.json"
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf", "png": "image/png"}


@dataclass(frozen=True)
class Kept:
    url: str  # the page's signed link
    expires: datetime


class ReportPages:
    def __init__(self, *, directory: Path, secret: str, public_url: str, now: Callable[[], datetime],
                 ttl: timedelta = timedelta(hours=24)) -> None:
        self.directory = Path(directory)
        self.key = secret.encode()
        self.public_url = public_url.rstrip("/")
        self.now = now
        self.ttl = ttl

    @classmethod
    def from_settings(cls, settings: Settings, now: Callable[[], datetime]) -> "ReportPages | None":
        """Pages only when chibo has a public address and a key to sign with; else None."""
        if not (settings.public_url and settings.link_secret):
            return None
        return cls(directory=Path(settings.data_dir) / "reports" / "pages", secret=settings.link_secret,
                   public_url=settings.public_url, now=now, ttl=timedelta(hours=settings.report_link_hours))

    # --- making a page --------------------------------------------------------------------

    def keep(self, *, files: list[Path], documents: list[Document], summary: str, org_id: int,
             person_id: int) -> Kept:
        """Copy the files next to a new page; the page's link and when it stops working."""
        self.sweep()
        token = secrets.token_urlsafe(18)
        expires = self.now() + self.ttl
        stamp = str(int(expires.timestamp()))
        folder = private_dir(self.directory / token)
        links = []
        for path in files:
            write_private(folder / path.name, path.read_bytes())
            links.append(Link(path.name, path.suffix[1:], self.url(token, path.name, org_id, stamp)))
        page = report_page(documents=documents, summary=summary, links=links, expires=expires)
        write_private(folder / PAGE, page.encode())
        write_private(folder / META, json.dumps({"org": org_id, "person": person_id, "expires": stamp}).encode())
        return Kept(self.url(token, "", org_id, stamp), expires)

    def url(self, token: str, name: str, org_id: int, stamp: str) -> str:
        path = f"{PREFIX}/{token}" + (f"/{quote(name)}" if name else "")
        query = urlencode({"o": org_id, "e": stamp, "s": self._sign(token, name, str(org_id), stamp)})
        return f"{self.public_url}{path}?{query}"

    def _sign(self, token: str, name: str, org: str, stamp: str) -> str:
        return hmac.new(self.key, f"{token}\n{name}\n{org}\n{stamp}".encode(), hashlib.sha256).hexdigest()

    def sweep(self) -> None:
        """Delete the pages (and their copies of the files) whose links have expired."""
        if not self.directory.is_dir():
            return
        now = self.now().timestamp()
        for folder in self.directory.iterdir():
            try:
                expires = int(json.loads((folder / META).read_text())["expires"])
            except (OSError, ValueError, KeyError):
                expires = 0  # half written or unreadable: nothing can open it anyway
            if expires <= now:
                shutil.rmtree(folder, ignore_errors=True)

    # --- opening one ----------------------------------------------------------------------

    def check(self, token: str, name: str, query) -> tuple[str, dict | None]:
        """("ok", the page's record) or (why not, None): "forged", "expired"."""
        org, stamp, signature = query.get("o", ""), query.get("e", ""), query.get("s", "")
        if not (org.isdigit() and stamp.isdigit()) or not hmac.compare_digest(
                self._sign(token, name, org, stamp), signature):
            return "forged", None
        if int(stamp) <= self.now().timestamp():
            return "expired", None
        folder = self.directory / token
        if not token or "/" in token or token.startswith(".") or "/" in name or name.startswith("."):
            return "forged", None
        try:
            meta = json.loads((folder / META).read_text())
        except (OSError, ValueError):
            return "expired", None  # swept, or never made here
        if str(meta.get("org")) != org or str(meta.get("expires")) != stamp:
            return "forged", None
        if name and not (folder / name).is_file():
            return "forged", None
        return "ok", meta

    def add_routes(self, app: web.Application, sessions) -> None:
        async def open_page(request: web.Request, name: str) -> web.StreamResponse:
            token = request.match_info["token"]
            why, meta = self.check(token, name, request.query)
            if meta is not None:
                async with sessions() as session:
                    if not await may_report_on(session=session, person_id=meta["person"], org_id=meta["org"]):
                        why = "scope"
            if why != "ok":
                log.info("report link refused (%s)", why)
                return web.Response(text=refusal_page(why), status=403, content_type="text/html", charset="utf-8",
                                    headers=_private_headers())
            path = self.directory / token / (name or PAGE)
            headers = _private_headers()
            if not name:  # the page loads only its own chart and its inline style
                headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
                return web.Response(body=path.read_bytes(), content_type="text/html", charset="utf-8",
                                    headers=headers)
            kind = path.suffix[1:]
            if kind != "png":
                headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
            return web.Response(body=path.read_bytes(), content_type=MIME.get(kind, "application/octet-stream"),
                                headers=headers)

        async def page(request: web.Request) -> web.StreamResponse:
            return await open_page(request, "")

        async def file(request: web.Request) -> web.StreamResponse:
            return await open_page(request, request.match_info["name"])

        app.router.add_get(PREFIX + "/{token}", page)
        app.router.add_get(PREFIX + "/{token}/{name}", file)


def _private_headers() -> dict[str, str]:
    """Nothing kept by a browser's or proxy's cache, no address passed on to another site."""
    return {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex",
            "X-Content-Type-Options": "nosniff"}
