"""Access from the command line: invites given and taken back, people and their roles, chat
accounts unlinked (`chibo invite`, `chibo person list`, `chibo role revoke`, `chibo account unlink`);
a person's data exported or erased (`chibo person export`, `chibo person erase`).

bot/cli.py mounts these groups. Every change writes an audit entry (models/access.py).
"""

import asyncio
from datetime import timedelta
from pathlib import Path

import typer

from bot.config import Settings
from bot.render import labels, text_of
from models.stage import Role

# How long an invite code may live, in days (`--days`, CHIBO_INVITE_DAYS).
MIN_DAYS, MAX_DAYS = 1, 90


def _help(key: str) -> str:
    return text_of(f"cli/help/{key}")


def _say(key: str, **values) -> None:
    typer.echo(text_of(f"cli/{key}", **values))


def _group(key: str) -> typer.Typer:
    group = typer.Typer(help=_help(key), no_args_is_help=True, add_completion=False,
                        context_settings={"help_option_names": ["-h", "--help"]})
    # A callback keeps a lone command a subcommand (typer collapses a group of one otherwise).
    group.callback()(lambda: None)
    return group


invite_app = _group("invite")
person_app = _group("person")
role_app = _group("role")
account_app = _group("account")


async def _one_org(session, ref: str):
    """The organisation named by id or name, or None after saying why not."""
    from models.org import find_org

    found = await find_org(session=session, ref=ref)
    if len(found) != 1:
        _say("org_not_found" if not found else "org_ambiguous", ref=ref, matches=[o.name for o in found])
        return None
    return found[0]


def _run(work) -> None:
    """Run `work(chibo)` over a migrated database and exit with what it returns."""
    from bot.cli import _prepared

    async def go() -> int:
        chibo = await _prepared(Settings(), demo_if_empty=False)
        try:
            return await work(chibo)
        finally:
            await chibo.close()

    raise typer.Exit(asyncio.run(go()))


# ---- invites ----------------------------------------------------------------------------

@invite_app.command("create", help=_help("invite_create"))
def invite_create(
    role: Role = typer.Option(..., "--role", help=_help("invite_role")),
    org: str = typer.Option(..., "--org", help=_help("invite_org")),
    name: str | None = typer.Option(None, "--name", help=_help("invite_name")),
    candidate: int | None = typer.Option(None, "--candidate", help=_help("invite_candidate")),
    days: int | None = typer.Option(None, "--days", help=_help("invite_days")),
) -> None:
    from sqlmodel import select

    from models.audit import audit
    from models.candidate import Candidate
    from models.people import create_invite, find_invite

    settings = Settings()
    lifetime = settings.invite_days if days is None else days
    if not MIN_DAYS <= lifetime <= MAX_DAYS:
        _say("invite_bad_days", days=lifetime, given=days is not None, minimum=MIN_DAYS, maximum=MAX_DAYS)
        raise typer.Exit(1)
    key = settings.invite_key()
    if key is None:
        _say("invite_no_secret")
        raise typer.Exit(1)

    async def work(chibo) -> int:
        async with chibo.sessions() as session, session.begin():
            found = await _one_org(session, org)
            if found is None:
                return 1
            candidate_id = None
            if role == Role.candidate:
                if candidate is None:
                    _say("invite_needs_candidate")
                    return 1
                row = (await session.exec(select(Candidate).where(
                    Candidate.branch_id == found.id, Candidate.number == candidate))).first()
                if row is None:
                    _say("invite_no_candidate", number=candidate)
                    return 1
                candidate_id = row.id
            now = chibo.clock.now()
            expires = now + timedelta(days=lifetime)
            code = await create_invite(session=session, role=role, org_id=found.id, expires_at=expires, now=now,
                                       key=key, candidate_id=candidate_id, full_name=name)
            invite = await find_invite(session=session, code=code, key=key)
            audit(session=session, at=now, person_id=None, action="invite.create", subject=f"invite:{invite.id}")
            _say("invite_created", code=code, role=labels("role")[role], org=found.name, expires=expires)
        if settings.telegram_token:
            await _print_deep_link(settings, code)
        return 0

    _run(work)


async def _print_deep_link(settings: Settings, code: str) -> None:
    from telegram.error import TelegramError

    from bot.channels.telegram import bot_username, deep_link

    try:
        username = await bot_username(settings.telegram_token, base_url=settings.telegram_base_url)
    except (TelegramError, OSError):
        return  # Telegram unreachable: the typed code still works
    typer.echo(text_of("telegram/invite_link", link=deep_link(username, code)))


@invite_app.command("list", help=_help("invite_list"))
def invite_list(
    org: str | None = typer.Option(None, "--org", help=_help("invite_list_org")),
    every: bool = typer.Option(False, "--all", help=_help("invite_list_all")),
) -> None:
    from models.access import list_invites

    async def work(chibo) -> int:
        async with chibo.sessions() as session:
            org_id = None
            if org:
                found = await _one_org(session, org)
                if found is None:
                    return 1
                org_id = found.id
            rows = await list_invites(session=session, now=chibo.clock.now(), org_id=org_id, every=every)
        _say("invite_list", rows=rows, roles=labels("role"), every=every)
        return 0

    _run(work)


