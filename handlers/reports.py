"""/baocao: a report's files for a secretary's branch or for an organisation in a committee's
subtree. Console: the files are written under the data folder and their paths shown;
Telegram: sent as documents; Zalo: the summary and a signed link to the report's page when chibo
has a public address (bot/report_pages.py), else the summary and where to get the files.
One candidate's file (kind "file") asks whose, within the same reach and the chosen
organisation, and in which format."""

import tempfile
from datetime import date
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar


from bot.events import CONSOLE
from bot.engine.fields import Field, Invalid, parse_choice
from bot.engine.flow import Answers, Ask, Context, Flow, Start
from bot.engine.pickers import CandidatePicker
from bot.events import Attachment, Choice, Reply
from bot.reports import read_period, send_words
from bot.reports.document import period_words, word
from bot.reports.make import ReportKind, fits, make_report
from handlers.shared.report_page import formats_for_zalo, on_zalo, page_replies
from handlers.shared.report_send import MIME, SENDS, officer_of, send_report, typed
from models.audit import audit
from models.candidate import Candidate
from models.org import Organisation
from models.policy import Action
from models.reports.periods import PeriodError, ReportPeriod, month_of, parse_report_period
from models.reports.scope import orgs_in_scope as scoped_orgs
from models.rules import add_months
from models.stage import OrgKind
from models.text import fold, number, tidy

FORMATS = ["xlsx", "docx", "pdf", "png"]  # an image goes to Telegram as a photo
FILE_FORMATS = ["xlsx", "docx", "pdf"]  # one candidate's file has no chart
ORGS_OFFERED = 10  # choices shown; more are found by name


async def orgs_in_scope(ctx: Context) -> list[Organisation]:
    """What this person may report on, and nothing else (models/reports/scope.py)."""
    return await scoped_orgs(session=ctx.session, actor=ctx.actor)


def _org_value(org: Organisation) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "branch": org.kind == OrgKind.branch, "path": org.path}


