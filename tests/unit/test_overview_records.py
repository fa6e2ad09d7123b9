"""What a committee sees of its branches and a candidate of themself (models/overview.py), asked
directly on the demo: the branches of a subtree, candidates per stage, who is overdue and since
when, the last change, the ceremonies held, the running targets, and /toi's status of one person.
On the demo (today 02/03/2026) nothing is overdue yet: Tạ Minh Đức's ceremony is due by
03/04/2026 (decision received 15/02), Bùi Quốc Huy's admission decision by 12/05/2026 (branch
resolution 05/02)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models import citations as cite
from models import overview as ov
from models.candidate import Candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.org import Organisation, add_org
from models.org_target import OrgTarget
from models.targets import PeriodKind
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.stage import OrgKind, Stage
from models.workdays import WorkCalendar
from tests.unit.demo_rows import candidate

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
DUC, HUY, ANH = "Tạ Minh Đức", "Bùi Quốc Huy", "Hoàng Mai Anh"
YEAR_START, YEAR_END = date(2025, 9, 1), date(2026, 8, 31)


async def org(db, name) -> Organisation:
    return (await db.exec(sa.select(Organisation).where(Organisation.name == name))).scalar_one()


@pytest.fixture
async def no(db) -> dict[str, int]:
    """The demo candidates' register numbers, looked up by name (tests never type the demo's numbering)."""
    return dict((await db.exec(sa.select(Candidate.full_name, Candidate.number))).all())


async def record(db, name) -> AdmissionRecord:
    return await db.get(AdmissionRecord, (await candidate(db, name)).id)


async def ids(db) -> tuple[int, int]:
    return (await org(db, BRANCH)).id, (await org(db, SECOND_BRANCH)).id


def seen(found: dict) -> dict:
    """Overdue items as a committee reads them: kind, number, name, since, due."""
    return {b: [(o.kind, o.number, o.full_name, o.since, o.due) for o in items] for b, items in found.items()}


# ---- The branches below a committee ------------------------------------------------------------

async def test_the_branches_below_a_committee_are_its_branches_by_name_and_never_the_committee(db):
    committee = await org(db, COMMITTEE)
    below = await ov.branches_below(session=db, paths=[committee.path])
    assert [b.name for b in below] == [SECOND_BRANCH, BRANCH]  # Khoa Toán before Trường THPT
    tp = await org(db, BRANCH)
    assert [b.name for b in await ov.branches_below(session=db, paths=[tp.path])] == [BRANCH]
    assert await ov.branches_below(session=db, paths=[]) == []


async def test_a_subtree_holds_only_its_own_branches_and_two_subtrees_hold_both(db):
    committee = await org(db, COMMITTEE)
    other = await add_org(session=db, name="Đảng ủy Khối Y tế", kind=OrgKind.committee, parent=None, now=NOW)
    far = await add_org(session=db, name="Chi bộ Bệnh viện", kind=OrgKind.branch, parent=other, now=NOW)
    assert [b.name for b in await ov.branches_below(session=db, paths=[other.path])] == ["Chi bộ Bệnh viện"]
    assert [b.name for b in await ov.branches_below(session=db, paths=[committee.path])] == [SECOND_BRANCH, BRANCH]
    both = await ov.branches_below(session=db, paths=[committee.path, other.path])
    assert [b.name for b in both] == ["Chi bộ Bệnh viện", SECOND_BRANCH, BRANCH]
    assert far.path.startswith(other.path) and not far.path.startswith(committee.path)


async def test_two_branches_of_the_same_name_come_in_the_order_they_were_made(db):
    committee = await org(db, COMMITTEE)
    first = await add_org(session=db, name="Chi bộ A", kind=OrgKind.branch, parent=committee, now=NOW)
    second = await add_org(session=db, name="Chi bộ A", kind=OrgKind.branch, parent=committee, now=NOW)
    below = await ov.branches_below(session=db, paths=[committee.path])
    assert [b.id for b in below][:2] == [first.id, second.id]


# ---- Counts ------------------------------------------------------------------------------------

async def test_the_candidates_per_stage_are_counted_per_branch_in_pipeline_order_without_zeros(db):
    tp, second = await ids(db)
    committee = await org(db, COMMITTEE)
    empty = await add_org(session=db, name="Chi bộ trống", kind=OrgKind.branch, parent=committee, now=NOW)
    counts = await ov.stage_counts(session=db, branch_ids=[tp, second, empty.id])
    assert list(counts[tp].items()) == [
        ("source", 4), ("sympathizer", 3), ("awareness_class", 2), ("dossier", 1), ("proposed", 1),
        ("admitted", 1), ("probationary", 1), ("official", 1), ("removed", 1)]
    assert list(counts[second].items()) == [("source", 1), ("sympathizer", 1)]
    assert counts[empty.id] == {}
    assert await ov.stage_counts(session=db, branch_ids=[second]) == {second: {"source": 1, "sympathizer": 1}}


async def test_only_candidates_still_moving_count_as_active(db):
    tp, second = await ids(db)
    assert await ov.active_counts(session=db) == {tp: 13, second: 2}  # not the official member nor the removed


def test_long_id_lists_are_cut_into_pieces_with_nothing_lost():
    assert list(ov._chunks([1, 2, 3, 4, 5, 6, 7], 3)) == [[1, 2, 3], [4, 5, 6], [7]]
    assert list(ov._chunks(list(range(10001)))) == [list(range(5000)), list(range(5000, 10000)), [10000]]
    assert list(ov._chunks([])) == []


# ---- Overdue -----------------------------------------------------------------------------------

async def test_nothing_is_overdue_on_the_demo_today(db):
    tp, second = await ids(db)
    assert await ov.overdue_in(session=db, branch_ids=[tp, second], today=TODAY) == {tp: [], second: []}
    assert await ov.overdue_counts(session=db, today=TODAY) == {}


async def test_a_ceremony_is_overdue_from_the_day_after_its_last_day(db, no):
    tp, second = await ids(db)
    on_time = await ov.overdue_in(session=db, branch_ids=[tp, second], today=date(2026, 4, 3))
    assert on_time == {tp: [], second: []}
    assert await ov.overdue_counts(session=db, today=date(2026, 4, 3)) == {}
    late = await ov.overdue_in(session=db, branch_ids=[tp, second], today=date(2026, 4, 4))
    assert seen(late) == {tp: [("ceremony", no[DUC], DUC, date(2026, 2, 15), date(2026, 4, 3))], second: []}
    duc = await candidate(db, "Tạ Minh Đức")
    assert late[tp][0].candidate_id == duc.id and late[tp][0].source == cite.CEREMONY
    assert await ov.overdue_counts(session=db, today=date(2026, 4, 4)) == {tp: 1}


async def test_a_held_ceremony_is_not_overdue(db):
    tp, _ = await ids(db)
    (await record(db, "Tạ Minh Đức")).ceremony_on = date(2026, 3, 20)
    await db.flush()
    found = await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 6, 1))
    assert [(o.kind, o.full_name) for o in found[tp]] == [("admission_decision", "Bùi Quốc Huy")]


async def test_an_admission_decision_is_overdue_after_its_working_days_and_listed_by_number(db, no):
    tp, second = await ids(db)
    assert seen(await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 5, 12))) == {
        tp: [("ceremony", no[DUC], DUC, date(2026, 2, 15), date(2026, 4, 3))]}
    late = await ov.overdue_in(session=db, branch_ids=[tp, second], today=date(2026, 5, 13))
    assert seen(late) == {tp: [("admission_decision", no[HUY], HUY, date(2026, 2, 5), date(2026, 5, 12)),
                               ("ceremony", no[DUC], DUC, date(2026, 2, 15), date(2026, 4, 3))], second: []}
    assert late[tp][0].source == cite.ADMISSION_DECISION
    assert await ov.overdue_counts(session=db, today=date(2026, 5, 13)) == {tp: 2}


async def test_a_decision_given_or_refused_is_not_overdue(db):
    tp, _ = await ids(db)
    huy = await record(db, "Bùi Quốc Huy")
    huy.refused_reason = "Chưa đủ điều kiện"
    await db.flush()
    assert [o.kind for o in (await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 6, 1)))[tp]] == [
        "ceremony"]
    assert await ov.overdue_counts(session=db, today=date(2026, 6, 1)) == {tp: 1}
    huy.refused_reason = ""
    await db.flush()
    assert await ov.overdue_counts(session=db, today=date(2026, 6, 1)) == {tp: 2}  # an empty reason is none
    huy.decision_on = date(2026, 5, 1)
    await db.flush()
    assert await ov.overdue_counts(session=db, today=date(2026, 6, 1)) == {tp: 1}


async def test_a_candidate_no_longer_proposed_has_no_decision_overdue(db):
    tp, _ = await ids(db)
    (await candidate(db, "Bùi Quốc Huy")).stage = Stage.dossier
    (await candidate(db, "Tạ Minh Đức")).stage = Stage.probationary
    await db.flush()
    assert await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 6, 1)) == {tp: []}
    assert await ov.overdue_counts(session=db, today=date(2026, 6, 1)) == {}


async def test_an_extended_admission_decision_is_overdue_only_past_the_longer_limit(db, no):
    tp, _ = await ids(db)
    (await record(db, "Bùi Quốc Huy")).decision_extended_on = date(2026, 5, 4)
    await db.flush()
    kinds = lambda found: [o.kind for o in found[tp]]  # noqa: E731
    assert kinds(await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 5, 13))) == ["ceremony"]
    assert await ov.overdue_counts(session=db, today=date(2026, 5, 13)) == {tp: 1}
    late = await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 7, 1))
    assert seen(late)[tp][0] == ("admission_decision", no[HUY], HUY, date(2026, 2, 5), date(2026, 6, 23))
    assert await ov.overdue_counts(session=db, today=date(2026, 7, 1)) == {tp: 2}


async def test_a_recognition_decision_is_overdue_past_its_limit_unless_given_struck_off_or_extended(db, no):
    tp, _ = await ids(db)
    (await record(db, "Tạ Minh Đức")).ceremony_on = date(2026, 3, 1)
    (await record(db, "Bùi Quốc Huy")).decision_on = date(2026, 3, 1)
    anh = await record(db, "Hoàng Mai Anh")
    anh.recognition_resolution_on = date(2026, 2, 2)
    await db.flush()
    assert await ov.overdue_in(session=db, branch_ids=[tp], today=TODAY) == {tp: []}
    late = await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 6, 1))
    assert seen(late)[tp] == [("recognition_decision", no[ANH], ANH, date(2026, 2, 2), late[tp][0].due)]
    assert late[tp][0].source == cite.RECOGNITION_DECISION
    due = late[tp][0].due
    assert await ov.overdue_counts(session=db, today=due) == {}
    assert await ov.overdue_counts(session=db, today=due + timedelta(days=1)) == {tp: 1}
    day_off = WorkCalendar(extra_days_off=frozenset({date(2026, 2, 3)}))  # the limit a working day later
    assert await ov.overdue_counts(session=db, today=due + timedelta(days=1), cal=day_off) == {}
    anh.recognition_extended_on = due
    await db.flush()
    assert await ov.overdue_counts(session=db, today=due + timedelta(days=1)) == {}
    assert await ov.overdue_counts(session=db, today=date(2026, 12, 1)) == {tp: 1}
    anh.struck_off_reason = "Vi phạm"
    await db.flush()
    assert await ov.overdue_counts(session=db, today=date(2026, 12, 1)) == {}
    anh.struck_off_reason = ""
    anh.recognition_decision_on = date(2026, 6, 1)
    await db.flush()
    assert await ov.overdue_counts(session=db, today=date(2026, 12, 1)) == {}


async def test_a_calendar_with_more_holidays_moves_the_deadline(db):
    tp, _ = await ids(db)
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 2)}))
    assert await ov.overdue_counts(session=db, today=date(2026, 4, 4), cal=cal) == {}
    assert await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 4, 4), cal=cal) == {tp: []}


# ---- Last change, ceremonies, targets ----------------------------------------------------------

async def test_the_last_stage_change_of_each_branch_and_none_for_a_branch_without_any(db):
    tp, second = await ids(db)
    committee = await org(db, COMMITTEE)
    empty = await add_org(session=db, name="Chi bộ trống", kind=OrgKind.branch, parent=committee, now=NOW)
    assert await ov.last_changes(session=db, branch_ids=[tp, second, empty.id]) == {
        tp: date(2026, 2, 15), second: date(2026, 2, 20), empty.id: None}
    assert await ov.last_changes(session=db) == {tp: date(2026, 2, 15), second: date(2026, 2, 20)}
    assert await ov.last_changes(session=db, branch_ids=[second]) == {second: date(2026, 2, 20)}


async def test_ceremonies_are_counted_from_start_to_end_inclusive(db):
    tp, second = await ids(db)
    held = date(2025, 8, 14)  # Hoàng Mai Anh's ceremony
    assert await ov.admissions_by_branch(session=db, start=held, end=held, branch_ids=[tp, second]) == {
        tp: 1, second: 0}
    assert await ov.admissions_by_branch(session=db, start=held + timedelta(days=1), end=YEAR_END,
                                         branch_ids=[tp, second]) == {tp: 0, second: 0}
    assert await ov.admissions_by_branch(session=db, start=date(2024, 1, 1), end=held - timedelta(days=1),
                                         branch_ids=[tp]) == {tp: 1}  # Cao Thị Huyền's, 2024
    assert await ov.admissions_by_branch(session=db, start=date(2024, 1, 1), end=YEAR_END) == {tp: 2}
    assert await ov.admissions_by_branch(session=db, start=YEAR_START, end=YEAR_END) == {}


async def test_the_organisations_with_a_target_running_today(db):
    tp, second = await ids(db)
    committee = await org(db, COMMITTEE)
    assert await ov.with_current_targets(session=db, today=TODAY) == {committee.id, tp, second}
    assert await ov.with_current_targets(session=db, today=TODAY, branch_ids=[second]) == {second}
    assert await ov.with_current_targets(session=db, today=YEAR_START, branch_ids=[tp]) == {tp}
    assert await ov.with_current_targets(session=db, today=YEAR_END, branch_ids=[tp]) == {tp}
    assert await ov.with_current_targets(session=db, today=YEAR_START - timedelta(days=1)) == set()
    assert await ov.with_current_targets(session=db, today=YEAR_END + timedelta(days=1)) == set()


def test_a_branch_is_quiet_after_ninety_days_without_a_change_or_with_none_ever():
    assert ov.is_quiet(None, TODAY)
    assert not ov.is_quiet(TODAY - timedelta(days=90), TODAY)
    assert ov.is_quiet(TODAY - timedelta(days=91), TODAY)


# ---- One overview per branch -------------------------------------------------------------------

async def test_the_overview_of_each_branch_in_the_order_given(db):
    tp_org, second_org = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    assert await ov.branch_overviews(session=db, branches=[], today=TODAY) == []
    views = await ov.branch_overviews(session=db, branches=[tp_org, second_org], today=TODAY)
    assert [(v.org_id, v.name) for v in views] == [(tp_org.id, BRANCH), (second_org.id, SECOND_BRANCH)]
    tp, second = views
    assert tp.by_stage == {"source": 4, "sympathizer": 3, "awareness_class": 2, "dossier": 1, "proposed": 1,
                           "admitted": 1, "probationary": 1, "official": 1, "removed": 1}
    assert second.by_stage == {"source": 1, "sympathizer": 1}
    assert [(t.label, t.admissions, t.progress.counted) for t in tp.targets] == [("2025-2026", 3, 0)]
    assert [(t.label, t.admissions, t.composition) for t in second.targets] == [("2025-2026", 2, {"student": 2})]
    assert (tp.admissions_this_school_year, tp.overdue, tp.last_change, tp.quiet) == (0, [], date(2026, 2, 15), False)
    assert (second.admissions_this_school_year, second.last_change, second.quiet) == (0, date(2026, 2, 20), False)


async def test_a_branch_without_a_target_shows_its_ceremonies_this_school_year_and_its_overdue(db):
    tp_org = await org(db, BRANCH)
    today = date(2026, 6, 1)
    (await record(db, "Hoàng Mai Anh")).ceremony_on = date(2025, 9, 1)
    await db.exec(sa.delete(OrgTarget).where(OrgTarget.org_id == tp_org.id))
    [view] = await ov.branch_overviews(session=db, branches=[tp_org], today=today)
    assert view.targets == [] and view.admissions_this_school_year == 1
    assert [(o.kind, o.full_name) for o in view.overdue] == [("admission_decision", "Bùi Quốc Huy"),
                                                            ("ceremony", "Tạ Minh Đức")]
    assert (view.last_change, view.quiet) == (date(2026, 2, 15), True)  # 106 days before 01/06


async def test_a_branch_with_a_target_shows_no_ceremony_count_and_one_without_changes_is_quiet(db):
    committee = await org(db, COMMITTEE)
    tp_org = await org(db, BRANCH)
    (await record(db, "Hoàng Mai Anh")).ceremony_on = date(2025, 9, 1)
    empty = await add_org(session=db, name="Chi bộ trống", kind=OrgKind.branch, parent=committee, now=NOW)
    view, quiet = await ov.branch_overviews(session=db, branches=[tp_org, empty], today=TODAY)
    assert len(view.targets) == 1 and view.admissions_this_school_year == 0
    assert (quiet.by_stage, quiet.targets, quiet.admissions_this_school_year, quiet.overdue, quiet.last_change,
            quiet.quiet) == ({}, [], 0, [], None, True)


# ---- One candidate, as they see themself -------------------------------------------------------

async def test_a_person_sees_their_newest_record_still_moving_else_their_newest(db):
    tp, _ = await ids(db)
    assert (await ov.own_candidate(session=db, where=Candidate.branch_id == tp)).full_name == "Tạ Minh Đức"
    closed = Candidate.stage.in_([Stage.official, Stage.removed])
    assert (await ov.own_candidate(session=db, where=closed)).full_name == "Mạc Văn Tài"
    assert (await ov.own_candidate(session=db, where=Candidate.full_name == "Không Ai")) is None


async def test_open_classes_are_the_enrolled_ones_not_over_in_order_of_start(db):
    tung = await candidate(db, "Võ Thanh Tùng")
    seat = ov.ClassSeat(kind="awareness", title="Lớp nhận thức về Đảng khóa 2", place="Hội trường Đảng ủy Khối",
                        starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 5))
    assert await ov.open_classes(session=db, candidate_id=tung.id, today=TODAY) == [seat]
    assert await ov.open_classes(session=db, candidate_id=tung.id, today=date(2026, 4, 5)) == [seat]
    assert await ov.open_classes(session=db, candidate_id=tung.id, today=date(2026, 4, 6)) == []
    committee = await org(db, COMMITTEE)
    early = PartyClass(org_id=committee.id, kind=ClassKind.awareness, title="Lớp sớm", place="Phòng 1",
                       starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 12), enrol_by=date(2026, 3, 5),
                       capacity=10, created_at=NOW)
    dropped = PartyClass(org_id=committee.id, kind=ClassKind.awareness, title="Lớp bỏ", place="Phòng 2",
                         starts_on=date(2026, 3, 5), ends_on=date(2026, 3, 6), enrol_by=date(2026, 3, 4),
                         capacity=10, created_at=NOW)
    db.add_all([early, dropped])
    await db.flush()
    db.add(Enrollment(class_id=early.id, candidate_id=tung.id, at=NOW))
    db.add(Enrollment(class_id=dropped.id, candidate_id=tung.id, status=EnrollmentStatus.failed, at=NOW))
    await db.flush()
    assert [s.title for s in await ov.open_classes(session=db, candidate_id=tung.id, today=TODAY)] == [
        "Lớp sớm", "Lớp nhận thức về Đảng khóa 2"]
    assert await ov.open_classes(session=db, candidate_id=(await candidate(db, "Lê Hoàng Minh")).id, today=TODAY) == []


async def test_the_dossier_dates_of_one_candidate(db):
    lan = await candidate(db, "Đặng Ngọc Lan")
    assert await ov.dossier_dates(session=db, candidate_id=lan.id) == {
        "CN-NTVĐ": date(2025, 10, 28), "1-KNĐ": date(2026, 1, 3), "2-KNĐ": date(2026, 1, 21),
        "3-KNĐ": date(2026, 1, 26), "4-KNĐ": date(2026, 1, 23), "5-KNĐ": date(2026, 1, 31)}
    assert await ov.dossier_dates(session=db, candidate_id=(await candidate(db, "Lê Hoàng Minh")).id) == {}


async def test_a_sympathizer_sees_their_stage_branch_sponsor_and_next_step_and_no_checklist(db, no):
    status = await ov.candidate_status(session=db, candidate=await candidate(db, "Lê Hoàng Minh"), today=TODAY)
    assert (status.number, status.full_name, status.stage, status.stage_since, status.branch, status.sponsor) == (
        no["Lê Hoàng Minh"], "Lê Hoàng Minh", "sympathizer", date(2025, 12, 22), BRANCH, "Trần Văn Bình")
    assert (status.step.code, status.step.due) == ("propose_for_awareness_class", date(2026, 3, 5))
    assert (status.classes, status.dossier_phase, status.dossier_needs, status.dossier_notices) == ([], None, [], [])


async def test_a_candidate_in_class_sees_it_and_a_removed_one_has_no_sponsor_and_no_step(db):
    tung = await ov.candidate_status(session=db, candidate=await candidate(db, "Võ Thanh Tùng"), today=TODAY)
    assert [c.title for c in tung.classes] == ["Lớp nhận thức về Đảng khóa 2"]
    assert tung.step.code == "obtain_certificate"
    tai = await ov.candidate_status(session=db, candidate=await candidate(db, "Mạc Văn Tài"), today=TODAY)
    assert (tai.stage, tai.sponsor, tai.step, tai.dossier_phase) == ("removed", None, None, None)


async def test_a_candidate_with_a_dossier_sees_the_admission_checklist(db):
    lan = await candidate(db, "Đặng Ngọc Lan")
    status = await ov.candidate_status(session=db, candidate=lan, today=TODAY)
    assert (status.dossier_phase, status.dossier_needs, status.dossier_notices) == ("admission", [], [])
    await db.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == lan.id, DossierEntry.item == "2-KNĐ"))
    status = await ov.candidate_status(session=db, candidate=lan, today=TODAY)
    assert [(r.code, r.values) for r in status.dossier_needs] == [("item_missing", {"item": "2-KNĐ"})]


async def test_a_probationary_member_sees_the_recognition_checklist_with_the_class_certificate(db):
    anh = await candidate(db, "Hoàng Mai Anh")
    status = await ov.candidate_status(session=db, candidate=anh, today=TODAY)
    assert status.dossier_phase == "recognition"
    assert [r.values["item"] for r in status.dossier_needs] == ["CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ"]
    committee = await org(db, COMMITTEE)
    course = PartyClass(org_id=committee.id, kind=ClassKind.new_member, title="Lớp đảng viên mới", place="Phòng 3",
                        starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 9), enrol_by=date(2026, 1, 1),
                        capacity=10, created_at=NOW)
    db.add(course)
    await db.flush()
    db.add(Enrollment(class_id=course.id, candidate_id=anh.id, status=EnrollmentStatus.passed,
                      certificate_number="CN-0200", certificate_on=date(2026, 1, 10), at=NOW))
    db.add(DossierEntry(candidate_id=anh.id, item="10-KNĐ", dated=date(2026, 2, 1), at=NOW))
    await db.flush()
    status = await ov.candidate_status(session=db, candidate=anh, today=TODAY)
    assert [r.values["item"] for r in status.dossier_needs] == ["11-KNĐ", "12-KNĐ"]


async def test_the_overview_counts_overdue_days_on_the_calendar_given(db):
    tp_org = await org(db, BRANCH)
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 2)}))  # Tạ Minh Đức's ceremony due a day later
    [plain] = await ov.branch_overviews(session=db, branches=[tp_org], today=date(2026, 4, 4))
    [moved] = await ov.branch_overviews(session=db, branches=[tp_org], today=date(2026, 4, 4), cal=cal)
    assert [(o.kind, o.due) for o in plain.overdue] == [("ceremony", date(2026, 4, 3))]
    assert moved.overdue == []


async def test_the_overview_shows_only_the_target_running_today_not_next_years(db):
    tp_org = await org(db, BRANCH)
    db.add(OrgTarget(org_id=tp_org.id, label="2026-2027", period_kind=PeriodKind.school_year,
                     starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31), admissions=4, composition={}, at=NOW))
    await db.flush()
    [view] = await ov.branch_overviews(session=db, branches=[tp_org], today=TODAY)
    assert [t.label for t in view.targets] == ["2025-2026"]


async def test_a_candidate_with_a_dossier_sees_the_papers_soon_too_old(db):
    lan = await candidate(db, "Đặng Ngọc Lan")
    status = await ov.candidate_status(session=db, candidate=lan, today=date(2027, 1, 1))
    assert [(n.code, n.values) for n in status.dossier_notices] == [
        ("item_ageing", {"item": "3-KNĐ", "last_day": date(2027, 1, 26)}),  # dated 26/01/2026, 12 months
        ("item_ageing", {"item": "4-KNĐ", "last_day": date(2027, 1, 23)}),
        ("item_ageing", {"item": "5-KNĐ", "last_day": date(2027, 1, 31)}),
        ("dossier_ageing", {"prepared_on": date(2026, 1, 1), "last_day": date(2027, 1, 1)})]


async def test_a_probationary_member_sees_no_notice_about_their_admission_papers(db):
    anh = await candidate(db, "Hoàng Mai Anh")
    db.add(DossierEntry(candidate_id=anh.id, item="3-KNĐ", dated=date(2025, 3, 15), at=NOW))  # ageing today
    await db.flush()
    status = await ov.candidate_status(session=db, candidate=anh, today=TODAY)
    assert status.dossier_notices == []
    assert [r.values["item"] for r in status.dossier_needs] == ["CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ"]


async def test_a_probationary_member_without_an_admission_record_sees_the_current_checklist(db):
    anh = await candidate(db, "Hoàng Mai Anh")
    await db.exec(sa.delete(AdmissionRecord).where(AdmissionRecord.candidate_id == anh.id))
    status = await ov.candidate_status(session=db, candidate=anh, today=TODAY)
    assert [r.values["item"] for r in status.dossier_needs] == ["CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ"]


async def test_the_new_member_certificate_typed_in_the_dossier_is_the_one_checked(db):
    anh = await candidate(db, "Hoàng Mai Anh")
    committee = await org(db, COMMITTEE)
    course = PartyClass(org_id=committee.id, kind=ClassKind.new_member, title="Lớp đảng viên mới", place="Phòng 3",
                        starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6), enrol_by=date(2026, 2, 20),
                        capacity=10, created_at=NOW)
    db.add(course)
    await db.flush()
    db.add(Enrollment(class_id=course.id, candidate_id=anh.id, status=EnrollmentStatus.passed,
                      certificate_number="CN-0201", certificate_on=date(2026, 3, 10), at=NOW))
    db.add(DossierEntry(candidate_id=anh.id, item="CN-ĐVM", dated=date(2026, 2, 1), at=NOW))
    await db.flush()
    status = await ov.candidate_status(session=db, candidate=anh, today=TODAY)
    assert [r.values["item"] for r in status.dossier_needs] == ["10-KNĐ", "11-KNĐ", "12-KNĐ"]


async def test_a_day_off_after_the_branch_resolution_moves_the_admission_decisions_limit(db):
    tp, _ = await ids(db)
    day_off = WorkCalendar(extra_days_off=frozenset({date(2026, 2, 6)}))  # the day after Bùi Quốc Huy's resolution
    late = await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 5, 13), cal=day_off)
    assert [o.kind for o in late[tp]] == ["ceremony"]
    assert await ov.overdue_counts(session=db, today=date(2026, 5, 13), cal=day_off) == {tp: 1}
    later = await ov.overdue_in(session=db, branch_ids=[tp], today=date(2026, 5, 14), cal=day_off)
    assert [(o.kind, o.due) for o in later[tp]][0] == ("admission_decision", date(2026, 5, 13))


async def test_the_figures_asked_for_one_branch_hold_that_branch_only(db):
    tp, second = await ids(db)
    assert await ov.overdue_in(session=db, branch_ids=[second], today=date(2026, 6, 1)) == {second: []}
    assert await ov.admissions_by_branch(session=db, start=date(2024, 1, 1), end=YEAR_END,
                                         branch_ids=[second]) == {second: 0}
