"""The composition root: which conversations exist, and how a message goes through chibo.

Routes are listed here by hand; nothing is discovered by file name.
"""

import logging

from bot.events import Capabilities, Incoming, Outgoing, Reply
from bot.clock import Clock
from bot.config import Settings
from bot.db import make_engine, make_sessions
from bot.engine.engine import Engine
from bot.engine.flow import Command, Flow
from bot.render import render, text_of
from handlers import (
    admission,
    branch_settings,
    candidates,
    checkin,
    class_results,
    classes,
    consent,
    dossier,
    edit,
    enrolment,
    import_register,
    me,
    members,
    my_data,
    overview,
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
    recognition, transfer, targets, edit, undo, roles, members, checkin, me, overview, branch_settings,
    import_register, reports, consent, my_data,
)

log = logging.getLogger(__name__)


def build_routes() -> list[Flow | Command]:
    work: list[Flow | Command] = [route for module in ROUTE_MODULES for route in module.routes]
    return [start_command(work), help_command(work), *work]


class Chibo:
    """One running chibo: a database, the engine, and the way replies are rendered."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        use_calendar(calendar_from(settings.days_off, settings.working_days))  # ValueError: a bad date
        self.clock = clock or Clock()
        self.db = make_engine(settings.database_url)
        self.sessions = make_sessions(self.db)
        self.engine = Engine(sessions=self.sessions, routes=build_routes(),
                             clock=self.clock, settings=settings, gate=consent_gate)

    async def process(self, incoming: Incoming, capabilities: Capabilities) -> list[Outgoing]:
        """Replies to one message; an unexpected failure becomes an apology, never a trace.

        The engine commits before its replies are rendered: a failure in rendering says that
        what was done is saved (so nobody does it twice), a failure before says nothing was."""
        try:
            replies = await self.engine.handle(incoming)
        except Exception:
            log.exception("failed to handle a message on %s (id %s)", incoming.channel, incoming.message_id)
            return render([Reply("common/error")], capabilities)
        try:
            return render(replies, capabilities)
        except Exception:
            log.exception("failed to render the replies on %s (id %s)", incoming.channel, incoming.message_id)
            return render([Reply("common/shown_error")], capabilities)

    async def menu_for(self, *, channel: str, account_id: str) -> list[tuple[str, str]]:
        """The commands a chat account's roles allow, with their help lines (a platform menu)."""
        async with self.sessions() as session:
            actor = await load_actor(session=session, channel=channel, account_id=account_id)
        return [(route.commands[0].lstrip("/"), text_of(route.help))
                for route in self.engine.routes if may(actor, route.action)]

    async def close(self) -> None:
        await self.db.dispose()
