"""Which reminders are due on a day: plain queries over the data, nothing stored as jobs.

Each function yields `Due` items with a key that names the reminder for good (kind, subject,
period, recipient), so running them again, late or twice enqueues nothing new. Candidates are
streamed, never all loaded: memory stays flat in their number.
"""

from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from models import deadlines as dl
from models import rules
from models.candidate import Candidate
from models.checkin import Checkin
from models.dossier import AdmissionRecord
from models.org import Organisation
from models.outbox import Due
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.people import RoleGrant
from models.progress import next_meeting
from models.stage import Role, Stage

OFFICERS = (Role.secretary, Role.deputy)


async def branch_officers(session: AsyncSession) -> dict[int, list[int]]:
    """Secretaries and deputies by branch (one row per branch officer, not per candidate)."""
    rows = await session.exec(sa.select(RoleGrant.org_id, RoleGrant.person_id)
                              .where(RoleGrant.role.in_(OFFICERS)).order_by(RoleGrant.person_id))
    officers: dict[int, list[int]] = defaultdict(list)
    for org_id, person_id in rows:
        officers[org_id].append(person_id)
    return officers


async def _stream(session: AsyncSession, stmt):
    result = await session.stream(stmt.execution_options(yield_per=2000))
    async for row in result:
        yield row


def _to_officers(officers, branch_id, key, kind, template, values):
    for person in officers.get(branch_id, ()):
        yield Due(f"{key}:p{person}", person, kind, template, values, branch_id)


async def review_due(session, today, officers) -> AsyncIterator[Due]:
    """The monthly review, a few days before the branch's meeting, with how many to review."""
    counts = _stream(session, sa.select(Candidate.branch_id, sa.func.count())
                     .where(Candidate.stage.in_((Stage.source, Stage.sympathizer)))
                     .group_by(Candidate.branch_id))
    meeting_days = dict((await session.exec(sa.select(Organisation.id, Organisation.meeting_day))).all())
    async for branch_id, count in counts:
        meeting = next_meeting(meeting_days.get(branch_id, 5), today)
        if meeting - timedelta(days=rules.REVIEW_NOTICE_DAYS) <= today <= meeting:
            key = f"review_due:b{branch_id}:{meeting:%Y-%m}"
            for due in _to_officers(officers, branch_id, key, "review_due", "reminders/review_due",
                                    {"meeting": meeting, "count": count}):
                yield due


async def survey_due(session, today, officers) -> AsyncIterator[Due]:
    """The quarterly survey of the source pool, in the first week of each quarter."""
    if today.month not in (1, 4, 7, 10) or today.day > rules.SURVEY_WINDOW_DAYS:
        return
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    rows = _stream(session, sa.select(Candidate.branch_id, sa.func.count())
                   .where(Candidate.stage == Stage.source).group_by(Candidate.branch_id))
    async for branch_id, count in rows:
        for due in _to_officers(officers, branch_id, f"survey_due:b{branch_id}:{quarter}", "survey_due",
                                "reminders/survey_due", {"quarter": quarter, "count": count}):
            yield due


async def checkin_overdue(session, today, officers) -> AsyncIterator[Due]:
    """A sponsor has not met their candidate for 30 days: to the sponsor and the secretary."""
    last = (sa.select(Checkin.candidate_id, sa.func.max(Checkin.met_on).label("last"))
            .group_by(Checkin.candidate_id).subquery())
    cutoff = today - timedelta(days=rules.SPONSOR_CHECK_IN_NUDGE_DAYS)
    since = sa.func.coalesce(last.c.last, Candidate.stage_since)
    stmt = (sa.select(Candidate.id, Candidate.branch_id, Candidate.number, Candidate.full_name,
                      Candidate.sponsor_id, since)
            .outerjoin(last, last.c.candidate_id == Candidate.id)
            .where(Candidate.sponsor_id.is_not(None),
                   Candidate.stage.in_((Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier)),
                   since <= cutoff))
    async for cid, branch_id, number, name, sponsor_id, since_on in _stream(session, stmt):
        since_on = _day(since_on)
        values = {"number": number, "name": name, "since": since_on, "days": (today - since_on).days}
        yield Due(f"checkin_overdue:c{cid}:{since_on}:p{sponsor_id}", sponsor_id, "checkin_overdue",
                  "reminders/checkin_overdue", values, branch_id)
        for due in _to_officers(officers, branch_id, f"checkin_overdue:c{cid}:{since_on}", "checkin_overdue",
                                "reminders/checkin_overdue_secretary", values):
            yield due


