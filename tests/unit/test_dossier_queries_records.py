"""A candidate's dossier as a checklist, asked directly on the demo (models/dossier_queries.py;
mutation testing found it reached only through slow flow tests): each item's date, where it comes
from and its status, what blocks the branch's vote, the recognition file, and the writes. In the
demo (today 02/03/2026) Đặng Ngọc Lan (a Youth Union member, her dossier started 60 days ago) has
CN-NTVĐ (typed, and her class "khóa 1"'s certificate CN-0101 of the same day, 125 days ago) and
1-KNĐ..5-KNĐ, one introducer on the branch's roster; Bùi Quốc Huy's branch voted 25 days ago;
Hoàng Mai Anh is probationary since her ceremony 200 days ago; Cao Thị Huyền was recognised
(branch's vote 70 days ago, decision 30 days ago)."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import SECOND_BRANCH
from models import dossier_items as dq_items, dossier_queries as dq
from models.dossier import AdmissionRecord, DossierEntry
from models.dossier_items import CURRENT_VERSION
from models.introducers import IntroducerRecord
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.rules import add_months
from tests.unit.demo_rows import candidate, org

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
LAN, HUY, ANH, HUYEN, MINH, AN = (
    "Đặng Ngọc Lan", "Bùi Quốc Huy", "Hoàng Mai Anh", "Cao Thị Huyền", "Lê Hoàng Minh", "Nguyễn Văn An")
PAST = "Lớp nhận thức về Đảng khóa 1"
ADMISSION = ("CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ", "6-KNĐ", "7-KNĐ", "8-KNĐ", "9-KNĐ")
RECOGNITION = ("CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "14-KNĐ", "15-KNĐ", "16-KNĐ")


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def by_code(state: dq.Dossier) -> dict[str, dq.ItemState]:
    return {i.code: i for i in state.items}


def seen(i: dq.ItemState) -> tuple:
    return (i.status, i.dated, i.source, i.holder, i.certificate_number, i.class_title)


async def entry(db, name, item, dated, *, holder=None) -> None:
    db.add(DossierEntry(candidate_id=(await candidate(db, name)).id, item=item, dated=dated, holder=holder, at=NOW))
    await db.flush()


async def new_class(db, kind, title, ends_on) -> PartyClass:
    c = PartyClass(org_id=await org(db, SECOND_BRANCH), kind=kind, title=title, place="Phòng họp",
                   starts_on=ends_on - timedelta(days=4), ends_on=ends_on, enrol_by=ends_on - timedelta(days=10),
                   capacity=50, created_at=NOW)
    db.add(c)
    await db.flush()
    return c


async def passed(db, name, c: PartyClass, *, on, number, status=EnrollmentStatus.passed) -> None:
    db.add(Enrollment(class_id=c.id, candidate_id=(await candidate(db, name)).id, status=status,
                      certificate_number=number, certificate_on=on, at=NOW))
    await db.flush()


async def record(db, name) -> AdmissionRecord:
    return await db.get(AdmissionRecord, (await candidate(db, name)).id)


# ---- The admission file ------------------------------------------------------------------------

async def test_a_complete_file_lists_every_item_with_its_date_and_source_and_nothing_blocks_the_vote(db):
    lan = await candidate(db, LAN)
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    assert (state.candidate.id, state.version, state.started_on, state.voted) == (lan.id, CURRENT_VERSION, ago(60),
                                                                                   False)
    assert [i.code for i in state.items] == list(ADMISSION)
    items = by_code(state)
    assert seen(items["CN-NTVĐ"]) == ("ok", ago(125), "class", None, "CN-0101", PAST)
    assert seen(items["1-KNĐ"]) == ("ok", ago(58), "entry", None, None, None)
    assert seen(items["4-KNĐ"]) == ("ok", ago(38), "entry", None, None, None)
    assert [items[c].status for c in ("6-KNĐ", "7-KNĐ", "8-KNĐ", "9-KNĐ")] == ["not_yet"] * 4
    assert [items[c].source for c in ("6-KNĐ", "9-KNĐ")] == [None, None]
    assert [(i.before_vote, i.conditional, i.applies) for i in (items["1-KNĐ"], items["4-KNĐ"], items["7-KNĐ"])] == [
        (True, False, True), (True, True, True), (False, True, False)]
    assert state.refusals == () and state.notices == () and all(i.notice is None for i in state.items)
    assert state.certificate_on == ago(125)
    assert state.file == dq.FileDates(present={"CN-NTVĐ": ago(125), "1-KNĐ": ago(58), "2-KNĐ": ago(40),
                                               "3-KNĐ": ago(35), "4-KNĐ": ago(38), "5-KNĐ": ago(30)},
                                      applies=frozenset({"4-KNĐ"}), version=CURRENT_VERSION, trade_union=False)
    assert [i.name for i in state.introducers] == ["Trần Văn Bình"]
    assert state.has_roster is True
    assert dq.ready_refusals(state, on=TODAY) == []
    assert await dq.file_dates(session=db, candidate=lan) == state.file


async def test_missing_expired_and_too_old_items_each_say_so_and_block_the_vote_in_the_file_s_order(db):
    lan = await candidate(db, LAN)
    await db.exec(sa.delete(Enrollment).where(Enrollment.candidate_id == lan.id))
    await db.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == lan.id, DossierEntry.item.in_(
        ["CN-NTVĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ"])))
    await entry(db, LAN, "CN-NTVĐ", add_months(TODAY, -60), holder="Chi ủy")  # five years old today: expired
    await entry(db, LAN, "3-KNĐ", ago(400))  # more than 12 months: redone
    await entry(db, LAN, "5-KNĐ", TODAY + timedelta(days=1))  # dated after today
    items = by_code(await dq.dossier(session=db, candidate=lan, today=TODAY))
    assert seen(items["CN-NTVĐ"]) == ("expired", add_months(TODAY, -60), "entry", "Chi ủy", None, None)
    assert seen(items["2-KNĐ"]) == ("missing", None, None, None, None, None)
    assert seen(items["3-KNĐ"]) == ("too_old", ago(400), "entry", None, None, None)
    assert items["5-KNĐ"].status == "missing"
    assert items["1-KNĐ"].status == "ok"
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    assert [(r.code, r.values["item"]) for r in state.refusals] == [
        ("item_expired", "CN-NTVĐ"), ("item_missing", "2-KNĐ"), ("item_too_old", "3-KNĐ"),
        ("item_after_meeting", "5-KNĐ")]
    assert [r.code for r in dq.ready_refusals(state, on=TODAY)][:2] == ["certificate_expired",
                                                                             "item_missing"]


async def test_an_item_soon_too_old_carries_its_notice_and_an_old_dossier_its_age_until_the_vote(db):
    lan = await candidate(db, LAN)
    await db.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == lan.id, DossierEntry.item == "5-KNĐ"))
    await entry(db, LAN, "5-KNĐ", add_months(TODAY, -11))
    (await record(db, LAN)).dossier_started_on = add_months(TODAY, -11)
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    items = by_code(state)
    assert (items["5-KNĐ"].notice.code, items["5-KNĐ"].notice.values["item"]) == ("item_ageing", "5-KNĐ")
    assert items["5-KNĐ"].status == "ok" and items["3-KNĐ"].notice is None
    assert [n.code for n in state.notices] == ["dossier_ageing"]
    lan.stage = "proposed"  # the branch has voted: nothing is due any more
    voted = await dq.dossier(session=db, candidate=lan, today=TODAY)
    assert voted.voted is True and voted.notices == () and all(i.notice is None for i in voted.items)


async def test_after_the_vote_the_resolution_and_decision_come_from_the_record(db):
    huy = await candidate(db, HUY)
    state = await dq.dossier(session=db, candidate=huy, today=TODAY)
    items = by_code(state)
    assert state.voted is True and state.started_on == ago(100)
    assert seen(items["6-KNĐ"]) == ("ok", ago(25), "record", None, None, None)
    assert seen(items["9-KNĐ"]) == ("not_yet", None, None, None, None, None)
    assert seen(items["CN-NTVĐ"]) == ("ok", ago(125), "class", None, "CN-0102", PAST)
    assert items["1-KNĐ"].status == "missing"  # never typed in: unrecorded
    (await record(db, HUY)).decision_on = ago(3)
    await entry(db, HUY, "9-KNĐ", ago(2), holder="Đảng ủy")  # an entry is the secretary's own
    items = by_code(await dq.dossier(session=db, candidate=huy, today=TODAY))
    assert seen(items["9-KNĐ"]) == ("ok", ago(3), "entry", "Đảng ủy", None, None)


async def test_the_latest_certificate_counts_a_class_s_when_not_older_than_the_typed_one(db):
    lan = await candidate(db, LAN)
    later = await new_class(db, ClassKind.awareness, "Lớp khoa", ago(20))
    await passed(db, LAN, later, on=ago(19), number="CN-0300")
    failed = await new_class(db, ClassKind.awareness, "Lớp trượt", ago(10))
    await passed(db, LAN, failed, on=ago(9), number="CN-0400", status=EnrollmentStatus.failed)
    new_member = await new_class(db, ClassKind.new_member, "Lớp đảng viên mới", ago(5))
    await passed(db, LAN, new_member, on=ago(4), number="CN-0500")
    items = by_code(await dq.dossier(session=db, candidate=lan, today=TODAY))
    assert seen(items["CN-NTVĐ"]) == ("ok", ago(19), "class", None, "CN-0300", "Lớp khoa")
    await db.exec(sa.update(DossierEntry).where(DossierEntry.candidate_id == lan.id, DossierEntry.item == "CN-NTVĐ")
                  .values(dated=ago(15), holder="Chi bộ"))
    items = by_code(await dq.dossier(session=db, candidate=lan, today=TODAY))
    assert seen(items["CN-NTVĐ"]) == ("ok", ago(15), "entry", "Chi bộ", None, None)
    no_date = await new_class(db, ClassKind.awareness, "Lớp chưa cấp", ago(2))
    await passed(db, LAN, no_date, on=None, number=None)
    assert (await dq.file_dates(session=db, candidate=lan)).present["CN-NTVĐ"] == ago(15)


async def test_the_union_resolution_applies_to_a_youth_union_member_on_the_union_route_or_once_recorded(db):
    minh = await candidate(db, MINH)  # not in the Youth Union
    assert minh.youth_union is False
    items = by_code(await dq.dossier(session=db, candidate=minh, today=TODAY))
    assert (items["4-KNĐ"].applies, items["4-KNĐ"].status) == (False, "not_applicable")
    assert items["1-KNĐ"].status == "missing" and items["CN-NTVĐ"].source is None
    assert (await dq.file_dates(session=db, candidate=minh)).applies == frozenset()
    assert await dq.set_trade_union_route(session=db, candidate_id=minh.id, trade_union=True, now=NOW) is False
    f = await dq.file_dates(session=db, candidate=minh)
    assert (f.applies, f.trade_union) == (frozenset({"4-KNĐ"}), True)
    items = by_code(await dq.dossier(session=db, candidate=minh, today=TODAY))
    assert (items["4-KNĐ"].applies, items["4-KNĐ"].status) == (True, "missing")
    assert (await dq.dossier(session=db, candidate=minh, today=TODAY)).file.trade_union is True
    await entry(db, MINH, "7-KNĐ", ago(1))
    assert (await dq.file_dates(session=db, candidate=minh)).applies == frozenset({"4-KNĐ", "7-KNĐ"})
    assert dq.applicable_items(minh, {"7-KNĐ": ago(1)}, CURRENT_VERSION) == {"7-KNĐ"}
    assert dq.applicable_items(minh, {}, CURRENT_VERSION, True) == {"4-KNĐ"}
    assert dq.applicable_items(await candidate(db, LAN), {}, CURRENT_VERSION) == {"4-KNĐ"}


async def test_the_introducers_are_read_against_the_roster_only_where_the_branch_keeps_one(db):
    lan = await candidate(db, LAN)
    await db.exec(sa.delete(IntroducerRecord).where(IntroducerRecord.candidate_id == lan.id))
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    assert state.introducers == () and state.has_roster is True
    assert [r.code for r in dq.ready_refusals(state, on=TODAY)] == ["introducers_missing"]
    lan.branch_id = await org(db, SECOND_BRANCH)  # a branch without a roster
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    assert state.has_roster is False
    assert dq.ready_refusals(state, on=TODAY) == []


async def test_age_and_the_day_asked_block_the_vote(db):
    lan = await candidate(db, LAN)
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    lan.birth_date = TODAY - timedelta(days=365 * 17)
    assert [r.code for r in dq.ready_refusals(state, on=TODAY)] == ["under_age"]
    lan.birth_date = date(1997, 2, 28)
    assert [(r.code, r.values["item"]) for r in dq.ready_refusals(state, on=ago(36))] == [
        ("item_after_meeting", "3-KNĐ"), ("item_after_meeting", "5-KNĐ")]


async def test_a_candidate_with_nothing_recorded_has_no_record_and_misses_every_item(db):
    an = await candidate(db, AN)
    state = await dq.dossier(session=db, candidate=an, today=TODAY)
    assert (state.version, state.started_on, state.voted, state.notices) == (CURRENT_VERSION, None, False, ())
    assert [i.status for i in state.items][:6] == ["missing", "missing", "missing", "missing", "missing", "missing"]
    assert state.certificate_on is None and state.introducers == ()
    assert (await dq.file_dates(session=db, candidate=an)) == dq.FileDates(present={}, applies=frozenset({"4-KNĐ"}))


# ---- The recognition file ----------------------------------------------------------------------

async def test_a_probationary_member_s_recognition_file_before_the_vote(db):
    anh = await candidate(db, ANH)
    state = await dq.recognition_dossier(session=db, candidate=anh, today=TODAY)
    assert (state.phase, state.voted, state.started_on, state.version) == (
        dq.Phase.recognition, False, None, CURRENT_VERSION)
    assert [i.code for i in state.items] == list(RECOGNITION)
    items = by_code(state)
    assert [items[c].status for c in RECOGNITION] == ["missing"] * 4 + ["not_yet"] * 4
    assert all(i.applies for i in state.items)
    assert [(r.code, r.values["item"]) for r in state.refusals] == [
        ("item_missing", c) for c in ("CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ")]
    assert state.admitted == {"resolution_on": ago(260), "decision_on": ago(215), "ceremony_on": ago(200),
                              "probation_end": add_months(ago(200), 12)}
    await entry(db, ANH, "10-KNĐ", ago(3), holder="Anh")
    await entry(db, ANH, "ZZ-KNĐ", ago(3))  # a code no version knows: not a refusal of the file
    state = await dq.recognition_dossier(session=db, candidate=anh, today=TODAY)
    assert seen(by_code(state)["10-KNĐ"]) == ("ok", ago(3), "entry", "Anh", None, None)
    assert [r.values["item"] for r in state.refusals] == ["CN-ĐVM", "11-KNĐ", "12-KNĐ"]


async def test_the_new_member_certificate_is_the_class_s_unless_a_later_one_was_typed(db):
    anh = await candidate(db, ANH)
    course = await new_class(db, ClassKind.new_member, "Lớp đảng viên mới", ago(30))
    await passed(db, ANH, course, on=ago(29), number="CN-0600")
    items = by_code(await dq.recognition_dossier(session=db, candidate=anh, today=TODAY))
    assert seen(items["CN-ĐVM"]) == ("ok", ago(29), "class", None, "CN-0600", "Lớp đảng viên mới")
    await entry(db, ANH, "CN-ĐVM", ago(29), holder="Chi bộ")  # the same day: the class's
    items = by_code(await dq.recognition_dossier(session=db, candidate=anh, today=TODAY))
    assert seen(items["CN-ĐVM"]) == ("ok", ago(29), "class", None, "CN-0600", "Lớp đảng viên mới")
    await db.exec(sa.update(DossierEntry).where(DossierEntry.item == "CN-ĐVM").values(dated=ago(28)))
    items = by_code(await dq.recognition_dossier(session=db, candidate=anh, today=TODAY))
    assert seen(items["CN-ĐVM"]) == ("ok", ago(28), "entry", "Chi bộ", None, None)


async def test_once_recognised_the_vote_and_decision_come_from_the_record_and_nothing_is_missing(db):
    huyen = await candidate(db, HUYEN)
    state = await dq.recognition_dossier(session=db, candidate=huyen, today=TODAY)
    assert state.voted is True and state.refusals == ()
    items = by_code(state)
    assert seen(items["13-KNĐ"]) == ("ok", ago(70), "record", None, None, None)
    assert seen(items["16-KNĐ"]) == ("ok", ago(30), "record", None, None, None)
    assert [items[c].status for c in ("CN-ĐVM", "10-KNĐ", "14-KNĐ", "15-KNĐ")] == ["not_yet"] * 4
    assert state.admitted == {"resolution_on": ago(520), "decision_on": ago(460), "ceremony_on": ago(445),
                              "probation_end": add_months(ago(445), 12)}
    an = await dq.recognition_dossier(session=db, candidate=await candidate(db, AN), today=TODAY)
    assert an.admitted == {"resolution_on": None, "decision_on": None, "ceremony_on": None, "probation_end": None}
    assert an.voted is False and an.version == CURRENT_VERSION


# ---- Writing the file --------------------------------------------------------------------------

async def test_recording_an_item_creates_or_updates_it_and_returns_what_was_there(db):
    an = await candidate(db, AN)
    assert await dq.record_item(session=db, candidate_id=an.id, item="1-KNĐ", dated=ago(5), holder="An",
                                now=NOW) is None
    found = (await dq.entries(session=db, candidate_id=an.id))["1-KNĐ"]
    assert (found.dated, found.holder, found.at.replace(tzinfo=None)) == (ago(5), "An", NOW.replace(tzinfo=None))
    later = NOW + timedelta(hours=1)
    before = await dq.record_item(session=db, candidate_id=an.id, item="1-KNĐ", dated=ago(4), holder=None, now=later)
    assert (before.item, before.dated, before.holder, before.id) == ("1-KNĐ", ago(5), "An", found.id)
    db.expunge_all()
    again = await dq.entries(session=db, candidate_id=an.id)
    assert list(again) == ["1-KNĐ"]
    assert (again["1-KNĐ"].dated, again["1-KNĐ"].holder, again["1-KNĐ"].at.replace(tzinfo=None)) == (
        ago(4), None, later.replace(tzinfo=None))


async def test_the_union_route_and_the_dossier_s_start_create_the_record_and_return_what_was_there(db):
    an = await candidate(db, AN)
    assert await db.get(AdmissionRecord, an.id) is None
    assert await dq.start_dossier(session=db, candidate_id=an.id, on=ago(2), now=NOW) is None
    made = await db.get(AdmissionRecord, an.id)
    assert (made.dossier_started_on, made.version, made.trade_union_route) == (ago(2), CURRENT_VERSION, False)
    later = NOW + timedelta(days=1)
    assert await dq.start_dossier(session=db, candidate_id=an.id, on=ago(1), now=later) == ago(2)
    assert await dq.set_trade_union_route(session=db, candidate_id=an.id, trade_union=True, now=later) is False
    assert await dq.set_trade_union_route(session=db, candidate_id=an.id, trade_union=False, now=later) is True
    assert await dq.set_trade_union_route(session=db, candidate_id=an.id, trade_union=True, now=NOW) is False
    db.expunge_all()
    kept = await db.get(AdmissionRecord, an.id)
    assert (kept.dossier_started_on, kept.trade_union_route, kept.updated_at.replace(tzinfo=None)) == (
        ago(1), True, NOW.replace(tzinfo=None))
    minh = await candidate(db, MINH)
    assert await dq.set_trade_union_route(session=db, candidate_id=minh.id, trade_union=True, now=later) is False
    made = await db.get(AdmissionRecord, minh.id)
    assert (made.version, made.trade_union_route, made.dossier_started_on, made.updated_at.replace(tzinfo=None)) == (
        CURRENT_VERSION, True, None, later.replace(tzinfo=None))


async def test_a_pass_without_a_certificate_date_gives_no_certificate(db):
    minh = await candidate(db, MINH)
    course = await new_class(db, ClassKind.awareness, "Lớp chưa cấp", ago(20))
    await passed(db, MINH, course, on=None, number=None)
    assert (await dq.file_dates(session=db, candidate=minh)).present == {}
    state = await dq.dossier(session=db, candidate=minh, today=TODAY)
    assert (state.certificate_on, by_code(state)["CN-NTVĐ"].status) == (None, "missing")


async def test_on_the_trade_union_route_one_introducer_is_enough_for_someone_outside_the_youth_union(db):
    minh = await candidate(db, MINH)
    lan = await candidate(db, LAN)
    letter = (await db.exec(sa.select(IntroducerRecord).where(IntroducerRecord.candidate_id == lan.id))).scalar_one()
    db.add(IntroducerRecord(candidate_id=minh.id, member_id=letter.member_id, together_since=letter.together_since,
                            at=NOW))
    await entry(db, MINH, "3-KNĐ", ago(5))
    alone = dq.ready_refusals(await dq.dossier(session=db, candidate=minh, today=TODAY), on=TODAY)
    assert "introducers_missing" in [r.code for r in alone]
    await dq.set_trade_union_route(session=db, candidate_id=minh.id, trade_union=True, now=NOW)
    routed = dq.ready_refusals(await dq.dossier(session=db, candidate=minh, today=TODAY), on=TODAY)
    assert "introducers_missing" not in [r.code for r in routed]


# ---- Found by mutation testing -----------------------------------------------------------------

async def test_a_recognition_file_says_which_items_come_before_the_vote_and_which_may_not_apply(db):
    anh = await candidate(db, ANH)
    state = await dq.recognition_dossier(session=db, candidate=anh, today=TODAY)
    assert state.candidate is anh
    assert [(i.code, i.before_vote, i.conditional) for i in state.items] == [
        ("CN-ĐVM", True, False), ("10-KNĐ", True, False), ("11-KNĐ", True, False), ("12-KNĐ", True, False),
        ("13-KNĐ", False, False), ("14-KNĐ", False, True), ("15-KNĐ", False, False), ("16-KNĐ", False, False)]


async def test_a_recognition_paper_dated_after_today_is_missing_and_blocks_the_vote(db):
    anh = await candidate(db, ANH)
    await entry(db, ANH, "10-KNĐ", TODAY + timedelta(days=3), holder="Anh")
    state = await dq.recognition_dossier(session=db, candidate=anh, today=TODAY)
    assert seen(by_code(state)["10-KNĐ"]) == ("missing", TODAY + timedelta(days=3), "entry", "Anh", None, None)
    assert [(r.code, r.values["item"]) for r in state.refusals] == [
        ("item_missing", "CN-ĐVM"), ("item_after_meeting", "10-KNĐ"), ("item_missing", "11-KNĐ"),
        ("item_missing", "12-KNĐ")]


async def test_the_union_resolution_missing_blocks_a_youth_union_member_s_vote(db):
    lan = await candidate(db, LAN)
    await db.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == lan.id, DossierEntry.item == "4-KNĐ"))
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    assert [(r.code, r.values["item"]) for r in dq.ready_refusals(state, on=TODAY)] == [("item_missing", "4-KNĐ")]


async def test_a_file_is_read_under_the_version_it_was_started_with(db, monkeypatch):
    # A later regulation would add a version; a file started under an older one keeps its own list:
    # here one without 12-KNĐ, whose 5-KNĐ is never redone.
    older = tuple(replace(i, redo_after_months=None) if i.code == "5-KNĐ" else i
                  for i in dq_items.ITEMS_12_HD_2022 if i.code != "12-KNĐ")
    monkeypatch.setitem(dq_items.VERSIONS, "OLD", older)
    anh = await candidate(db, ANH)
    (await record(db, ANH)).version = "OLD"
    state = await dq.recognition_dossier(session=db, candidate=anh, today=TODAY)
    assert (state.version, [i.code for i in state.items]) == ("OLD", [c for c in RECOGNITION if c != "12-KNĐ"])
    assert [r.values["item"] for r in state.refusals] == ["CN-ĐVM", "10-KNĐ", "11-KNĐ"]
    lan = await candidate(db, LAN)
    await db.exec(sa.delete(DossierEntry).where(DossierEntry.candidate_id == lan.id, DossierEntry.item == "5-KNĐ"))
    await entry(db, LAN, "5-KNĐ", add_months(TODAY, -11))
    (await record(db, LAN)).dossier_started_on = add_months(TODAY, -13)
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)  # under the current version
    assert by_code(state)["5-KNĐ"].notice.code == "item_ageing"
    assert [(n.code, n.values["redo"]) for n in state.notices] == [("dossier_stale", ("3-KNĐ", "4-KNĐ", "5-KNĐ"))]
    (await record(db, LAN)).version = "OLD"
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    assert (state.version, state.file.version, (await dq.file_dates(session=db, candidate=lan)).version) == (
        "OLD", "OLD", "OLD")
    assert by_code(state)["5-KNĐ"].notice is None
    assert [(n.code, n.values["redo"]) for n in state.notices] == [("dossier_stale", ("3-KNĐ", "4-KNĐ"))]
    await db.exec(sa.update(DossierEntry).where(DossierEntry.candidate_id == lan.id, DossierEntry.item == "5-KNĐ")
                  .values(dated=add_months(TODAY, -13)))
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    assert (state.refusals, by_code(state)["5-KNĐ"].status, dq.ready_refusals(state, on=TODAY)) == ((), "ok", [])
    (await record(db, LAN)).version = CURRENT_VERSION
    state = await dq.dossier(session=db, candidate=lan, today=TODAY)
    assert [(r.code, r.values["item"]) for r in dq.ready_refusals(state, on=TODAY)] == [("item_too_old", "5-KNĐ")]


async def test_what_the_vote_reads_holds_the_latest_class_certificate_and_the_record_s_dates(db):
    lan = await candidate(db, LAN)
    later = await new_class(db, ClassKind.awareness, "Lớp khoa", ago(20))
    await passed(db, LAN, later, on=ago(19), number="CN-0300")
    assert (await dq.file_dates(session=db, candidate=lan)).present["CN-NTVĐ"] == ago(19)
    huy = await dq.file_dates(session=db, candidate=await candidate(db, HUY))
    assert (huy.present["6-KNĐ"], "9-KNĐ" in huy.present) == (ago(25), False)
