"""How fast a committee's reports come out of a large register: each report's figures computed
and its files written (xlsx, docx, pdf), beside a baseline in the same run (one plain scan of
the candidate table, streamed), as a ratio.

    .venv/bin/python bench/reports.py [--branches 20000] [--per-branch 50] [--url URL] [--all]

The issue's budgets, on PostgreSQL: the committee roll-up over 20,000 branches and 1,000,000
candidates in <= 10 s (beside the plain scan), and its 20,000-row xlsx in <= 5 s (beside
openpyxl writing the same cells without style). Each is printed with its ratio to its baseline.

Default: a fresh SQLite file in a temporary folder; --url postgresql+asyncpg://… an empty
database. The register is bench/reminders.py's (one district committee over every branch here)
with a stage history (the roll-up and the statistics read stages from it) and ceremonies in the
period. It measures; it never fails.
"""

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.reminders import TODAY, load_postgres, load_sqlite, rows, scan  # noqa: E402
from bot.db import make_engine, make_sessions  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.reports.document import Document  # noqa: E402
from bot.reports.make import ReportKind, make_report  # noqa: E402
from models.org import Organisation  # noqa: E402
from models.reports.periods import month_of, parse_report_period  # noqa: E402

FORMATS = ["xlsx", "docx", "pdf"]
ROLLUP_BUDGET = 10.0  # seconds, issue 15: 20,000 branches, 1,000,000 candidates, on PostgreSQL
XLSX_BUDGET = 5.0  # seconds, issue 15: the 20,000-row xlsx
COMMITTEE_ID = 2  # bench/reminders.py numbers the first district committee 2


def history(cands, seed: int = 7) -> list[tuple]:
    """Each candidate's stage changes: entered as a source, then on to the stage held (its
    `since`), so that the stage at any day can be read from the history."""
    rnd = random.Random(seed)
    now = datetime(2026, 3, 1, tzinfo=UTC).isoformat()
    changes, n = [], 0
    for c in cands:
        cid, stage, since = c[0], c[10], date.fromisoformat(c[11])
        n += 1
        entered = since - timedelta(days=rnd.randint(30, 400))
        changes.append((n, cid, None, "source", entered.isoformat(), now))
        if stage != "source":
            n += 1
            changes.append((n, cid, "source", stage, since.isoformat(), now))
    return changes


def load_history_sqlite(path: Path, changes) -> None:
    db = sqlite3.connect(path)
    db.executemany("INSERT INTO stagechange (id, candidate_id, from_stage, to_stage, \"on\", at) VALUES (?,?,?,?,?,?)",
                   changes)
    db.commit()
    db.execute("ANALYZE")
    db.close()


async def load_history_postgres(url: str, changes) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    await conn.copy_records_to_table("stagechange", records=[
        (i, c, f, t, date.fromisoformat(on), datetime.fromisoformat(at)) for i, c, f, t, on, at in changes],
        columns=["id", "candidate_id", "from_stage", "to_stage", "on", "at"])
    await conn.execute("ANALYZE")
    await conn.close()


async def timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = await work
    return time.perf_counter() - start, result


async def one(sessions, kind: ReportKind, org_id: int, period, out: Path, formats=FORMATS):
    async with sessions() as session:
        org = await session.get(Organisation, org_id)
        return await make_report(session=session, kind=kind, org=org, period=period, today=TODAY, formats=formats,
                                 out=out)


