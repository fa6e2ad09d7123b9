"""/sua: a secretary corrects one field of a candidate; old → new before saving; the card shows
the change in its history. Candidate 2 of the demo branch is Trần Thị Bích Ngọc, born
02/11/2008; 1 is Nguyễn Văn An, born 12/04/1998; the secretary is Nguyễn Thị Thu."""

import logging
from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH, SECOND_BRANCH
from bot.render import text_of
from models.audit import AuditLog
from models.candidate import Candidate, change_stage
from models.candidate_edit import CandidateEdit
from models.org import Organisation
from models.people import ChatLink, Person, grant_role
from models.stage import Role, Stage

FOOT = "(Trả lời bằng số hoặc bằng chữ)"
FIELD_LIST = ("1. Họ tên\n2. Ngày sinh\n3. Giới tính\n4. Đơn vị (tổ/khoa/phòng/lớp)\n5. Đối tượng\n"
              "6. Đoàn viên\n7. Người dân tộc thiểu số\n8. Người có đạo\n9. Làm ở doanh nghiệp ngoài nhà nước\n"
              "10. Ghi chú\n" + FOOT)
ASK_FIELD = "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n\n" + FIELD_LIST
CONFIRM_CHOICES = "1. Lưu\n2. Sửa người\n3. Sửa mục\n4. Sửa giá trị mới\n5. Hủy\n" + FOOT
ASK_CANDIDATE = ('Sửa thông tin của ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng '
                 'được). Gõ /huy bất cứ lúc nào để hủy, "quay lại" để trở lại câu trước.')
NGOC_CARD = (
    "2. Trần Thị Bích Ngọc\n"
    "- Ngày sinh: 02/11/2008 · Nữ\n"
    "- Đối tượng: Học sinh, sinh viên · Đoàn viên\n"
    "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
    "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 16/01/2026\n"
    "- Đảng viên giúp đỡ: chưa phân công\n"
    "- Nguồn giới thiệu: Đoàn Thanh niên\n"
    "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
    "(Hướng dẫn 12-HD/BTCTW)")
SECRETARY = "Nguyễn Thị Thu"


async def candidate(demo, number: int = 2) -> Candidate:
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        return (await session.exec(select(Candidate).where(
            Candidate.branch_id == branch.id, Candidate.number == number))).one()


async def edits(demo) -> list[CandidateEdit]:
    async with demo.sessions() as session:
        return list(await session.exec(select(CandidateEdit).order_by(CandidateEdit.id)))


async def test_a_whole_correction_saves_and_the_card_shows_it_with_its_history(talk, demo):
    bithu = talk()
    assert await bithu.say("/sua") == ASK_CANDIDATE
    assert await bithu.say("ngoc") == (
        "Có 2 người khớp “ngoc”. Chọn một người.\n"
        "Sửa thông tin của ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng được). Gõ "
        "/huy bất cứ lúc nào để hủy, \"quay lại\" để trở lại câu trước.\n"
        "\n"
        "2. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
        "6. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")
    assert await bithu.say("2") == ASK_FIELD
    assert await bithu.say("1") == "Họ tên hiện ghi: Trần Thị Bích Ngọc\n\nHọ và tên đầy đủ mới?"
    assert await bithu.say("trần thị bích  ngọc anh") == (
        "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
        "- Họ tên: Trần Thị Bích Ngọc → Trần Thị Bích Ngọc Anh\n\n" + CONFIRM_CHOICES)
    assert await edits(demo) == []  # nothing saved before "Lưu"
    assert await bithu.say("Lưu") == (
        "Đã lưu: 2. Trần Thị Bích Ngọc Anh — Họ tên: Trần Thị Bích Ngọc → Trần Thị Bích Ngọc Anh. "
        "Thay đổi được ghi vào lịch sử trên thẻ.\n"
        "Xem lại: /xem 2 · Sửa tiếp: /sua 2")
    saved = await candidate(demo)
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
        "1. Nguyễn Văn An (1998)\n"
        "2. Trần Thị Bích Ngọc Anh (2008)\n"
        "9. Trịnh Công Sơn (2008)\n"
        "10. Vũ Thị Thanh Xuân (1999)\n"
        "\n"
        "Cảm tình Đảng:\n"
        "3. Lê Hoàng Minh (1995)\n"
        "4. Phạm Thu Hà (2000)\n"
        "11. Đinh Văn Khoa (1988)\n"
        "\n"
        "Học lớp nhận thức về Đảng:\n"
        "5. Võ Thanh Tùng (1990)\n"
        "12. Lương Thị Mỹ (2001)\n"
        "\n"
        "Đang làm hồ sơ:\n"
        "6. Đặng Ngọc Lan (1997)\n"
        "\n"
        "Đã đề nghị kết nạp:\n"
        "7. Bùi Quốc Huy (1993)\n"
        "\n"
        "Có quyết định kết nạp:\n"
        "13. Tạ Minh Đức (1994)\n"
        "\n"
        "Đảng viên dự bị:\n"
        "8. Hoàng Mai Anh (1996)\n"
        "\n"
        "Xem một người: /xem SỐ hoặc /xem TÊN")  # found under the new name
    assert await bithu.say("/xem ngoc anh") == (
        NGOC_CARD.replace("2. Trần Thị Bích Ngọc\n", "2. Trần Thị Bích Ngọc Anh\n") + "\n\n"
        "Lịch sử (mới nhất trước):\n"
        f"- 02/03/2026: sửa họ tên: Trần Thị Bích Ngọc → Trần Thị Bích Ngọc Anh — {SECRETARY}")


