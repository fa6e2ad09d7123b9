"""/thuhoi: end someone's role in chat. A branch's secretary ends a sponsor's or a deputy's role
in the branch; a committee ends a branch secretary's role below it (models/policy.py
`revocable_grants`). From their next message, a person left with no role is a stranger."""

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from bot.events import Choice, Reply
from bot.engine.fields import Field, Invalid
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.render import labels
from models.access import HeldRole, revoke_role, roles_ended_by
from models.policy import Action
from models.privacy import carried_by, name_or_initials
from models.stage import Role
from models.text import fold, number, tidy

THUHOI = "/thuhoi"


def shown(held: dict[str, Any]) -> str:
    return f"{held['full_name']} — {labels('role')[held['role']]}, {held['org_name']}"


async def as_seen(ctx: Any, held: list[HeldRole]) -> list[HeldRole]:
    """The roles as this channel shows them: on one a branch does not allow, its people by initials
    (models/privacy.py)."""
    shown = await carried_by(ctx.session, {h.org_id for h in held}, ctx.incoming.channel)
    return [replace(h, full_name=name_or_initials(h.full_name, shown.get(h.org_id, True))) for h in held]


@dataclass(frozen=True)
class HeldRoleField(Field):
    """One of the roles this person may end: by its number in the list, or words of the name."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "role_held_unknown", "role_held_ambiguous")

    @staticmethod
    def _as_choices(held: list[HeldRole]) -> tuple[Choice, ...]:
        return tuple(Choice(shown(h.as_dict()), h.key) for h in held)

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        return self._as_choices(await as_seen(ctx, await roles_ended_by(session=ctx.session, actor=ctx.actor)))

    async def resolve(self, text: str, ctx: Any) -> Any:
        held = await roles_ended_by(session=ctx.session, actor=ctx.actor)
        seen = await as_seen(ctx, held)  # in the same order: found by the name, shown as seen here
        every = self._as_choices(seen)
        query = tidy(text)
        if not query:
            return Invalid("empty", choices=every)
        if query.startswith("grant:"):
            found = [s for s in seen if s.key == query]
        elif (picked := number(query)) is not None:
            found = [seen[picked - 1]] if 1 <= picked <= len(seen) else []
        else:
            words = fold(query).split()
            found = [s for h, s in zip(held, seen) if all(w in fold(h.full_name) for w in words)]
        if not found:
            return Invalid("role_held_unknown", {"text": query[:50]}, choices=every)
        if len(found) > 1:
            return Invalid("role_held_ambiguous", {"count": len(found)}, choices=self._as_choices(found))
        return found[0].as_dict()

    def show(self, value: Any) -> str:
        return shown(value)


async def start(ctx: Context, args: str) -> Start:
    if not await roles_ended_by(session=ctx.session, actor=ctx.actor):
        return Start(replies=(Reply("roles/none"),), proceed=False)
    return Start()


async def done(ctx: Context, answers: Answers) -> list[Reply]:
    held = answers["held"]
    still = [h for h in await roles_ended_by(session=ctx.session, actor=ctx.actor)
             if h.as_dict() == {**held, "full_name": h.full_name}]
    if not still:  # ended meanwhile, or no longer this person's to end
        return [Reply("roles/gone", {"held": held})]
    unsponsored = await revoke_role(session=ctx.session, person_id=held["person_id"], org_id=held["org_id"],
                                    role=Role(held["role"]), now=ctx.now, by_person_id=ctx.actor.person_id)
    return [Reply("roles/revoked", {"held": held, "unsponsored": unsponsored or 0})]


flow = Flow(
    name="revoke_role",
    commands=(THUHOI,),
    action=Action.revoke_role,
    help="help/thuhoi",
    steps=(Ask("held", "roles/ask_held", HeldRoleField(), label="roles/label_held"),),
    confirm="roles/confirm",
    start=start,
    done=done,
)

routes = [flow]
