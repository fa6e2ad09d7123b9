"""Planning and writing a checked register (models/register_write.py), asked directly: what each
row would create, update or leave alone against a branch's register held in memory, and the plan
written into the demo branch (the `db` fixture). Mutation testing found the planning rules reached
only through whole-file imports (tests/test_import.py)."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from models import register_write as rw
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord, DossierEntry
from models.people import Person, RoleGrant
from models.register_import import MemberRow, RegisterRow, RowError
from models.roster import MemberStatus, PartyMember
from models.stage import Category, Gender, IntroducedBy, Role, Stage
from models.text import fold
from tests.unit.demo_rows import org, secretary

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
BORN = date(1999, 9, 5)
BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"


def row(name="Nguyễn Thị Mai", born=BORN, n=2, present=(), **kw) -> RegisterRow:
    return RegisterRow(row=n, full_name=name, birth_date=born, birth_year_only=False,
                       gender=kw.pop("gender", Gender.female), present=frozenset(present), **kw)


def person(name="Nguyễn Thị Mai", born=BORN, cid=7, number=5, **kw) -> Candidate:
    fields = dict(id=cid, branch_id=1, number=number, full_name=name, name_folded=fold(name), birth_date=born,
                  birth_year_only=False, gender=Gender.female, category=Category.teacher, youth_union=False,
                  introduced_by=IntroducedBy.branch, stage=Stage.sympathizer, stage_since=date(2025, 1, 1),
                  created_at=NOW)
    return Candidate(**(fields | kw))


def member(name, status=MemberStatus.official, person_id=None, mid=1) -> PartyMember:
    return PartyMember(id=mid, org_id=1, full_name=name, status=status, since=date(2010, 1, 1), person_id=person_id,
                       at=NOW)


def existing(*candidates, entries=None, records=None, sponsors=None, roster=None, sensitive_ok=()) -> rw.Existing:
    by_year: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_year.setdefault(c.birth_date.year, []).append(c)
    return rw.Existing(by_identity={(c.name_folded, c.birth_date, c.birth_year_only): c for c in candidates},
                       by_year=by_year, entries=entries or {}, records=records or {}, sponsors=sponsors or {},
                       roster=roster or {}, last_number=max((c.number for c in candidates), default=0),
                       sensitive_ok=frozenset(sensitive_ok))


def plan(rows, ex, **kw) -> rw.Plan:
    return rw.plan_rows(rows, ex, today=TODAY, **kw)


# ---- Stages ------------------------------------------------------------------------------------

def test_a_file_s_stage_never_moves_anyone_back_but_a_removed_person_follows_a_named_stage():
    assert rw._stage_of(row(stage=Stage.dossier), None, TODAY) == Stage.dossier
    assert rw._stage_of(row(certificate_on=date(2025, 5, 1)), None, TODAY) == Stage.awareness_class
    assert rw._stage_of(row(stage=Stage.sympathizer), Stage.dossier, TODAY) == Stage.dossier
    assert rw._stage_of(row(stage=Stage.dossier), Stage.dossier, TODAY) == Stage.dossier
    assert rw._stage_of(row(stage=Stage.proposed), Stage.dossier, TODAY) == Stage.proposed
    assert rw._stage_of(row(), Stage.sympathizer, TODAY) == Stage.sympathizer  # dates show a source: kept
    assert rw._stage_of(row(stage=Stage.source), Stage.removed, TODAY) == Stage.source
    assert rw._stage_of(row(stage=Stage.source), Stage.transferred, TODAY) == Stage.source
    assert rw._stage_of(row(), Stage.removed, TODAY) == Stage.removed  # nothing named: left removed
    assert rw._stage_of(row(), Stage.transferred, TODAY) == Stage.transferred
    assert rw._rank(Stage.source) == 0 and rw._rank(Stage.transferred) == len(Stage) - 1


def test_a_row_is_behind_when_it_names_an_earlier_stage_than_chibo_s():
    assert rw.behind(row(stage=Stage.sympathizer), Stage.dossier) is True
    assert rw.behind(row(stage=Stage.dossier), Stage.dossier) is False
    assert rw.behind(row(stage=Stage.proposed), Stage.dossier) is False
    assert rw.behind(row(), Stage.dossier) is False  # no stage named
    assert rw.behind(row(stage=Stage.source), Stage.removed) is False
    assert rw.behind(row(stage=Stage.source), Stage.transferred) is False


# ---- Papers and admission dates ----------------------------------------------------------------

def test_the_admission_dates_wanted_are_those_the_record_lacks_or_has_otherwise():
    r = row(dossier={"1-KNĐ": date(2025, 4, 10), "2-KNĐ": date(2025, 3, 1)}, admitted_on=date(2025, 9, 2),
            official_on=date(2026, 1, 5))
    assert rw._record_of(r, None, Stage.official) == {
        "dossier_started_on": date(2025, 3, 1), "decision_on": date(2025, 9, 2), "ceremony_on": date(2025, 9, 2),
        "recognition_decision_on": date(2026, 1, 5)}
    assert rw._record_of(r, None, Stage.probationary)["ceremony_on"] == date(2025, 9, 2)
    assert "ceremony_on" not in rw._record_of(r, None, Stage.admitted)
    held = AdmissionRecord(candidate_id=7, dossier_started_on=date(2024, 1, 1), decision_on=date(2025, 9, 2),
                           ceremony_on=date(2025, 9, 20), recognition_decision_on=date(2026, 1, 4), updated_at=NOW)
    assert rw._record_of(r, held, Stage.official) == {"recognition_decision_on": date(2026, 1, 5)}
    held.recognition_decision_on, held.decision_on = date(2026, 1, 5), date(2025, 9, 1)
    assert rw._record_of(r, held, Stage.official) == {"decision_on": date(2025, 9, 2)}
    held.dossier_started_on, held.ceremony_on = None, None
    assert rw._record_of(r, held, Stage.probationary) == {
        "dossier_started_on": date(2025, 3, 1), "decision_on": date(2025, 9, 2), "ceremony_on": date(2025, 9, 2)}
    assert rw._record_of(row(), None, Stage.official) == {}


def test_the_papers_wanted_are_those_missing_or_dated_or_numbered_otherwise():
    r = row(dossier={"1-KNĐ": date(2025, 4, 10)}, certificate_on=date(2024, 5, 20), certificate_number="125/GCN")
    assert rw._entries_of(r, {}) == {"1-KNĐ": (date(2025, 4, 10), None), "CN-NTVĐ": (date(2024, 5, 20), "125/GCN")}

    def e(item, dated, number=None):
        return DossierEntry(candidate_id=7, item=item, dated=dated, number=number, at=NOW)
    same = {"1-KNĐ": e("1-KNĐ", date(2025, 4, 10), "x"), "CN-NTVĐ": e("CN-NTVĐ", date(2024, 5, 20), "125/GCN")}
    assert rw._entries_of(r, same) == {}  # a paper's number is compared for the certificate only
    other_number = {**same, "CN-NTVĐ": e("CN-NTVĐ", date(2024, 5, 20), "126/GCN")}
    assert rw._entries_of(r, other_number) == {"CN-NTVĐ": (date(2024, 5, 20), "125/GCN")}
    other_day = {**same, "1-KNĐ": e("1-KNĐ", date(2025, 4, 11))}
    assert rw._entries_of(r, other_day) == {"1-KNĐ": (date(2025, 4, 10), None)}
    assert rw._entries_of(row(certificate_number="9"), {}) == {}
    assert rw.CERTIFICATE == "CN-NTVĐ" and rw.ITEMS == ("CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ")


# ---- A new candidate ---------------------------------------------------------------------------

def test_a_new_candidate_gets_every_field_and_the_history_its_dates_give():
    r = row(unit="Tổ Ngữ văn", youth_union=True, religious=True, note="ghi chú", certificate_on=date(2024, 5, 20),
            dossier={"1-KNĐ": date(2025, 4, 10)}, stage=Stage.dossier, category=Category.staff)
    p = rw._new(r, 42, TODAY)
    assert p.new is True and p.candidate_id is None and p.row is r
    assert p.fields == {
        "full_name": "Nguyễn Thị Mai", "name_folded": "nguyen thi mai", "birth_date": BORN, "birth_year_only": False,
        "gender": "female", "category": "staff", "unit": "Tổ Ngữ văn", "youth_union": True, "ethnic_minority": False,
        "religious": True, "private_firm": False, "note": "ghi chú", "introduced_by": "youth_union",
        "sponsor_id": 42, "stage": "dossier", "stage_since": date(2025, 4, 10)}
    assert p.steps == [(Stage.awareness_class, date(2024, 5, 20)), (Stage.dossier, date(2025, 4, 10))]
    assert p.entries == {"1-KNĐ": (date(2025, 4, 10), None), "CN-NTVĐ": (date(2024, 5, 20), None)}
    assert p.record == {"dossier_started_on": date(2025, 4, 10)}
    plain = rw._new(row(gender=Gender.male), None, TODAY)
    assert (plain.fields["category"], plain.fields["introduced_by"], plain.fields["gender"]) == (
        "other", "branch", "male")
    assert (plain.fields["stage"], plain.fields["stage_since"], plain.steps) == ("source", TODAY, [(Stage.source,
                                                                                                    TODAY)])
    named = rw._new(row(introduced_by=IntroducedBy.trade_union, youth_union=True), None, TODAY)
    assert named.fields["introduced_by"] == "trade_union"


# ---- An existing candidate ---------------------------------------------------------------------

def test_an_update_writes_only_what_differs_and_a_blank_or_missing_column_leaves_chibo_s():
    found = person(unit="Tổ Toán", note="cũ")
    ex = existing(found)
    same = rw._update(row(unit="Tổ Toán", category=Category.teacher, present={"unit", "category"}), found, None, ex,
                      TODAY)
    assert (same.candidate_id, same.fields, same.entries, same.record, same.steps, same.changes) == (
        7, {}, {}, {}, [], False)
    r = row(unit="Tổ Văn", category=Category.staff, youth_union=True, note=None, gender=Gender.male,
            present={"unit", "category", "youth_union", "note"}, introduced_by=IntroducedBy.member)
    p = rw._update(r, found, 9, ex, TODAY)
    assert p.fields == {"gender": "male", "unit": "Tổ Văn", "category": "staff", "youth_union": True,
                        "introduced_by": "member", "sponsor_id": 9}
    assert p.changes and p.new is False
    absent = rw._update(row(unit="Tổ Văn", category=Category.staff), found, None, ex, TODAY)
    assert absent.fields == {}  # the file has no such columns


def test_an_update_moves_the_stage_forward_from_the_day_its_dates_give_or_today():
    found = person(stage=Stage.sympathizer)
    ex = existing(found)
    p = rw._update(row(certificate_on=date(2025, 6, 1), dossier={"1-KNĐ": date(2025, 8, 1)}), found, None, ex, TODAY)
    assert (p.fields["stage"], p.fields["stage_since"], p.steps) == ("dossier", date(2025, 8, 1),
                                                                     [(Stage.dossier, date(2025, 8, 1))])
    named = rw._update(row(stage=Stage.proposed), found, None, ex, TODAY)
    assert (named.fields["stage"], named.fields["stage_since"], named.steps) == (
        "proposed", TODAY, [(Stage.proposed, TODAY)])
    kept = rw._update(row(stage=Stage.source), found, None, ex, TODAY)
    assert "stage" not in kept.fields and kept.steps == []


def test_an_update_reads_the_person_s_own_papers_and_record():
    found = person(stage=Stage.dossier)
    paper = DossierEntry(candidate_id=7, item="1-KNĐ", dated=date(2025, 4, 10), at=NOW)
    rec = AdmissionRecord(candidate_id=7, dossier_started_on=date(2025, 4, 10), updated_at=NOW)
    ex = existing(found, entries={7: {"1-KNĐ": paper}}, records={7: rec})
    p = rw._update(row(dossier={"1-KNĐ": date(2025, 4, 10)}), found, None, ex, TODAY)
    assert (p.entries, p.record, p.changes) == ({}, {}, False)
    other = existing(found, entries={8: {"1-KNĐ": paper}}, records={8: rec})
    p = rw._update(row(dossier={"1-KNĐ": date(2025, 4, 10)}), found, None, other, TODAY)
    assert (p.entries, p.record) == ({"1-KNĐ": (date(2025, 4, 10), None)}, {"dossier_started_on": date(2025, 4, 10)})


# ---- Sponsors and near names -------------------------------------------------------------------

def test_a_sponsor_is_one_official_member_or_one_this_file_brings():
    ex = existing(sponsors={"tran van binh": [3], "le thi ha": [4, 5]})
    assert rw._sponsor(row(), ex, "GĐ", set()) == (None, None)
    assert rw._sponsor(row(sponsor="Trần Văn Bình"), ex, "GĐ", set()) == (3, None)
    assert rw._sponsor(row(sponsor="Đỗ Thị Mai"), ex, "GĐ", {"do thi mai"}) == ("do thi mai", None)
    assert rw._sponsor(row(sponsor="Đỗ Thị Mai", n=4), ex, "GĐ", set()) == (
        None, RowError(4, "GĐ", "Đỗ Thị Mai", "sponsor_unknown"))
    assert rw._sponsor(row(sponsor="Lê Thị Hà", n=5), ex, "GĐ", {"le thi ha"}) == (
        None, RowError(5, "GĐ", "Lê Thị Hà", "sponsor_ambiguous"))


def test_a_near_name_is_a_similar_one_born_the_same_year():
    ex = existing(person("Nguyễn Thị Mai", date(1999, 1, 1), number=5),
                  person("Trần Văn Long", date(1999, 3, 3), cid=8, number=6))
    assert rw._near(row("Nguyễn Thị Mại", date(1999, 9, 5)), ex) == rw.Near(
        row("Nguyễn Thị Mại", date(1999, 9, 5)), 5, "Nguyễn Thị Mai", date(1999, 1, 1))
    assert rw._near(row("Mai Nguyễn Thị", date(1999, 9, 5)), ex).number == 5  # the words reordered
    assert rw._near(row("Trần Văn Lông", date(1999, 9, 5)), ex).number == 6
    assert rw._near(row("Nguyễn Thị Mai", date(2000, 9, 5)), ex) is None
    assert rw._near(row("Phạm Quốc Bảo", date(1999, 9, 5)), ex) is None


# ---- The plan ----------------------------------------------------------------------------------

def test_a_plan_creates_the_new_updates_the_changed_and_counts_the_same():
    found = person(unit="Tổ Toán")
    ex = existing(found)
    rows = [row(unit="Tổ Toán", present={"unit"}), row("Lê Văn Tâm", date(2001, 2, 14), n=3, gender=Gender.male)]
    p = plan(rows, ex)
    assert [x.row.full_name for x in p.create] == ["Lê Văn Tâm"] and p.same == [rows[0]] and p.update == []
    assert p.counts() == {"created": 1, "updated": 0, "unchanged": 1, "near": 0, "members": 0}
    p = plan([row(unit="Tổ Văn", present={"unit"})], ex)
    assert [(x.candidate_id, x.fields) for x in p.update] == [(7, {"unit": "Tổ Văn"})] and p.same == []
    assert p.counts() == {"created": 0, "updated": 1, "unchanged": 0, "near": 0, "members": 0}


def test_a_plan_reports_near_names_unless_accepted_and_rows_behind_chibo():
    found = person(stage=Stage.dossier)
    ex = existing(found)
    near = row("Nguyễn Thị Mại", date(1999, 1, 2))
    p = plan([near], ex)
    assert [(n.row, n.number) for n in p.near] == [(near, 5)] and p.create == []
    assert p.counts()["near"] == 1
    p = plan([near], ex, accept_near=True)
    assert p.near == [] and [x.row for x in p.create] == [near]
    back = row(stage=Stage.sympathizer)
    p = plan([back], ex)
    assert p.behind == [(back, Stage.dossier)] and p.same == [back]


def test_a_plan_refuses_an_unknown_sponsor_row_and_goes_on():
    ex = existing()
    rows = [row(sponsor="Ai Đó", n=2), row("Lê Văn Tâm", date(2001, 2, 14), n=3)]
    p = plan(rows, ex, headers={"sponsor": "Đảng viên giúp đỡ"})
    assert p.errors == [RowError(2, "Đảng viên giúp đỡ", "Ai Đó", "sponsor_unknown")]
    assert [x.row.full_name for x in p.create] == ["Lê Văn Tâm"]


def test_ethnicity_and_religion_are_planned_only_under_a_consent_naming_them():
    found = person()
    ex = existing(found)
    sensitive = row(ethnic_minority=True, religious=True, present={"ethnic_minority", "religious"})
    p = plan([sensitive], ex)
    assert p.same == [sensitive] and p.unconsented == [(sensitive, ["ethnic_minority", "religious"])]
    p = plan([sensitive], existing(found, sensitive_ok=[7]))
    assert p.update[0].fields == {"ethnic_minority": True, "religious": True} and p.unconsented == []
    new = row("Lê Văn Tâm", date(2001, 2, 14), religious=True)
    p = plan([new], ex)
    assert (p.create[0].fields["religious"], p.unconsented) == (False, [(new, ["religious"])])
    p = plan([row("Lê Văn Tâm", date(2001, 2, 14), religious=False)], ex)
    assert p.unconsented == []


def test_an_official_member_new_to_chibo_goes_on_the_roster_from_recognition_or_a_year_after_admission():
    ex = existing()
    p = plan([row("Đào Văn Lực", official_on=date(2015, 3, 1), admitted_on=date(2014, 1, 2))], ex)
    assert [(x.fields, x.is_member, x.new) for x in p.create] == [(
        {"full_name": "Đào Văn Lực", "status": "official", "since": date(2015, 3, 1)}, True, True)]
    assert p.counts()["members"] == 1 and p.counts()["created"] == 1
    p = plan([row("Đào Văn Lực", stage=Stage.official, admitted_on=date(2014, 1, 2))], ex)
    assert p.create[0].fields["since"] == date(2015, 1, 2)
    # named official with the 12 months still to come: official from the import day, not from a day ahead
    p = plan([row("Đào Văn Lực", stage=Stage.official, admitted_on=date(2025, 9, 1))], ex)
    assert p.create[0].fields["since"] == TODAY
    p = plan([row("Đào Văn Lực", stage=Stage.official, n=6)], ex)
    assert p.errors == [RowError(6, "", "", "member_needs_date")] and p.create == []


def test_a_row_admitted_long_ago_with_no_recognition_is_an_official_member_if_new_to_chibo():
    # Admitted 11/01/2025 with no recognition date: the branch's time to decide ended on
    # 27/02/2026, before today, so a person new to chibo is an official member since the 12
    # months ended (not a probationary one reminded every week as overdue). Admitted a day
    # later, the branch's time ends today: still probationary. Someone chibo follows as
    # probationary stays so: the blank cell may be a late recognition, which chibo reminds of.
    found = person(stage=Stage.probationary, stage_since=date(2025, 1, 11))
    ex = existing(found)
    p = plan([row(admitted_on=date(2025, 1, 11)),
              row("Đào Văn Lực", admitted_on=date(2025, 1, 11), n=3),
              row("Lê Thị Hoa", admitted_on=date(2025, 1, 12), n=4)], ex)
    assert [(x.candidate_id, x.fields.get("stage")) for x in p.update + p.same] == [(7, None)]
    assert rw._stage_of(row(admitted_on=date(2025, 1, 11)), Stage.probationary, TODAY) == Stage.probationary
    assert rw._stage_of(row(admitted_on=date(2025, 1, 11)), Stage.proposed, TODAY) == Stage.probationary
    assert [(x.fields, x.is_member) for x in p.create if x.is_member] == [
        ({"full_name": "Đào Văn Lực", "status": "official", "since": date(2026, 1, 11)}, True)]
    assert [(x.fields["full_name"], x.fields["stage"], x.fields["stage_since"], x.steps)
            for x in p.create if not x.is_member] == [
        ("Lê Thị Hoa", "probationary", date(2025, 1, 12), [(Stage.probationary, date(2025, 1, 12))])]


def test_a_member_on_the_roster_is_updated_left_alone_or_ambiguous():
    held = member("Đào Văn Lực", MemberStatus.probationary)
    held.since = date(2014, 1, 2)
    ex = existing(roster={"dao van luc": [held], "le thi ha": [member("Lê Thị Hà"), member("Lê Thị Hà", mid=2)]})
    p = plan([], ex, members=[MemberRow(3, "Đào Văn Lực", "official", date(2015, 1, 2))])
    assert [(x.fields, x.member, x.is_member) for x in p.update] == [(
        {"status": "official", "since": date(2015, 1, 2)}, held, True)]
    assert p.counts() == {"created": 0, "updated": 1, "unchanged": 0, "near": 0, "members": 1}
    same = MemberRow(3, "Đào Văn Lực", "probationary", date(2014, 1, 2))
    p = plan([], ex, members=[same])
    assert p.same == [same] and p.update == []
    p = plan([], ex, members=[MemberRow(4, "Lê Thị Hà", "official", date(2015, 1, 2))],
             member_headers={"full_name": "Họ tên"})
    assert p.errors == [RowError(4, "Họ tên", "Lê Thị Hà", "member_ambiguous", member=True)]
    p = plan([row("Lê Thị Hà", official_on=date(2015, 1, 2), n=7)], ex, headers={"full_name": "Họ và tên"})
    assert p.errors == [RowError(7, "Họ và tên", "Lê Thị Hà", "member_ambiguous", member=False)]


def test_a_sponsor_may_be_an_official_member_the_file_or_the_roster_brings():
    roster = {"pham van a": [member("Phạm Văn A")], "le thi b": [member("Lê Thị B", MemberStatus.probationary)],
              "vo van c": [member("Võ Văn C", person_id=12)]}
    ex = existing(roster=roster)
    wanted = {"Phạm Văn A": "pham van a", "Đào Văn Lực": "dao van luc", "Ngô Văn D": "ngo van d"}
    rows = [row("Đào Văn Lực", official_on=date(2015, 3, 1), n=2)] + [
        row(f"Người {i}", date(2000, 1, 1 + i), n=3 + i, sponsor=s) for i, s in enumerate(wanted)]
    p = plan(rows, ex, members=[MemberRow(9, "Ngô Văn D", "official", date(2010, 1, 1))])
    assert p.errors == []
    assert [x.fields["sponsor_id"] for x in p.create if not x.is_member] == list(wanted.values())
    for name in ("Lê Thị B", "Võ Văn C"):  # probationary; already a person (not a sponsor of this branch)
        p = plan([row("Người 9", date(2000, 2, 2), sponsor=name)], ex)
        assert [e.problem for e in p.errors] == ["sponsor_unknown"]
    p = plan([row("Người 9", date(2000, 2, 2), sponsor="Ngô Văn E")], ex,
             members=[MemberRow(9, "Ngô Văn E", "probationary", date(2025, 1, 1))])
    assert [e.problem for e in p.errors] == ["sponsor_unknown"]
    twice = existing(roster={"pham van a": [member("Phạm Văn A")]}, sponsors={})
    p = plan([row("Người 9", date(2000, 2, 2), sponsor="Phạm Văn A")], twice,
             members=[MemberRow(9, "Phạm Văn A", "official", date(2010, 1, 1))])
    assert p.errors == [] and p.create[-1].fields["sponsor_id"] == "pham van a"
    known = existing(person("Đào Văn Lực", cid=9, stage=Stage.official))
    p = plan([row("Người 9", date(2000, 2, 2), sponsor="Đào Văn Lực"),
              row("Đào Văn Lực", official_on=date(2015, 3, 1))], known)
    assert [e.problem for e in p.errors] == ["sponsor_unknown"]  # already a candidate: not brought by the file


# ---- On the demo branch ------------------------------------------------------------------------

async def test_the_demo_branch_s_register_as_loaded(db):
    branch = await org(db, BRANCH)
    ex = await rw.load_existing(session=db, branch_id=branch)
    names = {c.full_name for c in ex.by_identity.values()}
    assert "Đặng Ngọc Lan" in names and "Ngô Đức Thắng" not in names
    lan = next(c for c in ex.by_identity.values() if c.full_name == "Đặng Ngọc Lan")
    assert ex.by_identity[(fold("Đặng Ngọc Lan"), lan.birth_date, False)] is lan
    assert lan in ex.by_year[1997]
    assert sorted(ex.entries[lan.id]) == ["1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ", "CN-NTVĐ"]
    assert ex.records[lan.id].dossier_started_on is not None
    assert ex.last_number == max(c.number for c in ex.by_identity.values())
    assert len(ex.sponsors["tran van binh"]) == 1 and "hoang mai anh" not in ex.sponsors
    assert [m.full_name for m in ex.roster["hoang mai anh"]] == ["Hoàng Mai Anh"]
    assert "nguyen huu phuoc" in ex.roster and "tran van binh" in ex.roster
    assert ex.sensitive_ok == frozenset()
    other = await rw.load_existing(session=db, branch_id=await org(db, "Chi bộ Khoa Toán, ĐH Sư phạm (demo)"))
    assert other.roster == {} and other.entries == {} and other.records == {}
    assert {c.full_name for c in other.by_identity.values()} == {"Ngô Đức Thắng", "Lý Thị Hồng"}


async def test_a_plan_written_into_the_demo_branch(db):
    branch = await org(db, BRANCH)
    by = await secretary(db)
    ex = await rw.load_existing(session=db, branch_id=branch)
    lan = next(c for c in ex.by_identity.values() if c.full_name == "Đặng Ngọc Lan")
    rows = [
        row("Nguyễn Thị Mai", sponsor="Trần Văn Bình", certificate_on=date(2024, 5, 20), certificate_number="125",
            dossier={"1-KNĐ": date(2025, 4, 10)}, n=2),
        row("Đào Văn Lực", date(1980, 1, 1), official_on=date(2015, 3, 1), n=3, gender=Gender.male),
        row("Lê Văn Tâm", date(2001, 2, 14), sponsor="Đào Văn Lực", stage=Stage.probationary,
            admitted_on=date(2025, 6, 1), n=4, gender=Gender.male),
        row("Đặng Ngọc Lan", lan.birth_date, unit="Tổ Anh", present={"unit"},
            certificate_on=date(2025, 11, 1), certificate_number="CN-9", admitted_on=date(2026, 2, 1), n=5),
    ]
    p = plan(rows, ex)
    assert p.errors == [] and p.counts() == {"created": 3, "updated": 1, "unchanged": 0, "near": 0, "members": 1}
    await rw.write_plan(session=db, branch_id=branch, plan=p, existing=ex, now=NOW, by_person_id=by,
                        file_name="sổ.xlsx")
    made = {c.full_name: c for c in (await db.exec(sa.select(Candidate).where(
        Candidate.branch_id == branch, Candidate.number > ex.last_number))).scalars()}
    assert {n: c.number - ex.last_number for n, c in made.items()} == {"Nguyễn Thị Mai": 1, "Lê Văn Tâm": 2}
    mai, tam = made["Nguyễn Thị Mai"], made["Lê Văn Tâm"]
    assert (mai.created_by, mai.sponsor_id, Stage(mai.stage)) == (by, ex.sponsors["tran van binh"][0], Stage.dossier)
    luc = (await db.exec(sa.select(PartyMember).where(PartyMember.full_name == "Đào Văn Lực"))).scalar_one()
    assert (luc.org_id, MemberStatus(luc.status), luc.since, luc.person_id is not None) == (
        branch, MemberStatus.official, date(2015, 3, 1), True)
    assert tam.sponsor_id == luc.person_id
    grant = (await db.exec(sa.select(RoleGrant).where(RoleGrant.person_id == luc.person_id))).scalar_one()
    assert (grant.org_id, Role(grant.role)) == (branch, Role.sponsor)
    assert (await db.get(Person, luc.person_id)).full_name == "Đào Văn Lực"
    on_roster = (await db.exec(sa.select(PartyMember).where(PartyMember.candidate_id == tam.id))).scalar_one()
    assert (MemberStatus(on_roster.status), on_roster.since, on_roster.full_name, on_roster.person_id) == (
        MemberStatus.probationary, date(2025, 6, 1), "Lê Văn Tâm", None)
    steps = [(s.from_stage, s.to_stage, s.on, s.by_person_id) for s in (await db.exec(
        sa.select(StageChange).where(StageChange.candidate_id == mai.id).order_by(StageChange.id))).scalars()]
    assert steps == [(None, "awareness_class", date(2024, 5, 20), by), ("awareness_class", "dossier",
                                                                         date(2025, 4, 10), by)]
    papers = {e.item: (e.dated, e.number) for e in (await db.exec(
        sa.select(DossierEntry).where(DossierEntry.candidate_id == mai.id))).scalars()}
    assert papers == {"CN-NTVĐ": (date(2024, 5, 20), "125"), "1-KNĐ": (date(2025, 4, 10), None)}
    record = await db.get(AdmissionRecord, mai.id)
    assert record.dossier_started_on == date(2025, 4, 10)
    tam_record = await db.get(AdmissionRecord, tam.id)
    assert (tam_record.decision_on, tam_record.ceremony_on) == (date(2025, 6, 1), date(2025, 6, 1))
    # Lan: her unit changed, her certificate re-dated and numbered, her admission recorded, a step up
    await db.refresh(lan)
    assert (lan.unit, Stage(lan.stage), lan.stage_since) == ("Tổ Anh", Stage.probationary, date(2026, 2, 1))
    cert = (await db.exec(sa.select(DossierEntry).where(DossierEntry.candidate_id == lan.id,
                                                        DossierEntry.item == "CN-NTVĐ"))).scalar_one()
    assert (cert.dated, cert.number, cert.at.replace(tzinfo=None)) == (date(2025, 11, 1), "CN-9",
                                                                        NOW.replace(tzinfo=None))
    lan_record = await db.get(AdmissionRecord, lan.id)
    assert (lan_record.decision_on, lan_record.ceremony_on, lan_record.updated_at.replace(tzinfo=None)) == (
        date(2026, 2, 1), date(2026, 2, 1), NOW.replace(tzinfo=None))
    lan_steps = [(s.from_stage, s.to_stage, s.on) for s in (await db.exec(
        sa.select(StageChange).where(StageChange.candidate_id == lan.id).order_by(StageChange.id))).scalars()]
    assert lan_steps[-1] == ("dossier", "probationary", date(2026, 2, 1))
    audit = (await db.exec(sa.select(AuditLog).where(AuditLog.action == "import"))).scalar_one()
    assert (audit.person_id, audit.subject, audit.detail) == (
        by, f"org:{branch}", "file=sổ.xlsx; created=3; updated=1; unchanged=0; near=0; members=1")


async def test_a_member_on_the_roster_without_a_chat_named_as_sponsor_becomes_a_person(db):
    branch = await org(db, BRANCH)
    ex = await rw.load_existing(session=db, branch_id=branch)
    p = plan([row("Nguyễn Thị Mai", sponsor="Nguyễn Hữu Phước")], ex)
    assert p.errors == []
    await rw.write_plan(session=db, branch_id=branch, plan=p, existing=ex, now=NOW, by_person_id=None,
                        file_name="x" * 100)
    phuoc = (await db.exec(sa.select(PartyMember).where(PartyMember.full_name == "Nguyễn Hữu Phước"))).scalar_one()
    assert phuoc.person_id is not None
    mai = (await db.exec(sa.select(Candidate).where(Candidate.full_name == "Nguyễn Thị Mai"))).scalar_one()
    assert mai.sponsor_id == phuoc.person_id
    grant = (await db.exec(sa.select(RoleGrant).where(RoleGrant.person_id == phuoc.person_id))).scalar_one()
    assert (grant.org_id, Role(grant.role)) == (branch, Role.sponsor)
    audit = (await db.exec(sa.select(AuditLog).where(AuditLog.action == "import"))).scalar_one()
    assert audit.detail.startswith("file=" + "x" * 80 + "; created=1;") and audit.person_id is None


async def test_a_members_sheet_written_updates_the_roster_and_a_probationary_newcomer_is_no_person(db):
    branch = await org(db, BRANCH)
    ex = await rw.load_existing(session=db, branch_id=branch)
    p = plan([], ex, members=[MemberRow(2, "Hoàng Mai Anh", "official", date(2026, 2, 20)),
                              MemberRow(3, "Phan Thị Mới", "probationary", date(2025, 12, 1))])
    assert p.counts() == {"created": 1, "updated": 1, "unchanged": 0, "near": 0, "members": 2}
    await rw.write_plan(session=db, branch_id=branch, plan=p, existing=ex, now=NOW, by_person_id=None,
                        file_name="f")
    anh = (await db.exec(sa.select(PartyMember).where(PartyMember.full_name == "Hoàng Mai Anh"))).scalar_one()
    assert (MemberStatus(anh.status), anh.since, anh.at.replace(tzinfo=None)) == (
        MemberStatus.official, date(2026, 2, 20), NOW.replace(tzinfo=None))
    new = (await db.exec(sa.select(PartyMember).where(PartyMember.full_name == "Phan Thị Mới"))).scalar_one()
    assert (MemberStatus(new.status), new.since, new.person_id, new.org_id) == (
        MemberStatus.probationary, date(2025, 12, 1), None, branch)
    assert (await db.exec(sa.select(sa.func.count()).select_from(Person).where(
        Person.full_name == "Phan Thị Mới"))).scalar_one() == 0
