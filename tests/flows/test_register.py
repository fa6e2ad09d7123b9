"""/them: a secretary registers a candidate; every wrong answer is explained and asked again."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.app import Chibo
from bot.demo import BRANCH, SECOND_BRANCH
from models.audit import AuditLog
from models.candidate import Candidate, NewCandidate, StageChange, register_candidate
from models.org import Organisation
from models.people import ChatLink, grant_role
from models.stage import Role
from models.statements import SessionStatements
from tests.flows.test_candidates import (
    AN, NGOC, SEE_ONE, TITLE, branch_list, committee_list, demo_numbers, later_stages, my_list, sources,
)
from tests.support import Convo
from tests.texts import ASK_HOA_BIRTH, CANCELLED, CHOOSE, REGISTER


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The demo candidates' register numbers, looked up by name (tests/flows/test_candidates.py)."""
    return await demo_numbers(demo)


async def highest_number(chibo: Chibo, branch: str = BRANCH) -> int:
    """The highest register number in the branch, looked up."""
    async with chibo.sessions() as session:
        return (await session.exec(
            select(sa.func.max(Candidate.number)).join(Organisation, Organisation.id == Candidate.branch_id)
            .where(Organisation.name == branch))).one()


@pytest.fixture
async def next_no(demo) -> int:
    """The register number the next person added to the demo branch gets: its highest (of anyone ever
    registered, removed people too) + 1, looked up before the test adds anyone."""
    return await highest_number(demo) + 1

ASK_GENDER = "Giới tính?\n\n1. Nam\n2. Nữ\n" + CHOOSE
ASK_CATEGORY = ("Nguyễn Thị Hoa thuộc đối tượng nào?\n"
                "\n"
                "1. Giáo viên, giảng viên\n"
                "2. Học sinh, sinh viên\n"
                "3. Cán bộ quản lý\n"
                "4. Nhân viên\n"
                "5. Công nhân, người lao động\n"
                "6. Bác sĩ, nhân viên y tế\n"
                "7. Khác\n"
                + CHOOSE)
YES_NO = "\n\n1. Có\n2. Không\n" + CHOOSE
ASK_UNIT = ('Nguyễn Thị Hoa công tác hoặc học tập ở đơn vị nào (tổ chuyên môn, khoa, phòng hoặc lớp)? Tối đa 120 '
            'ký tự, hoặc chọn "Bỏ qua".\n\n1. Bỏ qua\n' + CHOOSE)
ASK_PRIVATE_FIRM = ("Nguyễn Thị Hoa có làm việc ở doanh nghiệp ngoài nhà nước (không có vốn nhà nước) không?"
                    + YES_NO)
ASK_UNION = "Nguyễn Thị Hoa có phải là đoàn viên Đoàn TNCS Hồ Chí Minh không?" + YES_NO
ASK_INTRODUCER = ("Ai giới thiệu hoặc phát hiện người này?\n"
                  "\n"
                  "1. Đoàn Thanh niên\n"
                  "2. Công đoàn\n"
                  "3. Một đảng viên\n"
                  "4. Chi bộ phát hiện\n"
                  + CHOOSE)
ASK_NOTE = ('Ghi chú thêm (đơn vị công tác, lớp, điểm nổi bật...)? Tối đa 500 ký tự, hoặc chọn "Bỏ qua".\n'
            "\n"
            "1. Bỏ qua\n"
            + CHOOSE)
HELP = ("Chào Nguyễn Thị Thu. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.\n"
        "- Bạn là bí thư — Chi bộ Trường THPT Trần Phú (demo)\n"
        "Bạn có thể dùng (trang 1/3):\n"
        "\n"
        "1. /them — Thêm một quần chúng ưu tú\n"
        "2. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn\n"
        "3. /xem — Xem hồ sơ một người (theo số hoặc tên)\n"
        "4. /xet — Xét duyệt hằng tháng: nguồn và cảm tình Đảng, từng người một\n"
        "5. /quy — Khảo sát nguồn hằng quý: đánh giá từng quần chúng ưu tú\n"
        "6. /giupdo — Phân công hoặc đổi đảng viên giúp đỡ một quần chúng\n"
        "7. /lop — Các lớp bồi dưỡng nhận thức về Đảng và đảng viên mới\n"
        "8. /taolop — Tạo một lớp bồi dưỡng mới\n"
        "9. /ghidanh — Ghi danh người của chi bộ vào một lớp\n"
        "10. /trogiup 2 — Các lệnh khác (trang 2/3)\n"
        + CHOOSE)


def confirm(name: str = "Nguyễn Thị Hoa", birth: str = "05/09/2004", gender: str = "Nữ", union: str = "Có",
            introducer: str = "Đoàn Thanh niên", note: str = "Tích cực", unit: str = "Tổ Toán",
            category: str = "Giáo viên, giảng viên", private_firm: str | None = None) -> str:
    firm = f"- Doanh nghiệp ngoài nhà nước: {private_firm}\n" if private_firm else ""
    edits = ["họ tên", "ngày sinh", "giới tính", "đối tượng", "đơn vị"] + (
        ["doanh nghiệp ngoài nhà nước"] if private_firm else []) + ["đoàn viên", "nguồn giới thiệu", "ghi chú"]
    return ("Xin kiểm tra lại trước khi lưu vào danh sách nguồn của Chi bộ Trường THPT Trần Phú (demo):\n"
            f"- Họ tên: {name}\n"
            f"- Ngày sinh: {birth}\n"
            f"- Giới tính: {gender}\n"
            f"- Đối tượng: {category}\n"
            f"- Đơn vị: {unit}\n"
            + firm +
            f"- Đoàn viên: {union}\n"
            f"- Nguồn giới thiệu: {introducer}\n"
            f"- Ghi chú: {note}\n"
            "\n"
            "1. Lưu\n" + "".join(f"{n}. Sửa {e}\n" for n, e in enumerate(edits, start=2))
            + f"{len(edits) + 2}. Hủy\n" + CHOOSE)


