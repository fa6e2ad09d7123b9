"""The list of candidates (models/reports/elite.py), asked directly on the demo with the
certificates of tests/unit/test_report_common.py: everyone before the committee's decision, by
branch name, stage and number, with their sponsor, their latest awareness certificate (its number
only when it came from a class), what their dossier still misses and their next step."""

from datetime import date

import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models.candidate import Candidate
from models.people import Person
from models.reports.elite import LISTED, elite_list
from models.stage import PIPELINE_ORDER, Stage
from tests.unit import demo_rows
from tests.unit.test_report_common import TODAY, ago, certificates, one_by_one  # noqa: F401

SPONSOR = "Trần Văn Bình"


async def test_everyone_before_the_decision_by_branch_stage_and_number(db, certificates):  # noqa: F811
    branches = {await demo_rows.org(db, n): n for n in (BRANCH, SECOND_BRANCH)}
    rows = await elite_list(session=db, branch_ids=list(branches), today=TODAY)
    everyone = list((await db.exec(sa.select(Candidate))).scalars())
    listed = sorted((c for c in everyone if c.branch_id in branches and c.stage in LISTED),
                    key=lambda c: (branches[c.branch_id], PIPELINE_ORDER.index(Stage(c.stage)), c.number))
    assert [(r.candidate_id, r.branch, r.number, r.full_name, r.stage) for r in rows] == [
        (c.id, branches[c.branch_id], c.number, c.full_name, str(c.stage)) for c in listed]
    assert {r.stage for r in rows} == {s.value for s in LISTED} and len(branches) == len({r.branch for r in rows})
    names = dict((await db.exec(sa.select(Person.id, Person.full_name))).all())
    by_id = {c.id: c for c in listed}
    assert [(r.birth_date, r.gender, r.unit, r.category, r.youth_union, r.stage_since, r.sponsor) for r in rows] == [
        (c.birth_date, str(c.gender), c.unit, str(c.category), c.youth_union, c.stage_since,
         names.get(c.sponsor_id)) for c in (by_id[r.candidate_id] for r in rows)]
    assert SPONSOR in {r.sponsor for r in rows} and None in {r.sponsor for r in rows}
    steps = await one_by_one(db, listed, TODAY)
    assert [(r.next_step, r.next_step_due, r.next_step_values) for r in rows] == [
        (s.code, s.due, dict(s.values)) if s else (None, None, {}) for s in (steps.get(r.candidate_id) for r in rows)]


async def test_the_latest_awareness_certificate_and_what_the_dossier_misses(db, certificates):  # noqa: F811
    branch = await demo_rows.org(db, BRANCH)
    rows = {r.full_name: r for r in await elite_list(session=db, branch_ids=[branch], today=TODAY)}
    seen = {n: (rows[n].certificate_on, rows[n].certificate_number) for n in (
        "Đặng Ngọc Lan", "Võ Thanh Tùng", "Lương Thị Mỹ", "Lê Hoàng Minh", "Bùi Quốc Huy")}
    assert seen == {"Đặng Ngọc Lan": (ago(125), "CN-0101"),  # the class's, typed in on the same day too
                    "Võ Thanh Tùng": (ago(39), None),  # the later class's, which gave no number
                    "Lương Thị Mỹ": (ago(50), None),  # typed in, later than the class's
                    "Lê Hoàng Minh": (ago(299), None),  # not the new member's class, later
                    "Bùi Quốc Huy": (ago(125), "CN-0102")}
    assert rows["Bùi Quốc Huy"].missing == []  # missing items are listed for the dossier stage only
    assert rows["Đặng Ngọc Lan"].missing == [] and "Hoàng Mai Anh" not in rows  # probationary: not listed


