"""The dossier checklist (DOMAIN.md "The dossier"): one table per regulation version."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from models.rules import (
    CERTIFICATE_VALID_MONTHS, CERTIFICATE_WARN_MONTHS_BEFORE, DOSSIER_MAX_AGE_MONTHS,
    DOSSIER_WARN_AGE_MONTHS, Notice, Refusal, add_months,
)


class Phase(StrEnum):
    admission = "admission"  # kết nạp
    recognition = "recognition"  # công nhận đảng viên chính thức


@dataclass(frozen=True)
class DossierItem:
    code: str  # the form's number, as printed on it
    name: str  # English, for code and logs; the words live in templates
    phase: Phase
    before_vote: bool  # needed before the branch votes (to propose admission / recognition)
    conditional: bool = False  # only where it applies (a partial committee, the union route)
    valid_months: int | None = None  # expires this long after its date
    redo_after_months: int | None = None  # redone if older than this on the branch's vote


A, R = Phase.admission, Phase.recognition
_AGE = DOSSIER_MAX_AGE_MONTHS

# Hướng dẫn 12-HD/BTCTW (2022). Forms beyond 1–6 and 9 are less certain (DOMAIN.md); the
# new-member class certificate has no form number: "CN-ĐVM" is chibo's own key.
ITEMS_12_HD_2022: tuple[DossierItem, ...] = (
    DossierItem("CN-NTVĐ", "awareness_class_certificate", A, True, valid_months=CERTIFICATE_VALID_MONTHS),
    DossierItem("1-KNĐ", "application", A, True),
    DossierItem("2-KNĐ", "personal_history_verified", A, True),
    DossierItem("3-KNĐ", "introducers_letters", A, True, redo_after_months=_AGE),
    DossierItem("4-KNĐ", "union_resolution", A, True, conditional=True, redo_after_months=_AGE),
    DossierItem("5-KNĐ", "comments_summary", A, True, redo_after_months=_AGE),
    DossierItem("6-KNĐ", "branch_resolution", A, False),
    DossierItem("7-KNĐ", "partial_committee_appraisal", A, False, conditional=True),
    DossierItem("8-KNĐ", "grassroots_committee_resolution", A, False),
    DossierItem("9-KNĐ", "admission_decision", A, False),
    DossierItem("CN-ĐVM", "new_member_class_certificate", R, True),
    DossierItem("10-KNĐ", "self_review", R, True),
    DossierItem("11-KNĐ", "sponsor_comments", R, True),
    DossierItem("12-KNĐ", "comments_summary", R, True),
    DossierItem("13-KNĐ", "branch_resolution", R, False),
    DossierItem("14-KNĐ", "partial_committee_appraisal", R, False, conditional=True),
    DossierItem("15-KNĐ", "grassroots_committee_resolution", R, False),
    DossierItem("16-KNĐ", "recognition_decision", R, False),
)

CURRENT_VERSION = "12-HD/BTCTW-2022"
# A dossier keeps the version it was started under; a new regulation adds a key here.
VERSIONS: dict[str, tuple[DossierItem, ...]] = {CURRENT_VERSION: ITEMS_12_HD_2022}


def items(version: str = CURRENT_VERSION, phase: Phase | None = None) -> tuple[DossierItem, ...]:
    return tuple(i for i in VERSIONS[version] if phase is None or i.phase == phase)


def required_before_vote(version: str = CURRENT_VERSION, phase: Phase = Phase.admission,
                         applicable: Collection[str] = ()) -> tuple[str, ...]:
    """Codes the branch needs before voting; conditional items only if named in `applicable`."""
    return tuple(i.code for i in items(version, phase)
                 if i.before_vote and (not i.conditional or i.code in applicable))


def redo_if_stale(version: str = CURRENT_VERSION) -> tuple[str, ...]:
    """Admission items redone when the dossier is more than 12 months old at the vote."""
    return tuple(i.code for i in items(version) if i.redo_after_months is not None)


def check_items(
    present: Mapping[str, date], *, on: date, version: str = CURRENT_VERSION,
    phase: Phase = Phase.admission, applicable: Collection[str] = (),
) -> list[Refusal]:
    """What is missing, unknown or too old for a branch vote on `on`, in the file's order.

    `present` maps an item's code to its date; `applicable` names the conditional items
    that apply to this person (e.g. "4-KNĐ" on the union route).
    """
    table = {i.code: i for i in items(version)}
    refusals = [Refusal("item_unknown", {"item": c, "version": version})
                for c in present if c not in table]
    for code in required_before_vote(version, phase, applicable):
        item, dated = table[code], present.get(code)
        if dated is None:
            refusals.append(Refusal("item_missing", {"item": code}))
        elif dated > on:
            refusals.append(Refusal("item_after_meeting", {"item": code, "dated": dated, "on": on}))
        elif item.valid_months is not None and on >= add_months(dated, item.valid_months):
            refusals.append(Refusal("item_expired", {
                "item": code, "dated": dated, "expired_on": add_months(dated, item.valid_months)}))
        elif item.redo_after_months is not None and on > add_months(dated, item.redo_after_months):
            refusals.append(Refusal("item_too_old", {
                "item": code, "dated": dated, "redo_after": add_months(dated, item.redo_after_months)}))
    return refusals


def item_notices(present: Mapping[str, date], *, today: date,
                 version: str = CURRENT_VERSION) -> list[Notice]:
    """Items soon too old: a certificate in its last 3 months, a 3/4/5-KNĐ from 11 months."""
    notices = []
    for item in items(version):
        dated = present.get(item.code)
        if dated is None:
            continue
        if item.valid_months is not None:
            expires = add_months(dated, item.valid_months)
            if add_months(dated, item.valid_months - CERTIFICATE_WARN_MONTHS_BEFORE) <= today < expires:
                notices.append(Notice("item_expiring", {"item": item.code, "expires_on": expires}))
        if item.redo_after_months is not None:
            last_day = add_months(dated, item.redo_after_months)
            if add_months(dated, DOSSIER_WARN_AGE_MONTHS) <= today <= last_day:
                notices.append(Notice("item_ageing", {"item": item.code, "last_day": last_day}))
    return notices
