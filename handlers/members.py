"""/dangvien: a secretary keeps the branch's roster of party members: sees it, adds a member
(official or probationary, since when), marks one who left."""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.engine.fields import BranchField, DateField, Field, Invalid, NameField, TextField, still_held
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.events import Choice, Reply
from bot.render import text_of
from handlers.shared.admission_steps import OptionField
from models.audit import audit
from models.policy import Action, branch_grants
from models.roster import (
    LeftReason, MemberStatus, PartyMember, add_member, branch_roster, destination_refusal, mark_left, official_count,
)
from models.text import fold, number, tidy

DANGVIEN = "/dangvien"
ACTION = Action.manage_members


def _entry(m: PartyMember, branch: str) -> dict[str, Any]:
    return {"id": m.id, "name": m.full_name, "status": MemberStatus(m.status).value, "since": m.since,
            "org_id": m.org_id, "branch": branch}


async def rosters(ctx: Context) -> list[dict[str, Any]]:
    """Each branch where this person keeps the roster, with its members (numbered across them)."""
    seen: dict[int, str] = {}
    for g in branch_grants(ctx.actor, ACTION):
        seen.setdefault(g.org_id, g.org_name)
    out = []
    for org_id, name in seen.items():
        members = await branch_roster(session=ctx.session, org_id=org_id)
        out.append({"id": org_id, "name": name, "members": [_entry(m, name) for m in members],
                    "official": official_count(members, ctx.today)})
    return out


async def every_member(ctx: Context) -> list[dict[str, Any]]:
    return [m for r in await rosters(ctx) for m in r["members"]]


def member_choices(members: list[dict[str, Any]]) -> tuple[Choice, ...]:
    return tuple(Choice(text_of("members/member", m=m), f"id:{m['id']}") for m in members)


@dataclass(frozen=True)
class MemberField(Field):
    """A member on the roster, by the number in the list shown or by part of the name."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "members_not_found", "members_ambiguous", "members_other_branch",
                                          "members_left_before")

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        return member_choices(await every_member(ctx))

    async def resolve(self, text: str, ctx: Context) -> Any:
        members = await every_member(ctx)
        query = tidy(text)
        if not query:
            return Invalid("empty", choices=member_choices(members))
        if query.startswith("id:"):
            found = [m for m in members if str(m["id"]) == query[3:]]
        elif (n := number(query.lstrip("#"))) is not None:
            found = [members[n - 1]] if 1 <= n <= len(members) else []
        else:
            words = fold(query).split()
            found = [m for m in members if all(w in fold(m["name"]) for w in words)]
        if not found:
            return Invalid("members_not_found", {"text": query[:50]}, choices=member_choices(members))
        if len(found) > 1:
            return Invalid("members_ambiguous", {"count": len(found)}, choices=member_choices(found))
        return found[0]

    def dump(self, value: Any) -> Any:
        return {**value, "since": value["since"].isoformat()}

    def load(self, raw: Any) -> Any:
        return {**raw, "since": date.fromisoformat(raw["since"])}

    def show(self, value: Any) -> str:
        return value["name"]


def in_branch(value: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
    if value["org_id"] != answers["branch"]["id"]:
        return Invalid("members_other_branch", {"name": value["name"], "branch": answers["branch"]["name"]})
    return None


def left_after_joining(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    member = answers["member"]
    if value < member["since"]:
        return Invalid("members_left_before", {"name": member["name"], "on": value, "since": member["since"]})
    return None


def adding(a: Answers) -> bool:
    return a.get("action") == "add"


def leaving(a: Answers) -> bool:
    return a.get("action") == "leave"


def moving(a: Answers) -> bool:
    """A member who moves: where to is asked (models.roster.destination_refusal)."""
    return leaving(a) and a.get("left_reason") == LeftReason.moved


async def start(ctx: Context, args: str) -> Start:
    """The roster first; then what to do with it."""
    return Start(replies=(Reply("members/roster", {"rosters": await rosters(ctx), "today": ctx.today}),))


async def still_there(ctx: Context, answers: Answers) -> Invalid | None:
    """Checked before the confirmation and before saving: the branch, the name not already there,
    the member leaving not already gone."""
    branch = answers["branch"]
    if not still_held(branch, ctx, ACTION):
        return Invalid("branch_unknown", {"text": branch["name"][:50]})
    members = await branch_roster(session=ctx.session, org_id=branch["id"])
    twin = next((m for m in members if adding(answers) and fold(m.full_name) == fold(answers["full_name"])), None)
    if twin is not None:
        return Invalid("members_duplicate", {"name": twin.full_name, "branch": branch["name"]})
    if leaving(answers) and not any(m.id == answers["member"]["id"] for m in members):
        return Invalid("members_not_found", {"text": answers["member"]["name"][:50]})
    if leaving(answers) and destination_refusal(answers["left_reason"], answers.get("moved_to")):
        return Invalid("members_destination_required", {"name": answers["member"]["name"]})
    return None


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    branch = answers["branch"]
    if adding(answers):
        member = await add_member(ctx.session, org_id=branch["id"], full_name=answers["full_name"],
                                  status=answers["status"], since=answers["since"], now=ctx.now)
        reply = Reply("members/saved_add", {"name": member.full_name, "status": answers["status"],
                                            "since": answers["since"], "branch": branch["name"]})
    else:
        member = await ctx.session.get(PartyMember, answers["member"]["id"])
        await mark_left(ctx.session, member=member, on=answers["left_on"], now=ctx.now,
                        reason=LeftReason(answers["left_reason"]), moved_to=answers.get("moved_to"))
        reply = Reply("members/saved_left", {"name": member.full_name, "on": answers["left_on"],
                                             "branch": branch["name"], "reason": answers["left_reason"],
                                             "moved_to": answers.get("moved_to")})
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=ACTION,
          subject=f"member:{member.id}")
    return [reply]


flow = Flow(
    name="members",
    commands=(DANGVIEN,),
    action=ACTION,
    help="help/dangvien",
    steps=(
        Ask("branch", "common/ask_branch", BranchField(ACTION), label="common/label_branch"),
        Ask("action", "members/ask_action", OptionField(options=("add", "leave"), area="members"),
            label="members/label_action"),
        Ask("full_name", "members/ask_full_name", NameField(), when=adding, label="members/label_full_name"),
        Ask("status", "members/ask_status", OptionField(options=("official", "probationary"), area="members"),
            when=adding, label="members/label_status"),
        Ask("since", "members/ask_since", DateField(), when=adding, label="members/label_since"),
        Ask("member", "members/ask_member", MemberField(), when=leaving, validate=in_branch,
            label="members/label_member"),
        Ask("left_on", "members/ask_left_on", DateField(), when=leaving, validate=left_after_joining,
            label="members/label_left_on"),
        Ask("left_reason", "members/ask_left_reason",
            OptionField(options=tuple(r.value for r in LeftReason), area="members"), when=leaving,
            label="members/label_left_reason"),
        Ask("moved_to", "members/ask_moved_to", TextField(max_len=200), when=moving, label="members/label_moved_to"),
    ),
    confirm="members/confirm",
    check=still_there,
    start=start,
    done=save,
)

routes = [flow]
