"""The stage machine, who may move a candidate, back-dating, and the branch's 2/3 vote."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.pipeline import (
    ACTIVE_STAGES, CLOSED_STAGES, PRE_ADMISSION_STAGES, TRANSITIONS, allowed_next,
    check_transition, check_vote, vote_passes, votes_needed,
)
from models.stage import Role, Stage

S = Stage
TODAY = date(2026, 3, 10)
SECRETARY = {Role.secretary}

TABLE = [
    (S.source, S.sympathizer), (S.source, S.removed), (S.source, S.transferred),
    (S.sympathizer, S.awareness_class), (S.sympathizer, S.removed), (S.sympathizer, S.transferred),
    (S.awareness_class, S.dossier), (S.awareness_class, S.sympathizer),
    (S.dossier, S.proposed), (S.dossier, S.removed), (S.proposed, S.admitted),
    (S.proposed, S.dossier), (S.admitted, S.probationary), (S.probationary, S.official),
    (S.probationary, S.removed), (S.removed, S.source),
]
NOT_ALLOWED = [
    (S.source, S.dossier), (S.sympathizer, S.proposed), (S.awareness_class, S.admitted),
    (S.admitted, S.removed), (S.admitted, S.transferred), (S.official, S.removed),
    (S.transferred, S.source), (S.removed, S.sympathizer), (S.probationary, S.dossier),
]


def move(f, t, *, roles=SECRETARY, on=TODAY, reason="lý do", last=None):
    return check_transition(f, t, actor_roles=roles, on=on, today=TODAY,
                            last_change_on=last, reason=reason)


@pytest.mark.parametrize(("f", "t"), TABLE)
def test_domain_table_is_allowed(f, t):
    assert move(f, t) is None


@pytest.mark.parametrize(("f", "t"), NOT_ALLOWED)
def test_off_the_table_is_refused(f, t):
    refusal = move(f, t)
    assert refusal.code == "transition_not_allowed"
    assert refusal.values["allowed"] == tuple(s for s in Stage if s in TRANSITIONS[f])


def test_transfer_from_every_stage_before_the_decision():
    for stage in PRE_ADMISSION_STAGES:
        assert S.transferred in allowed_next(stage)
    assert S.transferred in allowed_next(S.probationary)


def test_stage_sets():
    assert S.probationary in ACTIVE_STAGES and S.admitted in ACTIVE_STAGES
    assert CLOSED_STAGES == {S.official, S.removed, S.transferred}
    assert allowed_next(S.official) == allowed_next(S.transferred) == frozenset()


def test_same_stage_is_refused():
    assert move(S.dossier, S.dossier).code == "same_stage"


@pytest.mark.parametrize("roles", [set(), {Role.sponsor}, {Role.committee}, {Role.admin},
                                   {Role.candidate}])
def test_only_secretary_or_deputy(roles):
    refusal = move(S.source, S.sympathizer, roles=roles)
    assert refusal.code == "not_secretary_or_deputy"


def test_deputy_may_and_extra_roles_do_not_matter():
    assert move(S.source, S.sympathizer, roles={Role.deputy}) is None
    assert move(S.source, S.sympathizer, roles={Role.sponsor, Role.secretary}) is None


def test_back_dating_but_never_into_the_future():
    assert move(S.source, S.sympathizer, on=date(2026, 3, 9)) is None
    assert move(S.source, S.sympathizer, on=TODAY) is None
    refusal = move(S.source, S.sympathizer, on=date(2026, 3, 11))
    assert refusal.code == "date_in_future"
    assert refusal.values == {"on": date(2026, 3, 11), "today": TODAY}


def test_not_before_the_previous_change():
    last = date(2026, 3, 1)
    assert move(S.source, S.sympathizer, on=last, last=last) is None
    refusal = move(S.source, S.sympathizer, on=date(2026, 2, 28), last=last)
    assert refusal.code == "before_last_change"
    assert refusal.values == {"on": date(2026, 2, 28), "last_change_on": last}


def test_removal_and_back_steps_need_a_reason():
    for f, t in [(S.sympathizer, S.removed), (S.proposed, S.dossier), (S.source, S.transferred)]:
        assert move(f, t, reason=None).code == "reason_required"
        assert move(f, t, reason="  ").code == "reason_required"
    assert move(S.source, S.sympathizer, reason=None) is None


def test_votes_needed_is_two_thirds_rounded_up():
    assert [votes_needed(m) for m in (1, 2, 3, 4, 9, 10, 12)] == [1, 2, 2, 3, 6, 7, 8]


def test_vote_edges():
    assert vote_passes(6, 9) and not vote_passes(5, 9)  # exactly 2/3
    assert vote_passes(7, 10) and not vote_passes(6, 10)  # 6/10 < 2/3


def test_vote_counts_members_not_those_present():
    # 12 official members, 9 present: 7 of 9 present is not 2/3 of 12.
    refusal = check_vote(7, 12, present=9)
    assert refusal.code == "vote_below_two_thirds"
    assert refusal.values["votes_needed"] == 8
    assert check_vote(8, 12, present=9) is None


def test_impossible_counts():
    assert check_vote(10, 9).code == "votes_exceed_members"
    assert check_vote(5, 9, present=4).code == "votes_exceed_present"
    assert check_vote(5, 9, present=10).code == "present_exceed_members"
    assert check_vote(0, 0).code == "no_official_members"
    assert check_vote(-1, 9).code == "vote_count_negative"
    with pytest.raises(ValueError, match="votes_exceed_members"):
        vote_passes(10, 9)


@given(st.integers(1, 500), st.data())
def test_vote_is_exact_fraction(members, data):
    votes = data.draw(st.integers(0, members))
    assert vote_passes(votes, members) == (Fraction(votes, members) >= Fraction(2, 3))
