"""People's requests about their data (/dulieu) on the command line: `chibo person requests`
lists them (names are for the operator's terminal only, never the log), `chibo person answer`
marks one acknowledged or done with what was done. The operator answers the requests no one in
chat answers (a committee member's: models/data_requests.py), and may answer any other.

Mounted on `chibo person` by bot/cli.py. Each answer is audited (the request's subject, no
operator id) and the person is told on chat, as /yeucau does.
"""

import typer

from bot.cli_access import _help, _run, _say, person_app
from models.stage import OrgKind


@person_app.command("requests", help=_help("person_requests"))
def person_requests(
    overdue_only: bool = typer.Option(False, "--overdue", help=_help("person_requests_overdue")),
    every: bool = typer.Option(False, "--all", help=_help("person_requests_all")),
) -> None:
    from models.consent import RequestKind
    from models.data_requests import every_request, is_overdue

    async def work(chibo) -> int:
        today = chibo.clock.today()
        async with chibo.sessions() as session:
            rows = (await session.exec(every_request(done=every))).all()
        shown = [{"id": r.id, "person_id": r.person_id, "number": number, "name": name,
                  "kind": RequestKind(r.kind).value, "detail": r.detail, "made_on": r.made_on,
                  "acknowledge_by": r.acknowledge_by, "act_by": r.act_by, "acknowledged_on": r.acknowledged_on,
                  "done_on": r.done_on, "outcome": r.outcome, "org": org, "operator": kind != OrgKind.branch,
                  "overdue": is_overdue(r, today)}
                 for r, number, name, org, kind in rows]
        if overdue_only:
            shown = [r for r in shown if r["overdue"]]
        _say("requests", rows=shown, every=every, overdue_only=overdue_only)
        return 0

    _run(work)


@person_app.command("answer", help=_help("person_answer"))
def person_answer(
    request_id: int = typer.Argument(..., help=_help("request_id")),
    done: bool = typer.Option(False, "--done", help=_help("person_answer_done")),
    outcome: str = typer.Option("", "--outcome", help=_help("person_answer_outcome")),
) -> None:
    from models.consent import Answer, DataRequest
    from models.data_requests import mark

    if done and not outcome.strip():
        _say("answer_no_outcome", id=request_id)
        raise typer.Exit(1)

    async def work(chibo) -> int:
        async with chibo.sessions() as session, session.begin():
            request = await session.get(DataRequest, request_id)
            if request is None or request.done_on is not None:
                _say("answer_not_open", id=request_id, done=request is not None)
                return 1
            kind = Answer.done if done else Answer.acknowledged
            told = await mark(session=session, request=request, kind=kind, today=chibo.clock.today(),
                              now=chibo.clock.now(), by=None, outcome=outcome.strip() or None)
            act_by = request.act_by
        _say("answered", id=request_id, answer=kind.value, act_by=act_by, told=told)
        return 0

    _run(work)
