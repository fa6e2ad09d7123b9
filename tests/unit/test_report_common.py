"""The pieces the reports share (models/reports/common.py), asked directly on the demo: the next
step of many candidates at once agrees with the next step asked one by one (the later of a
class's certificate and one typed in, the branch's own meeting day), the candidates of some
branches in some stages, the branches of a subtree, and the stage each candidate held on a day."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.candidate import Candidate, StageChange
from models.dossier import DossierEntry
from models.next_step import next_step
from models.org import Organisation, add_org
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.progress import candidate_dates, next_meeting
from models.reports import common
from models.reports.common import candidates_in, missing_items, person, stages_held, steps_of, subtree_branches
from models.stage import IntroducedBy, OrgKind, Stage
from tests.unit import demo_rows

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


async def org(db, name) -> Organisation:
    return await db.get(Organisation, await demo_rows.org(db, name))


async def everyone(db) -> list[Candidate]:
    return list((await db.exec(sa.select(Candidate).order_by(Candidate.id))).scalars())


async def one_by_one(db, candidates, today) -> dict:
    """Each candidate's next step as /hoso asks it: alone, from their own dates and branch."""
    found = {}
    for c in candidates:
        branch = await db.get(Organisation, c.branch_id)
        step = next_step(Stage(c.stage), await candidate_dates(session=db, candidate=c), today=today,
                         next_meeting=next_meeting(branch.meeting_day, today))
        if step is not None:
            found[c.id] = step
    return found


@pytest.fixture
async def certificates(db):
    """Certificates beyond the demo's, for candidates at the class (whose next step reads the
    awareness certificate): two classes' for Võ Thanh Tùng with one typed in between; a class's and
    a later typed one for Lương Thị Mỹ, and a class not passed later still; an awareness and a later
    new member's class for Lê Hoàng Minh; both certificates typed in for Đinh Văn Khoa. The second
    branch meets on the 20th, the first on the 1st."""
    committee = await demo_rows.org(db, COMMITTEE)
    classes = {}
    for kind, days in [(ClassKind.awareness, 300), (ClassKind.awareness, 40), (ClassKind.new_member, 20)]:
        c = PartyClass(org_id=committee, kind=kind, title=f"Lớp {kind.value} {days}", place="Hội trường",
                       starts_on=ago(days + 4), ends_on=ago(days), enrol_by=ago(days + 10), capacity=80,
                       created_at=NOW)
        db.add(c)
        await db.flush()
        classes[(kind, days)] = c
    tung, my, minh, khoa = [await demo_rows.candidate(db, n) for n in (
        "Võ Thanh Tùng", "Lương Thị Mỹ", "Lê Hoàng Minh", "Đinh Văn Khoa")]
    minh.stage = khoa.stage = Stage.awareness_class
    passed = EnrollmentStatus.passed
    db.add_all([
        Enrollment(class_id=classes[(ClassKind.awareness, 300)].id, candidate_id=tung.id, status=passed,
                   certificate_on=ago(299), at=NOW),
        Enrollment(class_id=classes[(ClassKind.awareness, 40)].id, candidate_id=tung.id, status=passed,
                   certificate_on=ago(39), at=NOW),
        DossierEntry(candidate_id=tung.id, item="CN-NTVĐ", dated=ago(100), at=NOW),
        Enrollment(class_id=classes[(ClassKind.awareness, 300)].id, candidate_id=my.id, status=passed,
                   certificate_on=ago(299), at=NOW),
        DossierEntry(candidate_id=my.id, item="CN-NTVĐ", dated=ago(50), at=NOW),
        Enrollment(class_id=classes[(ClassKind.awareness, 40)].id, candidate_id=my.id,
                   status=EnrollmentStatus.enrolled, certificate_on=ago(39), at=NOW),
        Enrollment(class_id=classes[(ClassKind.awareness, 300)].id, candidate_id=minh.id, status=passed,
                   certificate_on=ago(299), at=NOW),
        Enrollment(class_id=classes[(ClassKind.new_member, 20)].id, candidate_id=minh.id, status=passed,
                   certificate_on=ago(19), at=NOW),
        DossierEntry(candidate_id=khoa.id, item="CN-NTVĐ", dated=ago(80), at=NOW),
        DossierEntry(candidate_id=khoa.id, item="CN-ĐVM", dated=ago(20), at=NOW),
    ])
    (await org(db, SECOND_BRANCH)).meeting_day = 20
    (await org(db, BRANCH)).meeting_day = 1
    await db.flush()


