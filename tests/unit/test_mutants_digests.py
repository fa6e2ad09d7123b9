"""The committees' digests (models/digests.py), on the points mutation testing found unchecked by
test_digests_records.py: a branch named twice is counted once and the branches after it still
are, digests go committee by committee from the top (not by member), a committee's own targets
are those running today (not those to come), the committees whose members' requests are overdue
come by their place in the tree, and branches of the same name by id. Lê Văn Cường is the demo
committee's member; Nguyễn Thị Thu, the branch's secretary, was made before him."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.consent import RequestKind, new_request
from models.dossier import AdmissionRecord
from models.digests import branch_figures, committee_digests
from models.org import Organisation, add_org
from models.org_target import OrgTarget
from models.overview import overdue_counts
from models.people import grant_role
from models.stage import OrgKind, Role
from models.targets import PeriodKind
from tests.unit.demo_rows import candidate, org, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)  # a Monday


async def digests(db, today=TODAY):
    return [d async for d in committee_digests(db, today)]


async def test_a_branch_named_twice_is_counted_once_and_the_rest_still_are(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    figures = await branch_figures(db, [(tp, "TP"), (tp, "again"), (second, "SP")], TODAY)
    assert {k: v.name for k, v in figures.items()} == {tp: "TP", second: "SP"}


async def test_digests_go_committee_by_committee_from_the_top(db):
    top = await db.get(Organisation, await org(db, COMMITTEE))
    thu, cuong = await person(db, "Nguyễn Thị Thu"), await person(db, "Lê Văn Cường")
    assert thu < cuong
    lower = await add_org(session=db, name="Đảng ủy Trường THPT (demo)", kind=OrgKind.grassroots, parent=top,
                          now=NOW)
    await grant_role(session=db, person_id=thu, org_id=lower.id, role=Role.committee)
    await db.flush()
    assert [d.key for d in await digests(db)] == [f"digest_week:o{top.id}:2026W10:p{cuong}",
                                                  f"digest_week:o{lower.id}:2026W10:p{thu}"]


async def test_a_committees_targets_are_those_running_today(db):
    top = await org(db, COMMITTEE)
    db.add(OrgTarget(org_id=top, label="2026-2027", period_kind=PeriodKind.school_year, starts_on=date(2026, 9, 5),
                     ends_on=date(2027, 9, 4), admissions=6, at=NOW))
    await db.flush()
    [due] = await digests(db)
    assert [t["label"] for t in due.values["targets"]] == ["2025-2026"]


async def test_committees_with_overdue_requests_come_by_their_place_in_the_tree(db):
    top = await db.get(Organisation, await org(db, COMMITTEE))
    cuong = await person(db, "Lê Văn Cường")
    below = [await add_org(session=db, name=f"Đảng ủy {i} (demo)", kind=OrgKind.grassroots, parent=top, now=NOW)
             for i in range(11)]
    for o in below:
        new_request(session=db, candidate_id=None, person_id=cuong, kind=RequestKind.correct, detail=None,
                    today=TODAY - timedelta(days=60), now=NOW, org_id=o.id)
    await db.flush()
    by_path = sorted(below, key=lambda o: o.path)
    assert by_path != below  # "/1/10/" before "/1/9/"
    [due] = await digests(db)
    assert due.values["operator_overdue"] == [{"name": o.name, "count": 1} for o in by_path]


async def test_branches_of_the_same_name_come_by_id(db):
    top = await db.get(Organisation, await org(db, COMMITTEE))
    cuong = await person(db, "Lê Văn Cường")
    for org_id in (900001, 900000):  # the greater id held first
        db.add(Organisation(id=org_id, name="Chi bộ Trùng Tên", kind=OrgKind.branch, parent_id=top.id,
                            path=f"{top.path}{org_id}/", code=f"TT{org_id}", created_at=NOW))
        await db.flush()
    new_request(session=db, candidate_id=None, person_id=cuong, kind=RequestKind.correct, detail=None,
                today=TODAY - timedelta(days=60), now=NOW, org_id=900000)
    await db.flush()
    [due] = await digests(db)
    assert [(b["name"], b["data_overdue"]) for b in due.values["branches"] if b["name"] == "Chi bộ Trùng Tên"] == [
        ("Chi bộ Trùng Tên", 1), ("Chi bộ Trùng Tên", 0)]


async def test_a_branch_line_counts_its_own_overdue_and_its_target_s_admissions(db):
    tp = await org(db, BRANCH)
    later = TODAY + timedelta(days=400)
    expected = (await overdue_counts(session=db, today=later)).get(tp, 0)
    assert expected > 0
    assert (await branch_figures(db, [(tp, "TP")], later))[tp].overdue == expected
    duc = await candidate(db, "Tạ Minh Đức")
    record = await db.get(AdmissionRecord, duc.id)
    record.ceremony_on = record.decision_on = date(2025, 10, 1)  # this school year, not this calendar year
    target = (await db.exec(sa.select(OrgTarget).where(OrgTarget.org_id == tp))).scalars().first()
    target.label, target.period_kind, target.starts_on, target.ends_on = (
        "2026", PeriodKind.calendar_year, date(2026, 1, 1), date(2026, 12, 31))
    await db.flush()
    assert (await branch_figures(db, [(tp, "TP")], TODAY))[tp].admitted == 0
    await db.exec(sa.delete(OrgTarget).where(OrgTarget.org_id == tp))
    assert (await branch_figures(db, [(tp, "TP")], TODAY))[tp].admitted == 1
