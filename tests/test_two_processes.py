"""Two real `chibo run` processes on one PostgreSQL serve Zalo's and Telegram's webhooks, each
update sent to one process or the other: every message is answered once and in order, a
conversation goes on whichever process takes the next step (a Telegram keyboard sent by one is
tapped through the other), one process leads the scheduler, and a SIGTERM lets a process finish
the message in hand and exit 0 while the other keeps serving and takes the lead.

PostgreSQL lane only: on SQLite one process serves a database by design."""

import asyncio
import os
import signal
import sys
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel, select

from bot.app import Chibo
from bot.channels.telegram_webhook import SECRET_HEADER as TELEGRAM_SECRET_HEADER
from bot.channels.zalo_webhook import SECRET_HEADER as ZALO_SECRET_HEADER
from bot.config import Settings
from bot.demo import create_demo
from bot.migrate import alembic_config
from bot.scheduler import enqueue_due
from models.outbox import Outbox, OutboxStatus
from models.people import Person, link_chat
from tests.telegram.fake_telegram import TOKEN as TELEGRAM_TOKEN, FakeTelegram
from tests.zalo.fake_zalo import TOKEN as ZALO_TOKEN, FakeZalo, free_port

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                                reason="PostgreSQL lane only: on SQLite one process serves a database")

SECRET = "tw0-pr0cesses_webhook-secret"
START = 240  # seconds a process may take to start on a busy machine (only so a broken test fails)
WAIT = 60  # seconds for anything else
ZALO_CHATS = {"z-one": ("Nguyễn Thị Hoa", "05/09/2004"), "z-two": ("Trần Văn Nam", "01/01/2000")}
TELEGRAM_CHATS = {61001: ("Lê Thị Mai", "12/12/2001"), 61002: ("Phạm Văn Hùng", "03/03/2003")}


def turns(name: str, born: str, *, taps: bool) -> list[tuple[str, str, str]]:
    """/them from the first question to the save: (say or tap, what, a phrase of the one answer)."""
    tap = "tap" if taps else "say"
    return [("say", "/them", "Họ và tên đầy đủ"), ("say", name, f"Ngày sinh của {name}"),
            ("say", born, "Giới tính?"), (tap, "Nữ", "thuộc đối tượng nào"), ("say", "1", "đơn vị nào"),
            (tap, "Bỏ qua", "đoàn viên"), (tap, "Có", "Ai giới thiệu"), (tap, "Đoàn Thanh niên", "Ghi chú thêm"),
            ("say", "Tích cực", "Xin kiểm tra lại trước khi lưu"), (tap, "Lưu", f"Đã lưu {name}")]


