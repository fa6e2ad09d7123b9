"""The notice a linked candidate reads before anything else, and their answer (Law 91/2025/QH15).

Until the person consents in their own chat, `gate` answers every message with the notice:
chibo keeps nothing more about them and sends them nothing else (models/outbox.enqueue_from
leaves them out of reminders). Their agreement is recorded with the notice's version, the
categories it covers (ethnicity and religion only when they chose so) and the day.
"""

from bot.events import Choice, Reply
from bot.engine.flow import Context
from bot.render import labels, words
from models.audit import audit
from models.candidate import Candidate
from models.consent import GivenBy, Method, candidate_standing, record, waiting_candidate
from models.org import Organisation
from models.stage import Role
from models.text import fold

CONSENT_ACTION = "consent.give"


def notice(branch: str) -> Reply:
    names = labels("consent_answer")
    return Reply("consent/notice", {"branch": branch},
                 choices=tuple(Choice(names[k], f"consent:{k}") for k in ("basic", "all", "no")))


async def notice_for(ctx: Context, candidate: Candidate) -> Reply:
    branch = await ctx.session.get(Organisation, candidate.branch_id)
    return notice(branch.name)


def answer_of(text: str) -> str | None:
    """"consent:basic" (a choice), or the words typed: the agreement, with sensitive data, or no."""
    if text.startswith("consent:") and text[8:] in ("basic", "all", "no"):
        return text[8:]
    folded = fold(text)
    for answer in ("all", "no", "basic"):
        if folded in words(f"consent_{answer}"):
            return answer
    return None


# What a person may do before consenting: their rights (/dulieu: see, withdraw, ask to erase).
OPEN_BEFORE_CONSENT = ("/dulieu",)
OPEN_FLOWS = ("my_data",)


async def gate(ctx: Context, text: str, flow: str | None) -> list[Reply] | None:
    if flow in OPEN_FLOWS or (text.split(maxsplit=1) or [""])[0] in OPEN_BEFORE_CONSENT:
        return None
    if not any(g.role == Role.candidate for g in ctx.actor.grants):  # known without asking the database
        return None
    candidate = await waiting_candidate(ctx.session, ctx.actor.person_id)
    if candidate is None:
        return None
    answer = answer_of(text)
    if answer is None:
        return [await notice_for(ctx, candidate)]
    if answer == "no":
        return [Reply("consent/refused")]
    record(session=ctx.session, candidate_id=candidate.id, given_by=GivenBy.self, method=Method.chat,
           given_on=ctx.today, sensitive=answer == "all", now=ctx.now)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=CONSENT_ACTION,
          subject=f"candidate:{candidate.id}")
    await ctx.session.flush()
    state = await candidate_standing(ctx.session, candidate)
    return [Reply("consent/thanks", {"sensitive": answer == "all",
                                     "guardian_missing": state.state == "guardian_missing"})]
