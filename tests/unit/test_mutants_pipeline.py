"""Stage-change and vote-count refusals that mutation testing found unguarded: what each refusal
tells the secretary, a negative member count, and a meeting where no one was present."""

from datetime import date

from models.pipeline import check_transition, check_vote, check_vote_counts
from models.stage import Role, Stage

S = Stage
TODAY = date(2026, 3, 10)


def move(f, t, *, roles=(Role.secretary,), reason="lý do"):
    return check_transition(f, t, actor_roles=roles, on=TODAY, today=TODAY, reason=reason)


def test_a_member_who_may_not_change_stages_is_told_their_roles():
    refusal = move(S.source, S.sympathizer, roles=(Role.sponsor, Role.committee))
    assert (refusal.code, refusal.values) == ("not_secretary_or_deputy",
                                              {"roles": (Role.committee, Role.sponsor)})


def test_the_same_stage_again_names_the_stage():
    refusal = move(S.dossier, S.dossier)
    assert (refusal.code, refusal.values) == ("same_stage", {"stage": S.dossier})


def test_a_step_not_allowed_names_both_stages_and_the_allowed_ones():
    refusal = move(S.source, S.dossier)
    assert (refusal.code, refusal.values) == ("transition_not_allowed", {
        "from_stage": S.source, "to_stage": S.dossier, "allowed": (S.sympathizer, S.removed, S.transferred)})


def test_a_missing_reason_names_the_change():
    refusal = move(S.dossier, S.removed, reason="  ")
    assert (refusal.code, refusal.values) == ("reason_required", {"from_stage": S.dossier, "to_stage": S.removed})


def test_impossible_counts_are_shown_back_as_recorded():
    refusal = check_vote_counts(3, -1)
    assert (refusal.code, refusal.values) == (
        "vote_count_negative", {"votes_for": 3, "official_members": -1, "present": None})
    refusal = check_vote_counts(0, 0, 0)
    assert (refusal.code, refusal.values) == (
        "no_official_members", {"votes_for": 0, "official_members": 0, "present": 0})
    assert check_vote_counts(-1, 5, 4).values == {"votes_for": -1, "official_members": 5, "present": 4}


def test_a_meeting_with_no_one_present_is_a_vote_that_fails_not_a_wrong_count():
    assert check_vote_counts(0, 5, 0) is None
    assert check_vote(0, 5, 0).code == "vote_below_two_thirds"


def test_everyone_present_and_voting_for_is_a_valid_count():
    assert check_vote_counts(5, 5, 5) is None
    assert check_vote(5, 5, 5) is None
    assert check_vote(4, 6, 4) is None  # 4 of 6 is 2/3, all of those present


def test_more_present_or_voting_than_possible_shows_the_counts():
    refusal = check_vote_counts(3, 5, 6)
    assert (refusal.code, refusal.values) == (
        "present_exceed_members", {"votes_for": 3, "official_members": 5, "present": 6})
    refusal = check_vote_counts(4, 5, 3)
    assert (refusal.code, refusal.values) == (
        "votes_exceed_present", {"votes_for": 4, "official_members": 5, "present": 3})
