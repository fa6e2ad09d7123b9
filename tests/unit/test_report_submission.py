"""Reports sent up and one candidate's file (models/reports/submission.py, candidate_file.py),
asked directly on the demo: which branches have sent a period's report, the latest sending of a
branch, the month a branch owes from the 25th, and a candidate's file by register number."""

from datetime import UTC, date, datetime, timedelta

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.candidate import StageChange
from models.reports.candidate_file import candidate_file
from models.reports.submission import ReportSubmission, due_month, latest, sent_among, submit
from models.stage import Stage
from tests.unit import demo_rows

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


async def send(db, branch, period, at=NOW, kind="monthly", files=("a.docx",)) -> ReportSubmission:
    row = submit(session=db, org_id=branch, period=period, kind=kind, person_id=await demo_rows.secretary(db),
                 at=at, files=list(files), figures={"added": 1})
    await db.flush()
    return row


async def test_a_sending_keeps_who_when_which_period_the_files_and_the_figures(db):
    branch = await demo_rows.org(db, BRANCH)
    row = await send(db, branch, "2026-02", files=["bao-cao.docx", "bao-cao.pdf"])
    kept = await db.get(ReportSubmission, row.id)
    assert (kept.org_id, kept.period, kept.kind, kept.person_id, kept.files, kept.figures) == (
        branch, "2026-02", "monthly", await demo_rows.secretary(db), ["bao-cao.docx", "bao-cao.pdf"], {"added": 1})


async def test_the_branches_that_have_sent_a_period_s_report(db):
    first, second = await demo_rows.org(db, BRANCH), await demo_rows.org(db, SECOND_BRANCH)
    await send(db, first, "2026-02")
    await send(db, first, "2026-02", at=NOW + timedelta(hours=1))
    await send(db, second, "2026-01")
    assert await sent_among(session=db, period="2026-02") == {first}
    assert await sent_among(session=db, period="2026-01") == {second}
    assert await sent_among(session=db, period="2026-01", branch_ids=[first]) == set()
    assert await sent_among(session=db, period="2026-01", branch_ids=[first, second]) == {second}
    assert await sent_among(session=db, period="2026-03") == set()


async def test_the_latest_sending_counts(db):
    first, second = await demo_rows.org(db, BRANCH), await demo_rows.org(db, SECOND_BRANCH)
    assert await latest(session=db, org_id=first, period="2026-02") is None
    early = await send(db, first, "2026-02", at=NOW, files=["early.docx"])
    late = await send(db, first, "2026-02", at=NOW + timedelta(days=1), files=["late.docx"])
    await send(db, first, "2026-02", at=NOW - timedelta(days=1), files=["earlier.docx"])
    await send(db, first, "2026-03", at=NOW + timedelta(days=2))
    await send(db, second, "2026-02", at=NOW + timedelta(days=3))
    assert (await latest(session=db, org_id=first, period="2026-02")).id == late.id
    again = await send(db, first, "2026-02", at=NOW + timedelta(days=1), files=["again.docx"])  # the same moment
    assert again.id > late.id > early.id
    assert (await latest(session=db, org_id=first, period="2026-02")).files == ["again.docx"]


def test_from_the_25th_a_branch_owes_this_month_s_report_before_it_last_month_s():
    assert due_month(date(2026, 3, 24)).label == "2026-02"
    assert due_month(date(2026, 3, 25)).label == "2026-03"
    assert due_month(date(2026, 1, 1)).label == "2025-12"
    assert due_month(date(2026, 12, 31)).label == "2026-12"


async def test_a_candidate_s_file_by_register_number(db):
    lan = await demo_rows.candidate(db, "Đặng Ngọc Lan")
    db.add_all([StageChange(candidate_id=lan.id, from_stage=Stage.dossier, to_stage=Stage.dossier, on=date(2025, 1, 1),
                            reason="b", at=NOW),
                StageChange(candidate_id=lan.id, from_stage=Stage.dossier, to_stage=Stage.dossier, on=date(2025, 1, 1),
                            reason="c", at=NOW),
                StageChange(candidate_id=lan.id, from_stage=None, to_stage=Stage.source, on=date(2024, 12, 1),
                            reason="a", at=NOW)])
    await db.flush()
    found = await candidate_file(session=db, branch_id=lan.branch_id, number=lan.number, today=TODAY)
    assert found.candidate.id == lan.id
    assert [i.code for i in found.items][:6] == ["CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ"]
    assert {i.code: i.status for i in found.items}["1-KNĐ"] == "ok"
    history = [(c.on, c.reason) for c in found.history]
    assert history[:3] == [(date(2024, 12, 1), "a"), (date(2025, 1, 1), "b"), (date(2025, 1, 1), "c")]
    assert len(history) == 4 and history[3][0] == TODAY - timedelta(days=60)  # the demo's own: into the dossier


async def test_no_file_for_a_number_not_in_that_branch(db):
    lan = await demo_rows.candidate(db, "Đặng Ngọc Lan")
    second = await demo_rows.org(db, SECOND_BRANCH)
    found = await candidate_file(session=db, branch_id=second, number=1, today=TODAY)
    assert found.candidate.branch_id == second and found.candidate.number == 1
    assert await candidate_file(session=db, branch_id=await demo_rows.org(db, COMMITTEE), number=lan.number,
                                today=TODAY) is None
    assert await candidate_file(session=db, branch_id=lan.branch_id, number=9999, today=TODAY) is None
