"""The monthly report's "due in the next 30 days" and "overdue", counted again without its query.

The report asks steps_of (grouped SQL over records, certificates and meeting days). Here each
candidate's next step is walked from the register as it was built (plain Python: its stage, its
certificate's date, its ceremony's date, the branch's meeting day) with the rule models/next_step
sets, and sorted into due / overdue by the product's rule: a step's date is the last day in time
(models/deadlines.py, models/workdays.py add_working_days), so a step due today is due, not
overdue; overdue starts the day after. "Within 30 days" counts today + 30 in.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from models.candidate import Candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.next_step import CandidateDates, next_step
from models.org import Organisation
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.reports.monthly import monthly_report
from models.reports.periods import PeriodUnit, _make
from models.stage import Category, Gender, IntroducedBy, Stage
from models.text import fold
from tests.reports.register import BRANCHES, NOW, TODAY, build

FEBRUARY = _make(PeriodUnit.month, 2026, 2)
MARCH = _make(PeriodUnit.month, 2026, 3)
MARCH_END = date(2026, 3, 31)  # March's report made on its last day (nothing happens after 02/03)
MEETING_DAY = 2  # Chi bộ Alpha meets on the 2nd: on 02/03 its sources and sympathizers are due today


@dataclass(frozen=True)
class Edge:
    """A candidate put on a boundary: only the dates the next step hangs on."""

    number: int
    stage: Stage
    certificate_on: date | None = None  # CN-NTVĐ, typed with the dossier
    ceremony_on: date | None = None
    class_certificate_on: date | None = None  # CN-NTVĐ from an awareness class passed in chibo
    history_on: date | None = None  # the personal history declared
    new_member_on: date | None = None  # the new-member class's certificate (a class in chibo)


# The dates the rules give on chibo's working-day calendar (weekends and public holidays off,
# Tết in February; 30/04 and 01/05 are holidays, so nothing working-day-based falls there): a
# declaration is due 30 working days after the ceremony; a dossier is voted on, or a dossier
# started, by the day before the certificate's 60 months are out (a calendar date).
EDGES = [
    Edge(101, Stage.probationary, ceremony_on=date(2026, 1, 12)),  # due 02/03/2026
    Edge(102, Stage.probationary, ceremony_on=date(2026, 2, 11)),  # due 01/04/2026
    Edge(103, Stage.probationary, ceremony_on=date(2026, 2, 12)),  # due 02/04/2026
    Edge(104, Stage.probationary, ceremony_on=date(2026, 1, 9)),  # due 27/02/2026 (Friday)
    Edge(105, Stage.dossier, certificate_on=date(2021, 4, 1)),  # due 31/03/2026
    Edge(106, Stage.dossier, certificate_on=date(2021, 5, 1)),  # due 30/04/2026
    Edge(107, Stage.awareness_class, certificate_on=date(2021, 5, 2)),  # due 01/05/2026
    Edge(108, Stage.probationary, ceremony_on=date(2026, 2, 9)),  # due 30/03/2026
    Edge(109, Stage.probationary, ceremony_on=date(2026, 2, 10)),  # due 31/03/2026
    Edge(110, Stage.dossier, certificate_on=date(2021, 3, 2)),  # expired on 02/03/2026: no date
    # The later certificate counts, from a class in chibo over one typed in: due 01/04/2026.
    Edge(111, Stage.awareness_class, certificate_on=date(2021, 3, 1), class_certificate_on=date(2021, 4, 2)),
    # Declared and through the new-member class: the branch's recognition vote, 30 working days
    # after the 12 months (20/01/2026): due 10/03/2026.
    Edge(112, Stage.probationary, ceremony_on=date(2025, 1, 20), history_on=date(2025, 2, 15),
         new_member_on=date(2025, 6, 1)),
]


# What the walk finds in the seeded register (with the edges above): how many are due within 30
# days, and who is overdue, in the report's order (by date). Overdue among the register's own people
# are probationary members whose declaration (30 working days after the ceremony) never came.
COUNTED = {
    TODAY: {BRANCHES[0]: (16, [15, 16, 21, 104]), BRANCHES[1]: (12, [28, 36, 8])},
    MARCH_END: {BRANCHES[0]: (16, [15, 16, 21, 104, 101, 112, 108]), BRANCHES[1]: (14, [28, 36, 8, 40])},
}


@pytest.fixture
async def register(chibo):
    async with chibo.sessions() as session, session.begin():
        built = await build(session)
        alpha = await session.get(Organisation, built.branches[BRANCHES[0]])
        alpha.meeting_day = MEETING_DAY
        session.add(alpha)
        for edge in EDGES:
            name = f"Người Biên {edge.number}"
            c = Candidate(branch_id=alpha.id, number=edge.number, full_name=name, name_folded=fold(name),
                          birth_date=date(1995, 5, 5), gender=Gender.female, category=Category.teacher,
                          youth_union=True, introduced_by=IntroducedBy.branch, stage=edge.stage,
                          stage_since=date(2025, 6, 1), created_at=NOW)
            session.add(c)
            await session.flush()
            if edge.certificate_on:
                session.add(DossierEntry(candidate_id=c.id, item="CN-NTVĐ", dated=edge.certificate_on, at=NOW))
            if edge.ceremony_on:
                session.add(AdmissionRecord(candidate_id=c.id, ceremony_on=edge.ceremony_on,
                                            personal_history_on=edge.history_on, updated_at=NOW))
            for kind, on in ((ClassKind.awareness, edge.class_certificate_on),
                             (ClassKind.new_member, edge.new_member_on)):
                if on:
                    held = PartyClass(org_id=alpha.id, kind=kind, title="Lớp", place="Hội trường", starts_on=on,
                                      ends_on=on, enrol_by=on, capacity=30, created_at=NOW)
                    session.add(held)
                    await session.flush()
                    session.add(Enrollment(class_id=held.id, candidate_id=c.id, status=EnrollmentStatus.passed,
                                           certificate_on=on, at=NOW))
    return built


def meeting_on_or_after(today: date, meeting_day: int) -> date:
    """The branch's meeting day, walked to day by day (the 31st falls on a short month's last day)."""
    day = today
    while day.day != min(meeting_day, monthrange(day.year, day.month)[1]):
        day += timedelta(days=1)
    return day


def walked(people, today: date, meeting_day: int) -> tuple[list, list]:
    """(due within 30 days, overdue): (number, step, due) sorted by date then number."""
    lines = []
    for p in people:
        certificates = [on for on in (p.certificate_on, getattr(p, "class_certificate_on", None)) if on]
        dates = CandidateDates(certificate_issued=max(certificates, default=None), ceremony=p.ceremony_on,
                               personal_history_declared=getattr(p, "history_on", None),
                               new_member_class=getattr(p, "new_member_on", None))
        step = next_step(p.stage, dates, today=today, next_meeting=meeting_on_or_after(today, meeting_day))
        if step is not None and step.due is not None:
            lines.append((step.due, p.number, step.code))
    lines.sort()
    horizon = today + timedelta(days=30)
    return ([(n, code, due) for due, n, code in lines if today <= due <= horizon],
            [(n, code, due) for due, n, code in lines if due < today])


async def report_of(chibo, branch_id, period, today):
    async with chibo.sessions() as session:
        branch = await session.get(Organisation, branch_id)
        return await monthly_report(session=session, branch=branch, period=period, today=today)


def placed(report, numbers) -> dict:
    """Each number: (step, due, the list it is on), or None on neither; "both" would show twice."""
    found = {}
    for state, on_list in (("due", report.due_soon), ("overdue", report.overdue)):
        for line in on_list:
            if line.who.number in numbers:
                found[line.who.number] = (*found.get(line.who.number, (line.step, line.due)), state)
    return {n: found.get(n) for n in numbers}


def lines(found) -> list:
    return [(line.who.number, line.step, line.due) for line in found]


@pytest.mark.parametrize(("period", "today"), [(FEBRUARY, TODAY), (MARCH, MARCH_END)])
async def test_what_falls_due_and_what_is_overdue_match_a_count_made_again(chibo, register, period, today):
    for name, meeting_day, extra in ((BRANCHES[0], MEETING_DAY, EDGES), (BRANCHES[1], 5, [])):
        people = [p for p in register.people if p.branch == name and p.stage not in (Stage.official, Stage.removed)]
        report = await report_of(chibo, register.branches[name], period, today)
        due, overdue = walked([*people, *extra], today, meeting_day)
        assert lines(report.due_soon) == due, name
        assert lines(report.overdue) == overdue, name
        assert (len(due), [n for n, _, _ in overdue]) == COUNTED[today][name]


async def test_on_the_second_of_march_the_boundaries_fall_where_the_rules_say(chibo, register):
    report = await report_of(chibo, register.branches[BRANCHES[0]], FEBRUARY, TODAY)
    edges = placed(report, range(101, 113))
    assert edges == {
        101: ("declare_personal_history", date(2026, 3, 2), "due"),  # due today: still in time
        102: ("declare_personal_history", date(2026, 4, 1), "due"),  # the 30th day: counted in
        103: None,  # the 31st day: not yet
        104: ("declare_personal_history", date(2026, 2, 27), "overdue"),  # the last working day before
        105: ("branch_vote", date(2026, 3, 31), "due"),
        106: None,
        107: None,
        108: ("declare_personal_history", date(2026, 3, 30), "due"),
        109: ("declare_personal_history", date(2026, 3, 31), "due"),
        110: None,  # the certificate ran out today: the class again, no date to be late on
        111: ("start_dossier", date(2026, 4, 1), "due"),
        112: ("branch_recognition_vote", date(2026, 3, 10), "due"),
    }
    sources = [p.number for p in register.people if p.branch == BRANCHES[0]
               and p.stage in (Stage.source, Stage.sympathizer)]
    assert sources and set(placed(report, sources).values()) == {  # the meeting is today: due, not late
        ("add_to_sympathizer_list", TODAY, "due"), ("propose_for_awareness_class", TODAY, "due")}


async def test_at_the_end_of_march_the_same_people_have_moved_on_the_list(chibo, register):
    report = await report_of(chibo, register.branches[BRANCHES[0]], MARCH, MARCH_END)
    edges = placed(report, range(101, 113))
    assert edges == {
        101: ("declare_personal_history", date(2026, 3, 2), "overdue"),
        102: ("declare_personal_history", date(2026, 4, 1), "due"),
        103: ("declare_personal_history", date(2026, 4, 2), "due"),
        104: ("declare_personal_history", date(2026, 2, 27), "overdue"),
        105: ("branch_vote", date(2026, 3, 31), "due"),  # due today: still in time
        106: ("branch_vote", date(2026, 4, 30), "due"),  # the 30th day (a holiday, a calendar day here)
        107: None,  # the 31st day
        108: ("declare_personal_history", date(2026, 3, 30), "overdue"),  # yesterday
        109: ("declare_personal_history", date(2026, 3, 31), "due"),  # due today
        110: None,
        111: ("start_dossier", date(2026, 4, 1), "due"),
        112: ("branch_recognition_vote", date(2026, 3, 10), "overdue"),
    }
    sources = [p.number for p in register.people if p.branch == BRANCHES[0]
               and p.stage in (Stage.source, Stage.sympathizer)]
    assert set(placed(report, sources).values()) == {  # the next meeting
        ("add_to_sympathizer_list", date(2026, 4, 2), "due"), ("propose_for_awareness_class", date(2026, 4, 2), "due")}
