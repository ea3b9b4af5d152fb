"""The Cases page's column widths: Address gets the room, Due fits its longest text and no more."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics


def test_columns_fit_their_text_and_leave_address_the_rest(qtbot, store):
    from hoscase.gui.context import AppContext
    from hoscase.gui.models.case_table import COLUMN_INDEX
    from hoscase.gui.pages.cases import CasesPage

    page = CasesPage(AppContext(store))
    qtbot.addWidget(page)
    page.resize(1100, 700)  # the table's share of a 1280x800 window
    page.show()
    qtbot.waitExposed(page)
    table = page.table
    plain = table.fontMetrics()
    bold_font = table.font()
    bold_font.setBold(True)
    bold = QFontMetrics(bold_font)
    due = table.columnWidth(COLUMN_INDEX["due"])
    icon = table.style().pixelMetric(table.style().PixelMetric.PM_SmallIconSize)
    needed = bold.horizontalAdvance("Overdue · 30 Sep 2026") + icon
    assert needed < due <= needed + 20, "Due fits a bold overdue date and its icon, with no more than a margin"
    address = table.columnWidth(COLUMN_INDEX["address"])
    assert address >= plain.horizontalAdvance("27 Almshouse Row") , "Address shows at least a street line"
    widths = [table.columnWidth(c) for c in range(table.model().columnCount())]
    assert sum(widths) <= table.viewport().width() + 1, "no sideways scrolling at this size"
    # The officer can still drag a column (the header does not fix them).
    header = table.horizontalHeader()
    assert header.sectionResizeMode(COLUMN_INDEX["due"]) == header.ResizeMode.Interactive
    header.resizeSection(COLUMN_INDEX["resident_name"], 200)
    assert table.columnWidth(COLUMN_INDEX["resident_name"]) == 200
