"""/hoantac: take back a removal, a review decision or an enrolment made by mistake — by its
author on the same day, by the branch's secretary at any time (models/undo.py)."""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.engine.engine import key_text
from bot.engine.fields import Field, Invalid, match_choice
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.events import Choice, Reply
from bot.render import text_of
from handlers.shared.branches import candidate_branch
from handlers.shared.refs import ref_for
from models.audit import audit
from models.candidate import Candidate, candidate_ref, candidate_within
from models.org import org_codes
from models.policy import Action, candidate_scope, roles_in, sees_several_branches
from models.text import tidy
from models.undo import (
    UNDO_ACTION, Undoable, UndoableAction, blocker, latest_actions, undo, who_may_undo,
)

ID = "undo:"  # a choice's value: "undo:12", the action's id


async def _why_not(ctx: Context, action: UndoableAction, branch_id: int) -> str | None:
    """Why this person may not take the action back now (the rule, then what depends on it), or None."""
    why = who_may_undo(done_by=action.by_person_id, done_on=action.on, actor_id=ctx.actor.person_id,
                       actor_roles=roles_in(ctx.actor, branch_id), today=ctx.today)
    if why is None:
        stop = await blocker(session=ctx.session, action=action)
        why = stop.code if stop else None
    return why


async def _sorted(ctx: Context) -> tuple[list[Undoable], list[tuple[Undoable, str]]]:
    """The branch's latest actions this person may take back now, and those they may not (why)."""
    found = await latest_actions(session=ctx.session, where=candidate_scope(ctx.actor, Action.undo))
    offered, refused = [], []
    for u in found:
        why = await _why_not(ctx, u.action, u.candidate.branch_id)
        if why is None:
            offered.append(u)
        else:
            refused.append((u, why))
    return offered, refused


def _values(u: Undoable) -> dict[str, Any]:
    """What the words about one action need (messages/vi/undo/what.j2)."""
    a, c = u.action, u.candidate
    return {"kind": str(a.kind), "number": c.number, "full_name": c.full_name, "on": a.on, "by": u.by,
            "from_stage": str(a.from_stage) if a.from_stage else None,
            "to_stage": str(a.to_stage) if a.to_stage else None, "since_before": a.since_before,
            "reason": u.reason, "class_title": u.class_title,
            "period": a.review_period or a.survey_period}


async def _keys(ctx: Context, people: list[Undoable]) -> dict[int, str]:
    if not people or not sees_several_branches(ctx.actor, Action.undo):
        return {}
    return await org_codes(session=ctx.session, ids={u.candidate.branch_id for u in people})


async def _choices(ctx: Context, offered: list[Undoable]) -> tuple[Choice, ...]:
    codes = await _keys(ctx, offered)
    return tuple(Choice(text_of("undo/what", v=_values(u), line=True), f"{ID}{u.action.id}",
                        key=candidate_ref(codes.get(u.candidate.branch_id), u.candidate.number))
                 for u in offered)


@dataclass(frozen=True)
class UndoField(Field):
    """One of the actions offered, named by the candidate's register number (each candidate's
    latest action only, so the number means one thing), or by words of the line."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "undo_unknown")

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        offered, _ = await _sorted(ctx)
        return await _choices(ctx, offered)

    async def resolve(self, text: str, ctx: Any) -> Any:
        offered, _ = await _sorted(ctx)
        choices = await _choices(ctx, offered)
        typed = tidy(text)
        if not typed:
            return Invalid("empty", choices=choices)
        by_key = [c.value for c in choices if key_text(c.key) == key_text(typed)]  # "/hoantac 7"
        value = typed if any(c.value == typed for c in choices) else (by_key or [None])[0]
        value = value or match_choice(typed, choices)
        if value is None:
            return Invalid("undo_unknown", {"text": typed[:50]}, choices=choices)
        u = next(u for u in offered if f"{ID}{u.action.id}" == value)
        return {"id": u.action.id, "branch_id": u.candidate.branch_id, **_values(u)}

    def show(self, value: Any) -> str:
        return text_of("undo/what", v=value, line=False)

    def dump(self, value: Any) -> Any:
        return {**value, "on": value["on"].isoformat(),
                "since_before": value["since_before"].isoformat() if value["since_before"] else None}

    def load(self, raw: Any) -> Any:
        return {**raw, "on": date.fromisoformat(raw["on"]),
                "since_before": date.fromisoformat(raw["since_before"]) if raw["since_before"] else None}


async def begin(ctx: Context, args: str) -> Start:
    offered, refused = await _sorted(ctx)
    blocked = [{**_values(u), "why": why} for u, why in refused]
    if not offered:
        return Start(replies=(Reply("undo/nothing", {"blocked": blocked}),), proceed=False)
    if blocked:
        return Start(replies=(Reply("undo/blocked_list", {"blocked": blocked}),))
    return Start()


async def facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """The branch (for a person of several) and what undoing puts back, for the confirmation."""
    branch = await candidate_branch(Action.undo, step="action")(ctx, answers)
    return {**branch, "undo": UndoField().dump(answers["action"])}


async def check(ctx: Context, answers: Answers) -> Invalid | None:
    """Still this person's to take back, and nothing since depends on it."""
    action = await ctx.session.get(UndoableAction, answers["action"]["id"])
    candidate = await candidate_within(session=ctx.session, where=candidate_scope(ctx.actor, Action.undo),
                                       candidate_id=action.candidate_id)
    why = await _why_not(ctx, action, candidate.branch_id) if candidate else "not_author"
    return Invalid("undo_blocked", {"why": why}) if why else None


async def done(ctx: Context, answers: Answers) -> list[Reply]:
    action = await ctx.session.get(UndoableAction, answers["action"]["id"])
    await undo(session=ctx.session, action=action, by_person_id=ctx.actor.person_id, now=ctx.now, today=ctx.today)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=UNDO_ACTION,
          subject=f"candidate:{action.candidate_id}")
    candidate = await ctx.session.get(Candidate, action.candidate_id)
    return [Reply("undo/done", {"v": answers["action"], "ref": await ref_for(ctx, candidate)})]


flow = Flow(
    name="undo",
    commands=("/hoantac",),
    action=Action.undo,
    help="help/hoantac",
    start=begin,
    steps=(Ask("action", "undo/ask_action", UndoField(), label="undo/label_action"),),
    confirm="undo/confirm",
    facts=facts,
    check=check,
    done=done,
)

routes = [flow]