async def test_the_command_with_a_number_starts_with_that_person(talk):
    bithu = talk()
    assert await bithu.say("/sua 2") == ASK_FIELD
    await bithu.say("/huy")
    assert (await bithu.say("/sua ngoc")).startswith(text_of("invalid/candidate_ambiguous", count=2, text="ngoc",
                                                               more=False))


async def paper_consent(demo, sensitive: bool) -> None:
    from models.consent import GivenBy, Method, record
    c = await candidate(demo)
    async with demo.sessions() as session, session.begin():
        record(session=session, candidate_id=c.id, given_by=GivenBy.self, method=Method.paper,
               given_on=date(2026, 3, 1), sensitive=sensitive, now=demo.clock.now())


async def test_ethnicity_and_religion_are_not_kept_without_a_consent_naming_them(talk, demo):
    bithu = talk()
    await paper_consent(demo, sensitive=False)
    await bithu.say("/sua 2")
    await bithu.say("7")
    refused = ("Chưa có giấy đồng ý ghi rõ dân tộc và tôn giáo của người này, nên chibo không ghi thông tin này. "
               'Ghi giấy đồng ý trước (/dongy), hoặc sửa giá trị mới thành "Không".\n'
               "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
               "- Người dân tộc thiểu số: Không → Có\n\n"
               "1. Lưu\n2. Sửa người\n3. Sửa mục\n4. Sửa giá trị mới\n5. Hủy\n"
               "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("có") == refused
    assert await bithu.say("Lưu") == refused
    assert await bithu.say("/huy") == "Đã hủy, không lưu gì. Gõ /trogiup để xem các lệnh."
    assert not (await candidate(demo)).ethnic_minority


async def test_every_field_is_saved_as_typed_and_shown_on_the_card(talk, demo):
    bithu = talk()
    await paper_consent(demo, sensitive=True)  # ethnicity and religion are named (tests/flows/test_consent.py)
    for field, typed, line in [
        ("2", "5/9/2004", "Ngày sinh: 02/11/2008 → 05/09/2004"),
        ("gioi tinh", "nam", "Giới tính: Nữ → Nam"),
        ("4", "Lớp 12A1", "Đơn vị (tổ/khoa/phòng/lớp): (để trống) → Lớp 12A1"),
        ("5", "cong nhan", "Đối tượng: Học sinh, sinh viên → Công nhân, người lao động"),
        ("6", "không", "Đoàn viên: Có → Không"),
        ("7", "có", "Người dân tộc thiểu số: Không → Có"),
        ("8", "co", "Người có đạo: Không → Có"),
        ("9", "1", "Làm ở doanh nghiệp ngoài nhà nước: Không → Có"),
        ("10", "Lớp trưởng", "Ghi chú: (để trống) → Lớp trưởng"),
    ]:
        await bithu.say("/sua 2")
        await bithu.say(field)
        screen = await bithu.say(typed)
        assert f"\n- {line}\n" in screen, screen
        assert (await bithu.say("Lưu")).startswith(f"Đã lưu: 2. Trần Thị Bích Ngọc — {line}.")
    c = await candidate(demo)
    assert (c.birth_date, c.gender, c.unit, c.category, c.youth_union, c.ethnic_minority, c.religious,
            c.private_firm, c.note) == (date(2004, 9, 5), "male", "Lớp 12A1", "worker", False, True, True, True,
                                        "Lớp trưởng")
    card = await bithu.say("/xem 2")
    assert card.startswith(
        "2. Trần Thị Bích Ngọc\n"
        "- Ngày sinh: 05/09/2004 · Nam\n"
        "- Đối tượng: Công nhân, người lao động · Người dân tộc thiểu số · Người có đạo · "
        "Làm ở doanh nghiệp ngoài nhà nước\n"
        "- Đơn vị: Lớp 12A1\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n")
    assert "- Ghi chú: Lớp trưởng\n" in card
    history = card.split("Lịch sử (mới nhất trước):\n")[1]
    assert history == (  # the latest five, newest first
        f"- 02/03/2026: sửa ghi chú: (để trống) → Lớp trưởng — {SECRETARY}\n"
        f"- 02/03/2026: sửa làm ở doanh nghiệp ngoài nhà nước: Không → Có — {SECRETARY}\n"
        f"- 02/03/2026: sửa người có đạo: Không → Có — {SECRETARY}\n"
        f"- 02/03/2026: sửa người dân tộc thiểu số: Không → Có — {SECRETARY}\n"
        f"- 02/03/2026: sửa đoàn viên: Có → Không — {SECRETARY}")
    assert len(await edits(demo)) == 9


async def test_an_optional_field_is_emptied_with_skip(talk, demo):
    bithu = talk()
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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
         "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
         "- Đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Đã lưu: 2. Trần Thị Bích Ngọc — Đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1. Thay đổi được ghi vào "
         "lịch sử trên thẻ.\n"
         "Xem lại: /xem 2 · Sửa tiếp: /sua 2"),
    ])
    await bithu.say("/sua 2")
    assert await bithu.say("4") == (
        "Đơn vị (tổ/khoa/phòng/lớp) hiện ghi: 12A1\n\n"
        'Đơn vị mới (tổ, khoa, phòng hoặc lớp)? Tối đa 120 ký tự, hoặc chọn "Bỏ qua" để để trống.\n\n'
        "1. Bỏ qua\n" + FOOT)
    assert await bithu.say("Bỏ qua") == (
        "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
        "- Đơn vị (tổ/khoa/phòng/lớp): 12A1 → (để trống)\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa mục\n"
        "4. Sửa giá trị mới\n"
        "5. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    await bithu.say("Lưu")
    assert (await candidate(demo)).unit is None
    assert "Đơn vị:" not in await bithu.say("/xem 2")


BAD = [
    # (the field's number, what is typed, why it is refused, the question asked again)
    ("1", "Ngọc", "ít nhất hai chữ", "Họ và tên đầy đủ mới?"),
    ("1", "Tran Thi 3", "chỉ gồm chữ cái", "Họ và tên đầy đủ mới?"),
    ("2", "hôm nay", "Chưa đọc được ngày", "Ngày sinh đúng?"),
    ("2", "02/11", "Chưa đọc được ngày", "Ngày sinh đúng?"),
    ("2", "31/02/2008", "Không có ngày 31/02/2008", "Ngày sinh đúng?"),
    ("2", "01/01/2030", "chưa tới", "Ngày sinh đúng?"),
    ("2", "01/01/2015", "mới 11 tuổi", "Ngày sinh đúng?"),
    ("2", "01/01/1950", "76 tuổi", "Ngày sinh đúng?"),
    ("3", "9", '"9" không có trong các lựa chọn', "Giới tính đúng?"),
    ("4", "x" * 121, "dài quá: 121 ký tự, tối đa 120", "Đơn vị mới"),
    ("5", "khong biet", "không có trong các lựa chọn", "Thuộc đối tượng nào?"),
    ("6", "có lẽ", "không phải có hay không", "đoàn viên Đoàn TNCS Hồ Chí Minh"),
    ("7", "có lẽ", "không phải có hay không", "người dân tộc thiểu số không?"),
    ("8", "có lẽ", "không phải có hay không", "người có đạo"),
    ("9", "có lẽ", "không phải có hay không", "doanh nghiệp ngoài nhà nước"),
    ("10", "x" * 501, "dài quá: 501 ký tự, tối đa 500", "Ghi chú mới?"),
]


@pytest.mark.parametrize("field, typed, reason, question", BAD, ids=[f"{b[0]}-{b[1][:12]}" for b in BAD])
async def test_a_wrong_value_is_explained_and_asked_again(talk, demo, field, typed, reason, question):
    bithu = talk()
    await bithu.say("/sua 2")
    await bithu.say(field)
    reply = await bithu.say(typed)
    assert reason in reply and question in reply, reply
    assert "trước khi lưu" not in reply
    assert await edits(demo) == []


async def test_a_wrong_choice_of_field_is_explained_with_the_list_again(talk):
    bithu = talk()
    await bithu.say("/sua 2")
    assert await bithu.say("99") == (
        text_of("invalid/choice_unknown", text="99") + "\n" + ASK_FIELD)
    assert await bithu.say("ngay sinh") == (
        "Ngày sinh hiện ghi: 02/11/2008\n"
        "\n"
        "Ngày sinh đúng? (ngày/tháng/năm, ví dụ 05/09/2004)")


async def test_a_birth_date_over_sixty_names_the_rules(talk):
    bithu = talk()
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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


async def test_a_name_and_birth_date_of_another_person_in_the_branch_is_refused(talk, demo):
    bithu = talk()
    # First the birth date of Nguyễn Văn An (number 1): another name, so no twin yet.
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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
         "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
         "- Ngày sinh: 02/11/2008 → 12/04/1998\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Đã lưu: 2. Trần Thị Bích Ngọc — Ngày sinh: 02/11/2008 → 12/04/1998. Thay đổi được ghi vào lịch sử "
         "trên thẻ.\n"
         "Xem lại: /xem 2 · Sửa tiếp: /sua 2"),
    ])
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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
    refusal = text_of("invalid/duplicate_candidate", screen="edit/confirm", number=1, ref="1", name="Nguyễn Văn An")
    screen = ("Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
              "- Họ tên: Trần Thị Bích Ngọc → Nguyen Van An\n\n" + CONFIRM_CHOICES)
    assert "đã có người cùng họ tên và ngày sinh này (số 1, xem: /xem 1). Chưa lưu." in refusal
    for says in ("nguyen van an", "Lưu"):  # refused before the screen, and again at "Lưu"
        reply = await bithu.say(says)
        assert reply.startswith(refusal) and reply.endswith(screen), reply
    assert (await candidate(demo)).full_name == "Trần Thị Bích Ngọc"
    assert len(await edits(demo)) == 1
    # Another name is fine.
    await bithu.say("Sửa giá trị mới")
    assert "đã có người" not in await bithu.say("Nguyễn Văn Anh")
    assert (await bithu.say("Lưu")).startswith("Đã lưu: 2. Nguyễn Văn Anh")


