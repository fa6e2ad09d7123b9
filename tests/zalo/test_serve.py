"""`chibo run` with a Zalo token: polling, replies, and the outbox's reminders through Zalo."""

import asyncio

from bot.clock import vn_time
from bot.config import Settings
from bot.serve import serve
from models.people import Person, link_chat
from sqlmodel import select
from tests.zalo.fake_zalo import SAFETY, TOKEN, fake_zalo  # noqa: F401


async def test_chibo_run_serves_zalo_and_sends_reminders_there(demo, fake_zalo, database_url, tmp_path):
    demo.clock.current = vn_time(2026, 3, 2, 7, 0)
    async with demo.sessions() as session, session.begin():
        bithu = (await session.exec(select(Person).where(Person.full_name == "Nguyễn Thị Thu"))).one()
        await link_chat(session=session, channel="zalo", account_id="z-bithu", person_id=bithu.id,
                        now=demo.clock.now())
    settings = Settings(_env_file=None, database_url=database_url, zalo_token=TOKEN,
                        zalo_base_url=fake_zalo.url, zalo_rate=1000, data_dir=str(tmp_path))
    fake_zalo.echo_own = True  # as live bots do: every message chibo sends comes back as an update
    stop = asyncio.Event()
    running = asyncio.create_task(serve(demo, settings, stop))
    try:
        # at start, the catch-up run sends today's reminders; Zalo is preferred to the console
        sent = await asyncio.wait_for(fake_zalo.wait_for("sendMessage", 1), SAFETY)
        texts = [r["text"] for r in sent if r["chat_id"] == "z-bithu"]
        assert any("Sinh hoạt chi bộ ngày 05/03/2026" in t for t in texts), sent
        fake_zalo.queue_text("z-bithu", "/ds", name="Thu")
        before = len(fake_zalo.calls("sendMessage"))
        answered = await fake_zalo.wait_for("sendMessage", before + 2)  # the first-contact notice, then /ds
        assert "trợ lý tự động" in answered[before]["text"]
        assert "Danh sách quần chúng" in answered[before + 1]["text"]
        sent = len(fake_zalo.calls("sendMessage"))
        await fake_zalo.drained()  # every echo of those messages has come back to chibo…
        assert len(fake_zalo.calls("sendMessage")) == sent  # …and none was answered
    finally:
        stop.set()
        await asyncio.wait_for(running, SAFETY)
