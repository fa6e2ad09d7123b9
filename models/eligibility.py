"""Who may be admitted, on the day the branch meets to consider it (age, certificate, introducers)."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from models.deadlines import certificate_expires_on
from models.dossier_items import CURRENT_VERSION, check_items
from models.roster import Standing, official_on, on_roster
from models.rules import (
    ADMISSION_MAX_AGE_MONTHS, ADMISSION_MIN_AGE_MONTHS, INTRODUCER_MIN_MONTHS_TOGETHER,
    INTRODUCERS_BESIDE_UNION, INTRODUCERS_REQUIRED, Notice, Refusal, add_months, age_in_months,
)


class IntroducerKind(StrEnum):
    member = "member"  # a party member, by a 3-KNĐ letter
    youth_union = "youth_union"  # the grassroots Youth Union executive committee (4-KNĐ)
    trade_union = "trade_union"  # the grassroots Trade Union executive committee (4-KNĐ)


@dataclass(frozen=True)
class Introducer:
    kind: IntroducerKind
    who: object = None  # the caller's id for the introducer, echoed in refusals
    official: bool = True  # members only: False for a probationary member
    together_since: date | None = None  # members only: same unit since (work, study, living)


class Education(IntEnum):
    none = 0
    primary = 1  # tiểu học
    lower_secondary = 2  # THCS
    upper_secondary = 3  # THPT
    higher = 4


def turns_18_on(birth: date) -> date:
    return add_months(birth, ADMISSION_MIN_AGE_MONTHS)


def month_turns_18(birth: date) -> tuple[int, int]:
    """(year, month) a pupil becomes old enough: tell the secretary (002 "Đảng viên tuổi 18")."""
    day = turns_18_on(birth)
    return day.year, day.month


def check_age(birth: date, on: date, *, over_age_consent: bool = False) -> Refusal | None:
    """From full 18 to full 60 counted in months; older only with the provincial consent."""
    months = age_in_months(birth, on)
    if months < ADMISSION_MIN_AGE_MONTHS:
        return Refusal("under_age", {"age_months": months, "eligible_from": turns_18_on(birth)})
    if months > ADMISSION_MAX_AGE_MONTHS and not over_age_consent:
        return Refusal("over_age", {"age_months": months,
                                    "over_since": add_months(birth, ADMISSION_MAX_AGE_MONTHS + 1)})
    return None


def check_certificate(issued: date | None, on: date) -> Refusal | None:
    """The CN-NTVĐ must exist on `on` and be younger than 60 months."""
    if issued is None:
        return Refusal("no_certificate", {})
    if issued > on:
        return Refusal("certificate_after_meeting", {"issued_on": issued, "on": on})
    if on >= certificate_expires_on(issued):
        return Refusal("certificate_expired",
                       {"issued_on": issued, "expired_on": certificate_expires_on(issued)})
    return None


def check_introducers(
    introducers: Sequence[Introducer], on: date, *, youth_union_member: bool,
    unit_has_youth_union: bool = True,
) -> list[Refusal]:
    """Two official members, or a union's committee plus one official member.

    The Youth Union's committee introduces a Youth Union member; the Trade Union's committee
    stands in only where the unit has no Youth Union. Every member introducer must be
    official and have been in the same unit with the person for at least 12 months on `on`,
    and count once: the same member named twice is refused ("introducer_twice").
    """
    refusals: list[Refusal] = []
    valid_members = 0
    union = None
    seen: set[object] = set()
    for intro in introducers:
        if intro.kind == IntroducerKind.member:
            twice = intro.who is not None and intro.who in seen
            seen.add(intro.who)
            refusal = Refusal("introducer_twice", {"who": intro.who}) if twice else _check_member(intro, on)
            if refusal is None:
                valid_members += 1
            else:
                refusals.append(refusal)
        elif intro.kind == IntroducerKind.youth_union and youth_union_member:
            union = intro.kind
        elif intro.kind == IntroducerKind.trade_union and not unit_has_youth_union:
            union = union or intro.kind
        else:
            refusals.append(Refusal("union_may_not_introduce", {
                "union": intro.kind, "youth_union_member": youth_union_member,
                "unit_has_youth_union": unit_has_youth_union}))
    required = INTRODUCERS_BESIDE_UNION if union else INTRODUCERS_REQUIRED
    if valid_members < required:
        refusals.append(Refusal("not_enough_introducers", {
            "valid_members": valid_members, "required_members": required, "union": union}))
    return refusals


def _check_member(intro: Introducer, on: date) -> Refusal | None:
    if not intro.official:
        return Refusal("introducer_probationary", {"who": intro.who})
    if intro.together_since is None:
        return Refusal("introducer_time_unknown", {"who": intro.who})
    months = max(age_in_months(intro.together_since, on), 0)
    if months < INTRODUCER_MIN_MONTHS_TOGETHER:
        return Refusal("introducer_too_recent", {
            "who": intro.who, "months_together": months,
            "qualifies_on": add_months(intro.together_since, INTRODUCER_MIN_MONTHS_TOGETHER)})
    return None


@dataclass(frozen=True)
class Introduction:
    """What the rule reads of one recorded introducer: the member's standing on the roster."""

    member_id: int
    name: str
    standing: Standing
    together_since: date


def union_route(*, youth_union_member: bool, trade_union: bool = False) -> IntroducerKind | None:
    """The union committee that introduces beside one official member (Charter art. 4): the Youth
    Union's for a Youth Union member; the Trade Union's where the unit has no Youth Union
    (`trade_union`, as the secretary recorded it with the letters); else none (two members)."""
    if youth_union_member:
        return IntroducerKind.youth_union
    return IntroducerKind.trade_union if trade_union else None