CONSENT_LINE = ("Dân tộc thiểu số, tôn giáo: chỉ ghi khi có giấy đồng ý ghi rõ hai mục này (/dongy), rồi sửa bằng "
                "/sua {}.")


def saved(name: str, number: int) -> str:
    return (f"Đã lưu {name} vào danh sách quần chúng ưu tú (nguồn) của Chi bộ Trường THPT Trần Phú (demo), "
            f"số {number}.\n"
            f"Dân tộc thiểu số, tôn giáo: chỉ ghi khi có giấy đồng ý ghi rõ hai mục này (/dongy), rồi sửa bằng /sua "
            f"{number}.\n"
            f"Xem lại: /xem {number} · Thêm người khác: /them · Danh sách: /ds")


GOOD = [
    ("/them", REGISTER),
    ("nguyễn   thị hoa", ASK_HOA_BIRTH),
    ("05/09/2004", ASK_GENDER),
    ("2", ASK_CATEGORY),
    ("giáo viên", ASK_UNIT),
    ("Tổ Toán", ASK_UNION),
    ("có", ASK_INTRODUCER),
    ("Đoàn Thanh niên", ASK_NOTE),
    ("Tích cực", confirm()),
]


async def walk(convo: Convo, turns: list[tuple[str, str]]) -> None:
    """Each (says, expect) pair: the whole answer must be the expected text."""
    for says, expect in turns:
        assert await convo.say(says) == expect, f"after {says!r}"


async def candidates(chibo: Chibo) -> list[Candidate]:
    async with chibo.sessions() as session:
        return list(await session.exec(select(Candidate).order_by(Candidate.id)))


async def test_full_registration_saves_a_source(talk, demo, no, next_no):
    bithu = talk("bithu")
    await walk(bithu, GOOD)
    assert await bithu.say("1") == saved("Nguyễn Thị Hoa", next_no)  # not yet saved before; the next number
    [c] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]  # one
    assert (c.birth_date.isoformat(), c.gender, c.category, c.youth_union, c.introduced_by) == (
        "2004-09-05", "female", "teacher", True, "youth_union")
    assert c.stage == "source" and c.note == "Tích cực" and c.number == next_no
    assert (c.unit, c.private_firm, c.ethnic_minority, c.religious) == ("Tổ Toán", False, False, False)
    async with demo.sessions() as session:
        history = list(await session.exec(select(StageChange).where(StageChange.candidate_id == c.id)))
        logged = list(await session.exec(select(AuditLog).where(AuditLog.subject == f"candidate:{c.id}")))
        bithu_id = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "bithu"))).one()
    assert [(h.from_stage, h.to_stage, h.by_person_id) for h in history] == [(None, "source", bithu_id)]
    assert [(a.action, a.person_id, a.at, a.detail) for a in logged] == [
        ("candidate.register", bithu_id, c.created_at, None)]
    assert (c.created_by, c.stage_since) == (bithu_id, demo.clock.today())
    assert await bithu.say("/ds") == (  # the branch's list, Hoa the last of the sources
        f"{TITLE} (14 người):\n\n" + sources(no) + f"{next_no}. Nguyễn Thị Hoa (2004)\n\n" + later_stages(no) + "\n"
        + SEE_ONE)


async def test_confirmation_shows_every_answer_before_saving(talk, demo):
    before = len(await candidates(demo))
    bithu = talk()
    await walk(bithu, GOOD[:-1])
    assert await bithu.say("Tích cực") == (
        "Xin kiểm tra lại trước khi lưu vào danh sách nguồn của Chi bộ Trường THPT Trần Phú (demo):\n"
        "- Họ tên: Nguyễn Thị Hoa\n"
        "- Ngày sinh: 05/09/2004\n"
        "- Giới tính: Nữ\n"
        "- Đối tượng: Giáo viên, giảng viên\n"
        "- Đơn vị: Tổ Toán\n"
        "- Đoàn viên: Có\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Ghi chú: Tích cực\n"
        "\n"
        "1. Lưu\n"
        "2. Sửa họ tên\n"
        "3. Sửa ngày sinh\n"
        "4. Sửa giới tính\n"
        "5. Sửa đối tượng\n"
        "6. Sửa đơn vị\n"
        "7. Sửa đoàn viên\n"
        "8. Sửa nguồn giới thiệu\n"
        "9. Sửa ghi chú\n"
        "10. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)") == confirm()
    assert len(await candidates(demo)) == before  # nothing saved yet


async def test_any_field_can_be_changed_on_the_confirmation_screen(talk, demo, next_no):
    bithu = talk()
    await walk(bithu, GOOD)
    assert await bithu.say("Sửa ngày sinh") == ASK_HOA_BIRTH
    assert await bithu.say("06/10/2003") == confirm(birth="06/10/2003")
    assert await bithu.say("Lưu") == saved("Nguyễn Thị Hoa", next_no)
    [c] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert c.birth_date.isoformat() == "2003-10-06"


