"""Importing a branch's register (issue 14, "Import") into the demo branch, on the test database
(SQLite, or PostgreSQL with TEST_DATABASE_URL): a real-looking .xlsx with title rows, merged
header cells, Excel dates and text dates; every row checked before anything is written; a dry
run that writes nothing; importing twice, or importing an export, changes nothing."""

import io
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from bot.events import Attachment, Incoming
from bot.register_file import (
    book, example_row, export_members, export_rows, import_register, read_register, template,
)
from bot.spreadsheet import BadFile, write_book
from models.audit import AuditLog
from models.candidate import Candidate, StageChange
from models.candidate_edit import edit_candidate
from models.dossier import AdmissionRecord, DossierEntry
from models.next_step import next_step
from models.org import Organisation
from models.people import Person, RoleGrant
from models.consent import GivenBy, Method, record
from models.progress import candidate_dates
from models.roster import PartyMember
from models.stage import Stage
from tests.support import number_of

BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"


def register(path: Path, rows: list[list], *, title_rows: int = 2) -> Path:
    """A branch's register as secretaries keep it: a title, a two-row header where "Giấy chứng
    nhận lớp bồi dưỡng" is merged over "Số" and "Ngày cấp" and the other headers are merged down
    over both rows; an STT and an ID card column chibo ignores; a column it does not know."""
    wb = Workbook()
    ws = wb.active
    ws.append(["ĐẢNG BỘ KHỐI GIÁO DỤC"])
    ws.append(["DANH SÁCH QUẦN CHÚNG ƯU TÚ NĂM 2026"])
    ws.merge_cells("A2:H2")
    for _ in range(title_rows - 2):
        ws.append([])
    top = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Tổ chuyên môn", "Đoàn viên", "Giai đoạn",
           "Đảng viên giúp đỡ", "Giấy chứng nhận lớp bồi dưỡng", None, "Đơn xin vào Đảng", "Số CCCD", "Sở thích"]
    ws.append(top)
    ws.append([None] * 8 + ["Số", "Ngày cấp"])
    header = ws.max_row - 1
    for col in "ABCDEFGHKLM":
        ws.merge_cells(f"{col}{header}:{col}{header + 1}")
    ws.merge_cells(f"I{header}:J{header}")
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row])
    wb.save(path)
    return path


# name, birth, gender, unit, youth union, stage, sponsor, certificate number, its date, application, id card
GOOD = [
    ["Nguyễn Thị Mai", datetime(1999, 9, 5), "Nữ", "Tổ Ngữ văn", "x", "Làm hồ sơ", "Trần Văn Bình", "125/GCN",
     datetime(2024, 5, 20), "10/4/2025", "001199000001"],
    ["Lê Văn Tâm", "14/02/2001", "Nam", "Tổ Toán", "", "Cảm tình Đảng", "", None, None, None, "001201000002"],
    ["Phạm Quốc Bảo", "3/7/98", "nam", "Tổ Toán", "có", "", "Đỗ Thị Mai", "88", "01/06/2024", None, None],
]


async def run(chibo, path: Path, *, dry_run: bool = False, accept_near: bool = False) -> tuple[int, str]:
    reading = read_register(path, chibo.clock.today())
    async with chibo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        return await import_register(session=session, reading=reading, branch_id=branch.id, branch_name=branch.name,
                                     today=chibo.clock.today(), now=chibo.clock.now(), dry_run=dry_run,
                                     accept_near=accept_near, file_name=path.name)


async def imported(chibo) -> dict[str, Candidate]:
    async with chibo.sessions() as session:
        rows = await session.exec(select(Candidate).where(Candidate.full_name.in_([r[0] for r in GOOD])))
        return {c.full_name: c for c in rows}


async def highest_number(chibo) -> int:
    """The demo branch's highest register number: the next person added gets the one after it."""
    async with chibo.sessions() as session:
        return (await session.exec(
            select(sa.func.max(Candidate.number)).join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Organisation.name == BRANCH))).one()


async def counts(chibo) -> tuple[int, ...]:
    async with chibo.sessions() as session:
        return tuple([(await session.exec(select(sa.func.count()).select_from(t))).one()
                      for t in (Candidate, StageChange, DossierEntry, AdmissionRecord, AuditLog)])


