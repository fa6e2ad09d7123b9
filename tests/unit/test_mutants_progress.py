"""The branch's next monthly meeting, where a source or sympathizer is next reviewed (the
meeting day itself, the next month once it is past, a short month's end, New Year), and the
dates a candidate's next step is worked out from (mutation testing found these unguarded by
unit tests)."""

from datetime import UTC, date, datetime

import pytest

from bot.db import make_engine, make_sessions
from models.candidate import Candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.next_step import CandidateDates
from models.org import add_org
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.progress import candidate_dates, candidate_next_step, dates_of, next_meeting
from models.stage import Category, Gender, IntroducedBy, OrgKind, Stage

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_the_meeting_day_itself_and_the_days_before_it():
    assert next_meeting(5, date(2026, 3, 4)) == date(2026, 3, 5)
    assert next_meeting(5, date(2026, 3, 5)) == date(2026, 3, 5)


def test_once_past_the_meeting_is_next_month():
    assert next_meeting(5, date(2026, 3, 6)) == date(2026, 4, 5)
    assert next_meeting(30, date(2026, 1, 31)) == date(2026, 2, 28)  # clipped to February's end


def test_a_day_past_the_months_end_is_its_last_day():
    assert next_meeting(31, date(2026, 2, 10)) == date(2026, 2, 28)
    assert next_meeting(31, date(2026, 2, 28)) == date(2026, 2, 28)
    assert next_meeting(31, date(2028, 2, 10)) == date(2028, 2, 29)
    assert next_meeting(31, date(2026, 4, 30)) == date(2026, 4, 30)


def test_after_decembers_meeting_comes_januarys():
    assert next_meeting(5, date(2026, 12, 6)) == date(2027, 1, 5)
    assert next_meeting(31, date(2026, 12, 31)) == date(2026, 12, 31)
    assert next_meeting(15, date(2026, 11, 16)) == date(2026, 12, 15)


@pytest.fixture
async def session(database_url):
    engine = make_engine(database_url)
    async with make_sessions(engine)() as session, session.begin():
        yield session
    await engine.dispose()


async def add(session, row):
    session.add(row)
    await session.flush()
    return row


async def enrolled(session, branch, candidate, kind, *, title, starts_on, ends_on, enrol_by, status, certificate_on):
    klass = await add(session, PartyClass(
        org_id=branch.id, kind=kind, title=title, place="Hội trường", starts_on=starts_on,
        ends_on=ends_on, enrol_by=enrol_by, capacity=40, created_at=NOW))
    await add(session, Enrollment(class_id=klass.id, candidate_id=candidate.id, status=status,
                                  certificate_on=certificate_on, at=NOW))


async def passed(session, branch, candidate, kind, on):
    await enrolled(session, branch, candidate, kind, title=f"Lớp {kind} {on}", starts_on=on, ends_on=on,
                   enrol_by=on, status=EnrollmentStatus.passed, certificate_on=on)


async def test_a_candidates_dates_come_from_the_record_and_the_latest_certificates(session):
    branch = await add_org(session=session, name="Chi bộ Toán", kind=OrgKind.branch, parent=None, now=NOW)
    branch.meeting_day = 20
    person = await add(session, Candidate(
        branch_id=branch.id, number=1, full_name="Lê Thị Lan", name_folded="le thi lan",
        birth_date=date(2000, 1, 1), gender=Gender.female, category=Category.teacher, youth_union=True,
        introduced_by=IntroducedBy.youth_union, stage=Stage.source, stage_since=date(2026, 1, 5),
        created_at=NOW))
    assert await candidate_dates(session=session, candidate=person) == CandidateDates()
    today = date(2026, 3, 10)
    step = await candidate_next_step(session=session, candidate=person, today=today)
    assert (step.code, step.due) == ("add_to_sympathizer_list", date(2026, 3, 20))  # the branch's day
    await passed(session, branch, person, ClassKind.awareness, date(2021, 6, 1))
    await passed(session, branch, person, ClassKind.awareness, date(2024, 11, 20))
    await passed(session, branch, person, ClassKind.new_member, date(2025, 9, 15))
    assert await candidate_dates(session=session, candidate=person) == CandidateDates(
        certificate_issued=date(2024, 11, 20), new_member_class=date(2025, 9, 15))
    await add(session, AdmissionRecord(
        candidate_id=person.id, dossier_started_on=date(2025, 1, 2), resolution_on=date(2025, 2, 3),
        decision_received_on=date(2025, 4, 5), ceremony_on=date(2025, 5, 6), personal_history_on=date(2025, 6, 7),
        recognition_resolution_on=date(2026, 5, 8), updated_at=NOW))
    assert await candidate_dates(session=session, candidate=person) == CandidateDates(
        certificate_issued=date(2024, 11, 20), dossier_prepared=date(2025, 1, 2),
        branch_resolution=date(2025, 2, 3), decision_received=date(2025, 4, 5), ceremony=date(2025, 5, 6),
        personal_history_declared=date(2025, 6, 7), new_member_class=date(2025, 9, 15),
        recognition_resolution=date(2026, 5, 8))
    person.stage = Stage.dossier
    step = await candidate_next_step(session=session, candidate=person, today=date(2025, 6, 1))
    assert (step.code, step.due) == ("branch_vote", date(2026, 1, 2))  # the dossier goes stale first
    step = await candidate_next_step(session=session, candidate=person, today=today)
    assert (step.code, step.values) == ("redo_dossier_items", {"items": ("3-KNĐ", "4-KNĐ", "5-KNĐ")})


