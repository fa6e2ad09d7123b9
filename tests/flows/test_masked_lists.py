"""On a channel the branch does not allow to carry personal data (issue 16), /bangiao (its list
of members and its confirmation) and /quy (the survey's screen) name people by initials."""

from bot.demo import BRANCH
from tests.flows.test_members import on_telegram_not_allowed
from tests.support import number_of

HOW = "(Trả lời bằng số hoặc bằng chữ)"


async def test_bangiao_names_the_members_by_initials(talk, demo):
    telegram = await on_telegram_not_allowed(demo)
    await telegram.dialog([
        ("/bangiao", f"Ai là bí thư mới của {BRANCH}? Chọn một đảng viên chính thức của chi bộ, hoặc gõ một phần họ "
                     "tên. Gõ /huy để thôi.\n\n1. C.T.H.\n2. Đ.T.M.\n3. Đ.T.T.\n4. H.T.N.H.\n5. L.T.K.O.\n6. N.H.P.\n"
                     f"7. P.V.H.\n8. P.Q.V.\n9. T.V.B.\n10. T.V.D.\n{HOW}"),
        ("vinh", "Khi bí thư mới nhận bàn giao, vai trò bí thư của bạn kết thúc. Sau đó bạn giữ vai trò nào ở chi "
                 f"bộ?\n\n1. Không giữ vai trò nào\n2. Phó bí thư\n3. Đảng viên giúp đỡ\n{HOW}"),
        ("2", f"Xin kiểm tra lại trước khi bàn giao:\n- Chi bộ: {BRANCH}\n- Bí thư mới: P.Q.V.\n"
              "- Vai trò của bạn sau bàn giao: Phó bí thư\nchibo sẽ tạo mã mời cho bí thư mới. Khi người đó dùng mã, "
              "việc bàn giao có hiệu lực: vai trò bí thư của bạn kết thúc và được ghi vào nhật ký.\n\n"
              f"1. Lưu\n2. Sửa bí thư mới\n3. Sửa vai trò của bạn sau bàn giao\n4. Hủy\n{HOW}"),
    ])


async def test_the_survey_names_the_candidate_by_initials(talk, demo):
    telegram = await on_telegram_not_allowed(demo)
    an = await number_of(demo, "Nguyễn Văn An")
    assert await telegram.say("/quy") == (
        f"Khảo sát nguồn quý 1/2026 — {BRANCH}\n4 quần chúng ưu tú (nguồn) cần đánh giá.\n\n"
        "Mỗi người một màn hình: chọn Tốt, Khá, Trung bình, Chưa đạt, hoặc gõ lời nhận xét của chi bộ (tối đa 40 ký "
        "tự); người không còn tích cực thì đưa ra khỏi danh sách. Cuối cùng chibo tóm tắt kết quả.\n\n"
        f"Khảo sát nguồn quý 1/2026 · người 1/4\n{an}. N.V.A. · Giáo viên, giảng viên · đoàn viên\n"
        "- Là nguồn từ 10/02/2026 (20 ngày)\n- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
        f"- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo {an})\n\n"
        "Đánh giá N.V.A.? Chọn một mức, hoặc gõ lời nhận xét ngắn (tối đa 40 ký tự). Mỗi đánh giá được lưu ngay; "
        "/huy để dừng giữa chừng (những gì đã chọn vẫn được giữ).\n\n"
        f"1. Tốt\n2. Khá\n3. Trung bình\n4. Chưa đạt\n5. Đưa ra khỏi danh sách\n6. Bỏ qua\n7. Dừng, xem tóm tắt\n{HOW}")