async def test_a_real_looking_register_comes_in_with_its_history(demo, tmp_path):
    highest = await highest_number(demo)
    status, text = await run(demo, register(tmp_path / "ds.xlsx", GOOD))
    assert status == 0, text
    assert text == ("Các cột không dùng (bỏ qua): Sở thích.\n"
                    "Dòng 5: đã thêm Nguyễn Thị Mai (Đang làm hồ sơ).\n"
                    "Dòng 6: đã thêm Lê Văn Tâm (Cảm tình Đảng).\n"
                    "Dòng 7: đã thêm Phạm Quốc Bảo (Học lớp nhận thức về Đảng).\n"
                    f"Đã nhập vào {BRANCH}: 3 người mới, 0 cập nhật, 0 không đổi.")
    people = await imported(demo)
    mai, tam, bao = people["Nguyễn Thị Mai"], people["Lê Văn Tâm"], people["Phạm Quốc Bảo"]
    assert (mai.birth_date, tam.birth_date, bao.birth_date) == (date(1999, 9, 5), date(2001, 2, 14), date(1998, 7, 3))
    assert (mai.unit, mai.youth_union, tam.youth_union, bao.youth_union) == ("Tổ Ngữ văn", True, False, True)
    assert (mai.stage, mai.stage_since) == (Stage.dossier, date(2025, 4, 10))
    assert (tam.stage, tam.stage_since) == (Stage.sympathizer, date(2026, 3, 2))  # undated: from the import day
    assert (bao.stage, bao.stage_since) == (Stage.awareness_class, date(2024, 6, 1))  # from the certificate's date
    assert mai.number == highest + 1 and mai.sponsor_id is not None and tam.sponsor_id is None
    async with demo.sessions() as session:
        history = list(await session.exec(select(StageChange.from_stage, StageChange.to_stage, StageChange.on)
                                          .where(StageChange.candidate_id == mai.id).order_by(StageChange.id)))
        assert history == [(None, "awareness_class", date(2024, 5, 20)),
                           ("awareness_class", "dossier", date(2025, 4, 10))]
        papers = set(await session.exec(select(DossierEntry.item, DossierEntry.dated, DossierEntry.number)
                                        .where(DossierEntry.candidate_id == mai.id)))
        assert papers == {("CN-NTVĐ", date(2024, 5, 20), "125/GCN"), ("1-KNĐ", date(2025, 4, 10), None)}
        # reminders start from the true state: a dossier begun 11 months ago is flagged as ageing
        dates = await candidate_dates(session=session, candidate=mai)
        assert dates.dossier_prepared == date(2025, 4, 10) and dates.certificate_issued == date(2024, 5, 20)
        step = next_step(Stage.dossier, dates, today=date(2026, 3, 2), next_meeting=date(2026, 3, 5))
        assert step is not None
        entry = (await session.exec(select(AuditLog).where(AuditLog.action == "import"))).one()
        assert (entry.person_id, entry.detail) == (
            None, "file=ds.xlsx; created=3; updated=0; unchanged=0; near=0; members=0")


async def test_importing_the_same_file_again_changes_nothing(demo, tmp_path):
    path = register(tmp_path / "ds.xlsx", GOOD, title_rows=4)
    assert (await run(demo, path))[0] == 0
    before = await counts(demo)
    status, text = await run(demo, path)
    assert status == 0 and text.endswith(f"Đã nhập vào {BRANCH}: 0 người mới, 0 cập nhật, 3 không đổi.")
    assert await counts(demo) == (*before[:-1], before[-1] + 1)  # only the audit entry


async def test_a_changed_row_updates_the_person_it_names(demo, tmp_path):
    assert (await run(demo, register(tmp_path / "a.xlsx", GOOD)))[0] == 0
    blanked = [*GOOD[2][:3], "", *GOOD[2][4:6], "", *GOOD[2][7:]]  # no unit, no sponsor: left as they are
    changed = [GOOD[0], [*GOOD[1][:3], "Tổ Tin học", *GOOD[1][4:]], blanked]
    status, text = await run(demo, register(tmp_path / "b.xlsx", changed))
    assert status == 0 and "Dòng 6: đã cập nhật Lê Văn Tâm." in text
    assert text.endswith("0 người mới, 1 cập nhật, 2 không đổi.")
    people = await imported(demo)
    assert people["Lê Văn Tâm"].unit == "Tổ Tin học"
    assert (people["Phạm Quốc Bảo"].unit, people["Phạm Quốc Bảo"].sponsor_id is not None) == ("Tổ Toán", True)


async def test_an_older_register_never_moves_anyone_back(demo, tmp_path):
    # the demo's Đặng Ngọc Lan is making her dossier; an old register still has her a sympathizer
    path = tmp_path / "cu.csv"
    path.write_text("Họ và tên,Ngày sinh,Giới tính,Giai đoạn\nĐặng Ngọc Lan,28/02/1997,Nữ,Cảm tình Đảng\n",
                    encoding="utf-8")
    status, text = await run(demo, path)
    assert (status, text) == (0, 'Dòng 2: Đặng Ngọc Lan trong tệp là "Cảm tình Đảng", chibo đã ghi "Đang làm hồ sơ" '
                                 f"(bước sau); giữ theo chibo.\nĐã nhập vào {BRANCH}: 0 người mới, 0 cập nhật, "
                                 "1 không đổi.")
    async with demo.sessions() as session:
        lan = (await session.exec(select(Candidate).where(Candidate.full_name == "Đặng Ngọc Lan"))).one()
    assert lan.stage == Stage.dossier


async def test_a_dry_run_writes_nothing(demo, tmp_path):
    before = await counts(demo)
    status, text = await run(demo, register(tmp_path / "ds.xlsx", GOOD), dry_run=True)
    assert status == 0 and "Dòng 5: sẽ thêm Nguyễn Thị Mai (Đang làm hồ sơ)." in text
    assert text.endswith(f"Nhập thử (chưa ghi gì) vào {BRANCH}: 3 người mới, 0 cập nhật, 0 không đổi.")
    assert await counts(demo) == before


