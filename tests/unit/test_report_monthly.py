"""The monthly report (models/reports/monthly.py), asked directly on a branch made beside the
demo: movements on the month's first and last days and just outside it, the month's reviews and
check-ins (two sponsors for one candidate, one check-in a day outside the month), the followed
with a sponsor and no check-in, dossiers with and without a record, and next steps due exactly
today, 30 and 31 days on (awareness certificates typed in 60 months earlier) and yesterday (a
probationary member's new member class)."""

from datetime import UTC, date, datetime

import pytest

from models.candidate import Candidate, StageChange
from models.checkin import Checkin, CheckinHow
from models.deadlines import recognition_branch_due
from models.dossier import AdmissionRecord, DossierEntry
from models.org import add_org
from models.people import Person
from models.reports.common import Person as Who, missing_items
from models.reports.monthly import DueLine, Movement, monthly_report
from models.reports.periods import PeriodUnit, _make
from models.review import MonthlyReview
from models.stage import Category, Gender, IntroducedBy, OrgKind, Stage

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
FEBRUARY = _make(PeriodUnit.month, 2026, 2)
S = Stage


async def add(db, branch: int, number: int, name: str, stage: Stage, *, sponsor: int | None = None,
              certificate: date | None = None) -> Candidate:
    c = Candidate(branch_id=branch, number=number, full_name=name, name_folded=name.lower(),
                  birth_date=date(2000, 1, 1), gender=Gender.female, category=Category.teacher, youth_union=False,
                  introduced_by=IntroducedBy.branch, stage=stage, stage_since=date(2020, 1, 1), sponsor_id=sponsor,
                  created_at=NOW)
    db.add(c)
    await db.flush()
    if certificate:
        db.add(DossierEntry(candidate_id=c.id, item="CN-NTVĐ", dated=certificate, at=NOW))
    return c


async def move(db, c: Candidate, frm: Stage | None, to: Stage, on: date, reason: str | None = None) -> None:
    db.add(StageChange(candidate_id=c.id, from_stage=frm, to_stage=to, on=on, reason=reason, at=NOW))
    await db.flush()


def who(c: Candidate) -> Who:
    return Who(candidate_id=c.id, number=c.number, full_name=c.full_name)


@pytest.fixture
async def branch(db):
    """Branch A (meeting on the 5th: its sources' and sympathizers' next step falls on 5 March),
    its candidates created out of number order, and branch B beside it, whose rows never show."""
    a = await add_org(session=db, name="Chi bộ A", kind=OrgKind.branch, parent=None, now=NOW)
    b = await add_org(session=db, name="Chi bộ B", kind=OrgKind.branch, parent=None, now=NOW)
    a.meeting_day = b.meeting_day = 5
    s1, s2 = Person(full_name="Người bảo lãnh 1", created_at=NOW), Person(full_name="Người bảo lãnh 2", created_at=NOW)
    db.add_all([s1, s2])
    await db.flush()
    c = {}
    for number, name, stage, sponsor, cert in [
            (4, "Dũng", S.removed, s1.id, None),
            (1, "An", S.source, s1.id, None),
            (2, "Bình", S.sympathizer, s2.id, None),
            (3, "Chi", S.awareness_class, s1.id, date(2021, 3, 3)),  # due today
            (5, "Hà", S.source, None, None),
            (7, "Lan", S.dossier, None, date(2021, 3, 2)),  # expired today: no due day
            (6, "Khoa", S.dossier, s2.id, date(2021, 3, 3)),  # due today
            (8, "Minh", S.awareness_class, None, date(2021, 4, 2)),  # due in 30 days
            (9, "Nam", S.awareness_class, None, date(2021, 4, 3)),  # due in 31 days
            (10, "Oanh", S.probationary, None, None),  # the new member's class was due yesterday
            (13, "Tú", S.probationary, None, None),  # no ceremony recorded: no due day
            (11, "Phúc", S.official, None, None),
            (12, "Quang", S.awareness_class, s1.id, None)]:  # no certificate: no due day
        c[name] = await add(db, a.id, number, name, stage, sponsor=sponsor, certificate=cert)
    other = await add(db, b.id, 1, "Ở chi bộ B", S.sympathizer, sponsor=s1.id)
    await move(db, c["Dũng"], S.source, S.removed, date(2026, 2, 20), "chuyển công tác")
    await move(db, c["An"], None, S.source, date(2026, 2, 1))
    await move(db, c["Bình"], None, S.source, date(2026, 1, 31))  # before the month
    await move(db, c["Bình"], S.source, S.sympathizer, date(2026, 2, 28), "họp chi bộ")
    await move(db, c["Chi"], S.sympathizer, S.awareness_class, date(2026, 2, 28))
    await move(db, c["Quang"], S.sympathizer, S.awareness_class, date(2026, 2, 15))
    await move(db, c["Hà"], None, S.source, date(2026, 3, 1))  # after the month
    await move(db, other, S.source, S.sympathizer, date(2026, 2, 10))
    db.add(AdmissionRecord(candidate_id=c["Khoa"].id, dossier_started_on=date(2026, 2, 5), updated_at=NOW))
    db.add(AdmissionRecord(candidate_id=c["Oanh"].id, ceremony_on=date(2025, 3, 1),
                           personal_history_on=date(2025, 3, 10), updated_at=NOW))
    for cand, period, decision, reason in [
            (c["Dũng"], "2026-02", "remove", "chuyển công tác"), (c["Bình"], "2026-02", "move_up", None),
            (c["An"], "2026-02", "keep", None), (c["An"], "2026-01", "move_up", None),
            (other, "2026-02", "keep", None)]:
        db.add(MonthlyReview(candidate_id=cand.id, period=period, decision=decision, reason=reason, at=NOW))
    for cand, sponsor, on in [
            (c["Bình"], s2, date(2026, 2, 11)), (c["An"], s1, date(2026, 2, 1)), (c["An"], s1, date(2026, 2, 28)),
            (c["An"], s1, date(2026, 1, 31)), (c["Bình"], s1, date(2026, 2, 10)), (c["Chi"], s1, date(2026, 3, 1)),
            (other, s1, date(2026, 2, 10))]:
        db.add(Checkin(candidate_id=cand.id, sponsor_id=sponsor.id, met_on=on, how=CheckinHow.in_person, at=NOW))
    await db.flush()
    return a, c, (s1.id, s2.id)


