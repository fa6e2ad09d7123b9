"""The sizes of the report files in one place (Hướng dẫn 36-HD/VPTW for the Party document):
a committee that uses its own variant changes them here, or passes its own Layout."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    font: str = "Times New Roman"
    # A4, in millimetres; margins top, bottom, left, right.
    page_width_mm: float = 210
    page_height_mm: float = 297
    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15
    # Font sizes in points.
    body_pt: float = 13
    header_pt: float = 13  # the committee, the branch, "ĐẢNG CỘNG SẢN VIỆT NAM"
    number_pt: float = 13  # "Số …-BC/CB"
    place_date_pt: float = 13
    title_pt: float = 14
    subtitle_pt: float = 13
    table_pt: float = 11
    recipients_pt: float = 11
    page_number_pt: float = 13  # from the second page, centred at the top
    # Spreadsheets: points of the title, widths of the columns in characters.
    sheet_title_pt: float = 14
    sheet_body_pt: float = 11
    min_column_chars: int = 6
    max_column_chars: int = 45


LAYOUT = Layout()
