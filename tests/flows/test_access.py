"""The authorisation matrix: every demo account and a stranger try every command."""

import pytest

from bot.demo import CANDIDATES, SECOND
from tests.flows.test_candidates import (
    AN, MINH, absent_number, branch_list, committee_list, demo_numbers, minh_card, my_list,
)
from tests.texts import (
    NOT_ALLOWED, NOT_LINKED, NOT_UNDERSTOOD, NOT_UNDERSTOOD_STRANGER, REGISTER, STRANGER_GREETING, an_card,
    thang_card, two_number_ones,
)


def not_found(says: str) -> str:
    return (f'Không tìm thấy ai khớp với "{says}" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một phần họ '
            "tên khác.\n"
            "Lệnh /xem đã dừng. Gõ lại /xem kèm số hoặc tên khác, hoặc chỉ gõ /xem để chibo hỏi từng bước.")


def always(text: str):
    return lambda no: text


# account -> command -> the whole answer, from the register numbers looked up by name (`no`); in a command, {an}
# and {minh} are those people's numbers (An's is also Ngô Đức Thắng's in the other branch: both are first there),
# {absent} a number nobody has
MATRIX = {
    "bithu": {"/them": always(REGISTER), "/ds": branch_list, "/xem {an}": lambda no: an_card(no[AN]),
              "/xem {absent}": lambda no: not_found(f"{no['absent']}")},
    "giupdo": {"/them": always(NOT_ALLOWED), "/ds": my_list, "/xem {an}": lambda no: not_found(f"{no[AN]}"),
               "/xem {minh}": minh_card},
    "quanchung": {"/them": always(NOT_ALLOWED), "/ds": always(NOT_ALLOWED), "/xem {an}": always(NOT_ALLOWED),
                  "/xem {minh}": always(NOT_ALLOWED)},
    "captren": {"/them": always(NOT_ALLOWED), "/ds": committee_list, "/xem {an}": lambda no: two_number_ones(no[AN]),
                "/xem ngo duc": lambda no: thang_card(no["Ngô Đức Thắng"])},
    "nguoila": {"/them": always(NOT_LINKED), "/ds": always(NOT_LINKED), "/xem {an}": always(NOT_LINKED),
                "/xem {minh}": always(NOT_LINKED)},
}
CASES = [(account, command, expect) for account, row in MATRIX.items() for command, expect in row.items()]
EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]


@pytest.mark.parametrize("account, command, expect", CASES, ids=[f"{a}-{c}" for a, c, _ in CASES])
async def test_each_role_gets_exactly_what_it_may(talk, demo, account, command, expect):
    no = await demo_numbers(demo) | {"absent": await absent_number(demo)}
    assert no[AN] == no["Ngô Đức Thắng"]  # what captren's /xem {an} expects: the first in each branch
    said = command.format(an=no[AN], minh=no[MINH], absent=no["absent"])
    assert await talk(account).say(said) == expect(no)


CANDIDATE_GREETING = (
    "Chào Lê Hoàng Minh. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.\n"
    "- Bạn là quần chúng — Chi bộ Trường THPT Trần Phú (demo)\n"
    "Bạn có thể dùng:\n"
    "\n"
    "1. /toi — Tôi đang ở bước nào, việc tiếp theo và hồ sơ còn thiếu gì\n"
    "2. /dulieu — Dữ liệu chibo giữ về tôi; xin sửa, rút đồng ý, xoá\n"
    "(Trả lời bằng số hoặc bằng chữ)")
