"""A branch's settings, changed by its secretary or deputy in chat (/chibo): its name, the day it meets,
when it was founded, after how many days a sponsor is nudged, "no source left", and which
committee decides its admissions and who issues class certificates (since 1 July 2025 these
differ by locality; DOMAIN.md), and which chat channels may carry its personal data
(models/privacy.py). Each change is audited (ids only) and takes effect at once.
"""

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from models.audit import audit
from models.org import Organisation

SETTINGS = ("meeting_day", "founded_on", "sponsor_nudge_days", "no_source_left", "admission_decided_by",
            "certificates_issued_by", "name", "personal_data_channels")
MEETING_DAYS = (1, 31)  # a day past the month's end means its last day (models/progress.next_meeting)
# (the bounds of sponsor_nudge_days are rules.SPONSOR_NUDGE_DAYS_RANGE; founded_on is never in the future)
SETTINGS_ACTION = "org.settings"


def current(org: Organisation) -> dict[str, Any]:
    return {name: getattr(org, name) for name in SETTINGS}


def change(*, session: AsyncSession, org: Organisation, name: str, value: Any, by_person_id: int | None,
           now: datetime) -> bool:
    """Keep the new value; False when it is the value already set (nothing recorded)."""
    if name not in SETTINGS:
        raise ValueError(f"not a branch setting: {name}")
    if getattr(org, name) == value:
        return False
    setattr(org, name, value)
    session.add(org)
    audit(session=session, at=now, person_id=by_person_id, action=SETTINGS_ACTION, subject=f"org:{org.id}")
    return True
