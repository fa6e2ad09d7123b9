"""Requests about one's data kept in the database (models/data_requests.py), asked directly on the
demo: who answers them in chat, marking one answered (audited, and the person told), the
operator's list, and the overdue ones the operator answers (a committee member's). Lê Hoàng Minh
is the demo's candidate on chat ("quanchung"); Lê Văn Cường is on the committee above."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models import data_requests as dr
from models.audit import AuditLog
from models.candidate import Candidate
from models.consent import Answer, DataRequest, RequestKind, new_request
from models.outbox import Outbox
from models.people import Person
from models.stage import OrgKind
from tests.unit.demo_rows import org, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)  # a Monday: acknowledge by Wed 4 March, act by Mon 23 March
MINH, CUONG, THU = "Lê Hoàng Minh", "Lê Văn Cường", "Nguyễn Thị Thu"


async def minh(db) -> Candidate:
    return (await db.exec(sa.select(Candidate).where(Candidate.full_name == MINH))).scalar_one()


async def test_only_a_branch_answers_requests_in_chat(db):
    assert await dr.answered_in_chat(db, await org(db, BRANCH)) is True
    assert await dr.answered_in_chat(db, await org(db, COMMITTEE)) is False
    assert await dr.answered_in_chat(db, None) is False
    assert await dr.answered_in_chat(db, 9999) is False


async def test_marking_a_candidates_request_done_audits_it_and_tells_them(db):
    cand, thu = await minh(db), await person(db, THU)
    request = new_request(session=db, candidate_id=cand.id, person_id=cand.person_id, kind=RequestKind.correct,
                          detail="ngày sinh", today=TODAY, now=NOW)
    await db.flush()
    later = NOW + timedelta(days=3)
    assert await dr.mark(session=db, request=request, kind=Answer.done, today=date(2026, 3, 5), now=later, by=thu,
                         outcome="Đã sửa") is True
    assert (request.acknowledged_on, request.done_on, request.outcome, request.answered_by) == (
        date(2026, 3, 5), date(2026, 3, 5), "Đã sửa", thu)
    logged = (await db.exec(sa.select(AuditLog).where(AuditLog.action.like("data.request%")))).scalars().all()
    assert [(a.action, a.person_id, a.subject, a.at.replace(tzinfo=UTC)) for a in logged] == [
        ("data.request.done", thu, f"candidate:{cand.id}", later)]
    told = (await db.exec(sa.select(Outbox))).scalars().all()
    assert [(o.key, o.person_id, o.kind, o.template, o.branch_id, o.values) for o in told] == [
        (f"data_request_answer:r{request.id}:done", cand.person_id, "data_request_answer", "data/request_answered",
         None, {"kind": "correct", "made_on": "2026-03-02", "answer": "done", "outcome": "Đã sửa",
                "act_by": request.act_by.isoformat(), "by_operator": False})]


async def test_an_acknowledgement_by_the_operator_keeps_no_outcome(db):
    cuong = await person(db, CUONG)
    request = new_request(session=db, candidate_id=None, person_id=cuong, kind=RequestKind.erase, detail=None,
                          today=TODAY, now=NOW, org_id=await org(db, COMMITTEE))
    await db.flush()
    assert await dr.mark(session=db, request=request, kind=Answer.acknowledged, today=TODAY, now=NOW, by=None,
                         outcome="ignored") is True
    assert (request.acknowledged_on, request.done_on, request.outcome, request.answered_by) == (TODAY, None, None, None)
    logged = (await db.exec(sa.select(AuditLog.action, AuditLog.person_id, AuditLog.subject)
                            .where(AuditLog.action.like("data.request%")))).all()
    assert [tuple(r) for r in logged] == [("data.request.acknowledged", None, f"person:{cuong}")]
    [told] = (await db.exec(sa.select(Outbox))).scalars().all()
    assert (told.key, told.values["answer"], told.values["outcome"], told.values["by_operator"], told.values["kind"]) \
        == (f"data_request_answer:r{request.id}:acknowledged", "acknowledged", None, True, "erase")


async def test_no_message_for_someone_on_no_chat(db):
    hung = (await db.exec(sa.select(Person.id).where(Person.full_name == "Phan Văn Hùng"))).scalar_one()
    request = new_request(session=db, candidate_id=None, person_id=hung, kind=RequestKind.withdraw, detail=None,
                          today=TODAY, now=NOW, org_id=await org(db, BRANCH))
    await db.flush()
    assert await dr.mark(session=db, request=request, kind=Answer.done, today=TODAY, now=NOW, by=None) is False
    assert (await db.exec(sa.select(sa.func.count()).select_from(Outbox))).scalar_one() == 0


async def requests(db) -> dict[str, DataRequest]:
    """A candidate's from last month (overdue), a committee member's from last month (overdue, the
    operator's), a deputy's of the second branch from today, and a done one."""
    cand, cuong = await minh(db), await person(db, CUONG)
    hung = (await db.exec(sa.select(Person.id).where(Person.full_name == "Phan Văn Hùng"))).scalar_one()
    month_ago = TODAY - timedelta(days=30)
    made = {
        "candidate": new_request(session=db, candidate_id=cand.id, person_id=cand.person_id,
                                 kind=RequestKind.correct, detail=None, today=month_ago, now=NOW),
        "committee": new_request(session=db, candidate_id=None, person_id=cuong, kind=RequestKind.erase, detail=None,
                                 today=month_ago + timedelta(days=1), now=NOW, org_id=await org(db, COMMITTEE)),
        "deputy": new_request(session=db, candidate_id=None, person_id=hung, kind=RequestKind.withdraw, detail=None,
                              today=TODAY, now=NOW, org_id=await org(db, SECOND_BRANCH)),
        "done": new_request(session=db, candidate_id=None, person_id=cuong, kind=RequestKind.correct, detail=None,
                            today=month_ago - timedelta(days=1), now=NOW, org_id=await org(db, COMMITTEE)),
    }
    made["done"].done_on = month_ago
    await db.flush()
    return made


async def test_the_operators_list_oldest_first_with_who_and_where(db):
    made = await requests(db)
    rows = (await db.exec(dr.every_request(done=False))).all()
    assert [(r[0].id, r[1], r[2], r[3], OrgKind(r[4])) for r in rows] == [
        (made["candidate"].id, (await minh(db)).number, MINH, BRANCH, OrgKind.branch),
        (made["committee"].id, None, CUONG, COMMITTEE, OrgKind.committee),
        (made["deputy"].id, None, "Phan Văn Hùng", SECOND_BRANCH, OrgKind.branch)]
    every = (await db.exec(dr.every_request(done=True))).all()
    assert [r[0].id for r in every] == [made[k].id for k in ("done", "candidate", "committee", "deputy")]


async def test_overdue_one_at_a_time(db):
    made = await requests(db)
    r = made["deputy"]
    assert not dr.is_overdue(r, r.acknowledge_by)
    assert dr.is_overdue(r, r.acknowledge_by + timedelta(days=1))
    r.acknowledged_on = TODAY
    assert not dr.is_overdue(r, r.act_by)
    assert dr.is_overdue(r, r.act_by + timedelta(days=1))
    r.done_on = TODAY
    assert not dr.is_overdue(r, r.act_by + timedelta(days=1))


async def test_the_operator_hears_of_the_overdue_requests_no_branch_answers(db):
    made = await requests(db)
    assert await dr.overdue_for_operator(db, TODAY) == [made["committee"].id]
    late = made["committee"]
    assert await dr.overdue_for_operator(db, late.made_on) == []  # not yet overdue then
    assert await dr.overdue_for_operator(db, late.acknowledge_by + timedelta(days=1)) == [late.id]
    assert await dr.overdue_for_operator(db, late.acknowledge_by) == []
    late.acknowledged_on = late.acknowledge_by
    assert await dr.overdue_for_operator(db, late.act_by) == []
    assert await dr.overdue_for_operator(db, late.act_by + timedelta(days=1)) == [late.id]
