"""A secretary of two branches: flows that write for a candidate's branch name it before saving
(issue 12, defect 3; /them's own question is in test_register.py)."""

import pytest

from bot.demo import BRANCH, SECOND_BRANCH
from tests.flows.test_register import secretary_of_both
from tests.support import number_of, numbers_of
from tests.texts import HINT

# The demo candidates named here; their register numbers are looked up (the `no` fixture)
AN, MINH, HA, LAN, ANH, KHOA = ("Nguyễn Văn An", "Lê Hoàng Minh", "Phạm Thu Hà", "Đặng Ngọc Lan", "Hoàng Mai Anh",
                                "Đinh Văn Khoa")
THANG = "Ngô Đức Thắng"  # of the second branch


@pytest.fixture
async def no(demo) -> dict[str, int]:
    """The register numbers of the candidates named here, looked up by name (Thắng's in the second branch)."""
    return {**await numbers_of(demo, (AN, MINH, HA, LAN, ANH, KHOA)),
            THANG: await number_of(demo, THANG, branch=SECOND_BRANCH)}

CHOICES_TAIL = "(Trả lời bằng số hoặc bằng chữ)"


async def test_the_sponsor_confirmation_names_the_candidates_branch(talk, demo, no):
    await secretary_of_both(demo)
    bithu = talk()
    assert await bithu.say("/giupdo le hoang minh") == (  # each member with their branch
        f"{no[MINH]}. Lê Hoàng Minh (Cảm tình Đảng) — đảng viên giúp đỡ hiện nay: Trần Văn Bình.\n"
        "Chọn một đảng viên chính thức của chi bộ:\n"
        f"1. Nguyễn Thị Thu (bí thư) — đang giúp đỡ 0 người — {BRANCH}\n"
        f"2. Phan Văn Hùng (phó bí thư) — đang giúp đỡ 0 người — {BRANCH}\n"
        f"3. Đỗ Thị Mai — đang giúp đỡ 0 người — {BRANCH}\n"
        f"4. Trần Văn Bình — đang giúp đỡ 8 người — {BRANCH}\n"
        "5. Nguyễn Thị Thu (bí thư) — đang giúp đỡ 0 người — Chi bộ Khoa Toán, ĐH Sư phạm (demo)\n"
        'Gõ số hoặc một phần họ tên (không dấu cũng được); "quay lại" để chọn quần chúng khác, /huy để hủy.')
    assert await bithu.say("hung") == (
        "Xin kiểm tra lại trước khi lưu:\n"
        f"- Chi bộ: {BRANCH}\n"
        f"- Quần chúng: {no[MINH]}. Lê Hoàng Minh (Cảm tình Đảng)\n"
        "- Người giúp đỡ hiện nay: Trần Văn Bình\n"
        "- Người giúp đỡ mới: Phan Văn Hùng (chưa liên kết tài khoản chat với chibo: chibo sẽ không báo được, "
        "xin báo trực tiếp)\n\n"
        "1. Lưu\n2. Sửa quần chúng\n3. Sửa người giúp đỡ\n4. Hủy\n" + CHOICES_TAIL)


async def test_the_transfer_confirmation_names_the_candidates_branch(talk, demo, no):
    await secretary_of_both(demo)
    bithu = talk()
    assert await bithu.say("/chuyen le hoang minh") == (
        f"{no[MINH]}. Lê Hoàng Minh — Cảm tình Đảng từ 22/12/2025\n"
        "Chi bộ viết nhận xét và giới thiệu người này với nơi mới, kèm hồ sơ đã có.\n"
        "Ghi nơi chuyển đến, ngày chuyển đi và ghi chú bàn giao.\n"
        "\n"
        f"{no[MINH]}. Lê Hoàng Minh chuyển đến đâu? Ghi đơn vị, trường, chi bộ hoặc địa phương mới "
        "(tối đa 200 ký tự).\n"
        + HINT)
    assert await bithu.say("Trường ĐH Bách khoa") == (
        'Chuyển đi từ ngày nào? Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc "hôm nay".\n' + HINT)
    assert await bithu.say("01/03/2026") == (
        "Ghi chú bàn giao cho nơi mới (nhận xét ngắn, hồ sơ đã gửi những gì...)? Tối đa 500 ký tự, hoặc chọn "
        '"Bỏ qua".\n'
        + HINT + "\n"
        "\n"
        "1. Bỏ qua\n"
        + CHOICES_TAIL)
    assert await bithu.say("-") == (
        f"Xin kiểm tra lại trước khi lưu — {no[MINH]}. Lê Hoàng Minh:\n"
        f"- Chi bộ: {BRANCH}\n"
        "- Chuyển đến: Trường ĐH Bách khoa\n"
        "- Ngày chuyển đi: 01/03/2026\n"
        "- Ghi chú bàn giao: (không có)\n"
        'Khi lưu: chuyển sang giai đoạn "Đã chuyển đi"; người này không còn trong danh sách của chi bộ.\n\n'
        "1. Lưu\n2. Sửa người\n3. Sửa nơi chuyển đến\n4. Sửa ngày chuyển đi\n5. Sửa ghi chú bàn giao\n"
        "6. Hủy\n" + CHOICES_TAIL)