@pytest.mark.parametrize("cell, value, line", [
    (1, "31/02/2001", "Dòng 5, cột Ngày sinh: '31/02/2001' không phải là ngày có thật."),
    (1, "2001", "Dòng 5, cột Ngày sinh: '2001' chỉ có năm; cột này cần đủ ngày/tháng/năm (chỉ cột Năm sinh nhận năm)."),
    (1, "hôm kia", "Dòng 5, cột Ngày sinh: 'hôm kia' không phải là ngày (gõ ngày/tháng/năm, ví dụ 05/09/2007)."),
    (1, "", "Dòng 5, cột Ngày sinh: '' bị trống, cột này phải có."),
    (1, "01/01/2030", "Dòng 5, cột Ngày sinh: '01/01/2030' là ngày trong tương lai."),
    (0, "", "Dòng 5, cột Họ và tên: '' bị trống, cột này phải có."),
    (2, "Không rõ", "Dòng 5, cột Giới tính: 'Không rõ' không rõ là Nam hay Nữ."),
    (4, "có lẽ", "Dòng 5, cột Đoàn viên: 'có lẽ' không rõ là Có hay Không."),
    (5, "Sắp vào", "Dòng 5, cột Giai đoạn: 'Sắp vào' không phải là một giai đoạn chibo biết "
                   "(xem trang Hướng dẫn của tệp mẫu)."),
    (6, "Trần Văn Bảy", "Dòng 5, cột Đảng viên giúp đỡ: 'Trần Văn Bảy' không phải là đảng viên chính thức "
                         "của chi bộ trong chibo (thêm đảng viên trước, hoặc để trống)."),
    (8, None, "Dòng 5, cột Giấy chứng nhận lớp bồi dưỡng Số: '125/GCN' có số giấy chứng nhận nhưng thiếu ngày cấp."),
    (9, "01/01/1990", "Dòng 5, cột Đơn xin vào Đảng: '01/01/1990' là trước ngày sinh."),
    (0, "x" * 121, f"Dòng 5, cột Họ và tên: '{'x' * 60}' dài quá 120 ký tự."),
])
async def test_each_kind_of_row_error_is_one_line_and_nothing_is_written(demo, tmp_path, cell, value, line):
    bad = list(GOOD[0])
    bad[cell] = value
    before = await counts(demo)
    status, text = await run(demo, register(tmp_path / "ds.xlsx", [bad, GOOD[1], GOOD[2]]))
    assert status == 1
    assert text.splitlines()[1:] == [line, "Có 1 lỗi. Chưa ghi gì; sửa tệp rồi nhập lại."]
    assert await counts(demo) == before


async def test_the_same_person_twice_in_a_file_is_an_error(demo, tmp_path):
    status, text = await run(demo, register(tmp_path / "ds.xlsx", [GOOD[0], GOOD[1], ["nguyen thi mai", "05/09/1999",
                                                                                      "Nữ"]]))
    assert status == 1
    assert "Dòng 7, cột Họ và tên: 'nguyen thi mai' trùng với dòng 5 (cùng họ tên và ngày sinh)." in text


async def test_a_near_match_is_reported_never_merged(demo, tmp_path):
    # the demo has "Phạm Thu Hà", born 15/06/2000
    ha = await number_of(demo, "Phạm Thu Hà")
    before = await counts(demo)
    status, text = await run(demo, register(tmp_path / "ds.xlsx", [["Phạm Thu Hằng", "20/10/2000", "Nữ"]]))
    assert status == 0
    assert text.splitlines()[1:] == [
        f"Dòng 5: Phạm Thu Hằng (20/10/2000) gần giống số {ha} Phạm Thu Hà (15/06/2000) đã có; chưa nhập. Nếu là "
        "người khác, nhập lại với --accept-near; nếu là một người, sửa tên hoặc ngày sinh trong tệp.",
        f"Đã nhập vào {BRANCH}: 0 người mới, 0 cập nhật, 0 không đổi, 1 cần xem lại."]
    assert (await counts(demo))[:-1] == before[:-1]
    status, text = await run(demo, register(tmp_path / "ds.xlsx", [["Phạm Thu Hằng", "20/10/2000", "Nữ"]]),
                             accept_near=True)
    assert text.endswith("1 người mới, 0 cập nhật, 0 không đổi.")


