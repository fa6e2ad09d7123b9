"""One full reminder run over a large register: every due reminder computed and enqueued,
beside a baseline in the same run (one plain indexed scan of the candidate table), with the
peak memory of each, so that "flat in the number of candidates" can be read off.

    .venv/bin/python bench/reminders.py [--candidates 1000000] [--branches 20000] [--committees 200]
                                        [--url URL] [--db FILE]

Default: a fresh SQLite file in a temporary folder. --url postgresql+asyncpg://… uses that
(empty) database instead. A database that already holds candidates (a --db FILE
kept from an earlier run, or the --url database) is reused with its outbox emptied, which
saves the minutes of loading. It measures; it never fails.
"""

import argparse
import asyncio
import random
import resource
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bot.clock import vn_time  # noqa: E402
from bot.db import make_engine, make_sessions  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.scheduler import enqueue_due  # noqa: E402

TODAY = date(2026, 3, 2)
STAGES = [("source", 30), ("sympathizer", 30), ("awareness_class", 10), ("dossier", 10), ("proposed", 5),
          ("admitted", 3), ("probationary", 7), ("official", 3), ("removed", 2)]


def rows(candidates: int, branches: int, committees: int = 200, seed: int = 7):
    """Organisations, people, links, candidates, check-ins, records: plain tuples.

    A province committee over `committees` district committees, the branches shared among them;
    each branch has a secretary, a deputy and a sponsor, each district committee one member."""
    rnd = random.Random(seed)
    now = datetime(2026, 3, 1, tzinfo=UTC).isoformat()
    orgs = [(1, "Province", "committee", None, "/1/", 0, 5, now)]
    orgs += [(k + 2, f"Committee {k}", "committee", 1, f"/1/{k + 2}/", 0, 5, now) for k in range(committees)]
    first_branch = committees + 2
    parent = lambda b: b % committees + 2  # noqa: E731
    orgs += [(b + first_branch, f"Branch {b}", "branch", parent(b), f"/1/{parent(b)}/{b + first_branch}/",
              0, 5, now) for b in range(branches)]
    people, grants, links = [], [], []
    for b in range(branches):
        for k, role in enumerate(("secretary", "deputy", "sponsor")):
            pid = b * 3 + k + 1
            people.append((pid, f"Person {pid}", now))
            grants.append((pid, pid, b + first_branch, role))
            links.append((pid, "console", f"a{pid}", pid, now))
    for k in range(committees):
        pid = branches * 3 + k + 1
        people.append((pid, f"Person {pid}", now))
        grants.append((pid, pid, k + 2, "committee"))
        links.append((pid, "console", f"a{pid}", pid, now))
    weights = [w for _, w in STAGES]
    names = [s for s, _ in STAGES]
    cands, checkins, records = [], [], []
    for c in range(1, candidates + 1):
        b = (c - 1) % branches
        branch = b + first_branch
        stage = rnd.choices(names, weights)[0]
        since = TODAY - timedelta(days=rnd.randint(0, 700))
        born = date(rnd.randint(1966, 2010), rnd.randint(1, 12), rnd.randint(1, 28))
        sponsor = b * 3 + 3 if rnd.random() < 0.7 else None
        cands.append((c, branch, c, f"Candidate {c}", f"candidate {c}", born.isoformat(), "male", "teacher", 1,
                      "youth_union", stage, since.isoformat(), sponsor, now))
        if sponsor and rnd.random() < 0.5:
            checkins.append((c, sponsor, (TODAY - timedelta(days=rnd.randint(0, 90))).isoformat(), "phone", now))
        if stage in ("dossier", "proposed", "admitted", "probationary"):
            received = (since - timedelta(days=5)).isoformat()
            records.append((c, "12-HD/BTCTW-2022", (since - timedelta(days=200)).isoformat(),
                            received if stage != "dossier" else None,
                            received if stage in ("admitted", "probationary") else None,
                            since.isoformat() if stage == "probationary" else None, now))
    return orgs, people, grants, links, cands, checkins, records


def load_sqlite(path: Path, data) -> None:
    orgs, people, grants, links, cands, checkins, records = data
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executemany("INSERT INTO organisation (id, name, kind, parent_id, path, is_student, meeting_day, created_at)"
                   " VALUES (?,?,?,?,?,?,?,?)", orgs)
    db.executemany("INSERT INTO person (id, full_name, created_at) VALUES (?,?,?)", people)
    db.executemany("INSERT INTO rolegrant (id, person_id, org_id, role) VALUES (?,?,?,?)", grants)
    db.executemany("INSERT INTO chatlink (id, channel, account_id, person_id, linked_at) VALUES (?,?,?,?,?)", links)
    db.executemany("INSERT INTO candidate (id, branch_id, number, full_name, name_folded, birth_date, gender,"
                   " category, youth_union, introduced_by, stage, stage_since, sponsor_id, created_at,"
                   " ethnic_minority, religious, private_firm) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,0,0)", cands)
    db.executemany("INSERT INTO checkin (candidate_id, sponsor_id, met_on, how, at) VALUES (?,?,?,?,?)", checkins)
    db.executemany("INSERT INTO admissionrecord (candidate_id, version, dossier_started_on, resolution_on,"
                   " decision_received_on, ceremony_on, updated_at) VALUES (?,?,?,?,?,?,?)", records)
    db.commit()
    db.execute("ANALYZE")
    db.close()


