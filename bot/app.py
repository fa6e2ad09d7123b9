"""The composition root: which conversations exist, and how a message goes through chibo.

Routes are listed here by hand; nothing is discovered by file name.
"""

import logging
from functools import cached_property
from typing import Any

from bot.events import Capabilities, Incoming, Outgoing, Reply
from bot.clock import Clock
from bot.config import Settings
from bot.db import make_engine, make_sessions
from bot.engine.engine import Engine
from bot.engine.transaction import MessageTransaction
from bot.engine.flow import Command, Flow
from bot.render import render, text_of
from bot.replies import SentMarks, kept, unkept
from handlers import (
    admission,
    branch_settings,
    candidates,
    checkin,
    class_results,
    classes,
    consent,
    data_requests,
    dossier,
    edit,
    enrolment,
    hand_over,
    import_register,
    invite,
    me,
    members,
    my_data,
    overview,
    reception,
    recognition,
    register,
    reports,
    review,
    roles,
    sponsor,
    survey,
    targets,
    transfer,
    undo,
)
from handlers.shared.consent import gate as consent_gate
from handlers.start import help_command, start_command
from models.policy import load_actor, may
from models.workdays import calendar_from, use_calendar

# Each module in handlers/ exports `routes`: its flows and commands, in help order.
ROUTE_MODULES = (
    register, candidates, review, survey, sponsor, classes, enrolment, class_results, dossier, admission,
    recognition, transfer, targets, edit, undo, roles, invite, hand_over, members, checkin, me, overview,
    branch_settings, import_register, reports, consent, data_requests, my_data, reception,
)

log = logging.getLogger(__name__)


def build_routes() -> list[Flow | Command]:
    work: list[Flow | Command] = [route for module in ROUTE_MODULES for route in module.routes]
    return [start_command(work), help_command(work), *work]


class Chibo:
    """One running chibo: a database, the engine, and the way replies are rendered."""

    def __init__(self, settings: Settings, clock: Clock | None = None, *, mark_every: float = 1.0) -> None:
        self.settings = settings
        use_calendar(calendar_from(settings.days_off, settings.working_days))  # ValueError: a bad date
        self.clock = clock or Clock()
        self.db = make_engine(settings.database_url)
        self.sessions = make_sessions(self.db)
        self.marks = SentMarks(self.sessions, every=mark_every)
        self.engine = Engine(db=self.db, sessions=self.sessions, routes=build_routes(),
                             clock=self.clock, settings=settings, gate=consent_gate)

    async def process(self, incoming: Incoming, capabilities: Capabilities) -> list[Outgoing]:
        """Replies to one message; an unexpected failure becomes an apology, never a trace.

        The replies are rendered inside the engine's transaction and kept with the conversation
        until the channel calls `sent` (models/replies.py): a crash in between loses no answer.
        A failure in rendering still commits, and says that what was done is saved (so nobody
        does it twice); a failure before says nothing was. An answer kept from an earlier message
        and lost goes first."""
        shown: list[Outgoing] = []

        def keep(replies: list[Reply], stale: list[Any] | None) -> list[Any]:
            nonlocal shown
            shown = unkept(stale) + self._rendered(replies, incoming, capabilities)
            return kept(shown)

        try:
            await self.engine.handle(incoming, keep)
        except Exception:
            log.exception("failed to handle a message on %s (id %s)", incoming.channel, incoming.message_id)
            return render([Reply("common/error")], capabilities)
        return shown

    async def sent(self, incoming: Incoming) -> None:
        """The answer to `incoming` reached its chat: chibo keeps it no longer (marked in a batch
        with the others of the next second, or at once where `mark_every` is 0)."""
        await self.marks.add(incoming)

    @staticmethod
    def _rendered(replies: list[Reply], incoming: Incoming, capabilities: Capabilities) -> list[Outgoing]:
        try:
            return render(replies, capabilities)
        except Exception:
            log.exception("failed to render the replies on %s (id %s)", incoming.channel, incoming.message_id)
            return render([Reply("common/shown_error")], capabilities)

    def transaction(self) -> MessageTransaction:
        """A transaction on one pooled connection, with no ORM session unless asked for one
        (`async with chibo.transaction() as tx:`; bot/engine/transaction.py)."""
        return MessageTransaction(self.db, self.sessions)

    async def menu_for(self, *, channel: str, account_id: str) -> list[tuple[str, str]]:
        """The commands a chat account's roles allow, with their help lines (a platform menu):
        asked at every Telegram message, so read with no session and from help lines shown once."""
        async with self.transaction() as tx:
            actor = await load_actor(db=tx, channel=channel, account_id=account_id)
            await tx.give_back()
        return [(command, help_line) for command, help_line, action in self._menu if may(actor, action)]

    @cached_property
    def _menu(self) -> list[tuple[str, str, Any]]:
        return [(route.commands[0].lstrip("/"), text_of(route.help), route.action) for route in self.engine.routes]

    async def close(self) -> None:
        await self.marks.close()
        await self.db.dispose()
