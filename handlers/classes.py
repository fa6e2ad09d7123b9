"""/lop and /taolop: awareness and new-member classes — the classes I can see, and creating one;
also what /ghidanh (handlers/enrolment.py) and /ketqualop (handlers/class_results.py) share."""

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa

from bot.events import Choice, Reply
from bot.engine.fields import (
    ChoiceField,
    DateField,
    Field,
    Invalid,
    NumberField,
    TextField,
)
from bot.engine.pickers import more_key
from bot.engine.flow import Answers, Ask, Command, Context, Flow, Start
from bot.render import text_of
from models.audit import audit
from models.org import Organisation
from models.party_class import (
    CLASS_MAX_CAPACITY,
    CLASS_MIN_CAPACITY,
    ClassKind,
    NewClass,
    class_members,
    class_state,
    create_class,
    enrolled_by_branch,
    get_class,
    list_classes,
)
from handlers.shared.classes import class_choice_label, class_row, class_text, open_results
from models.policy import classes_seen_by, class_branch_ids, class_writer_grants, classes_writable_by
from models.policy import Action, Actor, Grant, may
from models.stage import OrgKind, Role
from models.text import fold, number, tidy

ABOVE = frozenset({Role.committee, Role.admin})


# ---- /lop: the list and one class ------------------------------------------------------

_PAGE = re.compile(r"^trang\s*(\d+)$")


async def show_classes(ctx: Context, args: str) -> list[Reply]:
    query = tidy(args)
    folded = fold(query)
    page_match = _PAGE.match(folded)
    if (class_id := number(folded.lstrip("#"))) is not None:
        return await show_card(ctx, class_id)
    rows = await list_classes(session=ctx.session, where=classes_seen_by(ctx.actor), today=ctx.today,
                              branch_ids=class_branch_ids(ctx.actor))
    if query and not page_match:
        words = folded.split()
        rows = [r for r in rows if all(w in fold(r.party_class.title) for w in words)]
        if len(rows) == 1:
            return await show_card(ctx, rows[0].party_class.id)
    page = int(page_match.group(1)) if page_match else 1
    size = ctx.settings.page_size
    pages = max(1, math.ceil(len(rows) / size))
    if page < 1 or page > pages:
        return [Reply("classes/no_such_page", {"page": page, "pages": pages})]
    shown = rows[(page - 1) * size: page * size]
    can_create = may(ctx.actor, Action.create_class)
    choices = [Choice(class_choice_label(r), f"/lop {r.party_class.id}", key=str(r.party_class.id)) for r in shown]
    if page < pages:
        choices.append(Choice(class_text("choice_more"), f"/lop trang {page + 1}", key=more_key()))
    if can_create:
        choices.append(Choice(class_text("choice_create"), "/taolop", key="/taolop"))
    return [Reply("classes/list", {
        "rows": [class_row(r, ctx.today) for r in shown], "total": len(rows), "page": page, "pages": pages,
        "query": query if query and not page_match else None, "writer": bool(class_writer_grants(ctx.actor)),
        "can_create": can_create,
    }, choices=tuple(choices))]


async def show_card(ctx: Context, class_id: int) -> list[Reply]:
    branches = class_branch_ids(ctx.actor)
    row = await get_class(session=ctx.session, where=classes_seen_by(ctx.actor), class_id=class_id, branch_ids=branches)
    if row is None:
        return [Reply("classes/no_such_class", {"text": str(class_id)}, choices=(
            Choice(class_text("choice_list"), "/lop"),))]
    c = row.party_class
    writer = bool(branches) and bool((await get_class(
        session=ctx.session, where=classes_writable_by(ctx.actor), class_id=class_id)))
    members = await class_members(session=ctx.session, class_id=c.id, branch_ids=branches) if writer else []
    above = [g.org_path for g in ctx.actor.grants_for(Action.view_classes) if g.role in ABOVE]
    by_branch = await enrolled_by_branch(
        session=ctx.session, class_id=c.id,
        branches=sa.or_(*(Organisation.path.startswith(p) for p in above))) if above else []
    state = class_state(c, row.enrolled, ctx.today)
    choices = []
    if writer and state == "open":
        choices.append(Choice(text_of("classes/choice_enrol", kind=str(c.kind)), f"/ghidanh {c.id}"))
    if writer and open_results(members, str(c.kind)) and state in ("ongoing", "over"):
        choices.append(Choice(class_text("choice_results"), f"/ketqualop {c.id}"))
    choices.append(Choice(class_text("choice_list"), "/lop"))
    return [Reply("classes/card", {
        "c": class_row(row, ctx.today), "writer": writer, "above": bool(above),
        "members": [{"number": m.number, "full_name": m.full_name, "status": str(e.status),
                     "certificate_number": e.certificate_number, "certificate_on": e.certificate_on}
                    for e, m in members],
        "by_branch": [{"name": name, "count": count} for name, count in by_branch],
    }, choices=tuple(choices))]


list_command = Command(name="classes", commands=("/lop", "/lophoc"), action=Action.view_classes,
                       help="help/lop", run=show_classes)


