"""The one way a question names a candidate: by register number, by reference, or by name.

Every flow that works on one person asks with a CandidatePicker (or a subclass that adds what
its later questions need). On its screens a number means one thing only: the register number
a secretary sees in /ds ("7"), or, for someone who sees several branches, the branch's code and
that number ("TP-7"). A list of people shows those keys, never places in the list. A name is
matched without accents, whole words first, a page at a time; after a few misses in a row the
flow stops and says how to start again.
"""

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import sqlalchemy as sa

from bot.engine.fields import Field, Invalid
from bot.events import Choice
from bot.render import labels
from models.candidate import Candidate, candidate_ref, find_candidates
from models.org import org_codes
from models.policy import Action, candidate_scope, sees_several_branches
from models.privacy import carried_by, initials, shows_names
from models.stage import Stage
from models.text import tidy

# The value of "next page": the page, then what was typed (empty: the list of the stages).
_MORE = re.compile(r"^more:(\d{1,4}):(.*)$", re.S)


def more_key() -> str:
    """The word typed for the next page of a list keyed by numbers (messages/vi/common/labels.j2)."""
    return labels("more")["key"]


@dataclass(frozen=True)
class CandidatePicker(Field):
    """A candidate the person may reach for `action`. With `stages`, those at these stages are
    looked at first (and listed when the question is asked, if `lists`); someone at another
    stage is still found, so that the flow can say why not, unless `only_stages`."""

    action: Action = Action.view_candidate
    stages: tuple[Stage, ...] = ()
    only_stages: bool = False
    lists: bool = False
    not_found: str = "candidate_not_found"
    ambiguous: str = "candidate_ambiguous"
    reasons: ClassVar[tuple[str, ...]] = ("empty", "candidate_not_found", "candidate_ambiguous", "candidate_page")
    attempts: ClassVar[int | None] = 4

    # --- what the question shows ---------------------------------------------------------

    async def offered(self, ctx: Any) -> tuple[Choice, ...]:
        if not self.lists:
            return ()
        return await self._choices(ctx, "", 1)

    # --- what was typed --------------------------------------------------------------

    async def resolve(self, text: str, ctx: Any) -> Any:
        query, page = tidy(text), 1
        if more := _MORE.match(query):
            page, query = max(int(more.group(1)), 1), more.group(2)
            choices = await self._choices(ctx, query, page)
            return Invalid("candidate_page", {"page": page, "text": query[:50]}, choices=choices, counts=False)
        if not query:
            return Invalid("empty", choices=await self.offered(ctx))
        found = await self._find(ctx, query, 0, 2)
        if not found:
            return Invalid(self.not_found, {"text": query[:50]})
        if len(found) == 1:
            return await self.picked(ctx, found[0])
        choices = await self._choices(ctx, query, 1)
        count = sum(1 for c in choices if c.key != more_key())
        return Invalid(self.ambiguous, {"count": count, "text": query[:50],
                                        "more": any(c.key == more_key() for c in choices)},
                       choices=choices, counts=False)

    async def picked(self, ctx: Any, candidate: Candidate) -> Any:
        """The value kept for the flow: what later questions and the confirmation need. On a
        channel the branch does not allow for personal data, the name is kept as initials, so
        that no question, confirmation or answer built from it shows it (models/privacy.py)."""
        shown = await shows_names(ctx.session, candidate.branch_id, ctx.incoming.channel)
        return {"id": candidate.id, "number": candidate.number,
                "full_name": candidate.full_name if shown else initials(candidate.full_name),
                "stage": str(candidate.stage), "branch_id": candidate.branch_id,
                "birth_date": candidate.birth_date.isoformat()}

    def show(self, value: Any) -> str:
        return f"{value['number']}. {value['full_name']}"

    # --- pieces ----------------------------------------------------------------------

    def _scopes(self, ctx: Any) -> list[sa.ColumnElement[bool]]:
        scope = candidate_scope(ctx.actor, self.action)
        if not self.stages:
            return [scope]
        preferred = sa.and_(scope, Candidate.stage.in_(self.stages))
        return [preferred] if self.only_stages else [preferred, scope]

    async def _find(self, ctx: Any, query: str, offset: int, limit: int) -> list[Candidate]:
        """One page of matches, from the first scope that has any (an empty query lists the stages)."""
        if not query and not self.stages:
            return []
        scopes = self._scopes(ctx)
        for where in scopes:
            found = await find_candidates(session=ctx.session, where=where, query=query, limit=limit, offset=offset)
            if found or where is scopes[-1]:
                return found
            if offset and await find_candidates(session=ctx.session, where=where, query=query, limit=1):
                return found  # this scope has matches, only none on this page
        return []

    async def _choices(self, ctx: Any, query: str, page: int) -> tuple[Choice, ...]:
        size = ctx.settings.page_size
        found = await self._find(ctx, query, (page - 1) * size, size + 1)
        shown = found[:size]
        codes = await self._codes(ctx, shown)
        stage_names = labels("stage")
        full = await carried_by(ctx.session, {c.branch_id for c in shown}, ctx.incoming.channel)
        choices = [Choice(f"{c.full_name} ({c.birth_date.year}) — {stage_names[c.stage]}" if full[c.branch_id]
                          else f"{initials(c.full_name)} — {stage_names[c.stage]}", f"id:{c.id}",
                          key=candidate_ref(codes.get(c.branch_id), c.number)) for c in shown]
        if len(found) > size:
            choices.append(Choice(labels("more")["next"], f"more:{page + 1}:{query}", key=more_key()))
        return tuple(choices)

    async def _codes(self, ctx: Any, people: list[Candidate]) -> dict[int, str]:
        """Branch codes, where the person sees several branches (else the number alone is unique)."""
        if not people or not sees_several_branches(ctx.actor, self.action):
            return {}
        return await org_codes(session=ctx.session, ids={c.branch_id for c in people})
