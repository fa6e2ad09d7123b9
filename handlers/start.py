"""/start and /trogiup: who I am here, what I can do, and linking an account with a code."""

from collections.abc import Sequence
from datetime import timedelta

from bot.channels.port import Choice, Reply
from bot.engine.flow import Command, Context, Flow
from models.linking import redeem_invite
from bot.render import text_of
from models.policy import OPEN_ACTIONS, Action, load_actor, may


def help_command(routes: Sequence[Flow | Command]) -> Command:
    async def run(ctx: Context, args: str) -> list[Reply]:
        return [whoami(ctx, routes)]

    return Command(name="help", commands=("/trogiup", "/help"), action=Action.help,
                   help="help/trogiup", run=run)


def start_command(routes: Sequence[Flow | Command]) -> Command:
    async def run(ctx: Context, args: str) -> list[Reply]:
        if not args:
            return [whoami(ctx, routes)]
        outcome = await redeem_invite(
            session=ctx.session, code=args, channel=ctx.incoming.channel,
            account_id=ctx.incoming.sender_id, display_name=ctx.incoming.sender_name,
            now=ctx.now, max_failures=ctx.settings.invite_max_failures,
            lockout=timedelta(minutes=ctx.settings.invite_lockout_minutes),
        )
        if outcome.result != "linked":
            return [Reply(f"start/code_{outcome.result}", outcome.values)]
        ctx.actor = await load_actor(session=ctx.session, channel=ctx.incoming.channel,
                                     account_id=ctx.incoming.sender_id)
        return [Reply("start/linked", outcome.values), whoami(ctx, routes)]

    return Command(name="start", commands=("/start",), action=Action.link,
                   help="help/start", run=run)


def whoami(ctx: Context, routes: Sequence[Flow | Command]) -> Reply:
    """The help screen: who I am, and each command I may use as a choice."""
    usable = [r for r in routes if r.action not in OPEN_ACTIONS and may(ctx.actor, r.action)]
    choices = tuple(Choice(f"{r.commands[0]} — {text_of(r.help)}", r.commands[0]) for r in usable)
    return Reply("start/help", {
        "linked": ctx.actor.linked,
        "full_name": ctx.actor.full_name,
        "grants": [{"role": g.role.value, "org_name": g.org_name} for g in ctx.actor.grants],
        "has_commands": bool(usable),
    }, choices=choices)