@pytest.mark.parametrize("answer, reason", [
    ("31/02/2000", "Không có ngày 31/02/2000 trên lịch. Xin kiểm tra lại ngày và tháng.\n"),
    ("hôm qua", "Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 05/09/2004 hoặc 5/9/04.\n"),
    ("", "Chưa có câu trả lời.\n"),
    ("01/01/2030", "Ngày 01/01/2030 chưa tới (hôm nay là 02/03/2026).\n"),
    ("01/01/2015", "Người này mới 11 tuổi; chibo chỉ ghi nhận quần chúng từ 15 tuổi trở lên. Xin kiểm tra lại năm "
                   "sinh.\n"),
    ("01/01/1950", "Người này đã 76 tuổi, quá 60 tuổi; trên 60 tuổi chỉ kết nạp khi có ý kiến của cấp ủy cấp tỉnh "
                   "(Điều lệ Đảng, Điều 1; Quy định 294-QĐ/TW, mục 1.1). Xin kiểm tra lại năm sinh.\n"),
    ("1/1/1850", "Năm 1850 có vẻ nhầm. Xin kiểm tra lại năm.\n"),
])
async def test_a_wrong_birth_date_is_explained_and_asked_again(talk, answer, reason):
    bithu = talk()
    await walk(bithu, GOOD[:2])
    assert await bithu.say(answer) == reason + ASK_HOA_BIRTH  # the name given before is kept


async def test_over_sixty_names_the_rules_in_vietnamese(talk):
    bithu = talk()
    await walk(bithu, GOOD[:2])
    assert await bithu.say("01/01/1950") == (
        "Người này đã 76 tuổi, quá 60 tuổi; trên 60 tuổi chỉ kết nạp khi có ý kiến của cấp ủy cấp tỉnh "
        "(Điều lệ Đảng, Điều 1; Quy định 294-QĐ/TW, mục 1.1). Xin kiểm tra lại năm sinh.\n"
        "Ngày sinh của Nguyễn Thị Hoa? (ngày/tháng/năm, ví dụ 05/09/2004)")


async def test_short_dates_and_other_separators_are_read(talk):
    bithu = talk()
    await walk(bithu, GOOD[:2])
    assert await bithu.say("5-9-04") == ASK_GENDER
    await walk(bithu, GOOD[3:])  # the screen shows 05/09/2004


@pytest.mark.parametrize("answer, reason", [
    ("Hoa", "Xin ghi đủ họ và tên (ít nhất hai chữ), ví dụ: Nguyễn Văn An.\n"),
    ("Nguyen Van 3", "Họ tên chỉ gồm chữ cái và dấu cách (không có số hay ký hiệu).\n"),
    ("A" * 60 + " " + "B" * 60, "Câu trả lời dài quá: 121 ký tự, tối đa 100.\n"),
    ("   ", "Chưa có câu trả lời.\n"),
])
async def test_a_wrong_name_is_explained_and_asked_again(talk, answer, reason):
    bithu = talk()
    await bithu.say("/them")
    assert await bithu.say(answer) == reason + REGISTER


def not_a_choice(typed: str) -> str:
    return f'"{typed}" không có trong các lựa chọn. Xin trả lời bằng số thứ tự hoặc bằng chữ của một lựa chọn.\n'


async def test_an_unknown_choice_is_explained_with_the_choices_again(talk):
    bithu = talk()
    await walk(bithu, GOOD[:3])
    assert await bithu.say("9") == not_a_choice("9") + ASK_GENDER
    assert await bithu.say("khong biet") == not_a_choice("khong biet") + ASK_GENDER
    assert await bithu.say("nữ") == ASK_CATEGORY


async def test_yes_no_accepts_words_and_refuses_others(talk):
    bithu = talk()
    await walk(bithu, GOOD[:6])
    assert await bithu.say("có lẽ") == '"có lẽ" không phải có hay không. Xin trả lời "có" hoặc "không".\n' + ASK_UNION
    assert await bithu.say("khong") == ASK_INTRODUCER


async def test_a_note_too_long_is_refused_and_can_be_skipped(talk):
    bithu = talk()
    await walk(bithu, GOOD[:8])
    assert await bithu.say("x" * 501) == "Câu trả lời dài quá: 501 ký tự, tối đa 500.\n" + ASK_NOTE
    assert await bithu.say("Bỏ qua") == confirm(note="(không có)")


async def test_back_goes_to_the_previous_question_and_keeps_earlier_answers(talk, demo, next_no):
    bithu = talk()
    await walk(bithu, GOOD[:4])  # gender answered: Nữ
    assert await bithu.say("quay lại") == ASK_GENDER
    assert await bithu.say("quay lại") == ASK_HOA_BIRTH
    assert await bithu.say("01/01/2001") == ASK_GENDER
    await walk(bithu, [("nam", ASK_CATEGORY), ("1", ASK_UNIT), ("Bỏ qua", ASK_UNION), ("không", ASK_INTRODUCER),
                       ("4", ASK_NOTE),
                       ("-", confirm(birth="01/01/2001", gender="Nam", union="Không", introducer="Chi bộ phát hiện",
                                     note="(không có)", unit="(không ghi)"))])
    assert await bithu.say("Lưu") == saved("Nguyễn Thị Hoa", next_no)
    [c] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert (c.birth_date.isoformat(), c.gender, c.youth_union, c.introduced_by) == (
        "2001-01-01", "male", False, "branch")


async def test_back_at_the_first_question_says_so(talk):
    bithu = talk()
    await bithu.say("/them")
    assert await bithu.say("quay lại") == "Đây đã là câu hỏi đầu tiên.\n\n" + REGISTER