class HoldingZalo(FakeZalo):
    """Zalo whose answer to a message to a chat in `held` waits until `release` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.held: set[str] = set()
        self.release = asyncio.Event()

    async def _sendMessage(self, body: dict):
        if body.get("chat_id") in self.held:
            await self.release.wait()
        return await super()._sendMessage(body)


@dataclass
class Running:
    """One `chibo run` process and its HTTP port."""

    proc: asyncio.subprocess.Process
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def said(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


async def until(condition, what: str, timeout: float = WAIT) -> None:
    """Polls `condition()` (async) every 50 ms until it holds."""
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        await asyncio.sleep(0.05)


@asynccontextmanager
async def scratch_database():
    """A PostgreSQL database of the test's own beside TEST_DATABASE_URL, at the schema's head."""
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{base.database}_two_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        engine = create_async_engine(url)
        async with engine.begin() as conn:  # the models' schema is the migrations' (tests/test_migrations.py)
            await conn.run_sync(SQLModel.metadata.create_all)
        await engine.dispose()
        from alembic import command

        await asyncio.to_thread(command.stamp, alembic_config(url), "head")  # chibo run's upgrade: nothing to do
        yield url
    finally:
        async with admin.connect() as conn:
            try:
                await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except sa.exc.DBAPIError:
                await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        await admin.dispose()


async def prepare(url: str) -> None:
    """The demo, its secretary on the test's Zalo and Telegram chats, and today's reminders out
    already (so that only answers reach those chats while the test runs)."""
    chibo = Chibo(Settings(_env_file=None, database_url=url))
    try:
        now = chibo.clock.now()
        async with chibo.sessions() as session, session.begin():
            await create_demo(session=session, now=now, today=chibo.clock.today())
        async with chibo.sessions() as session, session.begin():
            bithu = (await session.exec(select(Person).where(Person.full_name == "Nguyễn Thị Thu"))).one()
            for chat in ZALO_CHATS:
                await link_chat(session=session, channel="zalo", account_id=chat, person_id=bithu.id, now=now)
            for chat in TELEGRAM_CHATS:
                await link_chat(session=session, channel="telegram", account_id=str(chat), person_id=bithu.id,
                                now=now)
        await enqueue_due(chibo.sessions, now)
        async with chibo.sessions() as session, session.begin():
            await session.exec(sa.update(Outbox).values(status=OutboxStatus.sent, sent_at=now))
    finally:
        await chibo.close()


async def start(url: str, zalo: FakeZalo, telegram: FakeTelegram, folder: Path) -> Running:
    folder.mkdir()
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CHIBO_DATABASE_URL": url, "CHIBO_DATA_DIR": str(folder),
           "CHIBO_ZALO_TOKEN": ZALO_TOKEN, "CHIBO_ZALO_BASE_URL": zalo.url, "CHIBO_ZALO_RATE": "1000",
           "CHIBO_ZALO_MONTHLY_QUOTA": "0", "CHIBO_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
           "CHIBO_TELEGRAM_BASE_URL": telegram.url, "CHIBO_TELEGRAM_RATE": "1000",
           "CHIBO_TELEGRAM_RATE_PER_CHAT": "1000", "CHIBO_PUBLIC_URL": "https://chibo.example",
           "CHIBO_WEBHOOK_SECRET": SECRET, "CHIBO_HTTP_HOST": "127.0.0.1", "CHIBO_HTTP_PORT": str(port),
           "CHIBO_LEADER_CHECK_SECONDS": "0.5", "CHIBO_LOG_LEVEL": "INFO"}
    log = folder / "chibo.log"
    with log.open("w") as out:  # the process has its own copy of the descriptor
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=folder, env=env,
                                                    stdout=out, stderr=out)
    return Running(proc, port, log)


async def health(http: httpx.AsyncClient, process: Running) -> dict | None:
    try:
        answer = await http.get(f"{process.url}/healthz")
    except httpx.TransportError:
        return None
    return answer.json() if answer.status_code == 200 else None


async def leaders(http: httpx.AsyncClient, processes: list[Running]) -> list[bool]:
    return [(await health(http, p) or {}).get("scheduler") == "leader" for p in processes]


async def post_zalo(http: httpx.AsyncClient, process: Running, zalo: FakeZalo, chat: str, text: str) -> None:
    event = zalo.event("message.text.received", chat, text=text, name="Thu")
    answer = await http.post(f"{process.url}/zalo/webhook", json=event, headers={ZALO_SECRET_HEADER: SECRET})
    assert answer.status_code == 200, answer.text


async def post_telegram(http: httpx.AsyncClient, process: Running, telegram: FakeTelegram, update: dict) -> None:
    answer = await http.post(f"{process.url}/telegram/webhook", json=update,
                             headers={TELEGRAM_SECRET_HEADER: SECRET})
    assert answer.status_code == 200, answer.text


async def test_two_chibo_run_processes_on_one_postgresql_serve_zalo_and_telegram(tmp_path):
    zalo, telegram = await HoldingZalo().start(), await FakeTelegram().start()
    processes: list[Running] = []
    try:
        async with scratch_database() as url, httpx.AsyncClient(timeout=WAIT) as http:
            await prepare(url)
            processes = [await start(url, zalo, telegram, tmp_path / name) for name in ("first", "second")]

            async def both_up() -> bool:
                for p in processes:
                    assert p.proc.returncode is None, f"chibo run exited with {p.proc.returncode}:\n{p.said()}"
                return all([await health(http, p) for p in processes]) and any(await leaders(http, processes))

            await until(both_up, "both processes answer /healthz and one leads", START)
            assert sorted(await leaders(http, processes)) == [False, True]  # one leader, one standby

            async def zalo_chat(chat: str, first: int) -> list[str]:
                name, born = ZALO_CHATS[chat]
                answers = []
                for i, (_how, said, expected) in enumerate(turns(name, born, taps=False)):
                    before = len(zalo.texts(chat))
                    await post_zalo(http, processes[(first + i) % 2], zalo, chat, said)
                    new = zalo.texts(chat)[before:]
                    if i == 0:  # a chat's first answer comes after the first-contact notice, once
                        assert "trợ lý tự động" in new.pop(0)
                    assert len(new) == 1 and expected in new[0], f"{chat} after {said!r}: {new}"
                    answers += new
                return answers

            async def telegram_chat(chat: int, first: int) -> list[str]:
                name, born = TELEGRAM_CHATS[chat]
                answers = []
                for i, (how, said, expected) in enumerate(turns(name, born, taps=True)):
                    before = len(telegram.texts(chat))
                    update = telegram.tap(chat, said) if how == "tap" else telegram.message(chat, said)
                    await post_telegram(http, processes[(first + i) % 2], telegram, update)
                    new = telegram.texts(chat)[before:]
                    assert len(new) == 1 and expected in new[0], f"{chat} after {how} {said!r}: {new}"
                    answers += new
                return answers

            # Each chat's updates alternate between the two processes; the chats go side by side.
            await asyncio.gather(*(zalo_chat(chat, i) for i, chat in enumerate(ZALO_CHATS)),
                                 *(telegram_chat(chat, i) for i, chat in enumerate(TELEGRAM_CHATS)))
            assert len(telegram.calls("answerCallbackQuery")) == 2 * 5  # every tap taken, on either process
            async with Chibo(Settings(_env_file=None, database_url=url)).sessions() as session:
                saved = {n for (n,) in (await session.exec(sa.text(
                    "SELECT full_name FROM candidate WHERE full_name IN :names").bindparams(
                    sa.bindparam("names", expanding=True)),
                    params={"names": [n for n, _ in [*ZALO_CHATS.values(), *TELEGRAM_CHATS.values()]]})).all()}
            assert saved == {n for n, _ in [*ZALO_CHATS.values(), *TELEGRAM_CHATS.values()]}
            assert sorted(await leaders(http, processes)) == [False, True]

            # SIGTERM to the leader while it handles a message: it finishes it, then exits 0; the
            # other keeps serving and takes the lead.
            leader, other = processes if (await leaders(http, processes))[0] else processes[::-1]
            zalo.held.add("z-one")
            asked = len(zalo.texts("z-one"))
            in_hand = asyncio.create_task(post_zalo(http, leader, zalo, "z-one", "/trogiup"))

            async def answering() -> bool:
                return len([b for b in zalo.calls("sendMessage") if b.get("chat_id") == "z-one"]) > asked

            await until(answering, "the leader sends its answer")
            leader.proc.send_signal(signal.SIGTERM)

            async def other_leads() -> bool:
                return (await health(http, other) or {}).get("scheduler") == "leader"

            await until(other_leads, "the other process takes the lead")
            before = len(telegram.texts(61001))
            await post_telegram(http, other, telegram, telegram.message(61001, "/trogiup"))
            assert len(telegram.texts(61001)) == before + 1  # served meanwhile
            assert not in_hand.done() and leader.proc.returncode is None  # still finishing its message
            zalo.release.set()
            await asyncio.wait_for(in_hand, WAIT)  # answered 200…
            assert "/them" in zalo.texts("z-one")[-1]  # …after the answer went out
            assert await asyncio.wait_for(leader.proc.wait(), WAIT) == 0, leader.said()
            assert "Traceback" not in leader.said() and " ERROR " not in leader.said(), leader.said()
            assert (await health(http, other))["scheduler"] == "leader"
            other.proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(other.proc.wait(), WAIT) == 0, other.said()
    except BaseException:
        for p in processes:  # what they logged, beside the failure
            print(f"--- chibo run on port {p.port}:\n{p.said()}")
        raise
    finally:
        zalo.release.set()
        for p in processes:
            if p.proc.returncode is None:
                p.proc.kill()
                await p.proc.wait()
        await zalo.stop()
        await telegram.stop()
