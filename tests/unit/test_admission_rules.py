"""Each fact the secretary records, checked by `verify` against the rules at its edges: the
stage it applies at, who may record it, each of its dates the day before, the day itself and
the day after the one it must not precede, the 2/3 of the official members, the refusal whole
(its key and the values the secretary's message is written from), and the way through (None).

Pure: the subjects are built here, as the conversation loads them (models.admission.Subject)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from models import citations
from models import deadlines as d
from models.admission import (
    APPLIES_AT, REASON_MAX, TRANSFER_STAGES, BranchVote, BranchVoteFailed, Ceremony, Decision, DecisionRefused,
    Extended, Extension, KeyDates, PersonalHistory, Recognition, RecognitionVote, RecognitionVoteFailed, StrikeOff,
    Subject, Transfer, _fact_refusal, branch_vote, ceremony_is_late, file_refusal, history_date_refusal, key_dates,
    moves_to, received_date_refusal, recognition_date_refusal, recognition_file_problems, recognition_file_refusal,
    recognition_vote, recognition_vote_date_refusal, recognition_vote_is_late, refused_date_refusal,
    strike_date_refusal, transfer_date_refusal, transfer_note_room, transfer_refusal, verify,
)
from models.eligibility import Introduction
from models.roster import MemberStatus, Standing
from models.rules import Refusal
from models.stage import Role, Stage

SECRETARY = frozenset({Role.secretary})
DEPUTY = frozenset({Role.deputy})
DAY = timedelta(days=1)


def before(on: date, earliest: date, what: str) -> Refusal:
    return Refusal("admission_date_before", {"on": on, "earliest": earliest, "what": what})


def last_change(on: date, last: date) -> Refusal:
    return Refusal("before_last_change", {"on": on, "last_change_on": last})


def future(on: date, today: date) -> Refusal:
    return Refusal("date_in_future", {"on": on, "today": today})


def wrong_stage(s: Subject, fact_type: type) -> Refusal:
    return Refusal("admission_wrong_stage", {"stage": s.stage, "allowed": APPLIES_AT[fact_type],
                                             "who": f"{s.number}. {s.full_name}"})


def counts(votes_for: int, members: int) -> dict:
    return {"votes_for": votes_for, "official_members": members, "present": None}


# ---- the branch's vote on admission (6-KNĐ): dossier → proposed ----------------------------------

ON = date(2026, 3, 2)
FILE = {"CN-NTVĐ": date(2025, 6, 1), "1-KNĐ": date(2026, 1, 5), "2-KNĐ": date(2026, 1, 10),
        "3-KNĐ": date(2026, 1, 15), "5-KNĐ": date(2026, 1, 20)}
LAN = Subject(id=1, number=6, full_name="Đặng Ngọc Lan", branch_id=1, stage=Stage.dossier,
              stage_since=date(2026, 1, 1), birth_date=date(1997, 2, 28), certificate_on=date(2025, 6, 1), file=FILE)
OLD_HAND = Standing(MemberStatus.official, date(2010, 1, 1))
INTRODUCERS = (Introduction(1, "Trần Văn Bình", OLD_HAND, date(2023, 1, 1)),
               Introduction(2, "Đỗ Thị Mai", OLD_HAND, date(2024, 9, 1)))
ROSTER = (OLD_HAND, Standing(MemberStatus.official, date(2012, 5, 1)),
          Standing(MemberStatus.official, ON), Standing(MemberStatus.probationary, date(2025, 1, 1)))


def vote(fact, s: Subject = LAN, today: date = ON, roles=SECRETARY):
    return verify(s, fact, today=today, actor_roles=roles)


@pytest.mark.parametrize("kind", [BranchVote, BranchVoteFailed])
def test_a_branch_vote_on_the_meeting_s_day_with_the_typed_count_is_recorded(kind):
    votes = 4 if kind is BranchVote else 3
    assert vote(kind(on=ON, votes_for=votes, official_members=5, typed=True)) is None
    assert vote(kind(on=ON, votes_for=votes, official_members=5, typed=True), roles=DEPUTY) is None


@pytest.mark.parametrize("kind", [BranchVote, BranchVoteFailed])
def test_a_branch_vote_is_refused_at_another_stage_and_to_anyone_but_the_secretary_or_deputy(kind):
    fact = kind(on=ON, votes_for=4 if kind is BranchVote else 3, official_members=5, typed=True)
    for stage in set(Stage) - {Stage.dossier}:
        proposed = replace(LAN, stage=stage)
        assert vote(fact, proposed) == wrong_stage(proposed, kind)
    assert vote(fact, roles=frozenset({Role.sponsor, Role.candidate})) == Refusal(
        "not_secretary_or_deputy", {"roles": (Role.candidate, Role.sponsor)})
    assert vote(fact, roles=frozenset()) == Refusal("not_secretary_or_deputy", {"roles": ()})
    assert vote(fact, roles=frozenset({Role.sponsor, Role.deputy})) is None


@pytest.mark.parametrize("kind", [BranchVote, BranchVoteFailed])
def test_a_branch_vote_is_refused_below_18_full_years_on_the_meeting_s_day(kind):
    fact = kind(on=ON, votes_for=3, official_members=5, typed=True)
    young = replace(LAN, birth_date=date(2008, 3, 3))  # 18 the day after the meeting
    assert vote(fact, young) == Refusal("under_age", {"age_months": 215, "eligible_from": date(2026, 3, 3)})
    if kind is BranchVoteFailed:
        assert vote(fact, replace(LAN, birth_date=date(2008, 3, 2))) is None  # 18 that day
    old = replace(LAN, birth_date=date(1966, 1, 2))
    assert vote(fact, old) == Refusal("over_age", {"age_months": 722, "over_since": date(2026, 2, 2)})


@pytest.mark.parametrize("kind", [BranchVote, BranchVoteFailed])
def test_a_branch_vote_needs_a_certificate_valid_on_the_meeting_s_day(kind):
    fact = kind(on=ON, votes_for=3, official_members=5, typed=True)
    assert vote(fact, replace(LAN, certificate_on=None)) == Refusal("no_certificate", {})
    assert vote(fact, replace(LAN, certificate_on=date(2021, 3, 2))) == Refusal(
        "certificate_expired", {"issued_on": date(2021, 3, 2), "expired_on": ON})
    assert vote(fact, replace(LAN, certificate_on=ON + DAY)) == Refusal(
        "certificate_after_meeting", {"issued_on": ON + DAY, "on": ON})
    if kind is BranchVoteFailed:
        assert vote(fact, replace(LAN, certificate_on=date(2021, 3, 3))) is None


@pytest.mark.parametrize("kind", [BranchVote, BranchVoteFailed])
def test_a_branch_vote_is_not_dated_before_the_candidate_s_last_change(kind):
    since = replace(LAN, stage_since=ON)
    fact = kind(on=ON - DAY, votes_for=3, official_members=5, typed=True)
    assert vote(fact, since) == last_change(ON - DAY, ON)
    if kind is BranchVoteFailed:
        assert vote(replace(fact, on=ON), since) is None


@pytest.mark.parametrize("kind", [BranchVote, BranchVoteFailed])
def test_a_branch_vote_needs_the_whole_file_by_the_meeting(kind):
    fact = kind(on=ON, votes_for=3, official_members=5, typed=True)
    missing = replace(LAN, file={k: v for k, v in FILE.items() if k != "5-KNĐ"})
    assert vote(fact, missing) == Refusal("vote_file_incomplete", {
        "problems": [{"code": "item_missing", "v": {"item": "5-KNĐ"}}], "number": 6, "on": ON,
        "sources": citations.ADMISSION_FILE})


@pytest.mark.parametrize("kind", [BranchVote, BranchVoteFailed])
def test_a_branch_vote_counts_the_roster_or_a_confirmed_typed_count(kind):
    assert vote(kind(on=ON, votes_for=3, official_members=5)) == Refusal(
        "members_unconfirmed", {"sources": citations.BRANCH_VOTE})
    kept = replace(LAN, roster=ROSTER, introducers=INTRODUCERS)
    votes = 2 if kind is BranchVote else 1
    assert vote(kind(on=ON, votes_for=votes, official_members=3), kept) is None
    assert vote(kind(on=ON, votes_for=votes, official_members=4), kept) == Refusal(
        "members_not_roster", {"on": ON, "counted": 3, "official_members": 4, "sources": citations.BRANCH_VOTE})
    assert vote(kind(on=ON, votes_for=votes, official_members=3, typed=True), kept) == Refusal(
        "members_not_roster", {"on": ON, "counted": 3, "official_members": 3, "sources": citations.BRANCH_VOTE})


def test_a_resolution_needs_two_thirds_of_the_official_members():
    for votes, members in ((2, 3), (4, 6), (6, 9), (1, 1)):
        assert vote(BranchVote(on=ON, votes_for=votes, official_members=members, typed=True)) is None
    assert vote(BranchVote(on=ON, votes_for=5, official_members=9, typed=True)) == Refusal(
        "vote_below_two_thirds", {"votes_for": 5, "official_members": 9, "votes_needed": 6})
    assert vote(BranchVote(on=ON, votes_for=1, official_members=2, typed=True)) == Refusal(
        "vote_below_two_thirds", {"votes_for": 1, "official_members": 2, "votes_needed": 2})
    assert vote(BranchVote(on=ON, votes_for=6, official_members=5, typed=True)) == Refusal(
        "votes_exceed_members", counts(6, 5))


@pytest.mark.parametrize("kind", [BranchVote, BranchVoteFailed])
def test_impossible_counts_are_refused_whole(kind):
    assert vote(kind(on=ON, votes_for=-1, official_members=5, typed=True)) == Refusal(
        "vote_count_negative", counts(-1, 5))
    assert vote(kind(on=ON, votes_for=0, official_members=0, typed=True)) == Refusal(
        "no_official_members", counts(0, 0))
    assert vote(kind(on=ON, votes_for=6, official_members=5, typed=True)) == Refusal(
        "votes_exceed_members", counts(6, 5))


def test_a_failed_branch_vote_that_reaches_two_thirds_is_a_mistake_of_the_caller():
    for votes, members in ((2, 3), (4, 6), (5, 5)):
        with pytest.raises(ValueError, match=r"^a vote that reaches 2/3 is a BranchVote$"):
            vote(BranchVoteFailed(on=ON, votes_for=votes, official_members=members, typed=True))
    # refused for another reason first: the refusal, not the mistake
    assert vote(BranchVoteFailed(on=ON, votes_for=4, official_members=5)).code == "members_unconfirmed"


def test_a_branch_vote_is_never_dated_after_today():
    assert vote(BranchVote(on=ON, votes_for=4, official_members=5, typed=True), today=ON - DAY) == future(ON, ON - DAY)
    assert vote(BranchVoteFailed(on=ON, votes_for=3, official_members=5, typed=True), today=ON - DAY) == future(
        ON, ON - DAY)
    assert vote(BranchVoteFailed(on=ON, votes_for=3, official_members=5, typed=True), today=ON + DAY) is None


@pytest.mark.parametrize("make, passed, failed", [(branch_vote, BranchVote, BranchVoteFailed),
                                                   (recognition_vote, RecognitionVote, RecognitionVoteFailed)])
def test_a_vote_makes_a_resolution_at_two_thirds_and_a_failed_vote_below(make, passed, failed):
    assert make(ON, 2, 3) == passed(on=ON, votes_for=2, official_members=3)
    assert make(ON, 4, 6, typed=True) == passed(on=ON, votes_for=4, official_members=6, typed=True)
    assert make(ON, 1, 2) == failed(on=ON, votes_for=1, official_members=2)
    assert make(ON, 3, 5, True) == failed(on=ON, votes_for=3, official_members=5, typed=True)
    assert make(ON, 0, 1) == failed(on=ON, votes_for=0, official_members=1)
    # impossible counts: a resolution, which `verify` then refuses with the counts' own reason
    assert make(ON, 6, 5) == passed(on=ON, votes_for=6, official_members=5)
    assert make(ON, 0, 0) == passed(on=ON, votes_for=0, official_members=0)
    assert make(ON, -1, 3) == passed(on=ON, votes_for=-1, official_members=3)


# ---- the committee's decision (9-KNĐ) or its refusal: proposed → admitted, or back to dossier -----

RESOLUTION = date(2026, 2, 5)
HUY = Subject(id=2, number=7, full_name="Bùi Quốc Huy", branch_id=1, stage=Stage.proposed, stage_since=RESOLUTION,
              birth_date=date(1990, 1, 1), resolution_on=RESOLUTION)
TODAY = date(2026, 3, 2)


def decide(fact, s: Subject = HUY, today: date = TODAY, roles=SECRETARY):
    return verify(s, fact, today=today, actor_roles=roles)


def test_a_decision_on_the_resolution_s_day_received_that_day_is_recorded():
    assert decide(Decision(on=RESOLUTION, number="12-QĐ/ĐU", received_on=RESOLUTION)) is None
    assert decide(Decision(on=RESOLUTION + DAY, number="12", received_on=TODAY)) is None


def test_a_decision_is_not_dated_before_the_branch_s_resolution():
    early = RESOLUTION - DAY
    assert decide(Decision(on=early, number="12", received_on=TODAY)) == before(early, RESOLUTION, "resolution")


def test_a_decision_is_not_received_before_it_was_taken_nor_before_the_last_change():
    taken = date(2026, 2, 10)
    assert decide(Decision(on=taken, number="12", received_on=taken - DAY)) == before(taken - DAY, taken, "decision")
    assert decide(Decision(on=taken, number="12", received_on=taken)) is None
    moved = replace(HUY, stage_since=date(2026, 2, 12))  # changed again after the resolution
    assert decide(Decision(on=taken, number="12", received_on=date(2026, 2, 11)), moved) == last_change(
        date(2026, 2, 11), date(2026, 2, 12))
    assert decide(Decision(on=taken, number="12", received_on=date(2026, 2, 12)), moved) is None


def test_a_decision_moves_on_the_day_it_arrived_which_is_never_after_today():
    taken = date(2026, 2, 10)
    assert decide(Decision(on=taken, number="12", received_on=TODAY + DAY)) == future(TODAY + DAY, TODAY)
    assert decide(Decision(on=TODAY, number="12", received_on=TODAY)) is None
    assert decide(Decision(on=taken, number="12", received_on=TODAY), roles=frozenset({Role.committee})) == Refusal(
        "not_secretary_or_deputy", {"roles": (Role.committee,)})


def test_the_day_a_decision_arrived_is_checked_against_each_earlier_day():
    assert received_date_refusal(HUY, None, RESOLUTION - DAY) == before(RESOLUTION - DAY, RESOLUTION, "resolution")
    assert received_date_refusal(HUY, None, RESOLUTION) is None
    assert received_date_refusal(HUY, date(2026, 2, 10), date(2026, 2, 9)) == before(
        date(2026, 2, 9), date(2026, 2, 10), "decision")
    no_resolution = replace(HUY, resolution_on=None, stage_since=date(2026, 2, 1))
    assert received_date_refusal(no_resolution, None, date(2026, 1, 31)) == last_change(
        date(2026, 1, 31), date(2026, 2, 1))
    assert received_date_refusal(no_resolution, None, date(2026, 2, 1)) is None


def test_a_refusal_of_the_committee_is_dated_from_the_resolution_and_the_last_change():
    early = RESOLUTION - DAY
    assert decide(DecisionRefused(on=early, reason="Chưa đủ")) == before(early, RESOLUTION, "resolution")
    assert decide(DecisionRefused(on=RESOLUTION, reason="Chưa đủ")) is None
    moved = replace(HUY, stage_since=RESOLUTION + DAY)
    assert decide(DecisionRefused(on=RESOLUTION, reason="Chưa đủ"), moved) == last_change(RESOLUTION, RESOLUTION + DAY)
    assert refused_date_refusal(replace(HUY, resolution_on=None), RESOLUTION - DAY) == last_change(
        RESOLUTION - DAY, RESOLUTION)
    assert decide(DecisionRefused(on=TODAY + DAY, reason="Chưa đủ")) == future(TODAY + DAY, TODAY)
    assert decide(DecisionRefused(on=TODAY, reason="Chưa đủ")) is None


@pytest.mark.parametrize("fact", [Decision(on=TODAY, number="1", received_on=TODAY),
                                  DecisionRefused(on=TODAY, reason="Chưa đủ")])
def test_the_committee_s_answer_is_recorded_only_for_a_proposed_candidate(fact):
    for stage in set(Stage) - {Stage.proposed}:
        s = replace(HUY, stage=stage)
        assert decide(fact, s) == wrong_stage(s, type(fact))


# ---- the ceremony: admitted → probationary --------------------------------------------------------

RECEIVED = date(2026, 2, 15)
DUE = date(2026, 4, 3)  # 30 working days after the decision arrived
DUC = Subject(id=3, number=13, full_name="Tạ Minh Đức", branch_id=1, stage=Stage.admitted, stage_since=RECEIVED,
              birth_date=date(1990, 1, 1), decision_on=date(2026, 2, 10), decision_received_on=RECEIVED)


def test_a_ceremony_from_the_day_the_decision_arrived_to_its_30th_working_day_is_recorded():
    today = DUE + timedelta(days=10)
    assert verify(DUC, Ceremony(on=RECEIVED), today=today, actor_roles=SECRETARY) is None
    assert verify(DUC, Ceremony(on=DUE), today=today, actor_roles=SECRETARY) is None
    assert verify(DUC, Ceremony(on=RECEIVED - DAY), today=today, actor_roles=SECRETARY) == before(
        RECEIVED - DAY, RECEIVED, "received")
    assert verify(DUC, Ceremony(on=DUE + DAY), today=today, actor_roles=SECRETARY) == Refusal(
        "ceremony_consent_missing", {"on": DUE + DAY, "due": DUE, "sources": citations.CEREMONY})
    assert verify(DUC, Ceremony(on=DUE + DAY, consent="CV 15", consent_on=DUE + DAY), today=today,
                  actor_roles=SECRETARY) is None
    assert verify(DUC, Ceremony(on=DUE + DAY, consent="CV 15", consent_on=DUE + 2 * DAY), today=today,
                  actor_roles=SECRETARY) == Refusal("consent_after_ceremony", {"consent_on": DUE + 2 * DAY,
                                                                               "on": DUE + DAY})
    assert verify(DUC, Ceremony(on=DUE), today=DUE - DAY, actor_roles=SECRETARY) == future(DUE, DUE - DAY)
    assert verify(DUC, Ceremony(on=DUE), today=DUE, actor_roles=SECRETARY) is None
    for stage in set(Stage) - {Stage.admitted}:
        s = replace(DUC, stage=stage)
        assert verify(s, Ceremony(on=DUE), today=today, actor_roles=SECRETARY) == wrong_stage(s, Ceremony)


def test_a_ceremony_is_late_only_after_its_30th_working_day_and_only_once_the_decision_arrived():
    assert not ceremony_is_late(DUC, DUE)
    assert ceremony_is_late(DUC, DUE + DAY)
    assert not ceremony_is_late(replace(DUC, decision_received_on=None), DUE + DAY)


# ---- the committee gives itself 30 more working days (once) ---------------------------------------

PROBATION_START = date(2025, 8, 14)
VOTED = date(2026, 8, 24)
ANH = Subject(id=4, number=8, full_name="Hoàng Mai Anh", branch_id=1, stage=Stage.probationary,
              stage_since=PROBATION_START, birth_date=date(1990, 1, 1), ceremony_on=PROBATION_START,
              recognition_resolution_on=VOTED)


def test_a_recognition_extension_is_recorded_for_a_probationary_member_after_the_branch_s_vote():
    today = date(2026, 9, 1)
    fact = Extension(kind=Extended.recognition, on=VOTED, by="CV 3")
    assert verify(ANH, fact, today=today, actor_roles=SECRETARY) is None
    assert verify(ANH, replace(fact, on=VOTED - DAY), today=today, actor_roles=SECRETARY) == before(
        VOTED - DAY, VOTED, "recognition_resolution")
    assert verify(ANH, fact, today=VOTED, actor_roles=SECRETARY) is None
    assert verify(ANH, fact, today=VOTED - DAY, actor_roles=SECRETARY) == future(VOTED, VOTED - DAY)
    assert verify(ANH, replace(fact, kind=Extended.decision), today=today, actor_roles=SECRETARY) == wrong_stage(
        ANH, Extension)
    assert verify(replace(ANH, recognition_resolution_on=None), fact, today=today,
                  actor_roles=SECRETARY) == Refusal("admission_no_recognition_vote", {})
    assert verify(replace(ANH, recognition_extended_on=VOTED), fact, today=today, actor_roles=SECRETARY) == Refusal(
        "extension_already", {"kind": "recognition", "on": VOTED, "sources": citations.RECOGNITION_DECISION})


def test_a_decision_extension_is_recorded_for_a_proposed_candidate_only():
    fact = Extension(kind=Extended.decision, on=RESOLUTION, by="CV 2")
    assert decide(fact) is None
    assert decide(fact, replace(HUY, decision_extended_on=RESOLUTION)) == Refusal(
        "extension_already", {"kind": "decision", "on": RESOLUTION, "sources": citations.ADMISSION_DECISION})
    assert decide(replace(fact, on=RESOLUTION - DAY)) == before(RESOLUTION - DAY, RESOLUTION, "resolution")
    for stage in set(Stage) - {Stage.proposed, Stage.probationary}:
        s = replace(HUY, stage=stage)
        assert decide(fact, s) == wrong_stage(s, Extension)


# ---- the new member's personal history ------------------------------------------------------------

def test_a_personal_history_is_dated_from_the_ceremony_or_from_becoming_probationary():
    today = date(2026, 1, 1)
    history = PersonalHistory(on=PROBATION_START)
    assert verify(ANH, history, today=today, actor_roles=SECRETARY) is None
    assert verify(ANH, PersonalHistory(on=PROBATION_START - DAY), today=today, actor_roles=SECRETARY) == before(
        PROBATION_START - DAY, PROBATION_START, "ceremony")
    no_ceremony = replace(ANH, ceremony_on=None, stage_since=date(2025, 9, 1))
    assert verify(no_ceremony, PersonalHistory(on=date(2025, 8, 31)), today=today, actor_roles=SECRETARY) == before(
        date(2025, 8, 31), date(2025, 9, 1), "ceremony")
    assert verify(no_ceremony, PersonalHistory(on=date(2025, 9, 1)), today=today, actor_roles=SECRETARY) is None
    assert verify(ANH, history, today=PROBATION_START - DAY, actor_roles=SECRETARY) == future(
        PROBATION_START, PROBATION_START - DAY)
    assert verify(ANH, history, today=PROBATION_START, actor_roles=SECRETARY) is None
    # before the ceremony there is no probation to date it from
    assert history_date_refusal(replace(DUC, ceremony_on=None), date(2000, 1, 1)) is None
    for stage in set(Stage) - {Stage.probationary}:
        s = replace(ANH, stage=stage)
        assert verify(s, history, today=today, actor_roles=SECRETARY) == wrong_stage(s, PersonalHistory)


def test_the_probation_starts_at_the_ceremony_or_for_a_member_without_one_when_they_became_probationary():
    assert ANH.probation_start == PROBATION_START
    assert replace(ANH, stage_since=date(2025, 9, 1)).probation_start == PROBATION_START
    assert replace(ANH, ceremony_on=None, stage_since=date(2025, 9, 1)).probation_start == date(2025, 9, 1)
    assert replace(DUC, ceremony_on=None).probation_start is None
    assert replace(DUC, ceremony_on=date(2026, 3, 1)).probation_start == date(2026, 3, 1)


# ---- the branch's vote on recognition (13-KNĐ) ---------------------------------------------------

PROBATION_END = date(2026, 8, 14)
RECOGNITION_FILE = {"CN-ĐVM": date(2026, 5, 1), "10-KNĐ": date(2026, 8, 1), "11-KNĐ": date(2026, 8, 2),
                    "12-KNĐ": date(2026, 8, 3)}
MAI = replace(ANH, recognition_resolution_on=None, file={**FILE, **RECOGNITION_FILE})
LATER = date(2026, 10, 1)


def recognise(fact, s: Subject = MAI, today: date = LATER, roles=SECRETARY):
    return verify(s, fact, today=today, actor_roles=roles)


@pytest.mark.parametrize("kind, votes", [(RecognitionVote, 4), (RecognitionVoteFailed, 3)])
def test_a_recognition_vote_from_the_end_of_probation_with_the_file_complete_is_recorded(kind, votes):
    fact = kind(on=PROBATION_END, votes_for=votes, official_members=5, typed=True)
    assert recognise(fact) is None
    assert recognise(fact, roles=DEPUTY) is None
    assert recognise(fact, today=PROBATION_END) is None
    assert recognise(fact, today=PROBATION_END - DAY) == future(PROBATION_END, PROBATION_END - DAY)
    assert recognise(replace(fact, on=PROBATION_END - DAY)) == Refusal("admission_probation_not_over", {
        "on": PROBATION_END - DAY, "probation_end": PROBATION_END, "sources": citations.PROBATION})
    assert recognise(fact, roles=frozenset({Role.sponsor})) == Refusal(
        "not_secretary_or_deputy", {"roles": (Role.sponsor,)})
    for stage in set(Stage) - {Stage.probationary}:
        s = replace(MAI, stage=stage)
        assert recognise(fact, s) == wrong_stage(s, kind)


@pytest.mark.parametrize("kind, votes", [(RecognitionVote, 4), (RecognitionVoteFailed, 3)])
def test_a_recognition_vote_is_recorded_once(kind, votes):
    fact = kind(on=PROBATION_END, votes_for=votes, official_members=5, typed=True)
    assert recognise(fact, replace(MAI, recognition_resolution_on=VOTED)) == Refusal(
        "admission_already_recorded", {"on": VOTED})


@pytest.mark.parametrize("kind, votes", [(RecognitionVote, 4), (RecognitionVoteFailed, 3)])
def test_a_recognition_vote_is_not_dated_before_the_last_change(kind, votes):
    moved = replace(MAI, stage_since=PROBATION_END + DAY)  # the ceremony kept, a later change recorded
    fact = kind(on=PROBATION_END, votes_for=votes, official_members=5, typed=True)
    assert recognise(fact, moved) == last_change(PROBATION_END, PROBATION_END + DAY)
    assert recognise(replace(fact, on=PROBATION_END + DAY), moved) is None


@pytest.mark.parametrize("kind, votes", [(RecognitionVote, 4), (RecognitionVoteFailed, 3)])
def test_a_recognition_vote_needs_the_recognition_file_dated_by_the_vote(kind, votes):
    fact = kind(on=PROBATION_END, votes_for=votes, official_members=5, typed=True)
    missing = replace(MAI, file={k: v for k, v in MAI.file.items() if k != "11-KNĐ"})
    assert recognise(fact, missing) == Refusal("recognition_file_incomplete", {
        "problems": [{"code": "item_missing", "v": {"item": "11-KNĐ"}}], "number": 8, "on": PROBATION_END,
        "sources": citations.RECOGNITION_FILE})
    late = replace(MAI, file={**MAI.file, "12-KNĐ": PROBATION_END + DAY})
    assert recognise(fact, late) == Refusal("recognition_file_incomplete", {
        "problems": [{"code": "item_after_meeting", "v": {"item": "12-KNĐ", "dated": PROBATION_END + DAY,
                                                          "on": PROBATION_END}}],
        "number": 8, "on": PROBATION_END, "sources": citations.RECOGNITION_FILE})
    assert recognise(fact, replace(MAI, file={**MAI.file, "12-KNĐ": PROBATION_END})) is None


@pytest.mark.parametrize("kind", [RecognitionVote, RecognitionVoteFailed])
def test_a_recognition_vote_counts_the_roster_or_a_confirmed_typed_count(kind):
    votes = 2 if kind is RecognitionVote else 1
    assert recognise(kind(on=PROBATION_END, votes_for=votes, official_members=3)) == Refusal(
        "members_unconfirmed", {"sources": citations.BRANCH_VOTE})
    kept = replace(MAI, roster=ROSTER)
    assert recognise(kind(on=PROBATION_END, votes_for=votes, official_members=3), kept) is None
    assert recognise(kind(on=PROBATION_END, votes_for=votes, official_members=2), kept) == Refusal(
        "members_not_roster", {"on": PROBATION_END, "counted": 3, "official_members": 2,
                               "sources": citations.BRANCH_VOTE})
    assert recognise(kind(on=PROBATION_END, votes_for=-1, official_members=3, typed=True)) == Refusal(
        "vote_count_negative", counts(-1, 3))
    assert recognise(kind(on=PROBATION_END, votes_for=4, official_members=3, typed=True)) == Refusal(
        "votes_exceed_members", counts(4, 3))
    assert recognise(kind(on=PROBATION_END, votes_for=0, official_members=0, typed=True)) == Refusal(
        "no_official_members", counts(0, 0))


def test_a_recognition_resolution_needs_two_thirds_of_the_official_members():
    for votes, members in ((2, 3), (4, 6), (6, 9)):
        assert recognise(RecognitionVote(on=PROBATION_END, votes_for=votes, official_members=members,
                                         typed=True)) is None
    assert recognise(RecognitionVote(on=PROBATION_END, votes_for=5, official_members=9, typed=True)) == Refusal(
        "vote_below_two_thirds", {"votes_for": 5, "official_members": 9, "votes_needed": 6})


def test_a_failed_recognition_vote_that_reaches_two_thirds_is_a_mistake_of_the_caller():
    for votes, members in ((2, 3), (6, 9), (5, 5)):
        with pytest.raises(ValueError, match=r"^a vote that reaches 2/3 is a RecognitionVote$"):
            recognise(RecognitionVoteFailed(on=PROBATION_END, votes_for=votes, official_members=members, typed=True))
    assert recognise(RecognitionVoteFailed(on=PROBATION_END, votes_for=4, official_members=5)) == Refusal(
        "members_unconfirmed", {"sources": citations.BRANCH_VOTE})
    assert recognise(RecognitionVoteFailed(on=PROBATION_END, votes_for=4, official_members=5, typed=True),
                     replace(MAI, recognition_resolution_on=VOTED)) == Refusal(
        "admission_already_recorded", {"on": VOTED})


def test_the_probation_is_checked_only_once_it_has_started():
    admitted = replace(DUC, file={**FILE, **RECOGNITION_FILE})
    assert recognition_vote_date_refusal(admitted, PROBATION_END) is None
    assert recognition_vote_date_refusal(MAI, PROBATION_END) is None
    assert recognition_vote_date_refusal(MAI, PROBATION_END - DAY).code == "admission_probation_not_over"


def test_a_recognition_vote_is_late_after_the_30th_working_day_after_the_probation():
    due = d.recognition_branch_due(PROBATION_START)
    assert due == date(2026, 9, 29)
    assert not recognition_vote_is_late(MAI, due)
    assert recognition_vote_is_late(MAI, due + DAY)
    assert not recognition_vote_is_late(replace(DUC, ceremony_on=None), date(2030, 1, 1))
    from models.workdays import WorkCalendar
    off = WorkCalendar(extra_days_off=frozenset({date(2026, 9, 15)}))
    assert not recognition_vote_is_late(MAI, due + DAY, off)
    assert recognition_vote_is_late(MAI, d.recognition_branch_due(PROBATION_START, off) + DAY, off)


# ---- the recognition file --------------------------------------------------------------------------

def test_the_recognition_file_names_each_missing_paper_and_how_to_record_it():
    bare = replace(MAI, file=FILE)
    assert recognition_file_refusal(bare, PROBATION_END) == Refusal("recognition_file_incomplete", {
        "problems": [{"code": "item_missing", "v": {"item": c}} for c in ("CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ")],
        "number": 8, "on": PROBATION_END, "sources": citations.RECOGNITION_FILE})
    assert recognition_file_refusal(MAI, PROBATION_END) is None


def test_a_paper_the_recognition_file_does_not_know_stops_nothing():
    odd = replace(MAI, file={**MAI.file, "99-KNĐ": date(2026, 1, 1)})
    assert recognition_file_problems(odd, PROBATION_END) == []


def test_the_new_member_certificate_is_the_later_of_the_class_s_and_the_typed_one():
    typed_out = {k: v for k, v in MAI.file.items() if k != "CN-ĐVM"}
    from_class = replace(MAI, file=typed_out, new_member_certificate_on=date(2026, 6, 1))
    assert recognition_file_problems(from_class, PROBATION_END) == []
    assert recognition_file_problems(from_class, date(2026, 5, 31)) == [
        Refusal("item_after_meeting", {"item": "CN-ĐVM", "dated": date(2026, 6, 1), "on": date(2026, 5, 31)}),
        Refusal("item_after_meeting", {"item": "10-KNĐ", "dated": date(2026, 8, 1), "on": date(2026, 5, 31)}),
        Refusal("item_after_meeting", {"item": "11-KNĐ", "dated": date(2026, 8, 2), "on": date(2026, 5, 31)}),
        Refusal("item_after_meeting", {"item": "12-KNĐ", "dated": date(2026, 8, 3), "on": date(2026, 5, 31)})]
    vote_day = date(2026, 8, 5)
    typed_later = replace(MAI, file={**MAI.file, "CN-ĐVM": date(2026, 8, 6)},
                          new_member_certificate_on=date(2026, 4, 1))
    assert recognition_file_problems(typed_later, vote_day) == [
        Refusal("item_after_meeting", {"item": "CN-ĐVM", "dated": date(2026, 8, 6), "on": vote_day})]
    class_later = replace(MAI, file={**MAI.file, "CN-ĐVM": date(2026, 4, 1)},
                          new_member_certificate_on=date(2026, 8, 6))
    assert recognition_file_problems(class_later, vote_day) == [
        Refusal("item_after_meeting", {"item": "CN-ĐVM", "dated": date(2026, 8, 6), "on": vote_day})]
    assert recognition_file_problems(replace(class_later, new_member_certificate_on=date(2026, 8, 5)), vote_day) == []


# ---- the committee's recognition (16-KNĐ): probationary → official ---------------------------------

def test_a_recognition_follows_the_branch_s_vote():
    today = date(2026, 10, 1)
    assert verify(ANH, Recognition(on=VOTED, number="16"), today=today, actor_roles=SECRETARY) is None
    assert verify(ANH, Recognition(on=VOTED - DAY, number="16"), today=today, actor_roles=SECRETARY) == before(
        VOTED - DAY, VOTED, "recognition_resolution")
    assert verify(replace(ANH, recognition_resolution_on=None), Recognition(on=VOTED, number="16"), today=today,
                  actor_roles=SECRETARY) == Refusal("admission_no_recognition_vote", {})
    moved = replace(ANH, stage_since=VOTED + DAY)
    assert verify(moved, Recognition(on=VOTED, number="16"), today=today, actor_roles=SECRETARY) == last_change(
        VOTED, VOTED + DAY)
    assert verify(ANH, Recognition(on=VOTED, number="16"), today=VOTED - DAY, actor_roles=SECRETARY) == future(
        VOTED, VOTED - DAY)
    assert verify(ANH, Recognition(on=VOTED, number="16"), today=VOTED, actor_roles=SECRETARY) is None
    assert recognition_date_refusal(replace(ANH, recognition_resolution_on=None), PROBATION_START - DAY) == (
        last_change(PROBATION_START - DAY, PROBATION_START))
    for stage in set(Stage) - {Stage.probationary}:
        s = replace(ANH, stage=stage)
        assert verify(s, Recognition(on=VOTED, number="16"), today=today, actor_roles=SECRETARY) == wrong_stage(
            s, Recognition)


# ---- striking off and transfer -------------------------------------------------------------------

def test_a_probationary_member_is_struck_off_with_a_reason_from_the_last_change():
    today = date(2026, 1, 1)
    assert verify(ANH, StrikeOff(on=PROBATION_START, reason="Vi phạm"), today=today, actor_roles=SECRETARY) is None
    assert verify(ANH, StrikeOff(on=PROBATION_START - DAY, reason="Vi phạm"), today=today,
                  actor_roles=SECRETARY) == last_change(PROBATION_START - DAY, PROBATION_START)
    assert verify(ANH, StrikeOff(on=today, reason=" "), today=today, actor_roles=SECRETARY) == Refusal(
        "reason_required", {"from_stage": Stage.probationary, "to_stage": Stage.removed})
    assert verify(ANH, StrikeOff(on=today + DAY, reason="Vi phạm"), today=today, actor_roles=SECRETARY) == future(
        today + DAY, today)
    assert strike_date_refusal(ANH, PROBATION_START) is None
    for stage in set(Stage) - {Stage.probationary}:
        s = replace(ANH, stage=stage)
        assert verify(s, StrikeOff(on=today, reason="x"), today=today, actor_roles=SECRETARY) == wrong_stage(
            s, StrikeOff)


def test_a_transfer_is_recorded_from_each_stage_that_may_hand_the_file_over():
    assert set(TRANSFER_STAGES) == {Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier,
                                    Stage.proposed, Stage.probationary}
    fact = Transfer(on=ON, destination="Chi bộ Toán", note="tốt nghiệp")
    for stage in Stage:
        s = replace(LAN, stage=stage)
        found = verify(s, fact, today=ON, actor_roles=SECRETARY)
        assert found == (None if stage in TRANSFER_STAGES else wrong_stage(s, Transfer)), stage
    assert verify(LAN, replace(fact, on=LAN.stage_since - DAY), today=ON, actor_roles=SECRETARY) == last_change(
        LAN.stage_since - DAY, LAN.stage_since)
    assert verify(LAN, replace(fact, on=LAN.stage_since), today=ON, actor_roles=SECRETARY) is None
    assert verify(LAN, fact, today=ON - DAY, actor_roles=SECRETARY) == future(ON, ON - DAY)
    assert verify(LAN, Transfer(on=ON, destination=" "), today=ON, actor_roles=SECRETARY) == Refusal(
        "reason_required", {"from_stage": Stage.dossier, "to_stage": Stage.transferred})


def test_a_transfer_s_reason_holds_at_most_500_characters():
    assert REASON_MAX == 500
    full = Transfer(on=ON, destination="Chi bộ A", note="x" * (500 - len("Chi bộ A: ")))
    assert len(full.reason) == 500
    assert verify(LAN, full, today=ON, actor_roles=SECRETARY) is None
    over = replace(full, note=full.note + "y")
    assert verify(LAN, over, today=ON, actor_roles=SECRETARY) == Refusal(
        "transfer_too_long", {"max_len": 500, "length": 501})
    assert verify(LAN, Transfer(on=ON, destination="D" * 501), today=ON, actor_roles=SECRETARY) == Refusal(
        "transfer_too_long", {"max_len": 500, "length": 501})
    assert transfer_note_room("Chi bộ A") == 500 - 8 - 2
    assert transfer_note_room("") == 498


def test_a_transfer_s_reason_is_where_then_the_note():
    assert Transfer(on=ON, destination="Chi bộ Toán", note="tốt nghiệp").reason == "Chi bộ Toán: tốt nghiệp"
    assert Transfer(on=ON, destination="Chi bộ Toán").reason == "Chi bộ Toán"
    assert Transfer(on=ON, destination="Chi bộ Toán", note="").reason == "Chi bộ Toán"


def test_who_may_not_be_transferred_is_told_why():
    assert transfer_refusal(replace(LAN, stage=Stage.transferred)) == Refusal("same_stage",
                                                                              {"stage": Stage.transferred})
    assert transfer_refusal(replace(LAN, stage=Stage.admitted)) == Refusal("transition_not_allowed", {
        "from_stage": Stage.admitted, "to_stage": Stage.transferred, "allowed": (Stage.probationary,)})
    assert transfer_refusal(replace(LAN, stage=Stage.removed)) == Refusal("transition_not_allowed", {
        "from_stage": Stage.removed, "to_stage": Stage.transferred, "allowed": (Stage.source,)})
    assert transfer_refusal(replace(LAN, stage=Stage.official)) == Refusal("transition_not_allowed", {
        "from_stage": Stage.official, "to_stage": Stage.transferred, "allowed": ()})
    for stage in TRANSFER_STAGES:
        assert transfer_refusal(replace(LAN, stage=stage)) is None
    assert transfer_date_refusal(LAN, LAN.stage_since) is None
    assert transfer_date_refusal(LAN, LAN.stage_since - DAY) == last_change(LAN.stage_since - DAY, LAN.stage_since)


# ---- the stage change each fact makes ---------------------------------------------------------------

def test_each_fact_moves_the_stage_it_records_on_its_day_with_its_reason():
    assert moves_to(BranchVote(on=ON, votes_for=4, official_members=5)) == (Stage.proposed, ON, None)
    assert moves_to(BranchVoteFailed(on=ON, votes_for=3, official_members=5)) is None
    assert moves_to(Decision(on=ON, number="9", received_on=ON + DAY)) == (Stage.admitted, ON + DAY, None)
    assert moves_to(DecisionRefused(on=ON, reason="Chưa đủ")) == (Stage.dossier, ON, "Chưa đủ")
    assert moves_to(Ceremony(on=ON, consent="CV 1", consent_on=ON)) == (Stage.probationary, ON, "CV 1")
    assert moves_to(Ceremony(on=ON)) == (Stage.probationary, ON, None)
    assert moves_to(Extension(kind=Extended.decision, on=ON, by="CV")) is None
    assert moves_to(PersonalHistory(on=ON)) is None
    assert moves_to(RecognitionVote(on=ON, votes_for=4, official_members=5)) is None
    assert moves_to(RecognitionVoteFailed(on=ON, votes_for=3, official_members=5)) is None
    assert moves_to(Recognition(on=ON, number="16")) == (Stage.official, ON, None)
    assert moves_to(StrikeOff(on=ON, reason="Vi phạm")) == (Stage.removed, ON, "Vi phạm")
    assert moves_to(Transfer(on=ON, destination="Chi bộ B", note="n")) == (Stage.transferred, ON, "Chi bộ B: n")


def test_each_fact_applies_at_its_own_stages():
    assert APPLIES_AT == {
        BranchVote: (Stage.dossier,), BranchVoteFailed: (Stage.dossier,), Decision: (Stage.proposed,),
        DecisionRefused: (Stage.proposed,), Ceremony: (Stage.admitted,), PersonalHistory: (Stage.probationary,),
        RecognitionVote: (Stage.probationary,), RecognitionVoteFailed: (Stage.probationary,),
        Recognition: (Stage.probationary,), StrikeOff: (Stage.probationary,), Transfer: TRANSFER_STAGES,
        Extension: (Stage.proposed, Stage.probationary)}


class Petition:
    """Not a fact chibo knows."""

    on = ON


def test_a_fact_chibo_does_not_know_is_a_mistake_of_the_caller():
    with pytest.raises(TypeError, match="Petition"):
        _fact_refusal(LAN, Petition())


# ---- the deadlines ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, prop", [
    ("decision_due", "decision_overdue"), ("ceremony_due", "ceremony_overdue"), ("history_due", "history_overdue"),
    ("recognition_due", "recognition_overdue"), ("recognition_decision_due", "recognition_decision_overdue")])
def test_a_deadline_is_overdue_from_the_day_after_it(name, prop):
    due = date(2026, 5, 12)
    assert not getattr(KeyDates(today=due, **{name: due}), prop)
    assert getattr(KeyDates(today=due + DAY, **{name: due}), prop)
    assert not getattr(KeyDates(today=due - DAY, **{name: due}), prop)
    assert not getattr(KeyDates(today=due + DAY), prop)  # not known yet
    others = {n: due - DAY for n in ("decision_due", "ceremony_due", "history_due", "recognition_due",
                                     "recognition_decision_due") if n != name}
    assert not getattr(KeyDates(today=due, **{name: due}, **others), prop)
    assert KeyDates(today=due, **{name: due}).overdue(name) is False
    assert KeyDates(today=due + DAY, **{name: due}).overdue(name) is True


def test_the_probation_is_over_on_its_last_day():
    end = PROBATION_END
    assert KeyDates(today=end, probation_end=end).probation_over
    assert KeyDates(today=end + DAY, probation_end=end).probation_over
    assert not KeyDates(today=end - DAY, probation_end=end).probation_over
    assert not KeyDates(today=end).probation_over


def test_key_dates_of_a_probationary_member_without_a_ceremony_count_from_becoming_one():
    s = replace(ANH, ceremony_on=None, stage_since=date(2025, 9, 1), recognition_resolution_on=None)
    found = key_dates(s, date(2026, 1, 1))
    assert (found.probation_end, found.history_due, found.recognition_due) == (
        date(2026, 9, 1), d.personal_history_due(date(2025, 9, 1)), d.recognition_branch_due(date(2025, 9, 1)))
    assert (found.decision_due, found.ceremony_due, found.recognition_decision_due, found.party_age) == (
        None, None, None, None)
    assert key_dates(replace(s, decision_on=date(2026, 1, 2)), date(2026, 1, 1)).party_age is None


# ---- the subject as a conversation keeps it -----------------------------------------------------------

def test_a_subject_comes_back_whole_from_json_with_every_date_and_a_member_who_left():
    gone = Standing(MemberStatus.official, date(2011, 1, 1), date(2025, 12, 31))
    full = Subject(id=9, number=21, full_name="Vũ Thị Hà", branch_id=3, stage=Stage.probationary,
                   stage_since=date(2025, 3, 3), birth_date=date(1995, 7, 7), youth_union=True, trade_union_route=True,
                   certificate_on=date(2024, 5, 6), new_member_certificate_on=date(2025, 6, 6),
                   resolution_on=date(2025, 1, 6), votes_for=7, official_members=9, decision_on=date(2025, 2, 3),
                   decision_number="9-QĐ", decision_received_on=date(2025, 2, 10),
                   decision_extended_on=date(2025, 1, 20), ceremony_on=date(2025, 3, 3),
                   personal_history_on=date(2025, 4, 1), recognition_resolution_on=date(2026, 3, 9),
                   recognition_votes_for=8, recognition_members=9, recognition_extended_on=date(2026, 3, 16),
                   file={"1-KNĐ": date(2024, 12, 1)}, file_applies=("4-KNĐ",), version="2021",
                   roster=(gone, Standing(MemberStatus.probationary, date(2025, 3, 3))),
                   introducers=(Introduction(5, "Lý Văn Tâm", gone, date(2019, 1, 1)),))
    raw = full.to_json()
    assert raw["stage"] == "probationary" and type(raw["stage"]) is str
    assert raw["birth_date"] == "1995-07-07" and raw["personal_history_on"] == "2025-04-01"
    assert raw["roster"] == [["official", "2011-01-01", "2025-12-31"], ["probationary", "2025-03-03", None]]
    assert raw["introducers"] == [[5, "Lý Văn Tâm", "official", "2011-01-01", "2025-12-31", "2019-01-01"]]
    assert raw["file"] == {"1-KNĐ": "2024-12-01"} and raw["file_applies"] == ["4-KNĐ"]
    import json
    assert Subject.from_json(json.loads(json.dumps(raw))) == full
    bare = Subject(id=1, number=1, full_name="A", branch_id=1, stage=Stage.source, stage_since=date(2026, 1, 1),
                   birth_date=date(2000, 1, 1))
    assert bare.to_json()["certificate_on"] is None
    assert Subject.from_json(json.loads(json.dumps(bare.to_json()))) == bare
    assert Subject.from_json({k: v for k, v in bare.to_json().items()
                              if k not in ("file", "file_applies", "roster", "introducers")}) == bare


def test_a_subject_has_a_roster_only_when_the_branch_keeps_one():
    assert not LAN.has_roster and LAN.official_members_on(ON) is None
    kept = replace(LAN, roster=ROSTER)
    assert kept.has_roster
    assert (kept.official_members_on(ON - DAY), kept.official_members_on(ON)) == (2, 3)


# ---- the file as the branch votes on it: what applies to this person, and in which version ----------

def test_the_union_s_resolution_is_needed_where_it_applies_to_the_person():
    union = replace(LAN, file_applies=("4-KNĐ",))
    assert vote(BranchVote(on=ON, votes_for=4, official_members=5, typed=True), union) == Refusal(
        "vote_file_incomplete", {"problems": [{"code": "item_missing", "v": {"item": "4-KNĐ"}}], "number": 6,
                                 "on": ON, "sources": citations.ADMISSION_FILE})
    assert vote(BranchVote(on=ON, votes_for=4, official_members=5, typed=True),
                replace(union, file={**FILE, "4-KNĐ": date(2026, 1, 16)})) is None


def test_on_the_trade_union_route_one_member_introduces_beside_the_union():
    route = replace(LAN, trade_union_route=True, roster=ROSTER, introducers=INTRODUCERS[:1], file_applies=("4-KNĐ",),
                    file={**FILE, "4-KNĐ": date(2026, 1, 16)})
    fact = BranchVote(on=ON, votes_for=2, official_members=3)
    assert vote(fact, route) is None
    assert vote(fact, replace(route, introducers=())) == Refusal("vote_file_incomplete", {
        "problems": [{"code": "introducers_missing", "v": {"required": 1, "recorded": 0, "youth_union_member": False,
                                                           "union": "trade_union"}}],
        "number": 6, "on": ON, "sources": citations.ADMISSION_FILE})


def test_before_the_day_is_known_a_missing_certificate_is_named_with_the_missing_papers():
    bare = replace(LAN, file={k: v for k, v in FILE.items() if k not in ("CN-NTVĐ", "2-KNĐ")})
    assert file_refusal(bare) == Refusal("vote_file_incomplete", {
        "problems": [{"code": "no_certificate", "v": {}}, {"code": "item_missing", "v": {"item": "2-KNĐ"}}],
        "number": 6, "on": None, "sources": citations.ADMISSION_FILE})


def test_a_file_is_read_against_the_checklist_of_the_version_it_was_started_under(monkeypatch):
    """A dossier keeps the version it was started under (models.dossier_items.VERSIONS): a file
    started under an older checklist without 5-KNĐ and 12-KNĐ is complete without them."""
    from models import dossier_items
    older = tuple(i for i in dossier_items.ITEMS_12_HD_2022 if i.code not in ("5-KNĐ", "12-KNĐ"))
    monkeypatch.setitem(dossier_items.VERSIONS, "older", older)
    fact = BranchVote(on=ON, votes_for=4, official_members=5, typed=True)
    without = replace(LAN, file={k: v for k, v in FILE.items() if k != "5-KNĐ"})
    assert vote(fact, replace(without, version="older")) is None
    assert vote(fact, without).code == "vote_file_incomplete"
    recognition = replace(MAI, file={k: v for k, v in MAI.file.items() if k != "12-KNĐ"})
    assert recognition_file_problems(replace(recognition, version="older"), PROBATION_END) == []
    assert recognition_file_problems(recognition, PROBATION_END) == [Refusal("item_missing", {"item": "12-KNĐ"})]


def test_the_recognition_file_asks_only_for_the_recognition_papers():
    """A member recorded in chibo after their admission has no admission file here: their
    recognition file is complete with the certificate and 10-KNĐ..12-KNĐ alone."""
    assert recognition_file_problems(replace(MAI, file=RECOGNITION_FILE), PROBATION_END) == []


def test_a_transfer_from_a_stage_that_hands_nothing_over_is_refused_for_its_stage_whatever_its_day():
    """The fact's own check (verify refuses the stage before it): the stage, not the day."""
    admitted = replace(DUC, stage_since=ON - DAY)
    assert _fact_refusal(admitted, Transfer(on=ON, destination="Chi bộ B")) == Refusal("transition_not_allowed", {
        "from_stage": Stage.admitted, "to_stage": Stage.transferred, "allowed": (Stage.probationary,)})