async def test_cancel_from_any_step_saves_nothing(talk, demo):
    before = len(await candidates(demo))
    for steps in range(1, len(GOOD) + 1):
        bithu = talk()
        await walk(bithu, GOOD[:steps])
        assert await bithu.say("/huy") == CANCELLED
        assert await bithu.say("/trogiup") == HELP  # no question left behind
    assert len(await candidates(demo)) == before


ASK_NGOC_BIRTH = "Ngày sinh của Tran Thi Bich Ngoc? (ngày/tháng/năm, ví dụ 05/09/2004)"


def near_warning(ngoc: int, name: str, birth: str, unclear: bool = False) -> str:
    """The warning of a near duplicate of Ngọc (register number `ngoc`, born 02/11/2008) and its question."""
    return (('Chưa rõ câu trả lời. Chọn "Có" để vẫn thêm, "Không" (hoặc gõ "quay lại") để sửa họ tên, '
             "hoặc nhập ngày sinh khác.\n\n" if unclear else "")
            + f"Chi bộ đã có một người có thể là {name} (sinh {birth}):\n"
            f"- Số {ngoc}. Trần Thị Bích Ngọc, sinh 02/11/2008 (xem: /xem {ngoc})\n"
            f'Vẫn thêm {name} như một người khác? Chọn "Không" để sửa họ tên; nếu gõ nhầm ngày sinh, '
            "nhập lại ngày sinh." + YES_NO)


async def answer_the_rest(convo: Convo) -> str:
    """Gender to note, as in GOOD; returns the confirmation screen."""
    for says, _ in GOOD[3:-1]:
        await convo.say(says)
    return await convo.say(GOOD[-1][0])


async def test_an_exact_duplicate_is_refused_as_soon_as_the_birth_date_is_given(talk, demo, no, next_no):
    bithu = talk()
    await bithu.say("/them")
    assert await bithu.say("tran thi bich ngoc") == ASK_NGOC_BIRTH
    assert await bithu.say("2/11/2008") == (
        f"Chi bộ đã có Trần Thị Bích Ngọc cùng ngày sinh này trong danh sách (số {no[NGOC]}, xem: /xem {no[NGOC]}), "
        'nên không thêm lại. Nếu là người khác, xin kiểm tra lại ngày sinh, gõ "quay lại" để sửa họ tên, hoặc /huy '
        "để dừng.\n" + ASK_NGOC_BIRTH)
    assert await bithu.say("02/11/2009") == ASK_GENDER  # another birth date (a year off): someone else
    assert await answer_the_rest(bithu) == confirm(name="Tran Thi Bich Ngoc", birth="02/11/2009")
    assert await bithu.say("Lưu") == saved("Tran Thi Bich Ngoc", next_no)


async def test_a_near_duplicate_is_named_and_yes_goes_on(talk, demo, no, next_no):
    before = len(await candidates(demo))
    bithu = talk()
    await bithu.say("/them")
    await bithu.say("Trần Thị Ngọc Bích")  # the words in another order
    assert await bithu.say("02/11/2008") == near_warning(no[NGOC], "Trần Thị Ngọc Bích", "02/11/2008")
    assert await bithu.say("có") == ASK_GENDER
    assert await answer_the_rest(bithu) == confirm(name="Trần Thị Ngọc Bích", birth="02/11/2008")  # no "đã có"
    assert await bithu.say("Lưu") == saved("Trần Thị Ngọc Bích", next_no)
    assert len(await candidates(demo)) == before + 1


async def test_a_near_duplicate_answered_no_asks_the_name_again(talk, demo, no):
    before = len(await candidates(demo))
    bithu = talk()
    await bithu.say("/them")
    await bithu.say("Tran Thi Bich Ngoc")
    assert await bithu.say("05/11/2008") == near_warning(no[NGOC], "Tran Thi Bich Ngoc", "05/11/2008")  # 3 days off
    assert await bithu.say("2") == asks_name(BRANCH)  # "Không": the name again
    assert await bithu.say("Trần Thị Mai Lan") == "Ngày sinh của Trần Thị Mai Lan? (ngày/tháng/năm, ví dụ 05/09/2004)"
    assert await bithu.say("05/11/2008") == ASK_GENDER  # someone else: no warning
    await answer_the_rest(bithu)
    await bithu.say("Lưu")
    assert len(await candidates(demo)) == before + 1


@pytest.mark.parametrize("name, birth", [
    ("Tran Thi Bich Ngoc", "11/02/2008"),  # the day and the month swapped
    ("Trần Thị Bích Ngọc", "26/10/2008"),  # a week before
    ("Trần Thị Bích Ngọ", "02/11/2008"),  # a letter left out
])
async def test_what_the_rule_calls_near_is_asked_about_in_the_flow(talk, demo, no, name, birth):
    bithu = talk()
    await bithu.say("/them")
    await bithu.say(name)
    assert await bithu.say(birth) == near_warning(no[NGOC], name, birth)


@pytest.mark.parametrize("name, birth", [
    ("Trần Thị Bích Ngọc", "25/10/2008"),  # eight days before
    ("Trần Thị Bích Hà", "02/11/2008"),  # another name, the same day
])
async def test_what_the_rule_calls_someone_else_is_not_asked_about(talk, demo, name, birth):
    bithu = talk()
    await bithu.say("/them")
    await bithu.say(name)
    assert await bithu.say(birth) == ASK_GENDER