async def test_a_birth_date_that_makes_a_twin_is_refused(talk, demo):
    bithu = talk()
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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
         "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
         "- Họ tên: Trần Thị Bích Ngọc → Nguyễn Văn An\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Đã lưu: 2. Nguyễn Văn An — Họ tên: Trần Thị Bích Ngọc → Nguyễn Văn An. Thay đổi được ghi vào lịch sử "
         "trên thẻ.\n"
         "Xem lại: /xem 2 · Sửa tiếp: /sua 2"),
    ])
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Nguyễn Văn An?\n"
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
        "Chi bộ đã có người cùng họ tên và ngày sinh này (số 1, xem: /xem 1). Chưa lưu. Xin sửa họ tên hoặc "
        "ngày sinh nếu là người khác, hoặc chọn Hủy.\n"
        "Xin kiểm tra lại trước khi lưu — 2. Nguyễn Văn An:\n"
        "- Ngày sinh: 02/11/2008 → 12/04/1998\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa mục\n"
        "4. Sửa giá trị mới\n"
        "5. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == (
        "Chi bộ đã có người cùng họ tên và ngày sinh này (số 1, xem: /xem 1). Chưa lưu. Xin sửa họ tên hoặc "
        "ngày sinh nếu là người khác, hoặc chọn Hủy.\n"
        "Xin kiểm tra lại trước khi lưu — 2. Nguyễn Văn An:\n"
        "- Ngày sinh: 02/11/2008 → 12/04/1998\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa mục\n"
        "4. Sửa giá trị mới\n"
        "5. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert (await candidate(demo)).birth_date == date(2008, 11, 2)


