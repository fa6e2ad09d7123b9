"""How fast a committee's reports come out of a large register: each report's figures computed
and its files written (xlsx, docx, pdf), beside a baseline in the same run (one plain scan of
the candidate table, streamed), as a ratio.

    .venv/bin/python bench/reports.py [--branches 200] [--per-branch 50] [--url URL]

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
from bot.reports.make import ReportKind, make_report  # noqa: E402
from models.org import Organisation  # noqa: E402
from models.reports.periods import month_of, parse_report_period  # noqa: E402

FORMATS = ["xlsx", "docx", "pdf"]
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


async def measure(url: str, out: Path) -> None:
    engine = make_engine(url)
    sessions = make_sessions(engine)
    async with sessions() as session:
        branch_id = (await session.exec(sa.select(sa.func.min(Organisation.id))
                                        .where(Organisation.parent_id == COMMITTEE_ID))).scalar()
    year, last_month = parse_report_period("2025", today=TODAY), month_of(date(2026, 2, 1))
    base_s, scanned = await timed(scan(sessions))
    cases = [
        ("roll-up, year", ReportKind.rollup, COMMITTEE_ID, year, FORMATS),
        ("roll-up, figures only", ReportKind.rollup, COMMITTEE_ID, year, []),
        ("statistics, year", ReportKind.yearly, COMMITTEE_ID, year, FORMATS),
        ("statistics, figures only", ReportKind.yearly, COMMITTEE_ID, year, []),
        ("committee monthly", ReportKind.monthly, COMMITTEE_ID, last_month, FORMATS),
        ("one branch's monthly", ReportKind.monthly, branch_id, last_month, FORMATS),
        ("list, whole committee, xlsx", ReportKind.list, COMMITTEE_ID, None, ["xlsx"]),  # docx/pdf: minutes
        ("list, figures only", ReportKind.list, COMMITTEE_ID, None, []),
    ]
    print(f"baseline: one plain scan of {scanned} candidates: {base_s:7.3f} s")
    for name, kind, org_id, period, formats in cases:
        spent, made = await timed(one(sessions, kind, org_id, period, out, formats))
        rows_written = sum(len(t.rows) for d in made.documents for t in d.tables)
        print(f"{name:26} {spent:7.2f} s  {spent / base_s:7.1f}x the scan  ({rows_written} table rows, "
              f"{len(made.files)} files)")
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=200)
    parser.add_argument("--per-branch", type=int, default=50)
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
        await measure(url, Path(tmp) / "out")


if __name__ == "__main__":
    asyncio.run(main())
