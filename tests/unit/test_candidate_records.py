"""Candidates as records, asked directly on the demo (models/candidate.py): registering one (the
next number, the first stage kept), the exact twin /them refuses, a page of /ds, finding someone
by what a person typed, and moving a candidate along the pipeline. Mutation testing of
models/candidate.py found these reached only by slow flow tests."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, COMMITTEE, SECOND_BRANCH
from models.candidate import (
    Candidate, NewCandidate, StageChange, candidate_within, change_stage, find_candidates, find_duplicate,
    Twin, list_candidates, register_candidate, search_candidates, stage_rank,
)
from models.org import Organisation, add_org
from models.statements import SessionStatements
from models.stage import PIPELINE_ORDER, Category, Gender, IntroducedBy, OrgKind, Role, Stage
from tests.unit.demo_rows import candidate, org, secretary

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
SECRETARY = frozenset({Role.secretary})
NGOC, AN = "Trần Thị Bích Ngọc", "Nguyễn Văn An"


def utc(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def new(name="Lê Văn Tám", born=date(2000, 1, 1), **more) -> NewCandidate:
    return NewCandidate(full_name=name, birth_date=born, gender=Gender.male, category=Category.staff,
                        youth_union=False, introduced_by=IntroducedBy.branch, note=None, **more)


async def code_of(db, branch_id) -> str:
    return (await db.exec(sa.select(Organisation.code).where(Organisation.id == branch_id))).scalar_one()


async def add(db, branch_id, typed, by_person_id=None, **more):
    return await register_candidate(db=SessionStatements(db), branch_id=branch_id, new=typed,
                                    by_person_id=by_person_id, now=NOW, today=TODAY, **more)


def names(rows) -> list[str]:
    return [c.full_name for c in rows]


async def test_the_exact_twin_is_the_same_folded_name_and_birth_date_in_the_same_branch(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    ngoc = await candidate(db, NGOC)
    on = SessionStatements(db)
    found = await find_duplicate(db=on, branch_id=tp, full_name="tran thi BICH ngoc", birth_date=ngoc.birth_date)
    assert found == Twin(ngoc.number, NGOC)
    assert await find_duplicate(db=on, branch_id=tp, full_name=NGOC, birth_date=date(2008, 11, 3)) is None
    assert await find_duplicate(db=on, branch_id=tp, full_name="Trần Thị Ngọc", birth_date=ngoc.birth_date) is None
    assert await find_duplicate(db=on, branch_id=second, full_name=NGOC, birth_date=ngoc.birth_date) is None


async def test_a_new_candidate_takes_the_next_number_and_its_first_stage_is_kept(db):
    tp = await org(db, BRANCH)
    by = await secretary(db)
    last = (await db.exec(sa.select(sa.func.max(Candidate.number)).where(Candidate.branch_id == tp))).scalar_one()
    typed = NewCandidate(full_name="Lê Văn Tám", birth_date=date(2000, 1, 1), gender=Gender.female,
                         category=Category.worker, youth_union=True, introduced_by=IntroducedBy.trade_union,
                         note="Tổ Văn", unit="Tổ Toán", private_firm=True)
    c = await add(db, tp, typed, by)
    stored = await db.get(Candidate, c.id)
    assert (c.branch_id, c.number) == (tp, last + 1)
    assert (stored.branch_id, stored.number, stored.full_name, stored.name_folded, stored.birth_date) == (
        tp, last + 1, "Lê Văn Tám", "le van tam", date(2000, 1, 1))
    assert (stored.gender, stored.category, stored.youth_union, stored.introduced_by, stored.note, stored.unit,
            stored.private_firm) == (Gender.female, Category.worker, True, IntroducedBy.trade_union, "Tổ Văn",
                                     "Tổ Toán", True)
    assert (stored.stage, stored.stage_since, utc(stored.created_at), stored.created_by) == (
        Stage.source, TODAY, NOW, by)
    [first] = (await db.exec(select(StageChange).where(StageChange.candidate_id == c.id))).all()
    assert (first.from_stage, first.to_stage, first.on, first.by_person_id, utc(first.at), first.reason) == (
        None, Stage.source, TODAY, by, NOW, None)
    again = await add(db, tp, new("Lê Văn Chín"), stage=Stage.sympathizer)
    stored = await db.get(Candidate, again.id)
    assert (again.number, stored.number, stored.stage, stored.created_by) == (
        last + 2, last + 2, Stage.sympathizer, None)
    [kept] = (await db.exec(select(StageChange).where(StageChange.candidate_id == again.id))).all()
    assert (kept.to_stage, kept.by_person_id) == (Stage.sympathizer, None)


async def test_the_first_candidate_of_an_empty_branch_is_number_one(db):
    committee = await db.get(Organisation, await org(db, COMMITTEE))
    empty = await add_org(session=db, name="Chi bộ trống", kind=OrgKind.branch, parent=committee, now=NOW)
    first = await add(db, empty.id, new())
    assert first.number == 1


def test_the_stages_rank_in_pipeline_order():
    assert [stage_rank(s.value) for s in PIPELINE_ORDER] == list(range(len(PIPELINE_ORDER)))
    assert stage_rank("source") == 0 and stage_rank("sympathizer") == 1 and stage_rank("transferred") == 9


async def test_a_page_lists_by_stage_then_branch_then_number_and_counts_them_all(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    rows, total = await list_candidates(session=db, where=Candidate.branch_id.in_([tp, second]), offset=0, limit=5)
    assert total == 17
    assert names(rows) == [AN, NGOC, "Trịnh Công Sơn", "Vũ Thị Thanh Xuân", "Lý Thị Hồng"]
    rows, total = await list_candidates(session=db, where=Candidate.branch_id.in_([tp, second]), offset=5, limit=4)
    assert total == 17
    assert names(rows) == ["Lê Hoàng Minh", "Phạm Thu Hà", "Đinh Văn Khoa", "Ngô Đức Thắng"]
    rows, total = await list_candidates(session=db, where=Candidate.branch_id == second, offset=0, limit=10)
    assert (names(rows), total) == (["Lý Thị Hồng", "Ngô Đức Thắng"], 2)


async def test_a_search_finds_a_name_with_or_without_accents_whole_words_first(db):
    tp = await org(db, BRANCH)
    where = Candidate.branch_id == tp
    # "an" is a whole word in Nguyễn Văn An's name, and part of a word in the others'.
    found = await search_candidates(session=db, where=where, query="An", limit=20)
    assert found[0].full_name == AN and len(found) > 1 and AN not in names(found[1:])
    rest = names(found[1:])
    assert rest == sorted(rest, key=lambda n: [c.full_name for c in found].index(n))  # register order after
    numbers = [c.number for c in found[1:]]
    assert numbers == sorted(numbers)
    assert names(await search_candidates(session=db, where=where, query="ngoc bich")) == [NGOC]
    assert names(await search_candidates(session=db, where=where, query="NGỌC", limit=1)) == [NGOC]
    assert names(await search_candidates(session=db, where=where, query="ngọc", offset=1)) == ["Đặng Ngọc Lan"]
    assert await search_candidates(session=db, where=where, query="100%") == []
    assert await search_candidates(session=db, where=where, query="_") == []


async def test_an_empty_search_lists_everyone_in_register_order(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    where = Candidate.branch_id.in_([tp, second])
    everyone = await search_candidates(session=db, where=where, query="  ", limit=100)
    assert len(everyone) == 17 and names(everyone[:2]) == [AN, NGOC] and names(everyone[-2:]) == [
        "Ngô Đức Thắng", "Lý Thị Hồng"]
    assert names(await search_candidates(session=db, where=where, query="", limit=2, offset=1)) == [
        NGOC, "Lê Hoàng Minh"]
    assert len(await search_candidates(session=db, where=where, query="")) == 10


async def test_a_candidate_is_found_by_id_number_reference_or_name(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    where = Candidate.branch_id.in_([tp, second])
    ngoc, thang = await candidate(db, NGOC), await candidate(db, "Ngô Đức Thắng")
    assert names(await find_candidates(session=db, where=where, query=f"id:{ngoc.id}")) == [NGOC]
    assert await find_candidates(session=db, where=where, query="id:x") == []
    assert await find_candidates(session=db, where=Candidate.branch_id == second, query=f"id:{ngoc.id}") == []
    # A bare number names one in each branch, in branch order.
    by_number = await find_candidates(session=db, where=where, query=str(thang.number))
    assert [(c.branch_id, c.number) for c in by_number] == [(tp, thang.number), (second, thang.number)]
    assert names(await find_candidates(session=db, where=Candidate.branch_id == tp, query=f"#{ngoc.number}")) == [NGOC]
    assert names(await find_candidates(session=db, where=where, query=f"#{thang.number}", offset=1)) == [
        "Ngô Đức Thắng"]
    assert len(await find_candidates(session=db, where=where, query=str(thang.number), limit=1)) == 1
    code = await code_of(db, second)
    assert names(await find_candidates(session=db, where=where, query=f"{code}-{thang.number}")) == ["Ngô Đức Thắng"]
    hong = await candidate(db, "Lý Thị Hồng")
    assert names(await find_candidates(session=db, where=where, query=f"{code.lower()} {hong.number}")) == [
        "Lý Thị Hồng"]
    assert await find_candidates(session=db, where=where, query="zz-7") == []
    assert names(await find_candidates(session=db, where=where, query="thang")) == ["Ngô Đức Thắng"]
    assert names(await find_candidates(session=db, where=where, query="ngọc", limit=1, offset=1)) == ["Đặng Ngọc Lan"]


async def test_a_name_search_reads_at_most_a_hundred_letters(db):
    where = Candidate.branch_id == await org(db, BRANCH)
    assert names(await find_candidates(session=db, where=where, query="thi bich ngoc" + " " * 87 + "x")) == [NGOC]


async def test_a_candidate_is_within_reach_only_inside_where(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    ngoc = await candidate(db, NGOC)
    assert (await candidate_within(session=db, where=Candidate.branch_id == tp, candidate_id=ngoc.id)).id == ngoc.id
    assert await candidate_within(session=db, where=Candidate.branch_id == second, candidate_id=ngoc.id) is None


async def test_a_stage_change_is_kept_with_who_when_and_why(db):
    ngoc = await candidate(db, NGOC)
    by = await secretary(db)
    assert await change_stage(session=db, candidate=ngoc, to_stage=Stage.sympathizer, on=date(2026, 3, 1),
                              today=TODAY, reason="Chi bộ xét", actor_roles=SECRETARY, by_person_id=by,
                              now=NOW) is None
    stored = await db.get(Candidate, ngoc.id)
    assert (stored.stage, stored.stage_since) == (Stage.sympathizer, date(2026, 3, 1))
    last = (await db.exec(select(StageChange).where(StageChange.candidate_id == ngoc.id)
                          .order_by(StageChange.id.desc()))).first()
    assert (last.from_stage, last.to_stage, last.on, last.reason, last.by_person_id, utc(last.at)) == (
        Stage.source, Stage.sympathizer, date(2026, 3, 1), "Chi bộ xét", by, NOW)


async def test_a_refused_stage_change_changes_nothing(db):
    ngoc = await candidate(db, NGOC)
    count = sa.select(sa.func.count()).select_from(StageChange).where(StageChange.candidate_id == ngoc.id)
    before = (await db.exec(count)).scalar_one()
    refusal = await change_stage(session=db, candidate=ngoc, to_stage=Stage.official, on=TODAY, today=TODAY,
                                 reason=None, actor_roles=SECRETARY, by_person_id=None, now=NOW)
    assert refusal is not None
    assert (await db.exec(count)).scalar_one() == before
    assert (await db.get(Candidate, ngoc.id)).stage == Stage.source


async def test_what_was_typed_finds_ten_at_a_time_unless_told(db):
    where = Candidate.branch_id.in_([await org(db, BRANCH), await org(db, SECOND_BRANCH)])
    assert len(await find_candidates(session=db, where=where, query="")) == 10
    assert names(await find_candidates(session=db, where=where, query="", limit=2)) == [AN, NGOC]
    assert names(await find_candidates(session=db, where=where, query="", limit=2, offset=1)) == [
        NGOC, "Lê Hoàng Minh"]


async def test_a_reference_to_a_branch_that_is_not_there_finds_nobody(db):
    where = Candidate.branch_id == await org(db, BRANCH)
    assert await find_candidates(session=db, where=where, query="X7") == []
    assert await find_candidates(session=db, where=where, query="#X7") == []


async def test_several_found_by_number_come_branch_by_branch(db):
    committee = await db.get(Organisation, await org(db, COMMITTEE))
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    newest = await add_org(session=db, name="Chi bộ Tổ Văn", kind=OrgKind.branch, parent=committee, now=NOW)
    # Ngọc, registered early in the demo, moves to the newest branch as its number 1.
    ngoc = await candidate(db, NGOC)
    ngoc.branch_id, ngoc.number = newest.id, 1
    db.add(ngoc)
    await db.flush()
    found = await find_candidates(session=db, where=Candidate.branch_id.in_([tp, second, newest.id]), query="1")
    assert [(c.branch_id, c.full_name) for c in found] == [(tp, AN), (second, "Ngô Đức Thắng"), (newest.id, NGOC)]


async def test_a_whole_word_comes_first_wherever_it_is_in_the_name(db):
    tp = await org(db, BRANCH)
    await add(db, tp, new("Anh Thư"))
    # "anh" is Hoàng Mai Anh's last word and Anh Thư's first; part of "Thanh" in two others' names.
    found = await search_candidates(session=db, where=Candidate.branch_id == tp, query="anh")
    assert names(found) == ["Hoàng Mai Anh", "Anh Thư", "Võ Thanh Tùng", "Vũ Thị Thanh Xuân"]


async def test_an_underscore_typed_is_a_letter_not_a_wildcard(db):
    tp = await org(db, BRANCH)
    for name in ("Lê Xa_b Axb", "Lê A_b"):
        await add(db, tp, new(name))
    found = await search_candidates(session=db, where=Candidate.branch_id == tp, query="a_b")
    assert names(found) == ["Lê A_b", "Lê Xa_b Axb"]


async def test_a_stage_change_dated_before_the_last_one_is_refused(db):
    ngoc = await candidate(db, NGOC)
    refusal = await change_stage(session=db, candidate=ngoc, to_stage=Stage.sympathizer,
                                 on=ngoc.stage_since - timedelta(days=1), today=TODAY, reason=None,
                                 actor_roles=SECRETARY, by_person_id=None, now=NOW)
    assert refusal is not None and refusal.code == "before_last_change"
    assert (await db.get(Candidate, ngoc.id)).stage == Stage.source


async def test_a_name_found_in_several_branches_comes_branch_by_branch(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    found = await search_candidates(session=db, where=Candidate.branch_id.in_([tp, second]), query="thi")
    assert names(found) == [NGOC, "Vũ Thị Thanh Xuân", "Lương Thị Mỹ", "Cao Thị Huyền", "Lý Thị Hồng"]


async def test_lists_follow_the_register_number_not_when_they_were_added(db):
    tp = await org(db, BRANCH)
    an, ngoc = await candidate(db, AN), await candidate(db, NGOC)
    first, second = an.number, ngoc.number
    for c, n in ((an, 100), (ngoc, first), (an, second)):  # An and Ngọc swap numbers
        c.number = n
        db.add(c)
        await db.flush()
    where = Candidate.branch_id == tp
    assert names(await search_candidates(session=db, where=where, query="", limit=2)) == [NGOC, AN]
    assert names(await search_candidates(session=db, where=where, query="n", limit=2)) == [NGOC, AN]
    rows, _ = await list_candidates(session=db, where=where, offset=0, limit=2)
    assert names(rows) == [NGOC, AN]


async def test_several_found_by_number_come_branch_by_branch_whatever_order_they_were_written_in(db):
    committee = await db.get(Organisation, await org(db, COMMITTEE))
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    newest = await add_org(session=db, name="Chi bộ Tổ Văn", kind=OrgKind.branch, parent=committee, now=NOW)
    ngoc, an = await candidate(db, NGOC), await candidate(db, AN)
    ngoc.branch_id, ngoc.number = newest.id, 1  # Ngọc, registered early, is the newest branch's number 1
    an.note = "đã sửa"  # and An (the first branch's number 1) was written last
    db.add_all([ngoc, an])
    await db.flush()
    under = Candidate.branch_id.in_(sa.select(Organisation.id).where(Organisation.parent_id == committee.id))
    found = await find_candidates(session=db, where=under, query="1")
    assert [(c.branch_id, c.full_name) for c in found] == [(tp, AN), (second, "Ngô Đức Thắng"), (newest.id, NGOC)]
