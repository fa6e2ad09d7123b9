"""`GET /healthz` on chibo's HTTP server: is the database reachable, does this process run the
scheduled jobs, how many messages wait in the outbox. Counts only: nothing about anyone.

200 when the database answers, 503 when it does not (a load balancer then stops sending
webhooks here); the body says which part failed.
"""

import logging
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from aiohttp import web
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.leader import Leadership
from models.outbox import Outbox, OutboxStatus

log = logging.getLogger(__name__)
PATH = "/healthz"


async def health(sessions: async_sessionmaker[AsyncSession], leadership: Leadership | None,
                 now: Callable[[], datetime]) -> tuple[bool, dict]:
    """(healthy, what to say): the database, the scheduler's role here, the outbox backlog."""
    try:
        async with sessions() as session:
            backlog = (await session.exec(sa.select(sa.func.count()).select_from(Outbox).where(
                Outbox.status.in_([OutboxStatus.pending, OutboxStatus.in_flight]),
                Outbox.due_at <= now()))).scalar()
    except Exception:
        log.warning("health check: the database does not answer", exc_info=True)
        return False, {"database": "unreachable"}
    leading = leadership is None or leadership.leading
    return True, {"database": "ok", "scheduler": "leader" if leading else "standby", "outbox_due": backlog}


def add_health_route(app: web.Application, sessions, leadership: Leadership | None,
                     now: Callable[[], datetime]) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        ok, body = await health(sessions, leadership, now)
        return web.json_response(body, status=200 if ok else 503)

    app.router.add_get(PATH, healthz)
