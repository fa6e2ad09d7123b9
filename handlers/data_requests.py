"""/yeucau: a secretary or deputy marks a person's request about their data (/dulieu)
acknowledged, or done with what was done. The person is told; a done request is no longer
overdue, so the weekly reminders about it stop (models/consent.py)."""

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.engine.fields import ChoiceField, Field, Invalid, TextField
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.events import Choice, Reply
from bot.render import text_of
from models.consent import Answer, DataRequest, RequestKind, open_requests
from models.data_requests import mark
from models.policy import Action, branch_grants
from models.privacy import carried_by, name_or_initials
from models.text import fold, number, tidy

ACTION = Action.answer_data_request
FOLDED = "folded_name"


async def _open(ctx: Context) -> list[dict[str, Any]]:
    branches = sorted({g.org_id for g in branch_grants(ctx.actor, ACTION)})
    rows = (await ctx.session.exec(open_requests(branches))).all()
    shown = await carried_by(ctx.session, {org for *_, org in rows}, ctx.incoming.channel)
    return [{"id": r.id, "number": number, "full_name": name_or_initials(name, shown.get(org, True)),
             "kind": RequestKind(r.kind).value, "made_on": r.made_on.isoformat(),
             "acknowledged": r.acknowledged_on is not None, "act_by": r.act_by.isoformat(),
             FOLDED: fold(name)}  # to find the person by name where only initials are shown; never kept
            for r, number, name, org in rows]


def _choices(rows: list[dict[str, Any]]) -> tuple[Choice, ...]:
    return tuple(Choice(text_of("data_requests/row", r=r), f"request:{r['id']}") for r in rows)


@dataclass(frozen=True)
class RequestField(Field):
    """One of the open requests: by its number in the list, or words of the person's name."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "request_unknown", "request_ambiguous")

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        return _choices(await _open(ctx))

    async def resolve(self, text: str, ctx: Any) -> Any:
        rows = await _open(ctx)
        query = tidy(text)
        if not query:
            return Invalid("empty", choices=_choices(rows))
        if query.startswith("request:"):
            found = [r for r in rows if f"request:{r['id']}" == query]
        elif (picked := number(query)) is not None:
            found = [rows[picked - 1]] if 1 <= picked <= len(rows) else []
        else:
            words = fold(query).split()
            found = [r for r in rows if all(w in r[FOLDED] for w in words)]
        if not found:
            return Invalid("request_unknown", {"text": query[:50]}, choices=_choices(rows))
        if len(found) > 1:
            return Invalid("request_ambiguous", {"count": len(found)}, choices=_choices(found))
        return {k: v for k, v in found[0].items() if k != FOLDED}

    def show(self, value: Any) -> str:
        return text_of("data_requests/row", r=value)


def _done(answers: Answers) -> bool:
    return answers.get("answer") == Answer.done


async def start(ctx: Context, args: str) -> Start:
    if not await _open(ctx):
        return Start(replies=(Reply("data_requests/none"),), proceed=False)
    return Start()


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    picked = answers["request"]
    request = await ctx.session.get(DataRequest, picked["id"])
    if request is None or request.done_on is not None:  # done meanwhile, or the person erased
        return [Reply("data_requests/gone", {"r": picked})]
    kind = Answer(answers["answer"])
    told = await mark(session=ctx.session, request=request, kind=kind, today=ctx.today, now=ctx.now,
                      by=ctx.actor.person_id, outcome=answers.get("outcome"))
    return [Reply("data_requests/saved", {"r": picked, "answer": kind.value, "told": told})]


flow = Flow(
    name="data_requests",
    commands=("/yeucau",),
    action=ACTION,
    help="help/yeucau",
    steps=(
        Ask("request", "data_requests/ask_request", RequestField(), label="data_requests/label_request"),
        Ask("answer", "data_requests/ask_answer", ChoiceField("data_answer"), label="data_requests/label_answer"),
        Ask("outcome", "data_requests/ask_outcome", TextField(max_len=500), when=_done,
            label="data_requests/label_outcome"),
    ),
    confirm="data_requests/confirm",
    start=start,
    done=save,
)

routes = [flow]
