"""/ds and /xem: the candidates a person may see, by stage, and one candidate's card."""

import math
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa

from bot.events import Choice, Reply
from bot.engine.flow import Answers, Ask, Command, Context, Flow
from bot.engine.pickers import CandidatePicker
from bot.render import labels
from models.admission import failed_votes
from models.audit import audit
from handlers.shared.candidate_fields import shown
from handlers.shared.refs import ref_for
from models.candidate import Candidate, candidate_ref, list_candidates
from models.candidate_edit import HistoryLine, candidate_history
from models.introducers import introductions
from models.reception import received_history
from models.roster import left_roster
from models.org import Organisation, org_codes, org_names
from models.consent import flags_of
from models.dossier import AdmissionRecord
from models.eligibility import IntroducerKind, union_route
from models.people import Person
from models.privacy import carried_by, carries, initials
from models.pipeline import ACTIVE_STAGES
from models.policy import Action, candidate_scope, sees_several_branches
from models.progress import candidate_next_step
from models.text import page_number


async def show_list(ctx: Context, args: str) -> list[Reply]:
    page = page_number(args)
    size = ctx.settings.page_size
    scope = sa.and_(candidate_scope(ctx.actor, Action.list_candidates), Candidate.stage.in_(ACTIVE_STAGES))
    rows, total = await list_candidates(session=ctx.session, where=scope,
                                        offset=(page - 1) * size, limit=size)
    pages = max(1, math.ceil(total / size))
    if page > pages:
        return [Reply("candidates/no_such_page", {"page": page, "pages": pages})]
    branches = await org_names(session=ctx.session, ids={c.branch_id for c in rows})
    # Where numbers repeat across branches (a committee, or roles in several), each is named by reference.
    many_branches = sees_several_branches(ctx.actor, Action.list_candidates)
    codes = await org_codes(session=ctx.session, ids={c.branch_id for c in rows}) if many_branches else {}
    flags = await flags_of(ctx.session, rows)
    shown_here = await carried_by(ctx.session, {c.branch_id for c in rows}, ctx.incoming.channel)
    groups: list[dict[str, Any]] = []
    for c in rows:
        if not groups or groups[-1]["stage"] != c.stage:
            groups.append({"stage": c.stage, "rows": []})
        full = shown_here[c.branch_id]  # else initials and no birth year (models/privacy.py)
        groups[-1]["rows"].append({"number": candidate_ref(codes.get(c.branch_id), c.number),
                                   "full_name": c.full_name if full else initials(c.full_name),
                                   "birth_year": c.birth_date.year if full else None,
                                   "branch": branches[c.branch_id], "consent": flags[c.id]})
    choices = (Choice(labels("more")["next"], f"/ds {page + 1}"),) if page < pages else ()
    return [Reply("candidates/list", {"groups": groups, "page": page, "pages": pages,
                                      "total": total, "many_branches": many_branches,
                                      "masked": not all(shown_here.values()), "channel": ctx.incoming.channel},
                  choices=choices)]


async def show_card(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await ctx.session.get(Candidate, answers["candidate"]["id"])
    sponsor = await ctx.session.get(Person, candidate.sponsor_id) if candidate.sponsor_id else None
    branch = await ctx.session.get(Organisation, candidate.branch_id)
    step = await candidate_next_step(session=ctx.session, candidate=candidate, today=ctx.today)
    failed = await failed_votes(session=ctx.session, candidate_id=candidate.id)
    history = await candidate_history(session=ctx.session, candidate_id=candidate.id)
    introducers = await introductions(ctx.session, candidate_id=candidate.id)
    record = await ctx.session.get(AdmissionRecord, candidate.id)
    left = await left_roster(ctx.session, candidate_id=candidate.id)
    received = await received_history(ctx.session, candidate.id)
    route = union_route(youth_union_member=candidate.youth_union, trade_union=bool(record and record.trade_union_route))
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id,
          action=Action.view_candidate, subject=f"candidate:{candidate.id}")
    consent = (await flags_of(ctx.session, [candidate]))[candidate.id]
    ref = await ref_for(ctx, candidate)  # as the list shows it: TSP-1 for a committee
    if not carries(branch.personal_data_channels, ctx.incoming.channel):
        return [Reply("candidates/card_masked", {
            "c": candidate, "ref": ref, "initials": initials(candidate.full_name), "branch": branch.name, "step": step,
            "consent": consent, "channel": ctx.incoming.channel})]
    return [Reply("candidates/card", {
        "consent": consent,
        "c": candidate, "ref": ref, "sponsor": sponsor.full_name if sponsor else None,
        "branch": branch.name, "step": step, "failed_votes": failed,
        "introducers": [{"name": i.name, "since": i.together_since} for i in introducers],
        "trade_union": route == IntroducerKind.trade_union,
        "left": {"on": left.left_on, "reason": left.left_reason, "note": left.left_note, "moved_to": left.moved_to}
        if left else None,
        "history": [history_line(h) for h in history],
        "received": received,
    })]


def history_line(h: HistoryLine) -> dict[str, Any]:
    """A line of the card's history, with a correction's values as a secretary reads them."""
    line = asdict(h)
    if h.kind == "edit":
        line.update(old_value=shown(h.field, h.old_value), new_value=shown(h.field, h.new_value))
    return line


list_command = Command(name="list", commands=("/ds", "/danhsach"), action=Action.list_candidates,
                       help="help/ds", run=show_list)

view_flow = Flow(
    name="view",
    commands=("/xem",),
    action=Action.view_candidate,
    help="help/xem",
    steps=(Ask("candidate", "candidates/ask_which", CandidatePicker()),),
    done=show_card,
)

routes = [list_command, view_flow]
