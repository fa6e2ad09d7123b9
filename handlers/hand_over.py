"""/bangiao: the secretary hands the branch to a new secretary, an official member of its roster:
chibo makes an invite for them; when they redeem it, the old secretary's role ends (or becomes a
deputy's or a sponsor's, as chosen here), both are told, and the audit log has it. The committee
above does the same for a branch below it that has no secretary (models/inviting.py)."""

import logging
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.engine.fields import BranchField, ChoiceField, Invalid
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.events import Reply
from handlers.shared.roster_pick import BRANCH_ID, OfficialMemberField
from models.inviting import (
    KEPT_ROLES, hand_over_branches, invite, official_members, person_for_member, revoke_pending_hand_overs,
    secretaries,
)
from models.policy import Action
from models.privacy import name_or_initials, shows_names
from models.roster import PartyMember
from models.stage import Role

log = logging.getLogger(__name__)

BANGIAO = "/bangiao"
ACTION = Action.hand_over


async def _branches(ctx: Any) -> list[dict[str, Any]]:
    """The branches this person may hand over; `mine`: they are its secretary (their role ends)."""
    out = []
    for org in await hand_over_branches(session=ctx.session, actor=ctx.actor):
        mine = ctx.actor.person_id in await secretaries(session=ctx.session, org_id=org.id)
        out.append({"id": org.id, "name": org.name, "mine": mine})
    return out


@dataclass(frozen=True)
class HandOverBranch(BranchField):
    """The branch to hand over, by number or words of its name; asked only when there are several.
    A branch with no official member who could take it over is turned away."""

    remember: str | None = BRANCH_ID
    reasons: ClassVar[tuple[str, ...]] = ("empty", "branch_unknown", "branch_ambiguous", "hand_over_no_members")

    async def listed(self, ctx: Any) -> list[dict[str, Any]]:
        return await _branches(ctx)

    async def refuse(self, ctx: Any, branch: dict[str, Any]) -> Invalid | None:
        if not await _successors(ctx, branch["id"]):
            return Invalid("hand_over_no_members", {"branch": branch["name"]})
        return None


async def _successors(ctx: Any, org_id: int) -> bool:
    """Whether the branch has an official member who could be its new secretary."""
    besides = {ctx.actor.person_id, *await secretaries(session=ctx.session, org_id=org_id)}
    return bool(await official_members(session=ctx.session, org_id=org_id, on=ctx.today,
                                       besides=tuple(p for p in besides if p is not None)))


def _mine(answers: Answers) -> bool:
    return bool(answers.get("branch", {}).get("mine"))


async def start(ctx: Context, args: str) -> Start:
    if ctx.settings.invite_key() is None:
        log.warning("/bangiao without CHIBO_SECRET: invite codes cannot be made")
        return Start(replies=(Reply("invite/unavailable"),), proceed=False)
    branches = await _branches(ctx)
    if not branches:
        return Start(replies=(Reply("handover/none"),), proceed=False)
    if len(branches) == 1 and not await _successors(ctx, branches[0]["id"]):
        return Start(replies=(Reply("handover/no_members", {"branch": branches[0]["name"]}),), proceed=False)
    return Start()


async def done(ctx: Context, answers: Answers) -> list[Reply]:
    branch, chosen = answers["branch"], answers["member"]
    now_ = {b["id"]: b for b in await _branches(ctx)}
    if branch["id"] not in now_ or now_[branch["id"]]["mine"] != branch["mine"]:
        return [Reply("handover/gone", {"branch": branch["name"]})]  # handed over or changed meanwhile
    member = await ctx.session.get(PartyMember, chosen["id"])
    if member is None or member.org_id != branch["id"] or member.left_on is not None:
        return [Reply("invite/member_gone", {"name": chosen["name"], "branch": branch["name"]})]
    person_id = await person_for_member(session=ctx.session, member=member, now=ctx.now)
    keeps = answers.get("keeps") if branch["mine"] else None
    replaced = await revoke_pending_hand_overs(session=ctx.session, org_id=branch["id"], now=ctx.now,
                                               by_person_id=ctx.actor.person_id)
    code, made = await invite(session=ctx.session, role=Role.secretary, org_id=branch["id"],
                              key=ctx.settings.invite_key(), now=ctx.now, days=ctx.settings.invite_days,
                              by_person_id=ctx.actor.person_id, person_id=person_id, full_name=member.full_name,
                              replaces_person_id=ctx.actor.person_id if branch["mine"] else None,
                              replaced_becomes=keeps)
    shown = await shows_names(ctx.session, branch["id"], ctx.incoming.channel)
    return [Reply("handover/created", {"code": code, "name": name_or_initials(member.full_name, shown),
                                       "branch": branch["name"],
                                       "expires": made.expires_at, "mine": branch["mine"],
                                       "keeps": None if keeps in (None, "none") else keeps,
                                       "replaced": replaced})]


flow = Flow(
    name="hand_over",
    commands=(BANGIAO,),
    action=ACTION,
    help="help/bangiao",
    steps=(
        Ask("branch", "handover/ask_branch", HandOverBranch(), label="handover/label_branch"),
        Ask("member", "handover/ask_member", OfficialMemberField(not_secretary=True),
            label="handover/label_member"),
        Ask("keeps", "handover/ask_keeps", ChoiceField(group="hand_over_keeps", values=KEPT_ROLES), when=_mine,
            label="handover/label_keeps"),
    ),
    confirm="handover/confirm",
    start=start,
    done=done,
)

routes = [flow]
