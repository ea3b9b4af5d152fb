"""What the report PDFs share: the font, paragraph styles, tables and charts drawn with reportlab's own graphics."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from hoscase.pdffonts import font_names
from hoscase.pdfpages import numbered_canvas

INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#1d4e89")
LIGHT = colors.HexColor("#e8eef5")
GRID = colors.HexColor("#b8c4d0")
SERIES = [colors.HexColor("#1d4e89"), colors.HexColor("#e07a1f"), colors.HexColor("#4a9b5f"),
          colors.HexColor("#b23a48"), colors.HexColor("#7d5ba6"), colors.HexColor("#8c8c8c")]
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN


def fonts() -> tuple[str, str]:
    """(regular, bold): the app's one PDF font (hoscase.pdffonts), registered once for letters and reports alike."""
    return font_names()


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT,
                          spaceAfter=5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=bold, fontSize=8.5, leading=10.5,
                                    spaceAfter=0),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=19, leading=24, textColor=ACCENT,
                                spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=15, spaceAfter=10),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=13.5, leading=17, textColor=ACCENT,
                             spaceBefore=12, spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=10.5, leading=14, spaceBefore=8,
                             spaceAfter=4, keepWithNext=1),
        "placeholder": ParagraphStyle("placeholder", parent=base, textColor=colors.HexColor("#8a5a00"),
                                      backColor=colors.HexColor("#fff4d6"), borderPadding=4, spaceBefore=2,
                                      spaceAfter=8),
    }


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles()[style])


def rich(markup: str, style: str = "body") -> Paragraph:
    """A paragraph of our own markup (never user text)."""
    return Paragraph(markup, styles()[style])


def narrative(text: str, missing: str) -> list[Any]:
    """An officer-written section, one paragraph per blank-line block, or a visible note that it is missing."""
    text = (text or "").strip()
    if not text:
        return [para(missing, "placeholder")]
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return [para(b) for b in blocks]


def table(rows: list[list[Any]], widths: list[float], *, header_rows: int = 1, numeric_from: int = 1,
          zebra: bool = True, bold_first_col: bool = False) -> Table:
    """A report table: text cells wrapped, numbers right-aligned, the header repeated on each page."""
    st = styles()
    head_right = ParagraphStyle("cell_head_right", parent=st["cell_bold"], alignment=TA_RIGHT)
    cells = []
    for r, row in enumerate(rows):
        out = []
        for c, value in enumerate(row):
            if isinstance(value, Paragraph):
                out.append(value)
            elif r < header_rows:
                out.append(Paragraph(escape(str(value)), head_right if c >= numeric_from else st["cell_bold"]))
            elif c >= numeric_from:
                out.append(fmt(value))  # figures: one line, right-aligned
            else:
                out.append(Paragraph(escape(str(value)), st["cell_bold" if bold_first_col and c == 0 else "cell"]))
        cells.append(out)
    t = Table(cells, colWidths=widths, repeatRows=header_rows, spaceBefore=2, spaceAfter=6)
    regular, bold = fonts()
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (numeric_from, header_rows), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), LIGHT),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if zebra:
        for r in range(header_rows + 1, len(rows), 2):
            commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f6f8fa")))
    t.setStyle(TableStyle(commands))
    return t


