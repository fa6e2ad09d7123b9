"""`chibo import FILE --org NAME [--dry-run]`, `chibo import --template FILE.xlsx` and
`chibo export list --org NAME --out FILE.xlsx`: a branch's register in and out as a spreadsheet.

bot/cli.py mounts them: app.command("import")(import_register) and add_typer(export_app).
Exit status: 0 done, 1 errors in the rows or the organisation (nothing written), 2 a file
chibo cannot read.
"""

import asyncio
from pathlib import Path

import typer

from bot.render import text_of


def _help(key: str) -> str:
    return text_of(f"cli/help/{key}")


def _say(key: str, **values) -> None:
    typer.echo(text_of(f"cli/{key}", **values))


def _bad(reason: str, name: str = "") -> None:
    typer.echo(text_of("import/bad_file", reason=reason, name=name))


export_app = typer.Typer(help=_help("export"), no_args_is_help=True, add_completion=False,
                         context_settings={"help_option_names": ["-h", "--help"]})


@export_app.callback()
def _group() -> None:
    # A callback keeps `list` a subcommand even while it is the only one (typer collapses otherwise).
    pass


async def _branch(session, ref: str):
    """The one branch `ref` names, or None after saying why."""
    from models.org import find_org
    from models.stage import OrgKind

    found = await find_org(session=session, ref=ref)
    if len(found) != 1:
        typer.echo(text_of("cli/org_not_found" if not found else "cli/org_ambiguous", ref=ref,
                           matches=[o.name for o in found]))
        return None
    if found[0].kind != OrgKind.branch:
        _bad("not_branch", found[0].name)
        return None
    return found[0]


def import_register(
    file: Path | None = typer.Argument(None, help=_help("import_file"), show_default=False),
    org: str | None = typer.Option(None, "--org", help=_help("import_org")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_help("import_dry_run")),
    template: Path | None = typer.Option(None, "--template", help=_help("import_template")),
    accept_near: bool = typer.Option(False, "--accept-near", help=_help("import_accept_near")),
) -> None:
    from bot.clock import Clock
    from bot.register_file import template as template_book
    from bot.spreadsheet import write_book

    if template is not None:
        if template.suffix.lower() != ".xlsx" or not template.parent.is_dir():
            _bad("bad_out", str(template))
            raise typer.Exit(2)
        write_book(template, template_book(Clock().today()))
        _say("import_template_written", path=template)
        return
    if file is None:
        _bad("no_file")
        raise typer.Exit(2)
    if not org:
        _bad("no_org")
        raise typer.Exit(2)
    raise typer.Exit(asyncio.run(_import(file, org, dry_run, accept_near)))


async def _import(file: Path, org: str, dry_run: bool, accept_near: bool) -> int:
    from bot.cli import _prepared
    from bot.config import Settings
    from bot.register_file import bad_file_line, import_register as run, read_register
    from bot.spreadsheet import BadFile

    chibo = await _prepared(Settings(), demo_if_empty=False)
    try:
        try:
            reading = read_register(file, chibo.clock.today())
        except BadFile as error:
            typer.echo(bad_file_line(error, file.name))
            return 2
        async with chibo.sessions() as session, session.begin():
            branch = await _branch(session, org)
            if branch is None:
                return 1
            status, report = await run(session=session, reading=reading, branch_id=branch.id,
                                       branch_name=branch.name, today=chibo.clock.today(), now=chibo.clock.now(),
                                       dry_run=dry_run, accept_near=accept_near, file_name=file.name)
        typer.echo(report)
        return status
    finally:
        await chibo.close()


@export_app.command("list", help=_help("export_list"))
def export_list(
    org: str = typer.Option(..., "--org", help=_help("export_org")),
    out: Path = typer.Option(..., "--out", help=_help("export_out")),
) -> None:
    if out.suffix.lower() != ".xlsx" or not out.parent.is_dir():
        _bad("bad_out", str(out))
        raise typer.Exit(2)

    async def go() -> int:
        from bot.cli import _prepared
        from bot.config import Settings
        from bot.register_file import book, export_members, export_rows
        from bot.spreadsheet import write_book

        chibo = await _prepared(Settings(), demo_if_empty=False)
        try:
            async with chibo.sessions() as session:
                branch = await _branch(session, org)
                if branch is None:
                    return 1
                rows = await export_rows(session=session, branch_id=branch.id)
                members = await export_members(session=session, branch_id=branch.id)
            write_book(out, book(rows, members))
            _say("export_written", count=len(rows), members=len(members), org=branch.name, path=out)
            return 0
        finally:
            await chibo.close()

    raise typer.Exit(asyncio.run(go()))
