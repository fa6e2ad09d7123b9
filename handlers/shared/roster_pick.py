"""Picking an official member of a branch's roster (/moi, /bangiao): the branch is the one the
flow's branch question answered, kept in ctx.state (as /chibo keeps its branch)."""

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.engine.fields import Field, Invalid
from bot.events import Choice
from models.inviting import official_members, secretaries
from models.privacy import name_or_initials, shows_names
from models.text import fold, number, tidy

BRANCH_ID = "branch_id"  # in ctx.state: the branch whose roster the member question lists
# (the branch question keeps it there: BranchField(remember=BRANCH_ID))


@dataclass(frozen=True)
class OfficialMemberField(Field):
    """An official member of the branch on its roster today, by number or words of the name:
    never the one asking; with `not_secretary`, never one who is its secretary now."""

    not_secretary: bool = False
    reasons: ClassVar[tuple[str, ...]] = ("empty", "roster_member_none", "roster_member_unknown",
                                          "roster_member_ambiguous")

    async def _members(self, ctx: Any) -> list[Any]:
        org_id = ctx.state.get(BRANCH_ID) or 0
        besides = {ctx.actor.person_id}
        if self.not_secretary:
            besides |= set(await secretaries(session=ctx.session, org_id=org_id))
        return await official_members(session=ctx.session, org_id=org_id, on=ctx.today,
                                      besides=tuple(p for p in besides if p is not None))

    @staticmethod
    async def _shown(ctx: Any) -> bool:
        """May this channel show the branch's names (else initials: models/privacy.py)?"""
        return await shows_names(ctx.session, ctx.state.get(BRANCH_ID) or 0, ctx.incoming.channel)

    @staticmethod
    def _as_choices(members: list[Any], shown: bool) -> tuple[Choice, ...]:
        return tuple(Choice(name_or_initials(m.full_name, shown), f"member:{m.id}") for m in members)

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        return self._as_choices(await self._members(ctx), await self._shown(ctx))

    async def resolve(self, text: str, ctx: Any) -> Any:
        members = await self._members(ctx)
        shown = await self._shown(ctx)
        every = self._as_choices(members, shown)
        query = tidy(text)
        if not members:
            return Invalid("roster_member_none")
        if not query:
            return Invalid("empty", choices=every)
        if query.startswith("member:"):
            found = [m for m in members if f"member:{m.id}" == query]
        elif (picked := number(query)) is not None:
            found = [members[picked - 1]] if 1 <= picked <= len(members) else []
        else:
            words = fold(query).split()
            found = [m for m in members if all(any(p.startswith(w) for p in fold(m.full_name).split()) for w in words)]
        if not found:
            return Invalid("roster_member_unknown", {"text": query[:50]}, choices=every)
        if len(found) > 1:
            return Invalid("roster_member_ambiguous", {"count": len(found)}, choices=self._as_choices(found, shown))
        return {"id": found[0].id, "name": name_or_initials(found[0].full_name, shown)}

    def show(self, value: Any) -> str:
        return value["name"]