async def load_postgres(url: str, data) -> None:
    import asyncpg

    orgs, people, grants, links, cands, checkins, records = data
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    ts = lambda s: datetime.fromisoformat(s)  # noqa: E731
    d = lambda s: date.fromisoformat(s) if s else None  # noqa: E731
    await conn.copy_records_to_table("organisation", records=[(*o[:5], bool(o[5]), o[6], ts(o[7])) for o in orgs],
                                     columns=["id", "name", "kind", "parent_id", "path", "is_student", "meeting_day",
                                              "created_at"])
    await conn.copy_records_to_table("person", records=[(p[0], p[1], ts(p[2])) for p in people],
                                     columns=["id", "full_name", "created_at"])
    await conn.copy_records_to_table("rolegrant", records=grants, columns=["id", "person_id", "org_id", "role"])
    await conn.copy_records_to_table("chatlink", records=[(*link[:4], ts(link[4])) for link in links],
                                     columns=["id", "channel", "account_id", "person_id", "linked_at"])
    await conn.copy_records_to_table("candidate", records=[
        (*c[:5], d(c[5]), c[6], c[7], bool(c[8]), c[9], c[10], d(c[11]), c[12], ts(c[13]), False, False, False)
        for c in cands], columns=["id", "branch_id", "number", "full_name", "name_folded", "birth_date", "gender",
                                  "category", "youth_union", "introduced_by", "stage", "stage_since", "sponsor_id",
                                  "created_at", "ethnic_minority", "religious", "private_firm"])
    await conn.copy_records_to_table("checkin", records=[(c[0], c[1], d(c[2]), c[3], ts(c[4])) for c in checkins],
                                     columns=["candidate_id", "sponsor_id", "met_on", "how", "at"])
    await conn.copy_records_to_table("admissionrecord", records=[
        (r[0], r[1], d(r[2]), d(r[3]), d(r[4]), d(r[5]), ts(r[6])) for r in records],
        columns=["candidate_id", "version", "dossier_started_on", "resolution_on", "decision_received_on",
                 "ceremony_on", "updated_at"])
    await conn.execute("ANALYZE")
    await conn.close()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def empty_outbox(engine) -> None:
    """No reminder enqueued yet (TRUNCATE on PostgreSQL: a DELETE would leave a million dead
    index entries behind)."""
    async with engine.begin() as conn:
        for table in ("outbox", "reminderrun"):
            await conn.execute(sa.text(f"DELETE FROM {table}" if engine.dialect.name == "sqlite"
                                       else f"TRUNCATE {table}"))


async def reuse(url: str) -> int:
    """How many candidates a kept database already has; its outbox is emptied for a new run."""
    engine = make_engine(url)
    async with engine.begin() as conn:
        count = (await conn.execute(sa.text("SELECT count(*) FROM candidate"))).scalar()
    if count:
        await empty_outbox(engine)
    await engine.dispose()
    return count


async def scan(sessions) -> int:
    """The baseline: one plain indexed scan of the candidate table, streamed."""
    async with sessions() as session:
        result = await session.stream(sa.text("SELECT id, stage, stage_since FROM candidate ORDER BY id")
                                      .execution_options(yield_per=2000))
        scanned = 0
        async for _ in result:
            scanned += 1
    return scanned


async def timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = await work
    return time.perf_counter() - start, result


async def traced(work) -> float:
    """Peak Python memory (MiB) of a piece of work. Tracing slows Python down several times,
    so times are measured in passes of their own, untraced."""
    tracemalloc.start()
    await work
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


async def measure(url: str) -> None:
    engine = make_engine(url)
    sessions = make_sessions(engine)
    morning, noon = (vn_time(TODAY.year, TODAY.month, TODAY.day, hour) for hour in (7, 12))
    base_s, scanned = await timed(scan(sessions))
    tick_s, new = await timed(enqueue_due(sessions, morning))
    # The day's next run (noon, or a restart): every reminder is already there, nothing is new.
    again_s, again = await timed(enqueue_due(sessions, noon))
    base_peak = await traced(scan(sessions))
    await empty_outbox(engine)
    tick_peak = await traced(enqueue_due(sessions, morning))
    await engine.dispose()
    print(f"baseline: one indexed scan of {scanned} candidates: {base_s:7.2f} s, "
          f"peak Python memory {base_peak:6.1f} MiB")
    print(f"tick:     {new} reminders computed and enqueued:   {tick_s:7.2f} s, "
          f"peak Python memory {tick_peak:6.1f} MiB")
    print(f"ratio:    the tick costs {tick_s / base_s:.1f}x the plain scan")
    print(f"again:    the same day's next run, {again} new: {again_s:7.2f} s ({again_s / base_s:.1f}x the plain scan)")
    print("(times untraced; memory from passes of their own under tracemalloc)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--branches", type=int, default=20_000)
    parser.add_argument("--committees", type=int, default=200)
    parser.add_argument("--url", default=None)
    parser.add_argument("--db", type=Path, default=None, help="a SQLite file to keep and reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite+aiosqlite:///{args.db or Path(tmp) / 'bench.sqlite3'}"
        await asyncio.to_thread(upgrade, url)
        count = await reuse(url)
        if count:
            print(f"data:     {count} candidates already in the database (its outbox emptied)")
        else:
            start = time.perf_counter()
            data = rows(args.candidates, args.branches, args.committees)
            if url.startswith("sqlite"):
                load_sqlite(Path(url.split("///", 1)[1]), data)
            else:
                await load_postgres(url, data)
            del data
            print(f"data:     {args.candidates} candidates in {args.branches} branches under {args.committees}"
                  f" committees, loaded in {time.perf_counter() - start:.0f} s")
        await measure(url)
    print(f"process peak RSS: {peak_rss_mb():.0f} MiB (includes generating the data)")


if __name__ == "__main__":
    asyncio.run(main())
