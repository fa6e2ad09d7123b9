"""Which reminders are due on a day: plain queries over the data, nothing stored as jobs.

Each kind is a query that selects the outbox rows it wants (key, recipient, template, values),
so a run is a few INSERT … SELECT statements: the database does the work and no candidate
passes through Python, whatever their number. The key names a reminder for good (kind,
subject, period, recipient): running a day again, late or twice, enqueues nothing new.

The rules stay in Python. A date rule ("30 working days after the decision", holidays
included) is turned into the range of subject dates for which it fires today, and dates a
message shows (a deadline, an expiry) are worked out when it is written (`describe`).
"""

from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from models import deadlines as dl
from models import consent, rules
from models.candidate import Candidate, StageChange
from models.checkin import Checkin
from models.consent import DataRequest
from models.dossier import AdmissionRecord, DossierEntry
from models.org import Organisation
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.people import Person, RoleGrant
from models.pipeline import ACTIVE_STAGES
from models.progress import CERTIFICATE_ITEMS, next_meeting
from models.reports.periods import month_of
from models.reports.submission import ReportSubmission
from models.roster import PartyMember
from models.sql import choose, concat, days_between, json_list, json_object, value
from models.stage import Role, Stage

OFFICERS = (Role.secretary, Role.deputy)
FOLLOWED = (Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier)
NAMED_IN_LIST = 10  # candidates named in a weekly list (one phone screen); the rest are counted


async def branch_officers(session: AsyncSession) -> dict[int, list[int]]:
    """Secretaries and deputies by branch (one row per branch officer, not per candidate)."""
    rows = await session.exec(sa.select(RoleGrant.org_id, RoleGrant.person_id)
                              .where(RoleGrant.role.in_(OFFICERS)).order_by(RoleGrant.person_id))
    officers: dict[int, list[int]] = defaultdict(list)
    for org_id, person_id in rows:
        officers[org_id].append(person_id)
    return officers


def _row(key, person_id, kind, template, values, branch_id) -> list[sa.ColumnElement]:
    """The outbox columns a kind selects, in order."""
    return [key.label("key"), person_id.label("person_id"), value(kind).label("kind"),
            value(template).label("template"), values.label("values"), branch_id.label("branch_id")]


def _officer_of(branch_id) -> sa.ColumnElement:
    return sa.and_(RoleGrant.org_id == branch_id, RoleGrant.role.in_(OFFICERS))


def _to_officers(stmt: sa.Select, branch_id, key_parts: tuple, kind, template, values) -> sa.Select:
    """The same reminder to each secretary and deputy of the row's branch."""
    columns = _row(concat(*key_parts, ":p", RoleGrant.person_id), RoleGrant.person_id, kind, template,
                   values, branch_id)
    return stmt.with_only_columns(*columns).join(RoleGrant, _officer_of(branch_id))


class Day:
    """What every query needs: the day (Vietnam's calendar) and the database's dialect."""

    def __init__(self, today: date, dialect: str) -> None:
        self.today, self.dialect = today, dialect

    def json(self, **fields) -> sa.ColumnElement:
        return json_object(self.dialect, **fields)

    @property
    def week(self) -> str:
        week = self.today.isocalendar()
        return f"{week.year}W{week.week:02d}"


def _by_branch(*stages: Stage) -> sa.Subquery:
    return (sa.select(Candidate.branch_id, sa.func.count().label("n"))
            .where(Candidate.stage.in_(stages)).group_by(Candidate.branch_id).subquery())


async def review_due(session, day: Day) -> list[sa.Select]:
    """The monthly review, a few days before the branch's meeting, with how many to review."""
    meeting_days = (await session.exec(sa.select(Organisation.meeting_day).distinct())).scalars().all()
    meetings = {d: next_meeting(d, day.today) for d in meeting_days}
    meetings = {d: m for d, m in meetings.items()
                if m - timedelta(days=rules.REVIEW_NOTICE_DAYS) <= day.today <= m}
    if not meetings:
        return []
    meeting = sa.case({d: value(m) for d, m in meetings.items()}, value=Organisation.meeting_day)
    month = sa.case({d: value(f"{m:%Y-%m}") for d, m in meetings.items()}, value=Organisation.meeting_day)
    counts = _by_branch(Stage.source, Stage.sympathizer)
    stmt = (sa.select(counts.c.branch_id).join(Organisation, Organisation.id == counts.c.branch_id)
            .where(Organisation.meeting_day.in_(list(meetings))))
    return [_to_officers(stmt, counts.c.branch_id, ("review_due:b", counts.c.branch_id, ":", month),
                         "review_due", "reminders/review_due", day.json(meeting=meeting, count=counts.c.n))]


