"""Two chibo processes on one PostgreSQL receive one chat's messages: they are handled one at a
time, the second seeing what the first saved (never both reading the same conversation)."""

import asyncio
import os

import pytest
from sqlalchemy import text

from bot.app import Chibo
from bot.events import Incoming
from tests.support import PLAIN

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                                reason="PostgreSQL lane only: SQLite serves one process")


def message(chibo, text_: str, n: int) -> Incoming:
    return Incoming(channel="console", chat_id="bithu", sender_id="bithu", text=text_,
                    message_id=f"order-{n}", received_at=chibo.clock.now(), sender_name="bithu")


async def waiting_for_a_chat_lock(chibo) -> bool:
    async with chibo.sessions() as session:
        found = await session.exec(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            # this database's: another test process may be waiting on a lock of its own database
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
        return found.scalar() > 0


async def test_a_chats_messages_on_two_processes_are_handled_one_after_the_other(demo, settings, clock):
    first, second = demo, Chibo(settings, clock, mark_every=0)  # two processes: two engines, two pools
    entered, release = asyncio.Event(), asyncio.Event()
    route = first.engine._route

    async def slow_route(*args, **kw):  # the first process is still handling "/them"…
        entered.set()
        await release.wait()
        return await route(*args, **kw)

    first.engine._route = slow_route
    try:
        starting = asyncio.create_task(first.process(message(first, "/them", 1), PLAIN))
        await asyncio.wait_for(entered.wait(), 30)
        # …when the second receives the name: it waits for the first to finish
        answering = asyncio.create_task(second.process(message(second, "Nguyễn Văn Tư", 2), PLAIN))
        for _ in range(400):
            if await waiting_for_a_chat_lock(second):
                break
            await asyncio.sleep(0.025)
        assert await waiting_for_a_chat_lock(second) and not answering.done()
        release.set()
        await asyncio.wait_for(starting, 30)
        answer = await asyncio.wait_for(answering, 30)
        assert [m.text for m in answer] == ["Ngày sinh của Nguyễn Văn Tư? (ngày/tháng/năm, ví dụ 05/09/2004)"]
    finally:
        release.set()
        await second.close()


async def waiting_for_a_row_lock(chibo) -> bool:
    async with chibo.sessions() as session:
        found = await session.exec(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND datname = current_database()"))
        return found.scalar() > 0


async def test_two_saves_in_one_branch_at_once_take_the_next_two_numbers(demo, settings, clock):
    """Two chats (here two processes) save a candidate in one branch at the same moment: the second
    waits for the first and takes the number after it (before, both took the same, and one failed)."""
    from datetime import date

    from bot.demo import BRANCH
    from models.candidate import NewCandidate, register_candidate
    from models.org import find_org
    from models.stage import Category, Gender, IntroducedBy
    from models.statements import SessionStatements

    second = Chibo(settings, clock, mark_every=0)
    async with demo.sessions() as session:
        [branch] = await find_org(session=session, ref=BRANCH)

    async def save(chibo, name: str, session=None) -> int:
        new = NewCandidate(full_name=name, birth_date=date(2004, 9, 5), gender=Gender.female,
                           category=Category.teacher, youth_union=True, introduced_by=IntroducedBy.youth_union,
                           note=None)
        candidate = await register_candidate(db=SessionStatements(session), branch_id=branch.id, new=new,
                                             by_person_id=None,
                                             now=clock.now(), today=clock.today())
        return candidate.number

    try:
        async with demo.sessions() as first_session, first_session.begin():
            first = await save(demo, "Nguyễn Thị Hoa", first_session)  # not committed yet…

            async def other() -> int:
                async with second.sessions() as session, session.begin():
                    return await save(second, "Trần Thị Lan", session)

            saving = asyncio.create_task(other())  # …when the other process saves in the same branch
            for _ in range(400):
                if await waiting_for_a_row_lock(second):
                    break
                await asyncio.sleep(0.025)
            assert await waiting_for_a_row_lock(second) and not saving.done()
        assert await asyncio.wait_for(saving, 30) == first + 1
    finally:
        await second.close()
