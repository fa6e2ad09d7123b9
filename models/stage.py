"""The stages of a candidate's way into the Party (DOMAIN.md "The pipeline").

The values are what the database stores: renaming one is a data migration.
"""

from enum import StrEnum


class Stage(StrEnum):
    source = "source"  # quần chúng ưu tú (nguồn)
    sympathizer = "sympathizer"  # cảm tình đảng
    awareness_class = "awareness_class"  # học lớp bồi dưỡng nhận thức về Đảng
    dossier = "dossier"  # làm hồ sơ
    proposed = "proposed"  # đề nghị kết nạp
    admitted = "admitted"  # có quyết định kết nạp
    probationary = "probationary"  # đảng viên dự bị
    official = "official"  # đảng viên chính thức
    removed = "removed"  # đưa ra khỏi danh sách
    transferred = "transferred"  # chuyển đi


# The order in which /ds groups a branch's candidates.
PIPELINE_ORDER: tuple[Stage, ...] = tuple(Stage)


class Role(StrEnum):
    admin = "admin"
    committee = "committee"
    secretary = "secretary"
    deputy = "deputy"
    sponsor = "sponsor"
    candidate = "candidate"


class OrgKind(StrEnum):
    committee = "committee"  # cấp ủy cấp trên cơ sở
    grassroots = "grassroots"  # đảng ủy cơ sở
    branch = "branch"  # chi bộ


class Gender(StrEnum):
    male = "male"
    female = "female"


class Category(StrEnum):
    teacher = "teacher"  # giáo viên / giảng viên
    student = "student"  # học sinh / sinh viên
    manager = "manager"  # cán bộ quản lý
    staff = "staff"  # nhân viên
    worker = "worker"  # công nhân / người lao động
    health = "health"  # bác sĩ / y tế
    other = "other"


class IntroducedBy(StrEnum):
    youth_union = "youth_union"  # Đoàn TNCS Hồ Chí Minh
    trade_union = "trade_union"  # Công đoàn
    member = "member"  # một đảng viên
    branch = "branch"  # chi bộ phát hiện
