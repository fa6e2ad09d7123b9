"""Dossier checklist edges that mutation testing found unguarded: what an unknown or expired
item's refusal shows, and a certificate that is expired on its last day, not expiring."""

from datetime import date

from models.dossier_items import CURRENT_VERSION, check_items, item_notices

ISSUED = date(2021, 6, 15)  # the certificate's 60 months end on 15 June 2026


def test_an_unknown_item_is_named_with_the_dossiers_version():
    refusal = check_items({"X-1": date(2026, 1, 1)}, on=date(2026, 6, 15))[0]
    assert (refusal.code, refusal.values) == ("item_unknown", {"item": "X-1", "version": CURRENT_VERSION})


def test_an_expired_certificate_shows_its_date_and_when_it_expired():
    refusal = check_items({"CN-NTVĐ": ISSUED}, on=date(2026, 6, 15))[0]
    assert (refusal.code, refusal.values) == (
        "item_expired", {"item": "CN-NTVĐ", "dated": ISSUED, "expired_on": date(2026, 6, 15)})


def test_on_the_expiry_day_the_certificate_is_no_longer_announced_as_expiring():
    assert [n.code for n in item_notices({"CN-NTVĐ": ISSUED}, today=date(2026, 6, 14))] == ["item_expiring"]
    assert item_notices({"CN-NTVĐ": ISSUED}, today=date(2026, 6, 15)) == []
