"""Which reminders are due on a day (models/reminders.py), on the points mutation testing found
unchecked by test_reminder_records.py. In the demo, Đặng Ngọc Lan's awareness certificate
(28/10/2025) is both recorded with her class and typed into her file, so either source alone
must still be reminded of; Lê Hoàng Minh is a sympathizer with no certificate."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from bot.demo import COMMITTEE, SECOND_BRANCH
from models import consent, reminders
from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord, DossierEntry
from models.people import grant_role
from models.reports.submission import ReportSubmission
from models.stage import Role, Stage
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from tests.unit.demo_rows import candidate, org, person
from tests.unit.demo_rows import member as member_named
from tests.unit.test_reminder_records import due, keys, officers, with_numbers

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def certificates(db, today: date) -> list[str]:
    return await keys(db, today, reminders.certificate_expiry)


async def test_a_certificate_recorded_with_its_class_alone_is_reminded_of(db):
    lan = await candidate(db, "Đặng Ngọc Lan")
    await db.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == lan.id, DossierEntry.item == "CN-NTVĐ"))
    await db.flush()
    assert await certificates(db, date(2030, 10, 28)) == officers(f"certificate_expired:c{lan.id}:2025-10-28")
    assert await certificates(db, date(2030, 7, 30)) == officers(f"certificate_expiring:c{lan.id}:2025-10-28")


async def test_a_certificate_typed_into_the_file_alone_is_reminded_of(db):
    lan = await candidate(db, "Đặng Ngọc Lan")
    await db.exec(sa.delete(Enrollment).where(Enrollment.candidate_id == lan.id))
    await db.flush()
    assert await certificates(db, date(2030, 10, 28)) == officers(f"certificate_expired:c{lan.id}:2025-10-28")


async def test_each_candidate_is_reminded_of_their_own_latest_certificate(db):
    lan, minh = await candidate(db, "Đặng Ngọc Lan"), await candidate(db, "Lê Hoàng Minh")
    awareness = (await db.exec(sa.select(PartyClass.id).where(
        PartyClass.title == "Lớp nhận thức về Đảng khóa 1"))).scalar_one()
    db.add(Enrollment(class_id=awareness, candidate_id=minh.id, status=EnrollmentStatus.passed,
                      certificate_on=date(2025, 12, 1), at=NOW))  # and typed later, from a class held again
    db.add(DossierEntry(candidate_id=minh.id, item="CN-NTVĐ", dated=date(2026, 1, 5), at=NOW))
    await db.flush()
    assert await certificates(db, date(2031, 6, 1)) == officers(
        f"certificate_expired:c{lan.id}:2025-10-28", f"certificate_expired:c{minh.id}:2026-01-05")


async def test_a_new_member_class_a_failed_class_or_another_item_is_no_awareness_certificate(db):
    minh = await candidate(db, "Lê Hoàng Minh")
    committee = await org(db, COMMITTEE)
    new_member = PartyClass(org_id=committee, kind=ClassKind.new_member, title="Lớp đảng viên mới", place="Hội trường",
                            starts_on=date(2025, 11, 1), ends_on=date(2025, 11, 3), enrol_by=date(2025, 10, 20),
                            capacity=40, created_at=NOW)
    db.add(new_member)
    await db.flush()
    db.add(Enrollment(class_id=new_member.id, candidate_id=minh.id, status=EnrollmentStatus.passed,
                      certificate_number="ĐVM-1", certificate_on=date(2025, 11, 3), at=NOW))
    awareness = (await db.exec(sa.select(PartyClass.id).where(
        PartyClass.title == "Lớp nhận thức về Đảng khóa 1"))).scalar_one()
    db.add(Enrollment(class_id=awareness, candidate_id=minh.id, status=EnrollmentStatus.failed,
                      certificate_on=date(2025, 11, 2), at=NOW))
    db.add(DossierEntry(candidate_id=minh.id, item="1-KNĐ", dated=date(2025, 11, 4), at=NOW))
    await db.flush()
    lan = await candidate(db, "Đặng Ngọc Lan")
    assert await certificates(db, date(2031, 6, 1)) == officers(f"certificate_expired:c{lan.id}:2025-10-28")


def to_thu(kind: str, key: str, values: dict) -> tuple:
    """A reminder to Nguyễn Thị Thu, the demo branch's secretary (p1), with its template."""
    return (kind, "Nguyễn Thị Thu", f"{key}:p1", f"reminders/{kind}", values, 2)


