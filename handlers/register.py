"""/them: a secretary registers a new candidate (quần chúng ưu tú) in a short conversation."""

from bot.events import Reply
from bot.engine.fields import (
    BranchField, ChoiceField, DateField, Invalid, NameField, TextField, YesNoField, still_held,
)
from bot.engine.flow import Answers, Ask, Context, Flow
from models import citations
from models.audit import audit
from models.candidate import NewCandidate, find_duplicate, register_candidate
from models.policy import Action
from models.rules import REGISTER_MAX_AGE_MONTHS, REGISTER_MIN_AGE_MONTHS, age_in_months


def age_allowed(birth, answers: Answers, ctx: Context) -> Invalid | None:
    months = age_in_months(birth, ctx.today)
    if months < REGISTER_MIN_AGE_MONTHS:
        return Invalid("age_too_young", {"years": months // 12, "min_years": REGISTER_MIN_AGE_MONTHS // 12})
    if months > REGISTER_MAX_AGE_MONTHS:
        return Invalid("age_too_old", {"years": months // 12, "max_years": REGISTER_MAX_AGE_MONTHS // 12,
                                       "sources": citations.AGE})
    return None


async def no_duplicate(ctx: Context, answers: Answers) -> Invalid | None:
    if not still_held(answers["branch"], ctx, Action.register_candidate):
        return Invalid("branch_unknown", {"text": answers["branch"]["name"][:50]})
    twin = await find_duplicate(session=ctx.session, branch_id=answers["branch"]["id"],
                                full_name=answers["full_name"], birth_date=answers["birth_date"])
    if twin:
        return Invalid("duplicate_candidate", {"number": twin.number})
    return None


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await register_candidate(
        session=ctx.session, branch_id=answers["branch"]["id"], by_person_id=ctx.actor.person_id,
        now=ctx.now, today=ctx.today,
        new=NewCandidate(
            full_name=answers["full_name"], birth_date=answers["birth_date"],
            gender=answers["gender"], category=answers["category"],
            youth_union=answers["youth_union"], introduced_by=answers["introduced_by"],
            note=answers.get("note"),
        ),
    )
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
          action=Action.register_candidate, subject=f"candidate:{candidate.id}")
    return [Reply("register/saved", {"number": candidate.number, "full_name": candidate.full_name,
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
        Ask("birth_date", "register/ask_birth_date", DateField(past_only=True, allow_today_word=False),
            validate=age_allowed),
        Ask("gender", "register/ask_gender", ChoiceField("gender")),
        Ask("category", "register/ask_category", ChoiceField("category")),
        Ask("youth_union", "register/ask_youth_union", YesNoField()),
        Ask("introduced_by", "register/ask_introduced_by", ChoiceField("introduced_by")),
        Ask("note", "register/ask_note", TextField(max_len=500, optional=True)),
    ),
    confirm="register/confirm",
    check=no_duplicate,
    done=save,
)

routes = [flow]
