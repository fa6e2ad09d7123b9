"""Classes and enrolments, asked directly on the demo (models/party_class.py; mutation testing found
its queries reached by no fast test): which classes a branch or a committee sees, whether a class
still takes people, its state on a day, the class lists with their counts, who may enrol, and a
result recorded. In the demo (today 02/03/2026) the committee organises three awareness classes:
"khóa cũ" (over, Hoàng Mai Anh passed), "khóa 1" (over, Đặng Ngọc Lan, Bùi Quốc Huy and Tạ Minh
Đức passed) and "khóa 2" (from 01/04, enrolment until 16/03, capacity 80: Võ Thanh Tùng and
Lương Thị Mỹ enrolled)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models import party_class as pc
from models.org import Organisation, add_org
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, NewClass, PartyClass
from models.stage import OrgKind, Stage
from tests.unit.demo_rows import candidate

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
OLDER, PAST, OPEN = "Lớp nhận thức về Đảng khóa cũ", "Lớp nhận thức về Đảng khóa 1", "Lớp nhận thức về Đảng khóa 2"
TUNG, MY, MINH, HA, KHOA, ANH = (
    "Võ Thanh Tùng", "Lương Thị Mỹ", "Lê Hoàng Minh", "Phạm Thu Hà", "Đinh Văn Khoa", "Hoàng Mai Anh")
THANG = "Ngô Đức Thắng"  # the second branch's sympathizer


async def org(db, name) -> Organisation:
    return (await db.exec(sa.select(Organisation).where(Organisation.name == name))).scalar_one()


async def klass(db, title) -> PartyClass:
    return (await db.exec(sa.select(PartyClass).where(PartyClass.title == title))).scalar_one()


def a_class(**changes) -> PartyClass:
    fields = dict(org_id=1, kind=ClassKind.awareness, title="Lớp", place="Hội trường", starts_on=date(2026, 4, 1),
                  ends_on=date(2026, 4, 5), enrol_by=date(2026, 3, 16), capacity=3, created_at=NOW)
    return PartyClass(**(fields | changes))


async def new_class(db, org_name, title, *, kind=ClassKind.awareness, starts=30, days=4, capacity=80):
    starts_on = TODAY + timedelta(days=starts)
    return await pc.create_class(session=db, now=NOW, new=NewClass(
        org_id=(await org(db, org_name)).id, kind=kind, title=title, place="Phòng họp", starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days), enrol_by=starts_on - timedelta(days=7), capacity=capacity))


async def titles(db, where) -> list[str]:
    return [r.party_class.title for r in await pc.list_classes(session=db, where=where, today=TODAY)]


# ---- Where a class is seen from ----------------------------------------------------------------

def test_the_paths_above_an_organisation_are_every_prefix_down_to_itself():
    assert pc.ancestor_paths("/1/4/9/") == ["/1/", "/1/4/", "/1/4/9/"]
    assert pc.ancestor_paths("/7/") == ["/7/"]
    assert pc.ancestor_paths("") == []


async def test_a_branch_sees_the_classes_of_the_committee_above_and_its_own_but_not_a_sibling_s(db):
    committee, branch, second = [await org(db, n) for n in (COMMITTEE, BRANCH, SECOND_BRANCH)]
    await new_class(db, BRANCH, "Lớp của chi bộ", starts=20)
    await new_class(db, SECOND_BRANCH, "Lớp của khoa", starts=25)
    assert await titles(db, pc.visible_from(at=[branch.path])) == ["Lớp của chi bộ", OPEN, PAST, OLDER]
    assert await titles(db, pc.visible_from(at=[second.path])) == ["Lớp của khoa", OPEN, PAST, OLDER]
    assert await titles(db, pc.visible_from(at=[committee.path])) == [OPEN, PAST, OLDER]
    both = pc.visible_from(at=[branch.path, second.path])
    assert await titles(db, both) == ["Lớp của chi bộ", "Lớp của khoa", OPEN, PAST, OLDER]


async def test_a_committee_sees_what_its_branches_organise_and_nothing_of_another_tree(db):
    committee = await org(db, COMMITTEE)
    other = await add_org(session=db, name="Đảng ủy Khối Y tế", kind=OrgKind.committee, parent=None, now=NOW)
    await add_org(session=db, name="Chi bộ Bệnh viện", kind=OrgKind.branch, parent=other, now=NOW)
    await new_class(db, BRANCH, "Lớp của chi bộ", starts=20)
    await new_class(db, "Chi bộ Bệnh viện", "Lớp bệnh viện", starts=10)
    assert await titles(db, pc.visible_from(at=[], below=[committee.path])) == ["Lớp của chi bộ", OPEN, PAST, OLDER]
    assert await titles(db, pc.visible_from(at=[committee.path], below=[committee.path])) == [
        "Lớp của chi bộ", OPEN, PAST, OLDER]
    assert await titles(db, pc.visible_from(at=[], below=[other.path])) == ["Lớp bệnh viện"]
    assert await titles(db, pc.visible_from(at=[], below=[])) == []
    assert await titles(db, pc.visible_from(at=[other.path])) == []


# ---- Whether a class takes people, and its state -----------------------------------------------

def test_a_class_takes_people_until_its_enrolment_day_and_while_places_are_left():
    c = a_class(enrol_by=date(2026, 3, 16), capacity=3)
    assert pc.class_open(c, enrolled=2, today=date(2026, 3, 16)) is None
    assert pc.class_open(c, enrolled=0, today=date(2026, 3, 1)) is None
    assert pc.class_open(c, enrolled=2, today=date(2026, 3, 17)) == "deadline_passed"
    assert pc.class_open(c, enrolled=3, today=date(2026, 3, 16)) == "full"
    assert pc.class_open(c, enrolled=4, today=date(2026, 3, 1)) == "full"
    assert pc.class_open(c, enrolled=3, today=date(2026, 3, 17)) == "deadline_passed"  # the date first


def test_a_class_is_over_after_its_last_day_ongoing_from_its_first_and_else_open_or_closed():
    c = a_class(starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 5), enrol_by=date(2026, 3, 16), capacity=3)
    assert pc.class_state(c, 0, date(2026, 4, 6)) == "over"
    assert pc.class_state(c, 0, date(2026, 4, 5)) == "ongoing"
    assert pc.class_state(c, 0, date(2026, 4, 1)) == "ongoing"
    assert pc.class_state(c, 3, date(2026, 4, 1)) == "ongoing"
    assert pc.class_state(c, 0, date(2026, 3, 31)) == "deadline_passed"
    assert pc.class_state(c, 2, date(2026, 3, 16)) == "open"
    assert pc.class_state(c, 3, date(2026, 3, 16)) == "full"


def test_a_result_is_known_from_the_first_day_and_a_certificate_from_the_last():
    assert pc.result_too_early(date(2026, 3, 31), class_starts_on=date(2026, 4, 1))
    assert not pc.result_too_early(date(2026, 4, 1), class_starts_on=date(2026, 4, 1))
    assert pc.certificate_too_early(date(2026, 4, 4), class_ends_on=date(2026, 4, 5))
    assert not pc.certificate_too_early(date(2026, 4, 5), class_ends_on=date(2026, 4, 5))


def test_sympathizers_take_the_awareness_class_and_probationary_members_the_new_member_class():
    assert pc.ENROLLABLE_STAGES[ClassKind.awareness] == {Stage.sympathizer, Stage.awareness_class}
    assert pc.ENROLLABLE_STAGES[ClassKind.new_member] == {Stage.probationary}
    assert (pc.CLASS_MIN_CAPACITY, pc.CLASS_MAX_CAPACITY) == (1, 500)


# ---- The class lists ---------------------------------------------------------------------------

async def test_classes_not_over_come_soonest_first_then_past_ones_latest_first_with_their_counts(db):
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    await new_class(db, COMMITTEE, "Lớp sau", starts=60)
    await new_class(db, COMMITTEE, "Lớp hôm nay hết", starts=-4, days=4)  # ends today: not over
    await new_class(db, COMMITTEE, "Lớp hôm qua hết", starts=-5, days=4)
    rows = await pc.list_classes(session=db, where=pc.visible_from(at=[branch.path]), today=TODAY,
                                 branch_ids=[branch.id])
    seen = [(r.party_class.title, r.org_name, r.enrolled, r.mine) for r in rows]
    assert seen == [("Lớp hôm nay hết", COMMITTEE, 0, 0), (OPEN, COMMITTEE, 2, 2), ("Lớp sau", COMMITTEE, 0, 0),
                    ("Lớp hôm qua hết", COMMITTEE, 0, 0), (PAST, COMMITTEE, 3, 3), (OLDER, COMMITTEE, 1, 1)]
    theirs = await pc.list_classes(session=db, where=pc.visible_from(at=[second.path]), today=TODAY,
                                   branch_ids=[second.id])
    assert [(r.party_class.title, r.enrolled, r.mine) for r in theirs if r.enrolled] == [
        (OPEN, 2, 0), (PAST, 3, 0), (OLDER, 1, 0)]
    nobody = await pc.list_classes(session=db, where=pc.visible_from(at=[branch.path]), today=TODAY)
    assert [(r.enrolled, r.mine) for r in nobody if r.party_class.title == OPEN] == [(2, 0)]


async def test_classes_starting_the_same_day_come_in_the_order_they_were_made_either_way(db):
    branch = await org(db, BRANCH)
    for title in ("Lớp A", "Lớp B"):
        await new_class(db, COMMITTEE, title, starts=10)
    for title in ("Lớp C", "Lớp D"):
        await new_class(db, COMMITTEE, title, starts=-20)
    assert await titles(db, pc.visible_from(at=[branch.path])) == ["Lớp A", "Lớp B", OPEN, "Lớp D", "Lớp C",
                                                                    PAST, OLDER]


async def test_the_count_of_a_branch_s_own_people_counts_only_theirs_and_the_total_counts_everyone(db):
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    open_ = await klass(db, OPEN)
    await pc.enrol(session=db, class_id=open_.id, candidate_id=(await candidate(db, THANG)).id, now=NOW)
    where = pc.visible_from(at=[branch.path])
    row = await pc.get_class(session=db, where=where, class_id=open_.id, branch_ids=[second.id])
    assert (row.party_class.title, row.org_name, row.enrolled, row.mine) == (OPEN, COMMITTEE, 3, 1)
    row = await pc.get_class(session=db, where=where, class_id=open_.id, branch_ids=[branch.id, second.id])
    assert (row.enrolled, row.mine) == (3, 3)
    row = await pc.get_class(session=db, where=where, class_id=open_.id)
    assert (row.enrolled, row.mine) == (3, 0)
    assert await pc.count_enrolled(session=db, class_id=open_.id) == 3
    assert await pc.enrolled_by_branch(session=db, class_id=open_.id, branches=sa.true()) == [
        (SECOND_BRANCH, 1), (BRANCH, 2)]  # by name: "Chi bộ Khoa…" before "Chi bộ Trường…"
    assert await pc.enrolled_by_branch(session=db, class_id=open_.id, branches=Organisation.id == branch.id) == [
        (BRANCH, 2)]


async def test_a_class_not_seen_or_not_there_is_none_and_an_empty_class_counts_nothing(db):
    branch = await org(db, BRANCH)
    mine = await new_class(db, BRANCH, "Lớp của chi bộ", starts=20)
    from_second = pc.visible_from(at=[(await org(db, SECOND_BRANCH)).path])
    assert await pc.get_class(session=db, where=from_second, class_id=mine.id, branch_ids=[branch.id]) is None
    assert await pc.get_class(session=db, where=sa.true(), class_id=mine.id + 1000) is None
    row = await pc.get_class(session=db, where=pc.visible_from(at=[branch.path]), class_id=mine.id,
                             branch_ids=[branch.id])
    assert (row.party_class.title, row.org_name, row.enrolled, row.mine) == ("Lớp của chi bộ", BRANCH, 0, 0)
    assert await pc.count_enrolled(session=db, class_id=mine.id) == 0
    assert await pc.enrolled_by_branch(session=db, class_id=mine.id, branches=sa.true()) == []


# ---- Who is in a class, and who may enrol ------------------------------------------------------

async def test_a_class_s_members_are_those_of_the_branches_asked_by_branch_and_number(db):
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    open_ = await klass(db, OPEN)
    thang = await candidate(db, THANG)
    await pc.enrol(session=db, class_id=open_.id, candidate_id=thang.id, now=NOW)
    tung, my = await candidate(db, TUNG), await candidate(db, MY)
    in_order = sorted([(branch.id, tung.number, TUNG), (branch.id, my.number, MY), (second.id, thang.number, THANG)])
    found = await pc.class_members(session=db, class_id=open_.id, branch_ids=[branch.id, second.id])
    assert [c.full_name for _, c in found] == [name for _, _, name in in_order]
    assert all(e.class_id == open_.id and e.candidate_id == c.id for e, c in found)
    ours = await pc.class_members(session=db, class_id=open_.id, branch_ids=[branch.id])
    assert [c.full_name for _, c in ours] == [name for b, _, name in in_order if b == branch.id]
    assert await pc.class_members(session=db, class_id=open_.id, branch_ids=[]) == []
    assert await pc.class_members(session=db, class_id=(await klass(db, PAST)).id, branch_ids=[second.id]) == []


async def test_those_at_the_class_s_stage_and_not_yet_in_it_may_enrol_from_the_branches_asked(db):
    branch, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    open_ = await klass(db, OPEN)
    minh, ha, khoa = [await candidate(db, n) for n in (MINH, HA, KHOA)]
    ours = [n for _, n in sorted([(minh.number, MINH), (ha.number, HA), (khoa.number, KHOA)])]
    found = await pc.may_enrol(session=db, party_class=open_, branch_ids=[branch.id])
    assert [c.full_name for c in found] == ours  # Tùng and Mỹ are in it already
    both = await pc.may_enrol(session=db, party_class=open_, branch_ids=[second.id, branch.id])
    assert [c.full_name for c in both] == (ours + [THANG] if branch.id < second.id else [THANG] + ours)
    assert await pc.may_enrol(session=db, party_class=open_, branch_ids=[]) == []
    # Another awareness class takes the awareness-class stage too (Tùng, Mỹ), a new-member class
    # only the probationary.
    other = await new_class(db, COMMITTEE, "Lớp khác", starts=40)
    names = {c.full_name for c in await pc.may_enrol(session=db, party_class=other, branch_ids=[branch.id])}
    assert names == {MINH, HA, KHOA, TUNG, MY}
    new_members = await new_class(db, COMMITTEE, "Lớp đảng viên mới", kind=ClassKind.new_member, starts=40)
    assert [c.full_name for c in await pc.may_enrol(session=db, party_class=new_members, branch_ids=[branch.id])] \
        == [ANH]


async def test_a_class_made_keeps_what_was_given_and_an_enrolment_starts_enrolled(db):
    committee = await org(db, COMMITTEE)
    made = await pc.create_class(session=db, now=NOW, new=NewClass(
        org_id=committee.id, kind=ClassKind.new_member, title="Lớp đảng viên mới khóa 3", place="Trung tâm",
        starts_on=date(2026, 5, 4), ends_on=date(2026, 5, 8), enrol_by=date(2026, 4, 20), capacity=40))
    assert made.id is not None
    kept = await db.get(PartyClass, made.id)
    assert (kept.org_id, ClassKind(kept.kind), kept.title, kept.place, kept.starts_on, kept.ends_on, kept.enrol_by,
            kept.capacity) == (committee.id, ClassKind.new_member, "Lớp đảng viên mới khóa 3", "Trung tâm",
                               date(2026, 5, 4), date(2026, 5, 8), date(2026, 4, 20), 40)
    assert kept.created_at.replace(tzinfo=None) == NOW.replace(tzinfo=None)
    anh = await candidate(db, ANH)
    e = await pc.enrol(session=db, class_id=made.id, candidate_id=anh.id, now=NOW)
    assert e.id is not None
    found = await pc.find_enrollment(session=db, class_id=made.id, candidate_id=anh.id)
    assert (found.id, found.class_id, found.candidate_id, EnrollmentStatus(found.status)) == (
        e.id, made.id, anh.id, EnrollmentStatus.enrolled)
    assert (found.certificate_number, found.certificate_on) == (None, None)
    assert await pc.find_enrollment(session=db, class_id=made.id, candidate_id=(await candidate(db, TUNG)).id) \
        is None
    assert await pc.find_enrollment(session=db, class_id=(await klass(db, OPEN)).id, candidate_id=anh.id) is None


@pytest.mark.parametrize("status", [EnrollmentStatus.failed, EnrollmentStatus.absent, EnrollmentStatus.enrolled])
async def test_a_pass_keeps_its_certificate_and_any_other_result_clears_it(db, status):
    open_ = await klass(db, OPEN)
    tung = await candidate(db, TUNG)
    e = await pc.find_enrollment(session=db, class_id=open_.id, candidate_id=tung.id)
    await pc.record_result(session=db, enrollment=e, status=EnrollmentStatus.passed, certificate_number="CN-0200",
                           certificate_on=date(2026, 4, 5))
    db.expunge_all()
    kept = (await db.exec(sa.select(Enrollment).where(Enrollment.id == e.id))).scalar_one()
    assert (EnrollmentStatus(kept.status), kept.certificate_number, kept.certificate_on) == (
        EnrollmentStatus.passed, "CN-0200", date(2026, 4, 5))
    await pc.record_result(session=db, enrollment=kept, status=status, certificate_number="CN-0201",
                           certificate_on=date(2026, 4, 6))
    db.expunge_all()
    again = (await db.exec(sa.select(Enrollment).where(Enrollment.id == e.id))).scalar_one()
    assert (EnrollmentStatus(again.status), again.certificate_number, again.certificate_on) == (status, None, None)


async def test_a_candidate_is_in_a_class_once(db):
    open_ = await klass(db, OPEN)
    tung = await candidate(db, TUNG)
    with pytest.raises(sa.exc.IntegrityError):
        async with db.begin_nested():
            await pc.enrol(session=db, class_id=open_.id, candidate_id=tung.id, now=NOW)
    assert await pc.count_enrolled(session=db, class_id=open_.id) == 2


async def test_members_and_those_who_may_enrol_come_by_number_not_by_when_they_were_added(db):
    branch = await org(db, BRANCH)
    open_ = await klass(db, OPEN)
    minh, ha, khoa = [await candidate(db, n) for n in (MINH, HA, KHOA)]
    minh.number, ha.number = 1001, 1000  # Minh, added first, now last; Hà before him
    await db.flush()
    found = await pc.may_enrol(session=db, party_class=open_, branch_ids=[branch.id])
    assert [c.full_name for c in found] == [KHOA, HA, MINH]
    await pc.enrol(session=db, class_id=open_.id, candidate_id=minh.id, now=NOW)
    await pc.enrol(session=db, class_id=open_.id, candidate_id=ha.id, now=NOW)
    members = await pc.class_members(session=db, class_id=open_.id, branch_ids=[branch.id])
    assert [c.full_name for _, c in members][-2:] == [HA, MINH]


async def test_without_branches_asked_none_of_the_enrolled_is_counted_as_one_s_own(db):
    """Even someone whose organisation has the id 1 (the fallback of an empty list must match no id)."""
    first = await db.get(Organisation, 1)
    if first is None:
        db.add(Organisation(id=1, name="Chi bộ Một", kind=OrgKind.branch, path="/1/", created_at=NOW))
        await db.flush()
    open_ = await klass(db, OPEN)
    (await candidate(db, TUNG)).branch_id = 1
    await db.flush()
    row = await pc.get_class(session=db, where=sa.true(), class_id=open_.id)
    assert (row.enrolled, row.mine) == (2, 0)
    row = await pc.get_class(session=db, where=sa.true(), class_id=open_.id, branch_ids=[1])
    assert (row.enrolled, row.mine) == (2, 1)