async def survey_due(session, day: Day) -> list[sa.Select]:
    """The quarterly survey of the source pool, in the first week of each quarter."""
    today = day.today
    if today.month not in (1, 4, 7, 10) or today.day > rules.SURVEY_WINDOW_DAYS:
        return []
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    counts = _by_branch(Stage.source)
    return [_to_officers(sa.select(counts.c.branch_id).where(counts.c.n > 0), counts.c.branch_id,
                         ("survey_due:b", counts.c.branch_id, f":{quarter}"), "survey_due",
                         "reminders/survey_due", day.json(quarter=quarter, count=counts.c.n))]


async def checkin_overdue(session, day: Day) -> list[sa.Select]:
    """A sponsor has not met their candidate for the branch's nudge days (30 unless the branch set
    otherwise, /chibo): to the sponsor and the branch's officers, on the day they are up; then,
    every Monday, one list each of those still not met.

    The nudge belongs to that one day (a restart replays the days it missed, up to a week); a
    lapse that day never saw (a meeting recorded late, a sponsor assigned late, a long stop)
    is on the next Monday's lists."""
    # Grouped once and joined (not a correlated subquery, which SQLite would repeat per use).
    last = (sa.select(Checkin.candidate_id, sa.func.max(Checkin.met_on).label("on"))
            .group_by(Checkin.candidate_id).subquery())
    since = sa.func.coalesce(last.c.on, Candidate.stage_since)
    followed = (sa.select(Candidate.id.label("id"), Candidate.branch_id.label("branch_id"),
                          Candidate.number.label("number"), Candidate.full_name.label("name"),
                          Candidate.sponsor_id.label("sponsor_id"), since.label("since"),
                          Organisation.sponsor_nudge_days.label("nudge_days"))
                .join(Organisation, Organisation.id == Candidate.branch_id)
                .outerjoin(last, last.c.candidate_id == Candidate.id)
                .where(Candidate.sponsor_id.is_not(None), Candidate.stage.in_(FOLLOWED))
                .subquery())
    c = followed.c
    lapsing = sa.select(c.id).where(days_between(day.dialect, c.since, day.today) == c.nudge_days)  # up today
    values = day.json(number=c.number, name=c.name, since=c.since,
                      days=days_between(day.dialect, c.since, day.today))
    key = ("checkin_overdue:c", c.id, ":", c.since)
    to_sponsor = lapsing.with_only_columns(*_row(concat(*key, ":p", c.sponsor_id), c.sponsor_id, "checkin_overdue",
                                              "reminders/checkin_overdue", values, c.branch_id))
    statements = [to_sponsor, _to_officers(lapsing, c.branch_id, key, "checkin_overdue",
                                           "reminders/checkin_overdue_secretary", values)]
    if day.today.weekday() == 0:
        statements += _still_not_met(day, followed)
    return statements