def fmt(value: Any, suffix: str = "") -> str:
    """A figure as printed: thousands separated, one decimal for fractions, a dash for 'not applicable'."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}"
    if isinstance(value, int):
        return f"{value:,}{suffix}"
    return f"{value}{suffix}"


def money(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def month_label(key: str) -> str:
    return dt.date.fromisoformat(key + "-01").strftime("%b")


def _empty_note(drawing: Drawing, width: float, height: float, text: str) -> None:
    drawing.add(String(width / 2, height / 2, text, textAnchor="middle", fontName=fonts()[0], fontSize=9,
                       fillColor=colors.grey))


def bar_chart(title: str, categories: list[str], series: list[tuple[str, list[float]]], *,
              width: float = FRAME_WIDTH, height: float = 62 * mm, stacked: bool = False,
              value_max: float | None = None) -> Drawing:
    """A grouped (or stacked) bar chart with a title and a legend."""
    regular, bold = fonts()
    d = Drawing(width, height)
    d.add(String(0, height - 11, title, fontName=bold, fontSize=9.5, fillColor=INK))
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 22
    chart.width, chart.height = width - 40 - (90 if len(series) > 1 else 0), height - 48
    data = [list(values) or [0] for _, values in series]
    chart.data = data
    chart.categoryAxis.categoryNames = categories or [""]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    top = max((sum(col) for col in zip(*data)) if stacked else (max(v) for v in data), default=0) or 1
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = value_max or _nice_top(top)
    chart.valueAxis.valueStep = _nice_step(chart.valueAxis.valueMax)
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.visibleGrid = True
    chart.barSpacing = 1
    chart.groupSpacing = 6
    if stacked:
        chart.categoryAxis.style = "stacked"
    for i in range(len(series)):
        chart.bars[i].fillColor = SERIES[i % len(SERIES)]
        chart.bars[i].strokeColor = None
    d.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = width - 88, height - 26
        legend.fontName = regular
        legend.fontSize = 7.5
        legend.alignment = "right"
        legend.columnMaximum = 6
        legend.colorNamePairs = [(SERIES[i % len(SERIES)], name) for i, (name, _) in enumerate(series)]
        d.add(legend)
    if not any(any(v) for v in data):
        _empty_note(d, width, height, "No complaints in this period")
    return d


def pie_chart(title: str, parts: list[tuple[str, int]], *, width: float = FRAME_WIDTH / 2 - 4,
              height: float = 58 * mm) -> Drawing:
    regular, bold = fonts()
    d = Drawing(width, height)
    d.add(String(0, height - 11, title, fontName=bold, fontSize=9.5, fillColor=INK))
    parts = [(name, n) for name, n in parts if n]
    if not parts:
        _empty_note(d, width, height, "No responses in this period")
        return d
    pie = Pie()
    size = min(height - 30, width * 0.45)
    pie.x, pie.y = 6, (height - 14 - size) / 2
    pie.width = pie.height = size
    pie.data = [n for _, n in parts]
    pie.labels = None
    pie.simpleLabels = 1
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    for i in range(len(parts)):
        pie.slices[i].fillColor = SERIES[i % len(SERIES)]
    d.add(pie)
    total = sum(n for _, n in parts)
    legend = Legend()
    legend.x, legend.y = pie.x + size + 12, pie.y + size - 4
    legend.fontName = regular
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.colorNamePairs = [(SERIES[i % len(SERIES)], f"{name}: {n:,} ({100 * n / total:.0f}%)")
                             for i, (name, n) in enumerate(parts)]
    d.add(legend)
    return d


def _nice_top(value: float) -> float:
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if factor * magnitude >= value:
            top = factor * magnitude
            return float(int(top)) if top >= 5 else max(5.0, top)
    return float(value)


def _nice_step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000):
        if top / step <= 6:
            return float(step)
    return top / 5


def numbered_footer_canvas(organisation: str, title: str, extra_pages: int = 0) -> type:
    """A canvas drawing the footer with "Page n of m" once the page count is known; ``extra_pages`` are pages
    appended after the build (the annual report's self-assessment), so the count is of the whole file."""

    def furniture(canvas: Any, page: int, total: int) -> None:
        regular, _ = fonts()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, f"{organisation} · {title}"[:130])
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, f"Page {page} of {total}")

    return numbered_canvas(furniture, extra_pages)


def footer(organisation: str, title: str):
    """A page callback: organisation and report title on the left, page number on the right."""

    def draw(canvas: Any, doc: Any) -> None:
        regular, _ = fonts()
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, f"{organisation} · {title}"[:130])
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return draw