async def test_the_same_value_saves_nothing(talk, demo):
    bithu = talk()
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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
    ])
    screen = await bithu.say("nữ")
    assert "- Giới tính: Nữ → Nữ\nGiá trị mới giống hệt giá trị đang ghi: lưu cũng không thay đổi gì." in screen
    assert await bithu.say("Lưu") == (
        "Giới tính của 2. Trần Thị Bích Ngọc vẫn là Nữ: không có gì thay đổi, không lưu gì.\nXem lại: /xem 2")
    assert await edits(demo) == []
    assert await bithu.say("/xem 2") == NGOC_CARD  # no history


@pytest.mark.parametrize("account, refusal", [("giupdo", "common/not_allowed"), ("nguoila", "common/not_linked"),
                                              ("captren", "common/not_allowed")])
async def test_a_sponsor_a_stranger_and_the_committee_are_refused_and_learn_nothing(talk, demo, account, refusal):
    person = talk(account)
    for says in ("/sua", "/sua 2", "/sua 3", "/sua ngoc", "/sua TP-2"):
        assert await person.say(says) == text_of(refusal), says
    assert "/sua" not in await person.say("/trogiup")
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
    assert (await talk().say("/sua TSP-1")).startswith(text_of("invalid/candidate_not_found", text="TSP-1"))


