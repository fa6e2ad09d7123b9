"""Is a new candidate someone the branch has already? The rule, as plain functions, and the query.

Exact: the same name without accents or case ("Hòa" = "Hoa") and the same birth date, the rule of
`models.candidate.find_duplicate`: refused. Near: not refused, but the secretary is asked first:
  - a similar name with the same birth date: the folded names score at least SIMILAR_NAME_MIN
    (see `name_score`: one letter off in a Vietnamese name scores 90-97, two different given
    names 88 or less), words in any order ("Bích Ngọc" / "Ngọc Bích"); or one name's words all
    in the other's (a middle name left out: "Phạm Thu Hà" / "Phạm Thị Thu Hà");
  - the same folded name with a birth date a few days off (NEAR_BIRTH_DAYS), or with the day
    and the month swapped (03/04 for 04/03).
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz

from models.candidate import Candidate, candidate_ref
from models.org import Organisation
from models.statements import Statements
from models.text import fold

# token_sort_ratio (0-100) of the folded names from which two names are "similar".
SIMILAR_NAME_MIN = 90
# The same name born this many days apart (or fewer) may be one person with a mistyped date.
NEAR_BIRTH_DAYS = 7


@dataclass(frozen=True)
class Known:
    """A candidate already on a branch's register, as the duplicate rule sees them."""

    number: int
    full_name: str
    birth_date: date
    branch_id: int = 0
    ref: str = ""  # how to name them in "/xem …": the number, or "TP-7" beside several branches

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "birth_date": self.birth_date.isoformat()}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "Known":
        return cls(**{**raw, "birth_date": date.fromisoformat(raw["birth_date"])})


@dataclass(frozen=True)
class Matches:
    exact: tuple[Known, ...] = ()
    near: tuple[Known, ...] = ()


def name_score(a: str, b: str) -> float:
    """How alike two names are, 0-100, without accents or case, in any word order: the better of
    `ratio` (letters as typed) and `token_sort_ratio` (words sorted first). Sorting alone misses a
    typo in a word's first letter, which moves the word ("le van tam" / "le van lam": 70)."""
    a, b = fold(a), fold(b)
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


def similar_names(a: str, b: str) -> bool:
    """Two names that may be one person's, typed differently."""
    if name_score(a, b) >= SIMILAR_NAME_MIN:
        return True
    words_a, words_b = set(fold(a).split()), set(fold(b).split())
    shorter, longer = sorted((words_a, words_b), key=len)
    return len(shorter) >= 2 and shorter < longer  # a middle name left out


def close_births(a: date, b: date) -> bool:
    """Birth dates one of which may be the other mistyped: a few days apart, or day and month swapped."""
    if abs((a - b).days) <= NEAR_BIRTH_DAYS:
        return True
    return a.year == b.year and (a.day, a.month) == (b.month, b.day)


def sort_out(full_name: str, birth_date: date, known: Iterable[Known]) -> Matches:
    """Those of `known` who are this person (exact) or may be (near), in register order."""
    exact, near = [], []
    folded = fold(full_name)
    for k in sorted(known, key=lambda k: (k.branch_id, k.number)):
        same_name = fold(k.full_name) == folded
        if same_name and k.birth_date == birth_date:
            exact.append(k)
        elif (same_name and close_births(k.birth_date, birth_date)) or (
                k.birth_date == birth_date and similar_names(k.full_name, full_name)):
            near.append(k)
    return Matches(tuple(exact), tuple(near))


def _swapped(birth: date) -> date | None:
    try:
        return date(birth.year, birth.day, birth.month)
    except ValueError:
        return None


_C, _O = Candidate.__table__.c, Organisation.__table__.c
# Built once, with bound parameters, of the tables' own columns (plain Core: neither built nor
# compiled again, nor loaded through the ORM, for each birth date typed in /them: bot/prepared.py).
_BORN_NEAR = (sa.select(_C.number, _C.full_name, _C.birth_date, _C.branch_id, _O.code)
              .join_from(Candidate.__table__, Organisation.__table__, _O.id == _C.branch_id)
              .where(_C.branch_id.in_(sa.bindparam("branch_ids", expanding=True)),
                     sa.or_(_C.birth_date.between(sa.bindparam("low"), sa.bindparam("high")),
                            _C.birth_date == sa.bindparam("swapped"))))


async def born_near(*, db: Statements, branch_ids: list[int], birth_date: date,
                    refs_with_code: bool = False) -> list[Known]:
    """The candidates of these branches whom the rule may match to someone born on `birth_date`:
    born within NEAR_BIRTH_DAYS of it, or on it with the day and the month swapped."""
    if not branch_ids:
        return []
    window = timedelta(days=NEAR_BIRTH_DAYS)
    # No swapped date: "= NULL" holds for no row.
    rows = await db.rows(_BORN_NEAR, {"branch_ids": branch_ids, "low": birth_date - window,
                                                  "high": birth_date + window, "swapped": _swapped(birth_date)})
    return [Known(number=n, full_name=name, birth_date=birth, branch_id=branch,
                  ref=candidate_ref(code if refs_with_code else None, n))
            for n, name, birth, branch, code in rows]
