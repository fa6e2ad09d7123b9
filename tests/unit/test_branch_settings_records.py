"""A branch's settings (models/branch_settings.py), changed directly on the demo: a new value is
kept and audited by ids only, the value already set records nothing, and only the settings
listed may be changed."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from bot.demo import BRANCH
from models.audit import AuditLog
from models.branch_settings import SETTINGS, SETTINGS_ACTION, change, current
from models.org import Organisation
from tests.unit.demo_rows import org, secretary

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def utc(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def audited(db) -> list[AuditLog]:
    return list((await db.exec(sa.select(AuditLog).where(AuditLog.action == SETTINGS_ACTION)
                               .order_by(AuditLog.id))).scalars())


async def test_the_current_settings_are_every_setting_and_only_those(db):
    branch = await db.get(Organisation, await org(db, BRANCH))
    settings = current(branch)
    assert list(settings) == list(SETTINGS)
    assert settings["name"] == BRANCH and settings["meeting_day"] == branch.meeting_day
    assert settings["personal_data_channels"] == branch.personal_data_channels


async def test_a_new_value_is_kept_and_audited_by_ids_only(db):
    branch = await db.get(Organisation, await org(db, BRANCH))
    by = await secretary(db)
    day = 12 if branch.meeting_day != 12 else 13
    assert change(session=db, org=branch, name="meeting_day", value=day, by_person_id=by, now=NOW) is True
    await db.flush()
    db.expunge_all()
    assert (await db.get(Organisation, branch.id)).meeting_day == day
    [entry] = await audited(db)
    assert (utc(entry.at), entry.person_id, entry.action, entry.subject, entry.detail) == (
        NOW, by, "org.settings", f"org:{branch.id}", None)


async def test_the_value_already_set_records_nothing(db):
    branch = await db.get(Organisation, await org(db, BRANCH))
    assert change(session=db, org=branch, name="meeting_day", value=branch.meeting_day, by_person_id=None,
                  now=NOW) is False
    await db.flush()
    assert await audited(db) == []


async def test_only_a_branch_setting_may_be_changed(db):
    branch = await db.get(Organisation, await org(db, BRANCH))
    with pytest.raises(ValueError, match="not a branch setting: code"):
        change(session=db, org=branch, name="code", value="XX", by_person_id=None, now=NOW)
    assert branch.code != "XX"
