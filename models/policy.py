"""The one authorisation policy (DESIGN.md "Identity and access").

Every command names an Action; the engine asks `may` before a handler runs, and
queries narrow what a person sees with `candidate_scope`. A person with no grant
(an unlinked chat) may only ask for help and link with a code.
"""

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa

from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.org import Organisation
from models.people import ChatLink, Person, RoleGrant
from models.stage import Role


class Action(StrEnum):
    help = "help"
    link = "link"
    register_candidate = "candidate.register"
    list_candidates = "candidate.list"
    view_candidate = "candidate.view"


# What each role may do somewhere; where, is decided by the scope rules below.
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.admin: frozenset({Action.list_candidates, Action.view_candidate}),
    Role.committee: frozenset({Action.list_candidates, Action.view_candidate}),
    Role.secretary: frozenset({Action.register_candidate, Action.list_candidates, Action.view_candidate}),
    Role.deputy: frozenset({Action.register_candidate, Action.list_candidates, Action.view_candidate}),
    Role.sponsor: frozenset({Action.list_candidates, Action.view_candidate}),
    Role.candidate: frozenset(),
}
OPEN_ACTIONS = frozenset({Action.help, Action.link})


@dataclass(frozen=True)
class Grant:
    role: Role
    org_id: int
    org_path: str
    org_name: str


@dataclass(frozen=True)
class Actor:
    """Who is speaking: a linked person with grants, or a stranger (person_id None)."""

    person_id: int | None
    full_name: str | None = None
    grants: tuple[Grant, ...] = ()

    @property
    def linked(self) -> bool:
        return self.person_id is not None

    def grants_for(self, action: Action) -> list[Grant]:
        return [g for g in self.grants if action in ROLE_ACTIONS[g.role]]


def may(actor: Actor, action: Action) -> bool:
    """May this person do this kind of thing anywhere at all?"""
    return action in OPEN_ACTIONS or bool(actor.grants_for(action))


def branch_grants(actor: Actor, action: Action) -> list[Grant]:
    """The branches where this person acts as secretary or deputy."""
    return [g for g in actor.grants_for(action) if g.role in (Role.secretary, Role.deputy)]


def candidate_scope(actor: Actor, action: Action) -> sa.ColumnElement[bool]:
    """A WHERE clause: the candidates this person may list or view, and no others."""
    clauses: list[sa.ColumnElement[bool]] = []
    for grant in actor.grants_for(action):
        if grant.role in (Role.secretary, Role.deputy):
            clauses.append(Candidate.branch_id == grant.org_id)
        elif grant.role in (Role.committee, Role.admin):
            subtree = sa.select(Organisation.id).where(Organisation.path.startswith(grant.org_path))
            clauses.append(Candidate.branch_id.in_(subtree))
        elif grant.role == Role.sponsor and actor.person_id is not None:
            clauses.append(sa.and_(Candidate.branch_id == grant.org_id,
                                   Candidate.sponsor_id == actor.person_id))
    return sa.or_(*clauses) if clauses else sa.false()


async def load_actor(*, session: AsyncSession, channel: str, account_id: str) -> Actor:
    """The person behind a chat account, with every role they hold and where."""
    rows = (await session.exec(
        sa.select(Person.id, Person.full_name, RoleGrant.role, Organisation.id,
                  Organisation.path, Organisation.name)
        .select_from(ChatLink)
        .join(Person, Person.id == ChatLink.person_id)
        .outerjoin(RoleGrant, RoleGrant.person_id == Person.id)
        .outerjoin(Organisation, Organisation.id == RoleGrant.org_id)
        .where(ChatLink.channel == channel, ChatLink.account_id == account_id)
    )).all()
    if not rows:
        return Actor(person_id=None)
    grants = tuple(Grant(role=Role(r[2]), org_id=r[3], org_path=r[4], org_name=r[5])
                   for r in rows if r[2] is not None)
    return Actor(person_id=rows[0][0], full_name=rows[0][1], grants=grants)
