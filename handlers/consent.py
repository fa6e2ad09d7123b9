"""/dongy: the secretary records a consent given on paper: a candidate's, by the person or, for
one under 16 on the day of registration, a parent or guardian (name, relation, the day signed),
and whether the paper names ethnicity and religion (models/consent.py); or an officer's,
sponsor's or party member's of the branch, signed by them, with the day (models/officer_consent.py).
Either way the consent records who recorded it, and the recording is audited."""

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.engine.fields import ChoiceField, DateField, Field, Invalid, NameField, TextField, YesNoField
from bot.engine.flow import Answers, Ask, Context, Flow
from bot.engine.pickers import CandidatePicker
from bot.events import Choice, Reply
from bot.render import text_of
from models.audit import audit
from models.candidate import Candidate
from models.consent import GivenBy, Method, candidate_standing, record
from models.officer_consent import branch_people, record_paper
from models.policy import Action, branch_grants
from models.privacy import carried_by, initials
from models.text import fold, number, tidy

CANDIDATE, MEMBER = "candidate", "member"  # whose consent (labels.j2 consent_whom)


def _guardian(answers: Answers) -> bool:
    return answers.get("given_by") == GivenBy.guardian


def _candidate(answers: Answers) -> bool:
    return answers.get("whom") != MEMBER


def _member(answers: Answers) -> bool:
    return answers.get("whom") == MEMBER


@dataclass(frozen=True)
class PersonField(Field):
    """An officer, sponsor or party member of the secretary's branches, by their number in the
    list or words of their name; initials on a channel the branch does not allow."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "consent_person_none", "consent_person_unknown",
                                          "consent_person_ambiguous")

    async def _people(self, ctx: Any) -> list[dict[str, Any]]:
        branches = sorted({g.org_id for g in branch_grants(ctx.actor, Action.record_consent)})
        people = await branch_people(session=ctx.session, org_ids=branches, today=ctx.today)
        shown = await carried_by(ctx.session, set(branches), ctx.incoming.channel)
        names = {g.org_id: g.org_name for g in ctx.actor.grants}
        return [{"key": p.key, "name": p.full_name if shown.get(p.org_id, True) else initials(p.full_name),
                 "roles": list(p.roles), "branch": names[p.org_id] if len(branches) > 1 else None}
                for p in people]

    @staticmethod
    def _as_choices(people: list[dict[str, Any]]) -> tuple[Choice, ...]:
        return tuple(Choice(text_of("consent/person", p=p), f"person:{p['key']}") for p in people)

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        return self._as_choices(await self._people(ctx))

    async def resolve(self, text: str, ctx: Any) -> Any:
        people = await self._people(ctx)
        every = self._as_choices(people)
        query = tidy(text)
        if not people:
            return Invalid("consent_person_none")
        if not query:
            return Invalid("empty", choices=every)
        if query.startswith("person:"):
            found = [p for p in people if f"person:{p['key']}" == query]
        elif (picked := number(query)) is not None:
            found = [people[picked - 1]] if 1 <= picked <= len(people) else []
        else:
            words = fold(query).split()
            found = [p for p in people if all(any(part.startswith(w) for part in fold(p["name"]).split())
                                              for w in words)]
        if not found:
            return Invalid("consent_person_unknown", {"text": query[:50]}, choices=every)
        if len(found) > 1:
            return Invalid("consent_person_ambiguous", {"count": len(found)}, choices=self._as_choices(found))
        return found[0]

    def show(self, value: Any) -> str:
        return text_of("consent/person", p=value)


async def _save_member(ctx: Context, answers: Answers) -> list[Reply]:
    person = answers["member"]
    consent = await record_paper(session=ctx.session, key=person["key"], given_on=answers["given_on"],
                                 recorded_by=ctx.actor.person_id, now=ctx.now)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.record_consent,
          subject=f"person:{consent.person_id}")
    return [Reply("consent/saved_person", {"p": person, "given_on": answers["given_on"]})]


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    if _member(answers):
        return await _save_member(ctx, answers)
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
        Ask("whom", "consent/ask_whom", ChoiceField("consent_whom"), label="consent/label_whom"),
        Ask("candidate", "consent/ask_candidate", CandidatePicker(action=Action.record_consent), when=_candidate,
            label="consent/label_candidate"),
        Ask("member", "consent/ask_member", PersonField(), when=_member, label="consent/label_member"),
        Ask("given_by", "consent/ask_given_by", ChoiceField("consent_given_by"), when=_candidate,
            label="consent/label_given_by"),
        Ask("guardian_name", "consent/ask_guardian_name", NameField(), when=_guardian,
            label="consent/label_guardian_name"),
        Ask("guardian_relation", "consent/ask_guardian_relation", TextField(max_len=40), when=_guardian,
            label="consent/label_guardian_relation"),
        Ask("given_on", "consent/ask_given_on", DateField(), label="consent/label_given_on"),
        Ask("sensitive", "consent/ask_sensitive", YesNoField(), when=_candidate, label="consent/label_sensitive"),
    ),
    confirm="consent/confirm",
    done=save,
)

routes = [flow]
