"""A register built at random (seeded) for the report tests, kept beside as plain Python so that
each figure can be counted again without SQL."""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from models.candidate import Candidate, StageChange
from models.checkin import Checkin, CheckinHow
from models.dossier import AdmissionRecord, DossierEntry
from models.org import add_org
from models.org_target import OrgTarget
from models.people import Person
from models.review import MonthlyReview, ReviewDecision, SourceSurvey
from models.stage import Category, Gender, IntroducedBy, OrgKind, Stage
from models.targets import PeriodKind
from models.text import fold

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
FIRST_DAY = date(2023, 1, 1)
# The way forward; a candidate stops somewhere on it, or is taken off the list.
WAY = (Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier, Stage.proposed, Stage.admitted,
       Stage.probationary, Stage.official)


@dataclass
class Made:
    id: int
    branch: str
    number: int
    name: str
    born: date
    gender: Gender
    category: Category
    youth_union: bool
    ethnic_minority: bool
    religious: bool
    private_firm: bool
    sponsor_id: int | None
    history: list[tuple[Stage | None, Stage, date]]  # (from, to, on)
    ceremony_on: date | None = None
    certificate_on: date | None = None  # the awareness class's certificate
    checkins: list[date] = field(default_factory=list)
    review: str | None = None  # the decision of 2026-02
    unit: str | None = None
    survey: str | None = None  # the assessment of 2026-Q1 (a source's)

    @property
    def stage(self) -> Stage:
        return self.history[-1][1]

    def stage_on(self, day: date) -> Stage | None:
        held = [to for _, to, on in self.history if on <= day]
        return held[-1] if held else None


@dataclass
class Register:
    committee_id: int
    branches: dict[str, int]  # name -> id
    people: list[Made]
    targets: dict[str, int]  # branch name -> admissions asked for the school year 2025-2026


BRANCHES = ("Chi bộ Alpha", "Chi bộ Bêta", "Chi bộ Trống")  # the last stays empty


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


async def build(session, *, seed: int = 15, per_branch: int = 40) -> Register:
    rng = random.Random(seed)
    committee = await add_org(session=session, name="Đảng ủy Thử", kind=OrgKind.committee, parent=None, now=NOW)
    branches = {}
    for name in BRANCHES:
        branches[name] = (await add_org(session=session, name=name, kind=OrgKind.branch, parent=committee,
                                        now=NOW)).id
    sponsor = Person(full_name="Người Giúp Đỡ", created_at=NOW)
    session.add(sponsor)
    await session.flush()
    made: list[Made] = []
    for name in BRANCHES[:2]:
        for number in range(1, per_branch + 1):
            steps = rng.randrange(1, len(WAY) + 1)
            on = _day_between(rng, FIRST_DAY, date(2025, 9, 1))
            history: list[tuple[Stage | None, Stage, date]] = [(None, Stage.source, on)]
            for to in WAY[1:steps]:
                on = min(on + timedelta(days=rng.randrange(10, 120)), TODAY)
                history.append((history[-1][1], to, on))
            if rng.random() < 0.15 and history[-1][1] in (Stage.source, Stage.sympathizer, Stage.probationary):
                on = min(on + timedelta(days=rng.randrange(1, 60)), TODAY)
                history.append((history[-1][1], Stage.removed, on))
            if rng.random() < 0.2:  # added during February 2026, still a source
                history = [(None, Stage.source, _day_between(rng, date(2026, 2, 1), date(2026, 2, 28)))]
            person = Made(
                id=0, branch=name, number=number, name=f"Người {name[-5:]} {number}",
                born=_day_between(rng, date(1962, 1, 1), date(2007, 12, 31)), gender=rng.choice(list(Gender)),
                category=rng.choice(list(Category)), youth_union=rng.random() < 0.5,
                ethnic_minority=rng.random() < 0.2, religious=rng.random() < 0.2, private_firm=rng.random() < 0.1,
                sponsor_id=sponsor.id if rng.random() < 0.7 else None, history=history)
            ceremony = next((on for _, to, on in history if to == Stage.probationary), None)
            person.ceremony_on = ceremony
            person.certificate_on = next((on for _, to, on in history if to == Stage.dossier), None)
            person.checkins = sorted(_day_between(rng, date(2026, 1, 15), TODAY) for _ in range(rng.randrange(3)))
            person.review = rng.choice([None, *[d.value for d in ReviewDecision]])
            # "Tổ Sử" only for those already admitted or gone: a unit with nobody on the lists now.
            person.unit = ("Tổ Sử" if person.stage in (Stage.official, Stage.removed) and rng.random() < 0.5
                           else rng.choice([None, "Tổ Toán", "Tổ Văn", "Tổ Anh", "Tổ Anh", "Tổ Anh"]))
            if person.stage == Stage.source:
                person.survey = rng.choice([None, "good", "fair", "poor", "tích cực"])
            candidate = Candidate(
                branch_id=branches[name], number=number, full_name=person.name, name_folded=fold(person.name),
                birth_date=person.born, gender=person.gender, category=person.category,
                youth_union=person.youth_union, introduced_by=IntroducedBy.branch,
                ethnic_minority=person.ethnic_minority, religious=person.religious,
                private_firm=person.private_firm, unit=person.unit, stage=person.stage, stage_since=history[-1][2],
                sponsor_id=person.sponsor_id, created_at=NOW)
            session.add(candidate)
            await session.flush()
            person.id = candidate.id
            for i, (frm, to, on) in enumerate(history):
                session.add(StageChange(candidate_id=candidate.id, from_stage=frm, to_stage=to, on=on,
                                        reason="không còn phấn đấu" if to == Stage.removed else None,
                                        at=NOW + timedelta(seconds=i)))
            if person.certificate_on:  # typed with the dossier, from a class held before
                session.add(DossierEntry(candidate_id=candidate.id, item="CN-NTVĐ", dated=person.certificate_on,
                                         at=NOW))
            if ceremony:
                session.add(AdmissionRecord(candidate_id=candidate.id, ceremony_on=ceremony, updated_at=NOW))
            for met in person.checkins:
                session.add(Checkin(candidate_id=candidate.id, sponsor_id=sponsor.id, met_on=met,
                                    how=CheckinHow.phone, at=NOW))
            if person.survey:
                session.add(SourceSurvey(candidate_id=candidate.id, period="2026-Q1", assessment=person.survey,
                                         at=NOW))
            if person.review:
                session.add(MonthlyReview(candidate_id=candidate.id, period="2026-02",
                                          decision=ReviewDecision(person.review), at=NOW))
            made.append(person)
    targets = {BRANCHES[0]: 4, BRANCHES[1]: 2}
    for name, admissions in targets.items():
        session.add(OrgTarget(org_id=branches[name], label="2025-2026", period_kind=PeriodKind.school_year,
                              starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31), admissions=admissions, at=NOW))
    await session.flush()
    return Register(committee_id=committee.id, branches=branches, people=made, targets=targets)