# Each message, and the whole answer: the way to link or the refusal, never a name, never a crash.
WITHOUT_THE_RIGHT = {
    "nguoila": [("/start", STRANGER_GREETING), ("/trogiup", STRANGER_GREETING), ("/ds", NOT_LINKED),
                ("/xem 1", NOT_LINKED), ("/xem nguyen", NOT_LINKED), ("/them", NOT_LINKED),
                ("Nguyễn Văn An", NOT_UNDERSTOOD_STRANGER), ("1", NOT_UNDERSTOOD_STRANGER),
                ("/ds 2", NOT_LINKED)],
    "quanchung": [("/start", CANDIDATE_GREETING), ("/trogiup", CANDIDATE_GREETING), ("/ds", NOT_ALLOWED),
                  ("/xem 1", NOT_ALLOWED), ("/xem nguyen", NOT_ALLOWED), ("/them", NOT_ALLOWED),
                  ("Nguyễn Văn An", NOT_UNDERSTOOD), ("1", NOT_UNDERSTOOD),
                  ("/ds 2", NOT_ALLOWED)],
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
    assert await talk("giupdo").say("/trogiup") == (  # no /them
        "Chào Trần Văn Bình. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.\n"
        "- Bạn là đảng viên giúp đỡ — Chi bộ Trường THPT Trần Phú (demo)\n"
        "Bạn có thể dùng:\n"
        "\n"
        "1. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn\n"
        "2. /xem — Xem hồ sơ một người (theo số hoặc tên)\n"
        "3. /gap — Ghi lần gặp quần chúng bạn giúp đỡ\n"
        "4. /cuatoi — Người bạn giúp đỡ và lần gặp gần nhất\n"
        "5. /dulieu — Dữ liệu chibo giữ về tôi; xin sửa, rút đồng ý, xoá\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await talk("captren").say("/trogiup") == (
        "Chào Lê Văn Cường. chibo là trợ lý tự động giúp chi bộ theo dõi công tác phát triển đảng viên.\n"
        "- Bạn là cấp ủy cấp trên — Đảng ủy Khối Giáo dục (demo)\n"
        "Bạn có thể dùng (trang 1/2):\n"
        "\n"
        "1. /ds — Danh sách quần chúng và đảng viên dự bị theo giai đoạn\n"
        "2. /xem — Xem hồ sơ một người (theo số hoặc tên)\n"
        "3. /lop — Các lớp bồi dưỡng nhận thức về Đảng và đảng viên mới\n"
        "4. /taolop — Tạo một lớp bồi dưỡng mới\n"
        "5. /chitieu — Chỉ tiêu kết nạp đảng viên và tiến độ\n"
        "6. /datchitieu — Đặt chỉ tiêu kết nạp cho chi bộ trực thuộc\n"
        "7. /thuhoi — Thu hồi vai trò của một người (người giúp đỡ, phó bí thư, bí thư)\n"
        "8. /bangiao — Bàn giao chi bộ cho bí thư mới\n"
        "9. /tonghop — Tổng hợp các chi bộ trực thuộc: giai đoạn, chỉ tiêu, việc quá hạn\n"
        "10. /trogiup 2 — Các lệnh khác (trang 2/2)\n"
        "(Trả lời bằng số hoặc bằng chữ)")


# Every command of the pipeline, by who may open it (written out by hand, not derived from
# the policy, so that a change to the policy shows up here).
BRANCH_OFFICER = {"/them", "/ds", "/xem", "/xet", "/quy", "/giupdo", "/lop", "/taolop", "/ghidanh",
                  "/ketqualop", "/hoso", "/ghihoso", "/lamhoso", "/denghiketnap", "/ketnap", "/chinhthuc",
                  "/chuyen", "/chitieu", "/dongy", "/yeucau", "/dulieu"}
MAY_OPEN = {
    "bithu": BRANCH_OFFICER,
    "giupdo": {"/ds", "/xem", "/gap", "/cuatoi", "/dulieu"},
    "quanchung": {"/toi", "/dulieu"},
    "captren": {"/ds", "/xem", "/lop", "/taolop", "/chitieu", "/datchitieu", "/tonghop", "/dulieu"},
    "nguoila": set(),
}
EVERY_COMMAND = sorted(set().union(*MAY_OPEN.values()))


@pytest.mark.parametrize("account", sorted(MAY_OPEN))
async def test_every_command_opens_exactly_for_the_roles_that_may(talk, account):
    person = talk(account)
    for command in EVERY_COMMAND:
        reply = await person.say(command)
        # The whole refusal (so no name leaks); what an opened command shows is checked in its own flow's tests.
        refused = reply in (NOT_ALLOWED, NOT_LINKED)
        assert refused == (command not in MAY_OPEN[account]), f"{account} {command}: {reply[:120]}"
        if refused:
            assert reply == (NOT_LINKED if account == "nguoila" else NOT_ALLOWED)
        await person.say("/huy")
