"""`chibo target set`: an organisation's target (chỉ tiêu) for a period, from the command line.

bot/cli.py mounts it: app.add_typer(target_app, name="target").
"""

import asyncio

import typer

from bot.render import text_of


def _help(key: str) -> str:
    return text_of(f"cli/help/{key}")


def _say(key: str, **values) -> None:
    typer.echo(text_of(f"cli/{key}", **values))


target_app = typer.Typer(help=_help("target"), no_args_is_help=True, add_completion=False,
                         context_settings={"help_option_names": ["-h", "--help"]})


@target_app.callback()
def _group() -> None:
    # A callback keeps `set` a subcommand even while it is the only one (typer collapses otherwise).
    pass


def parse_minimums(pairs: list[str]) -> dict[str, int] | None:
    """["teacher=1", "youth_union=2"] → {"teacher": 1, "youth_union": 2}; None if one is wrong."""
    from models.target_queries import TAGS

    found: dict[str, int] = {}
    for pair in pairs:
        tag, sep, count = pair.partition("=")
        tag = tag.strip().lower()
        if not sep or tag not in TAGS or not count.strip().isdigit():
            return None
        found[tag] = int(count)
    return found


@target_app.command("set", help=_help("target_set"))
def target_set(
    org: str = typer.Option(..., "--org", help=_help("target_org")),
    period: str = typer.Option(..., "--period", help=_help("target_period")),
    admissions: int = typer.Option(..., "--admissions", help=_help("target_admissions")),
    minimum: list[str] = typer.Option([], "--min", help=_help("target_min")),
    share: list[str] = typer.Option([], "--share", help=_help("target_share")),
) -> None:
    from bot.cli import _prepared
    from bot.config import Settings
    from models.audit import audit
    from models.org import find_org
    from models.policy import Action
    from models.target_queries import CLI_MAX_ADMISSIONS, MEASURES, TAGS, parse_period, parse_share, upsert_target

    parsed = parse_period(period)
    if parsed is None:
        _say("target_bad_period", period=period)
        raise typer.Exit(1)
    if not 0 <= admissions <= CLI_MAX_ADMISSIONS:
        _say("target_bad_admissions", admissions=admissions, maximum=CLI_MAX_ADMISSIONS)
        raise typer.Exit(1)
    composition = parse_minimums(minimum)
    if composition is None:
        _say("target_bad_min", given=minimum, tags=TAGS)
        raise typer.Exit(1)
    shares = [parse_share(text) for text in share]
    if None in shares or len({s.measure for s in shares}) < len(shares):
        _say("target_bad_share", given=share, measures=MEASURES)
        raise typer.Exit(1)
    over = {tag: n for tag, n in composition.items() if n > admissions}
    if over:
        _say("target_min_over", over=over, admissions=admissions)
        raise typer.Exit(1)
    label, span = parsed

    async def go() -> int:
        chibo = await _prepared(Settings(), demo_if_empty=False)
        try:
            async with chibo.sessions() as session, session.begin():
                found = await find_org(session=session, ref=org)
                if len(found) != 1:
                    _say("org_not_found" if not found else "org_ambiguous", ref=org,
                         matches=[o.name for o in found])
                    return 1
                row, created = await upsert_target(
                    session=session, org_id=found[0].id, label=label, period=span, admissions=admissions,
                    composition=composition, set_by=None, now=chibo.clock.now(), shares=tuple(shares))
                audit(session=session, at=chibo.clock.now(), person_id=None, action=Action.set_targets,
                      subject=f"org:{row.org_id}")
                _say("target_saved", created=created, org=found[0].name, label=label, start=span.start,
                     end=span.end, admissions=row.admissions, composition=row.composition,
                     shares=shares)
                return 0
        finally:
            await chibo.close()

    raise typer.Exit(asyncio.run(go()))
