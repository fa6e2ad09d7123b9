"""Reminders through Zalo: a 403 is tried again before the secretary hears of it."""

import sqlalchemy as sa

from bot.clock import vn_time
from bot.dispatcher import Dispatcher
from models.org import find_org
from models.outbox import Due, Outbox, OutboxStatus, enqueue
from models.people import ChatLink, link_chat
from tests.zalo.fake_zalo import fake_time, fake_zalo, zalo_channel, zalo_client  # noqa: F401

BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"
UNDELIVERED = "không gửi được tin nhắn cho Trần Văn Bình"


async def no_wait(_seconds: float) -> None:
    return None


async def on_zalo(demo, account: str, chat: str) -> int:
    """The demo person of a console account, linked to a Zalo chat too; their id."""
    async with demo.sessions() as session, session.begin():
        person_id = (await session.exec(sa.select(ChatLink.person_id).where(
            ChatLink.channel == "console", ChatLink.account_id == account))).scalar_one()
        await link_chat(session=session, channel="zalo", account_id=chat, person_id=person_id, now=demo.clock.now())
    return person_id


async def branch_id(demo) -> int:
    async with demo.sessions() as session:
        [org] = await find_org(session=session, ref=BRANCH)
        return org.id


async def queue(demo, *items: Due) -> None:
    async def each():
        for item in items:
            yield item
    async with demo.sessions() as session, session.begin():
        await enqueue(session=session, items=each(), now=demo.clock.now())


def reminder(person_id: int, branch: int, n: int = 1, kind: str = "report_due") -> Due:
    return Due(f"{kind}:test{n}:p{person_id}", person_id, kind, "reminders/report_due", {"month": "02/2026"}, branch)


async def rows(demo, person_id: int) -> list[Outbox]:
    async with demo.sessions() as session:
        return list((await session.exec(sa.select(Outbox).where(Outbox.person_id == person_id)
                                        .order_by(Outbox.id))).scalars())


def dispatcher(demo, channel) -> Dispatcher:
    return Dispatcher(sessions=demo.sessions, channels={"zalo": channel}, clock=demo.clock, sleep=no_wait)


async def test_a_403_is_retried_and_the_secretary_hears_only_when_it_persists(demo, fake_zalo, zalo_channel):
    demo.clock.current = vn_time(2026, 3, 2, 9)
    await on_zalo(demo, "bithu", "z-thu")
    binh = await on_zalo(demo, "giupdo", "z-binh")
    branch = await branch_id(demo)
    run = dispatcher(demo, zalo_channel)
    await queue(demo, reminder(binh, branch, 1))
    fake_zalo.fail("sendMessage", status=403, description="Internal error")  # Zalo's hiccup, once
    await run.run_until_empty()
    assert [r.status for r in await rows(demo, binh)] == [OutboxStatus.sent]
    assert len(fake_zalo.texts("z-binh")) == 2 and fake_zalo.texts("z-thu") == []  # the secretary hears nothing
    fake_zalo.unknown_chats["z-binh"] = 403  # now Bình has blocked chibo
    await queue(demo, reminder(binh, branch, 2))
    await run.run_until_empty()
    await run.run_until_empty()  # the notice to the secretary, queued by the failure
    assert [r.status for r in await rows(demo, binh)] == [OutboxStatus.sent, OutboxStatus.failed]
    assert len(fake_zalo.texts("z-binh")) == 2 + 3  # three tries
    [notice] = fake_zalo.texts("z-thu")
    assert UNDELIVERED in notice