async def enrolment_closing(session, today, officers) -> AsyncIterator[Due]:
    """A class's enrolment deadline is near and some sympathizers below it are not enrolled."""
    classes = (await session.exec(sa.select(PartyClass.id, PartyClass.org_id, PartyClass.enrol_by, PartyClass.title)
                                  .where(PartyClass.kind == ClassKind.awareness,
                                         PartyClass.enrol_by >= today,
                                         PartyClass.enrol_by <= today + timedelta(days=rules.ENROL_NOTICE_DAYS))
                                  )).all()
    for class_id, org_id, enrol_by, title in classes:
        org_path = (await session.exec(sa.select(Organisation.path).where(Organisation.id == org_id))).one()[0]
        enrolled = sa.select(Enrollment.candidate_id).where(Enrollment.class_id == class_id)
        rows = _stream(session, sa.select(Candidate.branch_id, sa.func.count())
                       .join(Organisation, Organisation.id == Candidate.branch_id)
                       .where(Organisation.path.startswith(org_path), Candidate.stage == Stage.sympathizer,
                              Candidate.id.not_in(enrolled))
                       .group_by(Candidate.branch_id))
        async for branch_id, count in rows:
            for due in _to_officers(officers, branch_id, f"enrol_closing:k{class_id}:b{branch_id}",
                                    "enrol_closing", "reminders/enrol_closing",
                                    {"title": title, "enrol_by": enrol_by, "count": count}):
                yield due


async def certificate_expiry(session, today, officers) -> AsyncIterator[Due]:
    """A certificate expiring within 90 days, or expired, for a candidate not yet admitted."""
    latest = (sa.select(Enrollment.candidate_id, sa.func.max(Enrollment.certificate_on).label("issued"))
              .join(PartyClass, PartyClass.id == Enrollment.class_id)
              .where(PartyClass.kind == ClassKind.awareness, Enrollment.status == EnrollmentStatus.passed)
              .group_by(Enrollment.candidate_id).subquery())
    horizon = today + timedelta(days=rules.CERTIFICATE_NOTICE_DAYS)
    earliest_issue = _months_back(horizon, rules.CERTIFICATE_VALID_MONTHS)
    stmt = (sa.select(Candidate.id, Candidate.branch_id, Candidate.number, Candidate.full_name, latest.c.issued)
            .join(latest, latest.c.candidate_id == Candidate.id)
            .where(Candidate.stage.in_((Stage.sympathizer, Stage.awareness_class, Stage.dossier)),
                   latest.c.issued <= earliest_issue))
    async for cid, branch_id, number, name, issued in _stream(session, stmt):
        expires = dl.certificate_expires_on(_day(issued))
        kind = "certificate_expired" if today >= expires else "certificate_expiring"
        for due in _to_officers(officers, branch_id, f"{kind}:c{cid}:{expires}", kind, f"reminders/{kind}",
                                {"number": number, "name": name, "expires": expires}):
            yield due


