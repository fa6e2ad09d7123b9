"""/chitieu and /datchitieu: targets (chỉ tiêu) and progress; a committee sets its branches' targets."""

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from bot.events import Choice, Reply
from bot.engine.fields import Field, Invalid, NumberField, match_choice
from bot.engine.flow import Answers, Ask, Command, Context, Flow, Start
from bot.render import environment, labels, text_of
from models.audit import audit
from models.org import Organisation
from models.org_target import OrgTarget
from models.policy import Action, branch_grants, may
from models.stage import Role
from models.target_queries import (
    MAX_ADMISSIONS, TAGS, orgs_at, orgs_below, parse_period, period_label, shares_of, target_for,
    target_status, targets_of, upsert_target,
)
from models.targets import Share, calendar_year, composition_changes, merge_composition, school_year_containing
from models.text import fold, number, page_number, tidy

ORGS_PER_PAGE = 5
COMPOSITION_STEPS = ("comp1", "comp2", "comp3")
NO_MORE = "none"
# How far ahead a target may be set (in years from today's school year).
FURTHEST_YEARS_AHEAD = 2


def tag_labels() -> dict[str, str]:
    return dict(environment().get_template("targets/tags.j2").module.tag)


def _committee_paths(ctx: Context, action: Action) -> list[str]:
    return [g.org_path for g in ctx.actor.grants_for(action) if g.role in (Role.committee, Role.admin)]


async def settable_orgs(ctx: Context) -> list[Organisation]:
    """The organisations below the committees where this person sits (never their own)."""
    return await orgs_below(session=ctx.session, paths=_committee_paths(ctx, Action.set_targets))


# ---- /chitieu: what the targets are and where they stand ---------------------------------

async def _section(ctx: Context, orgs: list[Organisation]) -> list[dict[str, Any]]:
    return [{"name": o.name, "targets": await targets_of(session=ctx.session, org=o, today=ctx.today)}
            for o in orgs]


async def show_targets(ctx: Context, args: str) -> list[Reply]:
    page = page_number(args)
    own_ids = [g.org_id for g in branch_grants(ctx.actor, Action.view_targets)]
    own_ids += [g.org_id for g in ctx.actor.grants_for(Action.view_targets) if g.role in (Role.committee, Role.admin)]
    own = await orgs_at(session=ctx.session, ids=sorted(set(own_ids)))
    below = await orgs_below(session=ctx.session, paths=_committee_paths(ctx, Action.view_targets))
    below = [o for o in below if o.id not in {x.id for x in own}]
    pages = max(1, math.ceil(len(below) / ORGS_PER_PAGE))
    if page > pages:
        return [Reply("targets/no_such_page", {"page": page, "pages": pages})]
    shown = below[(page - 1) * ORGS_PER_PAGE:page * ORGS_PER_PAGE]
    can_set = may(ctx.actor, Action.set_targets) and bool(below)
    choices = []
    if can_set:
        choices.append(Choice(text_of("targets/choice_set"), "/datchitieu"))
    if page < pages:
        choices.append(Choice(labels("more")["next"], f"/chitieu {page + 1}"))
    return [Reply("targets/list", {
        "own": await _section(ctx, own) if page == 1 else [], "below": await _section(ctx, shown),
        "page": page, "pages": pages, "total_below": len(below), "can_set": can_set,
    }, choices=tuple(choices))]


# ---- /datchitieu: a committee sets a branch's target --------------------------------------

@dataclass(frozen=True)
class OrgField(Field):
    """An organisation below mine: its number in the list shown, or part of its name."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "targets_org_not_found", "targets_org_ambiguous")

    async def resolve(self, text: str, ctx: Context) -> Any:
        query = tidy(text)
        if not query:
            return Invalid("empty")
        orgs = await settable_orgs(ctx)
        every = tuple(Choice(o.name, f"org:{o.id}") for o in orgs)
        if query.startswith("org:"):
            found = [o for o in orgs if f"org:{o.id}" == query]
        elif (picked := number(query)) is not None:
            found = [orgs[picked - 1]] if 1 <= picked <= len(orgs) else []
        else:
            words = fold(query).split()
            found = [o for o in orgs if all(w in fold(o.name) for w in words)]
        if not found:
            return Invalid("targets_org_not_found", {"text": query[:50]}, choices=every)
        if len(found) > 1:
            return Invalid("targets_org_ambiguous", {"count": len(found)}, choices=tuple(
                Choice(o.name, f"org:{o.id}") for o in found))
        return {"id": found[0].id, "name": found[0].name}

    def show(self, value: Any) -> str:
        return value["name"]


THIS_YEAR, NEXT_YEAR, CALENDAR = "nam hoc nay", "nam hoc toi", "nam nay"


@dataclass(frozen=True)
class PeriodField(Field):
    """A school year "2026-2027" (from 1 September), a calendar year "2026", or a choice."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "targets_period_bad", "targets_period_past",
                                          "targets_period_far")

    def choices(self) -> tuple[Choice, ...]:
        return (Choice(text_of("targets/choice_this_year"), THIS_YEAR),
                Choice(text_of("targets/choice_next_year"), NEXT_YEAR),
                Choice(text_of("targets/choice_calendar_year"), CALENDAR))

    def parse(self, text: str, today: date) -> Any:
        cleaned = tidy(text)
        if not cleaned:
            return Invalid("empty", choices=self.choices())
        this = school_year_containing(today)
        word = fold(cleaned)
        if word == THIS_YEAR:
            period = this
        elif word == NEXT_YEAR:
            period = school_year_containing(this.end + timedelta(days=1))
        elif word == CALENDAR:
            period = calendar_year(today.year)
        else:
            parsed = parse_period(cleaned)
            if parsed is None:
                return Invalid("targets_period_bad", {"text": cleaned[:50]}, choices=self.choices())
            period = parsed[1]
        if period.end < today:
            return Invalid("targets_period_past", {"label": period_label(period), "today": today},
                           choices=self.choices())
        if period.start.year > this.start.year + FURTHEST_YEARS_AHEAD:
            return Invalid("targets_period_far", {"label": period_label(period),
                                                  "years": FURTHEST_YEARS_AHEAD}, choices=self.choices())
        return period_label(period)

    def show(self, value: Any) -> str:
        return text_of("targets/period_name", label=value)


