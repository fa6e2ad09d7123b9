"""How a conversation is declared: steps that ask for fields, a check, and an action.

A flow is data; the engine (engine.py) owns the loop of ask, parse, validate, retry.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.events import Incoming, Reply
from bot.clock import Clock
from bot.config import Settings
from bot.engine.fields import Field, Invalid
from bot.engine.transaction import MessageTransaction
from models.policy import READ_ACTIONS, Action, Actor


@dataclass
class Context:
    """What a handler may use: the message's transaction (its statements, or its session at
    first use; the engine commits), who speaks, the time."""

    transaction: MessageTransaction  # the message's; its session is opened when a handler first asks
    actor: Actor
    incoming: Incoming
    clock: Clock
    settings: Settings
    # Scratch state of the current flow, kept with the conversation between messages (for
    # steps that walk a list); gone when the flow ends.
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def session(self) -> AsyncSession:
        return self.transaction.session

    @property
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def today(self) -> date:
        return self.clock.today()


Answers = Mapping[str, Any]
Validator = Callable[[Any, Answers, "Context"], Invalid | None]


@dataclass(frozen=True)
class Ask:
    """One question: its template, its field (parser and retries), an optional validator."""

    name: str
    prompt: str
    field: Field
    validate: Validator | None = None
    # Asked only when this holds for the answers so far.
    when: Callable[[Answers], bool] | None = None
    # Its name on the confirmation screen ("Sửa <label>"): a template key; when None, the
    # step's name in the `field` labels of messages/vi/common/labels.j2.
    label: str | None = None
    # What is shown once the answer is taken (e.g. the person's card), before the next question.
    then: Callable[["Context", Any], Awaitable[list[Reply]]] | None = None
    # Values the question shows besides the answers, as `facts` (like a flow's confirmation
    # facts: e.g. a typed name as initials on a channel the branch does not allow).
    facts: Callable[["Context", Answers], Awaitable[dict[str, Any]]] | None = None


@dataclass(frozen=True)
class Flow:
    """A conversation: entry commands, steps, an optional confirmation, and what it does."""

    name: str
    commands: tuple[str, ...]
    action: Action
    help: str  # template key of its one-line description in /trogiup
    steps: tuple[Ask, ...]
    done: Callable[[Context, Answers], Awaitable[list[Reply]]]
    # Template key of the confirmation screen (all answers shown, each can be changed).
    confirm: str | None = None
    # Checked before the confirmation screen and again before `done` (e.g. a duplicate).
    check: Callable[[Context, Answers], Awaitable[Invalid | None]] | None = None
    # Called when the flow starts, with the words after the command; may answer at once
    # (a refusal, or a result when the arguments say everything) instead of asking.
    start: Callable[[Context, str], Awaitable["Start"]] | None = None
    # What /huy says: by default that nothing was saved; a flow that saves as it goes says so.
    cancelled: str = "common/cancelled"
    # Only shows, never writes: None leaves it to the action (READ_ACTIONS).
    reads: bool | None = None
    # What the confirmation screen shows beside the answers (e.g. what a save would replace):
    # worked out when the screen is first shown after the answers change; kept as JSON.
    facts: Callable[[Context, Answers], Awaitable[dict[str, Any]]] | None = None

    def __post_init__(self) -> None:
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            raise ValueError(f"flow {self.name}: two steps share a name")
        # Looked up several times a message (each answer loaded, shown, checked): by name, at once.
        object.__setattr__(self, "_by_name", {s.name: s for s in self.steps})

    def step(self, name: str) -> Ask:
        return self._by_name[name]

    @property
    def read_only(self) -> bool:
        return self.action in READ_ACTIONS if self.reads is None else self.reads


@dataclass(frozen=True)
class Start:
    """How a flow begins: answers already known, or replies that end it at once."""

    answers: Mapping[str, Any] = field(default_factory=dict)
    replies: tuple[Reply, ...] = ()
    proceed: bool = True


@dataclass(frozen=True)
class Command:
    """A one-shot command: no questions, just an answer."""

    name: str
    commands: tuple[str, ...]
    action: Action
    help: str
    run: Callable[[Context, str], Awaitable[list[Reply]]]
    # Only shows, never writes: None leaves it to the action (READ_ACTIONS).
    reads: bool | None = None

    @property
    def read_only(self) -> bool:
        return self.action in READ_ACTIONS if self.reads is None else self.reads