async def test_back_goes_one_question_back(talk, demo):
    bithu = talk()
    await bithu.say("/sua 2")
    assert await bithu.say("quay lại") == ASK_CANDIDATE  # the person given with the command
    await bithu.say("2")
    assert await bithu.say("quay lại") == ASK_CANDIDATE
    assert await bithu.say("quay lại") == text_of("common/back_at_first") + "\n\n" + ASK_CANDIDATE
    await bithu.say("2")
    await bithu.say("2")
    assert await bithu.say("quay lại") == ASK_FIELD
    await bithu.say("1")
    await bithu.say("Trần Thị Bích Ngân")
    assert await bithu.say("quay lại") == "Họ và tên đầy đủ mới?"
    assert await bithu.say("quay lại") == ASK_FIELD
    assert await bithu.say("3") == (
        "Giới tính hiện ghi: Nữ\n"
        "\n"
        "Giới tính đúng?\n"
        "\n"
        "1. Nam\n"
        "2. Nữ\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("nam") == (
        "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
        "- Giới tính: Nữ → Nam\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa người\n"
        "3. Sửa mục\n"
        "4. Sửa giá trị mới\n"
        "5. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    await bithu.say("Lưu")
    c = await candidate(demo)
    assert (c.full_name, c.gender) == ("Trần Thị Bích Ngọc", "male")


async def test_back_from_the_start_without_a_number_reaches_the_person_question(talk):
    bithu = talk()
    await bithu.say("/sua")
    await bithu.say("2")
    assert await bithu.say("quay lại") == ASK_CANDIDATE


async def test_the_confirmation_changes_the_field_or_the_person(talk, demo):
    bithu = talk()
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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
         "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
         "- Giới tính: Nữ → Nam\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
    ])
    assert "Đơn vị (tổ/khoa/phòng/lớp) hiện ghi: (để trống)" in await bithu.say("Sửa mục") + await bithu.say("4")
    screen = await bithu.say("12A1")
    assert "- Đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1\n" in screen and "Giới tính" not in screen
    await bithu.say("Sửa người")
    screen = await bithu.say("6")  # Đặng Ngọc Lan
    assert screen.startswith("Xin kiểm tra lại trước khi lưu — 6. Đặng Ngọc Lan:\n"
                             "- Đơn vị (tổ/khoa/phòng/lớp): (để trống) → 12A1\n")
    await bithu.say("Lưu")
    assert ((await candidate(demo, 6)).unit, (await candidate(demo)).unit, (await candidate(demo)).gender) == (
        "12A1", None, "female")


async def test_cancel_at_any_step_saves_nothing(talk, demo):
    turns = ["/sua", "ngoc", "2", "1", "Trần Thị Bích Ngân"]
    for steps in range(1, len(turns) + 1):
        bithu = talk()
        for says in turns[:steps]:
            await bithu.say(says)
        assert await bithu.say("/huy") == text_of("common/cancelled")
    assert await edits(demo) == []
    assert (await candidate(demo)).full_name == "Trần Thị Bích Ngọc"


