"""/dulieu: a linked person sees what chibo holds about them and asks to correct it, to
withdraw their consent, or to erase it: a candidate their record; an officer, sponsor or member
without one their name, roles, chat accounts and roster row. On Telegram (when the branch lets
it carry personal data) the whole export comes as a workbook too. The request is kept with its day; the branch's
secretary and deputies are told; it is to be acknowledged within 2 working days and acted on
within 15 (models/consent.py). A withdrawal takes effect at once: from the next message the
person sees only the notice again."""

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from bot.events import Attachment, Choice, Reply
from bot.person_files import write_person_files
from bot.engine.fields import ChoiceField, TextField, parse_choice
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from models.audit import audit
from models.candidate import Candidate
from models.consent import (DataRequest, RequestKind, consents_of, new_request, own_consents, record_own, withdraw,
                            withdraw_own)
from models.data_requests import answered_in_chat
from models.org import Organisation
from models.outbox import Due, drop_pending, enqueue
from models.overview import own_candidate
from models.erasure import subject_of
from models.people import ChatLink, Person, RoleGrant
from models.person_data import person_data
from models.policy import Action
from models.privacy import shows_names
from models.reminders import OFFICERS
from models.roster import MemberStatus, PartyMember
from models.stage import Role

TELEGRAM = "telegram"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_STEM = "du-lieu-cua-toi"
log = logging.getLogger(__name__)
AGREE = "agree"  # not a request: an officer's own consent (messages/vi/common/labels.j2 data_request_or_agree)


async def _mine(ctx: Context) -> Candidate | None:
    """The person's own candidate record (never one they sponsor or lead: Candidate.person_id)."""
    return await own_candidate(session=ctx.session, where=Candidate.person_id == ctx.actor.person_id)


def _org_of(ctx: Context) -> int | None:
    """The organisation that answers an officer's or member's request: their first branch."""
    grants = ctx.actor.grants
    branch = (g.org_id for g in grants if g.role in (*OFFICERS, Role.sponsor))
    return next(branch, grants[0].org_id if grants else None)


async def _file(ctx: Context, branch_id: int | None) -> tuple[Reply, ...]:
    """The person's whole export as a workbook, on Telegram where the branch allows it."""
    if ctx.incoming.channel != TELEGRAM or (
            branch_id is not None and not await shows_names(ctx.session, branch_id, ctx.incoming.channel)):
        return ()
    subject = await subject_of(session=ctx.session, person_id=ctx.actor.person_id)
    data = await person_data(session=ctx.session, subject=subject)
    with tempfile.TemporaryDirectory() as folder:
        paths = write_person_files(data, Path(folder), FILE_STEM)
        book = next(p for p in paths if p.suffix == ".xlsx")
        file = Attachment(book.name, XLSX, book.read_bytes())
    return (Reply("data/file", {"name": file.name}, file=file),)


async def _open_requests(ctx: Context, where) -> list[dict]:
    rows = await ctx.session.exec(select(DataRequest).where(where, DataRequest.done_on.is_(None))
                                  .order_by(DataRequest.id))
    return [{"kind": r.kind, "made_on": r.made_on, "acknowledge_by": r.acknowledge_by, "act_by": r.act_by}
            for r in rows]


async def _person_start(ctx: Context) -> Start:
    person = await ctx.session.get(Person, ctx.actor.person_id)
    chats = list(await ctx.session.exec(select(ChatLink.channel).where(ChatLink.person_id == person.id)
                                        .order_by(ChatLink.channel)))
    roster = list(await ctx.session.exec(select(PartyMember).where(PartyMember.person_id == person.id)
                                         .order_by(PartyMember.id)))
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.my_data,
          subject=f"person:{person.id}")
    requests = await _open_requests(ctx, sa.and_(DataRequest.person_id == person.id,
                                                  DataRequest.candidate_id.is_(None)))
    consents = await own_consents(ctx.session, person.id)
    return Start(replies=(*await _file(ctx, _org_of(ctx)), Reply("data/summary_person", {
        "name": person.full_name, "roles": [{"role": g.role.value, "org": g.org_name} for g in ctx.actor.grants],
        "chats": sorted(set(chats)), "roster": [{"status": MemberStatus(m.status).value, "since": m.since,
                                                 "left_on": m.left_on} for m in roster],
        "requests": requests, "consents": consents})))


