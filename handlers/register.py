"""/them: a secretary registers a new candidate (quần chúng ưu tú) in a short conversation."""

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.events import Choice, Reply
from bot.engine.fields import (
    BranchField, ChoiceField, DateField, Invalid, NameField, TextField, YesNoField, still_held,
)
from handlers.shared.candidate_fields import age_allowed
from handlers.shared.refs import ref_for
from bot.engine.flow import Answers, Ask, Context, Flow
from bot.render import labels, words
from models.audit import audit_now
from models.candidate import NewCandidate, find_duplicate, register_candidate
from models.categories import private_firm_applies
from models.duplicates import Known, born_near, sort_out
from models.policy import Action, branch_grants
from models.text import fold


# Kept in the flow's state (ctx.state) between the birth date's field and its validator, and
# between the warning of a near duplicate and its answer:
BORN_NEAR = "born_near"  # candidates born near the date given, in the branches one may register in
ASKED = "similar_asked"  # {"name", "birth"}: warned of near duplicates, waiting for "vẫn thêm?"
ACCEPTED = "similar_accepted"  # {"name", "birth"}: the secretary said to add them all the same
ANSWERED = "similar_answered"  # {"warned", "yes"}: what was typed at the warning, for the validator
CHECKED = "checked"  # always there: a state emptied would not be saved (the engine keeps the old one)


def _seen(full_name: str, birth: date) -> dict[str, str]:
    return {"name": fold(full_name), "birth": birth.isoformat()}


def go_on_choices() -> tuple[Choice, ...]:
    """Yes: add them all the same. No: back to the name (the value is the engine's word for "quay lại")."""
    names = labels("yes_no")
    back = min(w for w in words("back") if not w.startswith("/"))
    return (Choice(names["yes"], "yes"), Choice(names["no"], back))


def no_namesake(birth: date, answers: Answers, ctx: Context) -> Invalid | None:
    """Someone of the branch with this name and birth date is refused at once; someone who may be
    the same person (models/duplicates.py) is named, and the secretary asked whether to go on."""
    seen = _seen(answers["full_name"], birth)
    answered = ctx.state.pop(ANSWERED, None)  # words typed at the warning, not a date
    if answered is not None and answered["warned"] != seen:
        # A warning left behind (its name since changed): those words were no birth date.
        return Invalid("date_bad_format", {"birth": True, "today": ctx.today})
    if answered is not None and answered["yes"]:
        ctx.state[ACCEPTED] = seen
    branch_id = answers["branch"]["id"]
    known = [Known.from_dict(k) for k in ctx.state.pop(BORN_NEAR, []) if k["branch_id"] == branch_id]
    found = sort_out(answers["full_name"], birth, known)
    if found.exact:
        twin = found.exact[0]
        return Invalid("duplicate_candidate", {"number": twin.number, "ref": twin.ref, "name": twin.full_name})
    if not found.near or ctx.state.get(ACCEPTED) == seen:
        return None
    ctx.state[ASKED] = seen
    return Invalid("duplicate_similar", {"similar": [k.as_dict() for k in found.near], "birth": birth,
                                         "unclear": answered is not None},
                   choices=go_on_choices(), counts=False)


def birth_date_fits(birth: date, answers: Answers, ctx: Context) -> Invalid | None:
    return age_allowed(birth, answers, ctx) or no_namesake(birth, answers, ctx)


