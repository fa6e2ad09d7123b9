"""Whole replies that many flow tests expect: refusals, the footers under a list of choices, the
hint under a question, cancelling, the help pages, and texts that several test files show. Spelled
out (not rendered from messages/) so that a changed template fails the tests that show it."""

from bot.demo import BRANCH

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

# ---- /ketnap and /chinhthuc (test_admission, test_introducers, test_recognition_file) -----------

DATE_HINT = 'Ghi ngày/tháng/năm, ví dụ 05/03/2026 hoặc 5/3/26, hoặc "hôm nay".'


def today_choice(day: str = "02/03/2026") -> str:
    """Under a date question: today offered as choice 1."""
    return f"\n\n1. Hôm nay ({day})\n{CHOOSE}"


def lan_vote_day(lan: int = 6) -> str:
    """The vote's day, asked for Đặng Ngọc Lan (register number `lan`) on the test clock's day."""
    return (f"Ngày chi bộ họp xét và biểu quyết đề nghị kết nạp {lan}. Đặng Ngọc Lan?\n"
            f"{DATE_HINT}\n{HINT}" + today_choice())


LAN_VOTE_DAY = lan_vote_day()
ROSTER_11 = ("- Danh sách đảng viên của chi bộ: 11 đảng viên chính thức hôm nay; chibo tính tổng số theo danh sách vào "
             "ngày biểu quyết.")


def lan_summary(members: str = ROSTER_11, certificate: str = "28/10/2025, hết hạn từ 28/10/2030",
                lan: int = 6) -> str:
    """/ketnap on Lan (register number `lan`): her summary over the vote's day question; `members` is the line
    about the roster."""
    return (f"{lan}. Đặng Ngọc Lan — Đang làm hồ sơ từ 01/01/2026\n"
            f"- Giấy chứng nhận lớp nhận thức về Đảng: cấp ngày {certificate}\n"
            f"{members}\n"
            "\n"
            "Ghi nghị quyết của chi bộ đề nghị kết nạp (6-KNĐ). Cần ít nhất 2/3 tổng số đảng viên chính thức của chi "
            "bộ đồng ý (không phải 2/3 số có mặt). Vào ngày chi bộ họp, người này phải đủ 18 tuổi (tính theo tháng) "
            "và giấy chứng nhận còn hạn.\n"
            "\n" + lan_vote_day(lan))


LAN_SUMMARY = lan_summary()
VOTES_FOR = f"Bao nhiêu đảng viên chính thức biểu quyết đồng ý? (một con số, ví dụ 8)\n{HINT}"


def anh_summary(note: str = "", anh: int = 8) -> str:
    """/chinhthuc on Hoàng Mai Anh (register number `anh`) on her last day of probation (14/08/2026); `note` a
    line before the deadline."""
    return (f"{anh}. Hoàng Mai Anh — đảng viên dự bị\n"
            "- Lễ kết nạp ngày 14/08/2025; hết 12 tháng dự bị ngày 14/08/2026.\n"
            "- Tuổi đảng (tính từ ngày quyết định kết nạp 30/07/2025): 1 năm 0 tháng.\n"
            f"{note}"
            "- Chi bộ xét công nhận trong 30 ngày làm việc sau khi hết 12 tháng dự bị: hạn 29/09/2026.\n"
            "\n"
            "Ghi biểu quyết của chi bộ đề nghị công nhận (cần ít nhất 2/3 tổng số đảng viên chính thức đồng ý), "
            "hoặc xóa tên nếu người này không đủ tư cách đảng viên.\n"
            "\n"
            f"Ghi việc gì cho đảng viên dự bị {anh}. Hoàng Mai Anh?\n{HINT}\n"
            "\n"
            "1. Biểu quyết của chi bộ đề nghị công nhận\n"
            "2. Xóa tên\n" + CHOOSE)


NO_NEW_MEMBER_CERTIFICATE = ("- Lưu ý: chưa có giấy chứng nhận lớp bồi dưỡng đảng viên mới (cần cho hồ sơ công "
                             "nhận).\n")


