"""A Zalo account for bithu and chibo's report pages served on 127.0.0.1 (for the page tests)."""

import contextlib
import re

from aiohttp import web
from sqlmodel import select

from bot.channels.port import Capabilities
from bot.report_pages import ReportPages
from models.people import ChatLink, link_chat
from tests.support import Convo
from tests.zalo.fake_zalo import serve

LINK_SECRET = "test-link-secret-for-report-pages-42"
ZALO_CAPS = Capabilities(buttons=False, max_text=2000, markup=None, files=False, photos=True)
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/baocao/[A-Za-z0-9_-]+\?o=(\d+)&e=(\d+)&s=[0-9a-f]{64})")


async def on_zalo(demo, account: str = "bithu") -> Convo:
    """The console account's person, linked to a Zalo chat too."""
    async with demo.sessions() as session, session.begin():
        person_id = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == account))).one()
        await link_chat(session=session, channel="zalo", account_id=f"z-{account}", person_id=person_id,
                        now=demo.clock.now())
    return Convo(demo, account=f"z-{account}", channel="zalo", caps=ZALO_CAPS)


@contextlib.asynccontextmanager
async def pages_served(demo, settings):
    """chibo's HTTP endpoint with the report pages; settings.public_url is set to its address."""
    app = web.Application()
    settings.public_url, settings.link_secret = "http://127.0.0.1", LINK_SECRET  # the port comes next
    ReportPages.from_settings(settings, demo.clock.now).add_routes(app, demo.sessions)
    runner, url = await serve(app)
    settings.public_url = url
    try:
        yield url
    finally:
        await runner.cleanup()
