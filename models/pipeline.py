"""The stage machine (DOMAIN.md "The pipeline") and the branch's 2/3 vote."""

from collections.abc import Iterable
from datetime import date

from models.rules import VOTE_DENOMINATOR, VOTE_NUMERATOR, Refusal
from models.stage import Role, Stage

S = Stage

# Candidates still moving along the pipeline (the branch has something to do for them).
ACTIVE_STAGES: frozenset[Stage] = frozenset({
    S.source, S.sympathizer, S.awareness_class, S.dossier, S.proposed, S.admitted, S.probationary,
})
# Before the committee's admission decision: the branch may still drop or hand over the person.
PRE_ADMISSION_STAGES: frozenset[Stage] = frozenset({
    S.source, S.sympathizer, S.awareness_class, S.dossier, S.proposed,
})
MEMBER_STAGES: frozenset[Stage] = frozenset({S.probationary, S.official})
CLOSED_STAGES: frozenset[Stage] = frozenset(Stage) - ACTIVE_STAGES

# Who may change a stage: the secretary or deputy of the candidate's own branch.
STAGE_CHANGERS: frozenset[Role] = frozenset({Role.secretary, Role.deputy})

# The table, forward steps first. Judgement calls:
# - removal ("at any monthly or quarterly review") from every pre-admission stage;
#   a probationary member may be struck off (xóa tên); nobody leaves `admitted` but by the ceremony;
# - transfer from every pre-admission stage (the file is handed over) and for a probationary
#   member (member transfer, 294-QĐ/TW 6.3); `admitted` waits for its ceremony here;
# - back steps: a failed or absent class goes back to sympathizer, a refused proposal back to
#   dossier, a removed person may come back as a source;
# - official and transferred are final: a transferred person starts anew at the new branch.
TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    S.source: frozenset({S.sympathizer, S.removed, S.transferred}),
    S.sympathizer: frozenset({S.awareness_class, S.removed, S.transferred}),
    S.awareness_class: frozenset({S.dossier, S.sympathizer, S.removed, S.transferred}),
    S.dossier: frozenset({S.proposed, S.removed, S.transferred}),
    S.proposed: frozenset({S.admitted, S.dossier, S.removed, S.transferred}),
    S.admitted: frozenset({S.probationary}),
    S.probationary: frozenset({S.official, S.removed, S.transferred}),
    S.official: frozenset(),
    S.removed: frozenset({S.source}),
    S.transferred: frozenset(),
}

# Changes that must say why (kept with the change): removals, transfers and back steps.
REASON_REQUIRED: frozenset[tuple[Stage, Stage]] = frozenset(
    {(f, S.removed) for f, tos in TRANSITIONS.items() if S.removed in tos}
    | {(f, S.transferred) for f, tos in TRANSITIONS.items() if S.transferred in tos}
    | {(S.awareness_class, S.sympathizer), (S.proposed, S.dossier)}
)


def allowed_next(stage: Stage) -> frozenset[Stage]:
    return TRANSITIONS[Stage(stage)]


def check_transition(
    from_stage: Stage, to_stage: Stage, *, actor_roles: Iterable[Role], on: date, today: date,
    last_change_on: date | None = None, reason: str | None = None,
) -> Refusal | None:
    """None if this change may be recorded, else the first reason it may not.

    `actor_roles` are the actor's roles in the candidate's own branch; `on` is the day the
    decision was taken (back-dating is fine, but never after `today` nor before the
    candidate's previous change `last_change_on`).
    """
    from_stage, to_stage = Stage(from_stage), Stage(to_stage)
    roles = frozenset(Role(r) for r in actor_roles)
    if not roles & STAGE_CHANGERS:
        return Refusal("not_secretary_or_deputy", {"roles": tuple(sorted(roles))})
    if from_stage == to_stage:
        return Refusal("same_stage", {"stage": from_stage})
    if to_stage not in TRANSITIONS[from_stage]:
        allowed = tuple(s for s in Stage if s in TRANSITIONS[from_stage])
        return Refusal("transition_not_allowed",
                       {"from_stage": from_stage, "to_stage": to_stage, "allowed": allowed})
    if on > today:
        return Refusal("date_in_future", {"on": on, "today": today})
    if last_change_on is not None and on < last_change_on:
        return Refusal("before_last_change", {"on": on, "last_change_on": last_change_on})
    if (from_stage, to_stage) in REASON_REQUIRED and not (reason and reason.strip()):
        return Refusal("reason_required", {"from_stage": from_stage, "to_stage": to_stage})
    return None


def votes_needed(official_members: int) -> int:
    """The smallest number of votes for that passes: ⌈2/3 × official members⌉."""
    return -(-VOTE_NUMERATOR * official_members // VOTE_DENOMINATOR)


def vote_passes(votes_for: int, official_members: int) -> bool:
    """At least 2/3 of the branch's official members, not of those present (integer test)."""
    refusal = check_vote_counts(votes_for, official_members)
    if refusal is not None:
        raise ValueError(refusal.code)
    return VOTE_DENOMINATOR * votes_for >= VOTE_NUMERATOR * official_members


def check_vote_counts(votes_for: int, official_members: int, present: int | None = None) -> Refusal | None:
    """Are the recorded counts possible at all?"""
    counts = {"votes_for": votes_for, "official_members": official_members, "present": present}
    if votes_for < 0 or official_members < 0 or (present is not None and present < 0):
        return Refusal("vote_count_negative", counts)
    if official_members == 0:
        return Refusal("no_official_members", counts)
    if votes_for > official_members:
        return Refusal("votes_exceed_members", counts)
    if present is not None and present > official_members:
        return Refusal("present_exceed_members", counts)
    if present is not None and votes_for > present:
        return Refusal("votes_exceed_present", counts)
    return None


def check_vote(votes_for: int, official_members: int, present: int | None = None) -> Refusal | None:
    """None if the branch's resolution passes; else why the counts are wrong or too few."""
    refusal = check_vote_counts(votes_for, official_members, present)
    if refusal is not None:
        return refusal
    if not vote_passes(votes_for, official_members):
        return Refusal("vote_below_two_thirds", {
            "votes_for": votes_for, "official_members": official_members,
            "votes_needed": votes_needed(official_members),
        })
    return None