@invite_app.command("revoke", help=_help("invite_revoke"))
def invite_revoke(invite_id: int = typer.Argument(..., help=_help("invite_id"))) -> None:
    from models.access import revoke_invite

    async def work(chibo) -> int:
        async with chibo.sessions() as session, session.begin():
            outcome = await revoke_invite(session=session, invite_id=invite_id, now=chibo.clock.now())
        _say("invite_revoked", id=invite_id, outcome=outcome)
        return 0 if outcome == "revoked" else 1

    _run(work)


# ---- people, roles, chat accounts ------------------------------------------------------

@person_app.command("list", help=_help("person_list"))
def person_list(org: str = typer.Option(..., "--org", help=_help("person_org"))) -> None:
    from models.access import holders

    async def work(chibo) -> int:
        async with chibo.sessions() as session:
            found = await _one_org(session, org)
            if found is None:
                return 1
            people = await holders(session=session, org_id=found.id)
        _say("person_list", org=found.name, people=people, roles=labels("role"))
        return 0

    _run(work)


@role_app.command("revoke", help=_help("role_revoke"))
def role_revoke(
    person: int = typer.Option(..., "--person", help=_help("role_person")),
    org: str = typer.Option(..., "--org", help=_help("person_org")),
    role: Role = typer.Option(..., "--role", help=_help("invite_role")),
) -> None:
    from models.access import revoke_role
    from models.people import Person

    async def work(chibo) -> int:
        async with chibo.sessions() as session, session.begin():
            found = await _one_org(session, org)
            if found is None:
                return 1
            who = await session.get(Person, person)
            ended = await revoke_role(session=session, person_id=person, org_id=found.id, role=role,
                                      now=chibo.clock.now(), by_person_id=None)
        if who is None or ended is None:
            _say("role_not_held", person=person, name=who.full_name if who else None,
                 role=labels("role")[role], org=found.name)
            return 1
        _say("role_revoked", person=person, name=who.full_name, role=labels("role")[role], org=found.name,
             unsponsored=ended)
        return 0

    _run(work)


@account_app.command("unlink", help=_help("account_unlink"))
def account_unlink(
    person: int = typer.Option(..., "--person", help=_help("role_person")),
    channel: str | None = typer.Option(None, "--channel", help=_help("account_channel")),
) -> None:
    from models.access import unlink_accounts
    from models.people import Person

    async def work(chibo) -> int:
        async with chibo.sessions() as session, session.begin():
            who = await session.get(Person, person)
            if who is None:
                _say("person_missing", person=person)
                return 1
            count = await unlink_accounts(session=session, person_id=person, now=chibo.clock.now(),
                                          channel=channel)
        _say("account_unlinked", person=person, name=who.full_name, count=count, channel=channel)
        return 0 if count else 1

    _run(work)


# ---- a person's data: export and erasure (Law 91/2025) ---------------------------------

def _subject(subject) -> str:
    """"người số 4", or "hồ sơ quần chúng số 12" (its id) for a candidate with no person."""
    kind, number = subject.subject.split(":")
    return text_of("cli/subject", kind=kind, number=number).strip()


def _placeholder() -> str:
    return text_of("common/erased_name").strip()


@person_app.command("export", help=_help("person_export"))
def person_export(
    who: str = typer.Argument(..., help=_help("person_who")),
    out: Path = typer.Option(Path("."), "--out", help=_help("person_export_out")),
) -> None:
    from bot.person_files import write_person_files
    from models.audit import audit
    from models.erasure import find_subject
    from models.person_data import person_data

    async def work(chibo) -> int:
        async with chibo.sessions() as session, session.begin():
            subject = await find_subject(session=session, ref=who)
            if not subject:
                _say("person_not_found", ref=who)
                return 1
            data = await person_data(session=session, subject=subject)
            # Reading someone's whole file is itself recorded (ids only).
            audit(session=session, at=chibo.clock.now(), person_id=None, action="person.export",
                  subject=subject.subject)
        paths = write_person_files(data, out, subject.subject.replace(":", "-"))
        _say("person_exported", subject=_subject(subject), paths=[str(p) for p in paths],
             rows=sum(len(rows) for rows in data.values()))
        return 0

    _run(work)


@person_app.command("erase", help=_help("person_erase"))
def person_erase(
    who: str = typer.Argument(..., help=_help("person_who")),
    reason: str = typer.Option(..., "--reason", help=_help("person_erase_reason")),
    yes: bool = typer.Option(False, "--yes", help=_help("person_erase_yes")),
) -> None:
    from models.erasure import active_candidacies, erase, find_subject
    from models.org import Organisation

    if not reason.strip():
        _say("erase_no_reason")
        raise typer.Exit(1)

    async def work(chibo) -> int:
        async with chibo.sessions() as session:
            subject = await find_subject(session=session, ref=who)
            if not subject:
                _say("person_not_found", ref=who)
                return 1
            active = [(c.full_name, c.stage, (await session.get(Organisation, c.branch_id)).name)
                      for c in await active_candidacies(session=session, subject=subject)]
        _say("erase_what", subject=_subject(subject), names=subject.names, stages=labels("stage"),
             active=active, people=len(subject.person_ids), candidates=len(subject.candidate_ids))
        if not yes and not typer.confirm(text_of("cli/erase_confirm").strip(), default=False):
            _say("erase_cancelled")
            return 1
        async with chibo.sessions() as session, session.begin():
            subject = await find_subject(session=session, ref=who)
            done = await erase(session=session, subject=subject, placeholder=_placeholder(), now=chibo.clock.now(),
                               today=chibo.clock.today(), reason=reason.strip())
        _say("erased", subject=_subject(subject), done=done)
        return 0

    _run(work)
