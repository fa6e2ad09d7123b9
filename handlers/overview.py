"""/tonghop: a committee's read-only digest of the branches below it — stages, targets, overdue, stalled."""

import math

from bot.events import Choice, Reply
from bot.engine.flow import Command, Context
from bot.render import labels
from models.audit import audit
from models.overview import branch_overviews, branches_below
from models.policy import Action
from models.rules import QUIET_BRANCH_DAYS
from models.target_queries import last_ended_target, orgs_at, targets_of
from models.text import page_number

BRANCHES_PER_PAGE = 5


async def show_overview(ctx: Context, args: str) -> list[Reply]:
    page = page_number(args)
    grants = ctx.actor.grants_for(Action.overview)
    branches = await branches_below(session=ctx.session, paths=[g.org_path for g in grants])
    pages = max(1, math.ceil(len(branches) / BRANCHES_PER_PAGE))
    if page > pages:
        return [Reply("overview/no_such_page", {"page": page, "pages": pages})]
    shown = branches[(page - 1) * BRANCHES_PER_PAGE:page * BRANCHES_PER_PAGE]
    tops = []
    if page == 1:
        for org in await orgs_at(session=ctx.session, ids=sorted({g.org_id for g in grants})):
            if org.id not in {b.id for b in branches}:
                current = await targets_of(session=ctx.session, org=org, today=ctx.today, current_only=True)
                # Between two targets (after the school year ends) the last one is shown, not nothing.
                last = None if current else await last_ended_target(session=ctx.session, org=org, today=ctx.today)
                tops.append({"name": org.name, "targets": current, "last": last})
    rows = await branch_overviews(session=ctx.session, branches=shown, today=ctx.today)
    for grant in grants[:1]:
        audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.overview,
              subject=f"org:{grant.org_id}")
    choices = (Choice(labels("more")["next"], f"/tonghop {page + 1}"),) if page < pages else ()
    return [Reply("overview/digest", {
        "tops": tops, "rows": rows, "total": len(branches), "page": page, "pages": pages,
        "today": ctx.today, "quiet_days": QUIET_BRANCH_DAYS,
        "remaining": len(branches) - (page - 1) * BRANCHES_PER_PAGE - len(shown),
    }, choices=choices)]


overview_command = Command(name="overview", commands=("/tonghop",), action=Action.overview,
                           help="help/tonghop", run=show_overview)

routes = [overview_command]
