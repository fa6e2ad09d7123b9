"""Which Party text, and which part of it, each rule comes from (DOMAIN.md "The rules").

Data only: the words that name a text for a reader live in messages/vi/sources/, one template
per text, and messages/vi/sources/list.j2 joins several citations.
"""

from dataclasses import dataclass
from enum import StrEnum


class PartyText(StrEnum):
    """A text in force; the value names its template under messages/vi/sources/."""

    charter = "charter"  # Điều lệ Đảng (2011)
    regulation_294 = "regulation_294"  # Quy định 294-QĐ/TW (2025), carrying out the Charter
    guide_06 = "guide_06"  # Hướng dẫn 06-HD/TW (2025)
    guide_12_btctw = "guide_12_btctw"  # Hướng dẫn 12-HD/BTCTW (2022), the dossier forms
    guide_01 = "guide_01"  # Hướng dẫn 01-HD/TW, as quoted on the dossier's age


@dataclass(frozen=True)
class Citation:
    text: PartyText
    part: str | None = None  # the Charter's article ("4"), a section of the others ("3.6")


Sources = tuple[Citation, ...]

# The local plans among the seed documents (003, 004) set habits, not rules: a reader is
# pointed to the Party's own texts only.
AGE: Sources = (Citation(PartyText.charter, "1"), Citation(PartyText.regulation_294, "1.1"))
SYMPATHIZER_LIST: Sources = (Citation(PartyText.guide_12_btctw),)
AWARENESS_CLASS: Sources = (Citation(PartyText.guide_06, "5.4"),)
DOSSIER_AGE: Sources = (Citation(PartyText.guide_01),)
# The branch assigns an official member (not a probationary one) to help each sympathizer.
SPONSOR: Sources = (Citation(PartyText.guide_12_btctw),)
# The file the branch votes on: the introducers (Charter art. 4) and the forms 1-KNĐ..5-KNĐ.
ADMISSION_FILE: Sources = (Citation(PartyText.charter, "4"), Citation(PartyText.guide_12_btctw))
# The recognition file: the new-member class certificate (06-HD/TW 4.1) and 10-KNĐ..12-KNĐ.
RECOGNITION_FILE: Sources = (Citation(PartyText.guide_06, "4.1"), Citation(PartyText.guide_12_btctw))
BRANCH_VOTE: Sources = (Citation(PartyText.charter, "4"), Citation(PartyText.guide_06, "3.6"))
ADMISSION_DECISION: Sources = (Citation(PartyText.regulation_294, "4.3"),)
CEREMONY: Sources = (Citation(PartyText.regulation_294, "4.1"),)
PROBATION: Sources = (Citation(PartyText.charter, "5"),)
PERSONAL_HISTORY: Sources = (Citation(PartyText.guide_12_btctw, "2.2"),)
NEW_MEMBER_CLASS: Sources = (Citation(PartyText.guide_06, "4.1"),)
RECOGNITION_VOTE: Sources = (Citation(PartyText.charter, "5"), Citation(PartyText.regulation_294, "4.2"))
RECOGNITION_DECISION: Sources = (Citation(PartyText.regulation_294, "4.2"),)
MEMBER_TRANSFER: Sources = (Citation(PartyText.regulation_294, "6.3"),)
# A graduate may keep their party life at the school up to 12 months (01-HD/TW, 10.2.1; seeds 000, 001).
GRADUATE_STAY: Sources = (Citation(PartyText.guide_01, "10.2.1"),)
# The disciplines of a member: expulsion (khai trừ) for an official member only; a probationary
# member is reprimanded or warned, and one who does not qualify is struck off. Neither
# DOMAIN.md nor the seeds quote the Charter's article on disciplines (003 and 000 only name
# "khai trừ, xóa tên" beside each other), so the Charter is cited without an article number
# until someone checks the text in force.
DISCIPLINE: Sources = (Citation(PartyText.charter),)
