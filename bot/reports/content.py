"""Each report's figures (models/reports/) laid out as a Document of tables."""

from datetime import date

from bot.render import labels
from bot.reports.document import (
    Chart, Column, Document, Table, col, heading, numbered, stage_chart, stage_label, step_words, word,
)
from models.reports.candidate_file import CandidateFile
from models.reports.elite import EliteRow
from models.reports.monthly import MonthlyReport
from models.reports.quarterly import Quarterly
from models.reports.rollup import HELD, Rollup
from models.reports.statistics import MOVES, Statistics


def decimal(value: float) -> str:
    """A figure as Vietnamese writes it: 66,7 and 50 (a comma, no useless zero)."""
    return f"{value:g}".replace(".", ",")


def _yes(flag: bool) -> str:
    return word("yes") if flag else ""


def monthly_document(report: MonthlyReport, *, above: str | None) -> Document:
    decisions = labels("review_decision")
    stages = labels("stage")
    summary = [[stages[s], n] for s, n in report.by_stage.items()] + [
        [word("summary_row", "added"), report.added],
        [word("summary_row", "to_sympathizer"), report.to_sympathizer],
        [word("summary_row", "removed"), report.removed],
        [word("summary_row", "proposed_for_class"), len(report.proposed_for_class)],
        [word("summary_row", "checkins_missing"), len(report.checkins_missing)],
    ] + [[word("summary_row", "review").format(decision=decisions[d]), n] for d, n in report.review_counts.items()]
    tables = [
        Table("summary", word("caption", "summary"), [col("no", "int"), col("item"), col("count", "int")],
              numbered(summary)),
        Table("movements", word("caption", "movements"),
              [col("no", "int"), col("number", "int"), col("name"), col("from"), col("to"), col("on", "date"),
               col("reason")],
              numbered([[m.who.number, m.who.full_name, stage_label(m.from_stage), stage_label(m.to_stage), m.on,
                         m.reason or ""] for m in report.movements])),
        Table("reviews", word("caption", "reviews"),
              [col("no", "int"), col("number", "int"), col("name"), col("decision"), col("reason")],
              numbered([[r.who.number, r.who.full_name, decisions[r.decision], r.reason or ""]
                        for r in report.reviews])),
        Table("checkins", word("caption", "checkins"),
              [col("no", "int"), col("number", "int"), col("name"), col("met", "int")],
              numbered([[c.who.number, c.who.full_name, c.met] for c in report.checkins_done]
                       + [[w.number, w.full_name, 0] for w in report.checkins_missing])),
        Table("dossiers", word("caption", "dossiers"),
              [col("no", "int"), col("number", "int"), col("name"), col("started", "date"), col("missing")],
              numbered([[d.who.number, d.who.full_name, d.started_on, ", ".join(d.missing)]
                        for d in report.dossiers])),
        Table("due", word("caption", "due"),
              [col("no", "int"), col("number", "int"), col("name"), col("step"), col("due", "date"), col("state")],
              numbered([[line.who.number, line.who.full_name, step_words(line.step, line.values), line.due,
                         word("due_state", state)]
                        for state, lines in (("overdue", report.overdue), ("due", report.due_soon))
                        for line in lines])),
    ]
    notes = [word("footnote", "as_of").format(date=f"{report.today:%d/%m/%Y}")]
    return heading("monthly", level="branch", period=report.period, above=above, org=report.branch,
                   day=report.today, tables=tables, notes=notes, chart=stage_chart(report.by_stage))


LIST_COLUMNS = (("no", "int"), ("branch", "text"), ("number", "int"), ("name", "text"), ("born", "date"),
                ("gender", "text"), ("unit", "text"), ("category", "text"), ("youth_union", "text"),
                ("stage", "text"), ("since", "date"), ("sponsor", "text"), ("certificate_number", "text"),
                ("certificate_on", "date"), ("missing", "text"), ("step", "text"), ("due", "date"))