DUC = {"number": 0, "name": "Tạ Minh Đức", "received": "2026-02-15"}  # the decision received 15/02/2026
ANH = {"number": 0, "name": "Hoàng Mai Anh", "ceremony": "2025-08-14"}  # admitted 14/08/2025
LAN = {"number": 0, "name": "Đặng Ngọc Lan"}  # her dossier started 01/01/2026, certificate 28/10/2025
# Whole rows to the secretary (the deputy hears the same), by day: kind, key, template and values.
THU = {
    date(2026, 3, 27): [to_thu("ceremony_due", "ceremony_due:c13:2026-02-15", DUC)],
    date(2026, 7, 15): [to_thu("ceremony_overdue", "ceremony_overdue:c13:2026-02-15:2026W29", DUC),
                        to_thu("new_member_certificate", "new_member_certificate:c8:2026W29", ANH),
                        to_thu("probation_ending", "probation_ending:c8:2025-08-14", ANH)],
    date(2026, 12, 1): [to_thu("ceremony_overdue", "ceremony_overdue:c13:2026-02-15:2026W49", DUC),
                        to_thu("dossier_ageing", "dossier_ageing:c6:2026-01-01", {**LAN, "started": "2026-01-01"}),
                        to_thu("recognition_overdue", "recognition_overdue:c8:2026W49", ANH),
                        to_thu("turns_18", "turns_18:c9",
                               {"number": 0, "name": "Trịnh Công Sơn", "born": "2008-12-24"})],
    date(2030, 7, 30): [to_thu("ceremony_overdue", "ceremony_overdue:c13:2026-02-15:2030W31", DUC),
                        to_thu("certificate_expiring", "certificate_expiring:c6:2025-10-28",
                               {**LAN, "issued": "2025-10-28"}),
                        to_thu("dossier_ageing", "dossier_ageing:c6:2026-01-01", {**LAN, "started": "2026-01-01"}),
                        to_thu("recognition_overdue", "recognition_overdue:c8:2030W31", ANH)],
    date(2030, 10, 28): [to_thu("ceremony_overdue", "ceremony_overdue:c13:2026-02-15:2030W44", DUC),
                         to_thu("certificate_expired", "certificate_expired:c6:2025-10-28",
                                {**LAN, "issued": "2025-10-28"}),
                         to_thu("dossier_ageing", "dossier_ageing:c6:2026-01-01", {**LAN, "started": "2026-01-01"}),
                         to_thu("recognition_overdue", "recognition_overdue:c8:2030W44", ANH)],
}


@pytest.mark.parametrize("today", list(THU), ids=str)
async def test_each_candidate_reminder_carries_its_kind_template_and_subject_date(db, today):
    numbers = dict((await db.exec(sa.select(Candidate.full_name, Candidate.number))).all())
    rows = [r for r in await due(db, today) if r[1] == "Nguyễn Thị Thu" and r[0] not in ("report_due", "checkin_list")]
    assert rows == sorted(with_numbers(THU[today], numbers), key=repr)


async def test_a_dossier_voted_on_by_the_branch_is_not_ageing(db):
    lan = await candidate(db, "Đặng Ngọc Lan")
    (await db.get(AdmissionRecord, lan.id)).resolution_on = date(2026, 11, 20)
    await db.flush()
    assert await keys(db, date(2026, 12, 1), reminders.dossier_ageing) == []


async def test_a_ceremony_held_ends_its_reminders(db):
    duc = await candidate(db, "Tạ Minh Đức")
    assert await keys(db, date(2026, 3, 27), reminders.ceremony) == officers(f"ceremony_due:c{duc.id}:2026-02-15")
    (await db.get(AdmissionRecord, duc.id)).ceremony_on = date(2026, 3, 20)  # recorded, the stage not yet moved
    await db.flush()
    assert await keys(db, date(2026, 3, 27), reminders.ceremony) == []
    assert await keys(db, date(2026, 4, 4), reminders.ceremony) == []