def _still_not_met(day: Day, followed: sa.Subquery) -> list[sa.Select]:
    """Monday's lists of candidates past their branch's nudge days: one per sponsor, one per branch
    for its officers (a list a week, however many are late, rather than a line per candidate)."""
    f = followed.c
    late = sa.select(followed).where(days_between(day.dialect, f.since, day.today) > f.nudge_days).subquery()

    def listed(by, *, naming_sponsors: bool = False) -> sa.Subquery:
        ranked = sa.select(late, by.label("owner"),
                           sa.func.row_number().over(partition_by=by, order_by=(late.c.since, late.c.id))
                           .label("rank"),
                           sa.func.count().over(partition_by=by).label("total")).subquery()
        r = ranked.c
        entry = dict(number=r.number, name=r.name, since=r.since, days=days_between(day.dialect, r.since, day.today))
        if naming_sponsors:  # the officers' list says whom to ask
            entry["sponsor"] = Person.full_name
        # branch_id: whose secretary hears if the list cannot be delivered (for a sponsor with
        # candidates in several branches, one of them).
        stmt = (sa.select(r.owner, sa.func.max(r.branch_id).label("branch_id"), sa.func.max(r.total).label("total"),
                          sa.func.min(r.nudge_days).label("after"),
                          json_list(day.dialect, day.json(**entry)).label("candidates"))
                .where(r.rank <= NAMED_IN_LIST).group_by(r.owner))
        if naming_sponsors:
            stmt = stmt.join(Person, Person.id == r.sponsor_id)
        return stmt.subquery()

    def listing(columns) -> sa.ColumnElement:
        return day.json(total=columns.total, candidates=columns.candidates, after=columns.after)

    by_sponsor, by_branch = listed(late.c.sponsor_id), listed(late.c.branch_id, naming_sponsors=True)
    s, b = by_sponsor.c, by_branch.c
    return [
        sa.select(*_row(concat("checkin_list:s", s.owner, f":{day.week}"), s.owner, "checkin_list",
                        "reminders/checkin_list", listing(s), s.branch_id)),
        _to_officers(sa.select(b.owner), b.owner, ("checkin_list:b", b.owner, f":{day.week}"), "checkin_list",
                     "reminders/checkin_list_secretary", listing(b)),
    ]


async def enrolment_closing(session, day: Day) -> list[sa.Select]:
    """A class's enrolment deadline is near and some sympathizers below it are not enrolled."""
    classes = (await session.exec(
        sa.select(PartyClass.id, PartyClass.enrol_by, PartyClass.title, Organisation.path)
        .join(Organisation, Organisation.id == PartyClass.org_id)
        .where(PartyClass.kind == ClassKind.awareness, PartyClass.enrol_by >= day.today,
               PartyClass.enrol_by <= day.today + timedelta(days=rules.ENROL_NOTICE_DAYS)))).all()
    statements = []
    for class_id, enrol_by, title, org_path in classes:
        enrolled = sa.select(Enrollment.candidate_id).where(Enrollment.class_id == class_id)
        counts = (sa.select(Candidate.branch_id, sa.func.count().label("n"))
                  .join(Organisation, Organisation.id == Candidate.branch_id)
                  .where(Organisation.path.startswith(org_path), Candidate.stage == Stage.sympathizer,
                         Candidate.id.not_in(enrolled))
                  .group_by(Candidate.branch_id).subquery())
        statements.append(_to_officers(
            sa.select(counts.c.branch_id), counts.c.branch_id, (f"enrol_closing:k{class_id}:b", counts.c.branch_id),
            "enrol_closing", "reminders/enrol_closing", day.json(title=title, enrol_by=enrol_by, count=counts.c.n)))
    return statements


async def certificate_expiry(session, day: Day) -> list[sa.Select]:
    """A certificate expiring within 90 days, or expired, for a candidate not yet admitted."""
    # A certificate from a class in chibo, or one typed with the dossier (a class held before chibo).
    issued = sa.union_all(
        sa.select(Enrollment.candidate_id.label("candidate_id"), Enrollment.certificate_on.label("issued"))
        .join(PartyClass, PartyClass.id == Enrollment.class_id)
        .where(PartyClass.kind == ClassKind.awareness, Enrollment.status == EnrollmentStatus.passed),
        sa.select(DossierEntry.candidate_id.label("candidate_id"), DossierEntry.dated.label("issued"))
        .where(DossierEntry.item == CERTIFICATE_ITEMS[ClassKind.awareness]),
    ).subquery()
    latest = (sa.select(issued.c.candidate_id, sa.func.max(issued.c.issued).label("issued"))
              .group_by(issued.c.candidate_id).subquery())
    horizon = day.today + timedelta(days=rules.CERTIFICATE_NOTICE_DAYS)
    expired = latest.c.issued < value(dl.earliest(dl.certificate_expires_on, day.today + timedelta(days=1)))
    kind = choose(expired, "certificate_expired", "certificate_expiring")
    stmt = (sa.select(Candidate.id).join(latest, latest.c.candidate_id == Candidate.id)
            .where(Candidate.stage.in_((Stage.sympathizer, Stage.awareness_class, Stage.dossier)),
                   latest.c.issued < value(dl.earliest(dl.certificate_expires_on, horizon + timedelta(days=1)))))
    return [_to_officers(stmt, Candidate.branch_id, (kind, ":c", Candidate.id, ":", latest.c.issued), kind,
                         concat("reminders/", kind),
                         day.json(number=Candidate.number, name=Candidate.full_name, issued=latest.c.issued))]


