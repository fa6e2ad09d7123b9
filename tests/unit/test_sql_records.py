"""The SQL pieces that differ between SQLite and PostgreSQL (models/sql.py), run on the lane's own
database: each gives the same answer on both. Mutation testing of models/sql.py found them
reached only through the reminders' slow tests."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.demo import BRANCH, SECOND_BRANCH
from models.candidate import Candidate
from models.org_target import OrgTarget
from models.outbox import ReminderRun
from models.sql import choose, concat, days_between, dialect_insert, is_sql, json_list, json_object, value
from tests.unit.demo_rows import candidate, org


def dialect(db) -> str:
    return db.bind.dialect.name


async def one(db, expression):
    return (await db.exec(sa.select(expression))).scalar_one()


def test_a_column_is_sql_and_a_constant_is_not():
    assert is_sql(Candidate.number) and is_sql(Candidate.__table__.c.number) and is_sql(sa.literal(1))
    assert not is_sql(1) and not is_sql("x") and not is_sql(None) and not is_sql(date(2026, 1, 1))


@pytest.mark.parametrize("constant", [True, False, 0, 7, "7", "Hà", date(2026, 3, 2)])
async def test_a_constant_comes_back_as_itself_with_its_type(db, constant):
    got = await one(db, value(constant))
    assert got == constant and type(got) is type(constant)


async def test_none_is_null_and_a_column_stays_a_column(db):
    assert await one(db, value(None)) is None
    assert value(Candidate.number) is Candidate.number
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")
    assert (await db.exec(sa.select(value(Candidate.full_name)).where(Candidate.id == ngoc.id))).scalar_one() == \
        "Trần Thị Bích Ngọc"


async def test_a_date_constant_compares_as_a_date(db):
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")
    def born_before(day):
        return sa.select(Candidate.full_name).where(Candidate.id == ngoc.id, Candidate.birth_date < value(day))
    assert (await db.exec(born_before(date(2008, 11, 10)))).scalars().all() == ["Trần Thị Bích Ngọc"]
    assert (await db.exec(born_before(date(2008, 11, 2)))).scalars().all() == []


async def test_text_is_joined_from_constants_and_columns(db):
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")
    joined = concat("n", Candidate.number, ":", Candidate.birth_date, "/", 3)
    got = (await db.exec(sa.select(joined).where(Candidate.id == ngoc.id))).scalar_one()
    assert got == f"n{ngoc.number}:2008-11-02/3"
    assert await one(db, concat("only")) == "only"
    # A column alone comes back as its text too, not as a number or a date.
    alone = concat(Candidate.number), concat(Candidate.birth_date)
    assert (await db.exec(sa.select(*alone).where(Candidate.id == ngoc.id))).one() == (str(ngoc.number), "2008-11-02")


async def test_a_json_object_built_in_the_database(db):
    tp = await org(db, BRANCH)
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")
    built = json_object(dialect(db), name=Candidate.full_name, born=Candidate.birth_date, n=Candidate.number,
                        youth=Candidate.youth_union, none=None, fixed="x", on=date(2026, 3, 2))
    got = (await db.exec(sa.select(built).where(Candidate.id == ngoc.id))).scalar_one()
    assert got == {"name": "Trần Thị Bích Ngọc", "born": "2008-11-02", "n": ngoc.number, "youth": True,
                   "none": None, "fixed": "x", "on": "2026-03-02"}
    # A JSON column stays JSON inside it, not its text.
    inner = json_object(dialect(db), composition=OrgTarget.composition)
    got = (await db.exec(sa.select(inner).where(OrgTarget.org_id == tp))).scalar_one()
    assert got == {"composition": {"teacher": 1, "youth_union": 2}}


async def test_a_json_list_collects_a_group(db):
    tp, second = await org(db, BRANCH), await org(db, SECOND_BRANCH)
    rows = (await db.exec(sa.select(Candidate.branch_id, json_list(dialect(db), Candidate.full_name))
                          .where(Candidate.branch_id.in_([tp, second])).group_by(Candidate.branch_id))).all()
    lists = {branch: sorted(names) for branch, names in rows}
    assert lists[second] == ["Lý Thị Hồng", "Ngô Đức Thắng"] and len(lists[tp]) == 15


async def test_whole_days_between_a_date_column_and_a_day(db):
    ngoc = await candidate(db, "Trần Thị Bích Ngọc")
    days = days_between(dialect(db), Candidate.birth_date, date(2008, 12, 2))
    assert (await db.exec(sa.select(days).where(Candidate.id == ngoc.id))).scalar_one() == 30
    back = days_between(dialect(db), Candidate.birth_date, date(2008, 10, 31))
    assert (await db.exec(sa.select(back).where(Candidate.id == ngoc.id))).scalar_one() == -2


async def test_one_of_two_values_row_by_row(db):
    tp = await org(db, BRANCH)
    rows = dict((await db.exec(sa.select(Candidate.full_name, choose(Candidate.youth_union, "đoàn", "không"))
                               .where(Candidate.branch_id == tp))).all())
    assert rows["Trần Thị Bích Ngọc"] == "đoàn" and rows["Lê Hoàng Minh"] == "không"
    assert await one(db, choose(sa.true(), 1, 2)) == 1 and await one(db, choose(sa.false(), 1, 2)) == 2


async def test_an_insert_that_skips_a_conflict_runs_on_the_lane_database(db):
    insert = dialect_insert(db)
    assert insert is (postgresql.insert if dialect(db) == "postgresql" else sqlite.insert)
    day = date(2026, 3, 1)
    for hour in (1, 2):
        await db.exec(insert(ReminderRun).values(day=day, at=datetime(2026, 3, 1, hour, tzinfo=UTC))
                      .on_conflict_do_nothing(index_elements=["day"]))
    assert (await db.exec(sa.select(sa.func.count()).select_from(ReminderRun))).scalar_one() == 1