async def test_at_the_warning_an_unclear_answer_asks_again_and_a_new_date_is_checked_again(talk, demo, no):
    bithu = talk()
    await bithu.say("/them")
    await bithu.say("Trần Bích Ngọc")  # the middle name left out
    assert await bithu.say("02/11/2008") == near_warning(no[NGOC], "Trần Bích Ngọc", "02/11/2008")
    assert await bithu.say("ko") == near_warning(no[NGOC], "Trần Bích Ngọc", "02/11/2008", unclear=True)
    assert await bithu.say("không") == asks_name(BRANCH)  # the word of the choice
    await bithu.say("Trần Bích Ngọc")
    await bithu.say("02/11/2008")
    assert await bithu.say("03/11/2008") == ASK_GENDER  # the date was mistyped: someone else then


BAD_BIRTH = "Chưa đọc được ngày này. Xin ghi theo dạng ngày/tháng/năm, ví dụ 05/09/2004 hoặc 5/9/04.\n"


async def test_a_warning_left_behind_never_answers_for_another_name(talk, demo, no):
    bithu = talk()
    await bithu.say("/them")
    await bithu.say("Trần Thị Ngọc Bích")
    await bithu.say("02/11/2008")  # warned
    await bithu.say("Không")
    await bithu.say("Trần Văn Mới")
    assert await bithu.say("có") == BAD_BIRTH + "Ngày sinh của Trần Văn Mới? (ngày/tháng/năm, ví dụ 05/09/2004)"
    # the same on the confirmation screen: warned, back to the screen, another name, then "có"
    await bithu.say("01/01/2000")
    await answer_the_rest(bithu)
    await bithu.say("Sửa họ tên")
    await bithu.say("Trần Thị Ngọc Bích")
    await bithu.say("Sửa ngày sinh")
    assert await bithu.say("02/11/2008") == near_warning(no[NGOC], "Trần Thị Ngọc Bích", "02/11/2008")
    assert await bithu.say("quay lại") == confirm(name="Trần Thị Ngọc Bích", birth="01/01/2000")  # the date kept
    await bithu.say("Sửa họ tên")
    await bithu.say("Trần Văn Mới")
    await bithu.say("Sửa ngày sinh")
    assert await bithu.say("có") == BAD_BIRTH + "Ngày sinh của Trần Văn Mới? (ngày/tháng/năm, ví dụ 05/09/2004)"


async def test_a_card_seen_beside_the_warning_then_yes_goes_on(talk, demo, no):
    bithu = talk()
    await bithu.say("/them")
    await bithu.say("Trần Thị Ngọc Bích")
    await bithu.say("02/11/2008")
    assert await bithu.say(f"/xem {no[NGOC]}") == (  # the warning says how to see who it may be
        f"{no[NGOC]}. Trần Thị Bích Ngọc\n"
        "- Ngày sinh: 02/11/2008 · Nữ\n"
        "- Đối tượng: Học sinh, sinh viên · Đoàn viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 16/01/2026\n"
        "- Đảng viên giúp đỡ: chưa phân công\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
        "(Hướng dẫn 12-HD/BTCTW)\n"
        "\n"
        "Ngày sinh của Trần Thị Ngọc Bích? (ngày/tháng/năm, ví dụ 05/09/2004)")
    assert await bithu.say("có") == ASK_GENDER


async def test_a_changed_birth_date_is_checked_again_and_a_yes_holds_for_that_date(talk, demo, next_no):
    bithu = talk()
    await bithu.say("/them")
    await bithu.say("Trần Thị Ngọc Bích")
    await bithu.say("02/11/2008")
    await bithu.say("1")  # "Có"
    await answer_the_rest(bithu)
    await bithu.say("Sửa ngày sinh")
    assert await bithu.say("03/11/2008") == confirm_screen(BRANCH, ()).replace(
        "Nguyễn Thị Hoa", "Trần Thị Ngọc Bích").replace("05/09/2004", "03/11/2008")
    await bithu.say("Sửa ngày sinh")
    assert await bithu.say("02/11/2008") == confirm(  # said yes for this date already
        name="Trần Thị Ngọc Bích", birth="02/11/2008")
    await bithu.say("Sửa họ tên")
    assert await bithu.say("Tran Thi Ngoc Bich") == confirm(  # the same name folded: not asked again either
        name="Tran Thi Ngoc Bich", birth="02/11/2008")
    assert await bithu.say("Lưu") == saved("Tran Thi Ngoc Bich", next_no)


async def test_the_confirmation_still_refuses_a_twin_registered_meanwhile(talk, demo, next_no):
    before = len(await candidates(demo))
    bithu = talk()
    await walk(bithu, [("/them", REGISTER), ("nguyễn thị hoa", ASK_HOA_BIRTH), ("05/09/2004", ASK_GENDER)])
    await register_meanwhile(demo, "Nguyễn Thị Hoa", date(2004, 9, 5))  # e.g. by the deputy
    screen = await answer_the_rest(bithu)
    # the twin took the next number
    refusal = (f"Chi bộ đã có người cùng họ tên và ngày sinh này (số {next_no}, xem: /xem {next_no}). Chưa lưu. Xin "
               "sửa họ tên hoặc ngày sinh nếu là người khác, hoặc chọn Hủy.\n")
    assert screen == refusal + confirm_screen(BRANCH, ())
    assert await bithu.say("Lưu") == screen  # still refused
    assert len(await candidates(demo)) == before + 1
    await bithu.say("Sửa ngày sinh")
    assert await bithu.say("06/09/2004") == near_warning_hoa(next_no)
    assert await bithu.say("có") == confirm_screen(BRANCH, ()).replace("05/09/2004", "06/09/2004")
    assert await bithu.say("Lưu") == saved("Nguyễn Thị Hoa", next_no + 1)