@dataclass(frozen=True)
class ReportOrgField(Field):
    """The organisation reported on: by number in the list shown or by words of its name, only
    among those in the person's scope (one outside reads as one that does not exist)."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "reports_org_unknown", "reports_org_ambiguous")

    @staticmethod
    def _choices(orgs: list[Organisation]) -> tuple[Choice, ...]:
        return tuple(Choice(o.name, f"org:{o.id}") for o in orgs[:ORGS_OFFERED])

    async def offered(self, ctx: Context) -> tuple[Choice, ...]:
        return self._choices(await orgs_in_scope(ctx))

    async def preset(self, ctx: Context) -> Any:
        orgs = await orgs_in_scope(ctx)
        return _org_value(orgs[0]) if len(orgs) == 1 else None

    async def resolve(self, text: str, ctx: Context) -> Any:
        orgs = await orgs_in_scope(ctx)
        query = tidy(text)
        if not query:
            return Invalid("empty", choices=self._choices(orgs))
        if query.startswith("org:"):
            found = [o for o in orgs if f"org:{o.id}" == query]
        elif (picked := number(query)) is not None:
            found = [orgs[picked - 1]] if 1 <= picked <= min(len(orgs), ORGS_OFFERED) else []
        else:
            words = fold(query).split()
            found = [o for o in orgs if all(w in fold(o.name) for w in words)]
        if not found:
            return Invalid("reports_org_unknown", {"text": query[:50]}, choices=self._choices(orgs))
        if len(found) > 1:
            return Invalid("reports_org_ambiguous", {"count": len(found)}, choices=self._choices(found))
        return _org_value(found[0])

    def show(self, value: Any) -> str:
        return value["name"]


@dataclass(frozen=True)
class KindField(Field):
    reasons: ClassVar[tuple[str, ...]] = ("empty", "choice_unknown")

    def choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(word("kind", k.value), k.value) for k in ReportKind)

    def parse(self, text: str, today) -> Any:
        return parse_choice(text, self.choices())

    def show(self, value: Any) -> str:
        return word("kind", value)


# The periods offered for each kind, worked out from today: (words key, period).
def _offers(kind: ReportKind, ctx: Context) -> list[tuple[str, ReportPeriod]]:
    today = ctx.today
    this_month = month_of(today)

    def read(text: str) -> ReportPeriod:
        return parse_report_period(text, today=today)

    if kind == ReportKind.monthly:
        return [("this_month", this_month), ("last_month", month_of(add_months(this_month.start, -1)))]
    if kind == ReportKind.quarterly:
        quarter = (today.month - 1) // 3 + 1
        last = read(f"{today.year}-Q{quarter - 1}") if quarter > 1 else read(f"{today.year - 1}-Q4")
        return [("this_quarter", read(f"{today.year}-Q{quarter}")), ("last_quarter", last)]
    if kind == ReportKind.half_year:
        halves = [read(f"{today.year}-H1")] + ([read(f"{today.year}-H2")] if today.month > 6 else [])
        return [("half", h) for h in reversed(halves)] + [("half", read(f"{today.year - 1}-H2"))]
    school = read(f"{today.year}-{today.year + 1}") if today.month >= 9 else read(f"{today.year - 1}-{today.year}")
    return [("year", read(str(today.year))), ("school_year", school), ("year", read(str(today.year - 1)))]


@dataclass(frozen=True)
class PeriodField(Field):
    """The period: one of those offered, or typed ("11/2026", "Q3/2026", "6 tháng đầu năm 2026")."""

    kind: ReportKind = ReportKind.monthly
    reasons: ClassVar[tuple[str, ...]] = ("empty", "reports_period_unreadable", "reports_period_future",
                                          "reports_period_kind")

    async def offered(self, ctx: Context) -> tuple[Choice, ...]:
        return tuple(Choice(word("offer", key).format(period=period_words(p)), p.label)
                     for key, p in _offers(self.kind, ctx))

    async def resolve(self, text: str, ctx: Context) -> Any:
        choices = await self.offered(ctx)
        query = tidy(text)
        if not query:
            return Invalid("empty", choices=choices)
        picked = parse_choice(query, choices)
        period = read_period(picked if isinstance(picked, str) else query, today=ctx.today)
        if isinstance(period, PeriodError):
            return Invalid(f"reports_period_{period.value}", {"text": query[:50]}, choices=choices)
        if not fits(self.kind, period):
            return Invalid("reports_period_kind", {"text": query[:50], "kind": self.kind.value}, choices=choices)
        return period.label

    def show(self, value: Any) -> str:
        return period_words(read_period(value, today=date.max))


def _needs(kind: ReportKind):
    return lambda answers: answers.get("kind") == kind.value


def _is_committee(value: Any, answers: Answers, ctx: Context) -> Invalid | None:
    if value == ReportKind.rollup.value and answers["org"]["branch"]:
        return Invalid("reports_rollup_branch", {"org": answers["org"]["name"]})
    return None


@dataclass(frozen=True)
class FileCandidateField(CandidatePicker):
    """The candidate whose file is made: the same reach as the reports (a secretary's branch, a
    committee's subtree); the value also keeps the branch's path, to check it is in the chosen org."""

    action: Action = Action.report
    reasons: ClassVar[tuple[str, ...]] = CandidatePicker.reasons + ("reports_candidate_elsewhere",)

    async def picked(self, ctx: Any, candidate: Candidate) -> Any:
        branch = await ctx.session.get(Organisation, candidate.branch_id)
        return {**await super().picked(ctx, candidate), "branch_path": branch.path}


def _in_org(value: Any, answers: Answers, ctx: Context) -> Invalid | None:
    org = answers["org"]
    if not value["branch_path"].startswith(org.get("path", "/")):
        return Invalid("reports_candidate_elsewhere", {"name": value["full_name"], "org": org["name"]})
    return None


@dataclass(frozen=True)
class FormatField(Field):
    """The format of one candidate's file: one of the writers, or all of them."""

    reasons: ClassVar[tuple[str, ...]] = ("empty", "choice_unknown")

    def choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(word("format", f), f) for f in [*FILE_FORMATS, "all"])

    def parse(self, text: str, today) -> Any:
        return parse_choice(text, self.choices())

    def show(self, value: Any) -> str:
        return word("format", value)


async def start(ctx: Context, args: str) -> Start:
    first, _, rest = tidy(args).partition(" ")
    if fold(first) in send_words():  # "/baocao gửi [kỳ]": the report sent up in one step
        return Start(proceed=False, replies=tuple(await send_report(ctx, tidy(rest), FORMATS)))
    if not await orgs_in_scope(ctx):
        return Start(proceed=False, replies=(Reply("reports/nothing"),))
    return Start()


