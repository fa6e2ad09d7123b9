"""Who answers a person's request about their data (/dulieu), and marking it answered: by a
branch's secretary or deputy in chat (/yeucau), or by chibo's operator on the command line
(`chibo person requests`, `chibo person answer`) when no one in chat answers it.

A candidate's request is their branch's; an officer's, sponsor's or member's is their first
branch's. A committee member's (a grant in a committee or grassroots organisation only) has no
secretary above them in chibo: the operator answers it. Either way the answer is audited (ids
only) and the person is told on chat.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from models.audit import audit
from models.candidate import Candidate
from models.consent import Answer, DataRequest, RequestKind, answer, answering_org, overdue, with_whom
from models.org import Organisation
from models.outbox import Due, enqueue
from models.people import Person
from models.stage import OrgKind


async def answered_in_chat(session: AsyncSession, org_id: int | None) -> bool:
    """Does a branch's secretary or deputy answer the requests this organisation receives? Not a
    committee's: chibo's operator answers those."""
    if org_id is None:
        return False
    org = await session.get(Organisation, org_id)
    return org is not None and org.kind == OrgKind.branch


async def mark(*, session: AsyncSession, request: DataRequest, kind: Answer, today: date, now: datetime,
               by: int | None, outcome: str | None = None) -> bool:
    """Mark a request acknowledged or done (by an officer, or by the operator: `by` None), audit
    it and tell the person on chat. True when a message to them was queued."""
    answer(request, kind, today=today, by=by, outcome=outcome if kind == Answer.done else None)
    audit(session=session, at=now, person_id=by, action=f"data.request.{kind.value}",
          subject=f"candidate:{request.candidate_id}" if request.candidate_id else f"person:{request.person_id}")
    values = {"kind": RequestKind(request.kind).value, "made_on": request.made_on.isoformat(), "answer": kind.value,
              "outcome": request.outcome, "act_by": request.act_by.isoformat(), "by_operator": by is None}

    async def due():
        yield Due(f"data_request_answer:r{request.id}:{kind.value}", request.person_id, "data_request_answer",
                  "data/request_answered", values, None)

    return bool(await enqueue(session=session, items=due(), now=now))


def every_request(*, done: bool) -> sa.Select:
    """Every request (with `done`) or those not yet done, oldest first, for the operator: (request,
    register number or None, name, the answering organisation's name and kind)."""
    org = answering_org()
    stmt = (with_whom(sa.select(DataRequest, Candidate.number,
                                sa.func.coalesce(Candidate.full_name, Person.full_name),
                                Organisation.name, Organisation.kind)
                      .select_from(DataRequest))
            .outerjoin(Organisation, Organisation.id == org)
            .order_by(DataRequest.made_on, DataRequest.id))
    return stmt if done else stmt.where(DataRequest.done_on.is_(None))


def is_overdue(request: DataRequest, today: date) -> bool:
    """`overdue` for one request in hand."""
    return request.done_on is None and (request.act_by < today or (
        request.acknowledged_on is None and request.acknowledge_by < today))



async def overdue_for_operator(session: AsyncSession, today: date) -> list[int]:
    """The ids of the overdue requests that chibo's operator answers (a committee member's): the
    daily run logs them, ids only, where the operator looks (bot/scheduler.py)."""
    rows = await session.exec(sa.select(DataRequest.id).select_from(DataRequest)
                              .outerjoin(Candidate, Candidate.id == DataRequest.candidate_id)
                              .join(Organisation, Organisation.id == answering_org())
                              .where(Organisation.kind != OrgKind.branch, overdue(today))
                              .order_by(DataRequest.id))
    return list(rows.scalars())