@dataclass(frozen=True)
class BirthDateField(DateField):
    """A birth date; after a warning of near duplicates, also the answer to "vẫn thêm?": yes adds
    the person with the date given, a new date is checked again, "không" goes back to the name."""

    past_only: bool = True
    allow_today_word: bool = False
    reasons: ClassVar[tuple[str, ...]] = DateField.reasons + ("duplicate_candidate", "duplicate_similar")

    async def resolve(self, text: str, ctx: Any) -> Any:
        value = await self._read(text, ctx)
        if isinstance(value, date):  # whom the validator compares with, looked up now
            branch_ids = sorted({g.org_id for g in branch_grants(ctx.actor, Action.register_candidate)})
            found = await born_near(db=ctx.transaction, branch_ids=branch_ids, birth_date=value,
                                    refs_with_code=len(branch_ids) > 1)
            ctx.state[BORN_NEAR] = [k.as_dict() for k in found]
        ctx.state[CHECKED] = True
        return value

    async def _read(self, text: str, ctx: Any) -> Any:
        asked = ctx.state.pop(ASKED, None)
        if asked is None:
            return self.parse(text, ctx.today)
        said_yes = fold(text) in words("yes")
        value = self.parse(text, ctx.today)
        if said_yes or (isinstance(value, Invalid) and value.reason == "date_bad_format"):
            # The answer to "vẫn thêm?" (or words that are neither yes, no nor a date: the warning
            # again): the validator takes it for the name and date warned about.
            ctx.state[ANSWERED] = {"warned": asked, "yes": said_yes}
            return date.fromisoformat(asked["birth"])
        return value  # a new date, checked afresh

    async def back(self, ctx: Any) -> Any:
        ctx.state.pop(ASKED, None)  # "quay lại" (or "Không" at the warning): the name again
        return None


def works_for_an_employer(answers: Answers) -> bool:
    """Asked whether they work in a firm without state capital (models/categories.py); ethnicity
    and religion are never asked here: they need a consent naming them (models/consent.py)."""
    return "category" in answers and private_firm_applies(answers["category"])


async def no_duplicate(ctx: Context, answers: Answers) -> Invalid | None:
    if not still_held(answers["branch"], ctx, Action.register_candidate):
        return Invalid("branch_unknown", {"text": answers["branch"]["name"][:50]})
    twin = await find_duplicate(db=ctx.transaction, branch_id=answers["branch"]["id"],
                                full_name=answers["full_name"], birth_date=answers["birth_date"])
    if twin:
        return Invalid("duplicate_candidate", {"number": twin.number, "ref": str(twin.number),
                                               "name": twin.full_name})
    return None


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await register_candidate(
        db=ctx.transaction, branch_id=answers["branch"]["id"], by_person_id=ctx.actor.person_id,
        now=ctx.now, today=ctx.today,
        new=NewCandidate(
            full_name=answers["full_name"], birth_date=answers["birth_date"],
            gender=answers["gender"], category=answers["category"],
            youth_union=answers["youth_union"], introduced_by=answers["introduced_by"],
            note=answers.get("note"), unit=answers.get("unit"), private_firm=bool(answers.get("private_firm")),
        ),
    )
    await audit_now(db=ctx.transaction, at=ctx.now, person_id=ctx.actor.person_id,
                    action=Action.register_candidate, subject=f"candidate:{candidate.id}")
    return [Reply("register/saved", {"number": candidate.number, "ref": await ref_for(ctx, candidate),
                                     "full_name": answers["full_name"],
                                     "branch": answers["branch"]["name"]})]


flow = Flow(
    name="register",
    commands=("/them", "/themqc"),
    action=Action.register_candidate,
    help="help/them",
    steps=(
        # Asked only of a secretary of several branches; the confirmation names it either way.
        Ask("branch", "common/ask_branch", BranchField(Action.register_candidate), label="common/label_branch"),
        Ask("full_name", "register/ask_full_name", NameField()),
        Ask("birth_date", "register/ask_birth_date", BirthDateField(), validate=birth_date_fits),
        Ask("gender", "register/ask_gender", ChoiceField("gender")),
        Ask("category", "register/ask_category", ChoiceField("category")),
        Ask("unit", "register/ask_unit", TextField(max_len=120, optional=True)),
        Ask("private_firm", "register/ask_private_firm", YesNoField(), when=works_for_an_employer),
        Ask("youth_union", "register/ask_youth_union", YesNoField()),
        Ask("introduced_by", "register/ask_introduced_by", ChoiceField("introduced_by")),
        Ask("note", "register/ask_note", TextField(max_len=500, optional=True)),
    ),
    confirm="register/confirm",
    check=no_duplicate,
    done=save,
)

routes = [flow]