async def test_a_secretary_of_one_branch_sees_no_branch_line(talk, demo, no):
    bithu = talk()
    assert await bithu.say("/giupdo le hoang minh") == (  # no branch after each name
        f"{no[MINH]}. Lê Hoàng Minh (Cảm tình Đảng) — đảng viên giúp đỡ hiện nay: Trần Văn Bình.\n"
        "Chọn một đảng viên chính thức của chi bộ:\n"
        "1. Nguyễn Thị Thu (bí thư) — đang giúp đỡ 0 người\n"
        "2. Phan Văn Hùng (phó bí thư) — đang giúp đỡ 0 người\n"
        "3. Đỗ Thị Mai — đang giúp đỡ 0 người\n"
        "4. Trần Văn Bình — đang giúp đỡ 8 người\n"
        'Gõ số hoặc một phần họ tên (không dấu cũng được); "quay lại" để chọn quần chúng khác, /huy để hủy.')
    assert await bithu.say("hung") == (  # no "- Chi bộ:" line
        "Xin kiểm tra lại trước khi lưu:\n"
        f"- Quần chúng: {no[MINH]}. Lê Hoàng Minh (Cảm tình Đảng)\n"
        "- Người giúp đỡ hiện nay: Trần Văn Bình\n"
        "- Người giúp đỡ mới: Phan Văn Hùng (chưa liên kết tài khoản chat với chibo: chibo sẽ không báo được, "
        "xin báo trực tiếp)\n\n"
        "1. Lưu\n2. Sửa quần chúng\n3. Sửa người giúp đỡ\n4. Hủy\n" + CHOICES_TAIL)


async def test_the_dossier_confirmation_names_the_candidates_branch(talk, demo, no):
    await secretary_of_both(demo)
    bithu = talk()
    assert await bithu.say("/ghihoso dang ngoc lan") == (
        f"Ghi mục nào trong hồ sơ của {no[LAN]}. Đặng Ngọc Lan? "
        "Gõ số thứ tự (số 1 đến 9 trùng với mẫu 1-KNĐ đến 9-KNĐ) hoặc "
        'mã mẫu. Gõ /huy để hủy, "quay lại" để sửa câu trước.\n'
        "\n"
        "1. 1-KNĐ đơn xin vào Đảng\n"
        "2. 2-KNĐ lý lịch người xin vào Đảng và thẩm tra\n"
        "3. 3-KNĐ giấy giới thiệu của đảng viên chính thức\n"
        "4. 4-KNĐ nghị quyết giới thiệu của Đoàn (Công đoàn)\n"
        "5. 5-KNĐ tổng hợp ý kiến nhận xét\n"
        "6. 6-KNĐ nghị quyết của chi bộ\n"
        "7. 7-KNĐ báo cáo thẩm định của đảng ủy bộ phận\n"
        "8. 8-KNĐ nghị quyết của đảng ủy cơ sở\n"
        "9. 9-KNĐ quyết định kết nạp\n"
        "10. CN-NTVĐ giấy chứng nhận lớp nhận thức về Đảng\n"
        + CHOICES_TAIL)
    assert await bithu.say("1") == 'Giấy tờ này đề ngày nào? (ngày/tháng/năm, ví dụ 12/2/2026, hoặc "hôm nay")'
    assert await bithu.say("01/03/2026") == (
        'Ai đang giữ bản giấy tờ này (ví dụ: văn phòng chi bộ)? Tối đa 120 ký tự, hoặc chọn "Bỏ qua".\n'
        "\n"
        "1. Bỏ qua\n"
        + CHOICES_TAIL)
    assert await bithu.say("-") == (
        "Xin kiểm tra lại:\n"
        f"- Chi bộ: {BRANCH}\n"
        f"- Người: {no[LAN]}. Đặng Ngọc Lan\n- Mục: 1-KNĐ (đơn xin vào Đảng)\n- Ngày: 01/03/2026\n"
        "- Người giữ: (không ghi)\nNếu mục này đã có ngày, ngày mới sẽ thay ngày cũ.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa mục hồ sơ\n4. Sửa ngày\n5. Sửa người giữ\n6. Hủy\n" + CHOICES_TAIL)