# ---- /taolop: create a class -------------------------------------------------------------

def creator_orgs(actor: Actor) -> list[Grant]:
    """Where I may create a class: my branch, or my committee's node; highest first."""
    seen: dict[int, Grant] = {}
    for g in actor.grants_for(Action.create_class):
        seen.setdefault(g.org_id, g)
    return sorted(seen.values(), key=lambda g: (g.org_path.count("/"), g.org_name))


@dataclass(frozen=True)
class OrgField(Field):
    """One of the organisations I create classes for, by its number in the list or its name."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "classes_org_not_found")

    async def resolve(self, text: str, ctx: Context) -> Any:
        query = tidy(text)
        if not query:
            return Invalid("empty")
        orgs = creator_orgs(ctx.actor)
        picked = number(query)
        if picked is not None and 1 <= picked <= len(orgs):
            found = [orgs[picked - 1]]
        else:
            found = [g for g in orgs if all(w in fold(g.org_name) for w in fold(query).split())]
        if len(found) != 1:
            return Invalid("classes_org_not_found", {"text": query[:50]})
        return {"id": found[0].org_id, "name": found[0].org_name}

    def show(self, value: Any) -> str:
        return value["name"]


@dataclass(frozen=True)
class ClassDateField(DateField):
    """A class's date: future dates welcome; the order of the dates is checked too."""

    past_only: bool = False
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + (
        "classes_ends_before_start", "classes_enrol_after_start")


def ends_after_start(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    if "starts_on" in answers and value < answers["starts_on"]:
        return Invalid("classes_ends_before_start", {"starts_on": answers["starts_on"], "ends_on": value})
    return None


def enrol_by_start(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    if "starts_on" in answers and value > answers["starts_on"]:
        return Invalid("classes_enrol_after_start", {"starts_on": answers["starts_on"], "enrol_by": value})
    return None


async def create_start(ctx: Context, args: str) -> Start:
    orgs = creator_orgs(ctx.actor)
    if len(orgs) == 1:
        branch = await _is_branch(ctx, orgs[0].org_id)
        return Start(answers={"org": {"id": orgs[0].org_id, "name": orgs[0].org_name}},
                     replies=(Reply("classes/create_intro", {"org": orgs[0].org_name, "branch": branch}),))
    return Start(replies=(Reply("classes/create_intro", {"org": None, "orgs": [g.org_name for g in orgs]}),))


async def _is_branch(ctx: Context, org_id: int) -> bool:
    """A branch's own class is for itself; a committee's is for the branches under it."""
    org = await ctx.session.get(Organisation, org_id)
    return org is not None and org.kind == OrgKind.branch


async def create_check(ctx: Context, answers: Answers) -> Invalid | None:
    if answers["org"]["id"] not in {g.org_id for g in creator_orgs(ctx.actor)}:
        return Invalid("classes_org_not_found", {"text": answers["org"]["name"][:50]})
    return (ends_after_start(answers["ends_on"], answers, ctx)
            or enrol_by_start(answers["enrol_by"], answers, ctx))


async def create_done(ctx: Context, answers: Answers) -> list[Reply]:
    party_class = await create_class(session=ctx.session, now=ctx.now, new=NewClass(
        org_id=answers["org"]["id"], kind=ClassKind(answers["kind"]), title=answers["title"],
        place=answers["place"], starts_on=answers["starts_on"], ends_on=answers["ends_on"],
        enrol_by=answers["enrol_by"], capacity=answers["capacity"]))
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.create_class,
          subject=f"class:{party_class.id}")
    return [Reply("classes/created", {"id": party_class.id, "title": party_class.title,
                                      "org": answers["org"]["name"],
                                      "branch": await _is_branch(ctx, party_class.org_id)},
                  choices=(Choice(class_text("choice_view"), f"/lop {party_class.id}"),
                           Choice(class_text("choice_list"), "/lop")))]


create_flow = Flow(
    name="class_create",
    commands=("/taolop",),
    action=Action.create_class,
    help="help/taolop",
    start=create_start,
    steps=(
        Ask("org", "classes/ask_org", OrgField(), label="classes/label_org"),
        Ask("kind", "classes/ask_kind", ChoiceField("class_kind"), label="classes/label_kind"),
        Ask("title", "classes/ask_title", TextField(max_len=200), label="classes/label_title"),
        Ask("place", "classes/ask_place", TextField(max_len=200), label="classes/label_place"),
        Ask("starts_on", "classes/ask_starts_on", ClassDateField(), label="classes/label_starts_on"),
        Ask("ends_on", "classes/ask_ends_on", ClassDateField(), validate=ends_after_start,
            label="classes/label_ends_on"),
        Ask("enrol_by", "classes/ask_enrol_by", ClassDateField(), validate=enrol_by_start,
            label="classes/label_enrol_by"),
        Ask("capacity", "classes/ask_capacity", NumberField(minimum=CLASS_MIN_CAPACITY, maximum=CLASS_MAX_CAPACITY),
            label="classes/label_capacity"),
    ),
    confirm="classes/confirm_create",
    check=create_check,
    done=create_done,
)

routes = [list_command, create_flow]
