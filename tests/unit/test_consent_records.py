"""Consents and data requests kept in the database, asked directly on the demo: what a recorded
consent holds, what each candidate's consents add up to, who sees only the notice until they
consent, and which requests are overdue (mutation testing of models/consent.py found these
unguarded by fast tests). In the demo only Lê Hoàng Minh (quanchung) has consented, in chat."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models.candidate import Candidate
from models.consent import (NOTICE_VERSION, OFFICER_PURPOSES, PURPOSES, Answer, Consent, DataRequest, GivenBy, Method,
                            RequestKind, answer, candidate_standing, consents_of, flags_of, new_request,
                            open_requests, overdue_requests_by_branch, own_consents, record, record_own,
                            standings_of, waiting_candidate, waiting_people, withdraw, withdraw_own)
from models.org import Organisation
from models.people import Person, RoleGrant
from tests.unit.demo_rows import candidate

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


async def person(db, name) -> int:
    return (await db.exec(sa.select(Person.id).where(Person.full_name == name)
                          .order_by(Person.id).limit(1))).scalar_one()


async def branch(db, name) -> int:
    return (await db.exec(sa.select(Organisation.id).where(Organisation.name == name))).scalar_one()


async def test_a_consent_on_paper_keeps_who_gave_it_how_when_and_what_it_covers(db):
    an = await candidate(db, "Nguyễn Văn An")
    bithu = await person(db, "Nguyễn Thị Thu")
    record(session=db, candidate_id=an.id, given_by=GivenBy.guardian, method=Method.paper,
           given_on=date(2026, 2, 27), sensitive=True, now=NOW + timedelta(hours=1), recorded_by=bithu,
           guardian_name="Nguyễn Văn Ba", guardian_relation="bố")
    record(session=db, candidate_id=an.id, given_by=GivenBy.self, method=Method.chat, given_on=TODAY,
           sensitive=False, now=NOW)
    await db.flush()
    first, second = await consents_of(db, an.id)  # in the order they were given
    assert (first.given_by, first.method, first.given_on, first.categories, first.recorded_by,
            first.guardian_name, first.guardian_relation) == (
        GivenBy.self, Method.chat, TODAY, "basic", None, None, None)
    assert (second.given_by, second.method, second.given_on, second.categories, second.recorded_by,
            second.guardian_name, second.guardian_relation) == (
        GivenBy.guardian, Method.paper, date(2026, 2, 27), "basic,ethnicity,religion", bithu, "Nguyễn Văn Ba", "bố")
    assert (second.notice_version, second.purposes, second.withdrawn_at) == (NOTICE_VERSION, PURPOSES, None)
    assert second.at.replace(tzinfo=UTC) == NOW + timedelta(hours=1)
    assert await consents_of(db, (await candidate(db, "Trần Thị Bích Ngọc")).id) == []


async def test_a_withdrawal_ends_every_consent_in_force_once(db):
    minh = await candidate(db, "Lê Hoàng Minh")
    assert (await candidate_standing(db, minh)).state == "ok"
    assert await withdraw(db, minh.id, NOW) == 1
    assert (await candidate_standing(db, minh)).state == "withdrawn"
    assert [c.withdrawn_at.replace(tzinfo=UTC) for c in await consents_of(db, minh.id)] == [NOW]
    assert await withdraw(db, minh.id, NOW + timedelta(days=1)) == 0  # nothing left in force
    assert [c.withdrawn_at.replace(tzinfo=UTC) for c in await consents_of(db, minh.id)] == [NOW]



async def test_a_withdrawal_clears_the_candidates_ethnicity_and_religion_and_no_one_elses(db):
    """Decree 356/2025: ethnicity and religion are stored only while a consent in force names
    them; withdrawing ends them for this candidate, never for another."""
    minh, ngoc = await candidate(db, "Lê Hoàng Minh"), await candidate(db, "Trần Thị Bích Ngọc")
    for c in (minh, ngoc):
        c.ethnic_minority, c.religious = True, True
    await db.flush()
    assert await withdraw(db, minh.id, NOW) == 1
    rows = (await db.exec(sa.select(Candidate.id, Candidate.ethnic_minority, Candidate.religious)
                          .where(Candidate.id.in_([minh.id, ngoc.id])))).all()
    assert {tuple(r) for r in rows} == {(minh.id, False, False), (ngoc.id, True, True)}
    # a candidate with nothing in force to withdraw: the flags are cleared all the same
    assert await withdraw(db, ngoc.id, NOW) == 0
    flags = (await db.exec(sa.select(Candidate.ethnic_minority, Candidate.religious)
                           .where(Candidate.id == ngoc.id))).one()
    assert tuple(flags) == (False, False)

async def test_standings_of_several_candidates_in_one_pass(db):
    minh, an, ngoc = [await candidate(db, n) for n in ("Lê Hoàng Minh", "Nguyễn Văn An", "Trần Thị Bích Ngọc")]
    record(session=db, candidate_id=ngoc.id, given_by=GivenBy.self, method=Method.paper, given_on=TODAY,
           sensitive=True, now=NOW)
    await db.flush()
    found = await standings_of(db, [minh, an, ngoc])
    assert {k: (v.state, v.sensitive) for k, v in found.items()} == {
        minh.id: ("ok", False), an.id: ("missing", False), ngoc.id: ("ok", True)}
    assert found[an.id] == await candidate_standing(db, an)
    assert await standings_of(db, []) == {}


async def test_the_flag_beside_a_name_only_for_a_linked_person_or_one_with_a_consent_on_file(db):
    minh, an, ngoc, son = [await candidate(db, n) for n in (
        "Lê Hoàng Minh", "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Trịnh Công Sơn")]
    record(session=db, candidate_id=ngoc.id, given_by=GivenBy.self, method=Method.paper, given_on=TODAY,
           sensitive=False, now=NOW)
    await db.flush()
    await withdraw(db, ngoc.id, NOW)
    son.person_id = await person(db, "Trần Văn Bình")  # linked, never consented
    await db.flush()
    assert await flags_of(db, [minh, an, ngoc, son]) == {
        minh.id: None, an.id: None, ngoc.id: "withdrawn", son.id: "missing"}
    assert await flags_of(db, []) == {}


async def test_a_linked_candidate_sees_only_the_notice_until_her_own_consent(db):
    minh = await candidate(db, "Lê Hoàng Minh")
    me = minh.person_id
    assert await waiting_candidate(db, me) is None
    assert me not in set((await db.exec(waiting_people())).scalars())
    await withdraw(db, minh.id, NOW)
    assert (await waiting_candidate(db, me)).id == minh.id
    assert set((await db.exec(waiting_people())).scalars()) == {me}  # unlinked candidates are nobody's
    # a guardian's consent is not her own
    record(session=db, candidate_id=minh.id, given_by=GivenBy.guardian, method=Method.paper, given_on=TODAY,
           sensitive=False, now=NOW)
    await db.flush()
    assert (await waiting_candidate(db, me)).id == minh.id
    assert set((await db.exec(waiting_people())).scalars()) == {me}
    record(session=db, candidate_id=minh.id, given_by=GivenBy.self, method=Method.paper, given_on=TODAY,
           sensitive=False, now=NOW)
    await db.flush()
    assert await waiting_candidate(db, me) is None
    assert set((await db.exec(waiting_people())).scalars()) == set()


async def test_waiting_is_only_for_a_person_holding_the_candidate_role_in_her_branch(db):
    minh = await candidate(db, "Lê Hoàng Minh")
    await withdraw(db, minh.id, NOW)
    assert await waiting_candidate(db, None) is None
    assert await waiting_candidate(db, await person(db, "Nguyễn Thị Thu")) is None  # the secretary
    grant = (await db.exec(sa.select(RoleGrant).where(RoleGrant.person_id == minh.person_id))).scalar_one()
    grant.org_id = await branch(db, SECOND_BRANCH)
    await db.flush()
    assert await waiting_candidate(db, minh.person_id) is None
    grant.org_id, grant.role = minh.branch_id, "sponsor"
    await db.flush()
    assert await waiting_candidate(db, minh.person_id) is None


async def test_a_request_is_due_in_2_and_15_working_days_and_overdue_after(db):
    minh, ngo = await candidate(db, "Lê Hoàng Minh"), await candidate(db, "Ngô Đức Thắng")
    asked = new_request(session=db, candidate_id=minh.id, person_id=minh.person_id, kind=RequestKind.correct,
                        detail="Sai ngày sinh", today=TODAY, now=NOW)
    await db.flush()
    kept = await db.get(DataRequest, asked.id)
    assert (kept.candidate_id, kept.person_id, kept.kind, kept.detail, kept.made_on, kept.acknowledge_by,
            kept.act_by, kept.acknowledged_on, kept.done_on) == (
        minh.id, minh.person_id, RequestKind.correct, "Sai ngày sinh", TODAY, date(2026, 3, 4), date(2026, 3, 23),
        None, None)
    assert kept.at.replace(tzinfo=UTC) == NOW
    tp, second = await branch(db, BRANCH), await branch(db, SECOND_BRANCH)
    assert await overdue_requests_by_branch(db, date(2026, 3, 4)) == {}  # the last day to acknowledge
    assert await overdue_requests_by_branch(db, date(2026, 3, 5)) == {tp: 1}
    kept.acknowledged_on = date(2026, 3, 3)
    await db.flush()
    assert await overdue_requests_by_branch(db, date(2026, 3, 5)) == {}  # acknowledged in time
    assert await overdue_requests_by_branch(db, date(2026, 3, 23)) == {}  # the last day to act
    assert await overdue_requests_by_branch(db, date(2026, 3, 24)) == {tp: 1}
    other = new_request(session=db, candidate_id=ngo.id, person_id=minh.person_id, kind=RequestKind.erase,
                        detail=None, today=TODAY, now=NOW)
    new_request(session=db, candidate_id=minh.id, person_id=minh.person_id, kind=RequestKind.withdraw,
                detail=None, today=TODAY, now=NOW)
    await db.flush()
    assert await overdue_requests_by_branch(db, date(2026, 3, 24)) == {tp: 2, second: 1}
    other.done_on = date(2026, 3, 20)
    await db.flush()
    assert await overdue_requests_by_branch(db, date(2026, 3, 24)) == {tp: 2}  # done: never overdue


async def linked_candidate(db, name) -> tuple[Candidate, int]:
    """A candidate of the demo given a chat person holding the candidate role in her branch."""
    found = await candidate(db, name)
    me = Person(full_name=name, created_at=NOW)
    db.add(me)
    await db.flush()
    found.person_id = me.id
    db.add(RoleGrant(person_id=me.id, org_id=found.branch_id, role="candidate"))
    await db.flush()
    return found, me.id


async def test_another_candidates_consent_or_role_or_an_officers_consent_never_stands_for_hers(db):
    """Lê Hoàng Minh has consented in the demo: Nguyễn Văn An, newly linked, still sees only the
    notice; an officer's own consent (of no candidate) changes nothing; and Minh, once no longer a
    candidate, is not held back by An's candidate role in the same branch."""
    an, an_person = await linked_candidate(db, "Nguyễn Văn An")
    minh = await candidate(db, "Lê Hoàng Minh")
    record_own(session=db, person_id=await person(db, "Nguyễn Thị Thu"), now=NOW, today=TODAY)
    await db.flush()
    assert (await waiting_candidate(db, an_person)).id == an.id
    assert await waiting_candidate(db, minh.person_id) is None
    assert set((await db.exec(waiting_people())).scalars()) == {an_person}
    await withdraw(db, minh.id, NOW)
    grant = (await db.exec(sa.select(RoleGrant).where(RoleGrant.person_id == minh.person_id))).scalar_one()
    grant.role = "member"  # admitted: no longer a candidate
    await db.flush()
    assert await waiting_candidate(db, minh.person_id) is None