def list_document(rows: list[EliteRow], *, above: str | None, org: str, level: str, today: date) -> Document:
    genders, categories, stages = labels("gender"), labels("category"), labels("stage")
    table = Table(
        "list", word("caption", "list"), [col(k, kind) for k, kind in LIST_COLUMNS],
        numbered([[r.branch, r.number, r.full_name, r.birth_date, genders[r.gender], r.unit or "",
                   categories[r.category], _yes(r.youth_union), stages[r.stage], r.stage_since, r.sponsor or "",
                   r.certificate_number or "", r.certificate_on, ", ".join(r.missing),
                   step_words(r.next_step, r.next_step_values), r.next_step_due] for r in rows]),
        groups=[("", 9), (word("column", "group_stage"), 2), ("", 1),
                (word("column", "group_certificate"), 2), ("", 1), (word("column", "group_step"), 2)])
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.stage] = counts.get(r.stage, 0) + 1
    return heading("list", level=level, period=None, above=above, org=org, day=today, tables=[table],
                   landscape=True, chart=stage_chart(counts))


def quarterly_document(report: Quarterly, *, above: str | None, level: str) -> Document:
    kinds = ("good", "fair", "average", "poor", "other")
    assessments = {**labels("assessment"), "other": word("column", "other")}
    none = word("footnote", "none")
    table = Table(
        "units", word("caption", "units"),
        [col("no", "int"), col("branch"), col("unit"), col("source", "int"), col("sympathizer", "int"),
         col("further", "int"), col("total", "int"), *(Column(assessments[k], "int") for k in kinds),
         col("not_assessed", "int")],
        numbered([[r.branch, r.unit or word("no_unit"), r.source, r.sympathizer, r.further, r.total,
                   *(r.assessed.get(k, 0) for k in kinds), r.not_assessed] for r in report.rows]),
        groups=[("", 3), (word("column", "group_lists"), 4), (word("column", "group_survey"), len(kinds) + 1)])
    several = len({r.branch for r in report.rows} | {b for b, _ in report.empty_units}) > 1

    def named(units: list[tuple[str, str]]) -> str:
        return ", ".join(f"{u} ({b})" if several else u for b, u in units) or none

    notes = [word("footnote", "empty_units").format(names=named(report.empty_units)),
             word("footnote", "few_units").format(names=named(report.few_units))]
    chart = Chart(word("chart", "units"), [r.unit or word("no_unit") for r in report.rows],
                  {word("column", "total"): [r.total for r in report.rows]})
    tables = [table]
    if report.graduates:  # student branches: the graduates to transfer (seeds 000, 001)
        tables.append(Table(
            "graduates", word("caption", "graduates"),
            [col("no", "int"), col("branch"), col("name"), col("graduated", "date"), col("stay_until", "date"),
             col("moved_on", "date"), col("moved_to")],
            numbered([[g.branch, g.name, g.graduated_on, g.until, g.moved_on, g.moved_to or ""]
                      for g in report.graduates])))
    return heading("quarterly", level=level, period=report.period, above=above, org=report.org, day=report.today,
                   tables=tables, notes=notes, landscape=True, chart=chart)


def file_document(found: CandidateFile, *, above: str | None, org: str, today: date) -> Document:
    c, items, statuses = found.candidate, labels("dossier_item"), word("item_status")
    about = Table("about", word("caption", "about"), [col("item"), col("value")], [
        [word("column", "name"), c.full_name], [word("column", "number"), c.number],
        [word("column", "born"), c.birth_date], [word("column", "gender"), labels("gender")[str(c.gender)]],
        [word("column", "unit"), c.unit or ""], [word("column", "category"), labels("category")[str(c.category)]],
        [word("column", "stage"), labels("stage")[str(c.stage)]], [word("column", "since"), c.stage_since]])
    checklist = Table("checklist", word("caption", "checklist"),
                      [col("no", "int"), col("code"), col("paper"), col("on", "date"), col("state"), col("holder")],
                      numbered([[i.code, items.get(i.code, ""), i.dated, statuses[i.status], i.holder or ""]
                                for i in found.items]))
    history = Table("history", word("caption", "history"),
                    [col("no", "int"), col("from"), col("to"), col("on", "date"), col("reason")],
                    numbered([[stage_label(h.from_stage and str(h.from_stage)), stage_label(str(h.to_stage)), h.on,
                               h.reason or ""] for h in found.history]))
    return heading("file", level="branch", period=None, above=above, org=org, day=today,
                   tables=[about, checklist, history])


