"""/giupdo: assign or change a candidate's sponsor (đảng viên giúp đỡ), an official member of the branch."""

from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import sqlalchemy as sa

from bot.events import Choice, Reply
from bot.engine.fields import Field, Invalid
from bot.engine.flow import Answers, Ask, Context, Flow
from bot.render import text_of
from handlers.shared.branches import candidate_branch
from handlers.shared.refs import ref_for
from bot.engine.pickers import CandidatePicker
from models.audit import audit
from models.candidate import Candidate, candidate_within
from models.next_step import NextStep
from models.org import Organisation
from models.outbox import Due, enqueue
from models.people import ChatLink, Person
from models.pipeline import CLOSED_STAGES
from models.progress import candidate_next_step
from models.policy import Action, branch_grants, candidate_scope
from models import citations
from models.sponsors import branch_members, may_sponsor, off_roster, set_sponsor
from models.stage import Stage
from models.text import fold, number, tidy


@dataclass(frozen=True)
class Pick:
    """The candidate chosen, with what the next question shows: their sponsor, the members to pick from."""

    id: int
    number: int
    full_name: str
    stage: str
    branch_id: int
    person_id: int | None
    sponsor_id: int | None
    sponsor: str | None
    members: tuple[dict[str, Any], ...]

    def __str__(self) -> str:
        return f"{self.number}. {self.full_name}"


async def members_for(ctx: Context, *, everyone: bool = False) -> list[dict[str, Any]]:
    """The official members of every branch where this person assigns sponsors who may sponsor
    there (models/sponsors.py `may_sponsor`), numbered as shown; `everyone` adds those who may
    not (so that a name typed is refused with the rule, not "not found")."""
    grants = branch_grants(ctx.actor, Action.assign_sponsor)
    names = {g.org_id: g.org_name for g in grants}
    rows = await branch_members(session=ctx.session, branch_ids=list(names))
    off = await off_roster(session=ctx.session, members=rows, on=ctx.today)
    return [{**m.as_dict(), "branch": names[m.branch_id], "many_branches": len(names) > 1,
             "off_roster": (m.branch_id, m.person_id) in off}
            for m in (rows if everyone else may_sponsor(rows, off))]


