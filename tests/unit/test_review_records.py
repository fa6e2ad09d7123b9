"""The monthly review and the quarterly survey, asked directly on the demo: the order a review
walks the candidates in, what one candidate's sheet shows, and one record per month or quarter
(mutation testing of models/review.py found these unguarded by fast tests)."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models.candidate import Candidate
from models.checkin import Checkin, CheckinHow
from models.org import Organisation
from models.people import Person
from models.review import (MonthlyReview, ReviewDecision, SourceSurvey, candidates_by_id, last_review_on,
                           record_review, record_survey, review_period, reviewed_count, sheet, survey_period,
                           walk_ids)
from models.stage import Stage
from tests.unit.demo_rows import candidate

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def branch_id(db, name) -> int:
    return (await db.exec(sa.select(Organisation.id).where(Organisation.name == name))).scalar_one()


async def names(db, ids) -> list[str]:
    by_id = await candidates_by_id(session=db, ids=ids)
    return [by_id[i].full_name for i in ids]


def test_a_review_is_for_a_month_and_a_survey_for_a_quarter():
    assert review_period(date(2026, 3, 2)) == "2026-03"
    assert review_period(date(2026, 12, 31)) == "2026-12"
    assert review_period(date(999, 1, 1)) == "0999-01"
    assert [survey_period(date(2026, m, 1)) for m in range(1, 13)] == [
        "2026-Q1", "2026-Q1", "2026-Q1", "2026-Q2", "2026-Q2", "2026-Q2",
        "2026-Q3", "2026-Q3", "2026-Q3", "2026-Q4", "2026-Q4", "2026-Q4"]


async def test_a_review_walks_sources_then_sympathizers_branch_by_branch_in_number_order(db):
    tp = await branch_id(db, BRANCH)
    ids = await walk_ids(session=db, where=Candidate.branch_id == tp, stages=[Stage.sympathizer, Stage.source])
    assert await names(db, ids) == [
        "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Trịnh Công Sơn", "Vũ Thị Thanh Xuân",
        "Lê Hoàng Minh", "Phạm Thu Hà", "Đinh Văn Khoa"]
    everywhere = await walk_ids(session=db, where=sa.true(), stages=["source", "sympathizer"])
    assert await names(db, everywhere) == [
        "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Trịnh Công Sơn", "Vũ Thị Thanh Xuân", "Lý Thị Hồng",
        "Lê Hoàng Minh", "Phạm Thu Hà", "Đinh Văn Khoa", "Ngô Đức Thắng"]
    assert await walk_ids(session=db, where=sa.true(), stages=[Stage.proposed]) == [
        (await candidate(db, "Bùi Quốc Huy")).id]


async def test_the_walk_follows_the_register_number_not_the_order_of_entry(db):
    an, ngoc = await candidate(db, "Nguyễn Văn An"), await candidate(db, "Trần Thị Bích Ngọc")
    a, b = an.number, ngoc.number
    an.number = 999  # the register number is unique in a branch: swap through a free one
    await db.flush()
    ngoc.number = a
    await db.flush()
    an.number = b
    await db.flush()
    ids = await walk_ids(session=db, where=Candidate.branch_id == an.branch_id, stages=[Stage.source])
    assert (await names(db, ids))[:2] == ["Trần Thị Bích Ngọc", "Nguyễn Văn An"]


async def test_a_sheet_shows_the_sponsor_the_last_meeting_and_this_periods_records(db):
    minh = await candidate(db, "Lê Hoàng Minh")
    tp = minh.branch_id
    db.add_all([
        Checkin(candidate_id=minh.id, sponsor_id=minh.sponsor_id, met_on=date(2026, 2, 20), how=CheckinHow.phone,
                note="later day, entered first", at=NOW),
        Checkin(candidate_id=minh.id, sponsor_id=minh.sponsor_id, met_on=date(2026, 2, 10), how=CheckinHow.phone,
                note="earlier day, entered last", at=NOW),
    ])
    await db.flush()
    await record_review(session=db, candidate_id=minh.id, period="2026-03", decision=ReviewDecision.keep,
                        reason=None, by_person_id=None, now=NOW)
    await record_review(session=db, candidate_id=minh.id, period="2026-02", decision=ReviewDecision.remove,
                        reason="old", by_person_id=None, now=NOW)
    await record_survey(session=db, candidate_id=minh.id, period="2026-Q1", assessment="good", note=None,
                        by_person_id=None, now=NOW)
    page = await sheet(session=db, candidate_id=minh.id, where=Candidate.branch_id == tp,
                       review_period="2026-03", survey_period="2026-Q1")
    assert page.candidate.full_name == "Lê Hoàng Minh"
    assert page.sponsor == "Trần Văn Bình"
    assert page.checkin.met_on == date(2026, 2, 20)
    assert page.review.decision == ReviewDecision.keep and page.review.period == "2026-03"
    assert page.survey.assessment == "good"
    # the same day twice: the one entered last
    db.add(Checkin(candidate_id=minh.id, sponsor_id=minh.sponsor_id, met_on=date(2026, 2, 20), how=CheckinHow.online,
                   note="same day, entered last", at=NOW))
    await db.flush()
    page = await sheet(session=db, candidate_id=minh.id, where=sa.true())
    assert page.checkin.note == "same day, entered last"
    assert page.review is None and page.survey is None  # no period asked, none shown
    page = await sheet(session=db, candidate_id=minh.id, where=sa.true(), review_period="2025-12",
                       survey_period="2025-Q4")
    assert page.review is None and page.survey is None


async def test_a_sheet_of_a_candidate_without_sponsor_or_meeting_and_one_out_of_reach(db):
    an = await candidate(db, "Nguyễn Văn An")
    page = await sheet(session=db, candidate_id=an.id, where=Candidate.branch_id == an.branch_id)
    assert page.candidate.id == an.id
    assert page.sponsor is None and page.checkin is None
    # another candidate's meeting is not hers
    minh = await candidate(db, "Lê Hoàng Minh")
    db.add(Checkin(candidate_id=minh.id, sponsor_id=minh.sponsor_id, met_on=date(2026, 2, 1), how=CheckinHow.phone,
                   at=NOW))
    await db.flush()
    assert (await sheet(session=db, candidate_id=an.id, where=sa.true())).checkin is None
    second = await branch_id(db, SECOND_BRANCH)
    assert await sheet(session=db, candidate_id=an.id, where=Candidate.branch_id == second) is None


async def test_a_months_review_is_kept_once_and_a_second_replaces_it(db):
    an, ngoc = await candidate(db, "Nguyễn Văn An"), await candidate(db, "Trần Thị Bích Ngọc")
    bithu = (await db.exec(sa.select(Person.id).where(Person.full_name == "Nguyễn Thị Thu"))).scalar_one()
    assert await record_review(session=db, candidate_id=an.id, period="2026-03", decision=ReviewDecision.keep,
                               reason=None, by_person_id=None, now=NOW) is None
    later = NOW + timedelta(hours=1)
    assert await record_review(session=db, candidate_id=an.id, period="2026-03", decision=ReviewDecision.move_up,
                               reason="tiến bộ", by_person_id=bithu, now=later) == ReviewDecision.keep
    assert await record_review(session=db, candidate_id=ngoc.id, period="2026-03", decision=ReviewDecision.remove,
                               reason=None, by_person_id=None, now=NOW) is None
    assert await record_review(session=db, candidate_id=an.id, period="2026-04", decision=ReviewDecision.keep,
                               reason=None, by_person_id=None, now=NOW) is None
    rows = (await db.exec(sa.select(MonthlyReview)
                          .where(MonthlyReview.candidate_id == an.id, MonthlyReview.period >= "2026-03")
                          .order_by(MonthlyReview.period))).scalars().all()
    assert [(r.period, r.decision, r.reason, r.by_person_id) for r in rows] == [
        ("2026-03", ReviewDecision.move_up, "tiến bộ", bithu), ("2026-04", ReviewDecision.keep, None, None)]
    assert rows[0].at.replace(tzinfo=UTC) == later
    ids = [an.id, ngoc.id]
    assert await reviewed_count(session=db, ids=ids, period="2026-03") == 2
    assert await reviewed_count(session=db, ids=[ngoc.id], period="2026-03") == 1
    assert await reviewed_count(session=db, ids=ids, period="2026-04") == 1
    assert await reviewed_count(session=db, ids=[], period="2026-03") == 0
    assert await reviewed_count(session=db, ids=ids, period="2026-03", table=SourceSurvey) == 0


async def test_a_quarters_survey_is_kept_once_and_a_second_replaces_it(db):
    an = await candidate(db, "Nguyễn Văn An")
    bithu = (await db.exec(sa.select(Person.id).where(Person.full_name == "Nguyễn Thị Thu"))).scalar_one()
    assert await record_survey(session=db, candidate_id=an.id, period="2026-Q1", assessment="fair", note=None,
                               by_person_id=None, now=NOW) is None
    later = NOW + timedelta(hours=2)
    assert await record_survey(session=db, candidate_id=an.id, period="2026-Q1", assessment="nhiệt tình",
                               note="ghi chú", by_person_id=bithu, now=later) == "fair"
    assert await record_survey(session=db, candidate_id=an.id, period="2026-Q2", assessment="good", note=None,
                               by_person_id=None, now=NOW) is None
    rows = (await db.exec(sa.select(SourceSurvey).where(SourceSurvey.candidate_id == an.id)
                          .order_by(SourceSurvey.period))).scalars().all()
    assert [(r.period, r.assessment, r.note, r.by_person_id) for r in rows] == [
        ("2026-Q1", "nhiệt tình", "ghi chú", bithu), ("2026-Q2", "good", None, None)]
    assert rows[0].at.replace(tzinfo=UTC) == later
    assert await reviewed_count(session=db, ids=[an.id], period="2026-Q1", table=SourceSurvey) == 1


async def test_candidates_by_id(db):
    an = await candidate(db, "Nguyễn Văn An")
    assert await candidates_by_id(session=db, ids=[]) == {}
    found = await candidates_by_id(session=db, ids={an.id})
    assert list(found) == [an.id] and found[an.id].full_name == "Nguyễn Văn An"


async def test_the_last_review_is_the_latest_meeting_day_or_the_first_of_a_month_recorded_without_one(db):
    ngoc, son, xuan = [await candidate(db, n) for n in ("Trần Thị Bích Ngọc", "Trịnh Công Sơn", "Vũ Thị Thanh Xuân")]
    where = Candidate.id.in_([ngoc.id, son.id])
    assert await last_review_on(session=db, where=where) is None
    await record_review(session=db, candidate_id=xuan.id, period="2026-01", decision=ReviewDecision.keep,
                        reason=None, by_person_id=None, now=NOW, held_on=date(2026, 1, 10))  # not asked about
    await record_review(session=db, candidate_id=ngoc.id, period="2025-11", decision=ReviewDecision.keep,
                        reason=None, by_person_id=None, now=NOW, held_on=date(2025, 11, 20))
    assert await last_review_on(session=db, where=where) == date(2025, 11, 20)
    stored = (await db.exec(sa.select(MonthlyReview.held_on).where(MonthlyReview.candidate_id == ngoc.id))).one()
    assert stored == (date(2025, 11, 20),)
    # recorded before chibo asked the meeting's day: it counts from the first of its month
    db.add_all([MonthlyReview(candidate_id=son.id, period="2025-12", decision=ReviewDecision.keep, at=NOW),
                MonthlyReview(candidate_id=xuan.id, period="2026-02", decision=ReviewDecision.keep, at=NOW)])
    await db.flush()
    assert await last_review_on(session=db, where=where) == date(2025, 12, 1)
    assert await last_review_on(session=db, where=Candidate.id == ngoc.id) == date(2025, 11, 20)
