"""/sua: a secretary corrects one field of a candidate; old → new before saving; the card shows
the change in its history. The demo branch has Trần Thị Bích Ngọc, born 02/11/2008, and Nguyễn Văn An,
born 12/04/1998; their register numbers are looked up by name (the `no` fixture, tests/support.py number_of).
The secretary is Nguyễn Thị Thu."""

import logging
from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH, SECOND_BRANCH
from models.audit import AuditLog
from models.candidate import Candidate, change_stage
from models.candidate_edit import CandidateEdit
from models.org import Organisation
from models.people import ChatLink, Person, grant_role
from models.stage import Role, Stage
from tests.support import Convo, number_of, numbers_of
from tests.texts import (
    CANCELLED, CHOOSE, CHOOSE_KEYED, COMMITTEE_HELP, NOT_ALLOWED, NOT_LINKED, SPONSOR_HELP, STRANGER_GREETING,
)

NGOC, AN, LAN, MINH, HA, TUNG, HUY = ("Trần Thị Bích Ngọc", "Nguyễn Văn An", "Đặng Ngọc Lan", "Lê Hoàng Minh",
                                      "Phạm Thu Hà", "Võ Thanh Tùng", "Bùi Quốc Huy")
ANH, SON, XUAN, KHOA, MY, DUC = ("Hoàng Mai Anh", "Trịnh Công Sơn", "Vũ Thị Thanh Xuân", "Đinh Văn Khoa",
                                 "Lương Thị Mỹ", "Tạ Minh Đức")
FOOT = CHOOSE
FIELD_LIST = ("1. Họ tên\n2. Ngày sinh\n3. Giới tính\n4. Đơn vị (tổ/khoa/phòng/lớp)\n5. Đối tượng\n"
              "6. Đoàn viên\n7. Người dân tộc thiểu số\n8. Người có đạo\n9. Làm ở doanh nghiệp ngoài nhà nước\n"
              "10. Ghi chú\n" + FOOT)
CONFIRM_CHOICES = "1. Lưu\n2. Sửa người\n3. Sửa mục\n4. Sửa giá trị mới\n5. Hủy\n" + FOOT
ASK_CANDIDATE = ('Sửa thông tin của ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng '
                 'được). Gõ /huy bất cứ lúc nào để hủy, "quay lại" để trở lại câu trước.')


def ask_field(no: dict[str, int]) -> str:
    return f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Bích Ngọc?\n\n" + FIELD_LIST


def ngoc_card(no: dict[str, int]) -> str:
    return (
        f"{no[NGOC]}. Trần Thị Bích Ngọc\n"
        "- Ngày sinh: 02/11/2008 · Nữ\n"
        "- Đối tượng: Học sinh, sinh viên · Đoàn viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 16/01/2026\n"
        "- Đảng viên giúp đỡ: chưa phân công\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
        "(Hướng dẫn 12-HD/BTCTW)")


SECRETARY = "Nguyễn Thị Thu"
YES_NO = "1. Có\n2. Không\n" + FOOT
# Each field's question, as asked after its current value (and again after a wrong answer).
QUESTIONS = {
    "1": "Họ và tên đầy đủ mới?",
    "2": "Ngày sinh đúng? (ngày/tháng/năm, ví dụ 05/09/2004)",
    "3": "Giới tính đúng?\n\n1. Nam\n2. Nữ\n" + FOOT,
    "4": 'Đơn vị mới (tổ, khoa, phòng hoặc lớp)? Tối đa 120 ký tự, hoặc chọn "Bỏ qua" để để trống.\n\n1. Bỏ qua\n'
         + FOOT,
    "5": ("Thuộc đối tượng nào?\n\n1. Giáo viên, giảng viên\n2. Học sinh, sinh viên\n3. Cán bộ quản lý\n"
          "4. Nhân viên\n5. Công nhân, người lao động\n6. Bác sĩ, nhân viên y tế\n7. Khác\n" + FOOT),
    "6": "Có phải là đoàn viên Đoàn TNCS Hồ Chí Minh không?\n\n" + YES_NO,
    "7": "Có phải là người dân tộc thiểu số không?\n\n" + YES_NO,
    "8": "Có phải là người có đạo (theo một tôn giáo) không?\n\n" + YES_NO,
    "9": "Có làm việc ở doanh nghiệp ngoài nhà nước (không có vốn nhà nước) không?\n\n" + YES_NO,
    "10": 'Ghi chú mới? Tối đa 500 ký tự, hoặc chọn "Bỏ qua" để để trống.\n\n1. Bỏ qua\n' + FOOT,
}
NGOC_NOW = {"1": "Họ tên: Trần Thị Bích Ngọc", "2": "Ngày sinh: 02/11/2008", "3": "Giới tính: Nữ",
            "4": "Đơn vị (tổ/khoa/phòng/lớp): (để trống)", "5": "Đối tượng: Học sinh, sinh viên",
            "6": "Đoàn viên: Có", "7": "Người dân tộc thiểu số: Không", "8": "Người có đạo: Không",
            "9": "Làm ở doanh nghiệp ngoài nhà nước: Không", "10": "Ghi chú: (để trống)"}


def ask(field: str) -> str:
    """Trần Thị Bích Ngọc's field, as the demo has it, then its question."""
    label, value = NGOC_NOW[field].split(": ", 1)
    return f"{label} hiện ghi: {value}\n\n{QUESTIONS[field]}"


def confirm(no: dict[str, int], line: str, who: str | None = None) -> str:
    who = who or f"{no[NGOC]}. Trần Thị Bích Ngọc"
    return f"Xin kiểm tra lại trước khi lưu — {who}:\n- {line}\n\n" + CONFIRM_CHOICES