def members_required(*, youth_union_member: bool, trade_union: bool = False) -> int:
    """Official members who must introduce: one beside a union's committee, else two."""
    union = union_route(youth_union_member=youth_union_member, trade_union=trade_union)
    return INTRODUCERS_BESIDE_UNION if union else INTRODUCERS_REQUIRED


def introducers_only(*, letters_on: date | None, has_roster: bool) -> bool:
    """Whether the introducers may be recorded alone, the 3-KNĐ keeping its date: the letters
    are already dated (recorded before introducers were records, or imported) and the branch
    keeps a roster to pick them from."""
    return letters_on is not None and has_roster


def introduction_refusals(
    introductions: Sequence[Introduction], on: date, *, youth_union_member: bool, trade_union: bool = False,
) -> list[Refusal]:
    """Why the recorded introducers do not qualify on `on` (a vote's day); empty when they do.

    Fewer members recorded than required (members_required): one "introducers_missing".
    Otherwise each must be on the branch's roster that day ("introducer_off_roster"), named once
    ("introducer_twice"), official, and with the person for 12 months (check_introducers);
    "not_enough_introducers" only when no introducer's own fault explains it. For a Youth Union
    member (or on the Trade Union route, `trade_union`: union_route) the committee's resolution
    (4-KNĐ) is an item of the file, checked with the others.
    """
    union = union_route(youth_union_member=youth_union_member, trade_union=trade_union)
    required = members_required(youth_union_member=youth_union_member, trade_union=trade_union)
    if len(introductions) < required:
        return [Refusal("introducers_missing", {"required": required, "recorded": len(introductions),
                                                "youth_union_member": youth_union_member,
                                                "union": str(union) if union else None})]
    refusals: list[Refusal] = []
    people: list[Introducer] = []
    seen: set[int] = set()
    for i in introductions:
        if i.member_id in seen:
            refusals.append(Refusal("introducer_twice", {"who": i.name}))
        elif not on_roster(i.standing, on):
            refusals.append(Refusal("introducer_off_roster", {"who": i.name, "on": on}))
        else:
            people.append(Introducer(IntroducerKind.member, who=i.member_id, official=official_on(i.standing, on),
                                     together_since=i.together_since))
        seen.add(i.member_id)
    if union:
        people.append(Introducer(union))
    names = {i.member_id: i.name for i in introductions}
    for r in check_introducers(people, on, youth_union_member=youth_union_member,
                               unit_has_youth_union=union != IntroducerKind.trade_union):
        values = {**r.values, "who": names[r.values["who"]]} if "who" in r.values else r.values
        refusals.append(Refusal(r.code, values))
    explained = [r for r in refusals if r.code != "not_enough_introducers"]
    return explained or refusals


def check_eligibility(
    *, birth: date, meeting_on: date, certificate_issued: date | None,
    introducers: Sequence[Introducer], youth_union_member: bool,
    unit_has_youth_union: bool = True, over_age_consent: bool = False,
) -> list[Refusal]:
    """Every reason the branch may not consider admission on `meeting_on` (empty: eligible)."""
    refusals = [r for r in (check_age(birth, meeting_on, over_age_consent=over_age_consent),
                            check_certificate(certificate_issued, meeting_on)) if r]
    return refusals + check_introducers(introducers, meeting_on,
                                        youth_union_member=youth_union_member,
                                        unit_has_youth_union=unit_has_youth_union)


def education_notice(level: Education, *, hardship_area: bool = False) -> Notice | None:
    """THCS, or primary school in mountain, border, island and ethnic-minority areas (06-HD/TW 1.2).

    A warning, not a block.
    """
    minimum = Education.primary if hardship_area else Education.lower_secondary
    if level < minimum:
        return Notice("education_below_minimum", {"level": level.name, "minimum": minimum.name})
    return None


CERTIFICATE_ITEM = "CN-NTVĐ"
LETTERS_ITEM = "3-KNĐ"  # the introducers' letters: recorded with who wrote them


def vote_blockers(
    *, birth: date, on: date, present: Mapping[str, date], applicable: Collection[str] = (),
    version: str = CURRENT_VERSION, introductions: Sequence[Introduction] | None = None,
    youth_union_member: bool = False, trade_union: bool = False,
) -> list[Refusal]:
    """Everything that stops the branch voting on admission on `on`, in this order: age, the
    awareness-class certificate, then the file (models/dossier_items.py): 1-KNĐ..5-KNĐ missing
    (3-KNĐ is the introducers' letters, 4-KNĐ the union's resolution introducing a Youth Union
    member, or on the Trade Union route a member of a unit without a Youth Union), 3/4/5-KNĐ more
    than 12 months old on the vote's day, a paper dated after it; then,
    once the letters are recorded, their writers (`introductions`, introduction_refusals; None:
    not read). /denghiketnap shows this list; /ketnap refuses while it is not empty."""
    certificate = check_certificate(present.get(CERTIFICATE_ITEM), on)
    items = [r for r in check_items(present, on=on, version=version, applicable=applicable)
             if r.code != "item_unknown" and not (certificate and r.values.get("item") == CERTIFICATE_ITEM)]
    writers = (introduction_refusals(introductions, on, youth_union_member=youth_union_member,
                                     trade_union=trade_union)
               if introductions is not None and LETTERS_ITEM in present else [])
    return [r for r in (check_age(birth, on), certificate) if r] + items + writers
