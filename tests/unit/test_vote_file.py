"""The file the branch votes on (eligibility.vote_blockers, admission.file_refusal) and the vote's
denominator (admission.members_refusal), at their edges."""

from dataclasses import replace
from datetime import date

from models import citations
from models.admission import Subject, file_refusal, members_refusal, recognition_file_problems
from models.eligibility import Introduction, vote_blockers
from models.roster import MemberStatus, Standing
from models.rules import Refusal

ON = date(2026, 3, 2)
BIRTH = date(1997, 2, 28)
FILE = {"CN-NTVĐ": date(2025, 6, 1), "1-KNĐ": date(2026, 1, 5), "2-KNĐ": date(2026, 1, 10),
        "3-KNĐ": date(2026, 1, 15), "5-KNĐ": date(2026, 1, 20)}
OLD_HAND = Standing(MemberStatus.official, date(2010, 1, 1))
INTRODUCERS = (Introduction(1, "Trần Văn Bình", OLD_HAND, date(2023, 1, 1)),
               Introduction(2, "Đỗ Thị Mai", OLD_HAND, date(2024, 9, 1)))
LAN = Subject(id=1, number=6, full_name="Đặng Ngọc Lan", branch_id=1, stage="dossier", stage_since=date(2026, 1, 1),
              birth_date=BIRTH, certificate_on=date(2025, 6, 1), file=FILE, introducers=INTRODUCERS)


def codes(present, on=ON, applicable=()):
    return [(r.code, r.values.get("item")) for r in vote_blockers(birth=BIRTH, on=on, present=present,
                                                                   applicable=applicable)]


def test_a_complete_file_blocks_nothing():
    assert codes(FILE) == []


def test_each_missing_item_is_named_in_the_file_s_order():
    present = {k: v for k, v in FILE.items() if k not in ("1-KNĐ", "3-KNĐ")}
    assert codes(present) == [("item_missing", "1-KNĐ"), ("item_missing", "3-KNĐ")]


def test_the_union_s_resolution_is_needed_only_where_it_applies():
    assert codes(FILE, applicable=("4-KNĐ",)) == [("item_missing", "4-KNĐ")]


def test_introducers_letters_exactly_12_months_old_pass_and_the_day_after_they_are_stale():
    assert codes({**FILE, "3-KNĐ": date(2025, 3, 2)}) == []
    assert codes({**FILE, "3-KNĐ": date(2025, 3, 1)}) == [("item_too_old", "3-KNĐ")]
    assert codes({**FILE, "5-KNĐ": date(2025, 3, 1)}, on=date(2026, 3, 1)) == []


def test_a_paper_dated_the_meeting_s_day_counts_and_the_day_after_does_not():
    assert codes({**FILE, "5-KNĐ": ON}) == []
    assert codes({**FILE, "5-KNĐ": date(2026, 3, 3)}) == [("item_after_meeting", "5-KNĐ")]


def test_age_and_certificate_come_first_and_the_certificate_is_not_named_twice():
    assert codes({k: v for k, v in FILE.items() if k != "CN-NTVĐ"}) == [("no_certificate", None)]
    assert codes(FILE, on=date(2014, 3, 2))[:2] == [("under_age", None), ("certificate_after_meeting", None)]


def test_at_the_start_only_what_is_missing_whatever_the_day():
    stale = replace(LAN, file={**FILE, "3-KNĐ": date(2020, 1, 1)})
    assert file_refusal(stale) is None
    assert file_refusal(stale, ON).values["problems"] == [
        {"code": "item_too_old", "v": {"item": "3-KNĐ", "dated": date(2020, 1, 1), "redo_after": date(2021, 1, 1)}}]
    missing = replace(LAN, file={k: v for k, v in FILE.items() if k != "2-KNĐ"})
    assert [p["v"]["item"] for p in file_refusal(missing).values["problems"]] == ["2-KNĐ"]


ROSTER = (Standing(MemberStatus.official, date(2010, 1, 1)), Standing(MemberStatus.official, ON),
          Standing(MemberStatus.probationary, date(2025, 1, 1)))


def test_with_a_roster_the_count_is_the_roster_s_on_the_vote_s_day():
    s = replace(LAN, roster=ROSTER)
    assert s.official_members_on(ON) == 2 and s.official_members_on(date(2026, 3, 1)) == 1
    assert members_refusal(s, ON, 2, typed=False) is None
    assert members_refusal(s, ON, 3, typed=False).code == "members_not_roster"
    assert members_refusal(s, ON, 2, typed=True).code == "members_not_roster"


def test_without_a_roster_the_count_must_be_typed_and_confirmed():
    assert LAN.official_members_on(ON) is None
    assert members_refusal(LAN, ON, 11, typed=True) is None
    assert members_refusal(LAN, ON, 11, typed=False).code == "members_unconfirmed"


def test_a_subject_keeps_its_file_roster_and_introducers_through_json():
    s = replace(LAN, roster=ROSTER, file_applies=("4-KNĐ",),
                introducers=INTRODUCERS + (Introduction(3, "Hồ Thị Ngọc Hân", ROSTER[2], date(2020, 2, 2)),))
    assert Subject.from_json(s.to_json()) == replace(s, stage=s.stage)


