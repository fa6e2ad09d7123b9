"""A report as one web page for a phone (Zalo's report link, bot/report_pages.py): the summary,
the chart, links to the files, then each table. The words are in messages/vi/reports/*.html.j2,
rendered with HTML escaping (a name typed in chat cannot become markup)."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.formatting import FILTERS
from bot.render import MESSAGES
from bot.reports.document import Document, shown

PAGE_ROWS = 200  # rows of one table shown on the page; the whole table is in the files


@dataclass(frozen=True)
class Link:
    name: str  # the file's name
    kind: str  # xlsx, docx, pdf, png
    url: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(MESSAGES), undefined=StrictUndefined, autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


def html_of(key: str, **values) -> str:
    return _environment().get_template(f"{key}.html.j2").render(**values)


def _table(table) -> dict:
    rows = table.rows[:PAGE_ROWS]
    return {"caption": table.caption, "groups": table.groups if any(label for label, _ in table.groups) else [],
            "columns": [c.label for c in table.columns], "numeric": [c.kind != "text" for c in table.columns],
            "rows": [[shown(v, c.kind) for v, c in zip(row, table.columns, strict=False)] for row in rows],
            "total": table.total and len(rows) == len(table.rows), "more": len(table.rows) - len(rows)}


def report_page(*, documents: list[Document], summary: str, links: list[Link], expires: datetime) -> str:
    """The page, whole: what the person saw in chat, then the figures in full."""
    docs = [{"title": d.title, "subtitle": d.subtitle, "period": d.period, "org": d.org, "above": d.above,
             "notes": d.notes, "tables": [_table(t) for t in d.tables]} for d in documents]
    chart = next((link for link in links if link.kind == "png"), None)
    return html_of("reports/page", docs=docs, summary=summary, chart=chart,
                   files=[link for link in links if link.kind != "png"], expires=expires,
                   chart_title=next((d.chart.title for d in documents if d.chart), ""))


def refusal_page(reason: str) -> str:
    """A link that cannot be used: forged, altered, expired, or no longer the person's to see."""
    return html_of("reports/page_refused", reason=reason)