async def test_a_bare_year_is_kept_as_a_year_under_nam_sinh(demo, talk, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("\ufeffHọ tên;Năm sinh;Giới tính;Thành phần\nĐào Văn Lực;1987;Nam;Giáo viên\n", encoding="utf-8")
    status, text = await run(demo, path)
    assert status == 0, text
    async with demo.sessions() as session:
        luc = (await session.exec(select(Candidate).where(Candidate.full_name == "Đào Văn Lực"))).one()
    assert (luc.birth_year_only, luc.birth_date.year, luc.category) == (True, 1987, "teacher")
    card = await talk("bithu").say(f"/xem {luc.number}")
    assert card.splitlines()[:2] == [f"{luc.number}. Đào Văn Lực", "- Năm sinh: 1987 · Nam"]  # never "01/01/1987"
    assert (await run(demo, path))[1].endswith("0 người mới, 0 cập nhật, 1 không đổi.")
    async with demo.sessions() as session, session.begin():  # the day learnt later, even 1 January itself
        luc = await session.get(Candidate, luc.id)
        assert await edit_candidate(session=session, candidate=luc, field="birth_date", value=date(1987, 1, 1),
                                    by_person_id=None, now=demo.clock.now(), today=demo.clock.today())
    async with demo.sessions() as session:
        assert (await session.get(Candidate, luc.id)).birth_year_only is False
    # the file's bare year is now someone born that year with that name: asked about, not merged
    assert (await run(demo, path))[1].endswith("0 người mới, 0 cập nhật, 0 không đổi, 1 cần xem lại.")


async def test_members_come_in_on_the_roster_and_can_then_sponsor(demo, tmp_path):
    path = tmp_path / "dv.csv"
    path.write_text("Họ và tên,Ngày sinh,Giới tính,Giai đoạn,Ngày kết nạp,Ngày chính thức,Đảng viên giúp đỡ\n"
                    "Hồ Văn Dự,02/02/1990,Nam,Đảng viên dự bị,15/09/2025,,\n"
                    "Ông Văn Mới,05/05/2005,Nam,Nguồn,,,La Thị Thức\n"
                    "Kim Văn Chính,03/03/1980,Nam,Đảng viên,01/01/2010,,\n"
                    "La Thị Thức,04/04/1985,Nữ,Đảng viên chính thức,01/02/2015,01/02/2016,\n", encoding="utf-8")
    status, text = await run(demo, path)
    assert status == 0, text
    assert text.splitlines() == [
        "Dòng 2: đã thêm Hồ Văn Dự (Đảng viên dự bị).",
        "Dòng 3: đã thêm Ông Văn Mới (Quần chúng ưu tú (nguồn)).",
        "Dòng 4: đã thêm Kim Văn Chính (Đảng viên chính thức).",
        "Dòng 5: đã thêm La Thị Thức (Đảng viên chính thức).",
        f"Đã nhập vào {BRANCH}: 4 người mới, 0 cập nhật, 0 không đổi."]
    async with demo.sessions() as session:
        du = (await session.exec(select(Candidate).where(Candidate.full_name == "Hồ Văn Dự"))).one()
        record = await session.get(AdmissionRecord, du.id)
        moi = (await session.exec(select(Candidate).where(Candidate.full_name == "Ông Văn Mới"))).one()
        sponsor = await session.get(Person, moi.sponsor_id)
        roster = {m.full_name: (m.status, m.since, m.candidate_id) for m in await session.exec(
            select(PartyMember).where(PartyMember.full_name.in_(["Hồ Văn Dự", "Kim Văn Chính", "La Thị Thức"])))}
        official = (await session.exec(select(sa.func.count()).select_from(Candidate)
                                       .where(Candidate.full_name.in_(["Kim Văn Chính", "La Thị Thức"])))).one()
    assert (du.stage, du.stage_since) == (Stage.probationary, date(2025, 9, 15))
    assert (record.decision_on, record.ceremony_on) == (date(2025, 9, 15), date(2025, 9, 15))
    # official members are the roster's, not candidates; without a recognition date, official a year on
    assert official == 0 and sponsor.full_name == "La Thị Thức"
    assert roster == {"Hồ Văn Dự": ("probationary", date(2025, 9, 15), du.id),
                      "Kim Văn Chính": ("official", date(2011, 1, 1), None),
                      "La Thị Thức": ("official", date(2016, 2, 1), None)}
    assert (await run(demo, path))[1].endswith("0 người mới, 0 cập nhật, 4 không đổi.")


async def test_an_official_member_without_any_date_is_an_error(demo, tmp_path):
    path = tmp_path / "dv.csv"
    path.write_text("Họ và tên,Ngày sinh,Giới tính,Giai đoạn\nKim Văn Chính,03/03/1980,Nam,Đảng viên\n",
                    encoding="utf-8")
    status, text = await run(demo, path)
    assert status == 1 and text.splitlines()[0] == (
        "Dòng 2: đảng viên chính thức cần có ngày kết nạp hoặc ngày chính thức.")


async def test_export_then_import_is_a_no_op(demo, tmp_path):
    assert (await run(demo, register(tmp_path / "a.xlsx", GOOD)))[0] == 0
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        rows = await export_rows(session=session, branch_id=branch.id)
    out = tmp_path / "export.xlsx"
    write_book(out, book(rows))
    before = await counts(demo)
    status, text = await run(demo, out)
    assert status == 0 and text == f"Đã nhập vào {BRANCH}: 0 người mới, 0 cập nhật, 18 không đổi.", text
    assert (await counts(demo))[:-1] == before[:-1]


async def roster_of(chibo) -> list[tuple]:
    async with chibo.sessions() as session:
        return sorted((m.full_name, m.status, m.since, m.left_on, m.candidate_id is None)
                      for m in await session.exec(select(PartyMember)))


async def test_the_roster_s_members_are_exported_on_their_own_sheet_and_come_back_into_an_empty_branch(
        demo, tmp_path):
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        session.add(PartyMember(org_id=branch.id, full_name="Dương Văn Dự", status="probationary",
                                since=date(2025, 10, 1), at=demo.clock.now()))
    async with demo.sessions() as session:
        rows = await export_rows(session=session, branch_id=branch.id)
        members = await export_members(session=session, branch_id=branch.id)
    out = tmp_path / "export.xlsx"
    write_book(out, book(rows, members))
    sheet = load_workbook(out)["Đảng viên"]
    assert [[c.value for c in r] for r in sheet.iter_rows(max_row=3)] == [
        ["Họ và tên", "Giai đoạn", "Ngày kết nạp", "Ngày chính thức"],
        ["Đỗ Thị Mai", "Đảng viên chính thức", None, datetime(2020, 3, 3)],
        ["Đoàn Thị Thảo", "Đảng viên chính thức", None, datetime(2023, 3, 3)]]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)][-1] == "Dương Văn Dự"
    # 10 official (those admitted through chibo are in the register), 1 probationary; 15 candidates
    assert len(members) == 11
    before, roster = await counts(demo), await roster_of(demo)
    status, text = await run(demo, out)
    assert status == 0 and text == f"Đã nhập vào {BRANCH}: 0 người mới, 0 cập nhật, 26 không đổi.", text
    assert (await counts(demo))[:-1] == before[:-1] and await roster_of(demo) == roster
    # Into a branch with nobody yet: the same members on its roster, official ones able to sponsor.
    async with demo.sessions() as session, session.begin():
        from models.org import add_org
        from models.stage import OrgKind
        committee = await session.get(Organisation, branch.parent_id)
        empty = await add_org(session=session, name="Chi bộ mới", kind=OrgKind.branch, parent=committee,
                              now=demo.clock.now())
    reading = read_register(out, demo.clock.today())
    async with demo.sessions() as session, session.begin():
        status, text = await import_register(session=session, reading=reading, branch_id=empty.id,
                                             branch_name=empty.name, today=demo.clock.today(), now=demo.clock.now(),
                                             dry_run=False, accept_near=False, file_name=out.name)
    assert status == 0, text
    async with demo.sessions() as session:
        there = sorted((m.full_name, m.status, m.since, m.person_id is not None) for m in await session.exec(
            select(PartyMember).where(PartyMember.org_id == empty.id, PartyMember.candidate_id.is_(None))))
        grants = (await session.exec(sa.select(sa.func.count()).select_from(RoleGrant)
                                     .where(RoleGrant.org_id == empty.id))).scalar_one()
    exported = sorted((r[0], "official" if r[3] else "probationary", r[3] or r[2]) for r in members)
    # Cao Thị Huyền, a candidate recognised through chibo, comes from the register's sheet (as before)
    huyen = [t for t in there if t[0] == "Cao Thị Huyền"]
    assert [t[:3] for t in there if t[0] != "Cao Thị Huyền"] == exported
    assert [t[1] for t in huyen] == ["official"]
    assert [t[0] for t in there if t[3]] == sorted([t[0] for t in exported if t[1] == "official"] + ["Cao Thị Huyền"])
    assert grants == 11  # each official member a person who may sponsor; the probationary one not