# ---- the introducers (issue 13 item 2): read with the letters, from the records --------------

KEPT = replace(LAN, roster=(OLD_HAND,))  # the branch keeps a roster: the introducers are read against it


def test_introducers_are_read_only_once_their_letters_are_in_the_file_and_against_a_roster():
    assert file_refusal(replace(LAN, introducers=())) is None  # no roster: nothing to read them against
    without = replace(KEPT, file={k: v for k, v in FILE.items() if k != "3-KNĐ"}, introducers=())
    assert [p["v"]["item"] for p in file_refusal(without).values["problems"]] == ["3-KNĐ"]
    assert file_refusal(replace(KEPT, introducers=())).values["problems"] == [
        {"code": "introducers_missing",
         "v": {"required": 2, "recorded": 0, "youth_union_member": False, "union": None}}]


def test_a_youth_union_member_needs_one_introducer_beside_the_union_s_resolution():
    youth = replace(KEPT, youth_union=True, introducers=INTRODUCERS[:1], file={**FILE, "4-KNĐ": date(2026, 1, 16)},
                    file_applies=("4-KNĐ",))
    assert file_refusal(youth, ON) is None
    assert [p["code"] for p in file_refusal(replace(youth, introducers=()), ON).values["problems"]] == [
        "introducers_missing"]


def test_at_the_vote_an_introducer_too_recent_or_named_twice_refuses_it():
    recent = replace(KEPT, introducers=(INTRODUCERS[0], replace(INTRODUCERS[1], together_since=date(2025, 3, 3))))
    assert file_refusal(recent, ON).values["problems"] == [{"code": "introducer_too_recent", "v": {
        "who": "Đỗ Thị Mai", "months_together": 11, "qualifies_on": date(2026, 3, 3)}}]
    assert file_refusal(recent, date(2026, 3, 3)) is None
    assert file_refusal(recent) is None  # told with the vote's day, which it depends on
    twice = replace(KEPT, introducers=(INTRODUCERS[0], INTRODUCERS[0]))
    assert [p["code"] for p in file_refusal(twice).values["problems"]] == ["introducer_twice"]


# ---- the recognition file (issue 13 item 4) -----------------------------------------------------

RECOGNITION = {"CN-ĐVM": date(2026, 5, 1), "10-KNĐ": date(2026, 8, 1), "11-KNĐ": date(2026, 8, 2),
               "12-KNĐ": date(2026, 8, 3)}
VOTE = date(2026, 8, 14)


def recognition(file, **values):
    return [(r.code, r.values.get("item"))
            for r in recognition_file_problems(replace(LAN, stage="probationary", file={**FILE, **file}, **values),
                                               VOTE)]


def test_the_recognition_file_is_the_certificate_and_10_to_12_knd_dated_by_the_vote():
    assert recognition(RECOGNITION) == []
    assert recognition({}) == [("item_missing", c) for c in ("CN-ĐVM", "10-KNĐ", "11-KNĐ", "12-KNĐ")]
    assert recognition({**RECOGNITION, "12-KNĐ": VOTE}) == []
    assert recognition({**RECOGNITION, "12-KNĐ": date(2026, 8, 15)}) == [("item_after_meeting", "12-KNĐ")]


def test_a_new_member_class_s_certificate_counts_as_the_certificate():
    typed_out = {k: v for k, v in RECOGNITION.items() if k != "CN-ĐVM"}
    assert recognition(typed_out, new_member_certificate_on=date(2026, 4, 1)) == []
    assert recognition(typed_out, new_member_certificate_on=date(2026, 9, 1)) == [("item_after_meeting", "CN-ĐVM")]


def test_the_refusals_of_the_file_and_of_the_count_carry_what_the_secretary_is_told():
    """Whole refusals: the file's problems with the person's number, the day and the papers to
    read (the rule on a letter's age only when a letter is too old); the count against the roster."""
    stale = replace(LAN, file={**FILE, "3-KNĐ": date(2020, 1, 1)})
    assert file_refusal(stale, ON) == Refusal("vote_file_incomplete", {
        "problems": [{"code": "item_too_old", "v": {"item": "3-KNĐ", "dated": date(2020, 1, 1),
                                                     "redo_after": date(2021, 1, 1)}}],
        "number": 6, "on": ON, "sources": citations.ADMISSION_FILE + citations.DOSSIER_AGE})
    missing = replace(LAN, file={k: v for k, v in FILE.items() if k != "2-KNĐ"})
    refused = file_refusal(missing, ON)
    assert (refused.code, refused.values["number"], refused.values["on"], refused.values["sources"]) == (
        "vote_file_incomplete", 6, ON, citations.ADMISSION_FILE)
    assert [p["code"] for p in refused.values["problems"]] == ["item_missing"]
    assert members_refusal(LAN, ON, 11, typed=False) == Refusal(
        "members_unconfirmed", {"sources": citations.BRANCH_VOTE})
    assert members_refusal(replace(LAN, roster=ROSTER), ON, 3, typed=False) == Refusal(
        "members_not_roster", {"on": ON, "counted": 2, "official_members": 3, "sources": citations.BRANCH_VOTE})
