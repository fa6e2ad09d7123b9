"""The query behind the duplicate rule of /them (models/duplicates.born_near), asked directly on
the demo: who is born near a typed birth date, within which branches, and how they are named
(mutation testing of models/duplicates.py: the rule had fast tests, the query none)."""

from datetime import date

import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models.duplicates import NEAR_BIRTH_DAYS, born_near
from models.org import Organisation
from models.statements import SessionStatements
from tests.unit.demo_rows import candidate, org

# Trần Thị Bích Ngọc, of the demo branch, is born on 2 November 2008.
NGOC_BORN = date(2008, 11, 2)


async def names_near(db, branch_ids, birth_date):
    found = await born_near(db=SessionStatements(db), branch_ids=branch_ids, birth_date=birth_date)
    return [k.full_name for k in found]


async def test_someone_born_within_the_near_days_is_found_and_one_day_more_is_not(db):
    tp = await org(db, BRANCH)
    assert NEAR_BIRTH_DAYS == 7
    for typed in (date(2008, 11, 9), date(2008, 10, 26), NGOC_BORN):
        assert "Trần Thị Bích Ngọc" in await names_near(db, [tp], typed), typed
    for typed in (date(2008, 11, 10), date(2008, 10, 25)):
        assert "Trần Thị Bích Ngọc" not in await names_near(db, [tp], typed), typed


async def test_a_birth_date_with_day_and_month_swapped_is_found(db):
    tp = await org(db, BRANCH)
    assert await names_near(db, [tp], date(2008, 2, 11)) == ["Trần Thị Bích Ngọc"]
    # A day past the 12th cannot be a month: no swapped date, only the near ones.
    assert await names_near(db, [tp], date(2008, 12, 24)) == ["Trịnh Công Sơn"]
    assert await names_near(db, [tp], date(2008, 12, 13)) == []


async def test_only_the_branches_asked_are_searched(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    assert await born_near(db=SessionStatements(db), branch_ids=[], birth_date=NGOC_BORN) == []
    assert await names_near(db, [second], NGOC_BORN) == []
    assert await names_near(db, [second], date(2004, 3, 3)) == ["Ngô Đức Thắng"]
    assert await names_near(db, [tp, second], date(2004, 3, 3)) == ["Ngô Đức Thắng"]


async def test_a_found_candidate_is_named_by_number_or_by_code_and_number(db):
    tp = await org(db, BRANCH)
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")
    code = (await db.exec(sa.select(Organisation.code).where(Organisation.id == tp))).scalar_one()
    [plain] = await born_near(db=SessionStatements(db), branch_ids=[tp], birth_date=NGOC_BORN)
    assert (plain.number, plain.full_name, plain.birth_date, plain.branch_id, plain.ref) == (
        ngoc.number, "Trần Thị Bích Ngọc", NGOC_BORN, tp, str(ngoc.number))
    [coded] = await born_near(db=SessionStatements(db), branch_ids=[tp], birth_date=NGOC_BORN, refs_with_code=True)
    assert coded.ref == f"{code}-{ngoc.number}" and coded.number == ngoc.number