def _day(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _months_back(day: date, months: int) -> date:
    return rules.add_months(day, -months)


async def admission_deadlines(session, today, officers) -> AsyncIterator[Due]:
    """Ceremony, personal history, probation end, recognition, dossier age: escalating."""
    stmt = (sa.select(Candidate.id, Candidate.branch_id, Candidate.number, Candidate.full_name, Candidate.stage,
                      AdmissionRecord)
            .join(AdmissionRecord, AdmissionRecord.candidate_id == Candidate.id)
            .where(Candidate.stage.in_((Stage.dossier, Stage.admitted, Stage.probationary))))
    async for cid, branch_id, number, name, stage, record in _stream(session, stmt):
        for kind, subject_date, values in _admission_items(Stage(stage), record, today):
            values = {"number": number, "name": name, **values}
            for due in _to_officers(officers, branch_id, f"{kind}:c{cid}:{subject_date}", kind,
                                    f"reminders/{kind}", values):
                yield due


def _admission_items(stage: Stage, r: AdmissionRecord, today: date):
    notice = timedelta(days=rules.DEADLINE_NOTICE_DAYS)
    if stage == Stage.dossier and r.dossier_started_on and r.resolution_on is None:
        warn = rules.add_months(r.dossier_started_on, rules.DOSSIER_WARN_AGE_MONTHS)
        if today >= warn:
            yield "dossier_ageing", r.dossier_started_on, {"stale": dl.dossier_stale_after(r.dossier_started_on)}
    if stage == Stage.admitted and r.decision_received_on and r.ceremony_on is None:
        due = dl.ceremony_due(r.decision_received_on)
        yield from _escalate("ceremony", due, today, notice)
    if stage == Stage.probationary and r.ceremony_on:
        if r.personal_history_on is None:
            yield from _escalate("personal_history", dl.personal_history_due(r.ceremony_on), today, notice)
        end = dl.probation_end(r.ceremony_on)
        if dl.probation_reminder_on(r.ceremony_on) <= today < end:
            yield "probation_ending", end, {"due": end}
        if r.recognition_resolution_on is None and today > dl.recognition_branch_due(r.ceremony_on):
            week = today.isocalendar()
            yield "recognition_overdue", f"{week.year}W{week.week:02d}", {"due": dl.recognition_branch_due(r.ceremony_on)}


def _escalate(name: str, due: date, today: date, notice: timedelta):
    if due - notice <= today <= due:
        yield f"{name}_due", due, {"due": due}
    elif today > due:
        week = today.isocalendar()
        yield f"{name}_overdue", f"{due}:{week.year}W{week.week:02d}", {"due": due}


async def turning_18(session, today, officers) -> AsyncIterator[Due]:
    """A pupil candidate turns 18 this month: from then on they may be admitted (seed 002)."""
    born_from = _months_back(today.replace(day=1), rules.BIRTHDAY_18_MONTHS)
    born_to = _months_back(rules.add_months(today.replace(day=1), 1), rules.BIRTHDAY_18_MONTHS)
    stmt = (sa.select(Candidate.id, Candidate.branch_id, Candidate.number, Candidate.full_name, Candidate.birth_date)
            .where(Candidate.birth_date >= born_from, Candidate.birth_date < born_to,
                   Candidate.stage.in_((Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier))))
    async for cid, branch_id, number, name, born in _stream(session, stmt):
        for due in _to_officers(officers, branch_id, f"turns_18:c{cid}", "turns_18", "reminders/turns_18",
                                {"number": number, "name": name,
                                 "on": rules.add_months(_day(born), rules.BIRTHDAY_18_MONTHS)}):
            yield due


async def report_due(session, today, officers) -> AsyncIterator[Due]:
    """The monthly report to the committee above, from its day to the month's end."""
    if today.day < rules.REPORT_DAY:
        return
    for branch_id in officers:
        for due in _to_officers(officers, branch_id, f"report_due:b{branch_id}:{today:%Y-%m}", "report_due",
                                "reminders/report_due", {"month": f"{today:%m/%Y}"}):
            yield due


async def class_notices(session, today, officers) -> AsyncIterator[Due]:
    """To a linked candidate: their class when enrolled, and again the day before it starts."""
    stmt = (sa.select(Enrollment.id, Candidate.person_id, Candidate.branch_id, PartyClass.title, PartyClass.place,
                      PartyClass.starts_on, PartyClass.ends_on)
            .join(Candidate, Candidate.id == Enrollment.candidate_id)
            .join(PartyClass, PartyClass.id == Enrollment.class_id)
            .where(Enrollment.status == EnrollmentStatus.enrolled, Candidate.person_id.is_not(None),
                   PartyClass.starts_on >= today))
    async for enrollment_id, person_id, branch_id, title, place, starts_on, ends_on in _stream(session, stmt):
        starts_on = _day(starts_on)
        values = {"title": title, "place": place, "starts_on": starts_on, "ends_on": _day(ends_on)}
        yield Due(f"class_notice:e{enrollment_id}", person_id, "class_notice", "reminders/class_notice",
                  values, branch_id)
        if starts_on - timedelta(days=1) <= today:
            yield Due(f"class_tomorrow:e{enrollment_id}", person_id, "class_tomorrow",
                      "reminders/class_tomorrow", values, branch_id)


KINDS = (review_due, survey_due, checkin_overdue, enrolment_closing, certificate_expiry,
         admission_deadlines, turning_18, report_due, class_notices)


async def due_on(*, session: AsyncSession, today: date) -> AsyncIterator[Due]:
    """Every reminder due on this day (in Vietnam's calendar)."""
    officers = await branch_officers(session)
    for kind in KINDS:
        async for due in kind(session, today, officers):
            yield due


DIGEST_BRANCHES = 20  # branches named in a digest; the rest are counted


async def committee_digests(session, today, officers) -> AsyncIterator[Due]:
    """Weekly (Monday) and monthly (the 1st) digests for the committee above its branches."""
    from models.overview import branch_overviews, branches_below

    periods = []
    if today.weekday() == 0:
        week = today.isocalendar()
        periods.append(("week", f"{week.year}W{week.week:02d}"))
    if today.day == 1:
        periods.append(("month", f"{today:%Y-%m}"))
    if not periods:
        return
    grants = (await session.exec(
        sa.select(RoleGrant.person_id, Organisation.id, Organisation.name, Organisation.path)
        .join(Organisation, Organisation.id == RoleGrant.org_id)
        .where(RoleGrant.role == Role.committee))).all()
    for person_id, org_id, org_name, path in grants:
        branches = await branches_below(session=session, paths=[path])
        overviews = await branch_overviews(session=session, branches=branches, today=today)
        rows = [{
            "name": o.name,
            "active": sum(n for stage, n in o.by_stage.items() if stage not in ("official", "removed", "transferred")),
            "admitted": o.targets[0].progress.counted if o.targets else o.admissions_this_school_year,
            "target": o.targets[0].admissions if o.targets else None,
            "overdue": len(o.overdue),
            "quiet": o.quiet,
        } for o in overviews]
        rows.sort(key=lambda r: (-r["overdue"], not r["quiet"], r["name"]))
        values = {"org_name": org_name, "branches": rows[:DIGEST_BRANCHES],
                  "more": max(len(rows) - DIGEST_BRANCHES, 0),
                  "overdue": sum(r["overdue"] for r in rows), "quiet": sum(r["quiet"] for r in rows)}
        for period, label in periods:
            yield Due(f"digest_{period}:o{org_id}:{label}:p{person_id}", person_id, f"digest_{period}",
                      f"reminders/digest_{period}", values)


KINDS = KINDS + (committee_digests,)
