"""Free checks over every route: templates exist, every retry reason has words, entries answer."""

import re
from pathlib import Path

import pytest

from bot.app import build_routes
from bot.engine.flow import Flow
from bot.render import MESSAGES, labels, template_exists, text_of

ROUTES = build_routes()
FLOWS = [r for r in ROUTES if isinstance(r, Flow)]


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_every_question_and_retry_has_its_words(flow):
    for step in flow.steps:
        assert template_exists(step.prompt), step.prompt
        for reason in step.field.reasons:
            assert template_exists(f"invalid/{reason}"), reason
    if flow.confirm:
        assert template_exists(flow.confirm)
        names = labels("field")
        assert all(template_exists(s.label) if s.label else s.name in names for s in flow.steps)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_every_route_has_a_help_line(route):
    assert template_exists(route.help)


def test_every_template_named_in_code_exists():
    keys = set()
    for path in Path(".").glob("*/**/*.py"):
        if path.parts[0] in {"bot", "handlers", "models"}:
            keys |= set(re.findall(r'Reply\(\s*f?"([a-z_/{}.]+)"', path.read_text()))
    keys = {k for k in keys if "{" not in k}
    assert keys, "no templates found"
    missing = [k for k in keys if not (MESSAGES / f"{k}.j2").is_file()]
    assert not missing


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
async def test_every_flow_answers_its_entry_and_cancels(talk, flow):
    bithu = talk("bithu")
    first = await bithu.say(flow.commands[0])
    assert first and "Không có lệnh" not in first
    after = await bithu.say("/huy")
    assert after == text_of(flow.cancelled) or "Không có việc" in after
