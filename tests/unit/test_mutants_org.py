"""Organisations' codes (models/org.py), on the points mutation testing found unchecked by
test_org_records.py: what a code is made of (the words outside brackets, a number whole, the last
four initials, a letter first), the digit added when it is taken (whatever its case), and a new
organisation's code beside organisations that have none."""

from datetime import UTC, datetime

import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models import org as orgs
from models.org import Organisation
from models.stage import OrgKind
from tests.unit.demo_rows import org

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_a_code_is_the_initials_outside_brackets_a_number_whole_at_most_four_a_letter_first():
    assert orgs.org_code("Chi bộ Trần Phú (Hà Nội)", []) == "TP"
    assert orgs.org_code("Chi bộ Khối 12", []) == "CB12"
    assert orgs.org_code("Chi bộ 3", []) == "CB3"
    assert orgs.org_code("Chi bộ A1", []) == "A1"
    assert orgs.org_code("Chi bộ Nguyễn Thị Minh Khai Hà", []) == "TMKH"


def test_a_taken_code_gets_the_first_free_digit_from_two_whatever_the_case():
    assert orgs.org_code("Trần Phú", []) == "TP"
    assert orgs.org_code("Trần Phú", ["TP"]) == "TP2"
    assert orgs.org_code("Trần Phú", ["tp"]) == "TP2"
    assert orgs.org_code("Trần Phú", ["TP", "tp2"]) == "TP3"


async def test_a_new_organisation_gets_a_free_code_beside_one_without(db):
    branch = await db.get(Organisation, await org(db, BRANCH))
    (await db.get(Organisation, await org(db, SECOND_BRANCH))).code = None
    await db.flush()
    made = await orgs.add_org(session=db, name=BRANCH, kind=OrgKind.branch, parent=None, now=NOW)
    assert (branch.code, made.code) == ("TP", "TP2")
    assert (await db.exec(sa.select(Organisation.code).where(Organisation.id == made.id))).scalar_one() == "TP2"
