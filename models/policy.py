"""The one authorisation policy (DESIGN.md "Identity and access").

Every command names an Action; the engine asks `may` before a handler runs, and
queries narrow what a person sees with `candidate_scope`. A person with no grant
(an unlinked chat) may only ask for help and link with a code.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa


from models.candidate import Candidate
from models.org import Organisation
from models.party_class import visible_from
from models.people import ChatLink, Person, RoleGrant
from models.stage import Role
from models.statements import Statements


class Action(StrEnum):
    help = "help"
    link = "link"
    register_candidate = "candidate.register"
    list_candidates = "candidate.list"
    view_candidate = "candidate.view"
    review = "candidate.review"  # monthly review, quarterly survey
    assign_sponsor = "candidate.assign_sponsor"
    view_classes = "class.view"  # the classes and how many are enrolled
    enrol_in_class = "class.enrol"  # a branch sends its candidates to a class
    record_class_result = "class.result"  # a branch records who finished and their certificate
    create_class = "class.create"
    manage_dossier = "candidate.dossier"
    record_admission = "candidate.admission"  # vote, decision, ceremony, recognition
    transfer = "candidate.transfer"
    receive = "candidate.receive"  # a candidate received from another place brings their history (/nhanve)
    view_targets = "target.view"
    set_targets = "target.set"
    checkin = "candidate.checkin"  # a sponsor logs a meeting
    my_candidates = "sponsor.mine"
    my_status = "candidate.self"
    overview = "org.overview"  # the committee's read-only digest of its branches
    branch_settings = "org.settings"  # a branch's own settings (/chibo): its secretary and deputies
    undo = "candidate.undo"  # take back a removal, a review decision or an enrolment (models/undo.py)
    manage_members = "branch.members"  # the branch's roster of party members (/dangvien)
    import_register = "branch.import"  # how to bring a branch's existing register in (/nhap)
    report = "org.report"  # a report's files: a secretary's branch, a committee's subtree
    revoke_role = "role.revoke"  # end someone's role: see `revocable_grants`
    invite = "role.invite"  # a secretary invites a deputy, a sponsor or a candidate of the branch (/moi)
    hand_over = "branch.hand_over"  # the branch to a new secretary (/bangiao): see models/inviting.py
    record_consent = "candidate.consent"  # a consent given on paper (/dongy), by the person or a guardian
    my_data = "person.data"  # what chibo holds about me, and my requests about it (/dulieu)
    answer_data_request = "person.data_request"  # mark a /dulieu request acknowledged or done (/yeucau)


# What each role may do somewhere; where, is decided by the scope rules below.
BRANCH_WORK = frozenset({
    Action.register_candidate, Action.list_candidates, Action.view_candidate, Action.review,
    Action.assign_sponsor, Action.view_classes, Action.enrol_in_class, Action.record_class_result,
    Action.manage_dossier, Action.record_admission, Action.transfer, Action.receive, Action.view_targets,
    Action.undo,
    Action.branch_settings, Action.manage_members, Action.import_register, Action.record_consent,
    Action.answer_data_request,
})
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.admin: frozenset({Action.list_candidates, Action.view_candidate, Action.overview,
                           Action.view_targets, Action.set_targets, Action.create_class,
                           Action.view_classes, Action.report, Action.revoke_role, Action.hand_over,
                           Action.my_data}),
    Role.committee: frozenset({Action.list_candidates, Action.view_candidate, Action.overview,
                               Action.view_targets, Action.set_targets, Action.create_class,
                               Action.view_classes, Action.report, Action.revoke_role, Action.hand_over,
                               Action.my_data}),
    Role.secretary: BRANCH_WORK | {Action.create_class, Action.report, Action.revoke_role, Action.invite,
                                   Action.hand_over, Action.my_data},
    Role.deputy: BRANCH_WORK | {Action.create_class, Action.report, Action.my_data},
    Role.sponsor: frozenset({Action.list_candidates, Action.view_candidate, Action.checkin,
                             Action.my_candidates, Action.my_data}),
    Role.candidate: frozenset({Action.my_status, Action.my_data}),
}
# Actions that change a candidate: only in the candidate's own branch, never from above.
BRANCH_ONLY = frozenset({
    Action.register_candidate, Action.review, Action.assign_sponsor, Action.manage_dossier,
    Action.record_admission, Action.transfer, Action.receive, Action.enrol_in_class, Action.record_class_result,
    Action.undo,
    Action.manage_members, Action.import_register, Action.record_consent, Action.answer_data_request,
})
# Actions that only show: a command of one of these may run while a conversation waits for an
# answer, which is then asked again (bot/engine). A route whose action also covers writing
# says so itself (`reads=True`).
READ_ACTIONS = frozenset({
    Action.help, Action.list_candidates, Action.view_candidate, Action.view_targets, Action.view_classes,
    Action.my_candidates, Action.my_status, Action.overview,
})
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


def roles_in(actor: Actor, org_id: int) -> frozenset[Role]:
    """The roles a person holds in one organisation (e.g. the candidate's branch)."""
    return frozenset(g.role for g in actor.grants if g.org_id == org_id)


def branch_grants(actor: Actor, action: Action) -> list[Grant]:
    """The branches where this person acts as secretary or deputy."""
    return [g for g in actor.grants_for(action) if g.role in (Role.secretary, Role.deputy)]


def writes_for_branch(actor: Actor, branch_id: int) -> bool:
    """Secretary or deputy of this branch: the only ones who change its candidates' records
    (dossier, classes, admission steps), never from above."""
    return bool(roles_in(actor, branch_id) & {Role.secretary, Role.deputy})


def sees_several_branches(actor: Actor, action: Action) -> bool:
    """Whether register numbers alone may be ambiguous for this person (a committee's subtree,
    or roles in more than one branch): then candidates are named by reference ("TP-7")."""
    grants = actor.grants_for(action)
    return (any(g.role in (Role.committee, Role.admin) for g in grants)
            or len({g.org_id for g in grants}) > 1)


def candidate_scope(actor: Actor, action: Action) -> sa.ColumnElement[bool]:
    """A WHERE clause: the candidates this person may list or view, and no others."""
    clauses: list[sa.ColumnElement[bool]] = []
    for grant in actor.grants_for(action):
        if action in BRANCH_ONLY and grant.role not in (Role.secretary, Role.deputy):
            continue
        if grant.role in (Role.secretary, Role.deputy):
            clauses.append(Candidate.branch_id == grant.org_id)
        elif grant.role in (Role.committee, Role.admin):
            subtree = sa.select(Organisation.id).where(Organisation.path.startswith(grant.org_path))
            clauses.append(Candidate.branch_id.in_(subtree))
        elif grant.role == Role.sponsor and actor.person_id is not None:
            clauses.append(sa.and_(Candidate.branch_id == grant.org_id,
                                   Candidate.sponsor_id == actor.person_id))
        elif grant.role == Role.candidate and actor.person_id is not None:  # my_status, my_data
            clauses.append(Candidate.person_id == actor.person_id)
    return sa.or_(*clauses) if clauses else sa.false()


# Whose role a person may end in chat: a branch's secretary its sponsors and deputies; a
# committee (or an admin) the secretaries of the branches below it. Never one's own.
REVOKES_IN_BRANCH = {Role.secretary: (Role.sponsor, Role.deputy)}
REVOKES_BELOW = {Role.committee: (Role.secretary,), Role.admin: (Role.secretary,)}


def revocable_grants(actor: Actor) -> sa.ColumnElement[bool]:
    """A WHERE clause over RoleGrant joined with its Organisation: the roles this person may end."""
    clauses: list[sa.ColumnElement[bool]] = []
    for grant in actor.grants_for(Action.revoke_role):
        if grant.role in REVOKES_IN_BRANCH:
            clauses.append(sa.and_(RoleGrant.org_id == grant.org_id,
                                   RoleGrant.role.in_([r.value for r in REVOKES_IN_BRANCH[grant.role]])))
        elif grant.role in REVOKES_BELOW:
            clauses.append(sa.and_(Organisation.path.startswith(grant.org_path), RoleGrant.org_id != grant.org_id,
                                   RoleGrant.role.in_([r.value for r in REVOKES_BELOW[grant.role]])))
    if not clauses or actor.person_id is None:
        return sa.false()
    return sa.and_(sa.or_(*clauses), RoleGrant.person_id != actor.person_id)


# The tables' own columns, not the mapped classes' attributes: a query of these is plain Core,
# which SQLAlchemy runs without the ORM's compile and loading steps (the engine reads the actor
# with every message: bot/engine/chat_row.py).
_PERSON, _GRANT, _ORG, _LINK = (Person.__table__.c, RoleGrant.__table__.c, Organisation.__table__.c,
                                ChatLink.__table__.c)
ACTOR_COLUMNS = (_PERSON.id, _PERSON.full_name, _GRANT.role, _ORG.id, _ORG.path, _ORG.name)
# One order every time, so that "the first branch" and every numbered list of branches never
# depend on how the database happens to return rows.
ACTOR_ORDER = (_ORG.name, _ORG.id, _GRANT.role)


def actor_joins(query: sa.Select, *, channel: Any, account_id: Any) -> sa.Select:
    """`query` (whose FROM comes first) joined, outer, to the chat account's person and roles:
    ACTOR_COLUMNS are NULL for an account linked to no one."""
    return (query.outerjoin(ChatLink.__table__, sa.and_(_LINK.channel == channel, _LINK.account_id == account_id))
            .outerjoin(Person.__table__, _PERSON.id == _LINK.person_id)
            .outerjoin(RoleGrant.__table__, _GRANT.person_id == _PERSON.id)
            .outerjoin(Organisation.__table__, _ORG.id == _GRANT.org_id))


def actor_of(rows: Sequence[Sequence[Any]]) -> Actor:
    """The Actor from rows whose last six columns are ACTOR_COLUMNS."""
    grants = tuple(Grant(role=Role(r[-4]), org_id=r[-3], org_path=r[-2], org_name=r[-1])
                   for r in rows if r[-4] is not None)
    if not grants:  # unlinked, or every role taken back (models/access.py): a stranger
        return Actor(person_id=None)
    return Actor(person_id=rows[0][-6], full_name=rows[0][-5], grants=grants)


# One row (of NULLs) even for an account linked to no one.
_ACTOR = actor_joins(sa.select(*ACTOR_COLUMNS).select_from(sa.select(sa.literal(1).label("one")).subquery()),
                     channel=sa.bindparam("channel"), account_id=sa.bindparam("account_id")).order_by(*ACTOR_ORDER)


async def load_actor(*, db: Statements, channel: str, account_id: str) -> Actor:
    """The person behind a chat account, with every role they hold and where."""
    return actor_of(await db.rows(_ACTOR, {"channel": channel, "account_id": account_id}))


# ---- Classes: who sees which, and who may write ------------------------------------------

CLASS_ABOVE = frozenset({Role.committee, Role.admin})


def classes_seen_by(actor: Actor) -> sa.ColumnElement[bool]:
    """Classes of my organisations and of those above them; a committee also sees its subtree's."""
    grants = actor.grants_for(Action.view_classes)
    return visible_from(at=[g.org_path for g in grants],
                        below=[g.org_path for g in grants if g.role in CLASS_ABOVE])


def class_writer_grants(actor: Actor) -> list[Grant]:
    """The branches where I enrol candidates and record results (secretary or deputy)."""
    return branch_grants(actor, Action.enrol_in_class)


def classes_writable_by(actor: Actor) -> sa.ColumnElement[bool]:
    """Classes visible to a branch where I am secretary or deputy."""
    return visible_from(at=[g.org_path for g in class_writer_grants(actor)])


def class_branch_ids(actor: Actor) -> list[int]:
    return [g.org_id for g in class_writer_grants(actor)]
