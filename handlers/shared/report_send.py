"""A branch secretary sends the period's report up to the committee above ("/baocao gửi",
"/baocao gửi 2/2026"): the report is made from live figures, its files kept under the data
folder (reports/sent/BRANCH/PERIOD/N/, N the sending's id: a report sent again never overwrites
the files of an earlier sending), the sending recorded (models/reports/submission.py) and the
committee told."""

from pathlib import Path

import sqlalchemy as sa

from bot.events import CONSOLE
from bot.events import Attachment, Reply
from bot.private import private_dir
from bot.reports import read_period
from bot.reports.document import period_words
from bot.reports.make import ReportKind, make_report
from bot.engine.flow import Context
from handlers.shared.report_page import on_zalo, page_replies
from models.audit import audit
from models.org import Organisation
from models.outbox import Due, enqueue
from models.people import RoleGrant
from models.policy import Action
from models.reports.periods import PeriodError, PeriodUnit, ReportPeriod
from models.reports.submission import due_month, latest, submit
from models.stage import Role

KIND_OF_UNIT = {PeriodUnit.month: ReportKind.monthly, PeriodUnit.quarter: ReportKind.quarterly,
                PeriodUnit.half: ReportKind.half_year, PeriodUnit.year: ReportKind.yearly,
                PeriodUnit.school_year: ReportKind.yearly}
SENDS = frozenset(KIND_OF_UNIT.values())  # the kinds a branch sends up
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf", "png": "image/png"}


def typed(period: ReportPeriod) -> str:
    """The period as one types it after "/baocao gửi": 2/2026, 2026-Q1, 2026-H1, 2026."""
    return f"{period.number}/{period.start.year}" if period.unit == PeriodUnit.month else period.label


def officer_of(ctx: Context, org_id: int) -> bool:
    return any(g.org_id == org_id and g.role in (Role.secretary, Role.deputy)
               for g in ctx.actor.grants_for(Action.report))


async def send_report(ctx: Context, text: str, formats: list[str]) -> list[Reply]:
    """The whole sending in one step: the words after "gửi" name the period (none: the month due)."""
    own = [g for g in ctx.actor.grants_for(Action.report) if g.role in (Role.secretary, Role.deputy)]
    if len({g.org_id for g in own}) != 1:
        return [Reply("reports/send_officers_only" if not own else "reports/send_several")]
    branch = await ctx.session.get(Organisation, own[0].org_id)
    above = await ctx.session.get(Organisation, branch.parent_id) if branch.parent_id else None
    if above is None:
        return [Reply("reports/send_nobody_above", {"org": branch.name})]
    period = read_period(text, today=ctx.today) if text else due_month(ctx.today)
    if isinstance(period, PeriodError):
        return [Reply(f"reports/send_period_{period.value}", {"text": text[:50]})]
    kind = KIND_OF_UNIT[period.unit]
    before = await latest(session=ctx.session, org_id=branch.id, period=period.label)
    row = submit(session=ctx.session, org_id=branch.id, period=period.label, kind=kind.value,
                 person_id=ctx.actor.person_id, at=ctx.now, files=[], figures={})
    await ctx.session.flush()  # its id names its own folder: a later sending keeps its own files
    sent = Path(ctx.settings.data_dir) / "reports" / "sent"
    folder = Path(branch.code or str(branch.id)) / period.label / str(row.id)
    made = await make_report(session=ctx.session, kind=kind, org=branch, period=period, today=ctx.today,
                             formats=formats, out=private_dir(sent / folder))
    row.files = [str(folder / p.name) for p in made.files]
    row.figures = made.summary
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.report,
          subject=f"org:{branch.id}")
    await _tell_committee(ctx, branch, above, period, kind)
    values = {"kind": kind.value, "org": branch.name, "period": period_words(period), "s": made.summary,
              "above": above.name, "again": before is not None,
              "paths": [str(p) for p in made.files] if ctx.incoming.channel == CONSOLE else []}
    replies = [Reply("reports/sent", values)]
    if on_zalo(ctx):  # the same files, on the report's page (or where to get them)
        return replies + page_replies(ctx, made=made, kind=kind, org=branch, period=period,
                                      summary={**values, "again": False, "paths": []})
    if ctx.incoming.channel != CONSOLE:  # the same files, as sent (Telegram)
        replies += [Reply("reports/file", {"name": p.name}, file=Attachment(p.name, MIME[p.suffix[1:]], p.read_bytes()))
                    for p in made.files]
    return replies


async def _tell_committee(ctx: Context, branch: Organisation, above: Organisation, period: ReportPeriod,
                          kind: ReportKind) -> None:
    """The committee members of the organisation above hear of it (through the outbox, once)."""
    members = (await ctx.session.exec(sa.select(RoleGrant.person_id).where(
        RoleGrant.org_id == above.id, RoleGrant.role == Role.committee))).scalars().all()

    async def notices():
        for person_id in members:
            yield Due(f"report_sent:b{branch.id}:{period.label}:{ctx.now:%Y%m%d%H%M%S}:p{person_id}", person_id,
                      "report_sent", "reminders/report_sent",
                      {"branch": branch.name, "kind": kind.value, "period": period_words(period)})

    await enqueue(session=ctx.session, items=notices(), now=ctx.now)
