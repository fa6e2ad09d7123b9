"""Which chat channels may carry a branch's personal data, and what is shown on the others.

Each branch chooses (/chibo) among the channels whose servers are elsewhere: Telegram's are
abroad, Zalo's in Vietnam. The console runs on the branch's own machine and is always allowed.
On a channel not allowed, replies name a person by initials and show the next step, never a
full name or a birth date.
"""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from models.org import Organisation

CHOOSABLE = ("telegram", "zalo")


def allowed(setting: str) -> frozenset[str]:
    return frozenset(c for c in setting.split(",") if c in CHOOSABLE)


def carries(setting: str, channel: str) -> bool:
    """May this channel carry the branch's personal data?"""
    return channel not in CHOOSABLE or channel in allowed(setting)


def setting_of(channels: Iterable[str]) -> str:
    return ",".join(c for c in CHOOSABLE if c in set(channels))


def initials(full_name: str) -> str:
    """"Nguyễn Văn An" -> "N.V.A."."""
    return "".join(f"{word[0].upper()}." for word in full_name.split())


NAME_KEYS = frozenset({"name", "full_name", "sponsor"})
# A birth date, and what a reminder works out from it (the day one turns 16 or 18): left out.
BIRTH_KEYS = frozenset({"born", "birth_date"})


def masked(values: Any) -> Any:
    """A reminder's values with every person's name as initials and no birth date, however deep
    (a list's rows)."""
    if isinstance(values, dict):
        return {k: initials(v) if k in NAME_KEYS and isinstance(v, str) else masked(v) for k, v in values.items()
                if k not in BIRTH_KEYS}
    if isinstance(values, list):
        return [masked(v) for v in values]
    return values


async def carried_by(session: AsyncSession, branch_ids: set[int], channel: str) -> dict[int, bool]:
    """For each branch: may this channel show its people's names and birth dates?"""
    if not branch_ids:
        return {}
    rows = await session.exec(sa.select(Organisation.id, Organisation.personal_data_channels)
                              .where(Organisation.id.in_(branch_ids)))
    return {org_id: carries(setting, channel) for org_id, setting in rows.all()}


async def shows_names(session: AsyncSession, branch_id: int, channel: str) -> bool:
    """May this channel show the names and birth dates of this branch's people?"""
    return (await carried_by(session, {branch_id}, channel)).get(branch_id, True)


def name_or_initials(full_name: str | None, shown: bool) -> str | None:
    return full_name if shown or not full_name else initials(full_name)
