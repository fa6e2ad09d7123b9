"""The branch a write is for, named on its confirmation when the person works in several.

A flow that picks a candidate writes for the candidate's branch; a secretary of two branches
sees which one before saving (the question for flows that pick no candidate is BranchField)."""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.engine.flow import Answers, Context
from models.candidate import Candidate
from models.org import Organisation
from models.policy import Action, branch_grants


def works_in_several(ctx: Context, action: Action) -> bool:
    return len({g.org_id for g in branch_grants(ctx.actor, action)}) > 1


Facts = Callable[[Context, Answers], Awaitable[dict[str, Any]]]


def candidate_branch(action: Action, step: str = "candidate") -> Facts:
    """A flow's `facts`: {"branch": name} of the candidate picked at `step`, for a person of several branches."""

    async def facts(ctx: Context, answers: Answers) -> dict[str, Any]:
        if not works_in_several(ctx, action) or step not in answers:
            return {}
        value = answers[step]  # a picked candidate: an object or a dict with branch_id, or an id
        if isinstance(value, list):  # several picked at once: all of one branch's candidates
            value = value[0]
        if isinstance(value, Mapping):
            branch_id, candidate_id = value.get("branch_id"), value.get("id")
        else:
            branch_id, candidate_id = getattr(value, "branch_id", None), value
        if branch_id is None:
            branch_id = (await ctx.session.get(Candidate, candidate_id)).branch_id
        return {"branch": (await ctx.session.get(Organisation, branch_id)).name}

    return facts
