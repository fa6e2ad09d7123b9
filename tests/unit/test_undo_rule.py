"""Who may take an action back, and until when (models/undo.py who_may_undo): the author on the
same day in Vietnam, the branch's secretary at any time, nobody else."""

from bot.clock import FixedClock, vn_time
from models.stage import Role
from models.undo import who_may_undo

AUTHOR, OTHER = 7, 8
DEPUTY = frozenset({Role.deputy})
SECRETARY = frozenset({Role.secretary})


def days(done: FixedClock, now: FixedClock) -> dict:
    """The day of the action and the day of the undo, as chibo's clock gives them (Vietnam's)."""
    return {"done_on": done.today(), "today": now.today()}


def test_the_author_may_undo_until_the_last_second_of_the_day_in_ha_noi():
    done = FixedClock(vn_time(2026, 3, 2, 0, 0))  # 17:00 UTC the day before
    last = FixedClock(vn_time(2026, 3, 2, 23, 59))
    last.advance(seconds=59.999)
    assert who_may_undo(done_by=AUTHOR, actor_id=AUTHOR, actor_roles=DEPUTY, **days(done, last)) is None


def test_at_midnight_in_ha_noi_the_author_is_too_late_though_it_is_still_the_same_day_in_utc():
    done = FixedClock(vn_time(2026, 3, 2, 23, 59))
    midnight = FixedClock(vn_time(2026, 3, 3, 0, 0))
    assert done.now().date() == midnight.now().date()  # 16:59 and 17:00 UTC on 2 March
    assert who_may_undo(done_by=AUTHOR, actor_id=AUTHOR, actor_roles=DEPUTY, **days(done, midnight)) == "too_late"


def test_a_morning_action_in_ha_noi_is_the_same_day_as_the_evening_though_utc_changed_day():
    done = FixedClock(vn_time(2026, 3, 2, 6, 0))  # 23:00 UTC on 1 March
    evening = FixedClock(vn_time(2026, 3, 2, 20, 0))
    assert who_may_undo(done_by=AUTHOR, actor_id=AUTHOR, actor_roles=DEPUTY, **days(done, evening)) is None


def test_the_secretary_may_undo_anyone_s_action_any_day():
    done = FixedClock(vn_time(2026, 3, 2, 9, 0))
    later = FixedClock(vn_time(2026, 6, 1, 9, 0))
    assert who_may_undo(done_by=AUTHOR, actor_id=OTHER, actor_roles=SECRETARY, **days(done, later)) is None
    assert who_may_undo(done_by=None, actor_id=OTHER, actor_roles=SECRETARY | DEPUTY, **days(done, later)) is None


def test_a_deputy_may_not_undo_someone_else_s_action_even_the_same_day():
    same = FixedClock(vn_time(2026, 3, 2, 9, 0))
    assert who_may_undo(done_by=AUTHOR, actor_id=OTHER, actor_roles=DEPUTY, **days(same, same)) == "not_author"
    assert who_may_undo(done_by=None, actor_id=OTHER, actor_roles=DEPUTY, **days(same, same)) == "not_author"


def test_an_unlinked_person_is_no_author():
    same = FixedClock(vn_time(2026, 3, 2, 9, 0))
    assert who_may_undo(done_by=None, actor_id=None, actor_roles=frozenset(), **days(same, same)) == "not_author"


def test_an_author_who_is_not_secretary_is_too_late_any_later_day():
    done = FixedClock(vn_time(2026, 3, 2, 9, 0))
    for later in (vn_time(2026, 3, 3, 9, 0), vn_time(2027, 3, 2, 9, 0)):
        assert who_may_undo(done_by=AUTHOR, actor_id=AUTHOR, actor_roles=DEPUTY,
                            **days(done, FixedClock(later))) == "too_late"
