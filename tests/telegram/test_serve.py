"""`chibo run` with a Telegram token: polling, replies, and the outbox's reminders through Telegram.

Skipped until bot/serve.py and bot/config.py carry the Telegram wiring (CHIBO_TELEGRAM_BASE_URL,
CHIBO_TELEGRAM_RATE, CHIBO_TELEGRAM_RATE_PER_CHAT).
"""

import asyncio
import json

import pytest
from sqlmodel import select

from bot.clock import vn_time
from bot.config import Settings
from bot.serve import serve
from models.people import Person, link_chat
from tests.telegram.fake_telegram import SAFETY, TOKEN, fake_telegram  # noqa: F401

pytestmark = pytest.mark.skipif("telegram_base_url" not in Settings.model_fields,
                                reason="chibo run does not serve Telegram yet")
THU = 9001


async def test_chibo_run_serves_telegram_and_sends_reminders_there(demo, fake_telegram, database_url, tmp_path):
    demo.clock.current = vn_time(2026, 3, 2, 7, 0)
    async with demo.sessions() as session, session.begin():
        bithu = (await session.exec(select(Person).where(Person.full_name == "Nguyễn Thị Thu"))).one()
        await link_chat(session=session, channel="telegram", account_id=str(THU), person_id=bithu.id,
                        now=demo.clock.now())
    settings = Settings(_env_file=None, database_url=database_url, telegram_token=TOKEN,
                        telegram_base_url=fake_telegram.url, telegram_rate=1000, telegram_rate_per_chat=1000,
                        data_dir=str(tmp_path))
    stop = asyncio.Event()
    running = asyncio.create_task(serve(demo, settings, stop))
    try:
        # at start, the catch-up run sends today's reminders
        await fake_telegram.wait_until(lambda: fake_telegram.texts(THU))
        assert any("Sinh hoạt chi bộ ngày 05/03/2026" in t for t in fake_telegram.texts(THU))
        before = len(fake_telegram.texts(THU))
        fake_telegram.queue(fake_telegram.message(THU, "/ds"))
        await fake_telegram.wait_until(lambda: len(fake_telegram.texts(THU)) > before)
        assert "Danh sách quần chúng" in fake_telegram.texts(THU)[before]
    finally:
        stop.set()
        await asyncio.wait_for(running, SAFETY)


async def test_linking_on_telegram_sets_the_menu_of_the_role(demo, fake_telegram, database_url, tmp_path):
    from datetime import timedelta

    from models.org import find_org
    from models.people import create_invite
    from models.stage import Role
    from tests.support import INVITE_KEY

    async with demo.sessions() as session, session.begin():
        [org] = await find_org(session=session, ref="Chi bộ Trường THPT Trần Phú (demo)")
        code = await create_invite(session=session, role=Role.sponsor, org_id=org.id, now=demo.clock.now(),
                                   expires_at=demo.clock.now() + timedelta(days=7), key=INVITE_KEY)
    settings = Settings(_env_file=None, database_url=database_url, telegram_token=TOKEN,
                        telegram_base_url=fake_telegram.url, telegram_rate=1000, telegram_rate_per_chat=1000,
                        data_dir=str(tmp_path))
    stop = asyncio.Event()
    running = asyncio.create_task(serve(demo, settings, stop))
    try:
        fake_telegram.queue(fake_telegram.message(4242, f"/start {code}"))
        def chat_menus():
            return [c for c in fake_telegram.calls("setMyCommands") if "chat" in json.dumps(c.get("scope", {}))]

        await fake_telegram.wait_until(chat_menus)
        [menu] = chat_menus()
        names = [c["command"] for c in menu["commands"]]
        assert "gap" in names and "cuatoi" in names and "them" not in names
        [default] = [c for c in fake_telegram.calls("setMyCommands") if c not in chat_menus()]
        assert [c["command"] for c in default["commands"]] == ["start", "trogiup"]  # a stranger's menu
    finally:
        stop.set()
        await asyncio.wait_for(running, SAFETY)


async def test_a_role_taken_back_leaves_the_menu_at_the_next_message(demo, fake_telegram, database_url, tmp_path):
    from models.access import revoke_role
    from models.people import RoleGrant
    from models.stage import Role

    binh_chat = 4343
    async with demo.sessions() as session, session.begin():
        binh = (await session.exec(select(Person).where(Person.full_name == "Trần Văn Bình"))).one()
        await link_chat(session=session, channel="telegram", account_id=str(binh_chat), person_id=binh.id,
                        now=demo.clock.now())
        grant = (await session.exec(select(RoleGrant).where(RoleGrant.person_id == binh.id))).one()
    settings = Settings(_env_file=None, database_url=database_url, telegram_token=TOKEN,
                        telegram_base_url=fake_telegram.url, telegram_rate=1000, telegram_rate_per_chat=1000,
                        data_dir=str(tmp_path))
    stop = asyncio.Event()
    running = asyncio.create_task(serve(demo, settings, stop))

    def chat_menus():
        return [c for c in fake_telegram.calls("setMyCommands") if "chat" in json.dumps(c.get("scope", {}))]

    try:
        fake_telegram.queue(fake_telegram.message(binh_chat, "/trogiup"))
        await fake_telegram.wait_until(chat_menus)
        [menu] = chat_menus()
        assert "gap" in [c["command"] for c in menu["commands"]]
        fake_telegram.queue(fake_telegram.message(binh_chat, "/trogiup"))
        await fake_telegram.wait_until(lambda: len(fake_telegram.texts(binh_chat)) >= 2)
        assert len(chat_menus()) == 1 and fake_telegram.calls("deleteMyCommands") == []  # unchanged: not set again
        async with demo.sessions() as session, session.begin():  # as `chibo role revoke` does
            await revoke_role(session=session, person_id=binh.id, org_id=grant.org_id, role=Role(grant.role),
                              now=demo.clock.now(), by_person_id=None)
        fake_telegram.queue(fake_telegram.message(binh_chat, "/gap"))
        await fake_telegram.wait_until(lambda: fake_telegram.calls("deleteMyCommands"))
        assert fake_telegram.calls("deleteMyCommands") == [{"scope": {"type": "chat", "chat_id": binh_chat}}]
    finally:
        stop.set()
        await asyncio.wait_for(running, SAFETY)
