"""A report on Zalo, which cannot carry files: the summary, then a signed link to the report's
page on chibo's own HTTP endpoint (bot/report_pages.py) when chibo has a public address and a
key to sign with; otherwise where to get the files (Telegram, or the CLI on the server)."""

from bot.events import ZALO
from bot.engine.flow import Context
from bot.events import Reply
from bot.render import text_of
from bot.report_pages import ReportPages
from bot.reports.make import Made, ReportKind
from models.org import Organisation
from models.reports.periods import ReportPeriod


def on_zalo(ctx: Context) -> bool:
    return ctx.incoming.channel == ZALO


def formats_for_zalo(ctx: Context, formats: list[str]) -> list[str]:
    """The files are written only when they can be linked to (none: the figures alone)."""
    return formats if ReportPages.from_settings(ctx.settings, ctx.clock.now) else []


def cli_command(kind: ReportKind, org: Organisation, period: ReportPeriod | None,
                candidate: int | None = None) -> str:
    """The same report from the command line on the server (bot/cli_report.py)."""
    span = f" --period {period.label}" if period else ""
    if candidate is not None:
        return f'chibo report {kind.value} --org "{org.name}" --candidate {candidate} --format xlsx,docx,pdf'
    return f'chibo report {kind.value} --org "{org.name}"{span} --format xlsx,docx,pdf,png'


def page_replies(ctx: Context, *, made: Made, kind: ReportKind, org: Organisation, period: ReportPeriod | None,
                 summary: dict, candidate: int | None = None) -> list[Reply]:
    """After the summary: the page's link, or where the files are to be had; a chart named only
    when the report has one (a candidate's file has none)."""
    chart = any(d.chart for d in made.documents)
    pages = ReportPages.from_settings(ctx.settings, ctx.clock.now)
    if pages is None or not made.files:
        return [Reply("reports/files_elsewhere", {"command": cli_command(kind, org, period, candidate),
                                                  "chart": chart})]
    kept = pages.keep(files=made.files, documents=made.documents, summary=text_of("reports/summary", **summary),
                      org_id=org.id, person_id=ctx.actor.person_id)
    return [Reply("reports/page_link", {"url": kept.url, "expires": kept.expires, "chart": chart})]
