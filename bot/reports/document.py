"""A report as a document every writer can draw: the heading of a Party document, a title, and
titled tables whose cells hold plain values (dates, numbers, words). The words come from
messages/vi/reports/labels.j2 and messages/vi/common/labels.j2."""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from bot.formatting import vn_date
from bot.render import environment, labels, text_of
from models.reports.periods import PeriodUnit, ReportPeriod


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text, int, date, float, percent


@dataclass(frozen=True)
class Table:
    key: str  # the sheet's name comes from it
    caption: str
    columns: list[Column]
    rows: list[list[Any]]
    # A merged header row above the columns: (label, how many columns); "" leaves them unmerged.
    groups: list[tuple[str, int]] = field(default_factory=list)
    total: bool = False  # the last row is a total


@dataclass(frozen=True)
class Chart:
    title: str
    labels: list[str]  # one per group of bars
    series: dict[str, list[float]] = field(default_factory=dict)  # name -> one value per label


@dataclass(frozen=True)
class Document:
    kind: str  # monthly, list, statistics, rollup
    level: str  # branch or committee: who signs
    title: str
    subtitle: str
    period: str
    above: str | None  # the committee above, top left
    org: str
    day: date
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    landscape: bool = False
    chart: Chart | None = None

    @property
    def place_date(self) -> str:
        return word("place_date").format(place=word("place"), day=self.day.day, month=self.day.month,
                                         year=self.day.year)


@lru_cache(maxsize=1)
def _module():
    return environment().get_template("reports/labels.j2").module


def word(name: str, key: str | None = None):
    value = getattr(_module(), name)
    return value if key is None else value[key]


def col(key: str, kind: str = "text") -> Column:
    return Column(word("column", key), kind)


def period_words(period: ReportPeriod) -> str:
    year = period.start.year
    if period.unit == PeriodUnit.half:
        return word("period", f"half{period.number}").format(year=year)
    return word("period", period.unit.value).format(n=period.number, year=year, next=year + 1)


def step_words(code: str | None, values: dict) -> str:
    return text_of(f"next_step/{code}", v=values) if code else ""


def heading(kind: str, *, level: str, period: ReportPeriod | None, above: str | None, org: str, day: date,
            tables: list[Table], notes: list[str] | None = None, landscape: bool = False,
            chart: Chart | None = None) -> Document:
    return Document(kind=kind, level=level, title=word("title", kind), subtitle=word("subtitle", kind),
                    period=period_words(period) if period else "", above=above, org=org, day=day, tables=tables,
                    notes=notes or [], landscape=landscape, chart=chart)


def stage_chart(counts: dict[str, int]) -> Chart:
    """The pipeline: how many people at each stage."""
    names = labels("stage")
    return Chart(word("chart", "stages"), [names[s] for s in counts], {word("column", "count"): list(counts.values())})


def stage_label(stage: str | None) -> str:
    return labels("stage")[stage] if stage else word("added")


def numbered(rows: list[list[Any]]) -> list[list[Any]]:
    return [[i, *row] for i, row in enumerate(rows, start=1)]


def shown(value, kind: str) -> str:
    """A cell's value as the document prints it (dates dd/mm/yyyy, decimals with a comma)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return vn_date(value)
    if kind in ("float", "percent") and isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)