async def test_a_members_sheet_s_errors_are_lines_like_the_register_s(demo, tmp_path):
    path = tmp_path / "dv.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Giai đoạn", "Ngày kết nạp", "Ngày chính thức"])
    ws.append(["Mai Văn Một", "Nguồn", "01/01/2020", None])
    ws.append(["Mai Văn Hai", "Đảng viên dự bị", None, None])
    ws.append(["Mai Văn Ba", None, "31/02/2020", None])
    ws.append(["Mai Văn Bốn", None, "01/01/2020", "01/01/2019"])
    ws.append(["Mai Văn Năm", "Đảng viên chính thức", "01/01/2020", None])
    ws.append(["Mai Văn Năm", None, "01/01/2021", None])
    wb.save(path)
    status, text = await run(demo, path)
    assert status == 1
    assert text.splitlines() == [
        "Dòng 2, cột Giai đoạn: 'Nguồn' không phải là giai đoạn của một đảng viên (Đảng viên dự bị hoặc Đảng "
        "viên chính thức).",
        "Dòng 3: đảng viên cần có ngày kết nạp.",
        "Dòng 4, cột Ngày kết nạp: '31/02/2020' không phải là ngày có thật.",
        "Dòng 5, cột Ngày chính thức: '01/01/2019' không sau ngày kết nạp.",
        "Dòng 7, cột Họ và tên: 'Mai Văn Năm' trùng với dòng 6 (cùng họ tên).",
        "Có 5 lỗi. Chưa ghi gì; sửa tệp rồi nhập lại."]


