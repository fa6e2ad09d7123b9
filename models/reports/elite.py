"""The list of candidates not yet admitted ("Danh sách quần chúng ưu tú"), one row each."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.dossier import DossierEntry
from models.org import Organisation
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.people import Person
from models.progress import CERTIFICATE_ITEMS
from models.reports.common import missing_items, steps_of
from models.stage import PIPELINE_ORDER, Stage

# Before the committee's decision: the people the list is about.
LISTED: tuple[Stage, ...] = (Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier, Stage.proposed)


@dataclass(frozen=True)
class EliteRow:
    candidate_id: int
    branch: str
    number: int
    full_name: str
    birth_date: date
    gender: str
    unit: str | None
    category: str
    youth_union: bool
    stage: str
    stage_since: date
    sponsor: str | None
    certificate_number: str | None
    certificate_on: date | None
    missing: list[str]  # dossier item codes (for those in the dossier stage)
    next_step: str | None
    next_step_due: date | None
    next_step_values: dict = field(default_factory=dict)


async def _certificates(session: AsyncSession, ids: list[int]) -> dict[int, tuple[date, str | None]]:
    """The latest awareness certificate of each candidate: from a class, or typed with the dossier."""
    found: dict[int, tuple[date, str | None]] = {}
    if not ids:
        return found
    from_class = (await session.exec(
        select(Enrollment.candidate_id, Enrollment.certificate_on, Enrollment.certificate_number)
        .join(PartyClass, PartyClass.id == Enrollment.class_id)
        .where(Enrollment.candidate_id.in_(ids), PartyClass.kind == ClassKind.awareness,
               Enrollment.status == EnrollmentStatus.passed, Enrollment.certificate_on.is_not(None)))).all()
    typed = (await session.exec(
        select(DossierEntry.candidate_id, DossierEntry.dated, sa.null())
        .where(DossierEntry.candidate_id.in_(ids), DossierEntry.item == CERTIFICATE_ITEMS[ClassKind.awareness]))).all()
    for cid, on, number in [*from_class, *typed]:
        if cid not in found or on > found[cid][0]:
            found[cid] = (on, number)
    return found


async def elite_list(*, session: AsyncSession, branch_ids: list[int], today: date) -> list[EliteRow]:
    """Everyone on the branches' lists before the committee's decision, by branch, stage, number."""
    if not branch_ids:
        return []
    order = sa.case({s.value: i for i, s in enumerate(PIPELINE_ORDER)}, value=Candidate.stage)
    rows = (await session.exec(
        select(Candidate, Organisation.name, Person.full_name)
        .join(Organisation, Organisation.id == Candidate.branch_id)
        .outerjoin(Person, Person.id == Candidate.sponsor_id)
        .where(Candidate.branch_id.in_(branch_ids), Candidate.stage.in_([s.value for s in LISTED]))
        .order_by(Organisation.name, Candidate.branch_id, order, Candidate.number))).all()
    candidates = [c for c, _, _ in rows]
    certificates = await _certificates(session, [c.id for c in candidates])
    steps = await steps_of(session=session, candidates=candidates, today=today)
    out = []
    for c, branch, sponsor in rows:
        on, cert_number = certificates.get(c.id, (None, None))
        step = steps.get(c.id)
        out.append(EliteRow(
            candidate_id=c.id, branch=branch, number=c.number, full_name=c.full_name, birth_date=c.birth_date,
            gender=str(c.gender), unit=c.unit, category=str(c.category), youth_union=c.youth_union,
            stage=str(c.stage), stage_since=c.stage_since, sponsor=sponsor, certificate_number=cert_number,
            certificate_on=on,
            missing=await missing_items(session=session, candidate=c, today=today) if c.stage == Stage.dossier else [],
            next_step=step.code if step else None, next_step_due=step.due if step else None,
            next_step_values=dict(step.values) if step else {}))
    return out