async def register_meanwhile(chibo: Chibo, full_name: str, birth: date) -> None:
    async with chibo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        await register_candidate(db=SessionStatements(session), branch_id=org.id, by_person_id=None,
                                 now=chibo.clock.now(),
                                 today=chibo.clock.today(), new=NewCandidate(
                                     full_name=full_name, birth_date=birth, gender="female", category="teacher",
                                     youth_union=True, introduced_by="youth_union", note=None))


def near_warning_hoa(twin: int) -> str:
    """The warning that Hoa born 06/09/2004 may be her twin registered meanwhile (register number `twin`)."""
    return ("Chi bộ đã có một người có thể là Nguyễn Thị Hoa (sinh 06/09/2004):\n"
            f"- Số {twin}. Nguyễn Thị Hoa, sinh 05/09/2004 (xem: /xem {twin})\n"
            'Vẫn thêm Nguyễn Thị Hoa như một người khác? Chọn "Không" để sửa họ tên; nếu gõ nhầm ngày sinh, '
            "nhập lại ngày sinh." + YES_NO)


async def test_a_name_changed_on_the_confirmation_to_a_twin_is_refused_there(talk, demo, no):
    bithu = talk()
    await walk(bithu, [("/them", REGISTER), ("nguyen van anh", "Ngày sinh của Nguyen Van Anh? (ngày/tháng/năm, ví dụ "
                                                           "05/09/2004)")])
    assert await bithu.say("12/04/1998") == (
        "Chi bộ đã có một người có thể là Nguyen Van Anh (sinh 12/04/1998):\n"
        f"- Số {no[AN]}. Nguyễn Văn An, sinh 12/04/1998 (xem: /xem {no[AN]})\n"
        'Vẫn thêm Nguyen Van Anh như một người khác? Chọn "Không" để sửa họ tên; nếu gõ nhầm ngày sinh, '
        "nhập lại ngày sinh." + YES_NO)
    assert await bithu.say("có") == ASK_GENDER  # near Nguyễn Văn An, born the same day: added all the same
    await answer_the_rest(bithu)
    assert await bithu.say("Sửa họ tên") == "Họ và tên đầy đủ của người này?"
    screen = await bithu.say("nguyen van an")
    assert screen == (
        f"Chi bộ đã có người cùng họ tên và ngày sinh này (số {no[AN]}, xem: /xem {no[AN]}). Chưa lưu. Xin sửa họ "
        "tên hoặc ngày sinh nếu là người khác, hoặc chọn Hủy.\n"
        + confirm(name="Nguyen Van An", birth="12/04/1998"))
    assert await bithu.say("Lưu") == screen  # still not saved


