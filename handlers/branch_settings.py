"""/chibo: a secretary or deputy sees their branch's settings and changes one: the branch (if
several), the setting (each shown with its value now), the new value with its own parser,
old → new on the confirmation, then save (models/branch_settings.py records and audits it)."""

from dataclasses import dataclass
from typing import Any

from bot.engine.fields import (
    BranchField, ChoiceField, DateField, NumberField, TextField, YesNoField, parse_choice,
)
from bot.engine.flow import Answers, Ask, Context, Flow
from bot.events import Choice, Reply
from bot.render import labels, text_of
from models import rules
from models.branch_settings import MEETING_DAYS, SETTINGS, change, current
from models.org import Organisation
from models.policy import Action

ACTION = Action.branch_settings
BRANCH_ID = "branch_id"  # kept in ctx.state: the branch whose settings the next question shows

FIELDS = {
    "meeting_day": NumberField(minimum=MEETING_DAYS[0], maximum=MEETING_DAYS[1]),
    "founded_on": DateField(),
    "sponsor_nudge_days": NumberField(minimum=rules.SPONSOR_NUDGE_DAYS_RANGE[0],
                                      maximum=rules.SPONSOR_NUDGE_DAYS_RANGE[1]),
    "no_source_left": YesNoField(),
    "admission_decided_by": TextField(max_len=200),
    "certificates_issued_by": TextField(max_len=200),
    "name": TextField(max_len=200),  # the branch's full name, as its papers write it
    "personal_data_channels": ChoiceField("personal_data_channels"),
}


def shown(name: str, value: Any) -> str:
    """A setting's value in words (the template knows how each reads)."""
    return text_of("settings/value", name=name, value=value)


@dataclass(frozen=True)
class SettingChoice(ChoiceField):
    """Which setting to change, each with its value now ("Ngày sinh hoạt chi bộ: ngày 5")."""

    group: str = "branch_setting"

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        org = await ctx.session.get(Organisation, ctx.state.get(BRANCH_ID) or 0)
        if org is None:
            return self.choices()
        now, names = current(org), labels(self.group)
        return tuple(Choice(text_of("settings/choice", label=names[n], value=shown(n, now[n])), n) for n in SETTINGS)

    async def resolve(self, text: str, ctx: Any) -> Any:
        return parse_choice(text, await self.offered(ctx))  # asked again: the values are shown again


async def _org(ctx: Context, answers: Answers) -> Organisation | None:
    return await ctx.session.get(Organisation, answers["branch"]["id"])


async def facts(ctx: Context, answers: Answers) -> dict[str, Any]:
    """Old → new for the confirmation."""
    org, name = await _org(ctx, answers), answers["setting"]
    if org is None or name not in answers:
        return {}
    old, new = current(org)[name], answers[name]
    return {"branch": org.name, "label": labels("branch_setting")[name], "old": shown(name, old),
            "new": shown(name, new), "same": old == new}


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    org, name = await _org(ctx, answers), answers["setting"]
    old = current(org)[name]
    changed = change(session=ctx.session, org=org, name=name, value=answers[name],
                     by_person_id=ctx.actor.person_id, now=ctx.now)
    values = {"branch": org.name, "label": labels("branch_setting")[name], "old": shown(name, old),
              "new": shown(name, answers[name])}
    return [Reply("settings/saved" if changed else "settings/unchanged", values)]


def _for(name: str):
    return lambda answers: answers.get("setting") == name


flow = Flow(
    name="branch_settings",
    commands=("/chibo", "/caidat"),
    action=ACTION,
    help="help/chibo",
    steps=(
        Ask("branch", "settings/ask_branch", BranchField(action=ACTION, remember=BRANCH_ID),
            label="settings/label_branch"),
        Ask("setting", "settings/ask_setting", SettingChoice(), label="settings/label_setting"),
        *(Ask(name, f"settings/ask_{name}", field, when=_for(name), label="settings/label_value")
          for name, field in FIELDS.items()),
    ),
    confirm="settings/confirm",
    facts=facts,
    done=save,
)

routes = [flow]
