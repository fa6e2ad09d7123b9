"""The quarterly source survey by unit (tổ chuyên môn, khoa, phòng): the people on the lists in
each unit, how the quarter's survey assessed the sources, and the units with no or few people
on the lists (seeds 003, 004). A unit is what candidates' records name; one left blank counts
under "" (no unit).

For student branches, the graduates to transfer (seeds 000, 001: "định kỳ 3 tháng, thông tin danh
sách đảng viên là sinh viên tốt nghiệp ra trường đã làm thủ tục chuyển sinh hoạt đảng"): the
graduates who moved away in the quarter, where to, and those still at the school with the day
they must move by (models.roster.graduates; 01-HD/TW 10.2.1)."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.org import Organisation
from models.deadlines import graduate_may_stay_until
from models.reminders import FOLLOWED
from models.reports.periods import ReportPeriod
from models.review import Assessment, SourceSurvey
from models.roster import graduates
from models.stage import Stage

FEW = 2  # a unit with at most this many people on the lists is named as having few


@dataclass(frozen=True)
class UnitRow:
    branch: str
    unit: str  # "" when not recorded
    source: int
    sympathizer: int
    further: int  # at the class or making their dossier
    assessed: dict[str, int]  # this quarter's survey of the unit's sources: Assessment value or "other"
    not_assessed: int  # sources without this quarter's survey

    @property
    def total(self) -> int:
        return self.source + self.sympathizer + self.further


@dataclass(frozen=True)
class GraduateRow:
    branch: str
    name: str
    graduated_on: date
    until: date  # may stay at the school until this day (models.deadlines.graduate_may_stay_until)
    moved_on: date | None  # moved away in the quarter (None: still at the school)
    moved_to: str | None


@dataclass(frozen=True)
class Quarterly:
    org: str
    period: ReportPeriod
    today: date
    rows: list[UnitRow]
    empty_units: list[tuple[str, str]]  # (branch, unit) named on a record, with nobody on the lists now
    few_units: list[tuple[str, str]]  # (branch, unit) with 1..FEW people on the lists
    graduates: list[GraduateRow] = field(default_factory=list)  # student branches' graduates to transfer


async def quarterly_survey(*, session: AsyncSession, branch_ids: list[int], org: str, period: ReportPeriod,
                           today: date) -> Quarterly:
    unit = sa.func.coalesce(Candidate.unit, "")
    rows = (await session.exec(
        select(Organisation.name, unit, Candidate.stage, SourceSurvey.assessment, sa.func.count())
        .join(Organisation, Organisation.id == Candidate.branch_id)
        .outerjoin(SourceSurvey, sa.and_(SourceSurvey.candidate_id == Candidate.id,
                                         SourceSurvey.period == f"{period.start.year}-Q{period.number}"))
        .where(Candidate.branch_id.in_(branch_ids) if branch_ids else sa.false(),
               Candidate.stage.in_([s.value for s in FOLLOWED]))
        .group_by(Organisation.name, unit, Candidate.stage, SourceSurvey.assessment))).all()
    known = {(b, u) for b, u in (await session.exec(
        select(Organisation.name, unit).join(Organisation, Organisation.id == Candidate.branch_id)
        .where(Candidate.branch_id.in_(branch_ids) if branch_ids else sa.false(), Candidate.unit.is_not(None))
        .distinct())).all()}
    cells: dict[tuple[str, str], dict] = {}
    for branch, name, stage, assessment, n in rows:
        cell = cells.setdefault((branch, name), {"source": 0, "sympathizer": 0, "further": 0, "assessed": {},
                                                 "not_assessed": 0})
        stage = Stage(stage)
        key = stage.value if stage in (Stage.source, Stage.sympathizer) else "further"
        cell[key] += n
        if stage == Stage.source:
            if assessment is None:
                cell["not_assessed"] += n
            else:
                kind = assessment if assessment in {a.value for a in Assessment} else "other"
                cell["assessed"][kind] = cell["assessed"].get(kind, 0) + n
    out = [UnitRow(branch=b, unit=u, **c) for (b, u), c in sorted(cells.items())]
    return Quarterly(org=org, period=period, today=today, rows=out,
                     empty_units=sorted((b, u) for b, u in known - set(cells) if u),
                     few_units=[(r.branch, r.unit) for r in out if r.unit and r.total <= FEW],
                     graduates=await _graduates(session, branch_ids, period))


async def _graduates(session: AsyncSession, branch_ids: list[int], period: ReportPeriod) -> list[GraduateRow]:
    found = await graduates(session, org_ids=branch_ids, start=period.start, end=period.end)
    names = dict((await session.exec(select(Organisation.id, Organisation.name)
                                     .where(Organisation.id.in_({m.org_id for m in found})))).all()) if found else {}
    return [GraduateRow(branch=names[m.org_id], name=m.full_name, graduated_on=m.graduated_on,
                        until=graduate_may_stay_until(m.graduated_on),
                        moved_on=m.left_on if m.left_on and m.left_on <= period.end else None,
                        moved_to=m.moved_to if m.left_on and m.left_on <= period.end else None) for m in found]
