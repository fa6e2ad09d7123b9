"""/ds and /xem: the candidates a person may see, by stage, and one candidate's card."""

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import sqlalchemy as sa

from bot.events import Choice, Reply
from bot.engine.fields import Field, Invalid
from bot.engine.flow import Answers, Ask, Command, Context, Flow
from bot.render import labels
from models.admission import failed_votes
from models.audit import audit
from models.candidate import Candidate, find_candidates, list_candidates
from models.org import Organisation, org_names
from models.people import Person
from models.pipeline import ACTIVE_STAGES
from models.policy import Action, candidate_scope
from models.progress import candidate_next_step
from models.stage import Role
from models.text import page_number, tidy


async def show_list(ctx: Context, args: str) -> list[Reply]:
    page = page_number(args)
    size = ctx.settings.page_size
    scope = sa.and_(candidate_scope(ctx.actor, Action.list_candidates), Candidate.stage.in_(ACTIVE_STAGES))
    rows, total = await list_candidates(session=ctx.session, where=scope,
                                        offset=(page - 1) * size, limit=size)
    pages = max(1, math.ceil(total / size))
    if page > pages:
        return [Reply("candidates/no_such_page", {"page": page, "pages": pages})]
    branches = await org_names(session=ctx.session, ids={c.branch_id for c in rows})
    groups: list[dict[str, Any]] = []
    for c in rows:
        if not groups or groups[-1]["stage"] != c.stage:
            groups.append({"stage": c.stage, "rows": []})
        groups[-1]["rows"].append({"number": c.number, "full_name": c.full_name,
                                   "birth_year": c.birth_date.year, "branch": branches[c.branch_id]})
    # A committee, or a person with roles in several branches, is told whose each row is.
    many_branches = (any(g.role in (Role.committee, Role.admin) for g in ctx.actor.grants)
                     or len({g.org_id for g in ctx.actor.grants_for(Action.list_candidates)}) > 1)
    choices = (Choice(labels("more")["next"], f"/ds {page + 1}"),) if page < pages else ()
    return [Reply("candidates/list", {"groups": groups, "page": page, "pages": pages,
                                      "total": total, "many_branches": many_branches},
                  choices=choices)]


@dataclass(frozen=True)
class CandidateField(Field):
    """A candidate the person may see, by number ("7", "#7") or by part of the name."""

    action: Action = Action.view_candidate
    reasons: ClassVar[tuple[str, ...]] = ("empty", "candidate_not_found", "candidate_ambiguous")

    async def resolve(self, text: str, ctx: Context) -> Any:
        query = tidy(text)
        if not query:
            return Invalid("empty")
        found = await find_candidates(session=ctx.session, where=candidate_scope(ctx.actor, self.action),
                                      query=query)
        if not found:
            return Invalid("candidate_not_found", {"text": query[:50]})
        if len(found) > 1:
            return Invalid("candidate_ambiguous", {"count": len(found)}, choices=tuple(
                Choice(f"{c.number}. {c.full_name} ({c.birth_date.year})", f"id:{c.id}") for c in found))
        return found[0].id

    def show(self, value: Any) -> str:
        return str(value)


async def show_card(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await ctx.session.get(Candidate, answers["candidate"])
    sponsor = await ctx.session.get(Person, candidate.sponsor_id) if candidate.sponsor_id else None
    branch = await ctx.session.get(Organisation, candidate.branch_id)
    step = await candidate_next_step(session=ctx.session, candidate=candidate, today=ctx.today)
    failed = await failed_votes(session=ctx.session, candidate_id=candidate.id)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
          action=Action.view_candidate, subject=f"candidate:{candidate.id}")
    return [Reply("candidates/card", {
        "c": candidate, "sponsor": sponsor.full_name if sponsor else None,
        "branch": branch.name, "step": step, "failed_votes": failed,
    })]


list_command = Command(name="list", commands=("/ds", "/danhsach"), action=Action.list_candidates,
                       help="help/ds", run=show_list)

view_flow = Flow(
    name="view",
    commands=("/xem",),
    action=Action.view_candidate,
    help="help/xem",
    steps=(Ask("candidate", "candidates/ask_which", CandidateField()),),
    done=show_card,
)

routes = [list_command, view_flow]
