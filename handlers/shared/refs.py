"""How a reply names a candidate for the next command (/xem, /sua): the register number, or the
reference "TP-2" for a person who sees several branches, where "/xem 2" could open someone of
another branch (issue 12: a number means one thing)."""

from bot.engine.flow import Context
from models.candidate import Candidate, Registered, candidate_ref
from models.org import org_codes
from models.policy import Action, sees_several_branches


async def ref_for(ctx: Context, candidate: Candidate | Registered, action: Action = Action.view_candidate) -> str:
    if not (sees_several_branches(ctx.actor, action) or sees_several_branches(ctx.actor, Action.view_candidate)):
        return str(candidate.number)
    codes = await org_codes(session=ctx.session, ids={candidate.branch_id})
    return candidate_ref(codes.get(candidate.branch_id), candidate.number)