_PAIR = re.compile(r"^(.*?)[\s=:]*(\d{1,4})$")
# A share: the group, "trên" / ">" (more than) or "ít nhất" / ">=" (at least, also with no
# word), a percentage: "Đoàn viên trên 60%", "doanh nghiep >= 2%" (matched on folded text).
_SHARE_PAIR = re.compile(r"^(.*?)[\s:]*(>=|>|tren|it nhat|tu)?\s*(\d{1,3})\s*%$")


@dataclass(frozen=True)
class CompositionField(Field):
    """A required composition: a group and how many at least ("Đoàn viên 2"; 0 drops an earlier
    requirement of that group), or no more."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "choice_unknown", "number_out_of_range")

    def choices(self) -> tuple[Choice, ...]:
        names = tag_labels()
        return (Choice(text_of("targets/choice_no_more"), NO_MORE),) + tuple(Choice(names[t], t) for t in TAGS)

    def parse(self, text: str, today: date) -> Any:
        cleaned = tidy(text)
        if not cleaned:
            return Invalid("empty", choices=self.choices())
        if cleaned == NO_MORE:
            return {"tag": NO_MORE}
        if cleaned.endswith("%"):
            return self.parse_share(cleaned)
        match = _PAIR.match(cleaned)
        words, count = (match.group(1), int(match.group(2))) if match and match.group(1) else (cleaned, 1)
        tag = match_choice(words, self.choices())
        if tag is None:
            return Invalid("choice_unknown", {"text": cleaned[:50]}, choices=self.choices())
        if tag == NO_MORE:
            return {"tag": NO_MORE}
        if not 0 <= count <= MAX_ADMISSIONS:
            return Invalid("number_out_of_range", {"minimum": 0, "maximum": MAX_ADMISSIONS},
                           choices=self.choices())
        return {"tag": tag, "count": count}

    def parse_share(self, cleaned: str) -> Any:
        match = _SHARE_PAIR.match(fold(cleaned.replace("≥", ">=")))
        tag = match_choice(match.group(1), self.choices()) if match and match.group(1) else None
        if tag is None or tag == NO_MORE:
            return Invalid("choice_unknown", {"text": cleaned[:50]}, choices=self.choices())
        if int(match.group(3)) > 100:
            return Invalid("number_out_of_range", {"minimum": 0, "maximum": 100}, choices=self.choices())
        return {"tag": tag, "percent": int(match.group(3)), "strict": match.group(2) in (">", "tren")}

    def show(self, value: Any) -> str:
        if value["tag"] == NO_MORE:
            return ""
        if "percent" in value:
            return text_of("targets/share_pair", label=tag_labels()[value["tag"]], percent=value["percent"],
                           strict=value["strict"])
        return text_of("targets/pair", label=tag_labels()[value["tag"]], count=value["count"])


def composition(answers: Answers) -> dict[str, int]:
    """The pairs answered, up to the first "no more" (a target of 0 asks for none); a count of 0
    drops that group's earlier requirement."""
    if not answers.get("admissions"):
        return {}
    pairs: dict[str, int] = {}
    for name in COMPOSITION_STEPS:
        pair = answers.get(name)
        if not pair or pair["tag"] == NO_MORE:
            break
        if "count" in pair:
            pairs[pair["tag"]] = pair["count"]
    return pairs


def shares_answered(answers: Answers) -> dict[str, Share]:
    """The shares answered in the composition steps ("Đoàn viên trên 60%"), by group."""
    found: dict[str, Share] = {}
    for name in COMPOSITION_STEPS:
        pair = answers.get(name)
        if not pair or pair["tag"] == NO_MORE:
            break
        if "percent" in pair:
            found[pair["tag"]] = Share(pair["tag"], pair["percent"], strict=pair["strict"])
    return found


