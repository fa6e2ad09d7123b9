"""The category flags the targets count (DOMAIN.md "Candidate categories"; models/targets.py):
which of them /them asks, and for whom.

Youth Union member, woman (the gender), occupation group (the category) and the unit are asked
of everyone. Working in a firm without state capital ("≥ 2 % workers in firms without state
capital", seed 002) only of those who work for an employer: not of pupils and students, nor of
teachers and health workers (schools and hospitals are counted by their own rows). Ethnicity
and religion are personal data of a special kind (Decree 356/2025, models/consent.py): kept only
with a consent in force that names them, which a person not yet registered cannot have given,
so /them never asks them; they are set with /sua once /dongy has recorded such a consent.
"""

from models.stage import Category

# Occupation groups asked whether they work in a firm without state capital.
PRIVATE_FIRM_CATEGORIES = frozenset({Category.worker, Category.staff, Category.manager, Category.other})

# Flags kept only with a consent naming them (models/consent.py SENSITIVE): never asked at /them.
CONSENT_FLAGS = ("ethnic_minority", "religious")


def private_firm_applies(category: str) -> bool:
    """Whether /them asks if the person works in a firm without state capital."""
    return Category(category) in PRIVATE_FIRM_CATEGORIES


def asked_at_registration(flag: str) -> bool:
    """A flag /them may ask: any but those that need a consent naming them."""
    return flag not in CONSENT_FLAGS