def _admitted(stage: Stage, *where) -> sa.Select:
    return (sa.select(Candidate.id).join(AdmissionRecord, AdmissionRecord.candidate_id == Candidate.id)
            .where(Candidate.stage == stage, *where))


def _about(day: Day, subject: str, column) -> sa.ColumnElement:
    return day.json(number=Candidate.number, name=Candidate.full_name, **{subject: column})


def _escalating(day: Day, name: str, rule, stmt: sa.Select, subject: str, column) -> list[sa.Select]:
    """`<name>_due` in the week before a deadline, then `<name>_overdue` every week after it."""
    starts = dl.earliest(rule, day.today)
    ends = dl.earliest(rule, day.today + timedelta(days=rules.DEADLINE_NOTICE_DAYS + 1))
    values = _about(day, subject, column)
    return [
        _to_officers(stmt.where(column >= value(starts), column < value(ends)), Candidate.branch_id,
                     (f"{name}_due:c", Candidate.id, ":", column), f"{name}_due", f"reminders/{name}_due", values),
        _to_officers(stmt.where(column < value(starts)), Candidate.branch_id,
                     (f"{name}_overdue:c", Candidate.id, ":", column, f":{day.week}"), f"{name}_overdue",
                     f"reminders/{name}_overdue", values),
    ]


async def dossier_ageing(session, day: Day) -> list[sa.Select]:
    """A dossier 11 months old without the branch's vote (at 12 it must be partly redone)."""
    started = AdmissionRecord.dossier_started_on

    def warn(started_on: date) -> date:
        return rules.add_months(started_on, rules.DOSSIER_WARN_AGE_MONTHS)

    stmt = _admitted(Stage.dossier, AdmissionRecord.resolution_on.is_(None),
                     started < value(dl.earliest(warn, day.today + timedelta(days=1))))
    return [_to_officers(stmt, Candidate.branch_id, ("dossier_ageing:c", Candidate.id, ":", started),
                         "dossier_ageing", "reminders/dossier_ageing", _about(day, "started", started))]


async def ceremony(session, day: Day) -> list[sa.Select]:
    """The ceremony within 30 working days of receiving the decision: before, then overdue."""
    received = AdmissionRecord.decision_received_on
    stmt = _admitted(Stage.admitted, received.is_not(None), AdmissionRecord.ceremony_on.is_(None))
    return _escalating(day, "ceremony", dl.ceremony_due, stmt, "received", received)


async def personal_history(session, day: Day) -> list[sa.Select]:
    """The new member's personal history within 30 working days of the ceremony."""
    held = AdmissionRecord.ceremony_on
    stmt = _admitted(Stage.probationary, held.is_not(None), AdmissionRecord.personal_history_on.is_(None))
    return _escalating(day, "personal_history", dl.personal_history_due, stmt, "ceremony", held)


async def probation_ending(session, day: Day) -> list[sa.Select]:
    """Probation ends within 30 days: prepare the recognition."""
    held = AdmissionRecord.ceremony_on
    tomorrow = day.today + timedelta(days=1)
    stmt = _admitted(Stage.probationary, held >= value(dl.earliest(dl.probation_end, tomorrow)),
                     held < value(dl.earliest(dl.probation_reminder_on, tomorrow)))
    return [_to_officers(stmt, Candidate.branch_id, ("probation_ending:c", Candidate.id, ":", held),
                         "probation_ending", "reminders/probation_ending", _about(day, "ceremony", held))]


