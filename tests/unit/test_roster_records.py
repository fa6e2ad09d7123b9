"""The roster kept in the database, asked directly on the demo (mutation testing of
models/roster.py found these unguarded by fast tests): the list a secretary reads, the vote's
denominator, who counts as an official member, and a candidate's way onto and off the roster.
The demo branch has 11 official members today (Cao Thị Huyền recognised 30 days ago) and Hoàng
Mai Anh, probationary for 200 days; the second branch has no roster."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bot.demo import BRANCH, SECOND_BRANCH
from models.candidate import Candidate
from models.org import Organisation
from models.people import Person
from models.roster import (LeftReason, MemberStatus, PartyMember, Standing, add_member, admitted, branch_roster,
                           destination_refusal, graduates, has_roster, is_official_member, leave_by_candidate,
                           left_roster, mark_left, matches_person, member_of_candidate, official_members_on, promote,
                           set_graduated, standings)
from tests.unit.demo_rows import candidate, member

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
LATER = NOW + timedelta(hours=3)


async def branch(db, name) -> int:
    return (await db.exec(sa.select(Organisation.id).where(Organisation.name == name))).scalar_one()


async def linked(db) -> Candidate:
    """The first candidate of the demo branch linked to a person of their own, not on the roster."""
    on_roster = sa.select(PartyMember.full_name)
    found = (await db.exec(sa.select(Candidate).where(Candidate.person_id.is_not(None),
                                                      Candidate.full_name.not_in(on_roster))
                           .order_by(Candidate.id))).scalars().first()
    assert found.person_id is not None
    return found


def utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def test_the_roster_lists_official_members_first_then_by_name_and_those_who_left_only_when_asked(db):
    tp = await branch(db, BRANCH)
    names = [m.full_name for m in await branch_roster(session=db, org_id=tp)]
    assert names[-1] == "Hoàng Mai Anh"  # the only probationary member comes after every official one
    assert names[:3] == ["Cao Thị Huyền", "Đỗ Thị Mai", "Đoàn Thị Thảo"]  # by name, Đ read as D
    assert len(names) == 12
    thao = await member(db, "Đoàn Thị Thảo")
    await mark_left(db, member=thao, on=TODAY, now=LATER, reason=LeftReason.moved, moved_to="Chi bộ Lê Lợi")
    assert "Đoàn Thị Thảo" not in [m.full_name for m in await branch_roster(session=db, org_id=tp)]
    everyone = [m.full_name for m in await branch_roster(session=db, org_id=tp, with_left=True)]
    assert len(everyone) == 12 and "Đoàn Thị Thảo" in everyone
    assert await branch_roster(session=db, org_id=await branch(db, SECOND_BRANCH)) == []


async def test_two_members_of_the_same_name_stay_in_the_order_they_were_added(db):
    tp = await branch(db, BRANCH)
    first = await add_member(db, org_id=tp, full_name="Lê Văn Tám", status="official", since=TODAY, now=NOW)
    second = await add_member(db, org_id=tp, full_name="Le Van Tam", status="official", since=TODAY, now=NOW)
    ids = [m.id for m in await branch_roster(session=db, org_id=tp) if m.full_name in {"Lê Văn Tám", "Le Van Tam"}]
    assert ids == [first.id, second.id]


async def test_a_branch_has_a_roster_once_anyone_was_put_on_it_even_if_they_left(db):
    assert await has_roster(session=db, org_id=await branch(db, BRANCH))
    second = await branch(db, SECOND_BRANCH)
    assert not await has_roster(session=db, org_id=second)
    only = await add_member(db, org_id=second, full_name="Ngô Văn Một", status=MemberStatus.official,
                            since=TODAY, now=NOW)
    await mark_left(db, member=only, on=TODAY, now=NOW)
    assert await has_roster(session=db, org_id=second)


async def test_the_rules_read_the_whole_roster_in_the_order_it_was_made_with_those_who_left(db):
    tp = await branch(db, BRANCH)
    read = await standings(db, org_id=tp)
    assert len(read) == 12 and read[0] == Standing(MemberStatus.official, TODAY - timedelta(days=365 * 12))
    assert read[-1] == Standing(MemberStatus.probationary, TODAY - timedelta(days=200))
    await mark_left(db, member=await member(db, "Hoàng Mai Anh"), on=TODAY, now=LATER)
    assert (await standings(db, org_id=tp))[-1] == Standing(MemberStatus.probationary, TODAY - timedelta(days=200),
                                                            TODAY)
    assert await standings(db, org_id=await branch(db, SECOND_BRANCH)) == ()
    await add_member(db, org_id=tp, full_name="Lê Thị Chín", status="official", since=date(2020, 5, 19), now=NOW,
                     received_from="Chi bộ Lê Lợi", received_on=date(2026, 2, 1))
    assert (await standings(db, org_id=tp))[-1] == Standing(MemberStatus.official, date(2020, 5, 19), None,
                                                            date(2026, 2, 1))  # counted from the day received


async def test_the_vote_counts_the_official_members_of_its_day(db):
    tp = await branch(db, BRANCH)
    assert await official_members_on(session=db, org_id=tp, on=TODAY) == 11
    assert await official_members_on(session=db, org_id=tp, on=TODAY - timedelta(days=31)) == 10
    assert await official_members_on(session=db, org_id=await branch(db, SECOND_BRANCH), on=TODAY) == 0


async def test_an_official_member_is_found_by_link_or_by_name_on_the_day(db):
    tp = await branch(db, BRANCH)
    thu = (await db.exec(sa.select(Person).where(Person.full_name == "Nguyễn Thị Thu"))).scalars().first()
    assert await is_official_member(session=db, org_id=tp, person_id=thu.id, full_name="Nguyễn Thị Thu", on=TODAY)
    # linked to her: another name does not matter, another person with her name is not her
    assert await is_official_member(session=db, org_id=tp, person_id=thu.id, full_name="Ai đó", on=TODAY)
    assert not await is_official_member(session=db, org_id=tp, person_id=thu.id + 1000, full_name="Nguyễn Thị Thu",
                                        on=TODAY)
    # not linked: found by name, whatever the accents and case
    assert await is_official_member(session=db, org_id=tp, person_id=999999, full_name="nguyen huu phuoc", on=TODAY)
    assert not await is_official_member(session=db, org_id=tp, person_id=999999, full_name="Nguyễn Hữu Phúc",
                                        on=TODAY)
    huyen = await candidate(db, "Cao Thị Huyền")
    assert not await is_official_member(session=db, org_id=tp, person_id=huyen.person_id, full_name=huyen.full_name,
                                        on=TODAY - timedelta(days=31))
    mai = await candidate(db, "Hoàng Mai Anh")  # probationary: on the roster, not official
    assert not await is_official_member(session=db, org_id=tp, person_id=mai.person_id, full_name=mai.full_name,
                                        on=TODAY)
    assert not await is_official_member(session=db, org_id=await branch(db, SECOND_BRANCH), person_id=thu.id,
                                        full_name="Nguyễn Thị Thu", on=TODAY)


def test_a_linked_row_is_its_person_and_an_unlinked_one_is_whoever_has_its_name():
    linked = PartyMember(org_id=1, full_name="Trần Văn Hai", status="official", since=TODAY, person_id=7, at=NOW)
    assert matches_person(linked, 7, "Người khác") and not matches_person(linked, 8, "Trần Văn Hai")
    unlinked = PartyMember(org_id=1, full_name="Trần Văn Hai", status="official", since=TODAY, at=NOW)
    assert matches_person(unlinked, 8, "TRAN VAN HAI") and not matches_person(unlinked, 8, "Trần Văn Ba")


async def test_a_member_added_keeps_everything_given(db):
    tp = await branch(db, BRANCH)
    an = await linked(db)
    added = await add_member(db, org_id=tp, full_name=an.full_name, status="probationary", since=TODAY,
                             now=NOW, person_id=an.person_id, candidate_id=an.id)
    assert added.id is not None
    db.expunge(added)
    row = await db.get(PartyMember, added.id)
    assert (row.org_id, row.full_name, row.status, row.since, row.person_id, row.candidate_id, row.left_on,
            utc(row.at)) == (tp, an.full_name, MemberStatus.probationary, TODAY, an.person_id, an.id, None, NOW)


async def test_leaving_keeps_the_day_the_reason_the_destination_and_when_it_was_written(db):
    thao = await member(db, "Đoàn Thị Thảo")
    await mark_left(db, member=thao, on=TODAY, now=LATER, reason=LeftReason.moved, moved_to="Chi bộ Lê Lợi")
    db.expunge(thao)
    row = await member(db, "Đoàn Thị Thảo")
    assert (row.left_on, row.left_reason, row.moved_to, utc(row.at)) == (TODAY, LeftReason.moved, "Chi bộ Lê Lợi",
                                                                        LATER)


async def test_a_candidate_admitted_joins_as_probationary_once(db):
    tp = await branch(db, BRANCH)
    an = await linked(db)
    assert await member_of_candidate(db, candidate_id=an.id) is None
    first = await admitted(db, org_id=tp, candidate_id=an.id, full_name=an.full_name, person_id=an.person_id,
                           on=TODAY, now=NOW)
    assert (first.status, first.since, first.candidate_id, first.person_id) == (
        MemberStatus.probationary, TODAY, an.id, an.person_id)
    again = await admitted(db, org_id=tp, candidate_id=an.id, full_name=an.full_name, person_id=an.person_id,
                           on=TODAY + timedelta(days=5), now=LATER)
    assert again.id == first.id and again.since == TODAY
    assert await member_of_candidate(db, candidate_id=an.id) == first


async def test_recognition_makes_the_probationary_member_official_from_its_date(db):
    tp = await branch(db, BRANCH)
    mai = await candidate(db, "Hoàng Mai Anh")
    before = await member(db, "Hoàng Mai Anh")
    recognised = await promote(db, org_id=tp, candidate_id=mai.id, full_name=mai.full_name, person_id=mai.person_id,
                               on=TODAY, now=LATER)
    assert recognised.id == before.id
    db.expunge(recognised)
    row = await member(db, "Hoàng Mai Anh")
    assert (row.status, row.since, utc(row.at)) == (MemberStatus.official, TODAY, LATER)
    assert await official_members_on(session=db, org_id=tp, on=TODAY) == 12


async def test_recognising_a_candidate_not_on_the_roster_puts_them_on_it_as_official(db):
    tp = await branch(db, BRANCH)
    an = await linked(db)
    added = await promote(db, org_id=tp, candidate_id=an.id, full_name=an.full_name, person_id=an.person_id,
                          on=TODAY, now=NOW)
    assert (added.org_id, added.full_name, added.status, added.since, added.person_id, added.candidate_id) == (
        tp, an.full_name, MemberStatus.official, TODAY, an.person_id, an.id)


async def test_a_candidate_struck_off_or_moved_leaves_the_roster_and_one_never_on_it_changes_nothing(db):
    tp = await branch(db, BRANCH)
    mai = await candidate(db, "Hoàng Mai Anh")
    await leave_by_candidate(db, candidate_id=mai.id, on=TODAY, now=LATER, reason=LeftReason.moved,
                             moved_to="Chi bộ Lê Lợi")
    assert await member_of_candidate(db, candidate_id=mai.id) is None
    row = await member(db, "Hoàng Mai Anh")
    assert (row.left_on, row.left_reason, row.moved_to) == (TODAY, LeftReason.moved, "Chi bộ Lê Lợi")
    before = await standings(db, org_id=tp)
    an = await candidate(db, "Nguyễn Văn An")
    await leave_by_candidate(db, candidate_id=an.id, on=TODAY, now=LATER)
    assert await standings(db, org_id=tp) == before


def test_a_refusal_to_record_a_destination_says_the_reason_given():
    refusal = destination_refusal(LeftReason.struck_off, "Nơi khác")
    assert (refusal.code, refusal.values) == ("destination_not_moving", {"reason": "struck_off"})
    assert destination_refusal("moved", "").values == {}
    assert destination_refusal(None, "Nơi khác").values == {"reason": None}


async def test_leaving_keeps_the_decision_or_reason_as_written(db):
    thao = await member(db, "Đoàn Thị Thảo")
    await mark_left(db, member=thao, on=TODAY, now=LATER, reason=LeftReason.expelled, note="QĐ 12-QĐ/ĐU")
    db.expunge(thao)
    row = await member(db, "Đoàn Thị Thảo")
    assert (row.left_reason, row.moved_to, row.left_note) == (LeftReason.expelled, None, "QĐ 12-QĐ/ĐU")


async def test_a_member_received_from_another_place_keeps_what_was_recorded_there(db):
    tp = await branch(db, BRANCH)
    added = await add_member(db, org_id=tp, full_name="Lê Thị Chín", status="official", since=date(2020, 5, 19),
                             now=NOW, received_from="Chi bộ Lê Lợi", received_on=date(2026, 2, 1),
                             admitted_on=date(2019, 5, 19), received_note="QĐ 3-QĐ/ĐU")
    db.expunge(added)
    row = await db.get(PartyMember, added.id)
    assert (row.received_from, row.received_on, row.admitted_on, row.received_note) == (
        "Chi bộ Lê Lợi", date(2026, 2, 1), date(2019, 5, 19), "QĐ 3-QĐ/ĐU")


async def test_a_graduation_is_recorded_and_the_one_before_is_returned(db):
    thao = await member(db, "Đoàn Thị Thảo")
    assert await set_graduated(db, member=thao, on=date(2025, 6, 30), now=LATER) is None
    assert await set_graduated(db, member=thao, on=date(2025, 7, 15), now=LATER) == date(2025, 6, 30)
    db.expunge(thao)
    row = await member(db, "Đoàn Thị Thảo")
    assert (row.graduated_on, utc(row.at)) == (date(2025, 7, 15), LATER)


# The first quarter of 2026 as a report lists its graduates.
START, END = date(2026, 1, 1), date(2026, 3, 31)


async def graduate(db, org_id, name, graduated_on, *, since=date(2022, 1, 1), left_on=None, reason=None):
    row = await add_member(db, org_id=org_id, full_name=name, status="official", since=since, now=NOW)
    row.graduated_on = graduated_on
    if left_on:
        await mark_left(db, member=row, on=left_on, now=NOW, reason=reason,
                        moved_to="Chi bộ Lê Lợi" if reason == LeftReason.moved else None)
    db.add(row)
    await db.flush()
    return row


async def test_a_quarter_lists_the_graduates_still_here_and_those_who_moved_away_in_it(db):
    second = await branch(db, SECOND_BRANCH)
    tp = await branch(db, BRANCH)
    moved = LeftReason.moved
    listed = [
        await graduate(db, second, "Vũ Văn Bốn", date(2025, 9, 1)),  # still here
        await graduate(db, second, "An Văn Năm", date(2025, 9, 1), left_on=END + timedelta(days=1), reason=moved),
        await graduate(db, second, "Bùi Thị Sáu", date(2025, 9, 1), left_on=START, reason=moved),  # moved in it
        await graduate(db, second, "Chu Văn Bảy", date(2025, 9, 1), left_on=END, reason=moved),
        await graduate(db, second, "Lò Văn Mười", END, since=END),  # graduated on its last day, joined that day
        await graduate(db, second, "Đinh Thị Ba", date(2025, 6, 30)),  # must move first: listed first
        await graduate(db, second, "Vũ Văn Chín", date(2025, 9, 1), left_on=END + timedelta(days=1),
                       reason=LeftReason.struck_off),  # still here on its last day
    ]
    for name, graduated_on, left_on, reason in [
            ("Hà Văn Một", date(2025, 9, 1), START - timedelta(days=1), moved),  # moved before the quarter
            ("Hà Văn Hai", date(2025, 9, 1), END, LeftReason.struck_off),  # struck off, not moved
            ("Hà Văn Ba", date(2025, 9, 1), START, LeftReason.expelled),
            ("Hà Văn Tư", END + timedelta(days=1), None, None)]:  # graduates after the quarter
        await graduate(db, second, name, graduated_on, left_on=left_on, reason=reason)
    await graduate(db, second, "Hà Văn Năm", date(2025, 9, 1), since=END + timedelta(days=1))  # joined after it
    await add_member(db, org_id=second, full_name="Hà Văn Sáu", status="official", since=START, now=NOW)
    await graduate(db, tp, "Hà Văn Bảy", date(2025, 9, 1))  # another branch
    found = await graduates(db, org_ids=[second], start=START, end=END)
    assert [m.full_name for m in found] == ["Đinh Thị Ba", "An Văn Năm", "Bùi Thị Sáu", "Chu Văn Bảy",
                                            "Vũ Văn Bốn", "Vũ Văn Chín", "Lò Văn Mười"]
    assert [m.id for m in found] == [m.id for m in listed[5:6] + listed[1:4] + listed[:1] + listed[6:] + listed[4:5]]
    both = await graduates(db, org_ids=[second, tp], start=START, end=END)
    assert "Hà Văn Bảy" in [m.full_name for m in both] and len(both) == 8
    assert await graduates(db, org_ids=[], start=START, end=END) == []


async def test_two_graduates_of_one_name_and_day_stay_in_the_order_they_were_added(db):
    second = await branch(db, SECOND_BRANCH)
    first = await graduate(db, second, "Lê Văn Tám", date(2025, 9, 1))
    again = await graduate(db, second, "Le Van Tam", date(2025, 9, 1))
    assert [m.id for m in await graduates(db, org_ids=[second], start=START, end=END)] == [first.id, again.id]


async def test_a_candidate_who_left_the_roster_is_found_until_they_are_on_it_again(db):
    tp = await branch(db, BRANCH)
    mai = await candidate(db, "Hoàng Mai Anh")
    an = await candidate(db, "Nguyễn Văn An")
    assert await left_roster(db, candidate_id=mai.id) is None  # still on it
    assert await left_roster(db, candidate_id=an.id) is None  # never on it
    await leave_by_candidate(db, candidate_id=mai.id, on=TODAY - timedelta(days=10), now=NOW,
                             reason=LeftReason.struck_off)
    first = await member(db, "Hoàng Mai Anh")
    assert (await left_roster(db, candidate_id=mai.id)).id == first.id
    assert await left_roster(db, candidate_id=an.id) is None  # another candidate's leaving is not theirs
    back = await admitted(db, org_id=tp, candidate_id=mai.id, full_name=mai.full_name, person_id=mai.person_id,
                          on=TODAY - timedelta(days=5), now=NOW)
    assert back.id != first.id and await left_roster(db, candidate_id=mai.id) is None
    await leave_by_candidate(db, candidate_id=mai.id, on=TODAY, now=LATER, reason=LeftReason.moved,
                             moved_to="Chi bộ Lê Lợi")
    assert (await left_roster(db, candidate_id=mai.id)).id == back.id  # the latest leaving
    third = await admitted(db, org_id=tp, candidate_id=mai.id, full_name=mai.full_name, person_id=mai.person_id,
                           on=TODAY, now=LATER)
    await leave_by_candidate(db, candidate_id=mai.id, on=TODAY, now=LATER, reason=LeftReason.moved,
                             moved_to="Chi bộ Lê Lợi")
    assert (await left_roster(db, candidate_id=mai.id)).id == third.id  # the same day: the one added last
    fourth = await admitted(db, org_id=tp, candidate_id=mai.id, full_name=mai.full_name, person_id=mai.person_id,
                            on=TODAY, now=LATER)
    await leave_by_candidate(db, candidate_id=mai.id, on=TODAY - timedelta(days=1), now=LATER,
                             reason=LeftReason.struck_off)  # written last, dated before
    assert fourth.left_on == TODAY - timedelta(days=1)
    assert (await left_roster(db, candidate_id=mai.id)).id == third.id  # the latest leaving by its date
