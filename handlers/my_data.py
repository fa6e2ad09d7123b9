"""/dulieu: a linked candidate sees what chibo holds about them and asks to correct it, to
withdraw their consent, or to erase it. The request is kept with its day; the branch's
secretary and deputies are told; it is to be acknowledged within 2 working days and acted on
within 15 (models/consent.py). A withdrawal takes effect at once: from the next message the
person sees only the notice again."""

import sqlalchemy as sa
from sqlmodel import select

from bot.events import Reply
from bot.engine.fields import ChoiceField, TextField
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from models.audit import audit
from models.candidate import Candidate
from models.consent import DataRequest, RequestKind, consents_of, new_request, withdraw
from models.org import Organisation
from models.outbox import Due, enqueue
from models.overview import own_candidate
from models.people import Person, RoleGrant
from models.policy import Action, candidate_scope
from models.reminders import OFFICERS


async def _mine(ctx: Context) -> Candidate | None:
    return await own_candidate(session=ctx.session, where=candidate_scope(ctx.actor, Action.my_data))


async def start(ctx: Context, args: str) -> Start:
    candidate = await _mine(ctx)
    if candidate is None:
        return Start(proceed=False, replies=(Reply("data/none"),))
    branch = await ctx.session.get(Organisation, candidate.branch_id)
    sponsor = await ctx.session.get(Person, candidate.sponsor_id) if candidate.sponsor_id else None
    consents = [c for c in await consents_of(ctx.session, candidate.id) if c.withdrawn_at is None]
    open_requests = list(await ctx.session.exec(select(DataRequest).where(
        DataRequest.candidate_id == candidate.id, DataRequest.done_on.is_(None)).order_by(DataRequest.id)))
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.my_data,
          subject=f"candidate:{candidate.id}")
    return Start(replies=(Reply("data/summary", {
        "c": candidate, "branch": branch.name, "sponsor": sponsor.full_name if sponsor else None,
        "consents": consents, "requests": [{"kind": r.kind, "made_on": r.made_on, "acknowledge_by": r.acknowledge_by,
                      "act_by": r.act_by} for r in open_requests]}),))


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await _mine(ctx)
    kind = RequestKind(answers["request"])
    request = new_request(session=ctx.session, candidate_id=candidate.id, person_id=ctx.actor.person_id,
                          kind=kind, detail=answers.get("detail") if kind == RequestKind.correct else None,
                          today=ctx.today, now=ctx.now)
    if kind == RequestKind.withdraw:
        await withdraw(ctx.session, candidate.id, ctx.now)
    await ctx.session.flush()
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=f"data.request.{kind.value}",
          subject=f"candidate:{candidate.id}")
    officers = list((await ctx.session.exec(sa.select(RoleGrant.person_id).where(
        RoleGrant.org_id == candidate.branch_id, RoleGrant.role.in_(OFFICERS))
        .order_by(RoleGrant.person_id))).scalars())
    values = {"number": candidate.number, "full_name": candidate.full_name, "kind": kind.value,
              "detail": request.detail, "made_on": request.made_on.isoformat(),
              "acknowledge_by": request.acknowledge_by.isoformat(), "act_by": request.act_by.isoformat()}

    async def due():
        for officer in officers:
            yield Due(f"data_request:r{request.id}:p{officer}", officer, "data_request", "data/notice_request",
                      values, candidate.branch_id)

    await enqueue(session=ctx.session, items=due(), now=ctx.now)
    return [Reply("data/saved", {"kind": kind.value, "acknowledge_by": request.acknowledge_by,
                                 "act_by": request.act_by})]


def _correcting(answers: Answers) -> bool:
    return answers.get("request") == RequestKind.correct


flow = Flow(
    name="my_data",
    commands=("/dulieu",),
    action=Action.my_data,
    help="help/dulieu",
    steps=(
        Ask("request", "data/ask_request", ChoiceField("data_request"), label="data/label_request"),
        Ask("detail", "data/ask_detail", TextField(max_len=500), when=_correcting, label="data/label_detail"),
    ),
    confirm="data/confirm",
    start=start,
    done=save,
)

routes = [flow]