def _compared(key_label: str, c) -> list:
    return [key_label, c.this, c.before, c.percent]


def statistics_document(stats: Statistics, *, above: str | None, level: str, today: date) -> Document:
    categories, stages = labels("category"), labels("stage")
    compared = [col("no", "int"), col("item"), col("this", "int"), col("before", "int"), col("percent", "percent")]
    rows = [_compared(categories.get(k) or word("stat_row", k), c) for k, c in stats.admissions.items()]
    rows.append(_compared(word("stat_row", "average_age"), stats.average_age))
    stock_rows = ([_compared(stages[k], c) for k, c in stats.stocks.items()]
                  + [_compared(word("stat_row", k), c) for k, c in stats.flows.items()])
    target_rows = [[t.label, t.admissions, t.progress.counted, t.progress.missing,
                    round(t.progress.counted * 100 / t.admissions, 1) if t.admissions else None]
                   for t in stats.targets]
    tables = [
        Table("admissions", word("caption", "admissions"), compared, numbered(rows)),
        Table("stocks", word("caption", "stocks"), compared, numbered(stock_rows)),
        Table("targets", word("caption", "targets"),
              [col("no", "int"), col("target_label"), col("required", "int"), col("counted", "int"),
               col("short", "int"), col("percent", "percent")], numbered(target_rows)),
    ]
    chart = Chart(word("chart", "by_month"), [f"{m.month}/{m.year}" for m, _ in stats.by_month],
                  {word("move", k): [moves[k] for _, moves in stats.by_month] for k in MOVES})
    return heading("statistics", level=level, period=stats.period, above=above, org=stats.org, day=today,
                   tables=tables, chart=chart)


def rollup_document(report: Rollup, *, above: str | None, today: date) -> Document:
    stages = labels("stage")
    columns = [col("no", "int"), col("branch"), col("admitted", "int"), col("admitted_before", "int"),
               col("target", "int"), *[Column(stages[s.value], "int") for s in HELD], col("quiet"), col("sent")]

    def cells(row) -> list:
        return [row.name, row.admitted, row.admitted_before, row.target,
                *[getattr(row, s.value) for s in HELD], _yes(row.quiet), _yes(row.sent)]

    sent = f"{report.sent}/{len(report.rows)}"
    body = numbered([cells(r) for r in report.rows]) + [["", *cells(report.total)[:-2], "", sent]]
    body[-1][1] = word("total")
    table = Table("rollup", word("caption", "rollup"), columns, body, total=True,
                  groups=[("", 2), (word("column", "group_admissions"), 3),
                          (word("column", "group_stages"), len(HELD)), ("", 2)])
    none = word("footnote", "none")
    notes = [word("footnote", "admitting").format(share=decimal(report.admitting_share or 0)),
             word("footnote", "no_admission").format(names=", ".join(report.no_admission) or none),
             word("footnote", "quiet").format(names=", ".join(report.quiet) or none),
             word("footnote", "not_sent").format(names=", ".join(report.not_sent) or none)]
    chart = Chart(word("chart", "branches"), [r.name for r in report.rows],
                  {word("column", "counted"): [r.admitted for r in report.rows],
                   word("column", "target"): [r.target for r in report.rows]})
    return heading("rollup", level="committee", period=report.period, above=above, org=report.org, day=today,
                   tables=[table], notes=notes, landscape=True, chart=chart)
