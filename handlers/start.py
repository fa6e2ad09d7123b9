"""/start and /trogiup: who I am here, what I can do, and linking an account with a code."""

import logging
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa

from bot.events import Choice, Reply
from bot.engine.flow import Command, Context, Flow
from handlers.shared.consent import notice_for
from models.consent import waiting_candidate
from models.linking import redeem_invite
from bot.render import text_of
from models.candidate import Candidate
from models.policy import OPEN_ACTIONS, Action, Grant, branch_grants, load_actor, may
from models.roster import has_roster
from models.stage import Role
from models.text import page_number

log = logging.getLogger(__name__)


def help_command(routes: Sequence[Flow | Command]) -> Command:
    async def run(ctx: Context, args: str) -> list[Reply]:
        page = page_number(args)
        return [*(await first_run(ctx) if page == 1 else []), whoami(ctx, routes, page=page)]

    return Command(name="help", commands=("/trogiup", "/help"), action=Action.help,
                   help="help/trogiup", run=run)


def start_command(routes: Sequence[Flow | Command]) -> Command:
    async def run(ctx: Context, args: str) -> list[Reply]:
        if not args:
            return [*await first_run(ctx), whoami(ctx, routes)]
        key = ctx.settings.invite_key()
        if key is None:
            log.warning("an invite code was typed but CHIBO_SECRET is not set: codes cannot be checked")
            return [Reply("start/code_unavailable")]
        outcome = await redeem_invite(
            session=ctx.session, code=args, key=key, channel=ctx.incoming.channel,
            account_id=ctx.incoming.sender_id, display_name=ctx.incoming.sender_name,
            now=ctx.now, max_failures=ctx.settings.invite_max_failures,
            lockout=timedelta(minutes=ctx.settings.invite_lockout_minutes),
        )
        if outcome.result != "linked":
            return [Reply(f"start/code_{outcome.result}", outcome.values)]
        ctx.actor = await load_actor(db=ctx.transaction, channel=ctx.incoming.channel,
                                     account_id=ctx.incoming.sender_id)
        waiting = await waiting_candidate(ctx.session, ctx.actor.person_id)
        if waiting is not None:  # a candidate reads the notice and answers before anything else
            return [Reply("start/linked", outcome.values), await notice_for(ctx, waiting)]
        return [Reply("start/linked", outcome.values), *await first_run(ctx), whoami(ctx, routes)]

    return Command(name="start", commands=("/start",), action=Action.link,
                   help="help/start", run=run)


async def first_run(ctx: Context) -> list[Reply]:
    """The first steps, for a secretary or deputy of a branch with nobody on its party members'
    roster yet: its members (imported or added), then its candidates, then its targets."""
    guides, seen = [], set()
    for g in branch_grants(ctx.actor, Action.manage_members):
        if g.org_id in seen or await has_roster(session=ctx.session, org_id=g.org_id):
            continue
        seen.add(g.org_id)
        candidates = (await ctx.session.exec(sa.select(sa.func.count()).select_from(Candidate)
                                             .where(Candidate.branch_id == g.org_id))).scalar_one()
        guides.append(Reply("start/first_run", {"branch": g.org_name, "candidates": candidates}))
    return guides


# A phone screen: the help never runs longer than this many lines as a numbered list.
SCREEN_LINES = 15


def shown_grants(grants: Sequence[Grant]) -> list[Grant]:
    """The roles told in the greeting: a deputy who is also the branch's secretary (as after a
    hand-over) is told once, as the secretary."""
    heads = {g.org_id for g in grants if g.role == Role.secretary}
    return [g for g in grants if not (g.role == Role.deputy and g.org_id in heads)]


def whoami(ctx: Context, routes: Sequence[Flow | Command], page: int = 1) -> Reply:
    """The help screen: who I am, and the commands the policy lets me use as choices, a phone
    screen at a time; the last choice of a page is "/trogiup N" for the next one."""
    usable = [r for r in routes if r.action not in OPEN_ACTIONS and may(ctx.actor, r.action)]
    values = {
        "linked": ctx.actor.linked,
        "full_name": ctx.actor.full_name,
        "grants": [{"role": g.role.value, "org_name": g.org_name} for g in shown_grants(ctx.actor.grants)],
        "has_commands": bool(usable),
    }
    pages = paginate(usable, values)
    page = page if 1 <= page <= len(pages) else 1
    choices = [Choice(f"{r.commands[0]} — {text_of(r.help)}", r.commands[0]) for r in pages[page - 1]]
    if page < len(pages):
        more = f"/trogiup {page + 1}"
        choices.append(Choice(f"{more} — {text_of('help/more', page=page + 1, pages=len(pages))}", more))
    return Reply("help/screen", {**values, "page": page, "pages": len(pages)}, choices=tuple(choices))


def paginate(usable: list[Flow | Command], values: dict) -> list[list[Flow | Command]]:
    """The commands cut into pages that fit SCREEN_LINES when shown as a numbered list (the
    page's words, a blank line, one line a choice, the line on how to answer)."""

    def room(page: int) -> int:
        words = text_of("help/screen", **values, page=page, pages=page + 1)
        return SCREEN_LINES - len(words.splitlines()) - 2

    pages: list[list[Flow | Command]] = []
    rest = list(usable)
    while len(rest) > room(len(pages) + 1):
        fits = max(1, room(len(pages) + 1) - 1)  # one line for "/trogiup N"
        pages.append(rest[:fits])
        rest = rest[fits:]
    return [*pages, rest]