async def test_only_the_candidates_own_passed_classes_give_a_certificate(session):
    branch = await add_org(session=session, name="Chi bộ Văn", kind=OrgKind.branch, parent=None, now=NOW)
    person = await add(session, Candidate(
        branch_id=branch.id, number=1, full_name="Trần Văn Minh", name_folded="tran van minh",
        birth_date=date(2000, 1, 1), gender=Gender.male, category=Category.student, youth_union=True,
        introduced_by=IntroducedBy.youth_union, stage=Stage.awareness_class, stage_since=date(2026, 1, 5),
        created_at=NOW))
    await passed(session, branch, person, ClassKind.awareness, date(2024, 11, 20))
    await enrolled(session, branch, person, ClassKind.awareness, title="Lớp tháng 3", starts_on=date(2026, 3, 2),
                   ends_on=date(2026, 3, 4), enrol_by=date(2026, 2, 20), status=EnrollmentStatus.failed,
                   certificate_on=date(2026, 3, 4))
    other = await add(session, Candidate(
        branch_id=branch.id, number=2, full_name="Phạm Thu Hà", name_folded="pham thu ha",
        birth_date=date(2001, 1, 1), gender=Gender.female, category=Category.student, youth_union=True,
        introduced_by=IntroducedBy.youth_union, stage=Stage.dossier, stage_since=date(2026, 1, 5),
        created_at=NOW))
    await passed(session, branch, other, ClassKind.awareness, date(2025, 12, 1))  # someone else's
    dates = await candidate_dates(session=session, candidate=person)
    assert dates.certificate_issued == date(2024, 11, 20)


def test_extended_deadlines_are_read_from_the_record():
    record = AdmissionRecord(candidate_id=1, decision_extended_on=date(2026, 1, 5),
                             recognition_extended_on=date(2027, 1, 5), updated_at=NOW)
    assert dates_of(record, None, None) == CandidateDates(decision_extended=True, recognition_extended=True)
    assert dates_of(AdmissionRecord(candidate_id=1, updated_at=NOW), None, None) == CandidateDates()


async def test_a_certificate_typed_with_the_dossier_counts_when_later_than_the_class(session):
    branch = await add_org(session=session, name="Chi bộ Sử", kind=OrgKind.branch, parent=None, now=NOW)

    def someone(number, name):
        return Candidate(
            branch_id=branch.id, number=number, full_name=name, name_folded=name.lower(),
            birth_date=date(2000, 1, 1), gender=Gender.female, category=Category.student, youth_union=True,
            introduced_by=IntroducedBy.youth_union, stage=Stage.probationary, stage_since=date(2026, 1, 5),
            created_at=NOW)

    other = await add(session, someone(1, "Phạm Thu Hà"))
    person = await add(session, someone(2, "Lê Thị Lan"))
    await add(session, DossierEntry(candidate_id=other.id, item="CN-NTVĐ", dated=date(2026, 2, 1), at=NOW))
    for item, dated in (("1-KNĐ", date(2026, 1, 1)), ("CN-NTVĐ", date(2025, 2, 1)), ("CN-ĐVM", date(2025, 8, 1))):
        await add(session, DossierEntry(candidate_id=person.id, item=item, dated=dated, at=NOW))
    await passed(session, branch, person, ClassKind.awareness, date(2024, 11, 20))
    await passed(session, branch, person, ClassKind.new_member, date(2025, 9, 15))
    await enrolled(session, branch, person, ClassKind.new_member, title="Lớp không ngày", starts_on=date(2025, 12, 1),
                   ends_on=date(2025, 12, 3), enrol_by=date(2025, 11, 20), status=EnrollmentStatus.passed,
                   certificate_on=None)  # passed, its certificate's date not recorded
    assert await candidate_dates(session=session, candidate=person) == CandidateDates(
        certificate_issued=date(2025, 2, 1), new_member_class=date(2025, 9, 15))