def member_choices(members: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> tuple[Choice, ...]:
    return tuple(Choice(text_of("sponsor/member", m=m), f"id:{m['id']}") for m in members)


@dataclass(frozen=True)
class SponsoredField(CandidatePicker):
    """A candidate of the branch who may get a sponsor (not official, removed or transferred)."""

    action: Action = Action.assign_sponsor
    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + ("sponsor_closed",)

    async def picked(self, ctx: Context, c: Candidate) -> Any:
        if Stage(c.stage) in CLOSED_STAGES:
            return Invalid("sponsor_closed", {"number": c.number, "full_name": c.full_name, "stage": c.stage})
        sponsor = await ctx.session.get(Person, c.sponsor_id) if c.sponsor_id else None
        return Pick(id=c.id, number=c.number, full_name=c.full_name, stage=c.stage, branch_id=c.branch_id,
                    person_id=c.person_id, sponsor_id=c.sponsor_id,
                    sponsor=sponsor.full_name if sponsor else None, members=tuple(await members_for(ctx)))

    def dump(self, value: Pick) -> Any:
        return asdict(value)

    def load(self, raw: Any) -> Pick:
        return Pick(**{**raw, "members": tuple(raw["members"])})

    def show(self, value: Pick) -> Any:
        return value  # the question and the confirmation read its parts; printed, it is "3. Name"


@dataclass(frozen=True)
class MemberField(Field):
    """An official member, by the number in the list shown or by part of the name (no diacritics needed)."""

    reasons: ClassVar[tuple[str, ...]] = (
        "empty", "sponsor_not_found", "sponsor_ambiguous", "sponsor_other_branch", "sponsor_self", "sponsor_same",
        "sponsor_not_official")

    async def resolve(self, text: str, ctx: Context) -> Any:
        members = await members_for(ctx)
        everyone = await members_for(ctx, everyone=True)
        query = tidy(text)
        if not query:
            return Invalid("empty", choices=member_choices(members))
        if query.startswith("id:"):
            found = [m for m in everyone if str(m["id"]) == query[3:]]
        elif (n := number(query.lstrip("#"))) is not None:
            found = [members[n - 1]] if 1 <= n <= len(members) else []
        else:
            words = fold(query).split()
            found = [m for m in everyone if all(w in fold(m["name"]) for w in words)]
        people = list({m["id"]: m for m in found}.values())
        if not people:
            return Invalid("sponsor_not_found", {"text": query[:50]}, choices=member_choices(members))
        if len(people) > 1:
            return Invalid("sponsor_ambiguous", {"count": len(people)},
                           choices=member_choices([m for m in people if not m["off_roster"]] or people))
        chosen = people[0]
        linked = (await ctx.session.exec(sa.select(ChatLink.id).where(ChatLink.person_id == chosen["id"]))).first()
        return {"id": chosen["id"], "name": chosen["name"], "linked": linked is not None,
                "branch_ids": sorted({m["branch_id"] for m in everyone if m["id"] == chosen["id"]}),
                "off_roster_in": sorted({m["branch_id"] for m in everyone
                                         if m["id"] == chosen["id"] and m.get("off_roster")})}

    def show(self, value: Any) -> Any:
        return Chosen(value["name"], value.get("linked", True))


@dataclass(frozen=True)
class Chosen:
    """The member chosen as the confirmation shows them: printed, the name; and whether chibo can tell them."""

    name: str
    linked: bool

    def __str__(self) -> str:
        return self.name


def fits(chosen: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
    """The member chosen may help this candidate: same branch, not themself, not already their sponsor."""
    pick: Pick = answers["candidate"]
    return _misfit(chosen, pick.branch_id, pick.person_id, pick.sponsor_id, pick.full_name,
                   member_choices([m for m in pick.members if m["branch_id"] == pick.branch_id]))


def _misfit(chosen: dict[str, Any], branch_id: int, person_id: int | None, sponsor_id: int | None,
            full_name: str, choices: tuple[Choice, ...] = ()) -> Invalid | None:
    values = {"name": chosen["name"], "full_name": full_name}
    if branch_id not in chosen["branch_ids"]:
        return Invalid("sponsor_other_branch", values, choices=choices)
    if chosen["id"] == person_id:
        return Invalid("sponsor_self", values, choices=choices)
    if chosen["id"] == sponsor_id:
        return Invalid("sponsor_same", values, choices=choices)
    if branch_id in chosen.get("off_roster_in", ()):
        return Invalid("sponsor_not_official", {**values, "sources": citations.SPONSOR}, choices=choices)
    return None


async def still_fits(ctx: Context, answers: Answers) -> Invalid | None:
    """Checked again before saving: the candidate or the member may have changed meanwhile."""
    pick: Pick = answers["candidate"]
    c = await candidate_within(session=ctx.session, where=candidate_scope(ctx.actor, Action.assign_sponsor),
                               candidate_id=pick.id)
    if c is None:
        return Invalid("candidate_not_found", {"text": str(pick.number)})
    if Stage(c.stage) in CLOSED_STAGES:
        return Invalid("sponsor_closed", {"number": c.number, "full_name": c.full_name, "stage": c.stage})
    chosen = answers["sponsor"]
    members = await branch_members(session=ctx.session, branch_ids=[c.branch_id])
    here = [c.branch_id] if any(m.person_id == chosen["id"] for m in members) else []
    off = await off_roster(session=ctx.session, members=members, on=ctx.today)
    off_in = [c.branch_id] if (c.branch_id, chosen["id"]) in off else []
    return _misfit({**chosen, "branch_ids": here, "off_roster_in": off_in}, c.branch_id, c.person_id,
                   c.sponsor_id, c.full_name)


def _step_values(step: NextStep | None) -> dict[str, Any]:
    """The next step as an outbox row keeps it (JSON): its code, last day and values."""
    if step is None:
        return {"step": None}
    values = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in step.values.items()}
    return {"step": step.code, "step_due": step.due, "step_values": values}


async def tell_sponsors(ctx: Context, c: Candidate, sponsor_id: int, previous_id: int | None,
                        sponsor_name: str) -> set[int]:
    """Queue a notice to the new sponsor (whom they now help, where that person stands, how to
    log a meeting) and one to the sponsor replaced, in the outbox: the dispatcher delivers them on
    each one's chat like reminders, paced and retried. Returns who of them has a chat to get it."""
    people = [p for p in (sponsor_id, previous_id) if p is not None]
    linked = set((await ctx.session.exec(
        sa.select(ChatLink.person_id).where(ChatLink.person_id.in_(people)))).scalars())
    branch = await ctx.session.get(Organisation, c.branch_id)
    step = await candidate_next_step(session=ctx.session, candidate=c, today=ctx.today)
    about = {"number": c.number, "full_name": c.full_name, "branch": branch.name if branch else None}
    at = f"{ctx.now:%Y%m%d%H%M%S}"
    items = [Due(f"sponsor_assigned:c{c.id}:p{sponsor_id}:{at}", sponsor_id, "sponsor_assigned",
                 "sponsor/notice_assigned", {**about, "stage": c.stage, **_step_values(step)}, c.branch_id)]
    if previous_id is not None:
        items.append(Due(f"sponsor_released:c{c.id}:p{previous_id}:{at}", previous_id, "sponsor_released",
                         "sponsor/notice_released", {**about, "name": sponsor_name}, c.branch_id))

    async def due():
        for item in items:
            yield item

    await enqueue(session=ctx.session, items=due(), now=ctx.now)
    return linked


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    pick: Pick = answers["candidate"]
    chosen = answers["sponsor"]
    c = await ctx.session.get(Candidate, pick.id)
    previous_id = await set_sponsor(session=ctx.session, candidate=c, person_id=chosen["id"])
    previous = (await ctx.session.get(Person, previous_id)).full_name if previous_id else None
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
          action=Action.assign_sponsor, subject=f"candidate:{c.id}")
    told = await tell_sponsors(ctx, c, chosen["id"], previous_id, chosen["name"])
    return [Reply("sponsor/saved", {"number": c.number, "ref": await ref_for(ctx, c), "full_name": c.full_name,
                                    "name": chosen["name"],
                                    "previous": previous, "linked": chosen["id"] in told,
                                    "previous_linked": previous_id in told})]


flow = Flow(
    name="sponsor",
    commands=("/giupdo",),
    action=Action.assign_sponsor,
    help="help/giupdo",
    steps=(
        Ask("candidate", "sponsor/ask_candidate", SponsoredField(), label="sponsor/label_candidate"),
        Ask("sponsor", "sponsor/ask_sponsor", MemberField(), validate=fits, label="sponsor/label_sponsor"),
    ),
    confirm="sponsor/confirm",
    check=still_fits,
    facts=candidate_branch(Action.assign_sponsor),
    done=save,
)

routes = [flow]