async def test_a_recognition_considered_ends_its_weekly_reminder(db):
    anh = await candidate(db, "Hoàng Mai Anh")
    assert await keys(db, date(2026, 12, 1), reminders.recognition_overdue) == officers(
        f"recognition_overdue:c{anh.id}:2026W49")
    (await db.get(AdmissionRecord, anh.id)).recognition_resolution_on = date(2026, 11, 30)
    await db.flush()
    assert await keys(db, date(2026, 12, 1), reminders.recognition_overdue) == []


async def test_the_monthly_report_counts_the_months_moves_of_the_branch_only(db):
    """March 2026: two registered (one straight as a sympathizer), two made sympathizers, one removed;
    the moves of 28/02 and 01/04, and of the second branch, are another report's."""
    moves = [("Trần Thị Bích Ngọc", None, Stage.source, date(2026, 3, 15)),
             ("Lương Thị Mỹ", None, Stage.sympathizer, date(2026, 3, 20)),
             ("Nguyễn Văn An", Stage.source, Stage.sympathizer, date(2026, 3, 1)),
             ("Vũ Thị Thanh Xuân", Stage.source, Stage.sympathizer, date(2026, 2, 28)),
             ("Phạm Thu Hà", Stage.sympathizer, Stage.removed, date(2026, 3, 31)),
             ("Đinh Văn Khoa", Stage.sympathizer, Stage.removed, date(2026, 4, 1)),
             ("Ngô Đức Thắng", Stage.sympathizer, Stage.removed, date(2026, 3, 10)),
             ("Lý Thị Hồng", None, Stage.source, date(2026, 3, 11))]
    for name, from_stage, to_stage, on in moves:
        db.add(StageChange(candidate_id=(await candidate(db, name)).id, from_stage=from_stage, to_stage=to_stage,
                           on=on, at=NOW))
    await db.flush()
    figures = {"month": "03/2026", "send": "3/2026", "active": 13, "added": 2, "to_sympathizer": 2, "removed": 1}
    assert await due(db, date(2026, 3, 25), reminders.report_due) == [
        ("report_due", name, f"report_due:b2:2026-03:p{p}", "reminders/report_due", figures, 2)
        for name, p in (("Nguyễn Thị Thu", 1), ("Phan Văn Hùng", 5))]


async def new_member_class(db) -> int:
    committee = await org(db, COMMITTEE)
    held = PartyClass(org_id=committee, kind=ClassKind.new_member, title="Lớp đảng viên mới khóa 1", place="Hội trường",
                      starts_on=date(2026, 4, 20), ends_on=date(2026, 4, 22), enrol_by=date(2026, 4, 10), capacity=40,
                      created_at=NOW)
    db.add(held)
    await db.flush()
    return held.id


async def test_the_new_member_enrols_once_unless_enrolled_or_the_certificate_typed(db):
    duc = await candidate(db, "Tạ Minh Đức")  # ceremony 02/03/2026: enrol from 01/04
    duc.stage = Stage.probationary
    (await db.get(AdmissionRecord, duc.id)).ceremony_on = date(2026, 3, 2)
    await db.flush()
    enrol = f"new_member_enrol:c{duc.id}:2026-03-02"
    assert await due(db, date(2026, 4, 1), reminders.new_member_class) == sorted([
        ("new_member_enrol", name, f"{enrol}:p{p}", "reminders/new_member_enrol",
         {"number": duc.number, "name": "Tạ Minh Đức", "ceremony": "2026-03-02"}, duc.branch_id)
        for name, p in (("Nguyễn Thị Thu", 1), ("Phan Văn Hùng", 5))], key=repr)
    awareness = (await db.exec(sa.select(PartyClass.id).where(
        PartyClass.title == "Lớp nhận thức về Đảng khóa 2"))).scalar_one()
    db.add(Enrollment(class_id=awareness, candidate_id=duc.id, at=NOW))  # another kind of class: still to enrol
    await db.flush()
    assert await keys(db, date(2026, 4, 1), reminders.new_member_class) == officers(enrol)
    enrolment = Enrollment(class_id=await new_member_class(db), candidate_id=duc.id, at=NOW)
    db.add(enrolment)
    await db.flush()
    assert await keys(db, date(2026, 4, 1), reminders.new_member_class) == []
    await db.delete(enrolment)
    db.add(DossierEntry(candidate_id=duc.id, item="CN-ĐVM", dated=date(2026, 3, 30), at=NOW))
    await db.flush()
    assert await keys(db, date(2026, 4, 1), reminders.new_member_class) == []


