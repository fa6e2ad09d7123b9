"""The layout a reader relies on: handlers talk, and never import one another; what several of
them share lives in handlers/shared/, the engine or models/."""

import ast
from pathlib import Path

HANDLERS = Path(__file__).resolve().parent.parent / "handlers"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_handler_imports_another_handler():
    handlers = {f"handlers.{p.stem}" for p in HANDLERS.glob("*.py") if p.stem != "__init__"}
    offenders = {p.name: sorted(imported_modules(p) & handlers) for p in HANDLERS.glob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_shared_pieces_import_no_handler_either():
    handlers = {f"handlers.{p.stem}" for p in HANDLERS.glob("*.py") if p.stem != "__init__"}
    offenders = {p.name: sorted(imported_modules(p) & handlers) for p in (HANDLERS / "shared").glob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_handlers_import_no_channel():
    """Handlers speak the neutral events (bot/events.py), channel names included (issue 12)."""
    paths = [*HANDLERS.glob("*.py"), *(HANDLERS / "shared").glob("*.py")]
    offenders = {p.name: sorted(m for m in imported_modules(p) if m.startswith("bot.channels")) for p in paths}
    assert {name: found for name, found in offenders.items() if found} == {}
