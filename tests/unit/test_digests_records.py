"""The committees' digests (models/digests.py), asked directly on the demo: which days they go,
to whom, and each branch's line in them. In the demo (Monday 2 March 2026) Lê Văn Cường is the
committee's only member; its two branches each have a target this school year. Mutation testing
of models/digests.py found it reached only by the reminders' slow tests."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.consent import RequestKind, new_request
from models.digests import (
    DIGEST_BRANCHES, BranchFigures, _digest, branch_figures, committee_digests, periods_of, target_figures,
)
from models.dossier import AdmissionRecord
from models.org import Organisation, add_org
from models.org_target import OrgTarget
from models.people import RoleGrant, grant_role
from models.reports.submission import ReportSubmission
from models.stage import OrgKind, Role
from models.target_queries import TargetStatus
from models.targets import Period, PeriodKind, Progress, Share, ShareProgress
from tests.unit.demo_rows import candidate, org, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)  # a Monday


async def digests(db, today=TODAY):
    return [d async for d in committee_digests(db, today)]


async def committee(db) -> Organisation:
    return await db.get(Organisation, await org(db, COMMITTEE))


def test_the_week_digest_goes_on_mondays_and_the_month_digest_on_the_first():
    assert periods_of(TODAY) == [("week", "2026W10")]
    assert periods_of(date(2026, 1, 5)) == [("week", "2026W02")]
    assert periods_of(date(2024, 12, 30)) == [("week", "2025W01")]  # the ISO week's year
    assert periods_of(date(2026, 4, 1)) == [("month", "2026-04")]  # a Wednesday
    assert periods_of(date(2026, 6, 1)) == [("week", "2026W23"), ("month", "2026-06")]  # a Monday the 1st
    assert periods_of(date(2026, 3, 3)) == [] and periods_of(date(2026, 3, 8)) == []


async def test_nothing_goes_on_other_days(db):
    assert await digests(db, date(2026, 3, 3)) == []


async def test_nothing_goes_where_no_committee_has_a_member(db):
    await db.exec(sa.delete(RoleGrant).where(RoleGrant.role == Role.committee))
    assert await digests(db) == []


async def test_each_committee_member_gets_one_digest_a_period_about_the_branches_below(db):
    top = await committee(db)
    cuong, thu = await person(db, "Lê Văn Cường"), await person(db, "Nguyễn Thị Thu")
    [due] = await digests(db)
    assert (due.key, due.person_id, due.kind, due.template, due.branch_id) == (
        f"digest_week:o{top.id}:2026W10:p{cuong}", cuong, "digest_week", "reminders/digest_week", None)
    v = due.values
    assert v["org_name"] == COMMITTEE and v["report_month"] == "2/2026" and v["operator_overdue"] == []
    assert [b["name"] for b in v["branches"]] == [SECOND_BRANCH, BRANCH]  # by name when nothing is overdue
    assert [(b["active"], b["admitted"], b["target"], b["overdue"], b["quiet"], b["data_overdue"])
            for b in v["branches"]] == [(2, 0, 2, 0, False, 0), (13, 0, 3, 0, False, 0)]
    assert (v["more"], v["sent"], v["count"], v["not_sent"], v["not_sent_more"], v["overdue"], v["quiet"]) == (
        0, 0, 2, [SECOND_BRANCH, BRANCH], 0, 0, 0)
    assert v["targets"] == [{"label": "2025-2026", "counted": 0, "admissions": 5, "missing": 5, "met": False,
                             "exempt": False, "shares": []}]
    # A second member, on the 1st that is a Monday: both digests to each, members in id order.
    await grant_role(session=db, person_id=thu, org_id=top.id, role=Role.committee)
    await db.flush()
    june = await digests(db, date(2026, 6, 1))
    first, second = sorted([cuong, thu])
    assert [(d.key, d.kind, d.template) for d in june] == [
        (f"digest_week:o{top.id}:2026W23:p{first}", "digest_week", "reminders/digest_week"),
        (f"digest_month:o{top.id}:2026-06:p{first}", "digest_month", "reminders/digest_month"),
        (f"digest_week:o{top.id}:2026W23:p{second}", "digest_week", "reminders/digest_week"),
        (f"digest_month:o{top.id}:2026-06:p{second}", "digest_month", "reminders/digest_month")]
    assert june[0].values["report_month"] == "5/2026"


async def test_a_committee_below_hears_only_of_its_own_branches(db):
    top = await committee(db)
    hung = await person(db, "Phan Văn Hùng")
    lower = await add_org(session=db, name="Đảng ủy Trường THPT (demo)", kind=OrgKind.grassroots, parent=top,
                          now=NOW)
    quiet = await add_org(session=db, name="Chi bộ Tổ Văn (demo)", kind=OrgKind.branch, parent=lower, now=NOW)
    await grant_role(session=db, person_id=hung, org_id=lower.id, role=Role.committee)
    await db.flush()
    by_org = {d.key.split(":")[1]: d.values for d in await digests(db)}
    assert set(by_org) == {f"o{top.id}", f"o{lower.id}"}
    below = by_org[f"o{lower.id}"]
    assert (below["org_name"], below["count"], below["targets"]) == ("Đảng ủy Trường THPT (demo)", 1, [])
    assert below["branches"] == [{"name": quiet.name, "active": 0, "admitted": 0, "target": None, "overdue": 0,
                                  "quiet": True, "data_overdue": 0}]
    above = by_org[f"o{top.id}"]
    assert [b["name"] for b in above["branches"]] == [quiet.name, SECOND_BRANCH, BRANCH]  # quiet ones first
    assert (above["count"], above["quiet"]) == (3, 1)


async def test_a_branch_that_sent_its_report_is_counted_as_sent(db):
    tp, thu = await org(db, BRANCH), await person(db, "Nguyễn Thị Thu")
    db.add(ReportSubmission(org_id=tp, period="2026-02", kind="month", person_id=thu, at=NOW))
    db.add(ReportSubmission(org_id=await org(db, SECOND_BRANCH), period="2026-01", kind="month", person_id=thu,
                            at=NOW))
    await db.flush()
    [due] = await digests(db)
    assert (due.values["sent"], due.values["count"], due.values["not_sent"]) == (1, 2, [SECOND_BRANCH])


async def test_overdue_data_requests_are_counted_by_branch_and_for_the_operator_by_committee(db):
    top = await committee(db)
    thu, cuong = await person(db, "Nguyễn Thị Thu"), await person(db, "Lê Văn Cường")
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")
    long_ago = TODAY - timedelta(days=60)
    for _ in range(2):
        new_request(session=db, candidate_id=ngoc.id, person_id=thu, kind=RequestKind.correct, detail=None,
                    today=long_ago, now=NOW)
    for _ in range(3):
        new_request(session=db, candidate_id=None, person_id=cuong, kind=RequestKind.correct, detail=None,
                    today=long_ago, now=NOW, org_id=top.id)
    new_request(session=db, candidate_id=None, person_id=cuong, kind=RequestKind.correct, detail=None,
                today=TODAY, now=NOW, org_id=top.id)  # not yet due
    await db.flush()
    [due] = await digests(db)
    lines = {b["name"]: b for b in due.values["branches"]}
    assert (lines[BRANCH]["data_overdue"], lines[SECOND_BRANCH]["data_overdue"]) == (2, 0)
    assert due.values["operator_overdue"] == [{"name": COMMITTEE, "count": 3}]


async def test_an_operator_request_of_a_committee_counts_above_it_not_beside_it(db):
    top = await committee(db)
    cuong, hung = await person(db, "Lê Văn Cường"), await person(db, "Phan Văn Hùng")
    lower = await add_org(session=db, name="Đảng ủy Trường THPT (demo)", kind=OrgKind.grassroots, parent=top,
                          now=NOW)
    other = await add_org(session=db, name="Đảng ủy Khác (demo)", kind=OrgKind.committee, parent=None, now=NOW)
    await grant_role(session=db, person_id=hung, org_id=lower.id, role=Role.committee)
    await grant_role(session=db, person_id=hung, org_id=other.id, role=Role.committee)
    new_request(session=db, candidate_id=None, person_id=cuong, kind=RequestKind.correct, detail=None,
                today=TODAY - timedelta(days=60), now=NOW, org_id=lower.id)
    await db.flush()
    by_org = {d.key.split(":")[1]: d.values for d in await digests(db)}
    assert by_org[f"o{top.id}"]["operator_overdue"] == [{"name": lower.name, "count": 1}]
    assert by_org[f"o{lower.id}"]["operator_overdue"] == [{"name": lower.name, "count": 1}]
    assert by_org[f"o{other.id}"]["operator_overdue"] == []


async def test_a_branch_admits_against_its_target_else_in_the_school_year(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    duc = await candidate(db, "Tạ Minh Đức")
    record = await db.get(AdmissionRecord, duc.id)
    record.ceremony_on = TODAY - timedelta(days=5)
    db.add(record)
    await db.flush()
    figures = await branch_figures(db, [(tp, "TP"), (second, "SP"), (tp, "again")], TODAY)
    assert set(figures) == {tp, second}
    assert figures[tp].name == "TP"  # the first name given
    assert (figures[tp].target, figures[second].target) == (3, 2)
    with_target = figures[tp].admitted
    await db.exec(sa.delete(OrgTarget).where(OrgTarget.org_id == tp))
    without = await branch_figures(db, [(tp, "TP")], TODAY)
    assert (without[tp].target, without[tp].admitted) == (None, 1)
    assert with_target == 1


def status(counted=2, admissions=5, missing=3, exempt=False, shares=()) -> TargetStatus:
    return TargetStatus(org_id=1, org_name="x", label="2025-2026",
                        period=Period(PeriodKind.school_year, date(2025, 9, 5), date(2026, 9, 4)),
                        admissions=admissions, composition={},
                        progress=Progress(counted=counted, required=admissions, missing=missing, composition={},
                                          composition_missing={}, exempt=exempt, shares=shares))


def test_a_committees_target_is_sent_as_plain_figures():
    share = ShareProgress(share=Share("youth_union", 60, strict=True), part=2, whole=3, met=True, short=0)
    assert target_figures(status(shares=(share,))) == {
        "label": "2025-2026", "counted": 2, "admissions": 5, "missing": 3, "met": False, "exempt": False,
        "shares": [{"measure": "youth_union", "percent": 60, "strict": True, "part": 2, "whole": 3, "met": True}]}
    assert target_figures(status(counted=5, missing=0))["met"] is True
    assert target_figures(status(exempt=True))["exempt"] is True


async def test_a_digest_lists_the_most_overdue_first_and_counts_the_rest(db):
    top = await committee(db)
    for i in range(DIGEST_BRANCHES + 1):
        await add_org(session=db, name=f"Chi bộ {i:02d}", kind=OrgKind.branch, parent=top, now=NOW)
    [due] = await digests(db)
    v = due.values
    assert DIGEST_BRANCHES == 20
    assert (v["count"], v["more"], len(v["branches"]), v["not_sent_more"], len(v["not_sent"])) == (23, 3, 20, 3, 20)
    assert v["quiet"] == 21 and v["branches"][0]["name"] == "Chi bộ 00" and v["not_sent"][0] == "Chi bộ 00"


def test_the_lines_are_sorted_overdue_first_then_quiet_then_by_name():
    line = BranchFigures(name="", active=1, admitted=0, target=None, overdue=0, quiet=False)
    branches = [replace(line, name="B"), replace(line, name="A", quiet=True),
                replace(line, name="C", overdue=2, sent=True), replace(line, name="D", overdue=5, quiet=True),
                replace(line, name="E", overdue=2, quiet=True, data_overdue=4)]
    v = _digest("Đảng ủy", branches)
    assert [b["name"] for b in v["branches"]] == ["D", "E", "C", "A", "B"]
    assert v["branches"][1] == {"name": "E", "active": 1, "admitted": 0, "target": None, "overdue": 2,
                                "quiet": True, "data_overdue": 4}
    assert (v["org_name"], v["more"], v["sent"], v["count"], v["not_sent"], v["not_sent_more"], v["overdue"],
            v["quiet"]) == ("Đảng ủy", 0, 1, 5, ["B", "A", "D", "E"], 0, 9, 3)
    many = [replace(line, name=f"{i:02d}", overdue=i, sent=i % 2 == 0) for i in range(DIGEST_BRANCHES + 2)]
    v = _digest("x", many)
    assert [b["name"] for b in v["branches"]] == [f"{i:02d}" for i in range(21, 1, -1)]
    assert (v["more"], v["sent"], v["count"], v["not_sent"], v["not_sent_more"], v["overdue"]) == (
        2, 11, 22, [f"{i:02d}" for i in range(1, 22, 2)], 0, sum(range(22)))
    more = [replace(line, name=f"{i:02d}") for i in range(DIGEST_BRANCHES + 1)]
    v = _digest("x", more)
    assert (v["not_sent"], v["not_sent_more"]) == ([f"{i:02d}" for i in range(20)], 1)
    assert _digest("x", [])["more"] == 0
