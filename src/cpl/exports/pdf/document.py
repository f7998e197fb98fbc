"""The portfolio's page furniture: the bundled font, the footer every page carries, and the
text blocks the cover and the entries are written with.

Every page's footer names the export and the page ("page 3 of 41") and carries a QR code
of the export's verification page, so a single printed page can be traced and checked.
The QR code is drawn once and embedded once; each page refers to the same image.

Text is set in DejaVu Sans, shipped in ``fonts/`` with its licence: PDF's built-in fonts
hold Latin-1 only, and workers are called Siobhán Ó Dónaill and Zoë.
"""

from __future__ import annotations

import re
from pathlib import Path

import qrcode
from fpdf import FPDF, XPos, YPos
from fpdf.output import OutputProducer, PDFInfo
from fpdf.syntax import PDFString
from PIL import Image

from cpl.exports.pdf.layout import TextSetter

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
BODY_SIZE = 9.5
LINE = 4.6
QR_SIZE = 17.0
FOOTER_HEIGHT = QR_SIZE + 4
MARGIN = 15.0
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: object) -> str:
    """Text as it can be set: line ends made ``\\n``, tabs made spaces, other control
    characters (which no font can draw) dropped."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", value)


def _qr_image(url: str) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image().get_image().convert("L")


class _IdentifiedOutput(OutputProducer):
    """Writes the export id into the Info dictionary (``/CplExportId``), where the PDF
    signature covers it and ``cpl verify`` reads it."""

    def _add_info(self) -> PDFInfo:
        info = super()._add_info()
        info.cpl_export_id = PDFString(self.fpdf.export_id)
        return info


class PortfolioPdf(FPDF):
    """An A4 document whose every page ends with the export's footer."""

    def __init__(self, export_id: str, verify_url: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.export_id = export_id
        self.verify_url = verify_url
        self._qr = _qr_image(verify_url)
        self.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=FOOTER_HEIGHT + 6)
        self.set_font(FAMILY, size=BODY_SIZE)
        self._text = TextSetter(self, FAMILY)

    def footer(self) -> None:
        top = self.h - MARGIN / 2 - QR_SIZE
        self.image(self._qr, x=self.w - self.r_margin - QR_SIZE, y=top, w=QR_SIZE, h=QR_SIZE)
        self.set_draw_color(180)
        self.line(self.l_margin, top - 2, self.w - self.r_margin, top - 2)
        self.set_font(FAMILY, size=7.5)
        width = self.epw - QR_SIZE - 4
        self.set_xy(self.l_margin, top + 2)
        self.cell(
            width, 4, f"Export {self.export_id} · page {self.page_no()} of {{nb}}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        right_margin, self.r_margin = self.r_margin, self.w - self.l_margin - width
        self._text.set([("", f"Check this portfolio at {self.verify_url}, or scan the code.")], 7.5, 3.6)
        self.r_margin = right_margin

    def save(self, out_path: Path) -> None:
        """Write the file, the export id in its Info dictionary."""
        self.output(str(out_path), output_producer_class=_IdentifiedOutput)

    def room_for(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one (keeps a heading
        with the first lines of what it heads)."""
        if self.will_page_break(height):
            self.add_page()

    def heading(self, text: str, size: float = 11.0, gap: float = 2.0) -> None:
        self.room_for(size * 0.5 + 4 * LINE)
        self.ln(gap)
        self._text.set([("B", clean(text))], size, size * 0.5)
        self.set_font(FAMILY, size=BODY_SIZE)

    def paragraph(self, text: str, size: float = BODY_SIZE) -> None:
        """Wrapped text that flows across pages as long as it needs."""
        self._text.set([("", clean(text))], size, LINE * size / BODY_SIZE)
        self.set_font(FAMILY, size=BODY_SIZE)

    def field(self, label: str, value: object, separator: str = ": ") -> None:
        """A bold label followed by its value, wrapping under it."""
        self._text.set([("B", clean(label) + separator), ("", clean(value))], BODY_SIZE, LINE)
        self.set_font(FAMILY, size=BODY_SIZE)

    def rule(self) -> None:
        """A thin line between blocks."""
        self.ln(1.5)
        self.set_draw_color(200)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