async def test_the_enrolment_confirmation_names_the_candidates_branch(talk, demo, no):
    await secretary_of_both(demo)
    bithu = talk()
    assert await bithu.say("/ghidanh") == (
        "Ghi danh vào lớp nào? Các lớp đang nhận ghi danh:\n"
        "\n"
        "Lớp số 3: Lớp nhận thức về Đảng khóa 2 (Lớp bồi dưỡng nhận thức về Đảng, đang nhận ghi danh)\n"
        "- Đơn vị mở lớp: Đảng ủy Khối Giáo dục (demo)\n"
        "- Học từ 01/04/2026 đến 05/04/2026, tại Hội trường Đảng ủy Khối\n"
        "- Hạn ghi danh: 16/03/2026\n"
        "- Đã ghi danh: 2/80 chỗ\n"
        "\n"
        "3. Lớp nhận thức về Đảng khóa 2 (01/04/2026)\n"
        "– Danh sách lớp (gõ \"/lop\")\n"
        "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")
    assert await bithu.say("3") == (  # the sympathizers of both branches
        'Ghi danh vào lớp "Lớp nhận thức về Đảng khóa 2" (khai giảng 01/04/2026, hạn ghi danh 16/03/2026, '
        "còn 78 chỗ).\n"
        "Những người của chi bộ có thể ghi danh:\n"
        f"- {no[MINH]}. Lê Hoàng Minh (Cảm tình Đảng)\n"
        f"- {no[HA]}. Phạm Thu Hà (Cảm tình Đảng)\n"
        f"- {no[KHOA]}. Đinh Văn Khoa (Cảm tình Đảng)\n"
        f"- {no[THANG]}. Ngô Đức Thắng (Cảm tình Đảng)\n"
        'Cảm tình Đảng được ghi danh sẽ chuyển sang giai đoạn "Học lớp nhận thức về Đảng".\n'
        "Gõ /huy để hủy.\n"
        "\n"
        'Ghi danh ai vào lớp "Lớp nhận thức về Đảng khóa 2"? Gõ số của người đó trong danh sách trên, hoặc một phần '
        "họ tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7.")
    assert await bithu.say("le hoang minh") == (
        "Xin kiểm tra lại:\n"
        f"- Chi bộ: {BRANCH}\n"
        f"- Lớp: Lớp nhận thức về Đảng khóa 2\n- Ghi danh: {no[MINH]}. Lê Hoàng Minh\n\n"
        "1. Lưu\n2. Sửa lớp\n3. Sửa người\n4. Hủy\n" + CHOICES_TAIL)


