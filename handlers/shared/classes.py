"""Classes as several conversations need them: finding one by number or title, picking one to
write for (/ghidanh, /ketqualop), and whether a person may write for a candidate in it."""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar


from bot.events import Choice, Reply
from bot.engine.fields import (
    Field,
    Invalid,
)
from bot.engine.flow import Context, Start
from bot.render import text_of
from models.candidate import Candidate
from models.org import Organisation
from models.party_class import (
    ENROLLABLE_STAGES,
    ClassKind,
    ClassRow,
    ancestor_paths,
    class_members,
    class_state,
    get_class,
    list_classes,
)
from models.policy import class_branch_ids, class_writer_grants, classes_writable_by, writes_for_branch
from models.stage import Stage
from models.text import fold, number, tidy



def class_row(row: ClassRow, today: date) -> dict[str, Any]:
    c = row.party_class
    return {"id": c.id, "title": c.title, "kind": str(c.kind), "place": c.place, "starts_on": c.starts_on,
            "ends_on": c.ends_on, "enrol_by": c.enrol_by, "capacity": c.capacity, "enrolled": row.enrolled,
            "mine": row.mine, "org": row.org_name, "state": class_state(c, row.enrolled, today)}


def class_choice_label(row: ClassRow) -> str:
    """A class in a list of choices; the class's number (its key, as in /lop 7) is shown before it."""
    return f"{row.party_class.title} ({row.party_class.starts_on:%d/%m/%Y})"


async def class_value(ctx: Context, row: ClassRow) -> dict[str, Any]:
    """A class as a flow keeps it: what the questions and checks need, JSON-ready."""
    c = row.party_class
    members = await class_members(session=ctx.session, class_id=c.id, branch_ids=class_branch_ids(ctx.actor))
    # My branches' people in it, for a whole class's results in one answer (/ketqualop): "open"
    # while their result may still be recorded (see open_results).
    people = [{"id": m.id, "number": m.number, "full_name": m.full_name, "branch_id": m.branch_id,
               "status": str(e.status), "open": Stage(m.stage) in ENROLLABLE_STAGES[ClassKind(c.kind)]}
              for e, m in members]
    return {"id": c.id, "title": c.title, "kind": str(c.kind), "starts_on": c.starts_on.isoformat(),
            "ends_on": c.ends_on.isoformat(), "enrol_by": c.enrol_by.isoformat(), "capacity": c.capacity,
            "enrolled": row.enrolled, "mine": [e.candidate_id for e, _ in members], "members": people}


async def find_class(ctx: Context, text: str) -> dict[str, Any] | Invalid:
    """A class I may work with, by its number or by words of its title (diacritics optional)."""
    query = tidy(text)
    if not query:
        return Invalid("empty")
    where, branches = classes_writable_by(ctx.actor), class_branch_ids(ctx.actor)
    class_id = number(query.lstrip("#"))
    if class_id is not None:
        row = await get_class(session=ctx.session, where=where, class_id=class_id, branch_ids=branches)
        found = [row] if row else []
    else:
        words = fold(query).split()
        rows = await list_classes(session=ctx.session, where=where, today=ctx.today, branch_ids=branches)
        found = [r for r in rows if all(w in fold(r.party_class.title) for w in words)]
    if not found:
        return Invalid("classes_class_not_found", {"text": query[:50]})
    if len(found) > 1:
        return Invalid("classes_class_ambiguous", {"count": len(found)}, choices=tuple(
            Choice(class_choice_label(r), str(r.party_class.id), key=str(r.party_class.id)) for r in found[:10]))
    return await class_value(ctx, found[0])


@dataclass(frozen=True)
class ClassField(Field):
    """A class visible to my branch, by number or title."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "classes_class_not_found", "classes_class_ambiguous")

    async def resolve(self, text: str, ctx: Context) -> Any:
        return await find_class(ctx, text)

    def show(self, value: Any) -> str:
        return value["title"]


def class_text(key: str) -> str:
    return text_of(f"classes/{key}")


# ---- Picking a class to write for: shared by /ghidanh and /ketqualop ---------------------

async def pick_class(ctx: Context, args: str, *, command: str, want: str) -> Start | dict[str, Any]:
    """The class named after the command, or a reply that ends the flow (read-only, a list to
    pick from, no such class)."""
    if not class_writer_grants(ctx.actor):
        return Start(replies=(Reply("classes/read_only", {}, choices=(
            Choice(class_text("choice_list"), "/lop"),)),), proceed=False)
    if not tidy(args):
        rows = await list_classes(session=ctx.session, where=classes_writable_by(ctx.actor), today=ctx.today,
                                  branch_ids=class_branch_ids(ctx.actor))
        if want == "enrol":
            rows = [r for r in rows if class_state(r.party_class, r.enrolled, ctx.today) == "open"]
        else:
            mine = class_branch_ids(ctx.actor)
            rows = [r for r in rows if r.mine and r.party_class.starts_on <= ctx.today
                    and open_results(await class_members(session=ctx.session, class_id=r.party_class.id,
                                                         branch_ids=mine), str(r.party_class.kind))]
        choices = [Choice(class_choice_label(r), f"{command} {r.party_class.id}", key=str(r.party_class.id))
                   for r in rows[:20]]
        choices.append(Choice(class_text("choice_list"), "/lop", key="/lop"))
        return Start(replies=(Reply(f"classes/pick_for_{want}", {
            "rows": [class_row(r, ctx.today) for r in rows[:20]]}, choices=tuple(choices)),), proceed=False)
    found = await find_class(ctx, args)
    if isinstance(found, Invalid):
        return Start(replies=(Reply("classes/no_such_class", {"text": tidy(args)[:50]}, choices=(
            Choice(class_text("choice_list"), "/lop"),)),), proceed=False)
    return found


def back_to(c: dict[str, Any]) -> tuple[Choice, ...]:
    return (Choice(class_text("choice_view"), f"/lop {c['id']}"), Choice(class_text("choice_list"), "/lop"))


async def writable_candidate(ctx: Context, c: dict[str, Any], candidate_id: int) -> tuple[Any, Any] | Invalid:
    """The class and the candidate, if I am secretary or deputy of the candidate's branch and
    the class is visible to that branch."""
    row = await get_class(session=ctx.session, where=classes_writable_by(ctx.actor), class_id=c["id"])
    candidate = await ctx.session.get(Candidate, candidate_id)
    if row is None or candidate is None:
        return Invalid("classes_class_not_found", {"text": c["title"][:50]})
    if not writes_for_branch(ctx.actor, candidate.branch_id):
        return Invalid("classes_not_your_branch", {"full_name": candidate.full_name})
    branch = await ctx.session.get(Organisation, candidate.branch_id)
    org = await ctx.session.get(Organisation, row.party_class.org_id)
    if org.path not in ancestor_paths(branch.path):
        return Invalid("classes_not_for_branch", {"title": row.party_class.title})
    return row.party_class, candidate


def open_results(members: list[tuple[Any, Candidate]], kind: str) -> list[Candidate]:
    """The enrolled whose result may still be recorded (see _result_open in handlers/class_results.py)."""
    return [m for _, m in members if Stage(m.stage) in ENROLLABLE_STAGES[ClassKind(kind)]]
