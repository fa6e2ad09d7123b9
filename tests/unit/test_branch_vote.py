"""A branch vote is a resolution proposing admission only at 2/3 of the official members;
below that it is a failed vote, kept with its counts, and the candidate stays in dossier."""

from dataclasses import replace
from datetime import date

import pytest

from models.admission import BranchVote, BranchVoteFailed, Subject, branch_vote, moves_to, verify
from models.stage import Role, Stage

ON = date(2026, 3, 2)
LAN = Subject(id=1, number=6, full_name="Đặng Ngọc Lan", branch_id=1, stage=Stage.dossier,
              stage_since=date(2026, 1, 1), birth_date=date(1997, 2, 28), certificate_on=date(2025, 6, 1),
              file={"CN-NTVĐ": date(2025, 6, 1), "1-KNĐ": date(2026, 1, 5), "2-KNĐ": date(2026, 1, 10),
                    "3-KNĐ": date(2026, 1, 15), "5-KNĐ": date(2026, 1, 20)})
SECRETARY = frozenset({Role.secretary})


@pytest.mark.parametrize("votes, members", [(4, 5), (6, 9), (2, 2)])
def test_two_thirds_or_more_is_a_resolution(votes, members):
    assert branch_vote(ON, votes, members) == BranchVote(on=ON, votes_for=votes, official_members=members)


@pytest.mark.parametrize("votes, members", [(3, 5), (5, 9), (1, 2), (0, 1)])
def test_below_two_thirds_is_a_failed_vote_that_moves_nobody(votes, members):
    fact = branch_vote(ON, votes, members)
    assert fact == BranchVoteFailed(on=ON, votes_for=votes, official_members=members)
    assert moves_to(fact) is None
    assert verify(LAN, replace(fact, typed=True), today=ON, actor_roles=SECRETARY) is None


def typed(on: date, votes: int, members: int):
    """A vote whose count of official members the secretary typed (the branch keeps no roster)."""
    return branch_vote(on, votes, members, typed=True)


def test_a_failed_vote_keeps_the_rules_on_counts_dates_and_who():
    assert verify(LAN, typed(ON, 6, 5), today=ON, actor_roles=SECRETARY).code == "votes_exceed_members"
    assert verify(LAN, typed(ON, 0, 0), today=ON, actor_roles=SECRETARY).code == "no_official_members"
    assert verify(LAN, typed(ON, 3, 5), today=date(2026, 3, 1), actor_roles=SECRETARY).code == "date_in_future"
    assert verify(LAN, typed(ON, 3, 5), today=ON, actor_roles=frozenset({Role.sponsor})).code == (
        "not_secretary_or_deputy")
    proposed = replace(LAN, stage=Stage.proposed)
    assert verify(proposed, typed(ON, 3, 5), today=ON, actor_roles=SECRETARY).code == "admission_wrong_stage"
