"""A branch vote is a resolution proposing admission only at 2/3 of the official members;
below that it is a failed vote, kept with its counts, and the candidate stays in dossier."""

from datetime import date

import pytest

from models.admission import BranchVote, BranchVoteFailed, Subject, branch_vote, moves_to, verify
from models.stage import Role, Stage

ON = date(2026, 3, 2)
LAN = Subject(id=1, number=6, full_name="Đặng Ngọc Lan", branch_id=1, stage=Stage.dossier,
              stage_since=date(2026, 1, 1), birth_date=date(1997, 2, 28), certificate_on=date(2025, 6, 1))
SECRETARY = frozenset({Role.secretary})


@pytest.mark.parametrize("votes, members", [(4, 5), (6, 9), (2, 2)])
def test_two_thirds_or_more_is_a_resolution(votes, members):
    assert branch_vote(ON, votes, members) == BranchVote(on=ON, votes_for=votes, official_members=members)


@pytest.mark.parametrize("votes, members", [(3, 5), (5, 9), (1, 2), (0, 1)])
def test_below_two_thirds_is_a_failed_vote_that_moves_nobody(votes, members):
    fact = branch_vote(ON, votes, members)
    assert fact == BranchVoteFailed(on=ON, votes_for=votes, official_members=members)
    assert moves_to(fact) is None
    assert verify(LAN, fact, today=ON, actor_roles=SECRETARY) is None


def test_a_failed_vote_keeps_the_rules_on_counts_dates_and_who():
    assert verify(LAN, branch_vote(ON, 6, 5), today=ON, actor_roles=SECRETARY).code == "votes_exceed_members"
    assert verify(LAN, branch_vote(ON, 0, 0), today=ON, actor_roles=SECRETARY).code == "no_official_members"
    assert verify(LAN, branch_vote(ON, 3, 5), today=date(2026, 3, 1), actor_roles=SECRETARY).code == "date_in_future"
    assert verify(LAN, branch_vote(ON, 3, 5), today=ON, actor_roles=frozenset({Role.sponsor})).code == (
        "not_secretary_or_deputy")
    proposed = Subject(**{**LAN.to_json(), "stage": Stage.proposed, "birth_date": LAN.birth_date,
                          "stage_since": LAN.stage_since, "certificate_on": LAN.certificate_on})
    assert verify(proposed, branch_vote(ON, 3, 5), today=ON, actor_roles=SECRETARY).code == "admission_wrong_stage"
