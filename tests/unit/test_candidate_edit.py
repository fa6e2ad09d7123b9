"""The rules of a correction (models/candidate_edit.py), without a bot: which fields, how a value
is kept as text, the duplicate rule after a change, the record of the change and the history."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.demo import BRANCH
from models.candidate import Candidate, NewCandidate, StageChange, change_stage, register_candidate
from models.candidate_edit import (
    EDITABLE_FIELDS, HISTORY_LINES, IDENTITY_FIELDS, CandidateEdit, HistoryLine, candidate_history,
    current_values, edit_candidate, identity_after, newest_first, twin_after_edit, value_from_text, value_text,
)
from models.org import Organisation
from models.stage import Category, Gender, IntroducedBy, Role, Stage
from models.statements import SessionStatements

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def test_the_fields_a_secretary_may_correct():
    assert EDITABLE_FIELDS == ("full_name", "birth_date", "gender", "unit", "category", "youth_union",
                               "ethnic_minority", "religious", "private_firm", "note")
    assert IDENTITY_FIELDS == {"full_name", "birth_date"}
    assert all(f in Candidate.model_fields for f in EDITABLE_FIELDS)
    # Never the branch, the number, the stage or the sponsor: those have their own commands.
    assert not {"branch_id", "number", "stage", "stage_since", "sponsor_id", "introduced_by"} & set(EDITABLE_FIELDS)


@pytest.mark.parametrize("field, value, text", [
    ("full_name", "Trần Thị Bích Ngọc", "Trần Thị Bích Ngọc"),
    ("birth_date", date(2008, 11, 2), "2008-11-02"),
    ("gender", Gender.female, "female"),
    ("gender", "male", "male"),
    ("unit", "Tổ Toán", "Tổ Toán"),
    ("category", Category.student, "student"),
    ("youth_union", True, "yes"),
    ("ethnic_minority", False, "no"),
    ("religious", True, "yes"),
    ("private_firm", False, "no"),
    ("note", "Lớp trưởng", "Lớp trưởng"),
    ("unit", None, None),
    ("note", None, None),
])
def test_a_value_is_kept_as_text_and_read_back(field, value, text):
    assert value_text(field, value) == text
    assert value_from_text(field, text) == value


def test_a_value_read_back_has_its_type():
    assert type(value_from_text("gender", "female")) is Gender
    assert type(value_from_text("category", "teacher")) is Category
    assert value_from_text("youth_union", "no") is False
    assert value_from_text("youth_union", "yes") is True


@pytest.mark.parametrize("field, text", [("youth_union", "maybe"), ("gender", "other"), ("birth_date", "02/11/2008"),
                                         ("category", "nobody")])
def test_a_text_that_is_no_value_of_the_field_is_an_error(field, text):
    with pytest.raises(ValueError):
        value_from_text(field, text)


@pytest.mark.parametrize("field", ["stage", "branch_id", "number", "sponsor_id", ""])
def test_a_field_that_may_not_be_corrected_is_an_error(field):
    with pytest.raises(ValueError):
        value_text(field, "x")
    with pytest.raises(ValueError):
        value_from_text(field, "x")
    with pytest.raises(ValueError):
        identity_after(Candidate(full_name="A B", birth_date=date(2000, 1, 1)), field, "x")


def person(**kw) -> Candidate:
    values = dict(id=7, branch_id=1, number=2, full_name="Trần Thị Bích Ngọc", name_folded="tran thi bich ngoc",
                  birth_date=date(2008, 11, 2), gender=Gender.female, category=Category.student, youth_union=True,
                  introduced_by=IntroducedBy.youth_union, note=None, unit=None, stage=Stage.source,
                  stage_since=date(2026, 1, 16), created_at=NOW)
    return Candidate(**{**values, **kw})


def test_current_values_are_every_field_as_text():
    assert current_values(person(unit="12A1", religious=True)) == {
        "full_name": "Trần Thị Bích Ngọc", "birth_date": "2008-11-02", "gender": "female", "unit": "12A1",
        "category": "student", "youth_union": "yes", "ethnic_minority": "no", "religious": "yes",
        "private_firm": "no", "note": None}


def test_identity_after_a_change():
    c = person()
    assert identity_after(c, "full_name", "Nguyễn Văn An") == ("Nguyễn Văn An", date(2008, 11, 2))
    assert identity_after(c, "birth_date", date(1998, 4, 12)) == ("Trần Thị Bích Ngọc", date(1998, 4, 12))
    assert identity_after(c, "note", "x") == ("Trần Thị Bích Ngọc", date(2008, 11, 2))


def line(kind: str, on: date, minutes: int, seq: int) -> HistoryLine:
    return HistoryLine(kind=kind, on=on, at=NOW + timedelta(minutes=minutes), by=None, seq=seq)


def test_history_is_newest_first_by_day_then_moment_then_order_and_at_most_five():
    lines = [
        line("stage", date(2026, 1, 1), 0, 1),
        line("edit", date(2026, 3, 2), 0, 1),
        line("edit", date(2026, 3, 2), 0, 2),  # same moment, recorded after
        line("stage", date(2026, 3, 1), 500, 2),  # an earlier day, though recorded later
        line("edit", date(2026, 3, 2), 5, 3),
        line("stage", date(2025, 12, 1), 0, 3),
    ]
    got = newest_first(lines)
    assert HISTORY_LINES == 5 and len(got) == 5
    assert [(h.kind, h.seq) for h in got] == [("edit", 3), ("edit", 2), ("edit", 1), ("stage", 2), ("stage", 1)]
    assert [h.seq for h in newest_first(lines, 2)] == [3, 2]


def test_history_compares_naive_and_aware_moments_as_utc():
    naive = HistoryLine(kind="edit", on=TODAY, at=datetime(2026, 3, 2, 3, 0), by=None, seq=1)
    aware = HistoryLine(kind="stage", on=TODAY, at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC) - timedelta(hours=7),
                        by=None, seq=9)
    assert newest_first([aware, naive]) == [naive, aware]  # 03:00 UTC after 02:30 UTC


# --- with a database (the demo data; no bot) ----------------------------------------------

NGOC, AN = "Trần Thị Bích Ngọc", "Nguyễn Văn An"


async def branch_people(session) -> dict[str, Candidate]:
    """The demo branch's people by full name (their register numbers are the demo's business)."""
    branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
    return {c.full_name: c for c in await session.exec(select(Candidate).where(Candidate.branch_id == branch.id))}


async def test_a_correction_is_saved_and_recorded_once(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await branch_people(session))[NGOC]
        edit = await edit_candidate(session=session, candidate=ngoc, field="full_name", value="Trần Bích Ngọc",
                                    by_person_id=None, now=NOW, today=TODAY)
        assert (edit.field, edit.old_value, edit.new_value, edit.on) == (
            "full_name", "Trần Thị Bích Ngọc", "Trần Bích Ngọc", TODAY)
        assert (ngoc.full_name, ngoc.name_folded) == ("Trần Bích Ngọc", "tran bich ngoc")
        assert await edit_candidate(session=session, candidate=ngoc, field="full_name", value="Trần Bích Ngọc",
                                    by_person_id=None, now=NOW, today=TODAY) is None  # unchanged: nothing
        await edit_candidate(session=session, candidate=ngoc, field="youth_union", value=False,
                             by_person_id=None, now=NOW, today=TODAY)
        await edit_candidate(session=session, candidate=ngoc, field="unit", value=None,
                             by_person_id=None, now=NOW, today=TODAY)  # already empty: nothing
    async with demo.sessions() as session:
        ngoc = (await branch_people(session))["Trần Bích Ngọc"]  # by the corrected name
        rows = list(await session.exec(select(CandidateEdit).order_by(CandidateEdit.id)))
        assert [(r.field, r.old_value, r.new_value) for r in rows] == [
            ("full_name", "Trần Thị Bích Ngọc", "Trần Bích Ngọc"), ("youth_union", "yes", "no")]
        assert (ngoc.full_name, ngoc.youth_union) == ("Trần Bích Ngọc", False)


async def test_a_twin_after_the_change_is_another_person_of_the_branch_with_that_name_and_birth(demo):
    async with demo.sessions() as session, session.begin():
        people = await branch_people(session)
        an, ngoc = people[AN], people[NGOC]  # An was born 12/04/1998
        assert await twin_after_edit(session=session, candidate=ngoc, field="full_name", value="Nguyen Van An") is None
        assert await twin_after_edit(session=session, candidate=ngoc, field="birth_date",
                                     value=an.birth_date) is None
        ngoc.birth_date = an.birth_date
        session.add(ngoc)
        await session.flush()
        twin = await twin_after_edit(session=session, candidate=ngoc, field="full_name", value="nguyen van an")
        assert twin is not None and twin.id == an.id
        # Not a twin of itself; other fields never make one.
        assert await twin_after_edit(session=session, candidate=an, field="full_name", value="Nguyễn Văn An") is None
        assert await twin_after_edit(session=session, candidate=ngoc, field="note", value="Nguyễn Văn An") is None


async def test_a_twin_in_another_branch_is_no_twin(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await branch_people(session))[NGOC]
        other = (await session.exec(select(Organisation).where(Organisation.name != BRANCH,
                                                                Organisation.kind == "branch"))).first()
        await register_candidate(db=SessionStatements(session), branch_id=other.id, by_person_id=None, now=NOW,
                                 today=TODAY,
                                 new=NewCandidate(full_name="Lê Văn Tám", birth_date=date(2000, 1, 1),
                                                  gender=Gender.male, category=Category.staff, youth_union=False,
                                                  introduced_by=IntroducedBy.branch, note=None))
        ngoc.birth_date = date(2000, 1, 1)
        assert await twin_after_edit(session=session, candidate=ngoc, field="full_name", value="Lê Văn Tám") is None


async def test_the_history_mixes_stage_changes_and_corrections_without_the_first_entry(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await branch_people(session))[NGOC]
        assert await candidate_history(session=session, candidate_id=ngoc.id) == []  # only its registration
        assert len(list(await session.exec(select(StageChange).where(StageChange.candidate_id == ngoc.id)))) == 1
        assert await change_stage(session=session, candidate=ngoc, to_stage=Stage.sympathizer, on=date(2026, 3, 1),
                                  today=TODAY, reason="Chi bộ xét", actor_roles=frozenset({Role.secretary}),
                                  by_person_id=None, now=NOW) is None
        for i in range(5):
            await edit_candidate(session=session, candidate=ngoc, field="note", value=f"Ghi chú {i}",
                                 by_person_id=None, now=NOW, today=TODAY)
    async with demo.sessions() as session:
        ngoc = (await branch_people(session))[NGOC]
        history = await candidate_history(session=session, candidate_id=ngoc.id)
        assert [(h.kind, h.new_value) for h in history] == [("edit", f"Ghi chú {i}") for i in (4, 3, 2, 1, 0)]
        longer = await candidate_history(session=session, candidate_id=ngoc.id, limit=7)
        assert [h.kind for h in longer] == ["edit"] * 5 + ["stage"]
        stage = longer[-1]
        assert (stage.on, stage.from_stage, stage.to_stage, stage.reason, stage.by) == (
            date(2026, 3, 1), "source", "sympathizer", "Chi bộ xét", None)


async def test_the_history_reads_the_newest_rows_of_each_kind_by_day_then_moment_then_order(demo):
    """With a limit of 2, the database must give the newest two of each kind (mutation testing
    found the order of the queries unguarded): a row of an older day recorded last is not among
    them, nor the earlier of the same day, nor the first recorded at the same moment."""
    from models.people import Person
    async with demo.sessions() as session, session.begin():
        people = await branch_people(session)
        ngoc, an = people[NGOC], people[AN]
        thu = (await session.exec(select(Person).where(Person.full_name == "Nguyễn Thị Thu"))).first()
        d1, d3 = date(2026, 2, 20), date(2026, 2, 27)
        t = lambda hours: NOW - timedelta(hours=hours)  # noqa: E731
        for kind in ("stage", "edit"):
            rows = [(d3, t(1), thu.id, "P"), (d3, t(2), None, "Q"), (d3, t(3), None, "R"), (d1, t(0), None, "X")]
            for on, at, by, label in rows:
                if kind == "stage":
                    session.add(StageChange(candidate_id=ngoc.id, from_stage=Stage.source, to_stage=Stage.sympathizer,
                                            on=on, reason=label, by_person_id=by, at=at))
                else:
                    session.add(CandidateEdit(candidate_id=ngoc.id, field="note", old_value=None, new_value=label,
                                              on=on, by_person_id=by, at=at))
                await session.flush()
        session.add(StageChange(candidate_id=an.id, from_stage=Stage.source, to_stage=Stage.sympathizer,
                                on=TODAY, reason="An", by_person_id=None, at=NOW))  # someone else's
        session.add(CandidateEdit(candidate_id=an.id, field="note", new_value="An", on=TODAY, at=NOW))
        await session.flush()
        history = await candidate_history(session=session, candidate_id=ngoc.id, limit=2)
        assert sorted((h.kind, h.reason or h.new_value, h.by) for h in history) == [
            ("edit", "P", "Nguyễn Thị Thu"), ("stage", "P", "Nguyễn Thị Thu")]
        assert history[1].seq > 0
        history = await candidate_history(session=session, candidate_id=ngoc.id, limit=4)
        assert sorted((h.kind, h.reason or h.new_value, h.by) for h in history) == [
            ("edit", "P", "Nguyễn Thị Thu"), ("edit", "Q", None), ("stage", "P", "Nguyễn Thị Thu"),
            ("stage", "Q", None)]


async def test_the_history_of_rows_recorded_at_one_moment_keeps_the_last_recorded(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await branch_people(session))[NGOC]
        for label in ("1", "2", "3"):
            session.add(StageChange(candidate_id=ngoc.id, from_stage=Stage.source, to_stage=Stage.sympathizer,
                                    on=TODAY, reason=label, by_person_id=None, at=NOW))
            session.add(CandidateEdit(candidate_id=ngoc.id, field="note", new_value=label, on=TODAY, at=NOW))
            await session.flush()
        history = await candidate_history(session=session, candidate_id=ngoc.id, limit=2)
        labels = {h.reason or h.new_value for h in history}
        assert "3" in labels and labels <= {"2", "3"}


# --- found by mutation testing (the undo lines, the order of each kind alone, a year-only birth) ---

def test_an_error_names_the_field_or_the_text():
    with pytest.raises(ValueError, match="not an editable field: stage"):
        value_text("stage", "x")
    with pytest.raises(ValueError, match="not a yes/no: 'maybe'"):
        value_from_text("youth_union", "maybe")


@pytest.fixture
def vietnam_clock(monkeypatch):
    """The server's local time zone set to Vietnam's (naive datetimes must still be read as UTC)."""
    import time
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_history_reads_naive_moments_as_utc_whatever_the_server_time_zone(vietnam_clock):
    naive = HistoryLine(kind="edit", on=TODAY, at=datetime(2026, 3, 2, 3, 0), by=None, seq=1)
    aware = HistoryLine(kind="stage", on=TODAY, at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC) - timedelta(hours=7),
                        by=None, seq=9)
    later = HistoryLine(kind="stage", on=TODAY, at=datetime(2026, 3, 2, 3, 30, tzinfo=UTC), by=None, seq=2)
    assert newest_first([aware, naive, later]) == [later, naive, aware]  # 03:30 UTC, 03:00 UTC, 02:30 UTC


async def test_a_twin_after_the_change_is_the_first_by_register_number(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await branch_people(session))[NGOC]
        for number in (902, 901):  # the later number written first
            session.add(person(id=None, branch_id=ngoc.branch_id, number=number, full_name="Lê Văn Tám",
                               name_folded="le van tam", birth_date=date(2000, 1, 1)))
            await session.flush()
        twin = await twin_after_edit(session=session, candidate=ngoc, field="full_name", value="Lê Văn Tám")
        assert twin is None  # not yet: a different birth date
        ngoc.birth_date = date(2000, 1, 1)
        twin = await twin_after_edit(session=session, candidate=ngoc, field="full_name", value="Lê Văn Tám")
        assert twin.number == 901


async def test_a_correction_records_who_made_it_and_shows_it_in_the_history(demo):
    from tests.unit.demo_rows import secretary
    async with demo.sessions() as session, session.begin():
        ngoc = (await branch_people(session))[NGOC]
        thu = await secretary(session)
        edit = await edit_candidate(session=session, candidate=ngoc, field="unit", value="12A1",
                                    by_person_id=thu, now=NOW, today=TODAY)
        assert edit.by_person_id == thu
        again = await edit_candidate(session=session, candidate=ngoc, field="unit", value="12A2",
                                     by_person_id=None, now=NOW, today=TODAY)
        assert await candidate_history(session=session, candidate_id=ngoc.id) == [
            HistoryLine(kind="edit", on=TODAY, at=again.at, by=None, seq=again.id, field="unit", old_value="12A1",
                        new_value="12A2"),
            HistoryLine(kind="edit", on=TODAY, at=edit.at, by="Nguyễn Thị Thu", seq=edit.id, field="unit",
                        old_value=None, new_value="12A1")]


async def test_a_birth_date_kept_as_a_year_only_gets_its_day_even_when_it_is_the_same(demo):
    """An imported "Năm sinh" keeps 1 January of the year: correcting it to that very day is a
    correction all the same (the record is no longer a year only); other fields leave it so."""
    async with demo.sessions() as session, session.begin():
        ngoc = (await branch_people(session))[NGOC]
        ngoc.birth_date, ngoc.birth_year_only = date(2008, 1, 1), True
        session.add(ngoc)
        await session.flush()
        assert await edit_candidate(session=session, candidate=ngoc, field="note", value=None,
                                    by_person_id=None, now=NOW, today=TODAY) is None  # unchanged: nothing
        await edit_candidate(session=session, candidate=ngoc, field="note", value="Lớp trưởng",
                             by_person_id=None, now=NOW, today=TODAY)
        assert ngoc.birth_year_only is True
        edit = await edit_candidate(session=session, candidate=ngoc, field="birth_date", value=date(2008, 1, 1),
                                    by_person_id=None, now=NOW, today=TODAY)
        assert (edit.field, edit.old_value, edit.new_value) == ("birth_date", "2008-01-01", "2008-01-01")
        assert ngoc.birth_year_only is False
        assert await edit_candidate(session=session, candidate=ngoc, field="birth_date", value=date(2008, 1, 1),
                                    by_person_id=None, now=NOW, today=TODAY) is None  # now a day: nothing


async def add_rows(session, kind: str, candidate_id: int, rows) -> None:
    """History rows of one kind, written in the order given: (day, moment, by, label)."""
    from models.undo import UndoableAction, UndoKind
    for on, at, by, label in rows:
        if kind == "stage":
            session.add(StageChange(candidate_id=candidate_id, from_stage=Stage.source, to_stage=Stage.sympathizer,
                                    on=on, reason=label, by_person_id=by, at=at))
        elif kind == "edit":
            session.add(CandidateEdit(candidate_id=candidate_id, field="note", new_value=label, on=on,
                                      by_person_id=by, at=at))
        else:
            session.add(UndoableAction(candidate_id=candidate_id, kind=UndoKind.review, on=on, at=at,
                                       from_stage=Stage.source, to_stage=Stage.sympathizer, since_before=on,
                                       review_period=label, undone_on=on, undone_at=at, undone_by=by))
        await session.flush()


def label_of(line: HistoryLine) -> str | None:
    return line.reason if line.kind == "stage" else line.new_value if line.kind == "edit" else None


@pytest.mark.parametrize("kind", ["stage", "edit", "undo"])
async def test_the_history_of_one_kind_reads_its_newest_row_by_day_then_moment_then_order(demo, kind):
    """Each kind alone, so that no other kind hides a wrong order of its query: an older day
    recorded last, an earlier moment of the same day and the first of one moment are not the newest."""
    from models.undo import UndoableAction
    async with demo.sessions() as session, session.begin():
        ngoc = (await branch_people(session))[NGOC]
        d1, d3 = date(2026, 2, 20), date(2026, 2, 27)
        t = lambda hours: NOW - timedelta(hours=hours)  # noqa: E731
        await add_rows(session, kind, ngoc.id, [(d3, t(1), None, "P"), (d3, t(2), None, "Q"), (d3, t(3), None, "R"),
                                                (d1, t(0), None, "X")])
        [newest] = await candidate_history(session=session, candidate_id=ngoc.id, limit=1)
        if kind == "undo":
            first = (await session.exec(select(UndoableAction).where(UndoableAction.review_period == "P"))).one()
            assert newest.seq == first.id
        else:
            assert label_of(newest) == "P"
        await add_rows(session, kind, ngoc.id, [(TODAY, NOW, None, "A"), (TODAY, NOW, None, "B")])
        [newest] = await candidate_history(session=session, candidate_id=ngoc.id, limit=1)
        if kind == "undo":
            last = (await session.exec(select(UndoableAction).where(UndoableAction.review_period == "B"))).one()
            assert newest.seq == last.id
        else:
            assert label_of(newest) == "B"


async def test_the_history_shows_an_undo_with_who_undid_it_and_the_stage_it_put_back(demo):
    from models.undo import UndoableAction, UndoKind
    from tests.unit.demo_rows import secretary
    async with demo.sessions() as session, session.begin():
        people = await branch_people(session)
        ngoc, an = people[NGOC], people[AN]
        thu = await secretary(session)
        d = date(2026, 2, 27)
        rows = [
            UndoableAction(candidate_id=ngoc.id, kind=UndoKind.review, on=d, at=NOW - timedelta(days=3),
                           by_person_id=None, from_stage=Stage.source, to_stage=Stage.sympathizer,
                           undone_on=d, undone_at=NOW - timedelta(days=3), undone_by=thu),
            UndoableAction(candidate_id=ngoc.id, kind=UndoKind.enrolment, on=d, at=NOW - timedelta(days=2),
                           by_person_id=thu, undone_on=date(2026, 2, 28), undone_at=NOW - timedelta(days=2),
                           undone_by=None),  # no stage change; who undid it unknown
            UndoableAction(candidate_id=ngoc.id, kind=UndoKind.removal, on=d, at=NOW, by_person_id=thu,
                           from_stage=Stage.sympathizer, to_stage=Stage.source),  # not undone
            UndoableAction(candidate_id=an.id, kind=UndoKind.removal, on=d, at=NOW, from_stage=Stage.sympathizer,
                           to_stage=Stage.source, undone_on=TODAY, undone_at=NOW, undone_by=thu),  # someone else's
        ]
        for row in rows:
            session.add(row)
            await session.flush()
        history = await candidate_history(session=session, candidate_id=ngoc.id)
        assert [(h.kind, h.on, h.by, h.seq, h.field, h.from_stage, h.to_stage, h.reason, h.old_value, h.new_value)
                for h in history] == [
            ("undo", date(2026, 2, 28), None, rows[1].id, "enrolment", None, None, None, None, None),
            ("undo", d, "Nguyễn Thị Thu", rows[0].id, "review", "sympathizer", "source", None, None, None)]
        assert [_naive(h.at) for h in history] == [_naive(NOW - timedelta(days=2)), _naive(NOW - timedelta(days=3))]


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