async def test_the_new_member_certificate_is_missing_until_passed_with_its_date_or_typed(db):
    anh = await candidate(db, "Hoàng Mai Anh")  # ceremony 14/08/2025: from 14/05/2026 until 13/08/2026
    missing = officers(f"new_member_certificate:c{anh.id}:2026W29")
    held = await new_member_class(db)
    duc = await candidate(db, "Tạ Minh Đức")  # another's certificate, passed or typed, is not hers
    db.add(Enrollment(class_id=held, candidate_id=duc.id, status=EnrollmentStatus.passed,
                      certificate_on=date(2026, 4, 22), at=NOW))
    db.add(DossierEntry(candidate_id=duc.id, item="CN-ĐVM", dated=date(2026, 4, 22), at=NOW))
    db.add(DossierEntry(candidate_id=anh.id, item="1-KNĐ", dated=date(2026, 4, 22), at=NOW))  # not a certificate
    enrolment = Enrollment(class_id=held, candidate_id=anh.id, status=EnrollmentStatus.failed,
                           certificate_on=date(2026, 4, 22), at=NOW)
    db.add(enrolment)
    await db.flush()
    assert await keys(db, date(2026, 7, 15), reminders.new_member_class) == missing  # failed, though dated
    enrolment.status, enrolment.certificate_on = EnrollmentStatus.enrolled, None
    await db.flush()
    assert await keys(db, date(2026, 7, 15), reminders.new_member_class) == missing  # enrolled: not yet passed
    enrolment.status = EnrollmentStatus.passed
    await db.flush()
    assert await keys(db, date(2026, 7, 15), reminders.new_member_class) == missing  # no certificate date yet
    enrolment.certificate_on = date(2026, 4, 22)
    await db.flush()
    assert await keys(db, date(2026, 7, 15), reminders.new_member_class) == []
    enrolment.certificate_on = None
    db.add(DossierEntry(candidate_id=anh.id, item="CN-ĐVM", dated=date(2026, 4, 22), at=NOW))
    await db.flush()
    assert await keys(db, date(2026, 7, 15), reminders.new_member_class) == []


async def test_turning_18_this_month_from_its_first_to_its_last_day_while_followed(db):
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")  # a source
    expected = {date(2008, 10, 31): [], date(2008, 11, 1): officers(f"turns_18:c{ngoc.id}"),
                date(2008, 11, 30): officers(f"turns_18:c{ngoc.id}"), date(2008, 12, 1): []}
    for born, keys_then in expected.items():
        ngoc.birth_date = born
        await db.flush()
        assert await keys(db, date(2026, 11, 15), reminders.turning_18) == keys_then, born
    assert (await due(db, date(2026, 11, 15), reminders.turning_18)) == []  # born 01/12/2008
    ngoc.birth_date = date(2008, 11, 30)
    await db.flush()
    assert (await due(db, date(2026, 11, 15), reminders.turning_18))[0] == (
        "turns_18", "Nguyễn Thị Thu", f"turns_18:c{ngoc.id}:p1", "reminders/turns_18",
        {"number": ngoc.number, "name": "Trần Thị Bích Ngọc", "born": "2008-11-30"}, ngoc.branch_id)
    for stage, keys_then in [(Stage.dossier, officers(f"turns_18:c{ngoc.id}")), (Stage.removed, []),
                             (Stage.proposed, [])]:
        ngoc.stage = stage
        await db.flush()
        assert await keys(db, date(2026, 11, 15), reminders.turning_18) == keys_then, stage