def _no_new_member_class(*, passed: bool) -> sa.ColumnElement[bool]:
    """Not enrolled in a new-member class (passed: without its certificate), nor the certificate
    typed into the file (CN-ĐVM)."""
    enrolled = (sa.select(Enrollment.id).join(PartyClass, PartyClass.id == Enrollment.class_id)
                .where(Enrollment.candidate_id == Candidate.id, PartyClass.kind == ClassKind.new_member))
    if passed:
        enrolled = enrolled.where(Enrollment.status == EnrollmentStatus.passed, Enrollment.certificate_on.is_not(None))
    typed = sa.select(DossierEntry.id).where(DossierEntry.candidate_id == Candidate.id,
                                             DossierEntry.item == CERTIFICATE_ITEMS[ClassKind.new_member])
    return sa.and_(~sa.exists(enrolled), ~sa.exists(typed))


async def new_member_class(session, day: Day) -> list[sa.Select]:
    """The new-member class: enrol the member a month after the ceremony (once, within a week of
    that day); from 9 months into probation, every week until it ends, the certificate missing."""
    held = AdmissionRecord.ceremony_on
    tomorrow = day.today + timedelta(days=1)
    enrol = _admitted(Stage.probationary, _no_new_member_class(passed=False),
                      held < value(dl.earliest(dl.new_member_enrol_reminder_on, tomorrow)),
                      held >= value(dl.earliest(dl.new_member_enrol_reminder_on,
                                                tomorrow - timedelta(days=7))))
    missing = _admitted(Stage.probationary, _no_new_member_class(passed=True),
                        held < value(dl.earliest(dl.new_member_certificate_due, tomorrow)),
                        held >= value(dl.earliest(dl.probation_end, tomorrow)))
    return [
        _to_officers(enrol, Candidate.branch_id, ("new_member_enrol:c", Candidate.id, ":", held),
                     "new_member_enrol", "reminders/new_member_enrol", _about(day, "ceremony", held)),
        _to_officers(missing, Candidate.branch_id, ("new_member_certificate:c", Candidate.id, f":{day.week}"),
                     "new_member_certificate", "reminders/new_member_certificate", _about(day, "ceremony", held)),
    ]


async def recognition_overdue(session, day: Day) -> list[sa.Select]:
    """The branch has not considered recognition 30 working days after probation: every week."""
    held = AdmissionRecord.ceremony_on
    stmt = _admitted(Stage.probationary, AdmissionRecord.recognition_resolution_on.is_(None),
                     held < value(dl.earliest(dl.recognition_branch_due, day.today)))
    return [_to_officers(stmt, Candidate.branch_id, ("recognition_overdue:c", Candidate.id, f":{day.week}"),
                         "recognition_overdue", "reminders/recognition_overdue", _about(day, "ceremony", held))]


async def graduate_stay(session, day: Day) -> list[sa.Select]:
    """A graduate still on a student branch's roster (01-HD/TW 10.2.1; models.roster.graduate_state):
    once when their 12 months at the school end within GRADUATE_STAY_NOTICE_DAYS, then every
    week once the 12 months have passed, until the move is recorded (/dangvien)."""
    graduated = PartyMember.graduated_on
    over = value(dl.earliest(dl.graduate_may_stay_until, day.today))  # graduated before: the stay has ended
    soon = value(dl.earliest(dl.graduate_may_stay_until,
                             day.today + timedelta(days=rules.GRADUATE_STAY_NOTICE_DAYS + 1)))
    stmt = sa.select(PartyMember.id).where(PartyMember.left_on.is_(None), graduated.is_not(None))
    values = day.json(name=PartyMember.full_name, graduated=graduated)
    return [
        _to_officers(stmt.where(graduated >= over, graduated < soon), PartyMember.org_id,
                     ("graduate_stay_ending:m", PartyMember.id, ":", graduated), "graduate_stay_ending",
                     "reminders/graduate_stay_ending", values),
        _to_officers(stmt.where(graduated < over), PartyMember.org_id,
                     ("graduate_stay_over:m", PartyMember.id, ":", graduated, f":{day.week}"), "graduate_stay_over",
                     "reminders/graduate_stay_over", values),
    ]


