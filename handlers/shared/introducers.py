"""The introducers asked with the 3-KNĐ letters (/ghihoso): an official member of the candidate's
branch, from its roster (models/roster.py), and the day they began working, studying or living
with the person; for someone who is not a Youth Union member, whether the Trade Union committee
introduces beside one member (a unit without a Youth Union); and, where the letters are already
dated, whether only the introducers are recorded, the letters keeping their date. The rule is
models.eligibility (introduction_refusals, check_introducers, union_route, introducers_only)."""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.engine.fields import DateField, Field, Invalid
from bot.engine.flow import Answers, Context
from bot.events import Choice
from bot.render import text_of
from models.eligibility import LETTERS_ITEM, introducers_only, members_required
from models.policy import Action, branch_grants
from models.roster import MemberStatus, PartyMember, branch_roster, official_on
from models.rules import INTRODUCER_MIN_MONTHS_TOGETHER, add_months
from models.text import fold, number, tidy

ACTION = Action.manage_dossier
# By position: 0 the one official member beside the Youth Union's resolution (asked without
# "thứ nhất"), 1 and 2 the two official members introducing anyone else.
STEPS = (("introducer", "together"), ("introducer_1", "together_1"), ("introducer_2", "together_2"))


def _entry(m: PartyMember) -> dict[str, Any]:
    return {"id": m.id, "name": m.full_name, "status": MemberStatus(m.status).value, "since": m.since,
            "org_id": m.org_id}


async def _members(ctx: Context) -> list[dict[str, Any]]:
    """The members on the rosters of the branches where this person keeps the dossiers."""
    out: list[dict[str, Any]] = []
    for org_id in dict.fromkeys(g.org_id for g in branch_grants(ctx.actor, ACTION)):
        out += [_entry(m) for m in await branch_roster(session=ctx.session, org_id=org_id)]
    return out


