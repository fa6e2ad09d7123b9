"""A secretary of two branches: flows that write for a candidate's branch name it before saving
(issue 12, defect 3; /them's own question is in test_register.py)."""

from bot.demo import BRANCH
from tests.flows.test_register import secretary_of_both

CHOICES_TAIL = "(Trả lời bằng số hoặc bằng chữ)"


async def test_the_sponsor_confirmation_names_the_candidates_branch(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.say("/giupdo le hoang minh")
    assert await bithu.say("hung") == (
        "Xin kiểm tra lại trước khi lưu:\n"
        f"- Chi bộ: {BRANCH}\n"
        "- Quần chúng: 3. Lê Hoàng Minh (Cảm tình Đảng)\n"
        "- Người giúp đỡ hiện nay: Trần Văn Bình\n"
        "- Người giúp đỡ mới: Phan Văn Hùng (chưa liên kết tài khoản chat với chibo: chibo chưa báo được, "
        "xin báo trực tiếp)\n\n"
        "1. Lưu\n2. Sửa quần chúng\n3. Sửa người giúp đỡ\n4. Hủy\n" + CHOICES_TAIL)


async def test_the_transfer_confirmation_names_the_candidates_branch(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.dialog([("/chuyen le hoang minh", "chuyển đến đâu"), ("Trường ĐH Bách khoa", "Chuyển đi từ ngày"),
                        ("01/03/2026", "Ghi chú bàn giao")])
    assert await bithu.say("-") == (
        "Xin kiểm tra lại trước khi lưu — 3. Lê Hoàng Minh:\n"
        f"- Chi bộ: {BRANCH}\n"
        "- Chuyển đến: Trường ĐH Bách khoa\n"
        "- Ngày chuyển đi: 01/03/2026\n"
        "- Ghi chú bàn giao: (không có)\n"
        'Khi lưu: chuyển sang giai đoạn "Đã chuyển đi"; người này không còn trong danh sách của chi bộ.\n\n'
        "1. Lưu\n2. Sửa người\n3. Sửa nơi chuyển đến\n4. Sửa ngày chuyển đi\n5. Sửa ghi chú bàn giao\n"
        "6. Hủy\n" + CHOICES_TAIL)


async def test_a_secretary_of_one_branch_sees_no_branch_line(talk, demo):
    bithu = talk()
    await bithu.say("/giupdo le hoang minh")
    assert "- Chi bộ:" not in await bithu.say("hung")


async def test_the_dossier_confirmation_names_the_candidates_branch(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.dialog([("/ghihoso dang ngoc lan", "Ghi mục nào"), ("1", "đề ngày nào"), ("01/03/2026", "Ai đang giữ")])
    assert await bithu.say("-") == (
        "Xin kiểm tra lại:\n"
        f"- Chi bộ: {BRANCH}\n"
        "- Người: 6. Đặng Ngọc Lan\n- Mục: 1-KNĐ (đơn xin vào Đảng)\n- Ngày: 01/03/2026\n"
        "- Người giữ: (không ghi)\nNếu mục này đã có ngày, ngày mới sẽ thay ngày cũ.\n\n"
        "1. Lưu\n2. Sửa người\n3. Sửa mục hồ sơ\n4. Sửa ngày\n5. Sửa người giữ\n6. Hủy\n" + CHOICES_TAIL)


async def test_the_enrolment_confirmation_names_the_candidates_branch(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.dialog([("/ghidanh", "Ghi danh vào lớp nào"), ("3", "Ghi danh ai")])
    assert await bithu.say("le hoang minh") == (
        "Xin kiểm tra lại:\n"
        f"- Chi bộ: {BRANCH}\n"
        "- Lớp: Lớp nhận thức về Đảng khóa 2\n- Ghi danh: 3. Lê Hoàng Minh\n\n"
        "1. Lưu\n2. Sửa lớp\n3. Sửa người\n4. Hủy\n" + CHOICES_TAIL)


async def test_the_recognition_confirmation_names_the_members_branch(talk, demo):
    await secretary_of_both(demo)
    bithu = talk()
    await bithu.dialog([("/chinhthuc hoang mai anh", "Ghi việc gì"), ("2", "xóa tên"), ("01/03/2026", "")])
    assert await bithu.say("Vi phạm tư cách") == (
        "Xin kiểm tra lại trước khi lưu — 8. Hoàng Mai Anh:\n"
        f"- Chi bộ: {BRANCH}\n"
        "- Việc cần ghi: Xóa tên\n- Ngày xóa tên: 01/03/2026\n- Lý do: Vi phạm tư cách\n"
        'Khi lưu: chuyển sang giai đoạn "Đã đưa ra khỏi danh sách".\n\n'
        "1. Lưu\n2. Sửa người\n3. Sửa việc cần ghi\n4. Sửa ngày xóa tên\n5. Sửa lý do xóa tên\n6. Hủy\n"
        + CHOICES_TAIL)
