"""`chibo run` with a Zalo token: polling, replies, and the outbox's reminders through Zalo."""

import asyncio
import contextlib

import httpx

from bot.channels.zalo_webhook import SECRET_HEADER
from bot.clock import vn_time
from bot.config import Settings
from bot.serve import serve
from bot.serve_channels import open_zalo
from models.people import Person, link_chat
from sqlmodel import select
from tests.zalo.fake_zalo import SAFETY, TOKEN, fake_zalo, free_port  # noqa: F401


def zalo_settings(fake, database_url, tmp_path, **more) -> Settings:
    return Settings(_env_file=None, database_url=database_url, zalo_token=TOKEN, zalo_base_url=fake.url,
                    zalo_rate=1000, data_dir=str(tmp_path), **more)


@contextlib.asynccontextmanager
async def serving(chibo, settings):
    """chibo run, until the block ends (then it stops and has handled all it took in)."""
    stop = asyncio.Event()
    running = asyncio.create_task(serve(chibo, settings, stop))
    try:
        yield running
    finally:
        stop.set()
        await asyncio.wait_for(running, SAFETY)


async def test_chibo_run_serves_zalo_and_sends_reminders_there(demo, fake_zalo, database_url, tmp_path):
    demo.clock.current = vn_time(2026, 3, 2, 7, 0)
    async with demo.sessions() as session, session.begin():
        bithu = (await session.exec(select(Person).where(Person.full_name == "Nguyễn Thị Thu"))).one()
        await link_chat(session=session, channel="zalo", account_id="z-bithu", person_id=bithu.id,
                        now=demo.clock.now())
    fake_zalo.echo_own = True  # as live bots do: every message chibo sends comes back as an update
    async with serving(demo, zalo_settings(fake_zalo, database_url, tmp_path)):
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
    # what chibo remembers (the greeted chat) is in the database: the data folder holds no state
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("chibo.sqlite3")] == []


async def test_replayed_events_of_every_kind_are_answered_once_even_across_a_restart(demo, fake_zalo,
                                                                                     database_url, tmp_path):
    settings = zalo_settings(fake_zalo, database_url, tmp_path)
    events = [fake_zalo.event("message.text.received", "z1", text="/trogiup"),
              fake_zalo.event("message.image.received", "z2", photo_url="https://zalo.example/a.jpg"),
              fake_zalo.event("message.sticker.received", "z3", sticker="st-1"),
              fake_zalo.event("message.unsupported.received", "z4")]
    async with serving(demo, settings):
        for event in events:
            fake_zalo.queue(event)
        await fake_zalo.wait_for("sendMessage", 2 * len(events))  # each chat: the notice, then an answer
        fake_zalo.replay()  # getUpdates has no offset: it may hand out the same events again
        await fake_zalo.drained()
    answered = sorted(fake_zalo.texts())
    assert len(answered) == 2 * len(events)
    async with serving(demo, settings):  # a restart, on the same database and data folder
        fake_zalo.replay()
        await fake_zalo.drained()
    assert sorted(fake_zalo.texts()) == answered  # nothing answered twice


async def test_the_webhook_is_registered_once_chibo_accepts_connections(demo, fake_zalo, database_url, tmp_path):
    fake_zalo.ping_webhook = True  # setWebhook may call the URL first, and fails if nobody answers
    port, secret = free_port(), "w3bh00k-s3cret-for-tests"
    public = f"http://127.0.0.1:{port}"
    settings = zalo_settings(fake_zalo, database_url, tmp_path, public_url=public, webhook_secret=secret,
                             http_port=port)
    async with serving(demo, settings):
        await fake_zalo.until(lambda: fake_zalo.webhook["url"])
        assert fake_zalo.webhook["url"] == f"{public}/zalo/webhook"
        event = fake_zalo.event("message.text.received", "z1", text="/trogiup")  # Zalo delivers an event
        async with httpx.AsyncClient() as http:
            answer = await http.post(f"{public}/zalo/webhook", json=event, headers={SECRET_HEADER: secret})
        assert answer.status_code == 200 and "/start MÃ-MỜI" in fake_zalo.texts("z1")[-1]
        async with httpx.AsyncClient() as http:  # the load balancer's health check: counts only
            health = await http.get(f"{public}/healthz")
        said = health.json()  # the backlog changes as the catch-up run sends: only its type is known
        assert (health.status_code, said, type(said["outbox_due"])) == (
            200, {"database": "ok", "scheduler": "leader", "outbox_due": said["outbox_due"]}, int)
    assert fake_zalo.calls("getUpdates") == []  # a webhook, no polling


REPORT_SECONDS = 180  # a report's four files, on a loaded machine


async def test_chibo_run_serves_the_report_pages_zalo_links_to(demo, fake_zalo, database_url, tmp_path):
    async with demo.sessions() as session, session.begin():
        bithu = (await session.exec(select(Person).where(Person.full_name == "Nguyễn Thị Thu"))).one()
        await link_chat(session=session, channel="zalo", account_id="z-bithu", person_id=bithu.id,
                        now=demo.clock.now())
    port, secret = free_port(), "w3bh00k-s3cret-for-tests"
    public = f"http://127.0.0.1:{port}"
    settings = zalo_settings(fake_zalo, database_url, tmp_path, public_url=public, webhook_secret=secret,
                             http_port=port, link_secret="l1nk-s3cret-for-report-pages")
    # `chibo run` makes chibo and its server from the same settings (data folder, address, key)
    demo.settings.public_url, demo.settings.link_secret = public, settings.link_secret
    demo.settings.data_dir = settings.data_dir
    async with serving(demo, settings), httpx.AsyncClient(timeout=REPORT_SECONDS) as http:
        await fake_zalo.until(lambda: fake_zalo.webhook["url"])
        for text in ("/baocao", "Báo cáo tháng", "Tháng trước"):
            event = fake_zalo.event("message.text.received", "z-bithu", text=text)
            assert (await http.post(f"{public}/zalo/webhook", json=event, headers={SECRET_HEADER: secret})
                    ).status_code == 200
        said = fake_zalo.texts("z-bithu")[-1]
        assert said.startswith("Xem báo cáo trên điện thoại (số liệu, biểu đồ, tải tệp Excel, Word, PDF): ")
        link = said.split(": ", 1)[1].split("\n")[0]
        assert link.startswith(f"{public}/baocao/")
        page = await http.get(link)
        assert page.status_code == 200 and "Chi bộ Trường THPT Trần Phú (demo)" in page.text
        forged = await http.get(link[:-1] + ("0" if link[-1] != "0" else "1"))
        assert forged.status_code == 403 and "Không mở được báo cáo" in forged.text


async def test_the_zalo_pace_comes_from_the_settings(demo, fake_zalo, database_url, tmp_path):
    settings = zalo_settings(fake_zalo, database_url, tmp_path, zalo_rate_per_chat=0.5)
    channel = await open_zalo(demo, settings, None)
    try:
        assert (channel.capabilities.rate_overall, channel.capabilities.rate_per_chat) == (1000, 0.5)
        assert channel._pacer.gap_chat == 2.0  # seconds between two messages to one chat
    finally:
        await channel.stop()