async def turning_18(session, day: Day) -> list[sa.Select]:
    """A pupil candidate turns 18 this month: from then on they may be admitted (seed 002)."""
    first = day.today.replace(day=1)
    born_from = rules.add_months(first, -rules.BIRTHDAY_18_MONTHS)
    born_to = rules.add_months(rules.add_months(first, 1), -rules.BIRTHDAY_18_MONTHS)
    stmt = sa.select(Candidate.id).where(Candidate.birth_date >= value(born_from),
                                         Candidate.birth_date < value(born_to), Candidate.stage.in_(FOLLOWED))
    return [_to_officers(stmt, Candidate.branch_id, ("turns_18:c", Candidate.id), "turns_18",
                         "reminders/turns_18", _about(day, "born", Candidate.birth_date))]


async def report_due(session, day: Day) -> list[sa.Select]:
    """The monthly report to the committee above, from its day to the month's end, to the
    officers of a branch that has not sent it yet: with the month's figures (the report's
    summary) and the one command that sends it (/baocao gửi)."""
    if day.today.day < rules.REPORT_DAY:
        return []
    month = month_of(day.today)
    branch = RoleGrant.org_id
    within = (StageChange.on >= value(month.start), StageChange.on <= value(month.end))

    def moved(*where) -> sa.ScalarSelect:
        return (sa.select(sa.func.count()).select_from(StageChange)
                .join(Candidate, Candidate.id == StageChange.candidate_id)
                .where(Candidate.branch_id == branch, *within, *where).scalar_subquery())

    followed = (sa.select(sa.func.count()).select_from(Candidate)
                .where(Candidate.branch_id == branch, Candidate.stage.in_(sorted(s.value for s in ACTIVE_STAGES)))
                .scalar_subquery())
    figures = day.json(month=f"{month.start:%m/%Y}", send=f"{month.number}/{month.start.year}", active=followed,
                       added=moved(StageChange.from_stage.is_(None)),
                       to_sympathizer=moved(StageChange.to_stage == Stage.sympathizer),
                       removed=moved(StageChange.to_stage == Stage.removed))
    sent = sa.exists().where(ReportSubmission.org_id == branch, ReportSubmission.period == month.label)
    return [sa.select(*_row(concat("report_due:b", branch, f":{month.start:%Y-%m}:p", RoleGrant.person_id),
                            RoleGrant.person_id, "report_due", "reminders/report_due", figures, branch))
            .where(RoleGrant.role.in_(OFFICERS), ~sent)]


async def class_notices(session, day: Day) -> list[sa.Select]:
    """To a linked candidate: their class when enrolled, and again the day before it starts."""
    stmt = (sa.select(Enrollment.id)
            .join(Candidate, Candidate.id == Enrollment.candidate_id)
            .join(PartyClass, PartyClass.id == Enrollment.class_id)
            .where(Enrollment.status == EnrollmentStatus.enrolled, Candidate.person_id.is_not(None),
                   PartyClass.starts_on >= value(day.today)))
    values = day.json(title=PartyClass.title, place=PartyClass.place, starts_on=PartyClass.starts_on,
                      ends_on=PartyClass.ends_on)

    def to_candidate(kind: str, stmt: sa.Select) -> sa.Select:
        return stmt.with_only_columns(*_row(concat(f"{kind}:e", Enrollment.id), Candidate.person_id, kind,
                                            f"reminders/{kind}", values, Candidate.branch_id))

    tomorrow = day.today + timedelta(days=1)
    return [to_candidate("class_notice", stmt),
            to_candidate("class_tomorrow", stmt.where(PartyClass.starts_on <= value(tomorrow)))]


async def data_requests_overdue(session, day: Day) -> list[sa.Select]:
    """A person's request about their data not acknowledged within 2 working days, or not acted
    on within 15 (models/consent.py): every week until it is done."""
    stmt = (consent.with_whom(sa.select(DataRequest.id).select_from(DataRequest))
            .where(consent.overdue(value(day.today))))
    values = day.json(number=Candidate.number, name=sa.func.coalesce(Candidate.full_name, Person.full_name),
                      kind=DataRequest.kind,
                      made_on=DataRequest.made_on, acknowledge_by=DataRequest.acknowledge_by,
                      act_by=DataRequest.act_by, acknowledged=DataRequest.acknowledged_on.is_not(None))
    return [_to_officers(stmt, consent.answering_org(), ("data_request_overdue:r", DataRequest.id, f":{day.week}"),
                         "data_request_overdue", "reminders/data_request_overdue", values)]