def _official(members: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    return [m for m in members if m["status"] == MemberStatus.official and m["since"] <= today]


def _choices(members: list[dict[str, Any]]) -> tuple[Choice, ...]:
    return tuple(Choice(text_of("members/member", m=m), f"id:{m['id']}") for m in members)


@dataclass(frozen=True)
class IntroducerField(Field):
    """An official member on the roster: by the number in the list shown, or part of the name."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "members_not_found", "members_ambiguous",
                                          "introducer_no_members", "introducer_not_official",
                                          "introducer_other_branch", "introducer_same")

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        return _choices(_official(await _members(ctx), ctx.today))

    async def resolve(self, text: str, ctx: Context) -> Any:
        members = await _members(ctx)
        official = _official(members, ctx.today)
        query = tidy(text)
        if not official:
            return Invalid("introducer_no_members")
        if not query:
            return Invalid("empty", choices=_choices(official))
        if query.startswith("id:"):
            found = [m for m in members if str(m["id"]) == query[3:]]
        elif (n := number(query.lstrip("#"))) is not None:
            found = [official[n - 1]] if 1 <= n <= len(official) else []
        else:
            words = fold(query).split()
            found = [m for m in members if all(w in fold(m["name"]) for w in words)]
        if len(found) > 1:
            found = [m for m in found if m in official] or found
        if not found:
            return Invalid("members_not_found", {"text": query[:50]}, choices=_choices(official))
        if len(found) > 1:
            return Invalid("members_ambiguous", {"count": len(found)}, choices=_choices(found))
        if found[0] not in official:
            return Invalid("introducer_not_official", {"name": found[0]["name"]}, choices=_choices(official))
        return found[0]

    def dump(self, value: Any) -> Any:
        return {**value, "since": value["since"].isoformat()}

    def load(self, raw: Any) -> Any:
        return {**raw, "since": date.fromisoformat(raw["since"])}

    def show(self, value: Any) -> str:
        return value["name"]


@dataclass(frozen=True)
class TogetherField(DateField):
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("dossier_before_birth", "introducer_too_recent")


KEEP = "keep"  # the letters' answer: only the introducers, the 3-KNĐ keeping its date
TRADE_UNION = "trade_union"  # the route's answer: the Trade Union committee and one member


def letters(a: Answers) -> bool:
    return a.get("item") == LETTERS_ITEM


def _with_roster(a: Answers) -> bool:
    return letters(a) and a.get("candidate") is not None and a["candidate"].get("has_roster", True)


def letters_on(a: Answers) -> date | None:
    """The day the 3-KNĐ letters are already dated, if they are."""
    raw = (a.get("candidate") or {}).get("letters_on")
    return date.fromisoformat(raw) if raw else None


def asks_keep(a: Answers) -> bool:
    """The letters are already dated and the branch keeps a roster: record only the introducers?"""
    return letters(a) and introducers_only(letters_on=letters_on(a), has_roster=_with_roster(a))


def keeps_date(a: Answers) -> bool:
    return asks_keep(a) and a.get("letters") == KEEP


def new_date(a: Answers) -> bool:
    """The item's date is asked (not when only the introducers are recorded)."""
    return not keeps_date(a)


def asks_route(a: Answers) -> bool:
    """Someone who is not a Youth Union member: two members, or the Trade Union's committee and one."""
    return _with_roster(a) and not a["candidate"].get("youth_union")


def trade_union(a: Answers) -> bool:
    return asks_route(a) and a.get("route") == TRADE_UNION


def letters_dated(a: Answers) -> date | None:
    """The letters' date: the one answered, or the one kept."""
    return letters_on(a) if keeps_date(a) else a.get("dated")


def required(a: Answers) -> int:
    """How many introducers are asked: none but with the letters where the branch keeps a roster
    (and, for someone not in the Youth Union, once the route is chosen)."""
    if not _with_roster(a) or (asks_route(a) and "route" not in a):
        return 0
    return members_required(youth_union_member=bool(a["candidate"].get("youth_union")),
                            trade_union=trade_union(a))


def asked(position: int):
    """Position 0 where one official member introduces (a Youth Union member); 1 and 2 where two must."""

    def when(a: Answers) -> bool:
        count = required(a)
        return count == 1 if position == 0 else count >= 2 and position <= count

    return when


def introducer_ok(position: int):
    """Of the candidate's branch, and not the one named before."""

    def validate(value: dict[str, Any], answers: Answers, ctx: Context) -> Invalid | None:
        if value["org_id"] != answers["candidate"]["branch_id"]:
            return Invalid("introducer_other_branch", {"name": value["name"]})
        first = answers.get(STEPS[1][0])
        if position == 2 and first is not None and first["id"] == value["id"]:
            return Invalid("introducer_same", {"name": value["name"]})
        return None

    return validate


def together_ok(position: int):
    """Not before the candidate's birth; the letter written after 12 months together."""

    def validate(value: date, answers: Answers, ctx: Context) -> Invalid | None:
        return together_problem(value, answers, answers.get(STEPS[position][0]) or {})

    return validate


def together_problem(value: date, answers: Answers, who: dict[str, Any]) -> Invalid | None:
    born = date.fromisoformat(answers["candidate"]["birth_date"])
    if value < born:
        return Invalid("dossier_before_birth", {"birth_date": born})
    qualifies_on = add_months(value, INTRODUCER_MIN_MONTHS_TOGETHER)
    dated = letters_dated(answers)
    if dated is not None and qualifies_on > dated:
        return Invalid("introducer_too_recent", {"name": who.get("name"), "qualifies_on": qualifies_on,
                                                 "dated": dated})
    return None


def chosen(answers: Answers) -> list[tuple[dict[str, Any], date]]:
    """The introducers answered (where asked), in order, with their day together."""
    return [(answers[who], answers[since]) for position, (who, since) in enumerate(STEPS)
            if who in answers and since in answers and asked(position)(answers)]


async def check_chosen(ctx: Context, answers: Answers) -> Invalid | None:
    """Again before the confirmation and the save: each still an official member of the branch,
    the two not the same, each with the person 12 months before the letters' date."""
    if not required(answers):
        return None
    members = {m.id: m for m in await branch_roster(session=ctx.session, org_id=answers["candidate"]["branch_id"])}
    seen: set[int] = set()
    for who, since in chosen(answers):
        member = members.get(who["id"])
        if member is None or not official_on(member, ctx.today):
            return Invalid("introducer_not_official", {"name": who["name"]})
        if who["id"] in seen:
            return Invalid("introducer_same", {"name": who["name"]})
        seen.add(who["id"])
        problem = together_problem(since, answers, who)
        if problem:
            return problem
    return None
