"""Whole replies that many flow tests expect: refusals, the footers under a list of choices, the
hint under a question, cancelling, and the help pages. Spelled out (not rendered from
messages/) so that a changed template fails the tests that show it."""

NOT_ALLOWED = "Lệnh này không dành cho vai trò của bạn. Gõ /trogiup để xem các lệnh bạn dùng được."
NOT_LINKED = ("Tài khoản này chưa được liên kết với chibo nên chưa dùng được lệnh này. Xin bí thư chi bộ một mã mời "
              "rồi gõ: /start MÃ-MỜI")
NOT_UNDERSTOOD = "chibo chưa hiểu tin nhắn này. Gõ /trogiup để xem các lệnh bạn dùng được."
NOT_UNDERSTOOD_STRANGER = ("chibo chưa hiểu tin nhắn này. Nếu bạn có mã mời, gõ: /start MÃ-MỜI. "
                           "Gõ /trogiup để được hướng dẫn.")
NOTHING_TO_CANCEL = "Không có việc gì đang làm dở để hủy. Gõ /trogiup để xem các lệnh."
CANCELLED = "Đã hủy, không lưu gì. Gõ /trogiup để xem các lệnh."
# Under a numbered list of choices; under a list whose lines start with register or class numbers.
CHOOSE = "(Trả lời bằng số hoặc bằng chữ)"
CHOOSE_KEYED = "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)"
# Under each question of a flow that saves on "Lưu".
HINT = '(Gõ "quay lại" để sửa câu trước, /huy để hủy — chưa lưu gì cho tới khi bạn chọn Lưu.)'

# /them's first question, as bithu sees it.
REGISTER = ("Thêm quần chúng ưu tú vào danh sách nguồn của Chi bộ Trường THPT Trần Phú (demo). Gõ /huy bất cứ lúc nào "
            'để hủy, "quay lại" để sửa câu trước.\n'
            "\n"
            "Họ và tên đầy đủ của người này?")

# /gap, as giupdo (the demo's sponsor) sees it.
SPONSOR_MEETING_START = (
    'Ghi một lần gặp với quần chúng bạn giúp đỡ. Gõ /huy bất cứ lúc nào để hủy, "quay lại" để sửa câu trước.\n'
    "\n"
    "Người bạn giúp đỡ:\n"
    "3. Lê Hoàng Minh — Cảm tình Đảng\n"
    "4. Phạm Thu Hà — Cảm tình Đảng\n"
    "5. Võ Thanh Tùng — Học lớp nhận thức về Đảng\n"
    "6. Đặng Ngọc Lan — Đang làm hồ sơ\n"
    "7. Bùi Quốc Huy — Đã đề nghị kết nạp\n"
    "8. Hoàng Mai Anh — Đảng viên dự bị\n"
    "11. Đinh Văn Khoa — Cảm tình Đảng\n"
    "13. Tạ Minh Đức — Có quyết định kết nạp\n"
    "\n"
    "Bạn đã gặp ai? Gõ số hoặc một phần họ tên của người bạn giúp đỡ (không dấu cũng được).")

# /start or /trogiup (or "xin chào") from an account chibo does not know.
STRANGER_GREETING = (
    "Chào bạn. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.\n"
    "Tài khoản này chưa được liên kết. Nếu bí thư chi bộ đã gửi bạn mã mời, gõ:\n"
    "/start MÃ-MỜI\n"
    "(ví dụ: /start K7QM2XHP4R). Chưa có mã? Xin liên hệ bí thư chi bộ của bạn.")

# ---- /trogiup, as each demo account sees it ------------------------------------------------

SECRETARY_HELP_1 = """\
Chào Nguyễn Thị Thu. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.
- Bạn là bí thư — Chi bộ Trường THPT Trần Phú (demo)
Bạn có thể dùng (trang 1/3):

1. /them — Thêm một quần chúng ưu tú
2. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn
3. /xem — Xem hồ sơ một người (theo số hoặc tên)
4. /xet — Xét duyệt hằng tháng: nguồn và cảm tình Đảng, từng người một
5. /quy — Khảo sát nguồn hằng quý: đánh giá từng quần chúng ưu tú
6. /giupdo — Phân công hoặc đổi đảng viên giúp đỡ một quần chúng
7. /lop — Các lớp bồi dưỡng nhận thức về Đảng và đảng viên mới
8. /taolop — Tạo một lớp bồi dưỡng mới
9. /ghidanh — Ghi danh người của chi bộ vào một lớp
10. /trogiup 2 — Các lệnh khác (trang 2/3)
(Trả lời bằng số hoặc bằng chữ)"""

SECRETARY_HELP_2 = """\
Các lệnh khác của bạn (trang 2/3):

1. /ketqualop — Ghi kết quả học và giấy chứng nhận của một lớp
2. /hoso — Hồ sơ kết nạp của một người: đã có gì, còn thiếu gì
3. /ghihoso — Ghi ngày một giấy tờ trong hồ sơ kết nạp
4. /lamhoso — Bắt đầu làm hồ sơ kết nạp cho người đã có giấy chứng nhận
5. /denghiketnap — Kiểm tra hồ sơ đã đủ để chi bộ xét kết nạp chưa
6. /ketnap — Ghi biểu quyết của chi bộ, quyết định và lễ kết nạp
7. /chinhthuc — Công nhận đảng viên chính thức hoặc xóa tên
8. /chuyen — Ghi việc chuyển đi (chuyển công tác, ra trường)
9. /chitieu — Chỉ tiêu kết nạp đảng viên và tiến độ
10. /sua — Sửa thông tin của một người (họ tên, ngày sinh...)
11. /hoantac — Hoàn tác việc đưa ra khỏi danh sách, xét chuyển bước hay ghi danh làm nhầm
12. /trogiup 3 — Các lệnh khác (trang 3/3)
(Trả lời bằng số hoặc bằng chữ)"""

SPONSOR_HELP = """\
Chào Trần Văn Bình. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.
- Bạn là đảng viên giúp đỡ — Chi bộ Trường THPT Trần Phú (demo)
Bạn có thể dùng:

1. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn
2. /xem — Xem hồ sơ một người (theo số hoặc tên)
3. /gap — Ghi lần gặp quần chúng bạn giúp đỡ
4. /cuatoi — Người bạn giúp đỡ và lần gặp gần nhất
5. /dulieu — Dữ liệu chibo giữ về tôi; xin sửa, rút đồng ý, xoá
(Trả lời bằng số hoặc bằng chữ)"""

COMMITTEE_HELP = """\
Chào Lê Văn Cường. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.
- Bạn là cấp ủy cấp trên — Đảng ủy Khối Giáo dục (demo)
Bạn có thể dùng (trang 1/2):

1. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn
2. /xem — Xem hồ sơ một người (theo số hoặc tên)
3. /lop — Các lớp bồi dưỡng nhận thức về Đảng và đảng viên mới
4. /taolop — Tạo một lớp bồi dưỡng mới
5. /chitieu — Chỉ tiêu kết nạp đảng viên và tiến độ
6. /datchitieu — Đặt chỉ tiêu kết nạp cho chi bộ trực thuộc
7. /thuhoi — Thu hồi vai trò của một người (người giúp đỡ, phó bí thư, bí thư)
8. /bangiao — Bàn giao chi bộ cho bí thư mới
9. /tonghop — Tổng hợp các chi bộ trực thuộc: giai đoạn, chỉ tiêu, việc quá hạn
10. /trogiup 2 — Các lệnh khác (trang 2/2)
(Trả lời bằng số hoặc bằng chữ)"""