async def children_consent(session, day: Day) -> list[sa.Select]:
    """A candidate under 16 on the day of registration without a parent's or guardian's consent
    (every week), and one who turns 16 this month (once): from then their own consent suffices."""
    young = date(day.today.year - consent.CHILD_AGE - 2, 1, 1)  # 16 at registration, followed 2 years at most
    rows = await session.exec(sa.select(Candidate.id, Candidate.birth_date, Candidate.created_at)
                              .where(Candidate.birth_date > value(young), Candidate.stage.in_(FOLLOWED)))
    children = [cid for cid, born, created in rows
                if consent.consent_needed(born, created.date()).guardian]
    guardians = sa.select(consent.Consent.candidate_id).where(consent.Consent.given_by == consent.GivenBy.guardian,
                                                              consent.Consent.withdrawn_at.is_(None))
    missing = sa.select(Candidate.id).where(Candidate.id.in_(children), Candidate.id.not_in(guardians))
    first = day.today.replace(day=1)
    born_from = rules.add_months(first, -12 * consent.CHILD_AGE)
    born_to = rules.add_months(rules.add_months(first, 1), -12 * consent.CHILD_AGE)
    sixteen = sa.select(Candidate.id).where(Candidate.birth_date >= value(born_from),
                                            Candidate.birth_date < value(born_to), Candidate.stage.in_(FOLLOWED))
    return [_to_officers(missing, Candidate.branch_id, ("guardian_consent_missing:c", Candidate.id, f":{day.week}"),
                         "guardian_consent_missing", "reminders/guardian_consent_missing",
                         _about(day, "born", Candidate.birth_date)),
            _to_officers(sixteen, Candidate.branch_id, ("turns_16:c", Candidate.id), "turns_16",
                         "reminders/turns_16", _about(day, "born", Candidate.birth_date))]


KINDS = (review_due, survey_due, checkin_overdue, enrolment_closing, certificate_expiry, dossier_ageing,
         ceremony, personal_history, new_member_class, probation_ending, recognition_overdue, graduate_stay, turning_18,
         report_due,
         class_notices, data_requests_overdue, children_consent)


async def due_on(*, session: AsyncSession, today: date) -> AsyncIterator[sa.Select]:
    """Every reminder due on this day (in Vietnam's calendar), as queries of outbox rows."""
    day = Day(today, session.bind.dialect.name)
    for kind in KINDS:
        for stmt in await kind(session, day):
            yield stmt


# The dates a message shows, worked out from the subject date its row carries:
# kind -> (the subject in the row's values, the name the template shows, the rule).
DERIVED: dict[str, tuple[str, str, Callable[[date], date]]] = {
    "certificate_expiring": ("issued", "expires", dl.certificate_expires_on),
    "certificate_expired": ("issued", "expires", dl.certificate_expires_on),
    "dossier_ageing": ("started", "stale", dl.dossier_stale_after),
    "ceremony_due": ("received", "due", dl.ceremony_due),
    "ceremony_overdue": ("received", "due", dl.ceremony_due),
    "personal_history_due": ("ceremony", "due", dl.personal_history_due),
    "personal_history_overdue": ("ceremony", "due", dl.personal_history_due),
    "probation_ending": ("ceremony", "due", dl.probation_end),
    "new_member_certificate": ("ceremony", "due", dl.probation_end),
    "recognition_overdue": ("ceremony", "due", dl.recognition_branch_due),
    "graduate_stay_ending": ("graduated", "until", dl.graduate_may_stay_until),
    "graduate_stay_over": ("graduated", "until", dl.graduate_may_stay_until),
    "turns_18": ("born", "on", lambda born: rules.add_months(born, rules.BIRTHDAY_18_MONTHS)),
    "turns_16": ("born", "on", lambda born: consent.birthday_at(born, consent.CHILD_AGE)),
}


def describe(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values a reminder's template shows: what its row carries and the dates derived.

    A row written before a kind carried its subject date already holds the shown date."""
    subject, shown, rule = DERIVED.get(kind, (None, None, None))
    if subject is None or not values.get(subject):
        return values
    return {**values, shown: rule(date.fromisoformat(values[subject]))}
