"""The organisations a person may report on: a secretary's (or deputy's) own branches, a
committee's (or an admin's) organisations and everything below them, and nothing else. Used by
/baocao in chat and again by the report page each time it is opened (a role taken back closes it)."""

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.org import Organisation
from models.people import RoleGrant
from models.policy import Action, Actor, Grant
from models.stage import Role


def scope_clause(grants: list[Grant]) -> sa.ColumnElement[bool]:
    """A WHERE clause over Organisation: what these grants (of Action.report) reach."""
    above = [g.org_path for g in grants if g.role in (Role.committee, Role.admin)]
    own = [g.org_id for g in grants if g.role in (Role.secretary, Role.deputy)]
    clauses = [Organisation.id.in_(own)] if own else []
    clauses += [Organisation.path.startswith(p) for p in above]
    return sa.or_(*clauses) if clauses else sa.false()


async def orgs_in_scope(*, session: AsyncSession, actor: Actor) -> list[Organisation]:
    """Highest first, then by name: the order the chat offers them in."""
    grants = actor.grants_for(Action.report)
    if not grants:
        return []
    rows = await session.exec(select(Organisation).where(scope_clause(grants)))
    return sorted(rows, key=lambda o: (o.path.count("/"), o.name, o.id))


async def may_report_on(*, session: AsyncSession, person_id: int, org_id: int) -> bool:
    """Whether this person, with the roles held now, may see this organisation's reports."""
    rows = (await session.exec(
        sa.select(RoleGrant.role, Organisation.id, Organisation.path, Organisation.name)
        .join(Organisation, Organisation.id == RoleGrant.org_id)
        .where(RoleGrant.person_id == person_id))).all()
    actor = Actor(person_id=person_id, grants=tuple(Grant(Role(r[0]), r[1], r[2], r[3]) for r in rows))
    grants = actor.grants_for(Action.report)
    if not grants:
        return False
    found = (await session.exec(sa.select(Organisation.id).where(
        Organisation.id == org_id, scope_clause(grants)))).first()
    return found is not None