async def test_turning_16_this_month_from_its_first_to_its_last_day_while_followed(db):
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")  # registered 16/01/2026
    expected = {date(2010, 4, 30): [], date(2010, 5, 1): officers(f"turns_16:c{ngoc.id}"),
                date(2010, 5, 31): officers(f"turns_16:c{ngoc.id}"), date(2010, 6, 1): []}
    consent_missing = f"guardian_consent_missing:c{ngoc.id}:2026W20"
    for born, keys_then in expected.items():
        ngoc.birth_date = born
        await db.flush()
        assert await keys(db, date(2026, 5, 15), reminders.children_consent) == sorted(
            keys_then + officers(consent_missing)), born
    ngoc.birth_date = date(2010, 5, 31)
    await db.flush()
    rows = await due(db, date(2026, 5, 15), reminders.children_consent)
    assert [r for r in rows if r[0] == "turns_16"][0] == (
        "turns_16", "Nguyễn Thị Thu", f"turns_16:c{ngoc.id}:p1", "reminders/turns_16",
        {"number": ngoc.number, "name": "Trần Thị Bích Ngọc", "born": "2010-05-31"}, ngoc.branch_id)
    ngoc.stage = Stage.removed
    await db.flush()
    assert await keys(db, date(2026, 5, 15), reminders.children_consent) == []


async def test_a_report_sent_by_one_branch_ends_its_own_reminder_only(db):
    second = await org(db, SECOND_BRANCH)
    binh = await person(db, "Trần Văn Bình")
    await grant_role(session=db, person_id=binh, org_id=second, role=Role.secretary)
    db.add(ReportSubmission(org_id=second, period="2026-03", kind="month", person_id=binh, at=NOW))
    await db.flush()
    assert await keys(db, date(2026, 3, 25), reminders.report_due) == officers("report_due:b2:2026-03")


async def test_a_graduate_stayed_over_is_told_with_the_weekly_row(db):
    member = await member_named(db, "Nguyễn Thị Thu")
    member.graduated_on = date(2025, 4, 10)  # may stay until 10/04/2026
    await db.flush()
    assert (await due(db, date(2026, 4, 13), reminders.graduate_stay))[0] == (
        "graduate_stay_over", "Nguyễn Thị Thu", f"graduate_stay_over:m{member.id}:2025-04-10:2026W16:p1",
        "reminders/graduate_stay_over", {"name": "Nguyễn Thị Thu", "graduated": "2025-04-10"}, member.org_id)


async def test_a_members_own_data_request_overdue_goes_to_the_branch_it_names(db):
    """Not a candidate's: the person's own name, no register number, the branch it names (the second,
    whose secretary is Trần Văn Bình), acknowledged and still not acted on."""
    second = await org(db, SECOND_BRANCH)
    binh = await person(db, "Trần Văn Bình")
    await grant_role(session=db, person_id=binh, org_id=second, role=Role.secretary)
    hung = await person(db, "Phan Văn Hùng")
    request = consent.new_request(session=db, candidate_id=None, person_id=hung, kind=consent.RequestKind.erase,
                                  detail=None, today=date(2026, 3, 2), now=NOW, org_id=second)
    request.acknowledged_on = date(2026, 3, 3)
    await db.flush()
    assert await due(db, date(2026, 3, 24), reminders.data_requests_overdue) == [
        ("data_request_overdue", "Trần Văn Bình", f"data_request_overdue:r{request.id}:2026W13:p{binh}",
         "reminders/data_request_overdue",
         {"number": None, "name": "Phan Văn Hùng", "kind": "erase", "made_on": "2026-03-02",
          "acknowledge_by": "2026-03-04", "act_by": "2026-03-23", "acknowledged": 1}, second)]


