"""docs/rules.md maps DOMAIN.md's table of rules one to one to named functions and settings
(issue 13, "Done when"): every row of DOMAIN.md's table has its row, and every name the page
gives in backquotes exists where the page says (a module named before it in the same cell,
models/rules.py when none, the class's module for `Class.field`)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
SOURCES = {p: p.read_text(encoding="utf-8") for p in [*ROOT.glob("models/**/*.py"), *ROOT.glob("bot/**/*.py")]}
# The rows of DOMAIN.md's "Rules and numbers" table (../shared/DOMAIN.md, checked below when present).
DOMAIN_ROWS = (
    "age", "education", "sympathizer list", "source quality survey", "awareness class", "introducers",
    "dossier age", "branch vote", "admission decision", "admission ceremony", "party age",
    "new member's personal history", "probation", "new-member class", "recognition", "sponsor check-ins",
    "member transfers", "sympathizer who moves",
)
NOT_NAMES = {"holidays"}  # the package, not a name in chibo


def rows() -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in DOC.splitlines()
            if line.startswith("| ") and not line.startswith(("| ---", "| rule ", "| target "))]


def test_every_rule_of_domain_md_has_its_row():
    firsts = [r[0] for r in rows()]
    assert [r for r in DOMAIN_ROWS if r not in firsts] == []


def test_the_list_of_rules_is_domain_mds():
    domain = ROOT.parent / "shared" / "DOMAIN.md"
    if not domain.exists():
        pytest.skip("../shared/DOMAIN.md is not beside this clone")
    text = domain.read_text(encoding="utf-8").split("| rule | number | source |", 1)[1].split("\n\n", 1)[0]
    names = [line.split("|")[1].strip() for line in text.splitlines()[2:] if line.startswith("|")]
    assert tuple(n.split(" (")[0] for n in names) == DOMAIN_ROWS


def _defined(name: str, module: Path | None) -> bool:
    if "." in name:
        head, attr = name.split(".", 1)
        files = ([p for p, s in SOURCES.items() if re.search(rf"^class {head}\b", s, re.M)]
                 or [ROOT / f"models/{head}.py"])
        return any(re.search(rf"\b{attr}\b", SOURCES.get(p, "")) for p in files)
    source = SOURCES.get(module or ROOT / "models/rules.py", "")
    return bool(re.search(rf"^(?:async def |def |class )?{name}\b|^    {name}\b|\b{name} *[:=]", source, re.M))


def named() -> list[tuple[str, str, Path | None]]:
    found = []
    for row in rows():
        for cell in row[1:3]:
            module = None
            for m in re.finditer(r"((?:models|bot)/[\w/]+\.py)|`([^`]+)`", cell):
                if m.group(1):
                    module = ROOT / m.group(1)
                elif re.fullmatch(r"[A-Za-z_][\w.]*", m.group(2)) and m.group(2) not in NOT_NAMES:
                    found.append((row[0], m.group(2), module))
    return found


def test_every_name_the_page_gives_exists():
    assert len(named()) > 100
    assert [(rule, name) for rule, name, module in named() if not _defined(name, module)] == []


def test_a_name_that_does_not_exist_is_caught():
    assert not _defined("NO_SUCH_RULE_DAYS", None)
    assert not _defined("Organisation.no_such_setting", None)
    assert _defined("Organisation.meeting_day", None)
