"""A table drawn on a PDF page by hand, fast enough for a list of 20,000 rows.

fpdf2's table() lays every cell out twice through multi_cell (about 117 s per 1,000 rows on a
loaded machine). Here each text is wrapped once, its width summed from its characters' widths
(each character measured once through fpdf2, which sums them the same way when text shaping is
off), the same text in the same column wrapped only once, each row's height known before it is
drawn, and a row's borders and lines go to the page in one write. The look is the one fpdf2's
table() gave: thin borders, the header bold, centred and repeated at the top of every page,
each cell's lines in the middle of its row, words wrapped whole, a bold total row."""

from dataclasses import dataclass

from fpdf import FPDF

LEFT, CENTER = "L", "C"


class Measure:
    """Widths in mm of texts in one style and size of a font."""

    def __init__(self, pdf: FPDF, font: str, style: str, size: float):
        self.pdf, self.font, self.style, self.size = pdf, font, style, size
        self.chars: dict[str, float] = {}
        self.space = self.width(" ")

    def width(self, text: str) -> float:
        chars, total = self.chars, 0.0
        for char in text:
            found = chars.get(char)
            if found is None:
                found = chars[char] = self._one(char)
            total += found
        return total

    def _one(self, char: str) -> float:
        self.pdf.set_font(self.font, self.style, self.size)
        return self.pdf.get_string_width(char)


def wrap(text: str, room: float, measure: Measure) -> list[tuple[str, float]]:
    """The lines of a cell's text in `room` mm, each with its width: whole words where they fit
    (as multi_cell breaks them), a word wider than the column cut where it must."""
    lines: list[tuple[str, float]] = []
    for paragraph in text.split("\n"):
        words: list[str] = []
        used = 0.0
        for word in paragraph.split():
            wide = measure.width(word)
            if words and used + measure.space + wide <= room:
                words.append(word)
                used += measure.space + wide
                continue
            if words:
                lines.append((" ".join(words), used))
            while wide > room and len(word) > 1:
                cut = 1
                while cut < len(word) - 1 and measure.width(word[:cut + 1]) <= room:
                    cut += 1
                lines.append((word[:cut], measure.width(word[:cut])))
                word = word[cut:]
                wide = measure.width(word)
            words, used = [word], wide
        lines.append((" ".join(words), used))
    return lines


@dataclass
class Row:
    style: str  # "" or "B"
    cells: list[tuple[list[tuple[str, float]], str]]  # each cell's lines and its alignment
    height: float


class Grid:
    """One table's rows laid out in columns of given widths and drawn from the current y."""

    def __init__(self, pdf: FPDF, font: str, size: float, widths: list[float]):
        self.pdf, self.font, self.size, self.widths = pdf, font, size, widths
        self.line = size * 0.5  # mm a line takes, as the table() before
        self.family = font.lower()  # as fpdf2 keeps it
        self.measures = {style: Measure(pdf, font, style, size) for style in ("", "B")}
        self.wrapped: dict[tuple[str, int, str], list[tuple[str, float]]] = {}
        # Each text's start and its encoding, by font and column; the columns' places on the page.
        self.placed: dict[tuple[int, int, str], tuple[str, str]] = {}
        self.starts = [pdf.l_margin + sum(widths[:i]) for i in range(len(widths))]
        self.lefts = [x + pdf.c_margin for x in self.starts]
        self.boxes = [(f"{x * pdf.k:.2f}", f"{w * pdf.k:.2f}") for x, w in zip(self.starts, widths, strict=True)]

    def row(self, texts: list[str], aligns: list[str], style: str = "") -> Row:
        room = [w - 2 * self.pdf.c_margin for w in self.widths]
        cells = []
        for i, text in enumerate(texts):
            key = (text, i, style)
            lines = self.wrapped.get(key)
            if lines is None:
                lines = self.wrapped[key] = wrap(text, room[i], self.measures[style])
            cells.append((lines, aligns[i]))
        return Row(style, cells, max(len(lines) for lines, _ in cells) * self.line)

    def draw(self, header: Row, rows) -> None:
        """The header, then each row, a new page (with the header again) where a row would
        cross the bottom margin."""
        pdf = self.pdf
        first = True
        for row in rows:
            if pdf.get_y() + row.height + (header.height if first else 0) > pdf.page_break_trigger:
                pdf.add_page()
                self.put(header)
            elif first:
                self.put(header)
            first = False
            self.put(row)
        if first:  # no rows: the header alone
            if pdf.get_y() + header.height > pdf.page_break_trigger:
                pdf.add_page()
            self.put(header)

    def put(self, row: Row) -> None:
        pdf, k, page_h = self.pdf, self.pdf.k, self.pdf.h
        y = pdf.get_y()
        if (pdf.font_family, pdf.font_style, pdf.font_size_pt) != (self.family, row.style, self.size):
            pdf.set_font(self.font, row.style, self.size)  # set_font costs more than the comparison
        if not pdf.current_font_is_set_on_page:
            pdf.text(pdf.l_margin, y, "")  # fpdf2 selects the font on this page (and lists it among the page's fonts)
        font, line = pdf.current_font, self.line
        top = f"{(page_h - y) * k:.2f} "
        ops = [f"{x} {top}{w} {-row.height * k:.2f} re" for x, w in self.boxes]
        ops.append("S")
        # The baseline of a one-line cell's line (fpdf2's cell puts it 0.3 of the type size below the middle).
        first = page_h - y - row.height / 2 - 0.3 * pdf.font_size
        heights: dict[int, str] = {}  # half lines below the first: the same few in every cell of a row
        for i, (lines, align) in enumerate(row.cells):
            shift = len(lines) - 1  # in half lines, up from the middle
            for text, wide in lines:
                if text:
                    key = (font.i, i, text)
                    put = self.placed.get(key)
                    if put is None:
                        left = self.lefts[i] if align == LEFT else self.starts[i] + (self.widths[i] - wide) / 2
                        put = self.placed[key] = (f"BT {left * k:.2f} ", f" Td {font.encode_text(text)} ET")
                    at = heights.get(shift)
                    if at is None:
                        at = heights[shift] = f"{(first + shift * line / 2) * k:.2f}"
                    ops.append(put[0] + at + put[1])
                shift -= 2
        pdf._out("\n".join(ops))  # one write for the row: text() per line costs more than the rest
        pdf.set_y(y + row.height)