async def test_a_dossier_with_items_missing(db):
    from models.dossier import AdmissionRecord

    branch = await demo_rows.org(db, BRANCH)
    huy = await demo_rows.candidate(db, "Bùi Quốc Huy")
    huy.stage = Stage.dossier
    record = await db.get(AdmissionRecord, huy.id)
    record.resolution_on = None
    await db.flush()
    rows = {r.full_name: r for r in await elite_list(session=db, branch_ids=[branch], today=date(2026, 3, 2))}
    assert rows["Bùi Quốc Huy"].missing == ["1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ"]


async def test_no_branch_lists_no_one(db):
    assert await elite_list(session=db, branch_ids=[], today=TODAY) == []


# ---- Found by mutation testing -----------------------------------------------------------------

async def test_only_the_branches_asked_in_register_number_order_within_a_stage(db):
    branch = await demo_rows.org(db, BRANCH)
    an = await demo_rows.candidate(db, "Nguyễn Văn An")  # the first in the register, renumbered last
    an.number = 99
    await db.flush()
    rows = await elite_list(session=db, branch_ids=[branch], today=TODAY)
    assert {r.branch for r in rows} == {BRANCH}
    assert [(r.number, r.full_name) for r in rows if r.stage == Stage.source] == [
        (2, "Trần Thị Bích Ngọc"), (9, "Trịnh Công Sơn"), (10, "Vũ Thị Thanh Xuân"), (99, "Nguyễn Văn An")]


async def test_two_branches_of_one_name_are_listed_one_after_the_other(db):
    from datetime import UTC, datetime

    from models.org import add_org
    from models.stage import OrgKind

    now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    first, second = [await add_org(session=db, name="Chi bộ trùng tên", kind=OrgKind.branch, parent=None, now=now)
                     for _ in range(2)]
    thang, hong = await demo_rows.candidate(db, "Ngô Đức Thắng"), await demo_rows.candidate(db, "Lý Thị Hồng")
    thang.branch_id, hong.branch_id = first.id, second.id  # a sympathizer in the first, a source in the second
    await db.flush()
    rows = await elite_list(session=db, branch_ids=[second.id, first.id], today=TODAY)
    assert [(r.full_name, r.stage) for r in rows] == [("Ngô Đức Thắng", "sympathizer"), ("Lý Thị Hồng", "source")]


async def test_a_row_carries_the_unit_and_the_values_of_the_next_step(db):
    branch = await demo_rows.org(db, BRANCH)
    ha = await demo_rows.candidate(db, "Phạm Thu Hà")
    ha.unit, ha.stage = "Tổ Toán", Stage.dossier  # in the dossier stage with no certificate: the class again
    await db.flush()
    row = {r.full_name: r for r in await elite_list(session=db, branch_ids=[branch], today=TODAY)}["Phạm Thu Hà"]
    assert (row.unit, row.next_step, row.next_step_due, row.next_step_values) == (
        "Tổ Toán", "retake_awareness_class", None, {"expired_on": None})
    assert (row.certificate_on, row.certificate_number) == (None, None)


async def test_a_pass_without_a_certificate_date_gives_no_certificate(db):
    from datetime import UTC, datetime, timedelta

    from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass

    now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    branch = await demo_rows.org(db, BRANCH)
    ha = await demo_rows.candidate(db, "Phạm Thu Hà")
    course = PartyClass(org_id=await demo_rows.org(db, SECOND_BRANCH), kind=ClassKind.awareness, title="Lớp chưa cấp",
                        place="Phòng họp", starts_on=TODAY - timedelta(days=10), ends_on=TODAY - timedelta(days=6),
                        enrol_by=TODAY - timedelta(days=16), capacity=50, created_at=now)
    db.add(course)
    await db.flush()
    db.add(Enrollment(class_id=course.id, candidate_id=ha.id, status=EnrollmentStatus.passed,
                      certificate_number="CN-0900", certificate_on=None, at=now))
    await db.flush()
    row = {r.full_name: r for r in await elite_list(session=db, branch_ids=[branch], today=TODAY)}["Phạm Thu Hà"]
    assert (row.certificate_on, row.certificate_number) == (None, None)