async def test_in_a_file_of_two_sheets_a_members_row_is_named_with_its_sheet(demo, tmp_path):
    path = tmp_path / "ds.xlsx"
    write_book(path, book([example_row(date(2026, 3, 2))], members=[["Mai Văn Hai", "Đảng viên dự bị", None, None],
                                                                    ["Mai Văn Ba", None, "01/02/2025", None]]))
    status, text = await run(demo, path)
    assert status == 1
    assert text.splitlines() == ["Trang Đảng viên, dòng 2: đảng viên cần có ngày kết nạp.",
                                 "Có 1 lỗi. Chưa ghi gì; sửa tệp rồi nhập lại."]
    write_book(path, book([example_row(date(2026, 3, 2))], members=[["Mai Văn Ba", None, "01/02/2025", None]]))
    status, text = await run(demo, path, dry_run=True)
    assert (status, text.splitlines()) == (0, [
        "Dòng 4: sẽ thêm Nguyễn Thị Mai (Đang làm hồ sơ).",
        "Trang Đảng viên, dòng 2: sẽ thêm Mai Văn Ba (Đảng viên dự bị).",
        "Nhập thử (chưa ghi gì) vào Chi bộ Trường THPT Trần Phú (demo): 2 người mới, 0 cập nhật, 0 không đổi."])


def test_the_template_has_lists_to_choose_from_and_a_sheet_explaining_each_column(tmp_path):
    path = tmp_path / "mau.xlsx"
    write_book(path, template(date(2026, 3, 2)))
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Danh sách", "Đảng viên", "Hướng dẫn"]
    ws = wb["Danh sách"]
    headers = [c.value for c in ws[3]]
    assert headers[:4] == ["Họ và tên", "Ngày sinh", "Năm sinh", "Giới tính"]
    assert ws["A4"].value == "Nguyễn Thị Mai" and ws["B4"].value == datetime(2001, 9, 5)
    lists = wb["Danh muc"]
    choices = {}
    for dv in ws.data_validations.dataValidation:
        column = str(dv.sqref).split(":")[0].rstrip("0123456789")
        letter = dv.formula1.split("!$")[1][0]
        choices[headers[ord(column) - 65]] = [c.value for c in lists[letter] if c.value]
    assert choices["Giới tính"] == ["Nam", "Nữ"]
    assert choices["Đoàn viên"] == ["Có", "Không"]
    assert "Đảng viên dự bị" in choices["Giai đoạn"]
    help_rows = {r[0].value: r[1].value for r in wb["Hướng dẫn"].iter_rows(min_row=2)}
    assert help_rows["Giới tính"] == "Bắt buộc. Nam hoặc Nữ."
    assert help_rows["Đảng viên"].startswith("Trang thứ hai: đảng viên của chi bộ")
    assert len(help_rows) == len(headers) + 1
    members = wb["Đảng viên"]
    assert [c.value for c in members[1]] == ["Họ và tên", "Giai đoạn", "Ngày kết nạp", "Ngày chính thức"]
    assert [c.value for c in members[2]] == ["Phạm Văn Hùng", "Đảng viên chính thức", None, datetime(2020, 3, 3)]
    reading = read_register(path, date(2026, 3, 2))  # the template reads back: one good row, one good member
    assert (reading.layout.header_row, len(reading.rows), reading.errors) == (3, 1, [])
    assert [(m.full_name, m.status, m.since) for m in reading.members] == [("Phạm Văn Hùng", "official",
                                                                             date(2020, 3, 3))]


@pytest.mark.parametrize("name, content, reason", [
    ("ds.xlsx", b"", "empty"),
    ("ds.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password"),
    ("ds.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old_excel"),
    ("ds.xlsx", b"PK junk, not a zip at all" * 100, "not_register"),
    ("ds.pdf", b"%PDF-1.4", "not_register"),
    ("ds.csv", "Họ tên,Ngày sinh\n".encode("utf-16"), "not_register"),
    ("ds.csv", "Ho ten,Ngay sinh\nĐàn,1/1/2000\n".encode("latin-1", "replace").replace(b"?", b"\xe0"), "not_utf8"),
    ("ds.csv", b"a,b,c\n1,2,3\n", "no_header"),
    ("ds.csv", b"\n\n  \n", "empty"),
])
def test_a_file_chibo_cannot_read_gets_one_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BadFile) as raised:
        read_register(path, date(2026, 3, 2))
    assert raised.value.reason == reason


def test_a_sheet_of_formulas_only_and_ten_megabytes_of_junk(tmp_path):
    wb = Workbook()
    wb.active.append(["=A2", "=B2"])
    wb.save(tmp_path / "f.xlsx")
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"x" * (10 * 1024 * 1024 + 1))
    for path, reason in ((tmp_path / "f.xlsx", "formulas_only"), (junk, "too_big")):
        with pytest.raises(BadFile) as raised:
            read_register(path, date(2026, 3, 2))
        assert raised.value.reason == reason


