"""/nhanve: a candidate received from another branch or place brings their history — where they
came from, the stage reached there and since when, the awareness-class certificate, the
admission papers already made (models/reception.py). The person is added first with /them."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.engine.fields import Field, Invalid, TextField, parse_date
from bot.engine.flow import Answers, Ask, Context, Flow
from bot.engine.pickers import CandidatePicker
from bot.events import Reply
from handlers.shared.admission_steps import FactDateField, OptionField, explain
from handlers.shared.branches import candidate_branch
from models.audit import audit
from models.candidate import Candidate, candidate_within
from models.policy import Action, candidate_scope
from models.reception import (
    CERTIFICATE_STAGES, RECEIVED_ITEMS, RECEIVED_STAGES, Reception, certificate_missing, certificate_refusal,
    items_refusal, receivable_refusal, reception_of, reception_refusal, received_on_refusal, record_reception,
    since_refusal,
)
from models.rules import Refusal
from models.stage import Stage
from models.text import fold, tidy

AREA = "reception"
RULE = ("reception_rule",)


@dataclass(frozen=True)
class ReceivedPicker(CandidatePicker):
    """A candidate of the branch, with whether a history was already brought for them."""

    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + RULE

    async def picked(self, ctx: Any, candidate: Candidate) -> Any:
        return {**await super().picked(ctx, candidate),
                "received": await reception_of(ctx.session, candidate.id) is not None}


@dataclass(frozen=True)
class HistoryDateField(FactDateField):
    reasons: ClassVar[tuple[str, ...]] = FactDateField.reasons + RULE


@dataclass(frozen=True)
class CertificateNumberField(TextField):
    reasons: ClassVar[tuple[str, ...]] = TextField.reasons + RULE


_ITEM = re.compile(r"^\s*([0-9]{1,2})\s*(?:-?\s*knd)?\s+(.+?)\s*$")


@dataclass(frozen=True)
class PapersField(Field):
    """The admission papers made there, each with its date: "1-KNĐ 12/01/2026", several
    separated by a new line, ";" or ","; or "Bỏ qua"."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "reception_papers_bad") + RULE

    def choices(self) -> tuple[Any, ...]:
        return TextField(optional=True).choices()

    def parse(self, text: str, today: date) -> Any:
        skipped = TextField(optional=True).parse(text, today)
        if skipped is None or isinstance(skipped, Invalid):
            return {} if skipped is None else skipped
        papers: dict[str, str] = {}
        for part in re.split(r"[\n;,]+", text):
            if not tidy(part):
                continue
            found = _ITEM.match(fold(part))
            code = f"{int(found.group(1))}-KNĐ" if found else None
            on = parse_date(found.group(2), today) if found else None
            if code not in RECEIVED_ITEMS or not isinstance(on, date) or code in papers:
                return Invalid("reception_papers_bad", {"text": tidy(part)[:50], "items": RECEIVED_ITEMS})
            papers[code] = on.isoformat()
        return papers

    def show(self, value: Any) -> str:
        if not value:
            return ""
        return "; ".join(f"{code} {date.fromisoformat(on):%d/%m/%Y}" for code, on in value.items())


def _birth(a: Answers) -> date:
    return date.fromisoformat(a["candidate"]["birth_date"])


def _said(refusal: Refusal | None) -> Invalid | None:
    return explain(refusal, AREA) if refusal else None


def candidate_ok(value: dict, answers: Answers, ctx: Context) -> Invalid | None:
    return _said(receivable_refusal(value["stage"], received=value["received"]))


