"""Setting wrapped text in lines, measured once per word.

Why not fpdf2's ``multi_cell`` and ``write``: they re-measure the whole line for every
character they add, so a line of n characters costs O(n²) glyph look-ups; that was about 85%
of rendering a 1,000-entry portfolio (bench/RESULTS.md, "PDF export"). Here each word's width
is measured once per font and size (and remembered), lines are filled greedily, and each
line is drawn with ``cell`` — the same look: text starts ``c_margin`` in from the left margin
and wraps within the page's text width less that margin on both sides.

Rules of the layout:
- ``\\n`` ends a line; an empty line keeps its height (a blank line between paragraphs).
- Words are separated by one space; a word wider than a whole line is cut between characters.
- A run of text keeps its style (bold label, regular value) across line breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fpdf import FPDF, XPos, YPos


@dataclass(frozen=True)
class Word:
    style: str
    text: str
    width: float


class TextSetter:
    """Wraps and draws text on one document; remembers word widths per font and size."""

    def __init__(self, pdf: FPDF, family: str) -> None:
        self.pdf = pdf
        self.family = family
        self._widths: dict[tuple[str, float, str], float] = {}

    def _width(self, style: str, size: float, text: str) -> float:
        key = (style, size, text)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = self.pdf.get_string_width(text)
        return width

    def _words(self, style: str, size: float, text: str, limit: float) -> Iterator[Word]:
        self.pdf.set_font(self.family, style, size)
        for word in text.split(" "):
            if not word:
                continue
            width = self._width(style, size, word)
            if width <= limit:
                yield Word(style, word, width)
                continue
            piece = ""
            for character in word:  # a word too long for any line is cut where it must be
                if piece and self._width(style, size, piece + character) > limit:
                    yield Word(style, piece, self._width(style, size, piece))
                    piece = ""
                piece += character
            if piece:
                yield Word(style, piece, self._width(style, size, piece))

    def _lines(self, words: list[Word], size: float, limit: float) -> Iterator[list[Word]]:
        line: list[Word] = []
        used = 0.0
        for word in words:
            space = self._width(word.style, size, " ") if line else 0.0
            if line and used + space + word.width > limit:
                yield line
                line, used, space = [], 0.0, 0.0
            line.append(word)
            used += space + word.width
        yield line

    def _draw(self, line: list[Word], size: float, height: float) -> None:
        pdf = self.pdf
        margin, pdf.c_margin = pdf.c_margin, 0
        try:
            pdf.set_x(pdf.l_margin + margin)
            if not line:
                pdf.cell(0, height, "", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                return
            start = 0
            while start < len(line):
                style = line[start].style
                end = start
                while end < len(line) and line[end].style == style:
                    end += 1
                text = " ".join(word.text for word in line[start:end]) + (" " if end < len(line) else "")
                pdf.set_font(self.family, style, size)
                last = end == len(line)
                pdf.cell(
                    self._width(style, size, text) if not last else 0,
                    height,
                    text,
                    new_x=XPos.LMARGIN if last else XPos.RIGHT,
                    new_y=YPos.NEXT if last else YPos.TOP,
                )
                start = end
        finally:
            pdf.c_margin = margin

    def set(self, runs: list[tuple[str, str]], size: float, height: float) -> None:
        """Draw ``runs`` (style, text) as one block of wrapped lines ``height`` mm apart, from
        the left margin; the page breaks between lines where it must."""
        limit = self.pdf.epw - 2 * self.pdf.c_margin
        words: list[Word | None] = []
        for style, text in runs:
            for number, part in enumerate(text.split("\n")):
                if number:
                    words.append(None)  # a line end
                words.extend(self._words(style, size, part, limit))
        paragraph: list[Word] = []
        for word in [*words, None]:
            if word is not None:
                paragraph.append(word)
                continue
            for line in self._lines(paragraph, size, limit):
                self._draw(line, size, height)
            paragraph = []
