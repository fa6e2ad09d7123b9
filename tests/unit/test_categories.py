"""Which category flags /them asks (models/categories.py): a firm without state capital only of
those who work for an employer; ethnicity and religion never (they need a consent naming them)."""

from handlers.register import flow
from models.categories import CONSENT_FLAGS, asked_at_registration, private_firm_applies
from models.consent import SENSITIVE
from models.stage import Category


def test_a_firm_without_state_capital_is_asked_of_workers_staff_managers_and_others_only():
    asked = {c for c in Category if private_firm_applies(c)}
    assert asked == {Category.worker, Category.staff, Category.manager, Category.other}
    assert not private_firm_applies("student") and not private_firm_applies("teacher")
    assert not private_firm_applies("health")


def test_ethnicity_and_religion_are_never_asked_at_registration():
    assert [f for f in ("youth_union", "private_firm", "ethnic_minority", "religious")
            if asked_at_registration(f)] == ["youth_union", "private_firm"]
    assert len(CONSENT_FLAGS) == len(SENSITIVE)  # one flag for each category a consent must name
    steps = {s.name for s in flow.steps}
    assert "unit" in steps and "private_firm" in steps and not steps & set(CONSENT_FLAGS)
