"""The dossier checklist table and what is missing or too old on the day of the branch vote."""

from datetime import date

from models.dossier_items import (
    CURRENT_VERSION, VERSIONS, Phase, check_items, item_notices, items, redo_if_stale,
    required_before_vote,
)

VOTE = date(2026, 6, 15)
FRESH = {
    "CN-NTVĐ": date(2025, 11, 20), "1-KNĐ": date(2026, 1, 5), "2-KNĐ": date(2026, 3, 1),
    "3-KNĐ": date(2026, 3, 10), "5-KNĐ": date(2026, 4, 2),
}


def codes(refusals):
    return [(r.code, r.values.get("item")) for r in refusals]


def test_one_table_in_the_file_order():
    assert CURRENT_VERSION == "12-HD/BTCTW-2022" and CURRENT_VERSION in VERSIONS
    admission = [i.code for i in items(phase=Phase.admission)]
    assert admission == ["CN-NTVĐ"] + [f"{n}-KNĐ" for n in range(1, 10)]
    recognition = [i.code for i in items(phase=Phase.recognition)]
    assert recognition[1:] == [f"{n}-KNĐ" for n in range(10, 17)]
    assert len({i.code for i in items()}) == len(items())


def test_required_before_proposing_admission():
    assert required_before_vote() == ("CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ")
    assert "4-KNĐ" in required_before_vote(applicable={"4-KNĐ"})
    assert required_before_vote(phase=Phase.recognition) == ("CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ")


def test_items_redone_when_stale():
    assert redo_if_stale() == ("3-KNĐ", "4-KNĐ", "5-KNĐ")


def test_complete_dossier():
    assert check_items(FRESH, on=VOTE) == []


def test_missing_items_in_order():
    present = {k: v for k, v in FRESH.items() if k not in ("2-KNĐ", "5-KNĐ")}
    assert codes(check_items(present, on=VOTE)) == [("item_missing", "2-KNĐ"), ("item_missing", "5-KNĐ")]
    assert codes(check_items(FRESH, on=VOTE, applicable={"4-KNĐ"})) == [("item_missing", "4-KNĐ")]


def test_expired_certificate():
    present = FRESH | {"CN-NTVĐ": date(2021, 6, 15)}
    assert check_items(present, on=date(2026, 6, 14)) == []
    refusals = check_items(present, on=VOTE)
    assert codes(refusals) == [("item_expired", "CN-NTVĐ")]
    assert refusals[0].values["expired_on"] == date(2026, 6, 15)


def test_introducers_letter_more_than_12_months_old():
    present = FRESH | {"3-KNĐ": date(2025, 6, 15)}
    assert check_items(present, on=date(2026, 6, 15)) == []
    refusals = check_items(present, on=date(2026, 6, 16))
    assert codes(refusals) == [("item_too_old", "3-KNĐ")]
    assert refusals[0].values == {"item": "3-KNĐ", "dated": date(2025, 6, 15),
                                  "redo_after": date(2026, 6, 15)}


def test_unknown_item():
    refusals = check_items(FRESH | {"99-KNĐ": VOTE}, on=VOTE, version=CURRENT_VERSION)
    assert codes(refusals) == [("item_unknown", "99-KNĐ")]


def test_recognition_checklist():
    present = {"CN-ĐVM": date(2025, 9, 1), "10-KNĐ": date(2026, 2, 1), "11-KNĐ": date(2026, 2, 3)}
    assert codes(check_items(present, on=VOTE, phase=Phase.recognition)) == [("item_missing", "12-KNĐ")]


def test_item_notices():
    present = {"CN-NTVĐ": date(2021, 6, 15), "3-KNĐ": date(2025, 7, 14)}
    assert item_notices(present, today=date(2026, 3, 14)) == []
    assert [n.code for n in item_notices(present, today=date(2026, 3, 15))] == ["item_expiring"]
    notices = item_notices(present, today=date(2026, 6, 14))
    assert [(n.code, n.values["item"]) for n in notices] == [
        ("item_expiring", "CN-NTVĐ"), ("item_ageing", "3-KNĐ")]
    assert notices[0].values == {"item": "CN-NTVĐ", "expires_on": date(2026, 6, 15)}
    assert notices[1].values["last_day"] == date(2026, 7, 14)
    assert [n.code for n in item_notices(present, today=date(2026, 7, 14))] == ["item_ageing"]
    assert item_notices(present, today=date(2026, 7, 15)) == []  # too old: a refusal now