def recognition_day(day: str = "14/08/2026", anh: int = 8) -> str:
    """The recognition vote's day question for Hoàng Mai Anh (register number `anh`); today (`day`) offered as
    choice 1."""
    return (f"Ngày chi bộ họp xét, biểu quyết đề nghị công nhận {anh}. Hoàng Mai Anh là đảng viên chính thức? Không "
            f"sớm hơn ngày hết 12 tháng dự bị.\n{DATE_HINT}\n{HINT}" + today_choice(day))


def lan_items(lan: int = 6) -> str:
    """/ghihoso on Đặng Ngọc Lan (register number `lan`): what to record in her admission file."""
    return (
        f"Ghi mục nào trong hồ sơ của {lan}. Đặng Ngọc Lan? Gõ số thứ tự (số 1 đến 9 trùng với mẫu 1-KNĐ đến 9-KNĐ) "
        "hoặc mã mẫu. Gõ /huy để hủy, \"quay lại\" để sửa câu trước.\n"
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
        "10. CN-NTVĐ giấy chứng nhận lớp nhận thức về Đảng\n" + CHOOSE)


LAN_ITEMS = lan_items()
# /ghihoso asks who keeps the paper.
KEEPER = ('Ai đang giữ bản giấy tờ này (ví dụ: văn phòng chi bộ)? Tối đa 120 ký tự, hoặc chọn "Bỏ qua".\n\n'
          "1. Bỏ qua\n" + CHOOSE)
# /ghihoso's date question.
ITEM_DATE = 'Giấy tờ này đề ngày nào? (ngày/tháng/năm, ví dụ 12/2/2026, hoặc "hôm nay")'

# /them's first question, as bithu sees it.
REGISTER = ("Thêm quần chúng ưu tú vào danh sách nguồn của Chi bộ Trường THPT Trần Phú (demo). Gõ /huy bất cứ lúc nào "
            'để hủy, "quay lại" để sửa câu trước.\n'
            "\n"
            "Họ và tên đầy đủ của người này?")

