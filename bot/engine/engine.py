"""The engine: one incoming message in, replies out, in one database transaction.

Per message: find who speaks, where their chat stands and whether the platform message
id was processed before (a repeat is dropped), route the text (cancel and help first, then
the current question, then commands), save the new state with the message id, commit. One chat's messages are handled
one at a time, in order.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any
from weakref import WeakValueDictionary

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.events import Choice, Incoming, Reply
from bot.clock import Clock
from bot.config import Settings
from bot.engine.chat_row import Chat, Stale, read_chat, write_chat
from bot.engine.fields import Invalid
from bot.engine.flow import Ask, Command, Context, Flow
from bot.engine.transaction import MessageTransaction
from bot.engine.walk import Walk
from bot.render import labels, text_of, word_commands, words
from models.policy import OPEN_ACTIONS, Actor, may
from models.replies import Kept, kept_state
from models.text import clean, fold, number

log = logging.getLogger(__name__)

# What chibo keeps of a chat's answer until it is sent: (the replies, what was kept before) -> JSON.
Keep = Callable[[list[Reply], list[Any] | None], list[Any] | None]

CANCEL = frozenset({"/huy", "/cancel"})
HELP = frozenset({"/trogiup", "/help"})
STALE_TRIES = 5  # a message whose chat another process wrote meanwhile is handled again, so often at most


# Before any routing, with the text and the flow under way: replies that stand instead of
# everything else for this person (a linked candidate who has not yet consented sees only the
# notice: handlers/shared/consent.py), or None.
Gate = Callable[[Context, str, str | None], Awaitable[list[Reply] | None]]


class Engine:
    def __init__(
        self,
        *,
        db: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        routes: Sequence[Flow | Command],
        clock: Clock,
        settings: Settings,
        gate: Gate | None = None,
    ) -> None:
        self.db = db
        self.sessions = sessions
        self.gate = gate
        self.clock = clock
        self.settings = settings
        self.routes = list(routes)
        self.by_command: dict[str, Flow | Command] = {}
        for route in routes:
            for command in route.commands:
                if command in self.by_command:
                    raise ValueError(f"command {command} is claimed twice")
                self.by_command[command] = route
        self.flows = {r.name: r for r in routes if isinstance(r, Flow)}
        self._locks: WeakValueDictionary[tuple[str, str], asyncio.Lock] = WeakValueDictionary()

    async def handle(self, incoming: Incoming, keep: Keep | None = None) -> list[Reply]:
        """The replies to one message, its effects committed. `keep(replies, stale)` (chibo's
        rendering) returns what to keep with the conversation until the channel has sent it,
        given what was kept for the message before and never marked sent (None: nothing)."""
        if (cleaned := clean(incoming.text)) != incoming.text:
            incoming = replace(incoming, text=cleaned)
        key = (incoming.channel, incoming.chat_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            tries = 1
            while True:
                try:
                    return await self._handle(incoming, keep)
                except Stale:  # another process wrote the chat while this one waited for its lock
                    if tries == STALE_TRIES:
                        raise
                    tries += 1
                    log.info("handling a message on %s again: its chat changed meanwhile", incoming.channel)

    async def _handle(self, incoming: Incoming, keep: Keep | None) -> list[Reply]:
        """One message in one transaction (its chat's lock held), on one connection; the
        handlers' session is opened on it only if one of them asks (bot/engine/transaction.py).

        The write at the end commits the transaction and gives the connection back in its own
        pass (write_chat), so only a message that stops before it (a repeat, a failure, Stale)
        needs the rollback on the way out, which runs in a task of its own."""
        async with MessageTransaction(self.db, self.sessions) as tx:
            # A repeat is known from ProcessedMessage, which the write at the end feeds: the
            # chat's lock (asyncio here; across processes on PostgreSQL, taken by the read)
            # keeps the two apart.
            seen, actor, convo = await read_chat(tx, channel=incoming.channel, chat_id=incoming.chat_id,
                                                 account_id=incoming.sender_id,
                                                 message_id=incoming.message_id, now=self.clock.now())
            if seen:
                log.info("dropped a repeated message on %s", incoming.channel)
                return []
            read_last = convo.last_message_id
            ctx = Context(transaction=tx, actor=actor, incoming=incoming, clock=self.clock,
                          settings=self.settings, state=dict((convo.data or {}).get("state", {})))
            replies = await self._route(ctx, convo, incoming.text)
            # Ids only: the text, the answers and the person's name are personal data.
            log.debug("message %s on %s from person %s: flow %s, %d replies", incoming.message_id,
                      incoming.channel, actor.person_id, convo.flow, len(replies))
            if convo.flow and ctx.state:
                convo.data = {**convo.data, "state": ctx.state}
            last_choices = replies[-1].choices if replies else ()
            convo.choices = [[c.label, c.value, c.key] if c.key else [c.label, c.value] for c in last_choices]
            convo.updated_at = self.clock.now()
            convo.last_message_id = incoming.message_id  # recorded as processed with the row
            if keep is not None:
                self._keep(convo, keep, replies, incoming.message_id)
            await write_chat(tx, convo, read_last=read_last)
        return replies

    def _keep(self, convo: Chat, keep: Keep, replies: list[Reply], message_id: str) -> None:
        """Keep this answer with the conversation until it is sent (models/replies.py). An answer
        kept before and lost goes first; one that may still be on its way stays kept as it is,
        and this one is sent without being kept (so it is never sent twice)."""
        now = self.clock.now()
        state = kept_state(convo.pending, convo.pending_since, now)
        pending = keep(replies, convo.pending if state is Kept.lost else None)
        if state is Kept.on_its_way:
            return
        convo.pending = pending or None
        convo.pending_id = message_id if pending else None
        convo.pending_since = now if pending else None

    # --- routing -------------------------------------------------------------------

    async def _route(self, ctx: Context, convo: Chat, text: str) -> list[Reply]:
        replies: list[Reply] = []
        if convo.flow and self._expired(convo):
            _reset(convo)
            replies.append(Reply("common/expired"))
        text = translate_choice(text.strip(), convo.choices)
        if not convo.flow:  # "danh sách", "xin chào": the command they mean; else what a list began
            text = word_commands().get(fold(text)) or continue_command(text, convo.choices)
        command, args = split_command(text)
        if ctx.incoming.is_group:
            return [Reply("common/group_private")] if command else []
        if self.gate and (gated := await self.gate(ctx, text, convo.flow)) is not None:
            _reset(convo)
            return gated
        flow = self.flows.get(convo.flow) if convo.flow else None
        if convo.flow and flow is None:  # a flow removed in an upgrade
            _reset(convo)
        if flow and not may(ctx.actor, flow.action):  # the role was taken back mid-conversation
            _reset(convo)
            flow = None
        if command in CANCEL:
            if flow:
                _reset(convo)
                return replies + [Reply(flow.cancelled)]
            return replies + [Reply("common/nothing_to_cancel")]
        if flow and command and flow.read_only:  # a flow that only shows holds no work to lose
            _reset(convo)
            flow = None
        if flow:
            if command:  # answered beside the flow, then its question again
                return await self._aside(ctx, flow, command, args) + await self._ask_current(ctx, convo, flow)
            return replies + await self._answer(ctx, convo, flow, text)
        if command:
            return replies + await self._command(ctx, convo, command, args)
        if replies:  # expired: the notice is the answer
            return replies
        return [Reply("common/not_understood", {"linked": ctx.actor.linked})]

    async def _command(self, ctx: Context, convo: Chat, command: str, args: str) -> list[Reply]:
        route = self.by_command.get(command)
        if route is None:
            return [Reply("common/unknown_command", {"command": command[:30]})]
        if not may(ctx.actor, route.action):
            return [refusal(ctx.actor)]
        if isinstance(route, Command):
            return await route.run(ctx, args)
        start = await route.start(ctx, args) if route.start else None
        if start and not start.proceed:
            return list(start.replies)
        answers = {
            name: route.step(name).field.dump(value) for name, value in (start.answers if start else {}).items()
        }
        convo.flow = route.name
        convo.data = {"answers": answers, "history": list(answers), "editing": None, "confirming": False}
        ctx.state = {}
        before = list(start.replies if start else ())
        await self._preset(ctx, convo, route)
        first = self._current(route, convo.data)
        if args and not answers and first is not None and not isinstance(first.field, Walk):
            # "/xem 3" is "/xem" then "3"
            step = first
            value = await self._resolve(ctx, route, convo.data, step, args)
            if not isinstance(value, Invalid):
                return before + await self._accept(ctx, convo, route, step, value)
            # The words typed with the command do not settle its first question: the flow
            # ends here with the reason, so that nothing waits unseen for an answer.
            _reset(convo)
            return [self._not_started(command, value)]
        return before + await self._advance(ctx, convo, route)

    # --- a command typed while a flow waits for an answer ---------------------------------

    async def _aside(self, ctx: Context, flow: Flow, command: str, args: str) -> list[Reply]:
        """The answer to a command typed inside a flow; the open question is asked after it.
        Reading answers; anything that writes waits until the flow is done or cancelled."""
        if command in HELP:
            return [Reply("common/flow_help", {"flow": flow.name, "reads": self._reads(ctx)})]
        route = self.by_command.get(command)
        if route is None:
            return [Reply("common/unknown_command", {"command": command[:30]})]
        if not may(ctx.actor, route.action):
            return [refusal(ctx.actor)]
        if not route.read_only:
            return [Reply("common/in_flow", {"command": command, "reads": self._reads(ctx)})]
        return await self._beside(ctx, command, route, args)

    async def _beside(self, ctx: Context, command: str, route: Flow | Command, args: str) -> list[Reply]:
        """A read-only route run beside the open flow, which it must not touch.

        It runs in a conversation of its own that is never saved, with its own scratch
        state. Its choices are dropped: on this screen numbers belong to the open question.
        A flow among them runs only when the words after the command settle it at once
        (`/xem 3`); one that would ask (`/xem`, or a name that matches several people)
        would need the conversation the open flow holds, so it is asked to wait.
        """
        aside = Chat(channel=ctx.incoming.channel, chat_id=ctx.incoming.chat_id, updated_at=self.clock.now())
        replies = await self._command(replace(ctx, state={}), aside, command, args)
        if isinstance(route, Flow) and (aside.flow or any(r.choices for r in replies)):
            return [Reply("common/in_flow_wait", {"command": command})]
        return [replace(r, choices=(), values={**r.values, "beside": True})
                if r.key == "common/not_started" else replace(r, choices=()) for r in replies]

    def _reads(self, ctx: Context) -> list[str]:
        """The read-only commands this person may type while a flow waits."""
        return [r.commands[0] for r in self.routes
                if r.read_only and r.action not in OPEN_ACTIONS and may(ctx.actor, r.action)]

    def _not_started(self, command: str, problem: Invalid) -> Reply:
        """Why the words typed with a command were refused; a choice among several found runs
        the command again with that choice."""
        choices = tuple(Choice(c.label, f"{command} {c.value}", c.key) for c in problem.choices)
        # `stopped` tells the reason's words (messages/vi/invalid/) that no question follows.
        return Reply("common/not_started", {**problem.values, "reason": problem.reason, "command": command,
                                            "offered": bool(choices), "beside": False, "stopped": True},
                     choices=choices)

    # --- inside a flow ---------------------------------------------------------------

    async def _answer(self, ctx: Context, convo: Chat, flow: Flow, text: str) -> list[Reply]:
        data = dict(convo.data)
        if fold(text) in words("back"):
            step = None if data.get("confirming") or data.get("editing") else self._current(flow, data)
            previous = await step.field.back(ctx) if step is not None else None
            if previous is True:  # a walk went one of its own questions back: asked now
                return await self._advance(ctx, convo, flow)
            if isinstance(previous, Invalid):  # nothing before it: why, and the same question
                return [await self._retry(ctx, flow, data, step, previous)]
            return await self._back(ctx, convo, flow)
        if data.get("confirming"):
            return await self._confirmation(ctx, convo, flow, text)
        step = self._current(flow, data)
        if step is None:
            return await self._advance(ctx, convo, flow)
        if isinstance(step.field, Walk):
            return await self._walk(ctx, convo, flow, step, text)
        value = await self._resolve(ctx, flow, data, step, text)
        if isinstance(value, Invalid):
            return await self._missed(ctx, convo, flow, step, value)
        return await self._accept(ctx, convo, flow, step, value)

    async def _walk(self, ctx: Context, convo: Chat, flow: Flow, step: Ask, text: str) -> list[Reply]:
        """An answer inside a walk: read by the field of the walk's current question (a bad one
        gets that field's retry message), then acted on by the walk, which moves on; its next
        question, or (the list done) the step answered with the walk's outcome."""
        walk: Walk = step.field
        if await walk.gone(ctx):  # the answer was meant for someone no longer here: the next screen
            return await self._advance(ctx, convo, flow)
        question = await walk.question(ctx)
        if question is None:
            return await self._advance(ctx, convo, flow)
        value = await question.field.resolve(text, ctx)
        problem = value if isinstance(value, Invalid) else await walk.take(ctx, value)
        if problem is not None:
            return [await self._retry(ctx, flow, convo.data, step, problem)]
        return await self._advance(ctx, convo, flow)

    async def _missed(self, ctx: Context, convo: Chat, flow: Flow, step: Ask, problem: Invalid) -> list[Reply]:
        """The question again with why; a field with an attempt limit (a picker) gives up after
        that many misses in a row, saying how to start again, rather than asking forever."""
        data = convo.data
        if step.field.attempts and problem.counts:
            misses = data.get("misses", 0) + 1
            if misses >= step.field.attempts:
                _reset(convo)
                return [Reply("common/gave_up", {**problem.values, "reason": problem.reason, "attempts": misses,
                                                 "command": flow.commands[0], "stopped": True})]
            convo.data = {**data, "misses": misses}
        return [await self._retry(ctx, flow, convo.data, step, problem)]

    async def _resolve(self, ctx: Context, flow: Flow, data: dict[str, Any], step: Ask, text: str) -> Any:
        """The step's value for what was typed, or why not."""
        value = await step.field.resolve(text, ctx)
        if not isinstance(value, Invalid) and step.validate:
            value = step.validate(value, self._answers(flow, data), ctx) or value
        return value

    async def _accept(self, ctx: Context, convo: Chat, flow: Flow, step: Ask, value: Any) -> list[Reply]:
        data = dict(convo.data)
        answers = self._applicable(flow, {**data["answers"], step.name: step.field.dump(value)})
        history = [name for name in data["history"] if name in answers]
        if step.name not in history:
            history.append(step.name)
        # After a change on the confirmation screen, questions that now apply are asked
        # and answers that no longer apply are dropped; then the screen comes back.
        convo.data = {**data, "answers": answers, "history": history, "editing": None, "confirming": False,
                      "misses": 0}
        shown = await step.then(ctx, value) if step.then else []
        return shown + await self._advance(ctx, convo, flow)

    def _applicable(self, flow: Flow, raw: dict[str, Any]) -> dict[str, Any]:
        kept: dict[str, Any] = {}
        partial: dict[str, Any] = {}
        for step in flow.steps:
            if step.name in raw and (step.when is None or step.when(partial)):
                kept[step.name] = raw[step.name]
                partial[step.name] = step.field.load(raw[step.name])
        return kept

    async def _preset(self, ctx: Context, convo: Chat, flow: Flow) -> None:
        """Answers with nothing to ask (a field's preset) are filled in, outside the history."""
        while not convo.data.get("confirming") and not convo.data.get("editing"):
            step = self._current(flow, convo.data)
            value = await step.field.preset(ctx) if step else None
            if value is None:
                return
            convo.data = {**convo.data, "answers": {**convo.data["answers"], step.name: step.field.dump(value)}}

    async def _advance(self, ctx: Context, convo: Chat, flow: Flow) -> list[Reply]:
        await self._preset(ctx, convo, flow)
        data = convo.data
        step = None if data.get("confirming") else self._current(flow, data)
        if step is not None and isinstance(step.field, Walk) and await step.field.question(ctx) is None:
            return await self._accept(ctx, convo, flow, step, step.field.outcome(ctx))  # the list is done
        if step is not None:
            return [await self._ask(ctx, flow, data, step)]
        if flow.confirm:
            facts = await flow.facts(ctx, self._answers(flow, data)) if flow.facts else {}
            convo.data = {**data, "confirming": True, "facts": facts}
            problem = await flow.check(ctx, self._answers(flow, data)) if flow.check else None
            return [self._confirm_screen(ctx, flow, convo.data, problem)]
        return await self._finish(ctx, convo, flow)

    async def _confirmation(self, ctx: Context, convo: Chat, flow: Flow, text: str) -> list[Reply]:
        data = convo.data
        if text == "save":
            return await self._finish(ctx, convo, flow)
        if text == "cancel":
            _reset(convo)
            return [Reply(flow.cancelled)]
        if text.startswith("edit:") and text[5:] in {s.name for s in self._editable(flow, data)}:
            convo.data = {**data, "confirming": False, "editing": text[5:]}
            return [await self._ask(ctx, flow, convo.data, flow.step(text[5:]))]
        return [self._confirm_screen(ctx, flow, data, Invalid("choice_unknown", {"text": text[:50]}))]

    async def _finish(self, ctx: Context, convo: Chat, flow: Flow) -> list[Reply]:
        answers = self._answers(flow, convo.data)
        if flow.check:
            problem = await flow.check(ctx, answers)
            if problem:
                return [self._confirm_screen(ctx, flow, convo.data, problem)]
        replies = await flow.done(ctx, answers)
        _reset(convo)
        return replies

    async def _back(self, ctx: Context, convo: Chat, flow: Flow) -> list[Reply]:
        data = convo.data
        if data.get("editing"):
            convo.data = {**data, "editing": None, "confirming": True}
            return [self._confirm_screen(ctx, flow, convo.data, None)]
        history = list(data["history"])
        if not history:
            return [Reply("common/back_at_first")] + await self._ask_current(ctx, convo, flow)
        previous = history.pop()
        answers = {k: v for k, v in data["answers"].items() if k != previous}
        convo.data = {**data, "answers": answers, "history": history, "confirming": False}
        return [await self._ask(ctx, flow, convo.data, flow.step(previous))]

    # --- pieces ----------------------------------------------------------------------

    def _current(self, flow: Flow, data: dict[str, Any]) -> Ask | None:
        if data.get("editing"):
            return flow.step(data["editing"])
        partial = None  # the answers as values, loaded only for a step asked under a condition
        for step in flow.steps:
            if step.name in data["answers"]:
                continue
            if step.when is None:
                return step
            if partial is None:
                partial = self._answers(flow, data)
            if step.when(partial):
                return step
        return None

    def _asked(self, flow: Flow, data: dict[str, Any]) -> list[Ask]:
        return [s for s in flow.steps if s.name in data["answers"]]

    def _editable(self, flow: Flow, data: dict[str, Any]) -> list[Ask]:
        """The answers given (or given with the command), not those preset with nothing to ask."""
        return [s for s in self._asked(flow, data) if s.name in data["history"]]

    async def _ask_current(self, ctx: Context, convo: Chat, flow: Flow) -> list[Reply]:
        if convo.data.get("confirming"):
            return [self._confirm_screen(ctx, flow, convo.data, None)]
        step = self._current(flow, convo.data)
        if step is not None and isinstance(step.field, Walk):
            return await self._advance(ctx, convo, flow)  # the walk's question, or its end
        return [await self._ask(ctx, flow, convo.data, step)] if step else []

    def _answers(self, flow: Flow, data: dict[str, Any]) -> dict[str, Any]:
        return {name: flow.step(name).field.load(raw) for name, raw in data["answers"].items()}

    def _shown(self, flow: Flow, data: dict[str, Any]) -> dict[str, str]:
        return {s.name: s.field.show(s.field.load(data["answers"][s.name])) for s in self._asked(flow, data)}

    async def _ask(self, ctx: Context, flow: Flow, data: dict[str, Any], step: Ask) -> Reply:
        if isinstance(step.field, Walk) and (question := await step.field.question(ctx)) is not None:
            # A walk asks its own current question (a person's screen, a reason, a confirmation).
            step.field.seen(ctx)
            return Reply(question.prompt, {**question.values, "answers": self._shown(flow, data),
                                           "offered": len(question.choices)}, choices=question.choices)
        choices = await step.field.offered(ctx)
        facts = await step.facts(ctx, self._answers(flow, data)) if step.facts else {}
        return Reply(step.prompt, {"answers": self._shown(flow, data), "first": not data["history"],
                                   "offered": len(choices), "facts": facts}, choices=choices)

    async def _retry(self, ctx: Context, flow: Flow, data: dict[str, Any], step: Ask, problem: Invalid) -> Reply:
        asked = await self._ask(ctx, flow, data, step)
        values = {**asked.values, **problem.values, "reason": problem.reason, "prompt": asked.key,
                  "stopped": False, "note": None}
        return Reply("common/retry", values, choices=problem.choices or asked.choices)

    def _confirm_screen(self, ctx: Context, flow: Flow, data: dict[str, Any], problem: Invalid | None) -> Reply:
        names = labels("field")
        words = labels("confirm")
        choices = [Choice(words["save"], "save")]
        choices += [Choice(f"{words['edit']} {text_of(s.label) if s.label else names[s.name]}",
                           f"edit:{s.name}") for s in self._editable(flow, data)]
        choices.append(Choice(words["cancel"], "cancel"))
        values = {"answers": self._shown(flow, data), "screen": flow.confirm, "facts": data.get("facts") or {},
                  "reason": problem.reason if problem else None, **(problem.values if problem else {}),
                  "stopped": False}
        return Reply("common/confirm", values, choices=tuple(choices))

    def _expired(self, convo: Chat) -> bool:
        return self.clock.now() - convo.updated_at > timedelta(hours=self.settings.conversation_timeout_hours)


def _reset(convo: Chat) -> None:
    convo.flow = None
    convo.data = {}


def split_command(text: str) -> tuple[str | None, str]:
    if not text.startswith("/"):
        return None, text
    head, _, rest = text.partition(" ")
    return head.split("@", 1)[0].lower(), rest.strip()


def key_text(text: str) -> str:
    """A typed key as it is compared: no accents, case, spaces, dashes, dots or "#" ("TP-7" = "tp 7")."""
    return "".join(c for c in fold(text) if c not in " -.#")


def translate_choice(text: str, offered: list[Any]) -> str:
    """What was typed at the choices just offered becomes the chosen value: a choice's key
    where the list has keys (then a place in the list means nothing), else its number in the
    list; or its exact label. Anything else is passed on as typed."""
    if not offered:
        return text
    keys = {key_text(entry[2]): entry[1] for entry in offered if len(entry) > 2 and entry[2]}
    if keys:
        if key_text(text) in keys:
            return keys[key_text(text)]
    else:
        picked = number(text)
        if picked is not None and 1 <= picked <= len(offered):
            return offered[picked - 1][1]
    folded = fold(text)
    for entry in offered:
        if fold(entry[0]) == folded:
            return entry[1]
    return text


def continue_command(text: str, offered: list[Any]) -> str:
    """After a command that stopped at a list of people to pick from (`/xem ngoc`), what is typed
    next, if no choice, belongs to that command: another number or name (`/xem 7`, `/xem lan`).
    Only a list of items does: a screen whose one link is a bare command ("/lop", "/taolop") is
    no list, and what is typed there is not that command's argument ("٣" never starts /taolop)."""
    items = [entry for entry in offered if len(entry) > 2 and entry[2] and str(entry[1]).partition(" ")[2]]
    commands = {str(entry[1]).partition(" ")[0] for entry in offered}
    if not items or text.startswith("/") or not text or len(commands) != 1:
        return text
    command = commands.pop()
    return f"{command} {text}" if command.startswith("/") else text


def refusal(actor: Actor) -> Reply:
    return Reply("common/not_allowed" if actor.linked else "common/not_linked")


__all__ = ["Engine", "continue_command", "refusal", "split_command", "translate_choice"]
