"""/dongy: the secretary records a consent given on paper, by the person or, for one under 16
on the day of registration, a parent or guardian (name, relation, the day signed), and
whether the paper names ethnicity and religion (models/consent.py)."""

from bot.events import Reply
from bot.engine.fields import ChoiceField, DateField, NameField, TextField, YesNoField
from bot.engine.flow import Answers, Ask, Context, Flow
from bot.engine.pickers import CandidatePicker
from models.audit import audit
from models.candidate import Candidate
from models.consent import GivenBy, Method, candidate_standing, record
from models.policy import Action


def _guardian(answers: Answers) -> bool:
    return answers.get("given_by") == GivenBy.guardian


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await ctx.session.get(Candidate, answers["candidate"]["id"])
    guardian = _guardian(answers)
    record(session=ctx.session, candidate_id=candidate.id, given_by=GivenBy(answers["given_by"]),
           method=Method.paper, given_on=answers["given_on"], sensitive=answers["sensitive"], now=ctx.now,
           recorded_by=ctx.actor.person_id, guardian_name=answers.get("guardian_name") if guardian else None,
           guardian_relation=answers.get("guardian_relation") if guardian else None)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.record_consent,
          subject=f"candidate:{candidate.id}")
    await ctx.session.flush()
    state = await candidate_standing(ctx.session, candidate)
    return [Reply("consent/saved", {"number": candidate.number, "full_name": answers["candidate"]["full_name"],
                                    "state": state.state, "sensitive": state.sensitive})]


flow = Flow(
    name="consent",
    commands=("/dongy",),
    action=Action.record_consent,
    help="help/dongy",
    steps=(
        Ask("candidate", "consent/ask_candidate", CandidatePicker(action=Action.record_consent),
            label="consent/label_candidate"),
        Ask("given_by", "consent/ask_given_by", ChoiceField("consent_given_by"), label="consent/label_given_by"),
        Ask("guardian_name", "consent/ask_guardian_name", NameField(), when=_guardian,
            label="consent/label_guardian_name"),
        Ask("guardian_relation", "consent/ask_guardian_relation", TextField(max_len=40), when=_guardian,
            label="consent/label_guardian_relation"),
        Ask("given_on", "consent/ask_given_on", DateField(), label="consent/label_given_on"),
        Ask("sensitive", "consent/ask_sensitive", YesNoField(), label="consent/label_sensitive"),
    ),
    confirm="consent/confirm",
    done=save,
)

routes = [flow]