def shares_after(row: OrgTarget | None, answers: Answers) -> tuple[Share, ...]:
    """The target's shares after saving: the earlier ones stay unless answered again (0 % drops one)."""
    merged = {s.measure: s for s in (shares_of(row) if row else ())} | shares_answered(answers)
    return tuple(s for s in merged.values() if s.percent > 0)


def _pair_ok(name: str):
    def validate(value: Any, answers: Answers, ctx: Context) -> Invalid | None:
        if value["tag"] == NO_MORE:
            return None
        before = [answers.get(n) for n in COMPOSITION_STEPS[:COMPOSITION_STEPS.index(name)]]
        if any(p and p["tag"] == value["tag"] for p in before):
            return Invalid("targets_tag_repeated", {"label": tag_labels()[value["tag"]]})
        if value.get("count", 0) > answers.get("admissions", 0):
            return Invalid("targets_composition_over", {"count": value["count"],
                                                        "admissions": answers.get("admissions", 0)})
        return None

    return validate


def _asks_pair(index: int):
    def when(answers: Answers) -> bool:
        if not answers.get("admissions"):
            return False
        for previous in COMPOSITION_STEPS[:index]:
            pair = answers.get(previous)
            if not pair or pair["tag"] == NO_MORE:
                return False
        return True

    return when


async def start_setting(ctx: Context, args: str) -> Start:
    orgs = await settable_orgs(ctx)
    if not orgs:
        return Start(proceed=False, replies=(Reply("targets/nothing_below"),))
    return Start(replies=(Reply("targets/pick_org", {"orgs": [] if args else [o.name for o in orgs]}),))


async def planned(ctx: Context, answers: Answers) -> tuple[OrgTarget | None, dict[str, int]]:
    """The target set for the period so far (None when there is none) and the composition after
    saving: earlier requirements the answers do not name are kept."""
    row = await target_for(session=ctx.session, org_id=answers["org"]["id"], label=answers["period"])
    kept = dict(row.composition or {}) if row else {}
    return row, merge_composition(kept, composition(answers), answers["admissions"])


async def target_facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """For the confirmation screen: the target this replaces, and what each requirement becomes."""
    row, after = await planned(ctx, answers)
    before = dict(row.composition or {}) if row else {}
    named = composition(answers)
    return {"existing": row is not None, "admissions_before": row.admissions if row else None,
            "changes": [{"tag": t, "before": b, "after": a} for t, b, a in composition_changes(before, after)],
            "kept": [t for t in after if t in before and t not in named],
            "shares": [{"measure": x.measure, "percent": x.percent, "strict": x.strict}
                       for x in shares_after(row, answers)] if row is not None else []}


async def check_target(ctx: Context, answers: Answers) -> Invalid | None:
    if "org" in answers and answers["org"]["id"] not in {o.id for o in await settable_orgs(ctx)}:
        return Invalid("targets_org_not_found", {"text": answers["org"]["name"]})
    _, after = await planned(ctx, answers)
    over = {t: n for t, n in after.items() if n > answers.get("admissions", 0)}
    if over:
        tag, count = next(iter(over.items()))
        return Invalid("targets_composition_over", {"count": count, "admissions": answers["admissions"]})
    return None


async def save_target(ctx: Context, answers: Answers) -> list[Reply]:
    label, period = parse_period(answers["period"])
    before, after = await planned(ctx, answers)
    row, created = await upsert_target(
        session=ctx.session, org_id=answers["org"]["id"], label=label, period=period,
        admissions=answers["admissions"], composition=after,
        set_by=ctx.actor.person_id, now=ctx.now, shares=shares_after(before, answers))
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.set_targets,
          subject=f"org:{row.org_id}")
    org = await ctx.session.get(Organisation, row.org_id)
    status = await target_status(session=ctx.session, org=org, row=row)
    return [Reply("targets/saved", {"t": status, "created": created})]


set_flow = Flow(
    name="set_target",
    commands=("/datchitieu",),
    action=Action.set_targets,
    help="help/datchitieu",
    steps=(
        Ask("org", "targets/ask_org", OrgField(), label="targets/label_org"),
        Ask("period", "targets/ask_period", PeriodField(), label="targets/label_period"),
        Ask("admissions", "targets/ask_admissions", NumberField(minimum=0, maximum=MAX_ADMISSIONS),
            label="targets/label_admissions"),
        *(Ask(name, "targets/ask_composition", CompositionField(), validate=_pair_ok(name),
              when=_asks_pair(i), label=f"targets/label_{name}")
          for i, name in enumerate(COMPOSITION_STEPS)),
    ),
    confirm="targets/confirm",
    check=check_target,
    facts=target_facts,
    start=start_setting,
    done=save_target,
)

view_command = Command(name="targets", commands=("/chitieu",), action=Action.view_targets,
                       help="help/chitieu", run=show_targets)

routes = [view_command, set_flow]