def test_a_file_without_a_gender_column_names_what_is_missing(tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Ngày sinh\nAn,01/01/2000\n", encoding="utf-8")
    with pytest.raises(BadFile) as raised:
        read_register(path, date(2026, 3, 2))
    assert (raised.value.reason, raised.value.values) == ("missing_columns", {"columns": ["Giới tính"]})


async def test_nhap_sends_the_template_and_the_command_for_the_branch(talk):
    out = await talk("bithu").send("/nhap")
    assert [m.text for m in out] == [
        "Nhập danh sách có sẵn của chi bộ (quần chúng, cảm tình Đảng, đảng viên), không phải gõ từng người:\n"
        "1. Điền tệp mẫu mau-nhap-danh-sach.xlsx (xem tin nhắn kèm theo): mỗi dòng một người; "
        "trang \"Hướng dẫn\" giải thích "
        "từng cột. Tệp Excel sẵn có của chi bộ cũng dùng được nếu tiêu đề cột giống tệp mẫu.\n"
        "2. Gửi tệp cho chibo trên Telegram, hoặc nhờ người quản trị chibo chạy lệnh xem trước (chưa ghi gì):\n"
        f'   chibo import TỆP --org "{BRANCH}" --dry-run\n'
        "3. Nếu không có lỗi, chạy lại lệnh đó bỏ --dry-run để nhập. Nhập lại cùng một tệp không tạo thêm ai."]
    assert out[0].file.name == "mau-nhap-danh-sach.xlsx"
    assert load_workbook(io.BytesIO(out[0].file.data)).sheetnames[:3] == ["Danh sách", "Đảng viên", "Hướng dẫn"]


async def test_nhap_is_the_branch_secretarys(talk):
    refused = await talk("quanchung").send("/nhap")
    assert all(m.file is None for m in refused) and "chibo import" not in refused[0].text



async def send_file(convo, path: Path, caption: str = ""):
    """What the Telegram channel hands the engine for a document: "/nhap" with the file."""
    incoming = Incoming(channel="console", chat_id=convo.account, sender_id=convo.account,
                        text=f"/nhap {caption}".strip(), message_id=f"f{path.name}{caption}",
                        received_at=convo.chibo.clock.now(), attachment=Attachment(
                            name=path.name, mime="", data=path.read_bytes()))
    return await convo.chibo.process(incoming, convo.caps)


async def test_a_file_sent_in_chat_gets_its_dry_run_then_nhap_writes_it(talk, tmp_path):
    bithu = talk("bithu")
    before = await counts(bithu.chibo)
    out = await send_file(bithu, register(tmp_path / "ds.xlsx", GOOD))
    assert out[0].text == (
        "Các cột không dùng (bỏ qua): Sở thích.\n"
        "Dòng 5: sẽ thêm Nguyễn Thị Mai (Đang làm hồ sơ).\n"
        "Dòng 6: sẽ thêm Lê Văn Tâm (Cảm tình Đảng).\n"
        "Dòng 7: sẽ thêm Phạm Quốc Bảo (Học lớp nhận thức về Đảng).\n"
        f"Nhập thử (chưa ghi gì) vào {BRANCH}: 3 người mới, 0 cập nhật, 0 không đổi.\n\n"
        'Bấm "Nhập" để ghi, hoặc "Huỷ".\n\n'
        "1. Nhập\n2. Huỷ\n(Trả lời bằng số hoặc bằng chữ)")
    assert (await counts(bithu.chibo))[:-1] == before[:-1]
    refused = await talk("giupdo").say("/nhap ghi 1")  # another person's file is not theirs to import
    assert "đã thêm" not in refused and "Nhập thử" not in refused
    assert (await counts(bithu.chibo))[0] == before[0]
    done = await bithu.say("1")
    assert done == "Các cột không dùng (bỏ qua): Sở thích.\n" \
                  f"Dòng 5: đã thêm Nguyễn Thị Mai (Đang làm hồ sơ).\nDòng 6: đã thêm Lê Văn Tâm (Cảm tình Đảng).\n" \
                  f"Dòng 7: đã thêm Phạm Quốc Bảo (Học lớp nhận thức về Đảng).\n" \
                  f"Đã nhập vào {BRANCH}: 3 người mới, 0 cập nhật, 0 không đổi."
    assert (await counts(bithu.chibo))[0] == before[0] + 3
    async with bithu.chibo.sessions() as session:
        entry = (await session.exec(select(AuditLog).where(AuditLog.action == "import"))).one()
        secretary = (await session.exec(select(Person).where(Person.full_name == "Nguyễn Thị Thu"))).one()
    assert entry.person_id == secretary.id  # who imported, from chat
    assert await bithu.say("/nhap ghi 1") == ("Tệp này không còn (đã nhập, đã huỷ hoặc gửi quá 24 giờ). "
                                              "Gửi lại tệp để nhập.")


async def test_huy_drops_the_file_and_errors_or_bad_files_get_no_buttons(talk, tmp_path):
    bithu = talk("bithu")
    before = await counts(bithu.chibo)
    out = await send_file(bithu, register(tmp_path / "ds.xlsx", GOOD))
    assert out[0].text.endswith("1. Nhập\n2. Huỷ\n(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("2") == "Đã huỷ, chưa ghi gì."
    assert await counts(bithu.chibo) == before
    bad = list(GOOD[0])
    bad[1] = "31/02/2001"
    out = await send_file(bithu, register(tmp_path / "loi.xlsx", [bad]))
    assert out[0].text.splitlines()[1:] == ["Dòng 5, cột Ngày sinh: '31/02/2001' không phải là ngày có thật.",
                                            "Có 1 lỗi. Chưa ghi gì; sửa tệp rồi nhập lại."]
    junk = tmp_path / "anh.jpg"
    junk.write_bytes(b"\xff\xd8\xff" * 100)
    out = await send_file(bithu, junk)
    assert [m.text for m in out] == [
        "Tệp anh.jpg không phải là tệp Excel (.xlsx) hay CSV; chibo chỉ đọc hai loại này."]
    assert await counts(bithu.chibo) == before


async def test_a_member_on_the_roster_without_a_chat_can_be_named_as_sponsor(demo, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Ngày sinh,Giới tính,Đảng viên giúp đỡ\nTô Văn Hậu,06/06/2001,Nam,Trương Văn Dũng\n",
                    encoding="utf-8")
    status, text = await run(demo, path)
    assert status == 0, text
    async with demo.sessions() as session:
        hau = (await session.exec(select(Candidate).where(Candidate.full_name == "Tô Văn Hậu"))).one()
        member = (await session.exec(select(PartyMember).where(PartyMember.full_name == "Trương Văn Dũng"))).one()
    assert hau.sponsor_id is not None and member.person_id == hau.sponsor_id
    assert (await run(demo, path))[1].endswith("0 người mới, 0 cập nhật, 1 không đổi.")


def sensitive_register(path: Path, rows: list[list]) -> Path:
    """A register with the two sensitive columns (Decree 356/2025)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc thiểu số", "Tôn giáo"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


LUA = ["Hoàng Thị Lụa", "05/05/2000", "Nữ", "Có", "Có"]  # new: marked in both


async def _sensitive_people(chibo) -> dict[str, tuple[bool, bool]]:
    async with chibo.sessions() as session:
        rows = await session.exec(select(Candidate).where(Candidate.full_name.in_(
            ["Hoàng Thị Lụa", "Nguyễn Văn An", "Trần Thị Bích Ngọc"])))
        return {c.full_name: (c.ethnic_minority, c.religious) for c in rows}


async def test_ethnicity_and_religion_are_imported_only_with_a_consent_naming_them(demo, tmp_path):
    async with demo.sessions() as session, session.begin():
        an = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
        record(session=session, candidate_id=an.id, given_by=GivenBy.self, method=Method.paper,
               given_on=date(2026, 3, 1), sensitive=True, now=demo.clock.now())
        ngoc = (await session.exec(select(Candidate).where(Candidate.full_name == "Trần Thị Bích Ngọc"))).one()
    rows = [LUA, ["Nguyễn Văn An", "12/04/1998", "Nam", "Có", ""],
            ["Trần Thị Bích Ngọc", ngoc.birth_date.strftime("%d/%m/%Y"), "Nữ", "Có", "Không"]]
    status, text = await run(demo, sensitive_register(tmp_path / "dt.xlsx", rows))
    assert status == 0, text
    assert text == (
        "Dòng 2: đã thêm Hoàng Thị Lụa (Quần chúng ưu tú (nguồn)).\n"
        "Dòng 3: đã cập nhật Nguyễn Văn An.\n"
        'Dòng 2: Hoàng Thị Lụa — không ghi "người dân tộc thiểu số, người có đạo": chưa có giấy đồng ý nêu rõ dân '
        "tộc, tôn giáo. Ghi giấy đồng ý (/dongy) rồi sửa bằng /sua.\n"
        'Dòng 4: Trần Thị Bích Ngọc — không ghi "người dân tộc thiểu số": chưa có giấy đồng ý nêu rõ dân tộc, tôn '
        "giáo. Ghi giấy đồng ý (/dongy) rồi sửa bằng /sua.\n"
        f"Đã nhập vào {BRANCH}: 1 người mới, 1 cập nhật, 1 không đổi.")
    assert await _sensitive_people(demo) == {"Hoàng Thị Lụa": (False, False), "Nguyễn Văn An": (True, False),
                                             "Trần Thị Bích Ngọc": (False, False)}  # only An's consent names them


async def test_the_chat_dry_run_says_which_rows_are_left_without_ethnicity_and_religion(talk, tmp_path):
    out = await send_file(talk("bithu"), sensitive_register(tmp_path / "dt.xlsx", [LUA]))
    assert out[0].text == (
        "Dòng 2: sẽ thêm Hoàng Thị Lụa (Quần chúng ưu tú (nguồn)).\n"
        'Dòng 2: Hoàng Thị Lụa — sẽ không ghi "người dân tộc thiểu số, người có đạo": chưa có giấy đồng ý nêu rõ dân '
        "tộc, tôn giáo. Ghi giấy đồng ý (/dongy) rồi sửa bằng /sua.\n"
        f"Nhập thử (chưa ghi gì) vào {BRANCH}: 1 người mới, 0 cập nhật, 0 không đổi.\n\n"
        'Bấm "Nhập" để ghi, hoặc "Huỷ".\n\n'
        "1. Nhập\n2. Huỷ\n(Trả lời bằng số hoặc bằng chữ)")
