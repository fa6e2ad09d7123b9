"""A candidate's introducers as records (models/introducers.py), asked directly on the demo: who
they are on the roster, since when they have been with the candidate, and replacing them. In
the demo Đặng Ngọc Lan is introduced by her sponsor Trần Văn Bình, with her for three years."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import select

from models.introducers import IntroducerRecord, introductions, set_introducers
from models.roster import MemberStatus
from tests.unit.demo_rows import candidate, member

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
LAN = "Đặng Ngọc Lan"


def utc(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def test_an_introducer_is_read_with_their_standing_on_the_roster(db):
    lan, binh = await candidate(db, LAN), await member(db, "Trần Văn Bình")
    [one] = await introductions(db, candidate_id=lan.id)
    assert (one.member_id, one.name) == (binh.id, "Trần Văn Bình")
    assert (one.standing.status, one.standing.since, one.standing.left_on) == (
        MemberStatus.official, binh.since, None)
    assert one.together_since == (await db.exec(select(IntroducerRecord.together_since))).one()
    assert await introductions(db, candidate_id=(await candidate(db, "Bùi Quốc Huy")).id) == ()


async def test_an_introducer_is_read_as_the_roster_stands_now(db):
    lan, binh = await candidate(db, LAN), await member(db, "Trần Văn Bình")
    binh.status, binh.left_on = MemberStatus.probationary, date(2026, 2, 1)
    db.add(binh)
    await db.flush()
    [one] = await introductions(db, candidate_id=lan.id)
    assert (one.standing.status, one.standing.left_on) == (MemberStatus.probationary, date(2026, 2, 1))


async def test_setting_the_introducers_replaces_them_in_the_order_chosen_and_returns_the_old(db):
    lan, binh = await candidate(db, LAN), await member(db, "Trần Văn Bình")
    thu, phuoc = await member(db, "Nguyễn Thị Thu"), await member(db, "Nguyễn Hữu Phước")
    old = await introductions(db, candidate_id=lan.id)
    before = await set_introducers(session=db, candidate_id=lan.id,
                                   chosen=[(phuoc.id, date(2020, 9, 1)), (thu.id, date(2021, 9, 1))], now=NOW)
    assert before == old and [i.member_id for i in before] == [binh.id]
    now = await introductions(db, candidate_id=lan.id)
    assert [(i.name, i.together_since) for i in now] == [("Nguyễn Hữu Phước", date(2020, 9, 1)),
                                                         ("Nguyễn Thị Thu", date(2021, 9, 1))]
    kept = (await db.exec(select(IntroducerRecord).where(IntroducerRecord.candidate_id == lan.id)
                          .order_by(IntroducerRecord.id))).all()
    assert [utc(k.at) for k in kept] == [NOW, NOW]
    # Another candidate's introducers are not touched.
    huy = await candidate(db, "Bùi Quốc Huy")
    await set_introducers(session=db, candidate_id=huy.id, chosen=[(binh.id, date(2019, 1, 1))], now=NOW)
    assert await set_introducers(session=db, candidate_id=lan.id, chosen=[], now=NOW) == now
    assert await introductions(db, candidate_id=lan.id) == ()
    assert [i.name for i in await introductions(db, candidate_id=huy.id)] == ["Trần Văn Bình"]
    assert (await db.exec(sa.select(sa.func.count()).select_from(IntroducerRecord))).scalar_one() == 1


async def test_the_introducers_come_back_in_the_order_chosen_not_by_member(db):
    lan = await candidate(db, LAN)
    thu, phuoc = await member(db, "Nguyễn Thị Thu"), await member(db, "Nguyễn Hữu Phước")
    first, second = sorted((thu, phuoc), key=lambda m: m.id, reverse=True)  # the higher member id chosen first
    await set_introducers(session=db, candidate_id=lan.id,
                          chosen=[(first.id, date(2020, 9, 1)), (second.id, date(2021, 9, 1))], now=NOW)
    assert [i.member_id for i in await introductions(db, candidate_id=lan.id)] == [first.id, second.id]