async def test_the_recognition_confirmation_names_the_members_branch(talk, demo, no):
    await secretary_of_both(demo)
    bithu = talk()
    assert await bithu.say("/chinhthuc hoang mai anh") == (
        f"{no[ANH]}. Hoàng Mai Anh — đảng viên dự bị\n"
        "- Lễ kết nạp ngày 14/08/2025; hết 12 tháng dự bị ngày 14/08/2026 (chưa hết).\n"
        "- Tuổi đảng (tính từ ngày quyết định kết nạp 30/07/2025): 0 năm 7 tháng.\n"
        "- Lưu ý: chưa có giấy chứng nhận lớp bồi dưỡng đảng viên mới (cần cho hồ sơ công nhận).\n"
        "- Chi bộ xét công nhận trong 30 ngày làm việc sau khi hết 12 tháng dự bị: hạn 29/09/2026.\n"
        "\n"
        "Ghi biểu quyết của chi bộ đề nghị công nhận (cần ít nhất 2/3 tổng số đảng viên chính thức đồng ý), hoặc xóa "
        "tên nếu người này không đủ tư cách đảng viên.\n"
        "\n"
        f"Ghi việc gì cho đảng viên dự bị {no[ANH]}. Hoàng Mai Anh?\n"
        + HINT + "\n"
        "\n"
        "1. Biểu quyết của chi bộ đề nghị công nhận\n"
        "2. Xóa tên\n"
        + CHOICES_TAIL)
    assert await bithu.say("2") == (
        f"Ngày quyết định xóa tên {no[ANH]}. Hoàng Mai Anh?\n"
        'Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc "hôm nay".\n'
        + HINT + "\n\n1. Hôm nay (02/03/2026)\n" + CHOICES_TAIL)
    assert await bithu.say("01/03/2026") == "Lý do xóa tên? (bắt buộc, tối đa 500 ký tự)\n" + HINT
    assert await bithu.say("Vi phạm tư cách") == (
        f"Xin kiểm tra lại trước khi lưu — {no[ANH]}. Hoàng Mai Anh:\n"
        f"- Chi bộ: {BRANCH}\n"
        "- Việc cần ghi: Xóa tên\n- Ngày xóa tên: 01/03/2026\n- Lý do: Vi phạm tư cách\n"
        'Khi lưu: chuyển sang giai đoạn "Đã đưa ra khỏi danh sách".\n\n'
        "1. Lưu\n2. Sửa người\n3. Sửa việc cần ghi\n4. Sửa ngày xóa tên\n5. Sửa lý do xóa tên\n6. Hủy\n"
        + CHOICES_TAIL)


async def test_a_number_in_both_branches_is_asked_by_name_and_only_then(talk, demo, no):
    # /ghidanh by numbers: An's is a number in each branch (Nguyễn Văn An, Ngô Đức Thắng), 99 in none
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.say("/ghidanh")
    await bithu.say("3")
    assert await bithu.say(f"{no[AN]}, {no[MINH]}") == (  # An's number is also Thắng's
        f"Số {no[AN]} có ở hai chi bộ bạn phụ trách nên chưa rõ là ai: xin gõ riêng người đó bằng họ tên.\n"
        'Ghi danh ai vào lớp "Lớp nhận thức về Đảng khóa 2"? Gõ số của người đó trong danh sách trên, hoặc một phần '
        "họ tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7.")
    assert await bithu.say(f"99, {no[AN]}") == (
        f"Không tìm thấy người có số 99 trong danh sách bạn ghi danh được. Số {no[AN]} có ở hai chi bộ bạn phụ "
        "trách nên "
        "chưa rõ là ai: xin gõ riêng người đó bằng họ tên. Xin gõ lại các số, ví dụ 3, 4, 7 hoặc 3-7.\n"
        'Ghi danh ai vào lớp "Lớp nhận thức về Đảng khóa 2"? Gõ số của người đó trong danh sách trên, hoặc một phần '
        "họ tên; ghi danh nhiều người một lần: gõ các số, ví dụ 3, 4, 7 hoặc 3-7.")


async def test_replies_point_to_the_person_by_reference_where_a_number_could_mean_two(talk, demo, no):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.say("/giupdo le hoang minh")
    await bithu.say("hung")
    assert await bithu.say("Lưu") == (
        f"Đã phân công Phan Văn Hùng giúp đỡ {no[MINH]}. Lê Hoàng Minh (thay Trần Văn Bình). "
        f"Xem: /xem TP-{no[MINH]}\n"
        "Phan Văn Hùng chưa liên kết tài khoản chat với chibo nên chưa nhận được tin báo: xin báo trực tiếp cho "
        "đồng chí (chibo sẽ báo Trần Văn Bình thôi giúp đỡ).")
    assert await bithu.say(f"/xem TP-{no[MINH]}") == await bithu.say("/xem le hoang minh")
