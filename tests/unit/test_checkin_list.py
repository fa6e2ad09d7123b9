"""A sponsor's meetings, asked directly on the demo: which of his candidates he is nudged to meet
and in which order, each one's last meeting, and what a logged meeting keeps (mutation testing
of models/checkin.py found these unguarded by fast tests).

The demo sponsor Trần Văn Bình last met Lê Hoàng Minh 12 days ago, Phạm Thu Hà 41, Võ Thanh
Tùng 8 and Đinh Văn Khoa 33; the branch nudges after 30 days without a meeting."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from models.candidate import Candidate
from models.checkin import Checkin, CheckinHow, add_checkin, last_met, oldest_checkin_day, sponsored
from models.org import Organisation
from models.people import Person
from tests.unit.demo_rows import candidate

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


async def sponsor_id(db) -> int:
    return (await db.exec(sa.select(Person.id).where(Person.full_name == "Trần Văn Bình"))).scalar_one()


async def mine(db, today=TODAY) -> list[tuple[str, int | None, bool]]:
    rows = await sponsored(session=db, where=Candidate.sponsor_id == await sponsor_id(db), today=today)
    return [(r.full_name, r.days, r.nudge) for r in rows]


def test_a_meeting_may_be_logged_up_to_twelve_months_after_it_took_place():
    assert oldest_checkin_day(date(2026, 3, 2)) == date(2025, 3, 2)
    assert oldest_checkin_day(date(2024, 2, 29)) == date(2023, 2, 28)


async def test_the_sponsor_meets_first_those_never_met_then_those_met_longest_ago(db):
    assert await mine(db) == [
        ("Đặng Ngọc Lan", None, True), ("Bùi Quốc Huy", None, True), ("Hoàng Mai Anh", None, True),
        ("Tạ Minh Đức", None, True),  # admitted: still in the pipeline
        ("Phạm Thu Hà", 41, True), ("Đinh Văn Khoa", 33, True),
        ("Lê Hoàng Minh", 12, False), ("Võ Thanh Tùng", 8, False)]  # Cao Thị Huyền is official: done


async def test_each_line_tells_the_candidate_and_the_last_meeting(db):
    rows = await sponsored(session=db, where=Candidate.sponsor_id == await sponsor_id(db), today=TODAY)
    minh = await candidate(db, "Lê Hoàng Minh")
    line = next(r for r in rows if r.full_name == "Lê Hoàng Minh")
    assert (line.id, line.number, line.stage, line.last_met) == (minh.id, minh.number, "sympathizer", date(2026, 2, 18))
    assert next(r for r in rows if r.full_name == "Hoàng Mai Anh").last_met is None


async def test_the_nudge_comes_on_the_branchs_day_exactly(db):
    branch = await db.get(Organisation, (await candidate(db, "Lê Hoàng Minh")).branch_id)
    branch.sponsor_nudge_days = 12
    await db.flush()
    assert ("Lê Hoàng Minh", 12, True) in await mine(db)
    assert ("Võ Thanh Tùng", 8, False) in await mine(db)
    branch.sponsor_nudge_days = 13
    await db.flush()
    assert ("Lê Hoàng Minh", 12, False) in await mine(db)


async def test_the_same_days_since_go_by_register_number(db):
    tung = await candidate(db, "Võ Thanh Tùng")
    await add_checkin(session=db, candidate_id=tung.id, sponsor_id=await sponsor_id(db), met_on=date(2026, 2, 18),
                      how="phone", assessment=None, note=None, now=NOW)
    assert (await mine(db))[-2:] == [("Lê Hoàng Minh", 12, False), ("Võ Thanh Tùng", 8, False)]
    assert (await candidate(db, "Lê Hoàng Minh")).number < tung.number


async def test_a_logged_meeting_is_kept_and_becomes_the_last_one(db):
    ha = await candidate(db, "Phạm Thu Hà")
    me = await sponsor_id(db)
    row = await add_checkin(session=db, candidate_id=ha.id, sponsor_id=me, met_on=date(2026, 2, 27),
                            how="in_person", assessment="good", note="Gặp ở trường", now=NOW)
    kept = await db.get(Checkin, row.id)
    assert (kept.candidate_id, kept.sponsor_id, kept.met_on, kept.how, kept.assessment, kept.note) == (
        ha.id, me, date(2026, 2, 27), CheckinHow.in_person, "good", "Gặp ở trường")
    assert kept.at.replace(tzinfo=UTC) == NOW
    assert ("Phạm Thu Hà", 3, False) in await mine(db)
    # an older meeting logged afterwards does not hide the newer one
    await add_checkin(session=db, candidate_id=ha.id, sponsor_id=me, met_on=date(2026, 1, 2), how="online",
                      assessment=None, note=None, now=NOW)
    assert await last_met(session=db, candidate_ids=[ha.id]) == {ha.id: date(2026, 2, 27)}


async def test_last_met_only_for_the_candidates_asked_who_were_met(db):
    minh, tung, lan = [await candidate(db, n) for n in ("Lê Hoàng Minh", "Võ Thanh Tùng", "Đặng Ngọc Lan")]
    assert await last_met(session=db, candidate_ids=[minh.id, lan.id]) == {minh.id: date(2026, 2, 18)}
    assert await last_met(session=db, candidate_ids=[minh.id, tung.id]) == {
        minh.id: date(2026, 2, 18), tung.id: date(2026, 2, 22)}
    assert await last_met(session=db, candidate_ids=[]) == {}
