"""/toi: a candidate sees where they stand — stage, sponsor, next step, class, dossier — and nothing else."""

from dataclasses import replace

from bot.events import Reply
from bot.engine.flow import Command, Context
from bot.render import text_of
from models.audit import audit
from models.overview import candidate_status, own_candidate
from models.policy import Action, candidate_scope
from models.privacy import name_or_initials, shows_names


async def show_me(ctx: Context, args: str) -> list[Reply]:
    candidate = await own_candidate(session=ctx.session, where=candidate_scope(ctx.actor, Action.my_status))
    if candidate is None:
        return [Reply("me/not_found")]
    status = await candidate_status(session=ctx.session, candidate=candidate, today=ctx.today)
    if not await shows_names(ctx.session, candidate.branch_id, ctx.incoming.channel):  # initials only there
        status = replace(status, full_name=name_or_initials(status.full_name, False),
                         sponsor=name_or_initials(status.sponsor, False))
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.my_status,
          subject=f"candidate:{candidate.id}")
    return [Reply("me/status", {
        "s": status, "step": status.step,
        "needs": [text_of(f"refusal/{r.code}", **r.values) for r in status.dossier_needs],
        "notices": [text_of(f"refusal/{n.code}", **n.values) for n in status.dossier_notices],
    })]


me_command = Command(name="me", commands=("/toi",), action=Action.my_status, help="help/toi", run=show_me)

routes = [me_command]