async def test_the_month_s_movements_in_date_order_and_their_counts(db, branch):
    a, c, _ = branch
    report = await monthly_report(session=db, branch=a, period=FEBRUARY, today=TODAY)
    assert (report.branch_id, report.branch, report.period, report.today) == (a.id, "Chi bộ A", FEBRUARY, TODAY)
    assert report.movements == [
        Movement(who(c["An"]), None, "source", date(2026, 2, 1), None),
        Movement(who(c["Quang"]), "sympathizer", "awareness_class", date(2026, 2, 15), None),
        Movement(who(c["Dũng"]), "source", "removed", date(2026, 2, 20), "chuyển công tác"),
        Movement(who(c["Bình"]), "source", "sympathizer", date(2026, 2, 28), "họp chi bộ"),
        Movement(who(c["Chi"]), "sympathizer", "awareness_class", date(2026, 2, 28), None),
    ]
    assert [type(m.from_stage) for m in report.movements] == [type(None), str, str, str, str]
    assert [type(m.to_stage) for m in report.movements] == [str] * 5
    assert (report.added, report.to_sympathizer, report.removed) == (1, 1, 1)
    assert report.proposed_for_class == [who(c["Quang"]), who(c["Chi"])]


async def test_the_lists_today_by_active_stage_in_pipeline_order(db, branch):
    a, _, _ = branch
    report = await monthly_report(session=db, branch=a, period=FEBRUARY, today=TODAY)
    assert list(report.by_stage.items()) == [
        ("source", 2), ("sympathizer", 1), ("awareness_class", 4), ("dossier", 2), ("proposed", 0),
        ("admitted", 0), ("probationary", 2)]


async def test_the_month_s_reviews_by_number_and_their_counts(db, branch):
    a, c, _ = branch
    report = await monthly_report(session=db, branch=a, period=FEBRUARY, today=TODAY)
    assert [(r.who, r.decision, r.reason) for r in report.reviews] == [
        (who(c["An"]), "keep", None), (who(c["Bình"]), "move_up", None), (who(c["Dũng"]), "remove", "chuyển công tác")]
    assert [type(r.decision) for r in report.reviews] == [str] * 3
    assert list(report.review_counts.items()) == [("keep", 1), ("move_up", 1), ("remove", 1)]


async def test_a_month_without_reviews_counts_zero_for_each_decision(db, branch):
    a, _, _ = branch
    report = await monthly_report(session=db, branch=a, period=_make(PeriodUnit.month, 2025, 12), today=TODAY)
    assert (report.reviews, report.review_counts) == ([], {"keep": 0, "move_up": 0, "remove": 0})
    assert (report.movements, report.added, report.to_sympathizer, report.removed) == ([], 0, 0, 0)
    assert report.checkins_done == [] and report.proposed_for_class == []