async def test_the_next_steps_of_all_at_once_are_those_asked_one_by_one(db, certificates):
    candidates = await everyone(db)
    for today in (TODAY, date(2026, 3, 25)):
        found = await steps_of(session=db, candidates=candidates, today=today)
        assert found == await one_by_one(db, candidates, today)
        assert len(found) >= 10


async def test_the_next_steps_are_the_same_in_small_chunks(db, certificates, monkeypatch):
    candidates = await everyone(db)
    monkeypatch.setattr(common, "CHUNK", 2)
    assert await steps_of(session=db, candidates=candidates, today=TODAY) == await one_by_one(db, candidates, TODAY)


async def test_the_dates_read_are_the_latest_awareness_certificates(db, certificates):
    """The later of the classes' and the typed one; a class not passed and a new member's class do
    not count; and each candidate's own (several candidates at the class, not one for them all)."""
    found = {}
    for name in ("Võ Thanh Tùng", "Lương Thị Mỹ", "Lê Hoàng Minh", "Đinh Văn Khoa"):
        c = await demo_rows.candidate(db, name)
        found[name] = (await candidate_dates(session=db, candidate=c)).certificate_issued
    assert found == {"Võ Thanh Tùng": ago(39), "Lương Thị Mỹ": ago(50), "Lê Hoàng Minh": ago(299),
                     "Đinh Văn Khoa": ago(80)}


async def test_no_candidate_has_no_step(db):
    assert await steps_of(session=db, candidates=[], today=TODAY) == {}


async def test_the_candidates_of_some_branches_in_some_stages_by_branch_then_number(db):
    ids = [await demo_rows.org(db, n) for n in (SECOND_BRANCH, BRANCH)]
    stages = [Stage.source, Stage.dossier, Stage.sympathizer]
    found = await candidates_in(session=db, branch_ids=ids, stages=stages)
    expected = sorted(((c.branch_id, c.number) for c in await everyone(db)
                       if c.branch_id in ids and c.stage in stages))
    assert [(c.branch_id, c.number) for c in found] == expected
    assert len({c.branch_id for c in found}) == 2 and len(found) > 3
    assert await candidates_in(session=db, branch_ids=[], stages=stages) == []
    assert [c.number for c in await candidates_in(session=db, branch_ids=ids[:1], stages=[Stage.dossier])] == [
        number for branch, number in expected if branch == ids[0] and
        (await db.exec(sa.select(Candidate.stage).where(Candidate.branch_id == branch,
                                                         Candidate.number == number))).scalar_one() == Stage.dossier]


async def test_a_person_as_a_report_names_them(db):
    lan = await demo_rows.candidate(db, "Đặng Ngọc Lan")
    assert person(lan) == common.Person(candidate_id=lan.id, number=lan.number, full_name="Đặng Ngọc Lan")


async def test_the_items_still_missing_are_those_missing_or_too_old(db):
    """Bùi Quốc Huy's 1-KNĐ is typed in, his 3-KNĐ is too old, 2-KNĐ and 5-KNĐ missing (4-KNĐ does
    not apply to him); Đặng Ngọc Lan has every item due so far (6-KNĐ and on are not yet due)."""
    huy, lan = [await demo_rows.candidate(db, n) for n in ("Bùi Quốc Huy", "Đặng Ngọc Lan")]
    db.add_all([DossierEntry(candidate_id=huy.id, item="1-KNĐ", dated=ago(20), at=NOW),
                DossierEntry(candidate_id=huy.id, item="3-KNĐ", dated=date(2025, 1, 1), at=NOW)])
    await db.flush()
    assert await missing_items(session=db, candidate=huy, today=TODAY) == ["2-KNĐ", "3-KNĐ", "5-KNĐ"]
    assert await missing_items(session=db, candidate=lan, today=TODAY) == []


