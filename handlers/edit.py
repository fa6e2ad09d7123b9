"""/sua: a secretary or deputy corrects one field of a candidate of their branch: the person,
the field, the new value (with that field's own parser), old → new on the confirmation, then
save. Every correction is recorded (models/candidate_edit.py) and audited."""

from dataclasses import dataclass
from typing import Any

from bot.engine.fields import (
    ChoiceField, Invalid,
)
from bot.engine.flow import Answers, Ask, Context, Flow
from bot.engine.pickers import CandidatePicker
from bot.events import Reply
from bot.render import labels
from handlers.shared.branches import candidate_branch
from handlers.shared.candidate_fields import FIELDS, VALIDATORS, shown_here
from handlers.shared.refs import ref_for
from models.audit import audit
from models.consent import candidate_standing
from models.candidate import Candidate, candidate_within
from models.candidate_edit import (
    EDIT_ACTION, EDITABLE_FIELDS, current_values, edit_candidate, twin_after_edit, value_text,
)
from models.policy import Action, candidate_scope
from models.privacy import name_or_initials, shows_names

ACTION = Action.register_candidate  # held only by the secretaries and deputies of the candidate's branch

@dataclass(frozen=True)
class EditPicker(CandidatePicker):
    """The candidate to correct; remembers who it is for the question about the field."""

    async def picked(self, ctx: Any, candidate: Candidate) -> Any:
        ctx.state["candidate_id"] = candidate.id
        return await super().picked(ctx, candidate)


async def _candidate(ctx: Context, candidate_id: int) -> Candidate | None:
    """The candidate, if the person may still correct it."""
    return await candidate_within(session=ctx.session, where=candidate_scope(ctx.actor, ACTION),
                                  candidate_id=candidate_id)


async def _names_shown(ctx: Context, candidate: Candidate) -> bool:
    """May this channel show the branch's names and birth dates (else initials: models/privacy.py)?"""
    return await shows_names(ctx.session, candidate.branch_id, ctx.incoming.channel)


async def show_current(ctx: Context, field: str) -> list[Reply]:
    """What the record holds now, shown before the question for the new value."""
    candidate_id = ctx.state.get("candidate_id")
    candidate = await _candidate(ctx, candidate_id) if candidate_id else None
    if candidate is None:
        return []
    here = await _names_shown(ctx, candidate)
    return [Reply("edit/current", {"field": labels("edit_field")[field],
                                   "value": shown_here(field, current_values(candidate)[field], here)})]


async def facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """Old → new for the confirmation (as text; the screen is kept as JSON)."""
    found = {**await candidate_branch(ACTION)(ctx, answers)}
    field = answers["field"]
    candidate = await _candidate(ctx, answers["candidate"]["id"])
    if candidate is None or field not in answers:
        return found
    old, new = current_values(candidate)[field], value_text(field, answers[field])
    here = await _names_shown(ctx, candidate)
    return {**found, "label": labels("edit_field")[field], "old": shown_here(field, old, here),
            "new": shown_here(field, new, here), "same": old == new}


async def check(ctx: Context, answers: Answers) -> Invalid | None:
    """Still the person's to correct, and no twin in the branch after a new name or birth date."""
    candidate = await _candidate(ctx, answers["candidate"]["id"])
    if candidate is None:
        return Invalid("transfer_changed", {"stage": None})
    field = answers["field"]
    # Decree 356/2025: ethnicity and religion are kept only with a consent that names them.
    if (field in SENSITIVE_FIELDS and answers[field]
            and not (await candidate_standing(ctx.session, candidate)).sensitive):
        return Invalid("consent_sensitive_missing", {"number": candidate.number})
    twin = await twin_after_edit(session=ctx.session, candidate=candidate, field=field, value=answers[field])
    if twin:
        return Invalid("duplicate_candidate", {"number": twin.number, "ref": await ref_for(ctx, twin, ACTION),
                                               "name": name_or_initials(twin.full_name,
                                                                        await _names_shown(ctx, twin))})
    return None


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await _candidate(ctx, answers["candidate"]["id"])
    field = answers["field"]
    old = current_values(candidate)[field]
    edit = await edit_candidate(session=ctx.session, candidate=candidate, field=field, value=answers[field],
                                by_person_id=ctx.actor.person_id, now=ctx.now, today=ctx.today)
    here = await _names_shown(ctx, candidate)
    values = {"number": candidate.number, "ref": await ref_for(ctx, candidate, ACTION),
              "full_name": name_or_initials(candidate.full_name, here), "label": labels("edit_field")[field],
              "old": shown_here(field, old, here), "new": shown_here(field, value_text(field, answers[field]), here)}
    if edit is None:
        return [Reply("edit/unchanged", values)]
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
          action=EDIT_ACTION, subject=f"candidate:{candidate.id}")
    return [Reply("edit/saved", values)]


SENSITIVE_FIELDS = ("ethnic_minority", "religious")


def _for(field: str):
    return lambda answers: answers.get("field") == field


flow = Flow(
    name="edit",
    commands=("/sua",),
    action=ACTION,
    help="help/sua",
    steps=(
        Ask("candidate", "edit/ask_candidate", EditPicker(action=ACTION), label="edit/label_candidate"),
        Ask("field", "edit/ask_field", ChoiceField("edit_field", values=EDITABLE_FIELDS), label="edit/label_field",
            then=show_current),
        *(Ask(name, f"edit/ask_{name}", field, when=_for(name), label="edit/label_value",
              validate=VALIDATORS.get(name)) for name, field in FIELDS.items()),
    ),
    confirm="edit/confirm",
    check=check,
    facts=facts,
    done=save,
)

routes = [flow]
