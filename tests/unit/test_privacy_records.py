"""Which chat channels may carry a branch's personal data (models/privacy.py): the setting read
and written, initials, masked values, and each branch's choice read from the database."""

import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models import privacy
from models.org import PERSONAL_DATA_CHANNELS, Organisation


def test_a_setting_names_only_the_choosable_channels():
    assert privacy.allowed("telegram,zalo") == {"telegram", "zalo"}
    assert privacy.allowed("zalo,console,fax") == {"zalo"}
    assert privacy.allowed("") == frozenset()


def test_the_console_and_unknown_channels_always_carry_personal_data():
    assert privacy.carries("", "console") and privacy.carries("", "web")
    assert privacy.carries("zalo", "zalo") and not privacy.carries("zalo", "telegram")
    assert not privacy.carries("", "zalo")
    assert privacy.carries(PERSONAL_DATA_CHANNELS, "telegram") and privacy.carries(PERSONAL_DATA_CHANNELS, "zalo")


def test_a_setting_is_written_in_one_order():
    assert privacy.setting_of(["zalo", "telegram", "console"]) == "telegram,zalo"
    assert privacy.setting_of(["zalo", "zalo"]) == "zalo"
    assert privacy.setting_of([]) == ""


def test_initials_and_names_shown_or_not():
    assert privacy.initials("Nguyễn văn  an") == "N.V.A."
    assert privacy.name_or_initials("Nguyễn Văn An", True) == "Nguyễn Văn An"
    assert privacy.name_or_initials("Nguyễn Văn An", False) == "N.V.A."
    assert privacy.name_or_initials(None, False) is None
    assert privacy.name_or_initials("", False) == ""


def test_masked_values_however_deep():
    values = {"sponsor": "Trần Văn Bình", "full_name": 7, "birth_date": "2008-01-01", "title": "Lê Văn",
              "rows": [[{"name": "Đinh Văn Khoa", "born": "x"}], "Lê Văn"]}
    assert privacy.masked(values) == {"sponsor": "T.V.B.", "full_name": 7, "title": "Lê Văn",
                                      "rows": [[{"name": "Đ.V.K."}], "Lê Văn"]}
    assert privacy.masked("Lê Văn") == "Lê Văn"


async def test_each_branch_choice_read_from_the_database(db):
    ids = dict((await db.exec(sa.select(Organisation.name, Organisation.id))).all())
    branch, second = ids[BRANCH], ids[SECOND_BRANCH]
    (await db.get(Organisation, second)).personal_data_channels = "zalo"
    await db.flush()
    assert await privacy.carried_by(db, {branch, second}, "telegram") == {branch: True, second: False}
    assert await privacy.carried_by(db, {branch, second}, "zalo") == {branch: True, second: True}
    assert await privacy.carried_by(db, set(), "telegram") == {}
    assert await privacy.shows_names(db, second, "telegram") is False
    assert await privacy.shows_names(db, second, "console") is True
    assert await privacy.shows_names(db, branch, "telegram") is True
    assert await privacy.shows_names(db, 9999, "telegram") is True  # no such branch: nothing to hide
