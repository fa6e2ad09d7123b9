"""`chibo report KIND --org NAME --period PERIOD --format xlsx,docx --out DIR`: a report's files,
one path printed per line.

bot/cli.py mounts it: app.command("report")(report)."""

import asyncio
from pathlib import Path

import typer

from bot.render import text_of
from bot.reports.make import WRITERS, ReportKind


def _help(key: str) -> str:
    return text_of(f"cli/help/{key}")


def _say(key: str, **values) -> None:
    typer.echo(text_of(f"cli/{key}", **values))


def parse_formats(text: str) -> list[str] | None:
    """"xlsx,docx" → ["xlsx", "docx"] (in the order given, once each); None if one is unknown."""
    wanted = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    if not wanted or any(f not in WRITERS for f in wanted):
        return None
    return list(dict.fromkeys(wanted))


def report(
    kind: ReportKind = typer.Argument(..., help=_help("report_kind")),
    org: str = typer.Option(..., "--org", help=_help("report_org")),
    period: str = typer.Option("", "--period", help=_help("report_period")),
    formats: str = typer.Option("xlsx,docx", "--format", help=_help("report_format")),
    out: Path = typer.Option(Path("."), "--out", help=_help("report_out")),
    candidate: int | None = typer.Option(None, "--candidate", help=_help("report_candidate")),
) -> None:
    from bot.cli import _prepared
    from bot.config import Settings
    from bot.reports import read_period
    from bot.reports.make import fits, make_report
    from models.org import find_org
    from models.reports.periods import PeriodError, current_period

    wanted = parse_formats(formats)
    if wanted is None:
        _say("report_bad_format", given=formats, known=list(WRITERS))
        raise typer.Exit(1)
    if (kind == ReportKind.file) != (candidate is not None):
        _say("report_candidate_needed" if candidate is None else "report_candidate_only")
        raise typer.Exit(1)

    async def go() -> int:
        chibo = await _prepared(Settings(), demo_if_empty=False)
        try:
            today = chibo.clock.today()
            span = read_period(period, today=today) if period else current_period(kind.value, today)
            if isinstance(span, PeriodError):
                _say(f"report_period_{span.value}", period=period)
                return 1
            if not fits(kind, span):
                _say("report_period_kind", period=period, kind=kind.value)
                return 1
            async with chibo.sessions() as session:
                found = await find_org(session=session, ref=org)
                if len(found) != 1:
                    _say("org_not_found" if not found else "org_ambiguous", ref=org, matches=[o.name for o in found])
                    return 1
                made = await make_report(session=session, kind=kind, org=found[0], period=span, today=today,
                                         formats=wanted, out=out, candidate=candidate)
            if not made.documents:
                _say("report_no_candidate", number=candidate, org=found[0].name)
                return 1
            for path in made.files:
                typer.echo(str(path))
            return 0
        finally:
            await chibo.close()

    raise typer.Exit(asyncio.run(go()))