async def test_the_branches_of_a_subtree_are_branches_only(db):
    committee, branch = await org(db, COMMITTEE), await org(db, BRANCH)
    below = await add_org(session=db, name="Chi bộ dưới", kind=OrgKind.branch, parent=branch, now=NOW)
    other = await add_org(session=db, name="Đảng ủy khác", kind=OrgKind.committee, parent=None, now=NOW)
    await add_org(session=db, name="Chi bộ khác", kind=OrgKind.branch, parent=other, now=NOW)
    names = lambda ids: sorted((await_names[i] for i in ids))  # noqa: E731
    await_names = dict((await db.exec(sa.select(Organisation.id, Organisation.name))).all())
    assert names((await db.exec(subtree_branches(committee.path))).scalars()) == sorted(
        [BRANCH, SECOND_BRANCH, below.name])
    assert names((await db.exec(subtree_branches(branch.path))).scalars()) == sorted([BRANCH, below.name])


async def test_the_stage_held_at_the_end_of_a_day(db):
    """Two candidates alone in a new branch: one moved source → sympathizer → awareness class →
    dossier (the last two on one day), the other source → sympathizer → awareness class, its later
    change written first; the stage each held is read from the first change after the day."""
    branch = (await add_org(session=db, name="Chi bộ thử", kind=OrgKind.branch, parent=await org(db, COMMITTEE),
                            now=NOW)).id
    for number, stage, moves in [
            (1, Stage.dossier, [(None, Stage.source, date(2025, 1, 10)),
                                (Stage.source, Stage.sympathizer, date(2025, 3, 1)),
                                (Stage.sympathizer, Stage.awareness_class, date(2025, 6, 1)),
                                (Stage.awareness_class, Stage.dossier, date(2025, 6, 1))]),
            (2, Stage.awareness_class, [(Stage.sympathizer, Stage.awareness_class, date(2025, 7, 1)),
                                        (Stage.source, Stage.sympathizer, date(2025, 4, 1))])]:
        c = Candidate(branch_id=branch, number=number, full_name=f"Người thử {number}", name_folded="nguoi thu",
                      birth_date=date(2000, 1, 1), gender="female", category="student", youth_union=False,
                      introduced_by=IntroducedBy.youth_union, stage=stage, stage_since=date(2025, 6, 1), created_at=NOW)
        db.add(c)
        await db.flush()
        for frm, to, on in moves:
            db.add(StageChange(candidate_id=c.id, from_stage=frm, to_stage=to, on=on, at=NOW))
            await db.flush()
    second = await demo_rows.org(db, SECOND_BRANCH)

    async def held(day, branches=(branch,)):
        rows = stages_held(list(branches), day)
        return sorted(((b, s and str(s)) for b, s in (await db.exec(sa.select(rows.c.branch_id, rows.c.stage))).all()),
                      key=str)

    for day, first, other in [
            (date(2025, 1, 9), None, "source"), (date(2025, 1, 10), "source", "source"),
            (date(2025, 2, 28), "source", "source"), (date(2025, 3, 31), "sympathizer", "source"),
            (date(2025, 5, 31), "sympathizer", "sympathizer"), (date(2025, 6, 1), "dossier", "sympathizer"),
            (date(2025, 7, 1), "dossier", "awareness_class"), (TODAY, "dossier", "awareness_class")]:
        assert await held(day) == sorted([(branch, first), (branch, other)], key=str), day
    now = [(c.branch_id, str(c.stage)) for c in await everyone(db) if c.branch_id == second]
    assert await held(TODAY, branches=(branch, second)) == sorted(
        [(branch, "dossier"), (branch, "awareness_class"), *now], key=str)


async def test_the_stage_held_by_the_only_candidate_of_a_branch(db):
    """A branch of one: its candidate's change after the day is found all the same."""
    branch = (await add_org(session=db, name="Chi bộ một người", kind=OrgKind.branch,
                            parent=await org(db, COMMITTEE), now=NOW)).id
    alone = Candidate(branch_id=branch, number=1, full_name="Người thử", name_folded="nguoi thu",
                      birth_date=date(2000, 1, 1), gender="female", category="student", youth_union=False,
                      introduced_by=IntroducedBy.youth_union, stage=Stage.sympathizer, stage_since=date(2025, 3, 1),
                      created_at=NOW)
    db.add(alone)
    await db.flush()
    db.add(StageChange(candidate_id=alone.id, from_stage=Stage.source, to_stage=Stage.sympathizer,
                       on=date(2025, 3, 1), at=NOW))
    await db.flush()
    rows = stages_held([branch], date(2025, 2, 28))
    assert (await db.exec(sa.select(rows.c.branch_id, rows.c.stage))).all() == [(branch, "source")]