# /gap, as giupdo (the demo's sponsor) sees it.
def sponsor_meeting_start(no: dict[str, int]) -> str:
    """`no`: the register numbers by full name (tests/flows/test_candidates.py demo_numbers)."""
    people = [("Lê Hoàng Minh", "Cảm tình Đảng"), ("Phạm Thu Hà", "Cảm tình Đảng"),
              ("Võ Thanh Tùng", "Học lớp nhận thức về Đảng"), ("Đặng Ngọc Lan", "Đang làm hồ sơ"),
              ("Bùi Quốc Huy", "Đã đề nghị kết nạp"), ("Hoàng Mai Anh", "Đảng viên dự bị"),
              ("Đinh Văn Khoa", "Cảm tình Đảng"), ("Tạ Minh Đức", "Có quyết định kết nạp")]
    return ('Ghi một lần gặp với quần chúng bạn giúp đỡ. Gõ /huy bất cứ lúc nào để hủy, "quay lại" để sửa câu '
            "trước.\n"
            "\n"
            "Người bạn giúp đỡ:\n"
            + "".join(f"{no[name]}. {name} — {stage}\n" for name, stage in sorted(people, key=lambda p: no[p[0]]))
            + "\n"
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


def an_card(an: int = 1) -> str:
    """/xem with An's number as bithu sees it: Nguyễn Văn An's card in the demo (`an` his register number)."""
    return (f"{an}. Nguyễn Văn An\n"
            "- Ngày sinh: 12/04/1998 · Nam\n"
            "- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
            "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
            "- Giai đoạn: Quần chúng ưu tú (nguồn), từ 10/02/2026\n"
            "- Đảng viên giúp đỡ: chưa phân công\n"
            "- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Bước tiếp theo: xét đưa vào danh sách cảm tình Đảng ở kỳ sinh hoạt chi bộ tới, hạn 05/03/2026 "
            "(Hướng dẫn 12-HD/BTCTW)")


# /chitieu: the school year of the test clock, the heading of the view, and what a committee may do below it.
SCHOOL_YEAR = "Năm học 2025-2026 (01/09/2025–31/08/2026)"
TARGETS_VIEW = "Chỉ tiêu kết nạp đảng viên và tiến độ (tính theo ngày lễ kết nạp):\n\n"
TARGETS_SET_BELOW = ("\n"
                     "Đặt hoặc sửa chỉ tiêu cho một tổ chức trực thuộc: /datchitieu\n"
                     "\n"
                     "1. Đặt chỉ tiêu cho tổ chức trực thuộc\n")

# /them's birth date question once the name Nguyễn Thị Hoa is typed.
ASK_HOA_BIRTH = "Ngày sinh của Nguyễn Thị Hoa? (ngày/tháng/năm, ví dụ 05/09/2004)"

# An's card as a committee sees it: headed by the reference its /ds shows.
def an_card_by_ref(an: int) -> str:
    return "TP-" + an_card(an)


def thang_card(thang: int) -> str:
    """The committee's /xem of Ngô Đức Thắng (`thang` his register number) of the second demo branch."""
    return (f"TSP-{thang}. Ngô Đức Thắng\n"  # headed by the reference the committee's list shows
            "- Ngày sinh: 03/03/2004 · Nam\n"
            "- Đối tượng: Học sinh, sinh viên · Đoàn viên\n"
            "- Chi bộ: Chi bộ Khoa Toán, ĐH Sư phạm (demo)\n"
            "- Giai đoạn: Cảm tình Đảng, từ 21/01/2026\n"
            "- Đảng viên giúp đỡ: chưa phân công\n"
            "- Nguồn giới thiệu: Đoàn Thanh niên\n"
            "- Bước tiếp theo: cử đi học lớp bồi dưỡng nhận thức về Đảng, hạn 05/03/2026 "
            "(Hướng dẫn 06-HD/TW, mục 5.4)")


def two_number_ones(number: int) -> str:
    """The committee's /xem of `number`, both An's number in one branch and Thắng's in the other."""
    return (f"Có 2 người khớp \"{number}\". Chọn một người.\n"  # one in each branch below the committee
            "\n"
            f"TP-{number}. Nguyễn Văn An (1998) — Quần chúng ưu tú (nguồn)\n"
            f"TSP-{number}. Ngô Đức Thắng (2004) — Cảm tình Đảng\n"
            "(Trả lời bằng số ở đầu dòng, hoặc bằng chữ)")


# ---- /xet and /quy screens (test_undo, test_interruptions) --------------------------------------

REVIEW_DAY = ('Chi bộ họp xét duyệt ngày nào? Quyết định được ghi cho ngày họp và tháng của ngày đó (ngày/tháng/năm, '
              'hoặc "hôm nay").\n\n1. Hôm nay (02/03/2026)\n' + CHOOSE)
# /xet as bithu sees it on the test clock's day: the meeting's day is asked first.
REVIEW_START = ("Xét duyệt — Chi bộ Trường THPT Trần Phú (demo)\n"
                "7 người cần xét: 4 quần chúng ưu tú (nguồn), 3 cảm tình Đảng.\n"
                "\n"
                "Mỗi người một màn hình: giữ nguyên, chuyển lên bước sau, đưa ra khỏi danh sách (phải ghi lý do) hoặc "
                "bỏ qua. Mỗi quyết định được lưu ngay khi chọn; cuối cùng chibo tóm tắt những thay đổi.\n"
                "\n" + REVIEW_DAY)


def review_screen(place: int, number: int, line: str, since: str, back: bool = False) -> str:
    """A source's screen at /xet (place of 7), `line` "Name (birth year)"; `back`: "Người trước" offered."""
    menu = ["Giữ nguyên", "Chuyển lên cảm tình Đảng", "Đưa ra khỏi danh sách", "Bỏ qua"]
    menu += ["Người trước"] * back + ["Giữ nguyên tất cả những người còn lại", "Dừng, xem tóm tắt"]
    return (f"Xét duyệt tháng 03/2026 · người {place}/7\n"
            f"{number}. {line}\n"
            f"- Giai đoạn: Quần chúng ưu tú (nguồn), từ {since}\n"
            "- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
            f"- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo {number})\n"
            "\n"
            f"Quyết định cho {line.rsplit(' (', 1)[0]}? Mỗi quyết định được lưu ngay khi chọn; /huy để dừng giữa "
            "chừng (những gì đã chọn vẫn được giữ).\n"
            "\n" + "".join(f"{i}. {m}\n" for i, m in enumerate(menu, 1)) + CHOOSE)


def survey_screen(place: int, number: int, line: str, since: str) -> str:
    """A source's screen at /quy (place of 4): `line` the number's line after the register number."""
    name = line.split(" (", 1)[0]
    return (f"Khảo sát nguồn quý 1/2026 · người {place}/4\n"
            f"{number}. {line}\n"
            f"- Là nguồn từ {since}\n"
            "- Gặp gần nhất: chưa có lần gặp nào được ghi\n"
            f"- Đảng viên giúp đỡ: chưa phân công (phân công: /giupdo {number})\n"
            "\n"
            f"Đánh giá {name}? Chọn một mức, hoặc gõ lời nhận xét ngắn (tối đa 40 ký tự). Mỗi đánh giá được lưu "
            "ngay; /huy để dừng giữa chừng (những gì đã chọn vẫn được giữ).\n"
            "\n"
            "1. Tốt\n2. Khá\n3. Trung bình\n4. Chưa đạt\n5. Đưa ra khỏi danh sách\n6. Bỏ qua\n7. Dừng, xem tóm tắt\n"
            + CHOOSE)


SURVEY_START = ("Khảo sát nguồn quý 1/2026 — Chi bộ Trường THPT Trần Phú (demo)\n"
                "4 quần chúng ưu tú (nguồn) cần đánh giá.\n"
                "\n"
                "Mỗi người một màn hình: chọn Tốt, Khá, Trung bình, Chưa đạt, hoặc gõ lời nhận xét của chi bộ (tối "
                "đa 40 ký tự); người không còn tích cực thì đưa ra khỏi danh sách. Cuối cùng chibo tóm tắt kết quả.\n"
                "\n")


# The consent notice a linked candidate reads first (messages/vi/consent/), and its answers: the
# options under it differ by channel (numbered text, or Telegram's buttons).
CONSENT_NOTICE = (
    "Trước khi tiếp tục, xin bạn đọc thông báo về dữ liệu cá nhân:\n"
    f"- Ai giữ: {BRANCH} (bí thư, phó bí thư, đảng viên giúp đỡ bạn) và cấp ủy cấp trên.\n"
    "- Giữ gì: họ tên, ngày sinh, giới tính, đối tượng, các bước bạn đã qua và ghi chú của chi bộ. "
    "Dân tộc và tôn giáo chỉ khi bạn đồng ý riêng.\n"
    "- Để làm gì: theo dõi và nhắc các bước xem xét kết nạp bạn vào Đảng.\n"
    "- Giữ bao lâu: trong thời gian xem xét và tối đa 5 năm sau đó.\n"
    "- Quyền của bạn: xem, sửa, rút lại đồng ý, yêu cầu xoá (/dulieu), theo Luật Bảo vệ dữ liệu cá nhân 2025.\n\n"
    "Chưa đồng ý thì chibo không nhận thông tin gì của bạn qua tin nhắn và không gửi gì khác; "
    "chi bộ chỉ giữ những gì đã ghi từ hồ sơ giấy của bạn. Bạn có đồng ý không?")
CONSENT_REFUSED = ("Bạn chưa đồng ý. chibo không nhận thông tin gì của bạn qua tin nhắn và không gửi gì khác; "
                   "chi bộ chỉ giữ những gì đã ghi từ hồ sơ giấy của bạn. Khi muốn đồng ý, nhắn \"đồng ý\".")
CONSENT_THANKS = ("Cảm ơn bạn. Đã ghi sự đồng ý của bạn (hôm nay). Bạn có thể rút lại bất cứ lúc nào: /dulieu\n\n"
                  "Xem việc bạn làm được: /trogiup")
CONSENT_THANKS_SENSITIVE = ("Cảm ơn bạn. Đã ghi sự đồng ý của bạn (hôm nay, kể cả dân tộc và tôn giáo). "
                            "Bạn có thể rút lại bất cứ lúc nào: /dulieu\n\nXem việc bạn làm được: /trogiup")