def received_on_ok(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    return _said(received_on_refusal(value, today=ctx.today, birth=_birth(answers)))


def since_ok(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    return _said(since_refusal(value, received_on=answers["received_on"], today=ctx.today, birth=_birth(answers)))


def number_ok(value: str | None, answers: Answers, ctx: Context) -> Invalid | None:
    return _said(certificate_missing(answers["stage"], certified=bool(value)))


def certificate_ok(value: date, answers: Answers, ctx: Context) -> Invalid | None:
    return _said(certificate_refusal(value, stage=answers["stage"], since=answers["since"],
                                     received_on=answers["received_on"], today=ctx.today, birth=_birth(answers)))


def _papers(raw: dict[str, str] | None) -> dict[str, date]:
    return {code: date.fromisoformat(on) for code, on in (raw or {}).items()}


def papers_ok(value: dict[str, str], answers: Answers, ctx: Context) -> Invalid | None:
    return _said(items_refusal(_papers(value), since=answers["since"], received_on=answers["received_on"],
                               today=ctx.today, birth=_birth(answers)))


def with_certificate(a: Answers) -> bool:
    return a.get("stage") in CERTIFICATE_STAGES


def certificate_given(a: Answers) -> bool:
    return with_certificate(a) and bool(a.get("certificate_number"))


def making_dossier(a: Answers) -> bool:
    return a.get("stage") == Stage.dossier


def build(a: Answers) -> Reception:
    certified = certificate_given(a)
    return Reception(came_from=a["came_from"], received_on=a["received_on"], stage=Stage(a["stage"]),
                     since=a["since"], certificate_number=a["certificate_number"] if certified else None,
                     certificate_on=a.get("certificate_on") if certified else None,
                     items=_papers(a.get("papers")) if making_dossier(a) else {})


async def _fresh(ctx: Context, answers: Answers) -> Candidate | None:
    return await candidate_within(session=ctx.session, where=candidate_scope(ctx.actor, Action.receive),
                                  candidate_id=answers["candidate"]["id"])


async def check(ctx: Context, answers: Answers) -> Invalid | None:
    """Before the confirmation and before saving: the person as they are now, and every rule."""
    candidate = await _fresh(ctx, answers)
    if candidate is None:
        return Invalid("candidate_not_found", {"text": answers["candidate"]["full_name"][:50]})
    received = await reception_of(ctx.session, candidate.id) is not None
    return _said(receivable_refusal(candidate.stage, received=received)
                 or reception_refusal(build(answers), today=ctx.today, birth=candidate.birth_date))


async def done(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await _fresh(ctx, answers)
    reception = build(answers)
    await record_reception(session=ctx.session, candidate=candidate, reception=reception,
                           by_person_id=ctx.actor.person_id, now=ctx.now)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.receive,
          subject=f"candidate:{candidate.id}")
    return [Reply("reception/saved", {"who": answers["candidate"], "r": reception})]


def label(name: str) -> str:
    return f"{AREA}/label_{name}"


flow = Flow(
    name="reception",
    commands=("/nhanve",),
    action=Action.receive,
    help="help/nhanve",
    steps=(
        Ask("candidate", "reception/ask_candidate",
            ReceivedPicker(action=Action.receive, stages=(Stage.source,), lists=True),
            label=label("candidate"), validate=candidate_ok),
        Ask("came_from", "reception/ask_came_from", TextField(max_len=200), label=label("came_from")),
        Ask("received_on", "reception/ask_received_on", HistoryDateField(), label=label("received_on"),
            validate=received_on_ok),
        Ask("stage", "reception/ask_stage", OptionField(options=tuple(s.value for s in RECEIVED_STAGES), area=AREA),
            label=label("stage")),
        Ask("since", "reception/ask_since", HistoryDateField(today_choice=False), label=label("since"),
            validate=since_ok),
        Ask("certificate_number", "reception/ask_certificate_number",
            CertificateNumberField(max_len=40, optional=True), when=with_certificate,
            label=label("certificate_number"), validate=number_ok),
        Ask("certificate_on", "reception/ask_certificate_on", HistoryDateField(today_choice=False),
            when=certificate_given, label=label("certificate_on"), validate=certificate_ok),
        Ask("papers", "reception/ask_papers", PapersField(), when=making_dossier, label=label("papers"),
            validate=papers_ok),
    ),
    confirm="reception/confirm",
    check=check,
    facts=candidate_branch(Action.receive),
    done=done,
)

routes = [flow]
