"""One report for one organisation and period, written in the formats asked for."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.reports.content import (
    file_document, list_document, monthly_document, quarterly_document, rollup_document, statistics_document,
)
from bot.reports.document import Document
from models.org import Organisation
from models.overview import branches_below
from models.reports.candidate_file import candidate_file
from models.reports.elite import LISTED, elite_list
from models.reports.monthly import monthly_report
from models.reports.periods import PeriodUnit, ReportPeriod
from models.reports.quarterly import quarterly_survey
from models.reports.rollup import rollup
from models.reports.statistics import Compared, statistics
from models.stage import OrgKind


class ReportKind(StrEnum):
    monthly = "monthly"  # a branch's month; for a committee, the roll-up of the month
    quarterly = "quarterly"  # the source survey by unit
    half_year = "half-year"  # statistics beside the year before
    yearly = "yearly"  # statistics beside the year before (calendar or school year)
    rollup = "rollup"  # one row per branch below a committee and the total
    list = "list"  # Danh sách quần chúng ưu tú
    file = "file"  # one candidate's file (CLI: --candidate N; chat: /baocao asks whose)


# The periods each kind reads (None: no period).
UNITS: dict[ReportKind, tuple[PeriodUnit, ...] | None] = {
    ReportKind.monthly: (PeriodUnit.month,),
    ReportKind.quarterly: (PeriodUnit.quarter,),
    ReportKind.half_year: (PeriodUnit.half,),
    ReportKind.yearly: (PeriodUnit.year, PeriodUnit.school_year),
    ReportKind.rollup: tuple(PeriodUnit),
    ReportKind.list: None,
    ReportKind.file: None,
}


# The writers load their libraries (openpyxl, python-docx, fpdf2, matplotlib: a second and a
# half together) on first use, so that chibo and its CLI start without them.
def _xlsx(doc: Document, path: Path) -> Path | None:
    from bot.reports.xlsx import write_xlsx
    return write_xlsx(doc, path)


def _docx(doc: Document, path: Path) -> Path | None:
    from bot.reports.docx import write_docx
    return write_docx(doc, path)


def _pdf(doc: Document, path: Path) -> Path | None:
    from bot.reports.pdf import write_pdf
    return write_pdf(doc, path)


def _png(doc: Document, path: Path) -> Path | None:
    from bot.reports.charts import write_png
    return write_png(doc.chart, path) if doc.chart else None


WRITERS: dict[str, Callable[[Document, Path], Path | None]] = {
    "xlsx": _xlsx, "docx": _docx, "pdf": _pdf, "png": _png}


@dataclass(frozen=True)
class Made:
    documents: list[Document]
    files: list[Path]
    summary: dict[str, Any]  # a few figures for a chat message (messages/vi/reports/summary.j2)


def fits(kind: ReportKind, period: ReportPeriod | None) -> bool:
    units = UNITS[kind]
    return units is None or (period is not None and period.unit in units)


async def documents(*, session: AsyncSession, kind: ReportKind, org: Organisation, period: ReportPeriod | None,
                    today: date, candidate: int | None = None) -> tuple[list[Document], dict[str, Any]]:
    """The report's documents and a few of its figures for a chat message (no document: a
    candidate's file asked for with a number the branch does not have)."""
    parent = await session.get(Organisation, org.parent_id) if org.parent_id else None
    above = parent.name if parent else None
    if kind == ReportKind.file:
        found = (await candidate_file(session=session, branch_id=org.id, number=candidate, today=today)
                 if candidate is not None else None)
        return ([file_document(found, above=above, org=org.name, today=today)] if found else []), {}
    is_branch = org.kind == OrgKind.branch
    level = "branch" if is_branch else "committee"
    if kind == ReportKind.list:
        ids = [org.id] if is_branch else [b.id for b in await branches_below(session=session, paths=[org.path])]
        rows = await elite_list(session=session, branch_ids=ids, today=today)
        by_stage = Counter(r.stage for r in rows)
        return ([list_document(rows, above=above, org=org.name, level=level, today=today)],
                {"people": len(rows), "by_stage": {s.value: by_stage[s.value] for s in LISTED if by_stage[s.value]}})
    if kind == ReportKind.quarterly:
        ids = [org.id] if is_branch else [b.id for b in await branches_below(session=session, paths=[org.path])]
        survey = await quarterly_survey(session=session, branch_ids=ids, org=org.name, period=period, today=today)
        return [quarterly_document(survey, above=above, level=level)], {
            "units": len({r.unit for r in survey.rows}), "people": sum(r.total for r in survey.rows),
            "not_assessed": sum(r.not_assessed for r in survey.rows), "empty_units": len(survey.empty_units),
            "few_units": len(survey.few_units), "graduates_moved": sum(bool(g.moved_on) for g in survey.graduates),
            "graduates_staying": sum(not g.moved_on for g in survey.graduates)}
    if kind == ReportKind.monthly and is_branch:
        report = await monthly_report(session=session, branch=org, period=period, today=today)
        return [monthly_document(report, above=above)], {
            "by_stage": {s: n for s, n in report.by_stage.items() if n}, "added": report.added,
            "to_sympathizer": report.to_sympathizer, "removed": report.removed, "reviewed": len(report.reviews),
            "checkins_missing": len(report.checkins_missing), "dossiers": len(report.dossiers),
            "due_soon": len(report.due_soon), "overdue": len(report.overdue)}
    made, summary = [], {}
    if kind in (ReportKind.half_year, ReportKind.yearly):
        stats = await statistics(session=session, org=org, period=period)
        made.append(statistics_document(stats, above=above, level=level, today=today))
        total = stats.admissions["total"]
        summary.update(admitted=total.this, admitted_before=total.before, percent=total.percent)
    if not is_branch:
        roll = await rollup(session=session, org=org, period=period, today=today)
        made.append(rollup_document(roll, above=above, today=today))
        summary.update(branches=len(roll.rows), admitted=roll.total.admitted,
                       admitted_before=roll.total.admitted_before, share=roll.admitting_share,
                       no_admission=len(roll.no_admission), quiet=len(roll.quiet), sent=roll.sent,
                       percent=Compared(roll.total.admitted, roll.total.admitted_before).percent)
    return made, summary


async def make_report(*, session: AsyncSession, kind: ReportKind, org: Organisation,
                      period: ReportPeriod | None, today: date, formats: list[str], out: Path,
                      candidate: int | None = None) -> Made:
    docs, summary = await documents(session=session, kind=kind, org=org, period=period, today=today,
                                    candidate=candidate)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for doc in docs:
        stem = "-".join(p for p in (doc.kind, org.code or str(org.id), period.label if period else f"{today}") if p)
        if candidate is not None:
            stem = f"{doc.kind}-{org.code or org.id}-{candidate}"
        for fmt in formats:
            written = WRITERS[fmt](doc, out / f"{stem}.{fmt}")
            if written is not None:
                files.append(written)
    return Made(documents=docs, files=files, summary=summary)