async def test_a_stage_change_is_in_the_history_with_its_reason_and_who(talk, demo):
    bithu = talk()
    async with demo.sessions() as session, session.begin():
        c = await session.get(Candidate, (await candidate(demo)).id)
        secretary = (await session.exec(select(Person).where(Person.full_name == SECRETARY))).one()
        refused = await change_stage(session=session, candidate=c, to_stage=Stage.sympathizer, on=date(2026, 3, 1),
                                     today=date(2026, 3, 2), reason="Chi bộ xét tháng 3", by_person_id=secretary.id,
                                     actor_roles=frozenset({Role.secretary}), now=demo.clock.now())
        assert refused is None
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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
        ("6",
         "Đoàn viên hiện ghi: Có\n"
         "\n"
         "Có phải là đoàn viên Đoàn TNCS Hồ Chí Minh không?\n"
         "\n"
         "1. Có\n"
         "2. Không\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("không",
         "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
         "- Đoàn viên: Có → Không\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Đã lưu: 2. Trần Thị Bích Ngọc — Đoàn viên: Có → Không. Thay đổi được ghi vào lịch sử trên thẻ.\n"
         "Xem lại: /xem 2 · Sửa tiếp: /sua 2"),
    ])
    card = await bithu.say("/xem 2")
    assert card.endswith(
        "\n\nLịch sử (mới nhất trước):\n"
        f"- 02/03/2026: sửa đoàn viên: Có → Không — {SECRETARY}\n"
        f"- 01/03/2026: Quần chúng ưu tú (nguồn) → Cảm tình Đảng (Chi bộ xét tháng 3) — {SECRETARY}")


async def test_no_name_or_birth_date_reaches_the_log(talk, caplog):
    caplog.set_level(logging.DEBUG)
    bithu = talk()
    await bithu.dialog([
        ("/sua ngoc",
         "Có 2 người khớp “ngoc”. Chọn một người.\n"
         "\n"
         "2. Trần Thị Bích Ngọc (2008) — Quần chúng ưu tú (nguồn)\n"
         "6. Đặng Ngọc Lan (1997) — Đang làm hồ sơ\n"
         "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)"),
        ("2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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
         "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
         "- Ngày sinh: 02/11/2008 → 05/09/2004\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Đã lưu: 2. Trần Thị Bích Ngọc — Ngày sinh: 02/11/2008 → 05/09/2004. Thay đổi được ghi vào lịch sử "
         "trên thẻ.\n"
         "Xem lại: /xem 2 · Sửa tiếp: /sua 2"),
    ])
    await bithu.dialog([
        ("/sua 2",
         "Sửa thông tin nào của 2. Trần Thị Bích Ngọc?\n"
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
         "Xin kiểm tra lại trước khi lưu — 2. Trần Thị Bích Ngọc:\n"
         "- Họ tên: Trần Thị Bích Ngọc → Trần Bích Ngọc\n"
         "\n"
         "1. Lưu\n"
         "2. Sửa người\n"
         "3. Sửa mục\n"
         "4. Sửa giá trị mới\n"
         "5. Hủy\n"
         "(Trả lời bằng số hoặc bằng chữ)"),
        ("Lưu",
         "Đã lưu: 2. Trần Bích Ngọc — Họ tên: Trần Thị Bích Ngọc → Trần Bích Ngọc. Thay đổi được ghi vào lịch "
         "sử trên thẻ.\n"
         "Xem lại: /xem 2 · Sửa tiếp: /sua 2"),
        ("/xem 2",
         "2. Trần Bích Ngọc\n"
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


async def test_a_secretary_of_two_branches_sees_which_branch_and_the_twin_rule_keeps_to_it(talk, demo):
    async with demo.sessions() as session, session.begin():
        second = (await session.exec(select(Organisation).where(Organisation.name == SECOND_BRANCH))).one()
        link = (await session.exec(select(ChatLink).where(ChatLink.account_id == "bithu"))).one()
        await grant_role(session=session, person_id=link.person_id, org_id=second.id, role=Role.secretary)
        thang = (await session.exec(select(Candidate).where(Candidate.branch_id == second.id,
                                                            Candidate.number == 1))).one()
    bithu = talk()
    assert (await bithu.say("/sua TSP-1")).startswith(f"Sửa thông tin nào của 1. {thang.full_name}?")
    await bithu.say("2")
    screen = await bithu.say("12/04/1998")  # Nguyễn Văn An's birth date, in the other branch
    assert screen.startswith(f"Xin kiểm tra lại trước khi lưu — 1. {thang.full_name}:\n"
                             f"- Chi bộ: {SECOND_BRANCH}\n- Ngày sinh: ")
    assert "đã có người" not in screen
    await bithu.say("Lưu")
    await bithu.dialog([
        ("/sua TSP-1",
         "Sửa thông tin nào của 1. Ngô Đức Thắng?\n"
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
    assert "đã có người" not in await bithu.say("Nguyễn Văn An")  # a namesake in another branch is no twin
    assert (await bithu.say("Lưu")).startswith("Đã lưu: 1. Nguyễn Văn An — Họ tên: ")
