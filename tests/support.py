"""Test helpers: talk to chibo as a person ("says X, answers Y"), on a fresh database."""

import itertools
import json
import os
from dataclasses import dataclass, field

from sqlmodel import select

from bot.app import Chibo
from bot.demo import BRANCH
from bot.channels.port import Capabilities, Incoming, Outgoing
from bot.render import text_of

PLAIN = Capabilities(buttons=False, max_text=2000)
RECORD = os.environ.get("CHIBO_RECORD_REPLIES")
# CHIBO_SECRET in every test (tests/conftest.py sets it, subprocesses inherit it): the key of
# the invite codes' hashes.
TEST_SECRET = "test-secret-for-invite-codes-0123"
INVITE_KEY = TEST_SECRET.encode()
_ids = itertools.count(1)
# Set by the guard in conftest.py: True only in a test marked expect_error.
apology_expected = False


async def number_of(chibo: Chibo, full_name: str, branch: str = BRANCH) -> int:
    """A demo candidate's register number in their branch, looked up by name: tests type and expect
    the number the person has, not the demo's numbering (two demo branches share numbers)."""
    from models.candidate import Candidate
    from models.org import Organisation

    async with chibo.sessions() as session:
        return (await session.exec(
            select(Candidate.number).join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Candidate.full_name == full_name, Organisation.name == branch))).one()


async def numbers_of(chibo: Chibo, names, branch: str = BRANCH) -> dict[str, int]:
    """number_of for several demo candidates at once, in one query: {name: register number}."""
    from models.candidate import Candidate
    from models.org import Organisation

    names = list(names)
    async with chibo.sessions() as session:
        rows = (await session.exec(
            select(Candidate.full_name, Candidate.number).join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Candidate.full_name.in_(names), Organisation.name == branch))).all()
    found = dict(rows)
    if len(rows) != len(found) or set(found) != set(names):  # as number_of's one(): each name exactly once
        raise LookupError(f"not exactly one candidate of each name in {branch}: {sorted(set(names) - set(found))}")
    return found


def apology() -> str:
    """The generic "chibo failed" answer: never an acceptable reply unless a test expects it."""
    return text_of("common/error")


@dataclass
class Convo:
    """One chat account talking to chibo; `say` returns the texts chibo answers."""

    chibo: Chibo
    account: str = "bithu"
    channel: str = "console"
    caps: Capabilities = PLAIN
    last: list[Outgoing] = field(default_factory=list)

    async def send(self, text: str, *, message_id: str | None = None) -> list[Outgoing]:
        incoming = Incoming(
            channel=self.channel, chat_id=self.account, sender_id=self.account, text=text,
            message_id=message_id or f"m{next(_ids)}", received_at=self.chibo.clock.now(),
            sender_name=self.account,
        )
        self.last = await self.chibo.process(incoming, self.caps)
        if self.last:  # as a channel does once the answer is out
            await self.chibo.sent(incoming)
        if not apology_expected:
            assert not any(apology() in m.text for m in self.last), f"chibo failed on {text!r}"
        return self.last

    async def say(self, text: str, **kw) -> str:
        """Everything chibo answers to one message, as one text."""
        answer = "\n\n".join(m.text for m in await self.send(text, **kw))
        if RECORD:  # CHIBO_RECORD_REPLIES=FILE: every exchange, to write whole-reply checks from
            with open(RECORD, "a", encoding="utf-8") as f:
                f.write(json.dumps({"test": os.environ.get("PYTEST_CURRENT_TEST", ""), "account": self.account,
                                    "says": text, "answer": answer}, ensure_ascii=False) + "\n")
        return answer

    async def dialog(self, turns: list[tuple[str, str]]) -> None:
        """Each (says, expect) pair: the answer must be the expected text, whole."""
        for says, expect in turns:
            answer = await self.say(says)
            assert answer == expect, f"after {says!r}"

    async def dialog_in(self, turns: list[tuple[str, str]]) -> None:
        """Each (says, words) pair: the answer must contain the words. Only for the dialogs not yet
        compared whole (issue 12 lists them); new tests use `dialog`."""
        for says, words in turns:
            answer = await self.say(says)
            assert words in answer, f"after {says!r} expected {words!r} in:\n{answer}"