async def measure(url: str, out: Path, every: bool = False) -> None:
    engine = make_engine(url)
    sessions = make_sessions(engine)
    async with sessions() as session:
        branch_id = (await session.exec(sa.select(sa.func.min(Organisation.id))
                                        .where(Organisation.parent_id == COMMITTEE_ID))).scalar()
    year, last_month = parse_report_period("2025", today=TODAY), month_of(date(2026, 2, 1))
    base_s, scanned = await timed(scan(sessions))
    cases = [
        ("roll-up, figures only", ReportKind.rollup, COMMITTEE_ID, year, []),
        ("roll-up, xlsx", ReportKind.rollup, COMMITTEE_ID, year, ["xlsx"]),
        ("statistics, figures", ReportKind.yearly, COMMITTEE_ID, year, []),  # with the roll-up's figures
        ("committee monthly, figures", ReportKind.monthly, COMMITTEE_ID, last_month, []),
        ("one branch's statistics", ReportKind.yearly, branch_id, year, FORMATS),
        ("one branch's monthly", ReportKind.monthly, branch_id, last_month, FORMATS),
    ]
    if every:  # a Word and a PDF of one row per branch, and the list of every candidate: minutes at scale
        cases += [
            ("statistics, year", ReportKind.yearly, COMMITTEE_ID, year, FORMATS),
            ("roll-up, year", ReportKind.rollup, COMMITTEE_ID, year, FORMATS),
            ("committee monthly", ReportKind.monthly, COMMITTEE_ID, last_month, FORMATS),
            ("list, whole committee, xlsx", ReportKind.list, COMMITTEE_ID, None, ["xlsx"]),
            ("list, figures only", ReportKind.list, COMMITTEE_ID, None, []),
        ]
    print(f"baseline: one plain scan of {scanned} candidates: {base_s:7.3f} s", flush=True)
    for n, (name, kind, org_id, period, formats) in enumerate(cases):
        spent, made = await timed(one(sessions, kind, org_id, period, out, formats))
        rows_written = sum(len(t.rows) for d in made.documents for t in d.tables)
        print(f"{name:26} {spent:7.2f} s  {spent / base_s:7.1f}x the scan  ({rows_written} table rows, "
              f"{len(made.files)} files)", flush=True)
        if n == 0:  # the two budgets first: the roll-up's figures, then its xlsx
            verdict("the committee roll-up (figures)", spent, ROLLUP_BUDGET, base_s, "the plain scan")
            [roll] = [d for d in made.documents if d.kind == "rollup"]
            xlsx_s, plain_s = xlsx_beside_plain(roll, out)
            verdict(f"its xlsx ({sum(len(t.rows) for t in roll.tables)} rows)", xlsx_s, XLSX_BUDGET, plain_s,
                    "openpyxl writing the same cells")
    await engine.dispose()


def plain_xlsx(doc: Document, path: Path) -> None:
    """The baseline: openpyxl (write-only) writing the same cells' values, with no style."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for table in doc.tables:
        sheet = book.create_sheet(table.key)
        sheet.append([c.label for c in table.columns])
        for row in table.rows:
            sheet.append(row)
    book.save(path)


def xlsx_beside_plain(doc: Document, out: Path) -> tuple[float, float]:
    from bot.reports.xlsx import write_xlsx

    out.mkdir(parents=True, exist_ok=True)
    plain_xlsx(doc, out / "warm-up.xlsx")  # openpyxl's first use loads its modules
    start = time.perf_counter()
    plain_xlsx(doc, out / "plain.xlsx")
    plain_s = time.perf_counter() - start
    start = time.perf_counter()
    write_xlsx(doc, out / "report.xlsx")
    return time.perf_counter() - start, plain_s


def verdict(name: str, spent: float, budget: float, baseline: float, baseline_name: str) -> None:
    """The issue's budget, and the ratio to the baseline (a loaded machine slows both alike)."""
    print(f"{name}: {spent:.2f} s (budget {budget:g} s: {'within' if spent <= budget else 'OVER'}); "
          f"{baseline_name} {baseline:.2f} s; ratio {spent / baseline:.1f}x", flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=20_000)  # the numbers: 1,000,000 candidates
    parser.add_argument("--per-branch", type=int, default=50)
    parser.add_argument("--all", action="store_true", help="also every report's Word and PDF (minutes at scale)")
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        await asyncio.to_thread(upgrade, url)
        start = time.perf_counter()
        data = rows(args.branches * args.per_branch, args.branches, committees=1)
        changes = history(data[4])
        if url.startswith("sqlite"):
            load_sqlite(Path(url.split("///", 1)[1]), data)
            load_history_sqlite(Path(url.split("///", 1)[1]), changes)
        else:
            await load_postgres(url, data)
            await load_history_postgres(url, changes)
        print(f"data:     {args.branches * args.per_branch} candidates in {args.branches} branches of one committee,"
              f" {len(changes)} stage changes, loaded in {time.perf_counter() - start:.0f} s")
        await measure(url, Path(tmp) / "out", every=args.all)


if __name__ == "__main__":
    asyncio.run(main())