async def test_an_officers_own_consents_are_kept_listed_in_order_and_withdrawn_together(db):
    thu, binh = await person(db, "Nguyễn Thị Thu"), await person(db, "Trần Văn Bình")
    later = record_own(session=db, person_id=thu, now=NOW + timedelta(days=1), today=TODAY + timedelta(days=1))
    first = record_own(session=db, person_id=thu, now=NOW, today=TODAY)
    record_own(session=db, person_id=binh, now=NOW, today=TODAY)
    await db.flush()
    mine = await own_consents(db, thu)
    assert [c.id for c in mine] == [first.id, later.id]  # in the order they were given
    assert [(c.candidate_id, c.person_id, c.notice_version, c.purposes, c.categories, c.given_by, c.method,
             c.given_on, c.recorded_by, c.withdrawn_at) for c in mine] == [
        (None, thu, NOTICE_VERSION, OFFICER_PURPOSES, "basic", GivenBy.self, Method.chat, day, None, None)
        for day in (TODAY, TODAY + timedelta(days=1))]
    assert [c.at.replace(tzinfo=UTC) for c in mine] == [NOW, NOW + timedelta(days=1)]
    assert await withdraw_own(db, thu, NOW + timedelta(days=2)) == 2
    assert await own_consents(db, thu) == []
    assert await withdraw_own(db, thu, NOW + timedelta(days=3)) == 0  # nothing left in force
    withdrawn = (await db.exec(sa.select(Consent.withdrawn_at).where(Consent.person_id == thu))).scalars().all()
    assert [w.replace(tzinfo=UTC) for w in withdrawn] == [NOW + timedelta(days=2)] * 2
    assert [c.person_id for c in await own_consents(db, binh)] == [binh]  # another's stay in force


