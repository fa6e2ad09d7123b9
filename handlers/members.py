"""/dangvien: a secretary keeps the branch's roster of party members: sees it, adds a member
(official or probationary, since when), receives one from another place with what was recorded
there, marks one who left (moved, struck off, expelled with its decision), records a student
branch member's graduation (issue 13 item 8)."""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.engine.fields import BranchField, DateField, Field, Invalid, NameField, TextField, still_held
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.events import Choice, Reply
from bot.render import text_of
from handlers.shared.admission_steps import OptionField
from models import citations
from models.audit import audit
from models.policy import Action, branch_grants
from models.privacy import name_or_initials, shows_names
from models.deadlines import graduate_may_stay_until
from models.org import Organisation
from models.roster import (
    LeftReason, MemberStatus, PartyMember, add_member, branch_roster, destination_refusal, expulsion_refusal,
    graduate_state, graduation_refusal, joined_on, mark_left, official_count, reception_refusal, set_graduated,
)
from models.rules import Refusal
from models.text import fold, number, tidy

DANGVIEN = "/dangvien"
ACTION = Action.manage_members


CORE = ("id", "name", "status", "since", "joined", "org_id", "branch", "student")  # kept in a flow's answers


def _entry(m: PartyMember, branch: str, student: bool = False, shown: bool = True) -> dict[str, Any]:
    """A member as the flow keeps it; on a channel the branch does not allow, the name as initials
    (models/privacy.py): the words of the name are kept apart to find the member by, not shown."""
    return {"id": m.id, "name": name_or_initials(m.full_name, shown), "words": fold(m.full_name),
            "status": MemberStatus(m.status).value, "since": m.since,
            "joined": joined_on(m), "org_id": m.org_id, "branch": branch, "student": student}


def _shown(m: PartyMember, branch: str, student: bool, today: date, shown: bool) -> dict[str, Any]:
    """A roster line: the entry, and what the roster shows beside it (received, graduated)."""
    until = graduate_may_stay_until(m.graduated_on) if m.graduated_on else None
    return {**_entry(m, branch, student, shown), "received_from": m.received_from, "received_on": m.received_on,
            "admitted_on": m.admitted_on, "received_note": m.received_note, "graduated_on": m.graduated_on,
            "until": until, "graduate": graduate_state(m.graduated_on, today)}


def _gone(m: PartyMember, shown: bool) -> dict[str, Any]:
    return {"name": name_or_initials(m.full_name, shown), "on": m.left_on, "reason": m.left_reason,
            "moved_to": m.moved_to, "note": m.left_note}


def as_invalid(refusal: Refusal | None) -> Invalid | None:
    return Invalid(refusal.code, dict(refusal.values)) if refusal else None


async def rosters(ctx: Context) -> list[dict[str, Any]]:
    """Each branch where this person keeps the roster, with its members (numbered across them)."""
    seen: dict[int, str] = {}
    for g in branch_grants(ctx.actor, ACTION):
        seen.setdefault(g.org_id, g.org_name)
    out = []
    for org_id, name in seen.items():
        org = await ctx.session.get(Organisation, org_id)
        student = bool(org and org.is_student)
        shown = await shows_names(ctx.session, org_id, ctx.incoming.channel)
        everyone = await branch_roster(session=ctx.session, org_id=org_id, with_left=True)
        members = [m for m in everyone if m.left_on is None]
        gone = sorted((m for m in everyone if m.left_on is not None), key=lambda m: (m.left_on, fold(m.full_name)))
        out.append({"id": org_id, "name": name,
                    "members": [_shown(m, name, student, ctx.today, shown) for m in members],
                    "official": official_count(members, ctx.today), "left": [_gone(m, shown) for m in gone]})
    return out


async def every_member(ctx: Context) -> list[dict[str, Any]]:
    return [m for r in await rosters(ctx) for m in r["members"]]


def member_choices(members: list[dict[str, Any]]) -> tuple[Choice, ...]:
    return tuple(Choice(text_of("members/member", m=m), f"id:{m['id']}") for m in members)


