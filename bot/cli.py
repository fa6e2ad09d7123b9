"""The `chibo` command: run, chat on the console, migrate, back up, demo data, organisations
(invites, people, roles and chat accounts: bot/cli_access.py; targets: bot/cli_target.py)."""

import asyncio
import sys
from pathlib import Path

import typer

from bot.app import Chibo
from bot.channels.console import ConsoleChannel
from bot.cli_import import export_app, import_register
from bot.cli_report import report
from bot.cli_access import account_app, invite_app, person_app, role_app
from bot import cli_requests  # noqa: F401  (mounts `chibo person requests` and `chibo person answer`)
from bot.cli_target import target_app
from bot.config import Settings
from bot.render import labels, text_of
from models.stage import OrgKind


def _help(key: str) -> str:
    return text_of(f"cli/help/{key}")


app = typer.Typer(help=_help("main"), no_args_is_help=True, add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]})
db_app = typer.Typer(help=_help("db"), no_args_is_help=True)
org_app = typer.Typer(help=_help("org"), no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(invite_app, name="invite")
app.add_typer(person_app, name="person")
app.add_typer(role_app, name="role")
app.add_typer(account_app, name="account")
app.add_typer(target_app, name="target")
app.add_typer(export_app, name="export")


def _setup_logging(settings: Settings) -> None:
    from bot.logs import setup_logging

    setup_logging(settings)


def _say(key: str, **values) -> None:
    typer.echo(text_of(f"cli/{key}", **values))


async def _prepared(settings: Settings, *, demo_if_empty: bool) -> Chibo:
    from bot.demo import create_demo, has_any_org
    from bot.migrate import upgrade_async

    await upgrade_async(settings.database_url, settings.secret)
    chibo = Chibo(settings)
    if demo_if_empty:
        async with chibo.sessions() as session, session.begin():
            if not await has_any_org(session):
                await create_demo(session=session, now=chibo.clock.now(), today=chibo.clock.today())
                _say("demo_created")
    return chibo


async def _chat(settings: Settings, account: str) -> None:
    chibo = await _prepared(settings, demo_if_empty=not (settings.telegram_token or settings.zalo_token))
    console = ConsoleChannel(files_dir=Path(settings.data_dir) / "files")
    if sys.stdin.isatty():
        _say("chat_intro", account=account)
    try:
        await console.chat(account, lambda m: chibo.process(m, console.capabilities), chibo.clock.now,
                           sent=chibo.sent)
    finally:
        await chibo.close()


@app.command(help=_help("run"))
def run() -> None:
    settings = Settings()
    _setup_logging(settings)
    if settings.zalo_token or settings.telegram_token:
        asyncio.run(_serve(settings))
        return
    asyncio.run(_chat(settings, "bithu"))


async def _serve(settings: Settings) -> None:
    from bot.dispatcher import DispatcherBusy
    from bot.serve import serve

    chibo = await _prepared(settings, demo_if_empty=False)
    try:
        await serve(chibo, settings)
    except DispatcherBusy:
        _say("dispatcher_busy")
        raise typer.Exit(3) from None
    finally:
        await chibo.close()


@app.command(help=_help("chat"))
def chat(account: str = typer.Option("bithu", "--as", help=_help("chat_as"))) -> None:
    settings = Settings()
    _setup_logging(settings)
    asyncio.run(_chat(settings, account))


@db_app.command("upgrade", help=_help("db_upgrade"))
def db_upgrade() -> None:
    from bot.migrate import upgrade

    settings = Settings()
    upgrade(settings.database_url, secret=settings.secret)
    _say("db_upgraded")


@db_app.command("backup", help=_help("db_backup"))
def db_backup(target: Path = typer.Argument(..., help=_help("db_backup_file"))) -> None:
    from bot.db import backup_sqlite

    source = Settings().sqlite_path()
    if source is None:
        _say("db_backup_postgres")
        raise typer.Exit(1)
    if not source.is_file():
        _say("db_backup_missing", source=source)
        raise typer.Exit(1)
    if target.exists():
        _say("db_backup_exists", target=target)
        raise typer.Exit(1)
    tables, result = backup_sqlite(source, target)
    if result != "ok":
        target.unlink()
        _say("db_backup_broken", target=target, result=result)
        raise typer.Exit(1)
    _say("db_backup_done", target=target, tables=tables, size=max(1, round(target.stat().st_size / 1024)))


@app.command(help=_help("demo"))
def demo() -> None:
    # Run again, the demo is kept as it is: refreshing it would delete whatever was recorded in
    # the demo branches since (and could not tell demo rows from real ones linked to them).
    async def go() -> str:
        from bot.demo import create_demo, demo_exists

        chibo = await _prepared(Settings(), demo_if_empty=False)
        try:
            async with chibo.sessions() as session, session.begin():
                if await demo_exists(session):
                    return "demo_exists"
                await create_demo(session=session, now=chibo.clock.now(), today=chibo.clock.today())
                return "demo_created"
        finally:
            await chibo.close()

    _say(asyncio.run(go()))


@org_app.command("add", help=_help("org_add"))
def org_add(
    name: str = typer.Argument(..., help=_help("org_name")),
    parent: str | None = typer.Option(None, "--parent", help=_help("org_parent")),
    kind: OrgKind = typer.Option(OrgKind.branch, "--kind", help=_help("org_kind")),
    student: bool = typer.Option(False, "--student", help=_help("org_student")),
) -> None:
    from models.org import add_org, find_org

    async def go() -> int:
        chibo = await _prepared(Settings(), demo_if_empty=False)
        try:
            async with chibo.sessions() as session, session.begin():
                parent_org = None
                if parent:
                    found = await find_org(session=session, ref=parent)
                    if len(found) != 1:
                        _say("org_not_found" if not found else "org_ambiguous", ref=parent,
                             matches=[o.name for o in found])
                        return 1
                    parent_org = found[0]
                org = await add_org(session=session, name=name.strip(), kind=kind, parent=parent_org,
                                    is_student=student, now=chibo.clock.now())
                _say("org_added", id=org.id, name=org.name, kind=labels("org_kind")[org.kind],
                     parent=parent_org.name if parent_org else None)
                return 0
        finally:
            await chibo.close()

    raise typer.Exit(asyncio.run(go()))


@org_app.command("list", help=_help("org_list"))
def org_list() -> None:
    from models.org import depth, org_tree

    async def go() -> None:
        chibo = await _prepared(Settings(), demo_if_empty=False)
        async with chibo.sessions() as session:
            orgs = await org_tree(session=session)
        await chibo.close()
        kinds = labels("org_kind")
        _say("org_list", orgs=[{"id": o.id, "name": o.name, "kind": kinds[o.kind], "depth": depth(o),
                                "student": o.is_student} for o in orgs])

    asyncio.run(go())


@app.command(help=_help("tick"))
def tick(at: str | None = typer.Option(None, "--at", help=_help("tick_at"))) -> None:
    from datetime import datetime

    from bot.clock import FixedClock, vn_time
    from bot.dispatcher import Dispatcher, DispatcherBusy, SqliteLock
    from bot.scheduler import tick as run_tick

    settings = Settings()
    _setup_logging(settings)
    try:
        moment = datetime.strptime(at, "%Y-%m-%d %H:%M") if at else None
    except ValueError:
        _say("tick_bad_time", at=at)
        raise typer.Exit(2) from None

    async def go() -> int:
        chibo = await _prepared(settings, demo_if_empty=False)
        if moment:
            chibo.clock = FixedClock(vn_time(moment.year, moment.month, moment.day, moment.hour, moment.minute))
        lock = SqliteLock(settings.sqlite_path()) if settings.sqlite_path() else None
        try:
            if lock:
                lock.acquire()
            console = ConsoleChannel(show_recipient=True, files_dir=Path(settings.data_dir) / "files")
            dispatcher = Dispatcher(sessions=chibo.sessions, channels={"console": console}, clock=chibo.clock)
            new, sent = await run_tick(chibo.sessions, dispatcher, chibo.clock.now())
            _say("tick_done", new=new, sent=sent)
            return 0
        except DispatcherBusy:
            _say("dispatcher_busy")
            return 3
        finally:
            if lock:
                lock.release()
            await chibo.close()

    raise typer.Exit(asyncio.run(go()))


@app.command(help=_help("outbox"))
def outbox(limit: int = typer.Option(20, "--limit", help=_help("outbox_limit"))) -> None:
    import sqlalchemy as sa

    from bot.quota import zalo_quota
    from models.outbox import Outbox

    async def go() -> None:
        settings = Settings()
        chibo = await _prepared(settings, demo_if_empty=False)
        async with chibo.sessions() as session:
            counts = dict((await session.exec(sa.select(Outbox.status, sa.func.count())
                                              .group_by(Outbox.status))).all())
            rows = (await session.exec(sa.select(Outbox).order_by(Outbox.id.desc()).limit(limit))).scalars().all()
        zalo = await zalo_quota(chibo.transaction, settings, chibo.clock.now).usage()  # this month, against the quota
        await chibo.close()
        _say("outbox", counts=counts, rows=rows, zalo=zalo if settings.zalo_token or zalo.sent or zalo.spent else None)

    asyncio.run(go())


@app.command(help=_help("purge"))
def purge() -> None:
    from bot.scheduler import purge as run_purge

    async def go() -> None:
        settings = Settings()
        chibo = await _prepared(settings, demo_if_empty=False)
        try:
            done = await run_purge(chibo.sessions, chibo.clock.now(), years=settings.retention_years)
        finally:
            await chibo.close()
        _say("purged", done=done, years=settings.retention_years)

    asyncio.run(go())


app.command("import", help=_help("import"))(import_register)  # listed after the commands above
app.command("report", help=_help("report"))(report)


def main() -> None:
    app()
