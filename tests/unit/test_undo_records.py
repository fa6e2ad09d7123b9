"""Taking an action back, asked directly on the demo (models/undo.py's remember, blocker, undo,
latest_actions and undone_actions; mutation testing found them reached by no fast test): what
is remembered of a move, a removal and an enrolment, what stands in the way of undoing one,
what undoing puts back, and what /hoantac lists. In the demo (today 02/03/2026) Nguyễn Văn An
and Trần Thị Bích Ngọc are sources, Lê Hoàng Minh a sympathizer; Võ Thanh Tùng and Lương Thị
Mỹ are enrolled in "Lớp nhận thức về Đảng khóa 2"."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from models.candidate import Candidate, StageChange, change_stage
from models.party_class import Enrollment, EnrollmentStatus, PartyClass
from models.review import MonthlyReview, ReviewDecision, SourceSurvey
from models.stage import Role, Stage
from models.undo import (
    Blocker, UndoableAction, UndoKind, blocker, latest_actions, remember, undo, undone_actions,
)
from tests.unit.demo_rows import candidate, secretary

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
SECRETARY = frozenset({Role.secretary})
AN, NGOC, MINH, TUNG, MY = "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Minh", "Võ Thanh Tùng", "Lương Thị Mỹ"
OPEN_CLASS = "Lớp nhận thức về Đảng khóa 2"


async def class_id(db, title=OPEN_CLASS) -> int:
    return (await db.exec(sa.select(PartyClass.id).where(PartyClass.title == title))).scalar_one()


def utc(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def move(db, c: Candidate, to: Stage, *, reason=None, by=None) -> None:
    assert await change_stage(session=db, candidate=c, to_stage=to, on=TODAY, today=TODAY, reason=reason,
                              actor_roles=SECRETARY, by_person_id=by, now=NOW) is None


async def moved_up(db, name, *, by=None, period="2026-03") -> UndoableAction:
    """The monthly review moves a source up (handlers/review.py's order: move, decide, remember)."""
    c = await candidate(db, name)
    before, since = Stage(c.stage), c.stage_since
    await move(db, c, Stage.sympathizer, by=by)
    db.add(MonthlyReview(candidate_id=c.id, period=period, decision=ReviewDecision.move_up, at=NOW))
    return await remember(session=db, candidate=c, kind=UndoKind.review, stage_before=before, since_before=since,
                          by_person_id=by, now=NOW, today=TODAY, review_period=period)


async def enrolled(db, name, *, by=None) -> UndoableAction:
    c = await candidate(db, name)
    klass = await class_id(db)
    db.add(Enrollment(class_id=klass, candidate_id=c.id, at=NOW))
    return await remember(session=db, candidate=c, kind=UndoKind.enrolment, stage_before=Stage(c.stage),
                          since_before=c.stage_since, by_person_id=by, now=NOW, today=TODAY, class_id=klass)


def kept(a: UndoableAction) -> tuple:
    return (a.kind, a.on, utc(a.at), a.by_person_id, a.stage_change_id, a.from_stage, a.to_stage, a.since_before,
            a.review_period, a.survey_period, a.class_id, a.undone_on, utc(a.undone_at), a.undone_by)


async def stored(db, action_id) -> tuple:
    """The action as the database holds it (not the session's object)."""
    row = (await db.exec(sa.select(UndoableAction.__table__).where(UndoableAction.id == action_id))).one()
    a = UndoableAction(**row._mapping)
    return (a.candidate_id, *kept(a))


# ---- What is remembered ------------------------------------------------------------------------

async def test_a_move_is_remembered_with_its_stage_change_the_stage_and_day_before_and_the_month(db):
    by = await secretary(db)
    an, ngoc = await candidate(db, AN), await candidate(db, NGOC)
    since = an.stage_since
    action = await moved_up(db, AN, by=by)
    change = (await db.exec(sa.select(sa.func.max(StageChange.id)).where(StageChange.candidate_id == an.id))).one()
    await move(db, ngoc, Stage.sympathizer)  # someone else's later change is not An's
    assert await stored(db, action.id) == (
        an.id, UndoKind.review, TODAY, NOW, by, change[0], Stage.source, Stage.sympathizer, since, "2026-03", None,
        None, None, None, None)
    assert since != TODAY


async def test_the_latest_stage_change_of_the_candidate_is_the_one_remembered(db):
    an, ngoc = await candidate(db, AN), await candidate(db, NGOC)
    await move(db, ngoc, Stage.sympathizer)
    await move(db, an, Stage.sympathizer)
    first = (await db.exec(sa.select(sa.func.max(StageChange.id)).where(StageChange.candidate_id == an.id))).one()[0]
    await move(db, an, Stage.removed, reason="Chuyển công tác")
    last = (await db.exec(sa.select(sa.func.max(StageChange.id)).where(StageChange.candidate_id == an.id))).one()[0]
    await move(db, ngoc, Stage.removed, reason="Chuyển công tác")
    action = await remember(session=db, candidate=an, kind=UndoKind.removal, stage_before=Stage.sympathizer,
                            since_before=TODAY, by_person_id=None, now=NOW, today=TODAY, survey_period="2026-Q1")
    assert first < last
    assert (await stored(db, action.id))[5:12] == (last, Stage.sympathizer, Stage.removed, TODAY, None, "2026-Q1",
                                                   None)


async def test_an_enrolment_that_moves_no_stage_remembers_only_the_class(db):
    tung = await candidate(db, TUNG)
    klass = await class_id(db, "Lớp nhận thức về Đảng khóa 1")
    action = await remember(session=db, candidate=tung, kind=UndoKind.enrolment, stage_before=Stage(tung.stage),
                            since_before=tung.stage_since, by_person_id=None, now=NOW, today=TODAY, class_id=klass)
    assert await stored(db, action.id) == (
        tung.id, UndoKind.enrolment, TODAY, NOW, None, None, None, None, None, None, None, klass, None, None, None)


# ---- What stands in the way --------------------------------------------------------------------

async def test_nothing_stands_in_the_way_of_a_fresh_move_enrolment_or_removal(db):
    assert await blocker(session=db, action=await moved_up(db, AN)) is None
    assert await blocker(session=db, action=await enrolled(db, MINH)) is None
    minh_removed = await candidate(db, NGOC)
    await move(db, minh_removed, Stage.removed, reason="Chuyển công tác")
    db.add(MonthlyReview(candidate_id=minh_removed.id, period="2026-03", decision=ReviewDecision.remove, at=NOW))
    removal = await remember(session=db, candidate=minh_removed, kind=UndoKind.removal, stage_before=Stage.source,
                             since_before=TODAY, by_person_id=None, now=NOW, today=TODAY, review_period="2026-03")
    assert await blocker(session=db, action=removal) is None


async def test_an_action_undone_already_is_not_undone_again(db):
    action = await moved_up(db, AN)
    await undo(session=db, action=action, by_person_id=None, now=NOW, today=TODAY)
    assert await blocker(session=db, action=action) == Blocker("undone")


async def test_only_the_candidates_latest_action_still_standing_is_taken_back(db):
    move_an = await moved_up(db, AN)
    enrol_an = await enrolled(db, AN)
    assert await blocker(session=db, action=move_an) == Blocker("later_action")
    await undo(session=db, action=enrol_an, by_person_id=None, now=NOW, today=TODAY)
    assert await blocker(session=db, action=move_an) is None  # the later one was taken back
    await moved_up(db, NGOC)  # someone else's later action
    assert await blocker(session=db, action=move_an) is None


async def test_a_later_stage_change_stands_in_the_way_unless_its_action_was_undone(db):
    an = await candidate(db, AN)
    action = await moved_up(db, AN)
    await move(db, await candidate(db, NGOC), Stage.sympathizer)  # someone else's later change
    assert await blocker(session=db, action=action) is None
    await move(db, an, Stage.removed, reason="Chuyển công tác")
    assert await blocker(session=db, action=action) == Blocker("stage_moved")


async def test_a_change_taken_back_does_not_stand_in_the_way_of_the_action_before_it(db):
    an = await candidate(db, AN)
    action = await moved_up(db, AN)
    klass = await class_id(db)
    await move(db, an, Stage.awareness_class)  # the enrolment moves the sympathizer on
    db.add(Enrollment(class_id=klass, candidate_id=an.id, at=NOW))
    enrol = await remember(session=db, candidate=an, kind=UndoKind.enrolment, stage_before=Stage.sympathizer,
                           since_before=TODAY, by_person_id=None, now=NOW, today=TODAY, class_id=klass)
    await undo(session=db, action=enrol, by_person_id=None, now=NOW, today=TODAY)
    assert await blocker(session=db, action=action) is None
    # An enrolment that moved nothing, taken back, does not hide a later change.
    plain = await enrolled(db, AN)
    await undo(session=db, action=plain, by_person_id=None, now=NOW, today=TODAY)
    await move(db, an, Stage.removed, reason="Chuyển công tác")
    await move(db, an, Stage.source, reason="Xét lại")
    await move(db, an, Stage.sympathizer)
    assert await blocker(session=db, action=action) == Blocker("stage_moved")


async def test_a_stage_not_the_one_the_action_left_stands_in_the_way(db):
    an = await candidate(db, AN)
    action = await moved_up(db, AN)
    an.stage = Stage.awareness_class  # changed without a stage change (an import, by hand)
    db.add(an)
    await db.flush()
    assert await blocker(session=db, action=action) == Blocker("stage_moved")


async def test_a_review_decided_again_stands_in_the_way(db):
    an = await candidate(db, AN)
    action = await moved_up(db, AN)
    review = (await db.exec(sa.select(MonthlyReview).where(MonthlyReview.candidate_id == an.id,
                                                           MonthlyReview.period == "2026-03"))).scalar_one()
    db.add(MonthlyReview(candidate_id=an.id, period="2026-04", decision=ReviewDecision.move_up, at=NOW))
    review.decision = ReviewDecision.keep
    db.add(review)
    await db.flush()
    assert await blocker(session=db, action=action) == Blocker("reviewed_again")
    await db.delete(review)
    await db.flush()
    assert await blocker(session=db, action=action) == Blocker("reviewed_again")


async def test_a_removal_wants_its_review_to_say_remove(db):
    ngoc = await candidate(db, NGOC)
    await move(db, ngoc, Stage.removed, reason="Chuyển công tác")
    db.add(MonthlyReview(candidate_id=ngoc.id, period="2026-03", decision=ReviewDecision.move_up, at=NOW))
    removal = await remember(session=db, candidate=ngoc, kind=UndoKind.removal, stage_before=Stage.source,
                             since_before=TODAY, by_person_id=None, now=NOW, today=TODAY, review_period="2026-03")
    assert await blocker(session=db, action=removal) == Blocker("reviewed_again")


async def test_an_enrolment_gone_or_with_a_result_stands_in_the_way(db):
    minh = await candidate(db, MINH)
    action = await enrolled(db, MINH)
    row = (await db.exec(sa.select(Enrollment).where(Enrollment.candidate_id == minh.id))).scalar_one()
    row.status = EnrollmentStatus.passed
    db.add(row)
    await db.flush()
    assert await blocker(session=db, action=action) == Blocker("result_recorded")
    await db.delete(row)
    db.add(Enrollment(class_id=await class_id(db, "Lớp nhận thức về Đảng khóa 1"), candidate_id=minh.id, at=NOW))
    await db.flush()
    assert await blocker(session=db, action=action) == Blocker("not_enrolled")  # another class's is not it


async def test_another_candidates_enrolment_in_the_class_is_not_theirs(db):
    ngoc = await candidate(db, NGOC)
    action = UndoableAction(candidate_id=ngoc.id, kind=UndoKind.enrolment, on=TODAY, at=NOW,
                            class_id=await class_id(db))  # Tùng and Mỹ are enrolled there, not Ngọc
    db.add(action)
    await db.flush()
    assert await blocker(session=db, action=action) == Blocker("not_enrolled")


# ---- Undoing -------------------------------------------------------------------------------------

async def test_undoing_a_move_puts_the_stage_and_its_day_back_and_forgets_that_months_decision(db):
    by = await secretary(db)
    an = await candidate(db, AN)
    since = an.stage_since
    db.add(MonthlyReview(candidate_id=an.id, period="2026-04", decision=ReviewDecision.keep, at=NOW))
    action = await moved_up(db, AN)
    ngoc = await moved_up(db, NGOC)
    await undo(session=db, action=action, by_person_id=by, now=NOW + timedelta(hours=1), today=TODAY)
    assert (await db.exec(sa.select(Candidate.stage, Candidate.stage_since).where(Candidate.id == an.id))).one() == (
        Stage.source, since)
    periods = (await db.exec(sa.select(MonthlyReview.candidate_id, MonthlyReview.period).where(
        MonthlyReview.candidate_id.in_([an.id, ngoc.candidate_id])).order_by(MonthlyReview.period))).all()
    assert sorted(tuple(p) for p in periods) == sorted([(an.id, "2026-01"), (an.id, "2026-04"),
                                                        (ngoc.candidate_id, "2026-03")])
    assert (await stored(db, action.id))[-3:] == (TODAY, NOW + timedelta(hours=1), by)


async def test_undoing_a_survey_removal_forgets_that_quarters_survey_only(db):
    ngoc = await candidate(db, NGOC)
    since = ngoc.stage_since
    an = await candidate(db, AN)
    await move(db, ngoc, Stage.removed, reason="Chuyển công tác")
    db.add_all([SourceSurvey(candidate_id=ngoc.id, period="2026-Q1", assessment="poor", at=NOW),
                SourceSurvey(candidate_id=ngoc.id, period="2025-Q4", assessment="fair", at=NOW),
                SourceSurvey(candidate_id=an.id, period="2026-Q1", assessment="good", at=NOW)])
    removal = await remember(session=db, candidate=ngoc, kind=UndoKind.removal, stage_before=Stage.source,
                             since_before=since, by_person_id=None, now=NOW, today=TODAY, survey_period="2026-Q1")
    await undo(session=db, action=removal, by_person_id=None, now=NOW, today=TODAY)
    surveys = (await db.exec(sa.select(SourceSurvey.candidate_id, SourceSurvey.period).where(
        SourceSurvey.candidate_id.in_([an.id, ngoc.id])))).all()
    assert sorted(tuple(s) for s in surveys) == sorted([(ngoc.id, "2025-Q4"), (an.id, "2026-Q1")])
    assert (await db.exec(sa.select(Candidate.stage, Candidate.stage_since).where(Candidate.id == ngoc.id))).one() == (
        Stage.source, since)


async def test_undoing_an_enrolment_takes_the_person_out_of_that_class_only(db):
    minh = await candidate(db, MINH)
    db.add(Enrollment(class_id=await class_id(db, "Lớp nhận thức về Đảng khóa 1"), candidate_id=minh.id,
                      status=EnrollmentStatus.failed, at=NOW))
    action = await enrolled(db, MINH)
    await undo(session=db, action=action, by_person_id=None, now=NOW, today=TODAY)
    in_class = (await db.exec(sa.select(Candidate.full_name).join(Enrollment, Enrollment.candidate_id == Candidate.id)
                              .where(Enrollment.class_id == await class_id(db)))).scalars().all()
    assert sorted(in_class) == sorted([TUNG, MY])
    assert (await db.exec(sa.select(sa.func.count()).select_from(Enrollment).where(
        Enrollment.candidate_id == minh.id))).one()[0] == 1
    assert (await db.exec(sa.select(Candidate.stage).where(Candidate.id == minh.id))).one()[0] == Stage.sympathizer


# ---- What /hoantac lists, and the card's history -------------------------------------------------

async def test_the_list_holds_each_candidates_latest_action_standing_the_latest_first(db):
    by = await secretary(db)
    an_move = await moved_up(db, AN, by=by)
    ngoc = await candidate(db, NGOC)
    await move(db, ngoc, Stage.removed, reason="Chuyển công tác")
    ngoc_removal = await remember(session=db, candidate=ngoc, kind=UndoKind.removal, stage_before=Stage.source,
                                  since_before=TODAY, by_person_id=None, now=NOW, today=TODAY, review_period="2026-03")
    minh_enrol = await enrolled(db, MINH, by=by)
    an_enrol = await enrolled(db, AN)
    await undo(session=db, action=an_enrol, by_person_id=None, now=NOW, today=TODAY)
    found = await latest_actions(session=db, where=sa.true())
    assert [(u.action.id, u.candidate.full_name, u.by, u.reason, u.class_title) for u in found] == [
        (minh_enrol.id, MINH, "Nguyễn Thị Thu", None, OPEN_CLASS),
        (ngoc_removal.id, NGOC, None, "Chuyển công tác", None),
        (an_move.id, AN, "Nguyễn Thị Thu", None, None)]
    assert [u.action.id for u in await latest_actions(session=db, where=sa.true(), limit=2)] == [
        minh_enrol.id, ngoc_removal.id]
    only = await latest_actions(session=db, where=Candidate.full_name == AN)
    assert [u.action.id for u in only] == [an_move.id]


async def test_the_list_shows_no_reason_for_a_move(db):
    an = await candidate(db, AN)
    await move(db, an, Stage.sympathizer, reason="Tích cực")
    await remember(session=db, candidate=an, kind=UndoKind.review, stage_before=Stage.source, since_before=TODAY,
                   by_person_id=None, now=NOW, today=TODAY, review_period="2026-03")
    (found,) = await latest_actions(session=db, where=sa.true())
    assert found.reason is None


async def test_the_cards_history_holds_the_undone_actions_the_latest_undo_first(db):
    an, ngoc = await candidate(db, AN), await candidate(db, NGOC)
    first = await enrolled(db, AN)
    await undo(session=db, action=first, by_person_id=None, now=NOW + timedelta(hours=2), today=TODAY)
    second = await enrolled(db, AN)
    await undo(session=db, action=second, by_person_id=None, now=NOW + timedelta(hours=1), today=TODAY)
    third = await enrolled(db, AN)
    await undo(session=db, action=third, by_person_id=None, now=NOW + timedelta(hours=1), today=TODAY)
    await enrolled(db, AN)  # standing
    other = await enrolled(db, NGOC)
    await undo(session=db, action=other, by_person_id=None, now=NOW + timedelta(hours=3), today=TODAY)
    assert [a.id for a in await undone_actions(session=db, candidate_id=an.id, limit=5)] == [
        first.id, third.id, second.id]
    assert [a.id for a in await undone_actions(session=db, candidate_id=an.id, limit=2)] == [first.id, third.id]
    assert [a.id for a in await undone_actions(session=db, candidate_id=ngoc.id, limit=5)] == [other.id]