async def test_a_data_request_about_a_candidate_shows_the_candidates_name_not_the_askers(db):
    minh, hung = await candidate(db, "Lê Hoàng Minh"), await person(db, "Phan Văn Hùng")
    request = consent.new_request(session=db, candidate_id=minh.id, person_id=hung, kind=consent.RequestKind.correct,
                                  detail=None, today=date(2026, 3, 2), now=NOW)
    await db.flush()
    rows = await due(db, date(2026, 3, 5), reminders.data_requests_overdue)
    assert [(r[1], r[2], r[4]["number"], r[4]["name"], r[5]) for r in rows] == [
        ("Nguyễn Thị Thu", f"data_request_overdue:r{request.id}:2026W10:p1", minh.number, "Lê Hoàng Minh", 2),
        ("Phan Văn Hùng", f"data_request_overdue:r{request.id}:2026W10:p5", minh.number, "Lê Hoàng Minh", 2)]


async def test_enrolment_closing_is_a_whole_row_to_each_officer(db):
    k = (await db.exec(sa.select(PartyClass.id).where(PartyClass.title == "Lớp nhận thức về Đảng khóa 2"))).scalar_one()
    values = {"title": "Lớp nhận thức về Đảng khóa 2", "enrol_by": "2026-03-16", "count": 3}
    assert await due(db, date(2026, 3, 16), reminders.enrolment_closing) == [
        ("enrol_closing", name, f"enrol_closing:k{k}:b2:p{p}", "reminders/enrol_closing", values, 2)
        for name, p in (("Nguyễn Thị Thu", 1), ("Phan Văn Hùng", 5))]


async def test_the_admission_reminders_follow_the_candidates_stage_only(db):
    """Each admission reminder is for one stage: moved on (a member made official, a dossier
    proposed, a decision's ceremony held), the record's dates no longer remind anyone."""
    anh, lan, duc = [await candidate(db, n) for n in ("Hoàng Mai Anh", "Đặng Ngọc Lan", "Tạ Minh Đức")]
    assert await keys(db, date(2026, 7, 15), reminders.new_member_class, reminders.probation_ending) == officers(
        f"new_member_certificate:c{anh.id}:2026W29", f"probation_ending:c{anh.id}:2025-08-14")
    anh.stage, lan.stage, duc.stage = Stage.official, Stage.proposed, Stage.probationary
    await db.flush()
    assert await keys(db, date(2026, 7, 15), reminders.new_member_class, reminders.probation_ending) == []
    assert await keys(db, date(2026, 12, 1), reminders.recognition_overdue, reminders.dossier_ageing,
                      reminders.ceremony) == []


async def test_a_guardians_consent_is_asked_for_children_born_after_the_first_of_january_18_years_back(db):
    """Under 16 at registration, followed 2 years at most: in 2026, those born after 01/01/2008 (a
    child registered long ago and now grown is not asked about), while followed."""
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")
    ngoc.created_at = datetime(2023, 12, 1, 2, 0, tzinfo=UTC)  # under 16 then, whichever birth day below
    missing = officers(f"guardian_consent_missing:c{ngoc.id}:2026W19")
    for born, keys_then in [(date(2007, 12, 31), []), (date(2008, 1, 1), []), (date(2008, 1, 2), missing),
                            (date(2008, 1, 15), missing)]:
        ngoc.birth_date = born
        await db.flush()
        assert await keys(db, date(2026, 5, 4), reminders.children_consent) == keys_then, born
    ngoc.stage = Stage.removed
    await db.flush()
    assert await keys(db, date(2026, 5, 4), reminders.children_consent) == []


async def test_one_childs_guardian_consent_is_not_anothers(db):
    ngoc, minh = await candidate(db, "Trần Thị Bích Ngọc"), await candidate(db, "Lê Hoàng Minh")
    ngoc.birth_date, minh.birth_date = date(2010, 9, 1), date(2010, 10, 1)  # both under 16 at registration
    consent.record(session=db, candidate_id=minh.id, given_by=consent.GivenBy.guardian, method=consent.Method.paper,
                   given_on=date(2026, 3, 3), sensitive=False, now=NOW)
    await db.flush()
    assert await keys(db, date(2026, 5, 4), reminders.children_consent) == officers(
        f"guardian_consent_missing:c{ngoc.id}:2026W19")