async def test_the_same_person_in_another_branch_is_no_duplicate(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.say("/them")
    await bithu.say("toan")  # the second branch
    await bithu.say("Trần Thị Bích Ngọc")
    assert await bithu.say("02/11/2008") == ASK_GENDER


async def test_beside_several_branches_the_duplicate_is_named_by_its_branch_code(talk, demo, no):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.say("/them")
    await bithu.say("tran phu")
    await bithu.say("Trần Thị Bích Ngọc")
    assert await bithu.say("02/11/2008") == (
        f"Chi bộ đã có Trần Thị Bích Ngọc cùng ngày sinh này trong danh sách (số {no[NGOC]}, xem: /xem "
        f'TP-{no[NGOC]}), nên không thêm lại. Nếu là người khác, xin kiểm tra lại ngày sinh, gõ "quay lại" để sửa họ '
        "tên, hoặc /huy để dừng.\n"
        "Ngày sinh của Trần Thị Bích Ngọc? (ngày/tháng/năm, ví dụ 05/09/2004)")
    assert await bithu.say(f"/xem TP-{no[NGOC]}") == (  # the card is headed by the reference the secretary typed
        f"TP-{no[NGOC]}. Trần Thị Bích Ngọc\n"
        "- Ngày sinh: 02/11/2008 · Nữ\n"
        "- Đối tượng: Học sinh, sinh viên · Đoàn viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 16/01/2026\n"
        "- Đảng viên giúp đỡ: chưa phân công\n"
        "- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
        "(Hướng dẫn 12-HD/BTCTW)\n"
        "\n"
        "Ngày sinh của Trần Thị Bích Ngọc? (ngày/tháng/năm, ví dụ 05/09/2004)")


async def test_another_command_in_the_middle_keeps_the_answers(talk, no):
    bithu = talk()
    await walk(bithu, GOOD[:3])
    assert await bithu.say("/xet") == (
        "Bạn đang làm dở một việc nên chưa thể chạy /xet. Trả lời câu hỏi dưới đây, hoặc gõ /huy để hủy rồi chạy "
        "lệnh khác. Các lệnh chỉ để xem (/ds, /xem, /lop, /chitieu) thì dùng được ngay.\n"
        "\n"
        + ASK_GENDER)
    assert await bithu.say("/ds") == branch_list(no) + "\n\n" + ASK_GENDER  # reading answers, then the question
    assert await bithu.say("/trogiup") == (
        'Bạn đang trả lời từng câu hỏi. Trả lời câu hỏi dưới đây, gõ "quay lại" để sửa câu trước, hoặc /huy để '
        "hủy (không lưu gì).\n"
        "Trong lúc này bạn vẫn xem được: /ds, /xem, /lop, /chitieu.\n"
        "\n"
        + ASK_GENDER)
    assert await bithu.say("nam") == ASK_CATEGORY


async def test_a_conversation_silent_for_a_day_expires(talk, demo):
    bithu = talk()
    await walk(bithu, GOOD[:3])
    demo.clock.advance(hours=23)
    assert await bithu.say("nam") == ASK_CATEGORY
    demo.clock.advance(hours=24, minutes=1)
    assert await bithu.say("1") == (  # not taken as the category
        "Cuộc trò chuyện trước đã bị bỏ dở hơn một ngày nên chibo đã hủy nó. Xin bắt đầu lại khi cần (gõ /trogiup "
        "để xem các lệnh).")
    assert await bithu.say("/them") == REGISTER


async def test_a_restart_in_the_middle_keeps_every_answer(talk, demo, settings, next_no):
    bithu = talk()
    await walk(bithu, GOOD[:5])
    await demo.close()
    restarted = Chibo(settings, demo.clock, mark_every=0)
    try:
        again = Convo(restarted, account="bithu")
        await walk(again, GOOD[5:])
        assert await again.say("Lưu") == saved("Nguyễn Thị Hoa", next_no)
    finally:
        await restarted.close()


async def test_the_same_platform_message_is_processed_once(talk, demo, next_no):
    before = len(await candidates(demo))
    bithu = talk()
    await walk(bithu, GOOD)
    assert await bithu.say("Lưu", message_id="dup-1") == saved("Nguyễn Thị Hoa", next_no)
    assert await bithu.say("Lưu", message_id="dup-1") == ""
    assert len(await candidates(demo)) == before + 1


async def test_a_changed_answer_asks_the_questions_that_now_apply(demo):
    """Engine rule: after "Sửa X", a question whose condition now holds is asked, and an
    answer whose condition no longer holds is dropped (a tiny flow with a conditional step)."""
    from bot.engine.fields import ChoiceField, TextField
    from bot.engine.flow import Ask, Flow
    from models.policy import Action

    seen = {}

    async def done(ctx, answers):
        seen.update(answers)
        return []

    flow = Flow(name="t", commands=("/t",), action=Action.register_candidate, help="help/them",
                steps=(Ask("gender", "register/ask_gender", ChoiceField("gender")),
                       Ask("note", "register/ask_note", TextField(), when=lambda a: a.get("gender") == "female")),
                confirm="common/back_at_first", done=done)  # any static screen will do
    demo.engine.flows[flow.name] = flow
    demo.engine.by_command["/t"] = flow
    bithu = Convo(demo, account="bithu")
    screen = "Đây đã là câu hỏi đầu tiên.\n\n1. Lưu\n2. Sửa giới tính\n{}Hủy\n" + CHOOSE  # the static screen
    assert await bithu.say("/t") == ASK_GENDER
    assert await bithu.say("nam") == screen.format("3. ")  # no note asked for "Nam"
    assert await bithu.say("Sửa giới tính") == ASK_GENDER
    assert await bithu.say("nữ") == (  # now the note applies: asked
        'Ghi chú thêm (đơn vị công tác, lớp, điểm nổi bật...)? Tối đa 500 ký tự, hoặc chọn "Bỏ qua".')
    assert await bithu.say("tổ Văn") == screen.format("3. Sửa ghi chú\n4. ")
    assert await bithu.say("Sửa giới tính") == ASK_GENDER
    assert await bithu.say("nam") == screen.format("3. ")  # the note no longer applies: dropped
    await bithu.say("Lưu")
    assert seen == {"gender": "male"}


# ---- A secretary of two branches (issue 12, defect 3) ---------------------------------------

TWO_BRANCHES = (
    "Bạn phụ trách nhiều chi bộ. Việc này làm cho chi bộ nào? Trả lời bằng số hoặc một phần tên chi bộ "
    "(không dấu cũng được).\n\n"
    f"1. {SECOND_BRANCH}\n"
    f"2. {BRANCH}\n"
    "(Trả lời bằng số hoặc bằng chữ)")


def asks_name(branch: str) -> str:
    return (f"Thêm quần chúng ưu tú vào danh sách nguồn của {branch}. Gõ /huy bất cứ lúc nào để hủy, "
            "\"quay lại\" để sửa câu trước.\n\nHọ và tên đầy đủ của người này?")


def confirm_screen(branch: str, edits: tuple[str, ...]) -> str:
    choices = ("Lưu",) + edits + ("Sửa họ tên", "Sửa ngày sinh", "Sửa giới tính", "Sửa đối tượng",
                                  "Sửa đơn vị", "Sửa đoàn viên", "Sửa nguồn giới thiệu", "Sửa ghi chú", "Hủy")
    return (f"Xin kiểm tra lại trước khi lưu vào danh sách nguồn của {branch}:\n"
            "- Họ tên: Nguyễn Thị Hoa\n- Ngày sinh: 05/09/2004\n- Giới tính: Nữ\n"
            "- Đối tượng: Giáo viên, giảng viên\n- Đơn vị: Tổ Toán\n- Đoàn viên: Có\n"
            "- Nguồn giới thiệu: Đoàn Thanh niên\n- Ghi chú: Tích cực\n\n"
            + "\n".join(f"{i}. {c}" for i, c in enumerate(choices, 1))
            + "\n(Trả lời bằng số hoặc bằng chữ)")


async def secretary_of_both(chibo: Chibo, account: str = "bithu") -> None:
    """Gives the demo secretary a second grant: secretary of the second demo branch too."""
    async with chibo.sessions() as session, session.begin():
        org = (await session.exec(select(Organisation).where(Organisation.name == SECOND_BRANCH))).one()
        link = (await session.exec(select(ChatLink).where(ChatLink.account_id == account))).one()
        await grant_role(session=session, person_id=link.person_id, org_id=org.id, role=Role.secretary)


async def branch_of(chibo: Chibo, candidate: Candidate) -> str:
    async with chibo.sessions() as session:
        return (await session.get(Organisation, candidate.branch_id)).name


async def test_a_secretary_of_two_branches_is_asked_which_and_every_screen_names_it(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    assert await bithu.say("/them") == TWO_BRANCHES
    assert await bithu.say("toan") == asks_name(SECOND_BRANCH)  # words of the name, no accents
    for says, _ in GOOD[1:-1]:
        await bithu.say(says)
    assert await bithu.say(GOOD[-1][0]) == confirm_screen(SECOND_BRANCH, ("Sửa chi bộ",))
    saved = await bithu.say("Lưu")
    [hoa] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert await branch_of(demo, hoa) == SECOND_BRANCH
    assert saved == (f"Đã lưu Nguyễn Thị Hoa vào danh sách quần chúng ưu tú (nguồn) của {SECOND_BRANCH}, "
                     f"số {hoa.number}.\n{CONSENT_LINE.format(f'TSP-{hoa.number}')}\n"
                     # by reference (TSP: the second branch's code), "/xem 3" being ambiguous for two branches
                     f"Xem lại: /xem TSP-{hoa.number} · Thêm người khác: /them · Danh sách: /ds")


async def test_the_branch_is_chosen_by_its_number_and_can_be_changed_before_saving(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.say("/them")
    assert await bithu.say("1") == asks_name(SECOND_BRANCH)
    assert await bithu.say("quay lại") == TWO_BRANCHES  # back to the branch question
    assert await bithu.say("2") == asks_name(BRANCH)
    for says, _ in GOOD[1:]:
        await bithu.say(says)
    assert await bithu.say("Sửa chi bộ") == TWO_BRANCHES
    assert await bithu.say("khoa toan") == confirm_screen(SECOND_BRANCH, ("Sửa chi bộ",))
    await bithu.say("Lưu")
    [hoa] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert await branch_of(demo, hoa) == SECOND_BRANCH


async def test_an_unknown_or_ambiguous_branch_is_explained_with_the_list_again(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.say("/them")
    assert await bithu.say("phan xuong") == (
        'Không có chi bộ nào của bạn khớp với "phan xuong". Xin chọn trong danh sách dưới đây.\n'
        + TWO_BRANCHES)
    assert await bithu.say("3") == (
        'Không có chi bộ nào của bạn khớp với "3". Xin chọn trong danh sách dưới đây.\n' + TWO_BRANCHES)
    assert await bithu.say("demo") == (
        "Có 2 chi bộ khớp. Bạn muốn chọn chi bộ nào?\n" + TWO_BRANCHES.split("\n")[0] + "\n\n"
        + "\n".join(TWO_BRANCHES.split("\n")[2:]))
    assert await bithu.say("tran phu") == asks_name(BRANCH)


async def test_a_secretary_of_one_branch_is_not_asked_but_the_branch_is_named(talk, demo, next_no):
    bithu = talk()
    assert await bithu.say("/them") == asks_name(BRANCH)
    for says, _ in GOOD[1:-1]:
        await bithu.say(says)
    assert await bithu.say(GOOD[-1][0]) == confirm_screen(BRANCH, ())
    assert await bithu.say("Lưu") == (
        f"Đã lưu Nguyễn Thị Hoa vào danh sách quần chúng ưu tú (nguồn) của {BRANCH}, số {next_no}.\n"
        + CONSENT_LINE.format(next_no) + f"\nXem lại: /xem {next_no} · Thêm người khác: /them · Danh sách: /ds")


async def test_the_list_names_the_branch_of_each_row_for_a_secretary_of_two(talk, demo, no):
    await secretary_of_both(demo)
    # numbers repeat (the two branches' numbering): each row has its branch's code and name, as the committee's
    assert await talk().say("/ds") == committee_list(no)
    assert await talk("giupdo").say("/ds") == my_list(no)  # one branch: no labels


# ---- the category flags the targets count (models/categories.py) ---------------------------------

async def test_a_worker_is_asked_about_a_firm_without_state_capital_and_it_is_kept(talk, demo, next_no):
    bithu = talk()
    await walk(bithu, GOOD[:4])
    await walk(bithu, [("Công nhân", ASK_UNIT), ("Phân xưởng 2", ASK_PRIVATE_FIRM), ("có", ASK_UNION),
                       ("không", ASK_INTRODUCER), ("Công đoàn", ASK_NOTE),
                       ("Bỏ qua", confirm(union="Không", introducer="Công đoàn", note="(không có)", unit="Phân xưởng 2",
                                          category="Công nhân, người lao động", private_firm="Có"))])
    assert await bithu.say("Lưu") == saved("Nguyễn Thị Hoa", next_no)
    [c] = [c for c in await candidates(demo) if c.full_name == "Nguyễn Thị Hoa"]
    assert (c.category, c.unit, c.private_firm) == ("worker", "Phân xưởng 2", True)


async def test_a_pupil_is_not_asked_about_a_firm_nor_anyone_about_ethnicity_or_religion(talk, demo, next_no):
    bithu = talk()
    await walk(bithu, GOOD[:4])
    await walk(bithu, [("Học sinh", ASK_UNIT), ("Lớp 12A1", ASK_UNION)])  # no question about a firm
    asked = [await bithu.say(says) for says in ("có", "Đoàn Thanh niên", "Bỏ qua")]
    assert not any("dân tộc" in a.lower() or "tôn giáo" in a.lower() for a in asked)
    assert await bithu.say("Lưu") == saved("Nguyễn Thị Hoa", next_no)  # which says how ethnicity and religion are kept