def saved(no: dict[str, int], line: str) -> str:
    return (f"Đã lưu: {no[NGOC]}. Trần Thị Bích Ngọc — {line}. Thay đổi được ghi vào lịch sử trên thẻ.\n"
            f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}")


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The demo branch's candidates' register numbers, looked up by name."""
    return await numbers_of(demo, (NGOC, AN, LAN, MINH, HA, TUNG, HUY, ANH, SON, XUAN,
                                                           KHOA, MY, DUC))


async def candidate(demo, number: int) -> Candidate:
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        return (await session.exec(select(Candidate).where(
            Candidate.branch_id == branch.id, Candidate.number == number))).one()


async def edits(demo) -> list[CandidateEdit]:
    async with demo.sessions() as session:
        return list(await session.exec(select(CandidateEdit).order_by(CandidateEdit.id)))


async def test_a_whole_correction_saves_and_the_card_shows_it_with_its_history(talk, no, demo):
    bithu = talk()
    assert await bithu.say("/sua") == ASK_CANDIDATE
    assert await bithu.say("ngoc") == (
        "Có 2 người khớp \"ngoc\". Chọn một người.\n"
        "Sửa thông tin của ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được). Gõ "
        "/huy bất cứ lúc nào để hủy, \"quay lại\" để trở lại câu trước.\n"
        "\n"
        f"{no[NGOC]}. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
        f"{no[LAN]}. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")
    assert await bithu.say(f"{no[NGOC]}") == ask_field(no)
    assert await bithu.say("1") == "Họ tên hiện ghi: Trần Thị Bích Ngọc\n\nHọ và tên đầy đủ mới?"
    assert await bithu.say("trần thị bích  ngọc anh") == (
        f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
        "- Họ tên: Trần Thị Bích Ngọc → Trần Thị Bích Ngọc Anh\n\n" + CONFIRM_CHOICES)
    assert await edits(demo) == []  # nothing saved before "Lưu"
    assert await bithu.say("Lưu") == (
        f"Đã lưu: {no[NGOC]}. Trần Thị Bích Ngọc Anh — Họ tên: Trần Thị Bích Ngọc → Trần Thị Bích Ngọc Anh. "
        "Thay đổi được ghi vào lịch sử trên thẻ.\n"
        f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}")
    saved = await candidate(demo, no[NGOC])
    assert (saved.full_name, saved.name_folded) == ("Trần Thị Bích Ngọc Anh", "tran thi bich ngoc anh")
    [edit] = await edits(demo)
    assert (edit.candidate_id, edit.field, edit.old_value, edit.new_value, edit.on) == (
        saved.id, "full_name", "Trần Thị Bích Ngọc", "Trần Thị Bích Ngọc Anh", date(2026, 3, 2))
    async with demo.sessions() as session:
        logged = list(await session.exec(select(AuditLog).where(AuditLog.action == "candidate.edit")))
    assert [(a.person_id, a.subject) for a in logged] == [(edit.by_person_id, f"candidate:{saved.id}")]
    assert edit.by_person_id is not None
    assert await bithu.say("/ds") == (
        "Danh sách quần chúng và đảng viên dự bị (13 người):\n"
        "\n"
        "Quần chúng ưu tú (nguồn):\n"
        f"{no[AN]}. Nguyễn Văn An (1998)\n"
        f"{no[NGOC]}. Trần Thị Bích Ngọc Anh (2008)\n"
        f"{no[SON]}. Trịnh Công Sơn (2008)\n"
        f"{no[XUAN]}. Vũ Thị Thanh Xuân (1999)\n"
        "\n"
        "Cảm tình Đảng:\n"
        f"{no[MINH]}. Lê Hoàng Minh (1995)\n"
        f"{no[HA]}. Phạm Thu Hà (2000)\n"
        f"{no[KHOA]}. Đinh Văn Khoa (1988)\n"
        "\n"
        "Học lớp nhận thức về Đảng:\n"
        f"{no[TUNG]}. Võ Thanh Tùng (1990)\n"
        f"{no[MY]}. Lương Thị Mỹ (2001)\n"
        "\n"
        "Đang làm hồ sơ:\n"
        f"{no[LAN]}. Đặng Ngọc Lan (1997)\n"
        "\n"
        "Đã đề nghị kết nạp:\n"
        f"{no[HUY]}. Bùi Quốc Huy (1993)\n"
        "\n"
        "Có quyết định kết nạp:\n"
        f"{no[DUC]}. Tạ Minh Đức (1994)\n"
        "\n"
        "Đảng viên dự bị:\n"
        f"{no[ANH]}. Hoàng Mai Anh (1996)\n"
        "\n"
        "Xem một người: /xem SỐ hoặc /xem TÊN")  # found under the new name
    assert await bithu.say("/xem ngoc anh") == (
        ngoc_card(no).replace(f"{no[NGOC]}. Trần Thị Bích Ngọc\n", f"{no[NGOC]}. Trần Thị Bích Ngọc Anh\n") + "\n\n"
        "Lịch sử (mới nhất trước):\n"
        f"- 02/03/2026: sửa họ tên: Trần Thị Bích Ngọc → Trần Thị Bích Ngọc Anh — {SECRETARY}")


async def test_the_command_with_a_number_starts_with_that_person(talk, no):
    bithu = talk()
    await bithu.dialog([
        (f"/sua {no[NGOC]}", ask_field(no)),
        ("/huy", CANCELLED),
        ("/sua ngoc",
         "Có 2 người khớp \"ngoc\". Chọn một người.\n"
         "\n"
         f"{no[NGOC]}. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
         f"{no[LAN]}. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
         + CHOOSE_KEYED),
    ])


async def paper_consent(demo, sensitive: bool) -> None:
    from models.consent import GivenBy, Method, record
    c = await candidate(demo, await number_of(demo, NGOC))
    async with demo.sessions() as session, session.begin():
        record(session=session, candidate_id=c.id, given_by=GivenBy.self, method=Method.paper,
               given_on=date(2026, 3, 1), sensitive=sensitive, now=demo.clock.now())


async def test_ethnicity_and_religion_are_not_kept_without_a_consent_naming_them(talk, no, demo):
    bithu = talk()
    await paper_consent(demo, sensitive=False)
    await bithu.say(f"/sua {no[NGOC]}")
    await bithu.say("7")
    refused = ("Chưa có giấy đồng ý ghi rõ dân tộc và tôn giáo của người này, nên chibo không ghi thông tin này. "
               'Ghi giấy đồng ý trước (/dongy), hoặc sửa giá trị mới thành "Không".\n'
               f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
               "- Người dân tộc thiểu số: Không → Có\n\n"
               "1. Lưu\n2. Sửa người\n3. Sửa mục\n4. Sửa giá trị mới\n5. Hủy\n"
               "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("có") == refused
    assert await bithu.say("Lưu") == refused
    assert await bithu.say("/huy") == "Đã hủy, không lưu gì. Gõ /trogiup để xem các lệnh."
    assert not (await candidate(demo, no[NGOC])).ethnic_minority


async def test_every_field_is_saved_as_typed_and_shown_on_the_card(talk, no, demo):
    bithu = talk()
    await paper_consent(demo, sensitive=True)  # ethnicity and religion are named (tests/flows/test_consent.py)
    for says, field, typed, line in [
        ("2", "2", "5/9/2004", "Ngày sinh: 02/11/2008 → 05/09/2004"),
        ("gioi tinh", "3", "nam", "Giới tính: Nữ → Nam"),
        ("4", "4", "Lớp 12A1", "Đơn vị (tổ/khoa/phòng/lớp): (để trống) → Lớp 12A1"),
        ("5", "5", "cong nhan", "Đối tượng: Học sinh, sinh viên → Công nhân, người lao động"),
        ("6", "6", "không", "Đoàn viên: Có → Không"),
        ("7", "7", "có", "Người dân tộc thiểu số: Không → Có"),
        ("8", "8", "co", "Người có đạo: Không → Có"),
        ("9", "9", "1", "Làm ở doanh nghiệp ngoài nhà nước: Không → Có"),
        ("10", "10", "Lớp trưởng", "Ghi chú: (để trống) → Lớp trưởng"),
    ]:
        await bithu.dialog([
            (f"/sua {no[NGOC]}", ask_field(no)),
            (says, ask(field)),
            (typed, confirm(no, line)),
            ("Lưu", saved(no, line)),
        ])
    c = await candidate(demo, no[NGOC])
    assert (c.birth_date, c.gender, c.unit, c.category, c.youth_union, c.ethnic_minority, c.religious,
            c.private_firm, c.note) == (date(2004, 9, 5), "male", "Lớp 12A1", "worker", False, True, True, True,
                                        "Lớp trưởng")
    assert await bithu.say(f"/xem {no[NGOC]}") == (
        f"{no[NGOC]}. Trần Thị Bích Ngọc\n"
        "- Ngày sinh: 05/09/2004 · Nam\n"
        "- Đối tượng: Công nhân, người lao động · Người dân tộc thiểu số · Người có đạo · "
        "Làm ở doanh nghiệp ngoài nhà nước\n"
        "- Đơn vị: Lớp 12A1\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 16/01/2026\n"
        "- Đảng viên giúp đỡ: chưa phân công\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Ghi chú: Lớp trưởng\n"
        "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
        "(Hướng dẫn 12-HD/BTCTW)\n"
        "\n"
        "Lịch sử (mới nhất trước):\n"  # the latest five, newest first
        f"- 02/03/2026: sửa ghi chú: (để trống) → Lớp trưởng — {SECRETARY}\n"
        f"- 02/03/2026: sửa làm ở doanh nghiệp ngoài nhà nước: Không → Có — {SECRETARY}\n"
        f"- 02/03/2026: sửa người có đạo: Không → Có — {SECRETARY}\n"
        f"- 02/03/2026: sửa người dân tộc thiểu số: Không → Có — {SECRETARY}\n"
        f"- 02/03/2026: sửa đoàn viên: Có → Không — {SECRETARY}")
    assert len(await edits(demo)) == 9


async def test_an_optional_field_is_emptied_with_skip(talk, no, demo):
    bithu = talk()
    await bithu.dialog([
        (f"/sua {no[NGOC]}",
         f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Bích Ngọc?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("4",
         "Đơn vị (tổ/khoa/phòng/lớp) hiện ghi: (để trống)\n"
         "\n"
         "Đơn vị mới (tổ, khoa, phòng hoặc lớp)? Tối đa 120 ký tự, hoặc chọn \"Bỏ qua\" để để trống.\n"
         "\n"
         "1. Bỏ qua\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("12A1",
         f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
         "- Đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         f"Đã lưu: {no[NGOC]}. Trần Thị Bích Ngọc — Đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1. Thay đổi được ghi "
         "vào lịch sử trên thẻ.\n"
         f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}"),
    ])
    await bithu.say(f"/sua {no[NGOC]}")
    assert await bithu.say("4") == (
        "Đơn vị (tổ/khoa/phòng/lớp) hiện ghi: 12A1\n\n"
        'Đơn vị mới (tổ, khoa, phòng hoặc lớp)? Tối đa 120 ký tự, hoặc chọn "Bỏ qua" để để trống.\n\n'
        "1. Bỏ qua\n" + FOOT)
    assert await bithu.say("Bỏ qua") == (
        f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
        "- Đơn vị (tổ/khoa/phòng/lớp): 12A1 → (để trống)\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa mục\n"
        "4. Sửa giá trị mới\n"
        "5. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    await bithu.say("Lưu")
    assert (await candidate(demo, no[NGOC])).unit is None
    assert await bithu.say(f"/xem {no[NGOC]}") == (  # no "Đơn vị" line
        ngoc_card(no) + "\n\n"
        "Lịch sử (mới nhất trước):\n"
        f"- 02/03/2026: sửa đơn vị (tổ/khoa/phòng/lớp): 12A1 → (để trống) — {SECRETARY}\n"
        f"- 02/03/2026: sửa đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1 — {SECRETARY}")


BAD = [
    # (the field's number, what is typed, why it is refused; then its question comes again)
    ("1", "Ngọc", "Xin ghi đủ họ và tên (ít nhất hai chữ), ví dụ: Nguyễn Văn An."),
    ("1", "Tran Thi 3", "Họ tên chỉ gồm chữ cái và dấu cách (không có số hay ký hiệu)."),
    ("2", "hôm nay", "Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 05/09/2004 hoặc 5/9/04."),
    ("2", "02/11", "Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 05/09/2004 hoặc 5/9/04."),
    ("2", "31/02/2008", "Không có ngày 31/02/2008 trên lịch. Xin kiểm tra lại ngày và tháng."),
    ("2", "01/01/2030", "Ngày 01/01/2030 chưa tới (hôm nay là 02/03/2026)."),
    ("2", "01/01/2015", "Người này mới 11 tuổi; chibo chỉ ghi nhận quần chúng từ 15 tuổi trở lên. Xin kiểm tra lại "
                        "năm sinh."),
    ("2", "01/01/1950", "Người này đã 76 tuổi, quá 60 tuổi; trên 60 tuổi chỉ kết nạp khi có ý kiến của cấp ủy cấp "
                        "tỉnh (Điều lệ Đảng, Điều 1; Quy định 294-QĐ/TW, mục 1.1). Xin kiểm tra lại năm sinh."),
    ("3", "9", '"9" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.'),
    ("4", "x" * 121, "Câu trả lời dài quá: 121 ký tự, tối đa 120."),
    ("5", "khong biet", '"khong biet" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một '
                        "lựa chọn."),
    ("6", "có lẽ", '"có lẽ" không phải có hay không. Xin trả lời "có" hoặc "không".'),
    ("7", "có lẽ", '"có lẽ" không phải có hay không. Xin trả lời "có" hoặc "không".'),
    ("8", "có lẽ", '"có lẽ" không phải có hay không. Xin trả lời "có" hoặc "không".'),
    ("9", "có lẽ", '"có lẽ" không phải có hay không. Xin trả lời "có" hoặc "không".'),
    ("10", "x" * 501, "Câu trả lời dài quá: 501 ký tự, tối đa 500."),
]


@pytest.mark.parametrize("field, typed, reason", BAD, ids=[f"{b[0]}-{b[1][:12]}" for b in BAD])
async def test_a_wrong_value_is_explained_and_asked_again(talk, no, demo, field, typed, reason):
    await talk().dialog([
        (f"/sua {no[NGOC]}", ask_field(no)),
        (field, ask(field)),
        (typed, reason + "\n" + QUESTIONS[field]),  # asked again, not the screen before saving
    ])
    assert await edits(demo) == []


async def test_a_wrong_choice_of_field_is_explained_with_the_list_again(talk, no):
    bithu = talk()
    await bithu.say(f"/sua {no[NGOC]}")
    assert await bithu.say("99") == (
        '"99" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa '
        'chọn.\n' + ask_field(no))
    assert await bithu.say("ngay sinh") == (
        "Ngày sinh hiện ghi: 02/11/2008\n"
        "\n"
        "Ngày sinh đúng? (ngày/tháng/năm, ví dụ 05/09/2004)")


async def test_a_birth_date_over_sixty_names_the_rules(talk, no):
    bithu = talk()
    await bithu.dialog([
        (f"/sua {no[NGOC]}",
         f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Bích Ngọc?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("2",
         "Ngày sinh hiện ghi: 02/11/2008\n"
         "\n"
         "Ngày sinh đúng? (ngày/tháng/năm, ví dụ 05/09/2004)"),
    ])
    assert await bithu.say("01/01/1950") == (
        "Người này đã 76 tuổi, quá 60 tuổi; trên 60 tuổi chỉ kết nạp khi có ý kiến của cấp ủy cấp tỉnh "
        "(Điều lệ Đảng, Điều 1; Quy định 294-QĐ/TW, mục 1.1). Xin kiểm tra lại năm sinh.\n"
        "Ngày sinh đúng? (ngày/tháng/năm, ví dụ 05/09/2004)")


async def test_a_name_and_birth_date_of_another_person_in_the_branch_is_refused(talk, no, demo):
    bithu = talk()
    # First the birth date of Nguyễn Văn An (number 1): another name, so no twin yet.
    await bithu.dialog([
        (f"/sua {no[NGOC]}",
         f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Bích Ngọc?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("2",
         "Ngày sinh hiện ghi: 02/11/2008\n"
         "\n"
         "Ngày sinh đúng? (ngày/tháng/năm, ví dụ 05/09/2004)"),
        ("12/04/1998",
         f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
         "- Ngày sinh: 02/11/2008 → 12/04/1998\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         f"Đã lưu: {no[NGOC]}. Trần Thị Bích Ngọc — Ngày sinh: 02/11/2008 → 12/04/1998. Thay đổi được ghi vào lịch sử "
         "trên thẻ.\n"
         f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}"),
    ])
    await bithu.dialog([
        (f"/sua {no[NGOC]}",
         f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Bích Ngọc?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("1",
         "Họ tên hiện ghi: Trần Thị Bích Ngọc\n"
         "\n"
         "Họ và tên đầy đủ mới?"),
    ])
    refused = (f"Chi bộ đã có người cùng họ tên và ngày sinh này (số {no[AN]}, xem: /xem {no[AN]}). Chưa lưu. Xin "
               "sửa họ tên hoặc "
               "ngày sinh nếu là người khác, hoặc chọn Hủy.\n"
               + confirm(no, "Họ tên: Trần Thị Bích Ngọc → Nguyen Van An"))
    await bithu.dialog([("nguyen van an", refused), ("Lưu", refused)])  # before the screen, and again at "Lưu"
    assert (await candidate(demo, no[NGOC])).full_name == "Trần Thị Bích Ngọc"
    assert len(await edits(demo)) == 1
    await bithu.dialog([  # another name is fine
        ("Sửa giá trị mới", "Họ và tên đầy đủ mới?"),
        ("Nguyễn Văn Anh", confirm(no, "Họ tên: Trần Thị Bích Ngọc → Nguyễn Văn Anh")),
        ("Lưu",
         f"Đã lưu: {no[NGOC]}. Nguyễn Văn Anh — Họ tên: Trần Thị Bích Ngọc → Nguyễn Văn Anh. Thay đổi được ghi vào "
         "lịch sử "
         "trên thẻ.\n"
         f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}"),
    ])


async def test_a_birth_date_that_makes_a_twin_is_refused(talk, no, demo):
    bithu = talk()
    await bithu.dialog([
        (f"/sua {no[NGOC]}",
         f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Bích Ngọc?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("1",
         "Họ tên hiện ghi: Trần Thị Bích Ngọc\n"
         "\n"
         "Họ và tên đầy đủ mới?"),
        ("Nguyễn Văn An",
         f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
         "- Họ tên: Trần Thị Bích Ngọc → Nguyễn Văn An\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         f"Đã lưu: {no[NGOC]}. Nguyễn Văn An — Họ tên: Trần Thị Bích Ngọc → Nguyễn Văn An. Thay đổi được ghi vào "
         "lịch sử "
         "trên thẻ.\n"
         f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}"),
    ])
    await bithu.dialog([
        (f"/sua {no[NGOC]}",
         f"Sửa thông tin nào của {no[NGOC]}. Nguyễn Văn An?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("2",
         "Ngày sinh hiện ghi: 02/11/2008\n"
         "\n"
         "Ngày sinh đúng? (ngày/tháng/năm, ví dụ 05/09/2004)"),
    ])
    assert await bithu.say("12/04/1998") == (
        f"Chi bộ đã có người cùng họ tên và ngày sinh này (số {no[AN]}, xem: /xem {no[AN]}). Chưa lưu. Xin sửa họ "
        "tên hoặc "
        "ngày sinh nếu là người khác, hoặc chọn Hủy.\n"
        f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Nguyễn Văn An:\n"
        "- Ngày sinh: 02/11/2008 → 12/04/1998\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa mục\n"
        "4. Sửa giá trị mới\n"
        "5. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == (
        f"Chi bộ đã có người cùng họ tên và ngày sinh này (số {no[AN]}, xem: /xem {no[AN]}). Chưa lưu. Xin sửa họ "
        "tên hoặc "
        "ngày sinh nếu là người khác, hoặc chọn Hủy.\n"
        f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Nguyễn Văn An:\n"
        "- Ngày sinh: 02/11/2008 → 12/04/1998\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa mục\n"
        "4. Sửa giá trị mới\n"
        "5. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert (await candidate(demo, no[NGOC])).birth_date == date(2008, 11, 2)


async def test_the_same_value_saves_nothing(talk, no, demo):
    bithu = talk()
    await bithu.dialog([
        (f"/sua {no[NGOC]}", ask_field(no)),
        ("3", ask("3")),
        ("nữ",
         f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
         "- Giới tính: Nữ → Nữ\n"
         "Giá trị mới giống hệt giá trị đang ghi: lưu cũng không thay đổi gì.\n"
         "\n"
         + CONFIRM_CHOICES),
        ("Lưu",
         f"Giới tính của {no[NGOC]}. Trần Thị Bích Ngọc vẫn là Nữ: không có gì thay đổi, không lưu gì.\nXem lại: "
         f"/xem {no[NGOC]}"),
    ])
    assert await edits(demo) == []
    assert await bithu.say(f"/xem {no[NGOC]}") == ngoc_card(no)  # no history


@pytest.mark.parametrize("account, refusal, help_page", [("giupdo", NOT_ALLOWED, SPONSOR_HELP),
                                                         ("nguoila", NOT_LINKED, STRANGER_GREETING),
                                                         ("captren", NOT_ALLOWED, COMMITTEE_HELP)])
async def test_a_sponsor_a_stranger_and_the_committee_are_refused_and_learn_nothing(talk, no, demo, account, refusal,
                                                                                     help_page):
    says = ("/sua", f"/sua {no[NGOC]}", f"/sua {no[MINH]}", "/sua ngoc", f"/sua TP-{no[NGOC]}")
    await talk(account).dialog([(said, refusal) for said in says]
                               + [("/trogiup", help_page)])  # no /sua there
    assert await edits(demo) == []


async def test_the_help_offers_it_to_the_secretary(talk):
    assert await talk().say("/trogiup 2") == (
        "Các lệnh khác của bạn (trang 2/3):\n"
        "\n"
        "1. /ketqualop — Ghi kết quả học và giấy chứng nhận của một lớp\n"
        "2. /hoso — Hồ sơ kết nạp của một người: đã có gì, còn thiếu gì\n"
        "3. /ghihoso — Ghi ngày một giấy tờ trong hồ sơ kết nạp\n"
        "4. /lamhoso — Bắt đầu làm hồ sơ kết nạp cho người đã có giấy chứng nhận\n"
        "5. /denghiketnap — Kiểm tra hồ sơ đã đủ để chi bộ xét kết nạp chưa\n"
        "6. /ketnap — Ghi biểu quyết của chi bộ, quyết định và lễ kết nạp\n"
        "7. /chinhthuc — Công nhận đảng viên chính thức hoặc xóa tên\n"
        "8. /chuyen — Ghi việc chuyển đi (chuyển công tác, ra trường)\n"
        "9. /chitieu — Chỉ tiêu kết nạp đảng viên và tiến độ\n"
        "10. /sua — Sửa thông tin của một người (họ tên, ngày sinh...)\n"
        "11. /hoantac — Hoàn tác việc đưa ra khỏi danh sách, xét chuyển bước hay ghi danh làm nhầm\n"
        "12. /trogiup 3 — Các lệnh khác (trang 3/3)\n"
        "(Trả lời bằng số hoặc bằng chữ)")


async def test_a_candidate_of_another_branch_is_not_found(talk):
    assert await talk().say("/sua TSP-1") == (
        'Không tìm thấy ai khớp với "TSP-1" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần họ tên '
        "khác.\n"
        "Lệnh /sua đã dừng. Gõ lại /sua kèm số hoặc tên khác, hoặc chỉ gõ /sua để chibo hỏi từng bước.")


async def test_back_goes_one_question_back(talk, no, demo):
    bithu = talk()
    await bithu.say(f"/sua {no[NGOC]}")
    assert await bithu.say("quay lại") == ASK_CANDIDATE  # the person given with the command
    await bithu.say(f"{no[NGOC]}")
    assert await bithu.say("quay lại") == ASK_CANDIDATE
    assert await bithu.say("quay lại") == "Đây đã là câu hỏi đầu tiên.\n\n" + ASK_CANDIDATE
    await bithu.say(f"{no[NGOC]}")
    await bithu.say("2")
    assert await bithu.say("quay lại") == ask_field(no)
    await bithu.say("1")
    await bithu.say("Trần Thị Bích Ngân")
    assert await bithu.say("quay lại") == "Họ và tên đầy đủ mới?"
    assert await bithu.say("quay lại") == ask_field(no)
    assert await bithu.say("3") == (
        "Giới tính hiện ghi: Nữ\n"
        "\n"
        "Giới tính đúng?\n"
        "\n"
        "1. Nam\n"
        "2. Nữ\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("nam") == (
        f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
        "- Giới tính: Nữ → Nam\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa mục\n"
        "4. Sửa giá trị mới\n"
        "5. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    await bithu.say("Lưu")
    c = await candidate(demo, no[NGOC])
    assert (c.full_name, c.gender) == ("Trần Thị Bích Ngọc", "male")


async def test_back_from_the_start_without_a_number_reaches_the_person_question(talk, no):
    bithu = talk()
    await bithu.say("/sua")
    await bithu.say(f"{no[NGOC]}")
    assert await bithu.say("quay lại") == ASK_CANDIDATE


async def test_the_confirmation_changes_the_field_or_the_person(talk, no, demo):
    bithu = talk()
    await bithu.dialog([
        (f"/sua {no[NGOC]}",
         f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Bích Ngọc?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("3",
         "Giới tính hiện ghi: Nữ\n"
         "\n"
         "Giới tính đúng?\n"
         "\n"
         "1. Nam\n"
         "2. Nữ\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("nam",
         f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
         "- Giới tính: Nữ → Nam\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    await bithu.dialog([
        ("Sửa mục", ask_field(no)),
        ("4", ask("4")),
        ("12A1", confirm(no, "Đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1")),  # the gender is no longer changed
        ("Sửa người", ASK_CANDIDATE),
        (f"{no[LAN]}", confirm(no, "Đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1", who=f"{no[LAN]}. Đặng Ngọc Lan")),
        ("Lưu",
         f"Đã lưu: {no[LAN]}. Đặng Ngọc Lan — Đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1. Thay đổi được ghi vào "
         "lịch sử "
         "trên thẻ.\n"
         f"Xem lại: /xem {no[LAN]} · Sửa tiếp: /sua {no[LAN]}"),
    ])
    ngoc = await candidate(demo, no[NGOC])
    assert ((await candidate(demo, no[LAN])).unit, ngoc.unit, ngoc.gender) == (
        "12A1", None, "female")


async def test_cancel_at_any_step_saves_nothing(talk, no, demo):
    turns = ["/sua", "ngoc", f"{no[NGOC]}", "1", "Trần Thị Bích Ngân"]
    for steps in range(1, len(turns) + 1):
        bithu = talk()
        for says in turns[:steps]:
            await bithu.say(says)
        assert await bithu.say("/huy") == CANCELLED
    assert await edits(demo) == []
    assert (await candidate(demo, no[NGOC])).full_name == "Trần Thị Bích Ngọc"


async def test_a_stage_change_is_in_the_history_with_its_reason_and_who(talk, no, demo):
    bithu = talk()
    async with demo.sessions() as session, session.begin():
        c = await session.get(Candidate, (await candidate(demo, no[NGOC])).id)
        secretary = (await session.exec(select(Person).where(Person.full_name == SECRETARY))).one()
        refused = await change_stage(session=session, candidate=c, to_stage=Stage.sympathizer, on=date(2026, 3, 1),
                                     today=date(2026, 3, 2), reason="Chi bộ xét tháng 3", by_person_id=secretary.id,
                                     actor_roles=frozenset({Role.secretary}), now=demo.clock.now())
        assert refused is None
    await bithu.dialog([
        (f"/sua {no[NGOC]}", ask_field(no)),
        ("6", ask("6")),
        ("không", confirm(no, "Đoàn viên: Có → Không")),
        ("Lưu", saved(no, "Đoàn viên: Có → Không")),
        (f"/xem {no[NGOC]}",
         f"{no[NGOC]}. Trần Thị Bích Ngọc\n"
         "- Ngày sinh: 02/11/2008 · Nữ\n"
         "- Đối tượng: Học sinh, sinh viên\n"
         "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
         "- Giai đoạn: Cảm tình Đảng, từ 01/03/2026\n"
         "- Đảng viên giúp đỡ: chưa phân công\n"
         "- Nguồn giới thiệu: Đoàn Thanh niên\n"
         "- Bước tiếp theo: cử đi học lớp bồi dưỡng nhận thức về Đảng, hạn 05/03/2026 (Hướng dẫn 06-HD/TW, mục 5.4)\n"
         "\n"
         "Lịch sử (mới nhất trước):\n"
         f"- 02/03/2026: sửa đoàn viên: Có → Không — {SECRETARY}\n"
         f"- 01/03/2026: Quần chúng ưu tú (nguồn) → Cảm tình Đảng (Chi bộ xét tháng 3) — {SECRETARY}"),
    ])


async def test_no_name_or_birth_date_reaches_the_log(talk, no, caplog):
    caplog.set_level(logging.DEBUG)
    bithu = talk()
    await bithu.dialog([
        ("/sua ngoc",
         "Có 2 người khớp \"ngoc\". Chọn một người.\n"
         "\n"
         f"{no[NGOC]}. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
         f"{no[LAN]}. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
         "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)"),
        (f"{no[NGOC]}",
         f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Bích Ngọc?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("2",
         "Ngày sinh hiện ghi: 02/11/2008\n"
         "\n"
         "Ngày sinh đúng? (ngày/tháng/năm, ví dụ 05/09/2004)"),
        ("05/09/2004",
         f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
         "- Ngày sinh: 02/11/2008 → 05/09/2004\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         f"Đã lưu: {no[NGOC]}. Trần Thị Bích Ngọc — Ngày sinh: 02/11/2008 → 05/09/2004. Thay đổi được ghi vào lịch sử "
         "trên thẻ.\n"
         f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}"),
    ])
    await bithu.dialog([
        (f"/sua {no[NGOC]}",
         f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Bích Ngọc?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("1",
         "Họ tên hiện ghi: Trần Thị Bích Ngọc\n"
         "\n"
         "Họ và tên đầy đủ mới?"),
        ("Trần Bích Ngọc",
         f"Xin kiểm tra lại trước khi lưu — {no[NGOC]}. Trần Thị Bích Ngọc:\n"
         "- Họ tên: Trần Thị Bích Ngọc → Trần Bích Ngọc\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         f"Đã lưu: {no[NGOC]}. Trần Bích Ngọc — Họ tên: Trần Thị Bích Ngọc → Trần Bích Ngọc. Thay đổi được ghi vào "
         "lịch sử trên thẻ.\n"
         f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}"),
        (f"/xem {no[NGOC]}",
         f"{no[NGOC]}. Trần Bích Ngọc\n"
         "- Ngày sinh: 05/09/2004 · Nữ\n"
         "- Đối tượng: Học sinh, sinh viên · Đoàn viên\n"
         "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
         "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 16/01/2026\n"
         "- Đảng viên giúp đỡ: chưa phân công\n"
         "- Nguồn giới thiệu: Đoàn Thanh niên\n"
         "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
         "(Hướng dẫn 12-HD/BTCTW)\n"
         "\n"
         "Lịch sử (mới nhất trước):\n"
         "- 02/03/2026: sửa họ tên: Trần Thị Bích Ngọc → Trần Bích Ngọc — Nguyễn Thị Thu\n"
         "- 02/03/2026: sửa ngày sinh: 02/11/2008 → 05/09/2004 — Nguyễn Thị Thu"),
    ])
    # chibo's own loggers (the database driver's debug lines are not chibo's to word)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("bot", "handlers", "models"))
    for personal in ("Ngọc", "ngoc", "2008", "2004", "05/09", "02/11"):
        assert personal not in logged


async def test_a_secretary_of_two_branches_sees_which_branch_and_the_twin_rule_keeps_to_it(talk, no, demo):
    async with demo.sessions() as session, session.begin():
        second = (await session.exec(select(Organisation).where(Organisation.name == SECOND_BRANCH))).one()
        link = (await session.exec(select(ChatLink).where(ChatLink.account_id == "bithu"))).one()
        await grant_role(session=session, person_id=link.person_id, org_id=second.id, role=Role.secretary)
    t = await number_of(demo, "Ngô Đức Thắng", SECOND_BRANCH)  # in the other branch, where numbers start again
    bithu = talk()
    await bithu.dialog([
        (f"/sua TSP-{t}", ask_field(no).replace(f"{no[NGOC]}. Trần Thị Bích Ngọc", f"{t}. Ngô Đức Thắng")),
        ("2", "Ngày sinh hiện ghi: 03/03/2004\n\n" + QUESTIONS["2"]),
        ("12/04/1998",  # Nguyễn Văn An's birth date, in the other branch: no twin
         f"Xin kiểm tra lại trước khi lưu — {t}. Ngô Đức Thắng:\n"
         f"- Chi bộ: {SECOND_BRANCH}\n"
         "- Ngày sinh: 03/03/2004 → 12/04/1998\n"
         "\n"
         + CONFIRM_CHOICES),
        ("Lưu",  # named by reference: the bare number would be someone of the other branch
         f"Đã lưu: TSP-{t}. Ngô Đức Thắng — Ngày sinh: 03/03/2004 → 12/04/1998. Thay đổi được ghi vào lịch sử trên "
         "thẻ.\n"
         f"Xem lại: /xem TSP-{t} · Sửa tiếp: /sua TSP-{t}"),
    ])
    await bithu.dialog([
        (f"/sua TSP-{t}",
         f"Sửa thông tin nào của {t}. Ngô Đức Thắng?\n"
         "\n"
         "1. Họ tên\n"
         "2. Ngày sinh\n"
         "3. Giới tính\n"
         "4. Đơn vị (tổ/khoa/phòng/lớp)\n"
         "5. Đối tượng\n"
         "6. Đoàn viên\n"
         "7. Người dân tộc thiểu số\n"
         "8. Người có đạo\n"
         "9. Làm ở doanh nghiệp ngoài nhà nước\n"
         "10. Ghi chú\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("1",
         "Họ tên hiện ghi: Ngô Đức Thắng\n"
         "\n"
         "Họ và tên đầy đủ mới?"),
    ])
    await bithu.dialog([
        ("Nguyễn Văn An",  # a namesake in another branch is no twin
         f"Xin kiểm tra lại trước khi lưu — {t}. Ngô Đức Thắng:\n"
         f"- Chi bộ: {SECOND_BRANCH}\n"
         "- Họ tên: Ngô Đức Thắng → Nguyễn Văn An\n"
         "\n"
         + CONFIRM_CHOICES),
        ("Lưu",
         f"Đã lưu: TSP-{t}. Nguyễn Văn An — Họ tên: Ngô Đức Thắng → Nguyễn Văn An. Thay đổi được ghi vào lịch sử trên "
         "thẻ.\n"
         f"Xem lại: /xem TSP-{t} · Sửa tiếp: /sua TSP-{t}"),
    ])


async def test_on_a_channel_the_branch_does_not_allow_names_are_initials_and_dates_hidden(talk, no, demo):
    """Issue 16: the branch allows Zalo only; its secretary corrects on Telegram. Every screen of
    /sua names the person by initials, and shows no birth date nor note (as /xem there)."""
    async with demo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        org.personal_data_channels = "zalo"
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "bithu"))).one()
        session.add(ChatLink(channel="telegram", account_id="bithu-tg", person_id=person, linked_at=demo.clock.now()))
    telegram = Convo(demo, account="bithu-tg", channel="telegram")
    hidden = "(không hiện trên kênh này)"
    await telegram.dialog([
        (f"/sua {no[NGOC]}", f"Sửa thông tin nào của {no[NGOC]}. T.T.B.N.?\n\n" + FIELD_LIST),
        ("1", "Họ tên hiện ghi: T.T.B.N.\n\nHọ và tên đầy đủ mới?"),
        ("Trần Thị Ngọc Bích", confirm(no, "Họ tên: T.T.B.N. → T.T.N.B.", who=f"{no[NGOC]}. T.T.B.N.")),
        ("Lưu", f"Đã lưu: {no[NGOC]}. T.T.N.B. — Họ tên: T.T.B.N. → T.T.N.B. Thay đổi được ghi vào lịch sử trên thẻ.\n"
                f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}"),
        (f"/sua {no[NGOC]}", f"Sửa thông tin nào của {no[NGOC]}. T.T.N.B.?\n\n" + FIELD_LIST),
        ("2", f"Ngày sinh hiện ghi: {hidden}\n\n{QUESTIONS['2']}"),
        ("03/11/2008", confirm(no, f"Ngày sinh: {hidden} → {hidden}", who=f"{no[NGOC]}. T.T.N.B.")),
        ("Lưu", f"Đã lưu: {no[NGOC]}. T.T.N.B. — Ngày sinh: {hidden} → {hidden}. Thay đổi được ghi vào lịch sử trên "
                "thẻ.\n"
                f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}"),
        (f"/sua {no[NGOC]}", f"Sửa thông tin nào của {no[NGOC]}. T.T.N.B.?\n\n" + FIELD_LIST),
        ("10", f"Ghi chú hiện ghi: (để trống)\n\n{QUESTIONS['10']}"),
        ("Gặp Trần Văn Bình ngày 05/03", confirm(no, f"Ghi chú: (để trống) → {hidden}", who=f"{no[NGOC]}. T.T.N.B.")),
        ("Lưu", f"Đã lưu: {no[NGOC]}. T.T.N.B. — Ghi chú: (để trống) → {hidden}. Thay đổi được ghi vào lịch sử trên "
                "thẻ.\n"
                f"Xem lại: /xem {no[NGOC]} · Sửa tiếp: /sua {no[NGOC]}"),
        (f"/sua {no[NGOC]}", f"Sửa thông tin nào của {no[NGOC]}. T.T.N.B.?\n\n" + FIELD_LIST),
        ("3", f"Giới tính hiện ghi: Nữ\n\n{QUESTIONS['3']}"),  # not a name nor a date: shown
    ])
    ngoc = await candidate(demo, no[NGOC])
    assert (ngoc.full_name, ngoc.birth_date, ngoc.note) == ("Trần Thị Ngọc Bích", date(2008, 11, 3),
                                                            "Gặp Trần Văn Bình ngày 05/03")
    await talk("bithu").dialog([  # the console: always allowed
        (f"/sua {no[NGOC]}", f"Sửa thông tin nào của {no[NGOC]}. Trần Thị Ngọc Bích?\n\n" + FIELD_LIST),
        ("2", "Ngày sinh hiện ghi: 03/11/2008\n\nNgày sinh đúng? (ngày/tháng/năm, ví dụ 05/09/2004)"),
    ])