async def test_the_month_s_check_ins_per_sponsor_and_the_followed_without_one(db, branch):
    a, c, (s1, s2) = branch
    report = await monthly_report(session=db, branch=a, period=FEBRUARY, today=TODAY)
    assert sorted((line.who.number, line.who, line.sponsor_id, line.met) for line in report.checkins_done) == [
        (1, who(c["An"]), s1, 2), (2, who(c["Bình"]), s1, 1), (2, who(c["Bình"]), s2, 1)]
    assert [line.who.number for line in report.checkins_done] == [1, 2, 2]
    # followed (source to dossier), with a sponsor, not met in the month; by number
    assert report.checkins_missing == [who(c["Chi"]), who(c["Khoa"]), who(c["Quang"])]


async def test_the_dossiers_with_their_start_and_missing_items(db, branch):
    a, c, _ = branch
    report = await monthly_report(session=db, branch=a, period=FEBRUARY, today=TODAY)
    missing = {n: await missing_items(session=db, candidate=c[n], today=TODAY) for n in ("Khoa", "Lan")}
    assert [(d.who, d.started_on, d.missing) for d in report.dossiers] == [
        (who(c["Khoa"]), date(2026, 2, 5), missing["Khoa"]), (who(c["Lan"]), None, missing["Lan"])]
    assert missing["Khoa"] and missing["Lan"]


async def test_the_steps_due_within_thirty_days_and_overdue(db, branch):
    a, c, _ = branch
    report = await monthly_report(session=db, branch=a, period=FEBRUARY, today=TODAY)
    seen = [(line.who.full_name, line.step, line.due, line.values) for line in report.due_soon]
    assert seen == [
        ("Chi", "start_dossier", TODAY, {}),
        ("Khoa", "branch_vote", TODAY, {}),
        ("An", "add_to_sympathizer_list", date(2026, 3, 5), {}),
        ("Bình", "propose_for_awareness_class", date(2026, 3, 5), {}),
        ("Hà", "add_to_sympathizer_list", date(2026, 3, 5), {}),
        ("Minh", "start_dossier", date(2026, 4, 1), {}),
    ]
    assert report.overdue == [DueLine(who(c["Oanh"]), "attend_new_member_class", date(2026, 3, 1), {})]


# ---- Found by mutation testing -----------------------------------------------------------------

async def test_movements_on_one_day_in_the_order_they_were_written(db, branch):
    """Three changes on the month's last day, written in an order neither the register numbers
    nor the candidates' rows follow: they are listed as written."""
    a, c, _ = branch
    for name, frm, to in [("Nam", S.sympathizer, S.awareness_class), ("An", S.source, S.sympathizer),
                          ("Minh", S.sympathizer, S.awareness_class)]:
        await move(db, c[name], frm, to, date(2026, 2, 28))
    report = await monthly_report(session=db, branch=a, period=FEBRUARY, today=TODAY)
    assert [(m.who.full_name, m.on) for m in report.movements] == [
        ("An", date(2026, 2, 1)), ("Quang", date(2026, 2, 15)), ("Dũng", date(2026, 2, 20)),
        ("Bình", date(2026, 2, 28)), ("Chi", date(2026, 2, 28)), ("Nam", date(2026, 2, 28)),
        ("An", date(2026, 2, 28)), ("Minh", date(2026, 2, 28))]


async def test_the_check_ins_by_register_number_not_by_row(db, branch):
    """Dũng, the first row written, holds number 4: his check-in comes after An's and Bình's."""
    a, c, (s1, _) = branch
    db.add(Checkin(candidate_id=c["Dũng"].id, sponsor_id=s1, met_on=date(2026, 2, 14), how=CheckinHow.phone, at=NOW))
    await db.flush()
    report = await monthly_report(session=db, branch=a, period=FEBRUARY, today=TODAY)
    assert [(line.who.full_name, line.met) for line in report.checkins_done if line.sponsor_id == s1] == [
        ("An", 2), ("Bình", 1), ("Dũng", 1)]
    assert [line.who.full_name for line in report.checkins_done] == ["An", "Bình", "Bình", "Dũng"]


async def test_a_step_due_carries_the_values_its_words_show(db, branch):
    """Tú, on probation since 2 February 2025 with the new member's class done: the branch's
    recognition vote, due 30 working days after the probation ends, shows that end."""
    a, c, _ = branch
    db.add(AdmissionRecord(candidate_id=c["Tú"].id, ceremony_on=date(2025, 2, 2),
                           personal_history_on=date(2025, 2, 10), updated_at=NOW))
    db.add(DossierEntry(candidate_id=c["Tú"].id, item="CN-ĐVM", dated=date(2025, 6, 1), at=NOW))
    await db.flush()
    report = await monthly_report(session=db, branch=a, period=FEBRUARY, today=TODAY)
    line = next(line for line in report.due_soon + report.overdue if line.who.full_name == "Tú")
    assert (line.step, line.due, line.values) == (
        "branch_recognition_vote", recognition_branch_due(date(2025, 2, 2)), {"probation_end": date(2026, 2, 2)})
    assert line in report.due_soon and TODAY < line.due
