"""The PDFs: a progress letter and a receipt, drawn with fpdf2.

fpdf2 is pure Python (it installs from PyPI with no system package). Its built-in fonts cover
Latin-1 only, so the text is set in Source Sans Pro from the font-source-sans-pro package, which
covers the names a clinic meets (Łukasz, Ștefan, Nguyễn, Ελένη, Ольга); a character the font
lacks prints as a blank box rather than failing the document.

Each PDF carries the date it was issued as its creation date, so rendering the same content
again gives the same bytes.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib.resources import files

from django.utils import dateformat
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT = "SourceSans"
_FONTS = files("font_source_sans_pro") / "files"
REGULAR = str(_FONTS / "SourceSansPro-Regular.ttf")
BOLD = str(_FONTS / "SourceSansPro-Bold.ttf")
LABEL_WIDTH = 58  # mm: the left column of a receipt's or letter's label/value rows

# fpdf2 logs each glyph a font lacks; that line would quote the client's text into the logs.
logging.getLogger("fpdf").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)  # the subsetter reports each table it prunes


def day_text(day: date) -> str:
    """A day as the letters and receipts print it: "7 December 2026" (a datetime: in its own zone)."""
    return dateformat.format(day, "j F Y")


@dataclass(frozen=True)
class OutcomeRow:
    measure: str
    first: str  # "18 of 24 (3 Nov 2026)"
    latest: str
    change: str  # "6 points better", "no change", "-"
    meaningful: str  # "Yes (threshold: 2 points or 30%)"


@dataclass(frozen=True)
class LetterContent:
    """Everything a progress letter says, in words; documents.letters builds it."""

    clinic_lines: Sequence[str]  # name, address lines, phone, email
    date_text: str
    addressed_to: str
    client_name: str
    referral_text: str  # "" when the client has no referral on record
    plan_rows: Sequence[tuple[str, str]]  # (label, value): service, sessions, frequency, started
    goals: Sequence[str]
    attendance_rows: Sequence[tuple[str, str]]
    outcomes: Sequence[OutcomeRow]
    summary: str
    therapist_name: str
    therapist_registration: str


class _Page(FPDF):
    def __init__(self, *, title: str, author: str, created_at: datetime) -> None:
        super().__init__(format="A4")
        self.add_font(FONT, "", REGULAR)
        self.add_font(FONT, "B", BOLD)
        self.set_title(title)
        self.set_author(author)
        self.set_creation_date(created_at)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        self.add_page()
        self.set_font(FONT, size=10.5)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, *, size: float = 13) -> None:
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, _plain(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=10.5)
        self.ln(1)

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", 10.5)
        self.multi_cell(0, 5.5, _plain(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=10.5)

    def rows(self, rows: Sequence[tuple[str, str]]) -> None:
        for label, value in rows:
            self.set_font(FONT, "B", 10.5)
            self.cell(LABEL_WIDTH, 6, _plain(label))
            self.set_font(FONT, "", 10.5)
            self.multi_cell(0, 6, _plain(value) or "-", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def letterhead(self, lines: Sequence[str]) -> None:
        first, *rest = lines
        self.set_font(FONT, "B", 15)
        self.cell(0, 8, _plain(first), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=9.5)
        for line in rest:
            self.cell(0, 4.5, _plain(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=10.5)
        self.ln(5)

    def stamp(self, text: str) -> None:
        self.set_font(FONT, "B", 26)
        self.set_text_color(176, 42, 55)
        self.cell(0, 12, text, border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        self.set_font(FONT, size=10.5)
        self.ln(3)

    def bytes(self) -> bytes:
        return bytes(self.output())


def receipt_pdf(content: dict[str, object], *, voided_by: str = "", issued_at: datetime) -> bytes:
    """A receipt from its snapshot (documents.receipts.receipt_content): the same bytes every
    time, but for the VOID stamp once a correction has replaced it."""
    page = _Page(
        title=f"Receipt {content['number']}", author=str(content["clinic_name"]), created_at=issued_at
    )
    page.letterhead(_lines(content["clinic_name"], content["clinic_address"], content["clinic_contact"]))
    if voided_by:
        page.stamp(f"VOID: replaced by {voided_by}")
    page.heading(f"Receipt {content['number']}", size=16)
    rows = [(str(label), str(value)) for label, value in content["rows"]]  # type: ignore[attr-defined]
    page.rows(rows)
    if content.get("corrects"):
        page.ln(3)
        page.paragraph(f"This receipt replaces receipt {content['corrects']}, which is void.")
        if content.get("correction_reason"):
            page.paragraph(f"Reason: {content['correction_reason']}")
    page.ln(4)
    page.set_font(FONT, size=9)
    page.paragraph("Received with thanks.")
    return page.bytes()


def letter_pdf(content: LetterContent, *, issued_at: datetime) -> bytes:
    page = _Page(
        title=f"Progress report: {content.client_name}", author=content.clinic_lines[0], created_at=issued_at
    )
    page.letterhead(content.clinic_lines)
    page.paragraph(content.date_text)
    page.ln(2)
    page.paragraph(f"To: {content.addressed_to}")
    page.ln(2)
    page.heading(f"Progress report: {content.client_name}")
    if content.referral_text:
        page.paragraph(content.referral_text)
        page.ln(1)
    page.heading("Treatment plan", size=11.5)
    page.rows(content.plan_rows)
    if content.goals:
        page.paragraph("Goals, in the client's words:", bold=True)
        for goal in content.goals:
            page.multi_cell(0, 5.5, f"•  {_plain(goal)}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    page.heading("Sessions", size=11.5)
    page.rows(content.attendance_rows)
    page.heading("Outcome measures", size=11.5)
    if content.outcomes:
        for outcome in content.outcomes:
            page.paragraph(outcome.measure, bold=True)
            page.rows(
                [
                    ("At the start", outcome.first),
                    ("Now", outcome.latest),
                    ("Change", outcome.change),
                    ("Meaningful change", outcome.meaningful),
                ]
            )
            page.ln(1)
    else:
        page.paragraph("No outcome questionnaires have been completed yet.")
    page.heading("Therapist's summary", size=11.5)
    page.paragraph(content.summary)
    page.ln(6)
    page.paragraph("Yours sincerely,")
    page.ln(8)
    page.paragraph(content.therapist_name, bold=True)
    if content.therapist_registration:
        page.paragraph(f"Registration number: {content.therapist_registration}")
    page.paragraph(content.clinic_lines[0])
    return page.bytes()


def _lines(*values: object) -> list[str]:
    lines: list[str] = []
    for value in values:
        lines += [line.strip() for line in str(value or "").splitlines() if line.strip()]
    return lines


def _plain(text: str) -> str:
    # Tabs and carriage returns have no glyph; a typed-in text may carry them.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