async def start(ctx: Context, args: str) -> Start:
    candidate = await _mine(ctx)
    if candidate is None:
        return await _person_start(ctx)
    branch = await ctx.session.get(Organisation, candidate.branch_id)
    sponsor = await ctx.session.get(Person, candidate.sponsor_id) if candidate.sponsor_id else None
    consents = [c for c in await consents_of(ctx.session, candidate.id) if c.withdrawn_at is None]
    requests = await _open_requests(ctx, DataRequest.candidate_id == candidate.id)
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.my_data,
          subject=f"candidate:{candidate.id}")
    return Start(replies=(*await _file(ctx, candidate.branch_id), Reply("data/summary", {
        "c": candidate, "branch": branch.name, "sponsor": sponsor.full_name if sponsor else None,
        "consents": consents, "requests": requests}),))


async def save(ctx: Context, answers: Answers) -> list[Reply]:
    candidate = await _mine(ctx)
    if answers["request"] == AGREE:  # an officer's, sponsor's or member's own consent, in chat
        record_own(session=ctx.session, person_id=ctx.actor.person_id, now=ctx.now, today=ctx.today)
        audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action="data.consent",
              subject=f"person:{ctx.actor.person_id}")
        return [Reply("data/agreed")]
    kind = RequestKind(answers["request"])
    org_id = candidate.branch_id if candidate else _org_of(ctx)
    request = new_request(session=ctx.session, candidate_id=candidate.id if candidate else None,
                          person_id=ctx.actor.person_id, org_id=org_id,
                          kind=kind, detail=answers.get("detail") if kind == RequestKind.correct else None,
                          today=ctx.today, now=ctx.now)
    if kind == RequestKind.withdraw:
        if candidate:
            await withdraw(ctx.session, candidate.id, ctx.now)
            await drop_pending(session=ctx.session, person_id=ctx.actor.person_id)  # nothing but the notice
        else:
            await withdraw_own(ctx.session, ctx.actor.person_id, ctx.now)
    await ctx.session.flush()
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=f"data.request.{kind.value}",
          subject=f"candidate:{candidate.id}" if candidate else f"person:{ctx.actor.person_id}")
    in_chat = await answered_in_chat(ctx.session, org_id)
    officers = list((await ctx.session.exec(sa.select(RoleGrant.person_id).where(
        RoleGrant.org_id == org_id, RoleGrant.role.in_(OFFICERS), RoleGrant.person_id != ctx.actor.person_id)
        .order_by(RoleGrant.person_id))).scalars()) if in_chat else []
    if not in_chat:  # a committee member's: no secretary above them in chibo (ids only in the log)
        log.warning("data request %s awaits the operator: chibo person requests", request.id)
    full_name = candidate.full_name if candidate else ctx.actor.full_name
    values = {"number": candidate.number if candidate else None, "full_name": full_name, "kind": kind.value,
              "detail": request.detail, "made_on": request.made_on.isoformat(),
              "acknowledge_by": request.acknowledge_by.isoformat(), "act_by": request.act_by.isoformat()}

    async def due():
        for officer in officers:
            yield Due(f"data_request:r{request.id}:p{officer}", officer, "data_request", "data/notice_request",
                      values, org_id)

    await enqueue(session=ctx.session, items=due(), now=ctx.now)
    return [Reply("data/saved", {"kind": kind.value, "acknowledge_by": request.acknowledge_by,
                                 "act_by": request.act_by, "candidate": candidate is not None,
                                 "operator": not in_chat})]


@dataclass(frozen=True)
class RequestField(ChoiceField):
    """What to ask for: a candidate may also withdraw their consent; an officer or member
    without a candidate record, who gave none in chibo, asks to correct or to erase."""

    group: str = "data_request_or_agree"

    async def _choices(self, ctx: Any) -> tuple[Choice, ...]:
        every = self.choices()
        if await _mine(ctx) is not None:
            return tuple(c for c in every if c.value != AGREE)
        agreed = bool(await own_consents(ctx.session, ctx.actor.person_id))
        return tuple(c for c in every if c.value != (RequestKind.withdraw if not agreed else AGREE))

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        return await self._choices(ctx)

    async def resolve(self, text: str, ctx: Any) -> Any:
        return parse_choice(text, await self._choices(ctx))


def _correcting(answers: Answers) -> bool:
    return answers.get("request") == RequestKind.correct


flow = Flow(
    name="my_data",
    commands=("/dulieu",),
    action=Action.my_data,
    help="help/dulieu",
    steps=(
        Ask("request", "data/ask_request", RequestField(), label="data/label_request"),
        Ask("detail", "data/ask_detail", TextField(max_len=500), when=_correcting, label="data/label_detail"),
    ),
    confirm="data/confirm",
    start=start,
    done=save,
)

routes = [flow]