async def test_an_officers_request_is_answered_by_the_organisation_it_names_beside_the_candidates(db):
    tp, second = await branch(db, BRANCH), await branch(db, SECOND_BRANCH)
    minh, thang = await candidate(db, "Lê Hoàng Minh"), await candidate(db, "Ngô Đức Thắng")
    thu = await person(db, "Nguyễn Thị Thu")
    own = new_request(session=db, candidate_id=None, person_id=thu, kind=RequestKind.correct, detail="Sai tên",
                      today=TODAY, now=NOW, org_id=second)
    minhs = new_request(session=db, candidate_id=minh.id, person_id=minh.person_id, kind=RequestKind.erase,
                        detail=None, today=TODAY - timedelta(days=1), now=NOW)
    thangs = new_request(session=db, candidate_id=thang.id, person_id=minh.person_id, kind=RequestKind.withdraw,
                         detail=None, today=TODAY, now=NOW)
    await db.flush()
    assert (own.candidate_id, own.person_id, own.org_id) == (None, thu, second)

    async def listed(orgs):
        return [(r.id, number, name, org) for r, number, name, org in (await db.exec(open_requests(orgs))).all()]

    # oldest first; a candidate's under her register number and name, an officer's under her name
    assert await listed([tp, second]) == [(minhs.id, minh.number, "Lê Hoàng Minh", tp),
                                          (own.id, None, "Nguyễn Thị Thu", second),
                                          (thangs.id, thang.number, "Ngô Đức Thắng", second)]
    assert await listed([tp]) == [(minhs.id, minh.number, "Lê Hoàng Minh", tp)]
    assert await overdue_requests_by_branch(db, date(2026, 3, 24)) == {tp: 1, second: 2}
    answer(own, Answer.acknowledged, today=TODAY, by=thu)
    assert (own.acknowledged_on, own.answered_by, own.done_on, own.outcome) == (TODAY, thu, None, None)
    answer(own, Answer.done, today=TODAY + timedelta(days=3), by=thu, outcome="Đã sửa tên")
    assert (own.acknowledged_on, own.done_on, own.outcome) == (TODAY, TODAY + timedelta(days=3), "Đã sửa tên")
    answer(minhs, Answer.done, today=TODAY, by=None, outcome="Đã xóa")  # done at once: acknowledged too
    assert (minhs.acknowledged_on, minhs.done_on, minhs.answered_by) == (TODAY, TODAY, None)
    await db.flush()
    assert await listed([tp, second]) == [(thangs.id, thang.number, "Ngô Đức Thắng", second)]
