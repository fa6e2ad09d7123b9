"""bench/reports.py's register built inside PostgreSQL (INSERT … SELECT over generate_series):
20,000 branches and 1,000,000 candidates without generating and copying
millions of Python tuples. The same shape as bench/reminders.py's rows() with one committee:
organisation 1 the province, 2 the district committee, 3… the branches, each with a secretary,
a deputy and a sponsor; the candidates shared round the branches, their stages drawn with
bench/reminders.py's weights (setseed: the same register every run), a stage history, sponsor
check-ins and admission records as there."""

import time

from bench.reminders import STAGES, TODAY

NOW = "TIMESTAMPTZ '2026-03-01 00:00:00+00'"


def _stage_case() -> str:
    """A stage drawn from r in [0, 1) by the cumulative weights."""
    total, upto, arms = sum(w for _, w in STAGES), 0, []
    for stage, weight in STAGES[:-1]:
        upto += weight
        arms.append(f"WHEN r < {upto / total} THEN '{stage}'")
    return f"CASE {' '.join(arms)} ELSE '{STAGES[-1][0]}' END"


def statements(branches: int, per_branch: int) -> list[str]:
    candidates = branches * per_branch
    today = TODAY.isoformat()
    return [
        "SELECT setseed(0.15)",
        f"""INSERT INTO organisation (id, name, kind, parent_id, path, is_student, meeting_day, created_at)
            SELECT 1, 'Province', 'committee', NULL, '/1/', false, 5, {NOW}
            UNION ALL SELECT 2, 'Committee 0', 'committee', 1, '/1/2/', false, 5, {NOW}
            UNION ALL SELECT b + 3, 'Branch ' || b, 'branch', 2, '/1/2/' || (b + 3) || '/', false, 5, {NOW}
            FROM generate_series(0, {branches - 1}) b""",
        f"""INSERT INTO person (id, full_name, created_at)
            SELECT p, 'Person ' || p, {NOW} FROM generate_series(1, {branches * 3 + 1}) p""",
        f"""INSERT INTO rolegrant (id, person_id, org_id, role)
            SELECT p, p, CASE WHEN p > {branches * 3} THEN 2 ELSE (p - 1) / 3 + 3 END,
                   CASE WHEN p > {branches * 3} THEN 'committee'
                        ELSE (ARRAY['secretary', 'deputy', 'sponsor'])[(p - 1) % 3 + 1] END
            FROM generate_series(1, {branches * 3 + 1}) p""",
        f"""INSERT INTO chatlink (id, channel, account_id, person_id, linked_at)
            SELECT p, 'console', 'a' || p, p, {NOW} FROM generate_series(1, {branches * 3 + 1}) p""",
        f"""INSERT INTO candidate (id, branch_id, number, full_name, name_folded, birth_date, gender, category,
                                   youth_union, introduced_by, stage, stage_since, sponsor_id, created_at,
                                   ethnic_minority, religious, private_firm)
            SELECT c, (c - 1) % {branches} + 3, c, 'Candidate ' || c, 'candidate ' || c,
                   DATE '1966-01-01' + floor(random() * 16060)::int, 'male', 'teacher', true, 'youth_union',
                   stage, DATE '{today}' - floor(random() * 701)::int,
                   CASE WHEN random() < 0.7 THEN ((c - 1) % {branches}) * 3 + 3 END, {NOW}, false, false, false
            FROM (SELECT c, random() AS r FROM generate_series(1, {candidates}) c) drawn,
                 LATERAL (SELECT {_stage_case()} AS stage) picked""",
        f"""INSERT INTO stagechange (id, candidate_id, from_stage, to_stage, "on", at)
            SELECT 2 * id - 1, id, NULL, 'source', stage_since - (30 + floor(random() * 371)::int), {NOW}
            FROM candidate
            UNION ALL
            SELECT 2 * id, id, 'source', stage, stage_since, {NOW} FROM candidate WHERE stage <> 'source'""",
        f"""INSERT INTO checkin (candidate_id, sponsor_id, met_on, how, at)
            SELECT id, sponsor_id, DATE '{today}' - floor(random() * 91)::int, 'phone', {NOW}
            FROM candidate WHERE sponsor_id IS NOT NULL AND random() < 0.5""",
        f"""INSERT INTO admissionrecord (candidate_id, version, dossier_started_on, resolution_on,
                                         decision_received_on, ceremony_on, updated_at)
            SELECT id, '12-HD/BTCTW-2022', stage_since - 200,
                   CASE WHEN stage <> 'dossier' THEN stage_since - 5 END,
                   CASE WHEN stage IN ('admitted', 'probationary') THEN stage_since - 5 END,
                   CASE WHEN stage = 'probationary' THEN stage_since END, {NOW}
            FROM candidate WHERE stage IN ('dossier', 'proposed', 'admitted', 'probationary')""",
        "ANALYZE",
    ]


FILLED = ("candidate", "stagechange", "checkin", "admissionrecord")  # their plain indexes are built after


async def load_postgres_sql(url: str, branches: int, per_branch: int) -> int:
    """The register written by the server itself, the big tables' plain indexes dropped first and
    built again after (one sort each instead of a million insertions); how many stage changes
    it holds."""
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        indexes = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = ANY($1::text[]) AND indexname NOT IN (SELECT conname FROM pg_constraint)", list(FILLED))
        for name, _ in indexes:
            await conn.execute(f'DROP INDEX "{name}"')
        for sql in [*statements(branches, per_branch)[:-1], *(d for _, d in indexes), "ANALYZE"]:
            start = time.perf_counter()
            await conn.execute(sql)
            print(f"          {' '.join(sql.split()[:3])} {time.perf_counter() - start:.1f} s", flush=True)
        return await conn.fetchval("SELECT count(*) FROM stagechange")
    finally:
        await conn.close()
