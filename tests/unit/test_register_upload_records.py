"""A register file kept between its dry run and "Nhập" (models/register_upload.py), on the demo:
only its sender finds it, for KEEP_HOURS; the next file drops the older ones; a used one goes."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH
from models.register_upload import KEEP_HOURS, RegisterUpload, drop_upload, keep_upload, upload_of
from tests.unit.demo_rows import org, person

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def utc(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def kept_names(db) -> list[str]:
    return sorted((await db.exec(sa.select(RegisterUpload.name))).scalars())


async def test_an_upload_is_kept_as_sent_with_a_name_of_at_most_200_letters(db):
    tp, thu = await org(db, BRANCH), await person(db, "Nguyễn Thị Thu")
    upload = await keep_upload(session=db, person_id=thu, org_id=tp, name="x" * 250, data=b"\x00register",
                               now=NOW)
    db.expunge_all()
    stored = await db.get(RegisterUpload, upload.id)
    assert (stored.person_id, stored.org_id, stored.name, stored.data, utc(stored.at)) == (
        thu, tp, "x" * 200, b"\x00register", NOW)


async def test_only_the_sender_finds_their_upload_and_only_for_keep_hours(db):
    tp, thu, binh = await org(db, BRANCH), await person(db, "Nguyễn Thị Thu"), await person(db, "Trần Văn Bình")
    upload = await keep_upload(session=db, person_id=thu, org_id=tp, name="a.xlsx", data=b"a", now=NOW)
    assert KEEP_HOURS == 24
    found = await upload_of(session=db, upload_id=upload.id, person_id=thu, now=NOW + timedelta(hours=KEEP_HOURS))
    assert found is not None and found.id == upload.id
    assert await upload_of(session=db, upload_id=upload.id, person_id=binh, now=NOW) is None
    assert await upload_of(session=db, upload_id=upload.id + 1, person_id=thu, now=NOW) is None
    assert await upload_of(session=db, upload_id=upload.id, person_id=thu,
                           now=NOW + timedelta(hours=KEEP_HOURS, seconds=1)) is None


async def test_the_next_file_drops_those_older_than_keep_hours_whoever_sent_them(db):
    tp, thu, binh = await org(db, BRANCH), await person(db, "Nguyễn Thị Thu"), await person(db, "Trần Văn Bình")
    await keep_upload(session=db, person_id=thu, org_id=tp, name="old", data=b"1", now=NOW)
    await keep_upload(session=db, person_id=binh, org_id=tp, name="newer", data=b"2", now=NOW + timedelta(hours=1))
    await keep_upload(session=db, person_id=thu, org_id=tp, name="day later", data=b"3",
                      now=NOW + timedelta(hours=KEEP_HOURS))
    assert await kept_names(db) == ["day later", "newer", "old"]
    await keep_upload(session=db, person_id=binh, org_id=tp, name="last", data=b"4",
                      now=NOW + timedelta(hours=KEEP_HOURS, seconds=1))
    assert await kept_names(db) == ["day later", "last", "newer"]


async def test_a_used_upload_is_dropped(db):
    tp, thu = await org(db, BRANCH), await person(db, "Nguyễn Thị Thu")
    first = await keep_upload(session=db, person_id=thu, org_id=tp, name="a", data=b"a", now=NOW)
    await keep_upload(session=db, person_id=thu, org_id=tp, name="b", data=b"b", now=NOW)
    await drop_upload(session=db, upload=first)
    assert await kept_names(db) == ["b"]
    assert await upload_of(session=db, upload_id=first.id, person_id=thu, now=NOW) is None
