"""Requests about one's data (models/data_requests.py), on the points mutation testing found
unchecked by test_data_request_records.py: the operator's lists come in the order the requests
were made (by day, then by id), whatever organisations answer them and however the database
holds them (PostgreSQL writes an updated row anew, after the others); a candidate is named as
their register has them. Lê Văn Cường is on the demo's committee, Lê Hoàng Minh its candidate."""

from datetime import UTC, date, datetime, timedelta

from bot.demo import COMMITTEE
from models import data_requests as dr
from models.consent import RequestKind, new_request
from models.candidate import Candidate
from models.org import Organisation, add_org
from models.stage import OrgKind
from tests.unit.demo_rows import candidate, org, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


async def test_the_operators_overdue_requests_come_by_id_across_committees(db):
    top = await db.get(Organisation, await org(db, COMMITTEE))
    cuong = await person(db, "Lê Văn Cường")
    lower = await add_org(session=db, name="Đảng ủy Trường THPT (demo)", kind=OrgKind.grassroots, parent=top, now=NOW)
    other = await add_org(session=db, name="Đảng ủy Khác (demo)", kind=OrgKind.committee, parent=None, now=NOW)
    month_ago = TODAY - timedelta(days=30)
    made = [new_request(session=db, candidate_id=None, person_id=cuong, kind=RequestKind.correct, detail=None,
                        today=month_ago, now=NOW, org_id=org_id)
            for org_id in (other.id, lower.id, top.id, other.id, top.id)]
    await db.flush()
    made[0].acknowledged_on = month_ago + timedelta(days=1)  # PostgreSQL writes the row anew, after the others
    await db.flush()
    assert all(r.act_by < TODAY for r in made)  # overdue all the same
    assert await dr.overdue_for_operator(db, TODAY) == sorted(r.id for r in made)


async def test_the_operators_list_of_one_day_comes_by_id(db):
    cuong = await person(db, "Lê Văn Cường")
    committee = await org(db, COMMITTEE)
    made = [new_request(session=db, candidate_id=None, person_id=cuong, kind=kind, detail=None, today=TODAY,
                        now=NOW, org_id=committee) for kind in [RequestKind.correct, RequestKind.erase] * 3]
    await db.flush()
    for r in made[:3]:
        r.acknowledged_on = TODAY  # PostgreSQL writes these rows anew, after the others
    await db.flush()
    assert [r[0].id for r in (await db.exec(dr.every_request(done=True))).all()] == [r.id for r in made]


async def test_a_candidate_is_named_in_the_operators_list_as_their_register_has_them(db):
    minh = await candidate(db, "Lê Hoàng Minh")
    # Corrected with /sua: the person behind the chat account keeps the old name.
    (await db.get(Candidate, minh.id)).full_name = "Lê Hoàng Minh Anh"
    made = new_request(session=db, candidate_id=minh.id, person_id=minh.person_id, kind=RequestKind.correct,
                       detail=None, today=TODAY, now=NOW)
    await db.flush()
    rows = (await db.exec(dr.every_request(done=False))).all()
    assert [(r[0].id, r[2]) for r in rows] == [(made.id, "Lê Hoàng Minh Anh")]
