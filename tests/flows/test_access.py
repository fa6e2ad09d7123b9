"""The authorisation matrix: every demo account and a stranger try every command."""

import pytest

from bot.demo import CANDIDATES, SECOND

NOT_LINKED = "chưa được liên kết"
NOT_ALLOWED = "không dành cho vai trò"
NOT_FOUND = "Không tìm thấy"

# account -> command -> words the answer must contain
MATRIX = {
    "bithu": {"/them": "Họ và tên đầy đủ", "/ds": "Danh sách quần chúng và đảng viên dự bị (13 người)",
              "/xem 1": "Nguyễn Văn An", "/xem 99": NOT_FOUND},
    "giupdo": {"/them": NOT_ALLOWED, "/ds": "Danh sách quần chúng và đảng viên dự bị (8 người)",
               "/xem 1": NOT_FOUND, "/xem 3": "Lê Hoàng Minh"},
    "quanchung": {"/them": NOT_ALLOWED, "/ds": NOT_ALLOWED, "/xem 1": NOT_ALLOWED, "/xem 3": NOT_ALLOWED},
    "captren": {"/them": NOT_ALLOWED, "/ds": "Danh sách quần chúng và đảng viên dự bị (15 người)",
                "/xem 1": "2 người khớp", "/xem ngo duc": "Ngô Đức Thắng"},
    "nguoila": {"/them": NOT_LINKED, "/ds": NOT_LINKED, "/xem 1": NOT_LINKED, "/xem 3": NOT_LINKED},
}
CASES = [(account, command, expect) for account, row in MATRIX.items() for command, expect in row.items()]
EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]


@pytest.mark.parametrize("account, command, expect", CASES)
async def test_each_role_gets_exactly_what_it_may(talk, account, command, expect):
    assert expect in await talk(account).say(command)


STRANGER_GREETING = (
    "Chào bạn. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.\n"
    "Tài khoản này chưa được liên kết. Nếu bí thư chi bộ đã gửi bạn mã mời, gõ:\n"
    "/start MÃ-MỜI\n"
    "(ví dụ: /start K7QM2XHP4R). Chưa có mã? Xin liên hệ bí thư chi bộ của bạn.")
STRANGER_REFUSED = ("Tài khoản này chưa được liên kết với chibo nên chưa dùng được lệnh này. "
                    "Xin bí thư chi bộ một mã mời rồi gõ: /start MÃ-MỜI")
STRANGER_NOT_UNDERSTOOD = ("chibo chưa hiểu tin nhắn này. Nếu bạn có mã mời, gõ: /start MÃ-MỜI. "
                           "Gõ /trogiup để được hướng dẫn.")
CANDIDATE_GREETING = (
    "Chào Lê Hoàng Minh. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.\n"
    "- Bạn là quần chúng — Chi bộ Trường THPT Trần Phú (demo)\n"
    "Bạn có thể dùng:\n"
    "\n"
    "1. /toi — Tôi đang ở bước nào, việc tiếp theo và hồ sơ còn thiếu gì\n"
    "(Trả lời bằng số hoặc bằng chữ)")
CANDIDATE_REFUSED = "Lệnh này không dành cho vai trò của bạn. Gõ /trogiup để xem các lệnh bạn dùng được."
CANDIDATE_NOT_UNDERSTOOD = "chibo chưa hiểu tin nhắn này. Gõ /trogiup để xem các lệnh bạn dùng được."
# Each message, and the whole answer: the way to link or the refusal, never a name, never a crash.
WITHOUT_THE_RIGHT = {
    "nguoila": [("/start", STRANGER_GREETING), ("/trogiup", STRANGER_GREETING), ("/ds", STRANGER_REFUSED),
                ("/xem 1", STRANGER_REFUSED), ("/xem nguyen", STRANGER_REFUSED), ("/them", STRANGER_REFUSED),
                ("Nguyễn Văn An", STRANGER_NOT_UNDERSTOOD), ("1", STRANGER_NOT_UNDERSTOOD),
                ("/ds 2", STRANGER_REFUSED)],
    "quanchung": [("/start", CANDIDATE_GREETING), ("/trogiup", CANDIDATE_GREETING), ("/ds", CANDIDATE_REFUSED),
                  ("/xem 1", CANDIDATE_REFUSED), ("/xem nguyen", CANDIDATE_REFUSED), ("/them", CANDIDATE_REFUSED),
                  ("Nguyễn Văn An", CANDIDATE_NOT_UNDERSTOOD), ("1", CANDIDATE_NOT_UNDERSTOOD),
                  ("/ds 2", CANDIDATE_REFUSED)],
}


@pytest.mark.parametrize("account", sorted(WITHOUT_THE_RIGHT))
async def test_someone_without_the_right_learns_no_names(talk, account):
    person = talk(account)
    said = [(says, await person.say(says)) for says, _ in WITHOUT_THE_RIGHT[account]]
    assert said == WITHOUT_THE_RIGHT[account]
    for name in EVERY_NAME:
        if account == "quanchung" and name == "Lê Hoàng Minh":
            continue  # that is the candidate's own name, in their own greeting
        assert not any(name in reply for _, reply in said), name


async def test_help_lists_only_the_commands_of_the_role(talk):
    assert "/them" not in await talk("giupdo").say("/trogiup")
    assert "/ds" in await talk("captren").say("/trogiup")
    stranger = await talk("nguoila").say("/trogiup")
    assert "/ds" not in stranger and "/them" not in stranger


# Every command of the pipeline, by who may open it (written out by hand, not derived from
# the policy, so that a change to the policy shows up here).
BRANCH_OFFICER = {"/them", "/ds", "/xem", "/xet", "/quy", "/giupdo", "/lop", "/taolop", "/ghidanh",
                  "/ketqualop", "/hoso", "/ghihoso", "/lamhoso", "/denghiketnap", "/ketnap", "/chinhthuc",
                  "/chuyen", "/chitieu"}
MAY_OPEN = {
    "bithu": BRANCH_OFFICER,
    "giupdo": {"/ds", "/xem", "/gap", "/cuatoi"},
    "quanchung": {"/toi"},
    "captren": {"/ds", "/xem", "/lop", "/taolop", "/chitieu", "/datchitieu", "/tonghop"},
    "nguoila": set(),
}
EVERY_COMMAND = sorted(set().union(*MAY_OPEN.values()))


@pytest.mark.parametrize("account", sorted(MAY_OPEN))
async def test_every_command_opens_exactly_for_the_roles_that_may(talk, account):
    person = talk(account)
    for command in EVERY_COMMAND:
        reply = await person.say(command)
        refused = NOT_ALLOWED in reply or NOT_LINKED in reply
        assert refused == (command not in MAY_OPEN[account]), f"{account} {command}: {reply[:120]}"
        await person.say("/huy")
        if refused:
            assert not any(name in reply for name in EVERY_NAME), f"{account} {command} leaked a name"
