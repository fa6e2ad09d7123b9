"""/moi: a secretary invites someone of the branch to chibo: a deputy or a sponsor (an official
member of the branch's roster), or a candidate. chibo answers with a one-time code (on Telegram
also a one-tap link) bound to that role, that person and that branch (models/inviting.py)."""

import logging
from typing import Any

from bot.engine.fields import BranchField, ChoiceField, Invalid
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.engine.pickers import CandidatePicker
from bot.events import Reply
from handlers.shared.roster_pick import BRANCH_ID, OfficialMemberField
from models.candidate import Candidate
from models.inviting import INVITED_ROLES, MEMBER_ROLES, invite, person_for_member
from models.policy import Action
from models.privacy import name_or_initials, shows_names
from models.roster import PartyMember
from models.stage import Role, Stage

log = logging.getLogger(__name__)

MOI = "/moi"
ACTION = Action.invite
GONE = (Stage.removed, Stage.transferred)


def _member_role(answers: Answers) -> bool:
    return answers.get("role") in {r.value for r in MEMBER_ROLES}


def _candidate_role(answers: Answers) -> bool:
    return answers.get("role") == Role.candidate.value


def _of_branch(value: Any, answers: Answers, ctx: Context) -> Invalid | None:
    """The candidate is of the branch the invite is for, and still on its register."""
    if value["branch_id"] != answers["branch"]["id"]:
        return Invalid("invite_candidate_elsewhere", {"full_name": value["full_name"],
                                                      "branch": answers["branch"]["name"]})
    if value["stage"] in {s.value for s in GONE}:
        return Invalid("invite_candidate_gone", {"full_name": value["full_name"]})
    return None


async def start(ctx: Context, args: str) -> Start:
    if ctx.settings.invite_key() is None:
        log.warning("/moi without CHIBO_SECRET: invite codes cannot be made")
        return Start(replies=(Reply("invite/unavailable"),), proceed=False)
    return Start()


async def done(ctx: Context, answers: Answers) -> list[Reply]:
    role, branch = Role(answers["role"]), answers["branch"]
    person_id = candidate_id = None
    if role == Role.candidate:
        candidate = await ctx.session.get(Candidate, answers["candidate"]["id"])
        name, candidate_id, person_id = candidate.full_name, candidate.id, candidate.person_id
    else:
        member = await ctx.session.get(PartyMember, answers["member"]["id"])
        if member is None or member.org_id != branch["id"] or member.left_on is not None:
            return [Reply("invite/member_gone", {"name": answers["member"]["name"], "branch": branch["name"]})]
        name = member.full_name
        person_id = await person_for_member(session=ctx.session, member=member, now=ctx.now)
    code, made = await invite(session=ctx.session, role=role, org_id=branch["id"], key=ctx.settings.invite_key(),
                              now=ctx.now, days=ctx.settings.invite_days, by_person_id=ctx.actor.person_id,
                              person_id=person_id, candidate_id=candidate_id, full_name=name)
    shown = await shows_names(ctx.session, branch["id"], ctx.incoming.channel)  # else initials (models/privacy.py)
    return [Reply("invite/created", {"code": code, "name": name_or_initials(name, shown), "role": role.value,
                                     "branch": branch["name"], "expires": made.expires_at})]


flow = Flow(
    name="invite",
    commands=(MOI,),
    action=ACTION,
    help="help/moi",
    steps=(
        Ask("branch", "invite/ask_branch", BranchField(action=ACTION, remember=BRANCH_ID), label="invite/label_branch"),
        Ask("role", "invite/ask_role", ChoiceField(group="role", values=tuple(r.value for r in INVITED_ROLES)),
            label="invite/label_role"),
        Ask("member", "invite/ask_member", OfficialMemberField(), when=_member_role, label="invite/label_person"),
        Ask("candidate", "invite/ask_candidate", CandidatePicker(action=ACTION), validate=_of_branch,
            when=_candidate_role, label="invite/label_person"),
    ),
    confirm="invite/confirm",
    start=start,
    done=done,
)

routes = [flow]
