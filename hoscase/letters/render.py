"""Drawing a letter: the checked content poured through its template into the page layout, as PDF bytes.

Every piece of text from the record reaches reportlab escaped (markup.to_markup) and
glyph-checked against the font it will be set in; tables hold Paragraphs and split by row,
and inside a row, so long text flows onto further pages.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    Image,
    KeepInFrame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hoscase.errors import HoscaseError
from hoscase.letters.content import LetterContent
from hoscase.letters.details import address_lines
from hoscase.letters.layout import PAGE, PAGE_LARGE, STYLES, STYLES_LARGE, TABLE
from hoscase.letters.markup import has_rtl, to_markup
from hoscase.letters.templates import Block, Segment, Template, TemplateLibrary
from hoscase.pdffonts import BOLD, REGULAR, check_glyphs, register_fonts
from hoscase.pdfpages import numbered_canvas

try:  # text shaping (joined Arabic letters) when uharfbuzz is installed; without it the glyphs still print
    import uharfbuzz  # noqa: F401

    SHAPING = True
except ImportError:  # pragma: no cover - depends on the install
    SHAPING = False

OMBUDSMAN_BOX = "ombudsman-block"
OMBUDSMAN_BOX_PLACEHOLDERS = {
    "ombudsman_name": "the Ombudsman's name",
    "ombudsman_address": "the Ombudsman's postal address on one line",
    "ombudsman_phone": "the Ombudsman's telephone number",
    "ombudsman_website": "the Ombudsman's website",
    "ombudsman_form": "the Ombudsman's online complaint form",
}
OMBUDSMAN_BOX_REQUIRED = ("ombudsman_name", "ombudsman_phone", "ombudsman_form")

# Words the layout itself prints (the letter's own wording is in the templates).
LABELS = {
    "date": "Date",
    "reference": "Our reference",
    "on_behalf_of": "On behalf of",
    "copy": "Copy to",
    "contact": "Contact",
    "phone": "Telephone",
    "email": "Email",
    "website": "Website",
    "page": "Page {page} of {pages}",
    "remedies": ("What we will do", "Amount", "By when"),
    "actions": ("What is still to be done", "Who", "By when"),
}


class _Styles:
    """ParagraphStyles built from layout data, with a shaping variant for right-to-left text."""

    def __init__(self, table: dict[str, dict[str, Any]]) -> None:
        self._table = table
        self._made: dict[tuple[str, bool], ParagraphStyle] = {}

    def get(self, name: str, shaping: bool = False) -> ParagraphStyle:
        key = (name, shaping and SHAPING)
        style = self._made.get(key)
        if style is None:
            spec = dict(self._table[name])
            bold = spec.pop("bold", False)
            style = ParagraphStyle(f"{name}{'-shaped' if key[1] else ''}", fontName=BOLD if bold else REGULAR,
                                   shaping=1 if key[1] else 0, splitLongWords=1, allowWidows=0, allowOrphans=0,
                                   **spec)
            self._made[key] = style
        return style

    def size(self, name: str) -> float:
        return float(self._table[name]["fontSize"])

    def bold(self, name: str) -> bool:
        return bool(self._table[name].get("bold"))


class _Writer:
    """Turns template blocks into flowables for one letter."""

    def __init__(self, content: LetterContent, styles: _Styles, library: TemplateLibrary, width: float) -> None:
        self.content = content
        self.values = content.values
        self.styles = styles
        self.library = library
        self.width = width
        self.descriptions = content.kind.placeholders

    # --- text ------------------------------------------------------------

    def line_markup(self, segments: list[Segment], bold: bool, where: str) -> tuple[str, str]:
        """Markup and plain text for one template line; ** toggles bold in the template's own words."""
        parts: list[str] = []
        plain: list[str] = []
        strong = False
        for seg in segments:
            if seg.placeholder:
                value = self.values[seg.text]
                text = value if isinstance(value, str) else ""
                what = f"{self.descriptions.get(seg.text, seg.text)} {{{seg.text}}}"
                check_glyphs(text, what, bold=bold or strong)
                parts.append(to_markup(text))
                plain.append(text)
                continue
            pieces = seg.text.split("**")
            for i, piece in enumerate(pieces):
                if i:
                    strong = not strong
                    parts.append("<b>" if strong else "</b>")
                if piece:
                    check_glyphs(piece, where, bold=bold or strong)
                    parts.append(to_markup(piece))
                    plain.append(piece)
        if strong:
            parts.append("</b>")
        return "".join(parts), "".join(plain)

    def paragraph(self, lines: list[list[Segment]], style: str, where: str, bullet: bool = False) -> Paragraph | None:
        markup, plain = [], []
        for segments in lines:
            m, p = self.line_markup(segments, self.styles.bold(style), where)
            markup.append(m)
            plain.append(p)
        if not "".join(plain).strip():
            return None  # an empty placeholder alone: print nothing rather than a blank paragraph
        text = "<br/>".join(markup)
        shaped = self.styles.get(style, shaping=has_rtl("".join(plain)))
        return Paragraph(text, shaped, bulletText="\u2022" if bullet else None)

    def record_paragraph(self, text: str, style: str, what: str) -> Paragraph:
        check_glyphs(text, what, bold=self.styles.bold(style))
        return Paragraph(to_markup(text), self.styles.get(style, shaping=has_rtl(text)))

    # --- blocks ----------------------------------------------------------

    def blocks(self, template: Template, blocks: list[Block] | None = None, box: bool = False) -> list[Any]:
        out: list[Any] = []
        for block in template.blocks if blocks is None else blocks:
            where = f"line {block.line_number} of the letter template {template.path}"
            if block.kind == "if":
                chosen = block.then if self.values.get(block.name) else block.otherwise
                out.extend(self.blocks(template, chosen, box))
            elif block.kind == "block":
                made = self.block_placeholder(block.name)
                if made and out and isinstance(out[-1], Paragraph):
                    out[-1].keepWithNext = 1  # the sentence that introduces a table stays with it
                out.extend(made)
            else:
                style = {"title": "title", "heading": "heading", "bullet": "bullet"}.get(block.kind, "body")
                if box and style == "body":
                    style = "box"
                flowable = self.paragraph(block.lines, style, where, bullet=block.kind == "bullet")
                if flowable is not None:
                    out.append(flowable)
        return out

    def block_placeholder(self, name: str) -> list[Any]:
        if name == "ombudsman":
            return [self.ombudsman_box()]
        rows = self.values.get(name) or []
        if not rows:
            return []
        if name == "remedies":
            keys = ("what", "amount", "due")
        else:
            keys = ("what", "who", "due")
        shares = TABLE[f"{name}_large" if self.content.large_print else name]
        head = [Paragraph(to_markup(label), self.styles.get("cell_head")) for label in LABELS[name]]
        data = [head]
        for row in rows:
            cells = []
            for key in keys:
                text = row[key] or ""
                what = f"{'a remedy' if name == 'remedies' else 'an outstanding action'} ({key})"
                cells.append(self.record_paragraph(text, "cell", what))
            data.append(cells)
        pad = TABLE["padding"]
        table = Table(data, colWidths=[self.width * s for s in shares], repeatRows=1, splitByRow=1, splitInRow=1,
                      hAlign="LEFT", spaceBefore=2, spaceAfter=8)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(TABLE["grid_colour"])),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(TABLE["head_background"])),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad - 1), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]))
        return [table]

    def ombudsman_box(self) -> Table:
        template = self.library.load(OMBUDSMAN_BOX)
        template.check(OMBUDSMAN_BOX_PLACEHOLDERS, OMBUDSMAN_BOX_REQUIRED)
        saved = self.descriptions
        self.descriptions = OMBUDSMAN_BOX_PLACEHOLDERS
        try:
            inner = self.blocks(template, box=True)
        finally:
            self.descriptions = saved
        pad = TABLE["padding"] + 3
        table = Table([[inner]], colWidths=[self.width], splitByRow=1, splitInRow=1, hAlign="LEFT",
                      spaceBefore=4, spaceAfter=10)
        table.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 1, colors.HexColor(TABLE["box_colour"])),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(TABLE["box_background"])),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad - 2),
        ]))
        return table

    # --- the fixed parts of page 1 ----------------------------------------------

    def letterhead(self, width: float, compact: bool) -> list[Any]:
        org = self.content.organisation
        shown = ("website",) if compact else ("phone", "email", "website")
        contacts = [f"{LABELS[k]} {org[k]}" if k == "phone" else org[k] for k in shown if org[k]]
        lines = address_lines(org["address"])
        if compact:
            lines = [", ".join(lines)]
        text_parts = [self.record_paragraph(org["name"], "org_name", "your organisation's name (Settings)")]
        body = "\n".join(lines + ([" \u00b7 ".join(contacts)] if contacts else []))
        text_parts.append(self.record_paragraph(body, "org_lines", "your organisation's address and contacts (Settings)"))
        logo = org.get("logo")
        if not logo:
            return text_parts
        image = _logo(logo, max_width=45 * mm, max_height=PAGE["first"]["letterhead"][3] * mm - 2 * mm)
        table = Table([[image, text_parts]], colWidths=[50 * mm, width - 50 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
        return [table]

    def details(self) -> list[Any]:
        v = self.values
        org = self.content.organisation
        rows = [(LABELS["date"], v["letter_date"]), (LABELS["reference"], v["reference"])]
        if self.content.on_behalf_of:
            rows.append((LABELS["on_behalf_of"], self.content.on_behalf_of))
        rows += [
                 (LABELS["contact"], f"{v['handler_name']}, {v['handler_role']}" if v["handler_role"] else v["handler_name"])]
        if org["phone"]:
            rows.append((LABELS["phone"], org["phone"]))
        if org["email"]:
            rows.append((LABELS["email"], org["email"]))
        markup, plain = [], []
        for label, value in rows:
            check_glyphs(value, f"the letter's details ({label.lower()})")
            markup.append(f"<b>{to_markup(label)}:</b> {to_markup(value)}")
            plain.append(value)
        return [Paragraph("<br/>".join(markup), self.styles.get("details", shaping=has_rtl("".join(plain))))]

    def copies(self) -> list[Any]:
        """"Copy to" lines after the signature: who else receives the letter (the resident, when it goes to their
        representative; a representative without an address, when it goes to the resident)."""
        out: list[Any] = []
        for line in self.content.copy_to:
            out.append(self.record_paragraph(f"{LABELS['copy']}: {line}", "body", "a copy line"))
        if out:
            out.insert(0, Spacer(1, 4))
        return out

    def address(self) -> list[Any]:
        text = "\n".join(self.content.address_block)
        return [self.record_paragraph(text, "address", "the resident's name and address")]


def _logo(path: str, max_width: float, max_height: float) -> Image:
    from reportlab.lib.utils import ImageReader

    try:
        reader = ImageReader(path)
        width, height = reader.getSize()
    except Exception as exc:  # noqa: BLE001 - any unreadable image is the same problem to the officer
        raise HoscaseError(f"the organisation's logo {path} cannot be read ({exc}); choose another in Settings "
                           "or clear it") from None
    scale = min(max_width / width, max_height / height)
    image = Image(path, width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def _canvas_class(content: LetterContent, styles: _Styles, page: dict[str, Any]):
    """A canvas that waits until the end to number the pages ("Page 2 of 3"), and only if there are several."""
    page_w, page_h = (d * mm for d in page["size_mm"])
    size = styles.size("page")
    reference = content.values["reference"]
    date = content.values["letter_date"]

    def furniture(canvas: Any, number: int, total: int) -> None:
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.setFont(REGULAR, size)
        if total > 1:
            label = LABELS["page"].format(page=number, pages=total)
            canvas.drawRightString(page_w - page["margins_mm"]["right"] * mm, page["footer_mm"] * mm, label)
        if number > 1:
            canvas.drawString(page["margins_mm"]["left"] * mm, page_h - page["header_mm"] * mm,
                              f"{reference} \u00b7 {date}")
        else:
            canvas.setStrokeColor(colors.HexColor("#9a9a9a"))
            canvas.setLineWidth(0.4)
            for fold in page["fold_marks_mm"]:
                y = page_h - fold * mm
                canvas.line(4 * mm, y, 8 * mm, y)

    return numbered_canvas(furniture)


def render_letter(content: LetterContent, library: TemplateLibrary) -> bytes:
    """The letter as PDF bytes; a HoscaseError if its template or its text cannot be used."""
    register_fonts()
    kind = content.kind
    template = library.load(kind.name)
    template.check(kind.placeholders, kind.required)
    page = PAGE_LARGE if content.large_print else PAGE
    styles = _Styles(STYLES_LARGE if content.large_print else STYLES)
    page_w, page_h = (d * mm for d in page["size_mm"])
    margins = {k: v * mm for k, v in page["margins_mm"].items()}
    width = page_w - margins["left"] - margins["right"]

    def frame(name: str, x: float, top: float, w: float, h: float) -> Frame:
        return Frame(x * mm, page_h - (top + h) * mm, w * mm, h * mm, id=name,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    first = page["first"]
    body_first = page_h - first["body_top"] * mm - margins["bottom"]
    body_later = page_h - page["later"]["body_top"] * mm - margins["bottom"]
    first_frames = [frame(name, *first[name]) for name in ("letterhead", "address", "details")]
    first_frames.append(Frame(margins["left"], margins["bottom"], width, body_first, id="body",
                              leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0))
    later_frames = [Frame(margins["left"], margins["bottom"], width, body_later, id="body",
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)]

    writer = _Writer(content, styles, library, width)
    story: list[Any] = []
    for name, flowables in (("letterhead", writer.letterhead(width, page["compact_letterhead"])), ("address", writer.address()),
                            ("details", writer.details())):
        x, top, w, h = first[name]
        story.append(KeepInFrame(w * mm, h * mm, flowables, mode="shrink"))
        story.append(FrameBreak())
    story.extend(writer.blocks(template))
    story.extend(writer.copies())
    story.append(Spacer(1, 1))

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=(page_w, page_h), leftMargin=margins["left"], rightMargin=margins["right"],
        topMargin=margins["top"], bottomMargin=margins["bottom"],
        title=f"{kind.title}: {content.values['reference']}", author=content.organisation["name"],
        subject=f"Complaint {content.values['reference']}", creator="hoscase", invariant=1,
        pageTemplates=[PageTemplate(id="first", frames=first_frames, autoNextPageTemplate="later"),
                       PageTemplate(id="later", frames=later_frames)],
    )
    doc.build(story, canvasmaker=_canvas_class(content, styles, page))
    return buffer.getvalue()