async def make(ctx: Context, answers: Answers) -> list[Reply]:
    org = next((o for o in await orgs_in_scope(ctx) if o.id == answers["org"]["id"]), None)
    if org is None:  # no longer in scope since it was chosen
        return [Reply("invalid/reports_org_unknown", {"text": answers["org"]["name"]})]
    kind = ReportKind(answers["kind"])
    if kind == ReportKind.file:
        return await _file(ctx, org, answers)
    label = next((answers[k] for k in ("month", "quarter", "half", "year") if answers.get(k)), None)
    period = read_period(label, today=ctx.today) if label else None
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.report,
          subject=f"org:{org.id}")
    values = {"kind": kind.value, "org": org.name, "period": period_words(period) if period else ""}
    if kind in SENDS and org.parent_id and officer_of(ctx, org.id):  # how to send it up, in one step
        values["send"] = typed(period)
    if ctx.incoming.channel == CONSOLE:
        out = Path(ctx.settings.data_dir) / "reports"
        made = await make_report(session=ctx.session, kind=kind, org=org, period=period, today=ctx.today,
                                 formats=FORMATS, out=out)
        return [Reply("reports/summary", {**values, "s": made.summary, "paths": [str(p) for p in made.files]})]
    with tempfile.TemporaryDirectory() as folder:
        made = await make_report(session=ctx.session, kind=kind, org=org, period=period, today=ctx.today,
                                 formats=formats_for_zalo(ctx, FORMATS) if on_zalo(ctx) else FORMATS,
                                 out=Path(folder))
        if on_zalo(ctx):  # no files on Zalo: the report's page, or where to get the files
            shown = {**values, "s": made.summary, "paths": []}
            return [Reply("reports/summary", shown),
                    *page_replies(ctx, made=made, kind=kind, org=org, period=period,
                                  summary={k: v for k, v in shown.items() if k != "send"})]
        files = [Attachment(p.name, MIME[p.suffix[1:]], p.read_bytes()) for p in made.files]
    return [Reply("reports/summary", {**values, "s": made.summary, "paths": []}),
            *(Reply("reports/file", {"name": f.name}, file=f) for f in files)]


async def _file(ctx: Context, org: Organisation, answers: Answers) -> list[Reply]:
    """One candidate's file, made for the candidate's own branch, in the format chosen."""
    person = answers["candidate"]
    candidate = await ctx.session.get(Candidate, person["id"])
    branch = await ctx.session.get(Organisation, candidate.branch_id) if candidate else None
    if branch is None or not branch.path.startswith(org.path):  # moved away since it was chosen
        return [Reply("invalid/reports_candidate_elsewhere", {"name": person["full_name"], "org": org.name})]
    audit(session=ctx.session, at=ctx.now, person_id=ctx.actor.person_id, action=Action.report,
          subject=f"candidate:{candidate.id}")
    formats = FILE_FORMATS if answers["format"] == "all" else [answers["format"]]
    values = {"kind": ReportKind.file.value, "org": branch.name, "period": "", "s": {"name": person["full_name"]}}

    async def write(out: Path, wanted: list[str]):
        return await make_report(session=ctx.session, kind=ReportKind.file, org=branch, period=None,
                                 today=ctx.today, formats=wanted, out=out, candidate=candidate.number)

    if ctx.incoming.channel == CONSOLE:
        made = await write(Path(ctx.settings.data_dir) / "reports", formats)
        return [Reply("reports/summary", {**values, "paths": [str(p) for p in made.files]})]
    with tempfile.TemporaryDirectory() as folder:
        if on_zalo(ctx):  # no files on Zalo: the file's page, or where to get the files
            made = await write(Path(folder), formats_for_zalo(ctx, formats))
            shown = {**values, "paths": []}
            return [Reply("reports/summary", shown),
                    *page_replies(ctx, made=made, kind=ReportKind.file, org=branch, period=None, summary=shown,
                                  candidate=candidate.number)]
        made = await write(Path(folder), formats)
        files = [Attachment(p.name, MIME[p.suffix[1:]], p.read_bytes()) for p in made.files]
    return [Reply("reports/summary", {**values, "paths": []}),
            *(Reply("reports/file", {"name": f.name}, file=f) for f in files)]


report_flow = Flow(
    name="report",
    commands=("/baocao",),
    action=Action.report,
    help="help/baocao",
    steps=(
        Ask("org", "reports/ask_org", ReportOrgField(), label="reports/label_org"),
        Ask("kind", "reports/ask_kind", KindField(), validate=_is_committee, label="reports/label_kind"),
        Ask("candidate", "reports/ask_candidate", FileCandidateField(), when=_needs(ReportKind.file),
            validate=_in_org, label="reports/label_candidate"),
        Ask("format", "reports/ask_format", FormatField(), when=_needs(ReportKind.file),
            label="reports/label_format"),
        Ask("month", "reports/ask_period", PeriodField(ReportKind.monthly), when=_needs(ReportKind.monthly),
            label="reports/label_period"),
        Ask("quarter", "reports/ask_period", PeriodField(ReportKind.quarterly), when=_needs(ReportKind.quarterly),
            label="reports/label_period"),
        Ask("half", "reports/ask_period", PeriodField(ReportKind.half_year), when=_needs(ReportKind.half_year),
            label="reports/label_period"),
        Ask("year", "reports/ask_period", PeriodField(ReportKind.yearly),
            when=lambda a: a.get("kind") in (ReportKind.yearly.value, ReportKind.rollup.value),
            label="reports/label_period"),
    ),
    start=start,
    done=make,
)

routes = [report_flow]