@dataclass(frozen=True)
class MemberField(Field):
    """A member on the roster, by the number in the list shown or by part of the name."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "members_not_found", "members_ambiguous", "members_other_branch",
                                          "members_left_before", "graduation_not_student")

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
            found = [m for m in members if all(w in m["words"] for w in words)]
        if not found:
            return Invalid("members_not_found", {"text": query[:50]}, choices=member_choices(members))
        if len(found) > 1:
            return Invalid("members_ambiguous", {"count": len(found)}, choices=member_choices(found))
        return found[0]

    def dump(self, value: Any) -> Any:
        kept = {k: value[k] for k in CORE if k in value}
        return {**kept, "since": value["since"].isoformat(), "joined": value["joined"].isoformat()}

    def load(self, raw: Any) -> Any:
        return {**raw, "since": date.fromisoformat(raw["since"]),
                "joined": date.fromisoformat(raw.get("joined") or raw["since"])}

    def show(self, value: Any) -> str:
        return value["name"]


@dataclass(frozen=True)
class ReasonField(OptionField):
    """Why a member left: moved, struck off, expelled (an official member only)."""

    options: tuple[str, ...] = tuple(r.value for r in LeftReason)
    area: str = "members"
    reasons: ClassVar[tuple[str, ...]] = OptionField.reasons + ("expulsion_not_official",)


@dataclass(frozen=True)
class AdmittedOnField(DateField):
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("admitted_after_recognised",)


@dataclass(frozen=True)
class ReceivedOnField(DateField):
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("received_before_since",)


@dataclass(frozen=True)
class GraduatedOnField(DateField):
    """The graduation day, also one announced ahead (the 12 months count from it)."""

    past_only: bool = False
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("graduation_before_joining",)


def in_branch(value: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
    if value["org_id"] != answers["branch"]["id"]:
        return Invalid("members_other_branch", {"name": value["name"], "branch": answers["branch"]["name"]})
    return None


def left_after_joining(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    member = answers["member"]
    if value < member["joined"]:
        return Invalid("members_left_before", {"name": member["name"], "on": value, "since": member["joined"]})
    return None


def may_leave_so(value: str, answers: Answers, ctx: Context) -> Invalid | None:
    """Expulsion only of an official member (models.roster.expulsion_refusal)."""
    return as_invalid(expulsion_refusal(answers["member"]["status"], value))


def graduating_member(value: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
    """In the branch, and a student branch (models.roster.graduation_refusal)."""
    return in_branch(value, answers, ctx) or as_invalid(
        graduation_refusal(student_branch=value["student"], joined=value["joined"]))


def graduated_after_joining(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    member = answers["graduate"]
    return as_invalid(graduation_refusal(student_branch=member["student"], joined=member["joined"],
                                         graduated_on=value))


def received_after(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    """Received here after the date recorded there (models.roster.reception_refusal)."""
    return as_invalid(reception_refusal(status=answers["status"], since=answers["since"], received_on=value,
                                        admitted_on=None))


def admitted_before(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    return as_invalid(reception_refusal(status=answers["status"], since=answers["since"],
                                        received_on=answers["received_on"], admitted_on=value))


def adding(a: Answers) -> bool:
    """A new member on the roster: of the branch, or received from another place."""
    return a.get("action") in ("add", "receive")


def receiving(a: Answers) -> bool:
    return a.get("action") == "receive"


def received_official(a: Answers) -> bool:
    return receiving(a) and a.get("status") == MemberStatus.official


def graduating(a: Answers) -> bool:
    return a.get("action") == "graduate"


def expelling(a: Answers) -> bool:
    return leaving(a) and a.get("left_reason") == LeftReason.expelled


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
        shown = await shows_names(ctx.session, branch["id"], ctx.incoming.channel)
        return Invalid("members_duplicate", {"name": name_or_initials(twin.full_name, shown),
                                             "branch": branch["name"]})
    chosen = answers.get("member") or answers.get("graduate")
    if (leaving(answers) or graduating(answers)) and not any(m.id == chosen["id"] for m in members):
        return Invalid("members_not_found", {"text": chosen["name"][:50]})
    if leaving(answers) and destination_refusal(answers["left_reason"], answers.get("moved_to")):
        return Invalid("members_destination_required", {"name": answers["member"]["name"]})
    if leaving(answers):
        return as_invalid(expulsion_refusal(answers["member"]["status"], answers["left_reason"]))
    if receiving(answers):
        return as_invalid(reception_refusal(status=answers["status"], since=answers["since"],
                                            received_on=answers["received_on"],
                                            admitted_on=answers.get("admitted_on")))
    return None


async def facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """The typed name as the confirmation and the "received on" question show it: initials on a
    channel the branch does not allow (models/privacy.py), as /sua does."""
    if not adding(answers):
        return {}
    shown = await shows_names(ctx.session, answers["branch"]["id"], ctx.incoming.channel)
    return {"full_name": name_or_initials(answers["full_name"], shown)}


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    branch = answers["branch"]
    shown = await shows_names(ctx.session, branch["id"], ctx.incoming.channel)
    if adding(answers):
        received = {k: answers.get(k) for k in ("received_from", "received_on", "admitted_on", "received_note")}
        member = await add_member(ctx.session, org_id=branch["id"], full_name=answers["full_name"],
                                  status=answers["status"], since=answers["since"], now=ctx.now, **received)
        reply = Reply("members/saved_add", {"name": name_or_initials(member.full_name, shown),
                                            "status": answers["status"],
                                            "since": answers["since"], "branch": branch["name"], **received})
    elif graduating(answers):
        member = await ctx.session.get(PartyMember, answers["graduate"]["id"])
        before = await set_graduated(ctx.session, member=member, on=answers["graduated_on"], now=ctx.now)
        reply = Reply("members/saved_graduated", {
            "name": name_or_initials(member.full_name, shown), "on": answers["graduated_on"], "before": before,
            "until": graduate_may_stay_until(answers["graduated_on"]), "sources": citations.GRADUATE_STAY})
    else:
        member = await ctx.session.get(PartyMember, answers["member"]["id"])
        await mark_left(ctx.session, member=member, on=answers["left_on"], now=ctx.now,
                        reason=LeftReason(answers["left_reason"]), moved_to=answers.get("moved_to"),
                        note=answers.get("left_note"))
        reply = Reply("members/saved_left", {"name": name_or_initials(member.full_name, shown),
                                             "on": answers["left_on"],
                                             "branch": branch["name"], "reason": answers["left_reason"],
                                             "moved_to": answers.get("moved_to"), "note": answers.get("left_note")})
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
        Ask("action", "members/ask_action",
            OptionField(options=("add", "receive", "leave", "graduate"), area="members"),
            label="members/label_action"),
        Ask("full_name", "members/ask_full_name", NameField(), when=adding, label="members/label_full_name"),
        Ask("status", "members/ask_status", OptionField(options=("official", "probationary"), area="members"),
            when=adding, label="members/label_status"),
        Ask("since", "members/ask_since", DateField(), when=adding, label="members/label_since"),
        Ask("admitted_on", "members/ask_admitted_on", AdmittedOnField(), when=received_official,
            validate=lambda v, a, c: as_invalid(reception_refusal(status=a["status"], since=a["since"],
                                                                  received_on=a["since"], admitted_on=v)),
            label="members/label_admitted_on"),
        Ask("received_from", "members/ask_received_from", TextField(max_len=200), when=receiving,
            label="members/label_received_from"),
        Ask("received_on", "members/ask_received_on", ReceivedOnField(), when=receiving, validate=received_after,
            label="members/label_received_on", facts=facts),
        Ask("received_note", "members/ask_received_note", TextField(max_len=200, optional=True), when=receiving,
            label="members/label_received_note"),
        Ask("member", "members/ask_member", MemberField(), when=leaving, validate=in_branch,
            label="members/label_member"),
        Ask("left_on", "members/ask_left_on", DateField(), when=leaving, validate=left_after_joining,
            label="members/label_left_on"),
        Ask("left_reason", "members/ask_left_reason", ReasonField(), when=leaving, validate=may_leave_so,
            label="members/label_left_reason"),
        Ask("left_note", "members/ask_left_note", TextField(max_len=200), when=expelling,
            label="members/label_left_note"),
        Ask("moved_to", "members/ask_moved_to", TextField(max_len=200), when=moving, label="members/label_moved_to"),
        Ask("graduate", "members/ask_graduate", MemberField(), when=graduating, validate=graduating_member,
            label="members/label_member"),
        Ask("graduated_on", "members/ask_graduated_on", GraduatedOnField(), when=graduating,
            validate=graduated_after_joining, label="members/label_graduated_on"),
    ),
    confirm="members/confirm",
    check=still_there,
    facts=facts,
    start=start,
    done=save,
)

routes = [flow]
