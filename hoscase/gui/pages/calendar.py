"""The deadline calendar: a month of acknowledgement, response and action due dates, with the days off named.

Deadlines are worked out once per refresh and put in buckets by date; showing a month only reads the
buckets, so paging through months stays instant however many cases there are.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hoscase.gui.format import as_date, plural, uk_date, uk_date_long
from hoscase.workdays import bank_holidays

SOON_WORKING_DAYS = 5
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAY_ROLE = Qt.UserRole + 1
REFERENCE_ROLE = Qt.UserRole + 2

# Shading helps; the words in each cell carry the meaning (names, "!" for overdue, "▲" for due soon).
COLOURS = {
    "bank": QColor("#fbe3bf"),
    "closure": QColor("#e3dcf3"),
    "weekend": QColor("#e4e7eb"),
    "outside": QColor("#f7f7f8"),
    "normal": QColor("#ffffff"),
    "overdue": QColor("#a4262c"),
    "soon": QColor("#8a5300"),
    "text": QColor("#1f2328"),
    "muted": QColor("#6b7280"),
    "today": QColor("#1d4f91"),
    "grid": QColor("#d0d4da"),
}


@dataclass
class DayEntry:
    """One thing due on a day."""

    reference: str
    resident: str
    what: str
    kind: str  # acknowledge, respond or action
    due: dt.date
    handler: str = ""


@dataclass
class DayCell:
    """One square of the month grid."""

    day: dt.date
    in_month: bool
    entries: list[DayEntry] = field(default_factory=list)
    off_kind: str = ""  # bank, closure, weekend or '' for a working day
    off_name: str = ""
    is_today: bool = False
    overdue: bool = False
    due_soon: bool = False

    def summary(self) -> str:
        """The cell in words: what a screen reader says and what the tooltip shows."""
        parts = [uk_date_long(self.day)]
        if self.is_today:
            parts.append("today")
        if self.off_kind == "bank":
            parts.append(f"bank holiday: {self.off_name}")
        elif self.off_kind == "closure":
            parts.append(f"office closed: {self.off_name}")
        elif self.off_kind == "weekend":
            parts.append("weekend")
        if self.entries:
            state = " overdue" if self.overdue else " due soon" if self.due_soon else " due"
            refs = ", ".join(e.reference for e in self.entries[:10])
            more = f" and {len(self.entries) - 10} more" if len(self.entries) > 10 else ""
            parts.append(f"{plural(len(self.entries), 'deadline')}{state}: {refs}{more}")
        else:
            parts.append("nothing due")
        return "; ".join(parts)


class DeadlineBuckets:
    """Every open deadline and outstanding action, bucketed by due date, plus the working calendar."""

    def __init__(self, by_day: dict[dt.date, list[DayEntry]], calendar, today: dt.date) -> None:
        self.by_day = by_day
        self.calendar = calendar
        self.today = today
        self.soon_until = calendar.add(today, SOON_WORKING_DAYS)
        self.closures = dict(calendar.closures)
        self.bank = bank_holidays()

    @classmethod
    def load(cls, ctx) -> DeadlineBuckets:
        """Read the deadlines once (one query for stages, one for actions) and bucket them."""
        by_day: dict[dt.date, list[DayEntry]] = {}
        for row in ctx.service.open_deadlines():
            entry = DayEntry(row["reference"], row["resident_name"],
                             f"{row['action'].capitalize()} (stage {row['stage']})", row["action"], row["due"],
                             row.get("handler") or "")
            by_day.setdefault(row["due"], []).append(entry)
        for row in ctx.store.open_action_rows():
            due = as_date(row["due"])
            if due is None:
                continue
            entry = DayEntry(row["reference"], row["resident_name"], f"Follow up action: {row['description']}",
                             "action", due, row.get("owner") or "")
            by_day.setdefault(due, []).append(entry)
        for entries in by_day.values():
            entries.sort(key=lambda e: (e.kind == "action", e.reference))
        return cls(by_day, ctx.service.calendar, ctx.today)

    def cell(self, day: dt.date, in_month: bool = True) -> DayCell:
        entries = self.by_day.get(day, [])
        cell = DayCell(day=day, in_month=in_month, entries=entries, is_today=day == self.today)
        if day in self.bank:
            cell.off_kind, cell.off_name = "bank", self.bank[day]
        elif day in self.closures:
            cell.off_kind, cell.off_name = "closure", self.closures[day]
        elif day.weekday() >= 5:
            cell.off_kind, cell.off_name = "weekend", "Weekend"
        if entries:
            cell.overdue = day < self.today
            cell.due_soon = self.today <= day <= self.soon_until
        return cell

    def month(self, year: int, month: int) -> list[DayCell]:
        """42 cells, Monday first, covering the month (six weeks so the grid never changes shape)."""
        first = dt.date(year, month, 1)
        start = first - dt.timedelta(days=first.weekday())
        return [self.cell(day, day.month == month)
                for day in (start + dt.timedelta(days=i) for i in range(42))]

    def month_totals(self, year: int, month: int) -> tuple[int, int]:
        """How many things are due in the month, and how many of those are overdue."""
        days = pycalendar.monthrange(year, month)[1]
        total = overdue = 0
        for d in range(1, days + 1):
            day = dt.date(year, month, d)
            count = len(self.by_day.get(day, ()))
            total += count
            if day < self.today:
                overdue += count
        return total, overdue


class MonthModel(QAbstractTableModel):
    """Six weeks of seven days; each index carries its DayCell."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.cells: list[DayCell] = []
        self.year = self.month = 0

    def set_month(self, buckets: DeadlineBuckets, year: int, month: int) -> None:
        self.beginResetModel()
        self.year, self.month = year, month
        self.cells = buckets.month(year, month)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or not self.cells else 6

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 7

    def cell_at(self, index: QModelIndex) -> DayCell | None:
        if not index.isValid() or not self.cells:
            return None
        return self.cells[index.row() * 7 + index.column()]

    def index_of(self, day: dt.date) -> QModelIndex:
        for i, cell in enumerate(self.cells):
            if cell.day == day:
                return self.index(i // 7, i % 7)
        return QModelIndex()

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        cell = self.cell_at(index)
        if cell is None:
            return None
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole):
            return cell.summary()
        if role == Qt.ToolTipRole:
            lines = [cell.summary().split("; ")[0]]
            if cell.off_name and cell.off_kind != "weekend":
                lines.append(("Bank holiday: " if cell.off_kind == "bank" else "Office closed: ") + cell.off_name)
            lines += [f"{e.reference}  {e.what}" for e in cell.entries[:15]]
            if len(cell.entries) > 15:
                lines.append(f"… and {len(cell.entries) - 15} more")
            return "\n".join(lines)
        if role == DAY_ROLE:
            return cell
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return WEEKDAYS[section]
        if orientation == Qt.Horizontal and role == Qt.AccessibleTextRole:
            return pycalendar.day_name[section]
        return None


KIND_SHORT = {"acknowledge": "ack", "respond": "resp", "action": "action"}


def off_label(cell: DayCell) -> str:
    """A bank holiday by its name; a closure day by its name, saying it is a closure unless the name does."""
    if cell.off_kind == "closure" and "clos" not in cell.off_name.casefold():
        return f"Closed: {cell.off_name}"
    return cell.off_name


def fitted_headline(text: str, font: QFont, small: QFont, width: int) -> tuple[QFont, str]:
    """The day's count in ``font`` if it fits ``width``, else in the smaller font (elided only as a last resort).

    A cell is narrow on a small laptop or at 150-200% scale; "▲ 4 due soon" must not be cut to "▲ 4 due soo".
    """
    if QFontMetrics(font).horizontalAdvance(text) <= width:
        return font, text
    smaller = QFont(small)
    smaller.setBold(font.bold())
    return smaller, QFontMetrics(smaller).elidedText(text, Qt.ElideRight, width)


def wrap_lines(metrics: QFontMetrics, text: str, width: int, most: int) -> list[str]:
    """Words wrapped into at most ``most`` lines of ``width`` pixels, the last elided if it still runs over."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < most:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        lines[-1] = f"{lines[-1]} {' '.join(words)}"
    return [metrics.elidedText(line, Qt.ElideRight, width) for line in lines]


class DayDelegate(QStyledItemDelegate):
    """Paints a day: its number, the holiday or closure name, the count and the references due."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        cell: DayCell | None = index.data(DAY_ROLE)
        if cell is None:
            return
        painter.save()
        rect: QRect = option.rect
        if not cell.in_month:
            background = COLOURS["outside"]
        elif cell.off_kind in ("bank", "closure", "weekend"):
            background = COLOURS[cell.off_kind]
        else:
            background = COLOURS["normal"]
        painter.fillRect(rect, background)
        painter.setPen(QPen(COLOURS["grid"], 1))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        base = QFont(option.font)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() * 0.88))
        bold = QFont(base)
        bold.setBold(True)
        inner = rect.adjusted(6, 4, -6, -4)
        metrics = QFontMetrics(base)
        small_metrics = QFontMetrics(small)
        muted = COLOURS["muted"] if not cell.in_month else COLOURS["text"]

        # Day number (today in a filled box with the word "Today" beside it).
        number = str(cell.day.day) if cell.in_month or cell.day.day != 1 else f"1 {MONTHS[cell.day.month - 1][:3]}"
        painter.setFont(bold)
        number_width = QFontMetrics(bold).horizontalAdvance(number) + 8
        number_rect = QRect(inner.left(), inner.top(), number_width, metrics.height() + 2)
        if cell.is_today:
            painter.fillRect(number_rect, COLOURS["today"])
            painter.setPen(QColor("#ffffff"))
        else:
            painter.setPen(muted)
        painter.drawText(number_rect, Qt.AlignCenter, number)
        if cell.is_today:
            painter.setFont(small)
            painter.setPen(COLOURS["today"])
            painter.drawText(QRect(number_rect.right() + 6, inner.top(), inner.width() - number_width - 6,
                                   metrics.height() + 2), Qt.AlignVCenter | Qt.AlignLeft, "Today")
        y = number_rect.bottom() + 3

        # The bank holiday or closure, named (up to two lines).
        if cell.off_kind in ("bank", "closure"):
            painter.setFont(small)
            painter.setPen(muted)
            for line in wrap_lines(small_metrics, off_label(cell), inner.width(), 2):
                painter.drawText(QRect(inner.left(), y, inner.width(), small_metrics.height()),
                                 Qt.AlignLeft | Qt.AlignVCenter, line)
                y += small_metrics.height()
            y += 1

        # What is due: a count that says overdue or due soon in words, then as many references as fit.
        if cell.entries:
            count = len(cell.entries)
            if cell.overdue:
                headline, colour = f"! {count} overdue", COLOURS["overdue"]
            elif cell.due_soon:
                headline, colour = f"▲ {count} due soon", COLOURS["soon"]
            else:
                headline, colour = f"{count} due", muted
            headline_font = bold if (cell.overdue or cell.due_soon) else base
            headline_font, headline = fitted_headline(headline, headline_font, small, inner.width())
            painter.setFont(headline_font)
            painter.setPen(colour)
            painter.drawText(QRect(inner.left(), y, inner.width(), metrics.height()),
                             Qt.AlignLeft | Qt.AlignVCenter, headline)
            y += metrics.height() + 1
            painter.setFont(small)
            painter.setPen(muted)
            line_height = small_metrics.height()
            room = max(0, (inner.bottom() - y + 1) // line_height)
            shown = cell.entries if len(cell.entries) <= room else cell.entries[: max(0, room - 1)]
            for entry in shown:
                text = f"{entry.reference} {KIND_SHORT[entry.kind]}"
                if small_metrics.horizontalAdvance(text) > inner.width():
                    text = small_metrics.elidedText(entry.reference, Qt.ElideRight, inner.width())
                painter.drawText(QRect(inner.left(), y, inner.width(), line_height), Qt.AlignLeft | Qt.AlignVCenter,
                                 text)
                y += line_height
            if len(shown) < len(cell.entries) and room:
                painter.drawText(QRect(inner.left(), y, inner.width(), line_height), Qt.AlignLeft | Qt.AlignVCenter,
                                 f"+{len(cell.entries) - len(shown)} more")

        # Selection and keyboard focus: a thick border, so the shading stays visible.
        if option.state & QStyle.State_Selected:
            painter.setPen(QPen(COLOURS["today"], 3))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return QSize(120, 96)


class MonthView(QTableView):
    """The month grid: arrows move between days, Page Up/Down change month, Home goes to today."""

    month_step_requested = Signal(int)
    today_requested = Signal()
    day_activated = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key_PageUp:
            self.month_step_requested.emit(-1)
        elif key == Qt.Key_PageDown:
            self.month_step_requested.emit(1)
        elif key == Qt.Key_Home:
            self.today_requested.emit()
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            self.day_activated.emit()
        else:
            super().keyPressEvent(event)


class _DayList(QListWidget):
    """The selected day's cases; Enter opens one, as double-click does."""

    activated_item = Signal(QListWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentItem() is not None:
            self.activated_item.emit(self.currentItem())
            return
        super().keyPressEvent(event)


class CalendarPage(QWidget):
    """A month of deadlines; click a day to list its cases, double-click one to open it."""

    day_selected = Signal(object)  # dt.date

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.buckets: DeadlineBuckets | None = None
        self._stale = True
        today = ctx.today
        self.year, self.month = today.year, today.month
        self.selected_day: dt.date = today

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        self.title = QLabel("Deadline calendar")
        self.title.setObjectName("pageTitle")
        layout.addWidget(self.title)

        bar = QHBoxLayout()
        self.prev_button = QPushButton("◀  Previous")
        self.prev_button.setAccessibleName("Previous month")
        self.prev_button.setToolTip("Previous month (Page Up)")
        self.month_label = QLabel()
        self.month_label.setObjectName("calendarMonth")
        font = self.month_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.month_label.setFont(font)
        self.month_label.setMinimumWidth(190)
        self.month_label.setAlignment(Qt.AlignCenter)
        self.month_label.setAccessibleName("Month shown")
        self.next_button = QPushButton("Next  ▶")
        self.next_button.setAccessibleName("Next month")
        self.next_button.setToolTip("Next month (Page Down)")
        self.today_button = QPushButton("Today")
        self.today_button.setAccessibleName("Go to today")
        self.today_button.setToolTip("Back to today (Home)")
        self.summary = QLabel()
        self.summary.setObjectName("pageSummary")
        self.summary.setAccessibleName("Month summary")
        bar.addWidget(self.prev_button)
        bar.addWidget(self.month_label)
        bar.addWidget(self.next_button)
        bar.addSpacing(12)
        bar.addWidget(self.today_button)
        bar.addSpacing(18)
        bar.addWidget(self.summary, 1)
        layout.addLayout(bar)

        self.model = MonthModel(self)
        self.view = MonthView()
        self.view.setObjectName("monthGrid")
        self.view.setAccessibleName("Deadline calendar month")
        self.view.setAccessibleDescription(
            "Arrow keys move between days, Page Up and Page Down change month, Home goes to today, "
            "Enter moves to the day's cases.")
        self.view.setModel(self.model)
        self.view.setItemDelegate(DayDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.view.horizontalHeader().setHighlightSections(False)
        self.view.setMinimumSize(7 * 96, 6 * 84)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        self.day_heading = QLabel()
        self.day_heading.setObjectName("sectionTitle")
        heading_font = self.day_heading.font()
        heading_font.setBold(True)
        self.day_heading.setFont(heading_font)
        self.day_heading.setWordWrap(True)
        self.day_heading.setAccessibleName("Selected day")
        self.day_note = QLabel()
        self.day_note.setWordWrap(True)
        self.day_note.setAccessibleName("About the selected day")
        self.day_list = _DayList()
        self.day_list.setObjectName("dayCases")
        self.day_list.setAccessibleName("Cases due on the selected day")
        self.day_list.setAlternatingRowColors(True)
        self.day_list.setWordWrap(True)  # a narrow side panel (small laptop, 200% scale) wraps, never scrolls sideways
        self.day_list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.day_list.setResizeMode(QListView.Adjust)
        self.open_button = QPushButton("Open case")
        self.open_button.setAccessibleName("Open the selected case")
        self.open_button.setEnabled(False)
        side_layout.addWidget(self.day_heading)
        side_layout.addWidget(self.day_note)
        side_layout.addWidget(self.day_list, 1)
        side_layout.addWidget(self.open_button, 0, Qt.AlignRight)

        splitter = QSplitter(Qt.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([800, 300])
        layout.addWidget(splitter, 1)

        legend = QLabel(
            "Shading: <span style='background:#fbe3bf'>&nbsp;bank holiday (named)&nbsp;</span> "
            "<span style='background:#e3dcf3'>&nbsp;office closed (named)&nbsp;</span> "
            "<span style='background:#e4e7eb'>&nbsp;weekend&nbsp;</span>"
            "&nbsp;&nbsp; <b>! overdue</b> &nbsp; <b>▲ due within 5 working days</b>")
        legend.setObjectName("calendarLegend")
        legend.setAccessibleName("Key to the calendar")
        layout.addWidget(legend)

        for widget_a, widget_b in ((self.prev_button, self.next_button), (self.next_button, self.today_button),
                                   (self.today_button, self.view), (self.view, self.day_list),
                                   (self.day_list, self.open_button)):
            QWidget.setTabOrder(widget_a, widget_b)

        self.prev_button.clicked.connect(lambda: self.step_month(-1))
        self.next_button.clicked.connect(lambda: self.step_month(1))
        self.today_button.clicked.connect(self.go_today)
        self.view.month_step_requested.connect(self.step_month)
        self.view.today_requested.connect(self.go_today)
        self.view.day_activated.connect(self._on_day_activated)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.day_list.itemDoubleClicked.connect(self._on_case_activated)
        self.day_list.activated_item.connect(self._on_case_activated)
        self.day_list.currentItemChanged.connect(lambda item, _old: self.open_button.setEnabled(
            item is not None and bool(item.data(REFERENCE_ROLE))))
        self.open_button.clicked.connect(self._on_open_clicked)
        ctx.cases_changed.connect(self._on_data_changed)
        ctx.settings_changed.connect(self._on_data_changed)
        # Deadlines are read when the page is first shown (or refresh() is called), not at start-up:
        # with a large register that work should not delay the main window's first paint.
        self.month_label.setText(f"{MONTHS[self.month - 1]} {self.year}")

    # --- data ----------------------------------------------------------

    def refresh(self) -> None:
        """Work out every deadline again (after a change of cases or closure days) and redraw."""
        self.buckets = DeadlineBuckets.load(self.ctx)
        self._stale = False
        self.show_month(self.year, self.month, self.selected_day)

    def _on_data_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # refreshed when next shown: no work for a page nobody is looking at

    def showEvent(self, event) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    # --- navigation ----------------------------------------------------

    def ensure_loaded(self) -> None:
        if self._stale or self.buckets is None:
            self.refresh()

    def show_month(self, year: int, month: int, select: dt.date | None = None) -> None:
        """Show a month from the buckets (no database work unless never loaded) and select a day in it."""
        if self.buckets is None:
            self.year, self.month = year, month
            self.selected_day = select or self.selected_day
            self.refresh()
            return
        self.year, self.month = year, month
        self.model.set_month(self.buckets, year, month)
        self.month_label.setText(f"{MONTHS[month - 1]} {year}")
        total, overdue = self.buckets.month_totals(year, month)
        tail = f", {overdue} of them overdue" if overdue else ""
        self.summary.setText(f"{plural(total, 'deadline')} and actions due in {MONTHS[month - 1]}{tail}.")
        if select is None or (select.year, select.month) != (year, month):
            today = self.ctx.today
            select = today if (today.year, today.month) == (year, month) else dt.date(year, month, 1)
        self.select_day(select)

    def step_month(self, step: int) -> None:
        month_index = self.year * 12 + (self.month - 1) + step
        year, month = divmod(month_index, 12)
        month += 1
        if not 1990 <= year <= 2079:
            return
        day = min(self.selected_day.day, pycalendar.monthrange(year, month)[1])
        self.show_month(year, month, dt.date(year, month, day))

    def go_today(self) -> None:
        today = self.ctx.today
        self.show_month(today.year, today.month, today)
        self.view.setFocus()

    def select_day(self, day: dt.date) -> None:
        index = self.model.index_of(day)
        if index.isValid():
            self.view.setCurrentIndex(index)
        self._show_day(day)

    def _on_current_changed(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        cell = self.model.cell_at(index)
        if cell is None:
            return
        if not cell.in_month:
            # A day of the month before or after: go to that month with the day selected (once this signal is done).
            day = cell.day
            QTimer.singleShot(0, lambda: self.show_month(day.year, day.month, day))
            return
        self._show_day(cell.day)

    def _show_day(self, day: dt.date) -> None:
        self.selected_day = day
        cell = self.buckets.cell(day) if self.buckets else DayCell(day, True)
        self.day_heading.setText(uk_date_long(day) + ("  (today)" if cell.is_today else ""))
        notes = []
        if cell.off_kind == "bank":
            notes.append(f"Bank holiday: {cell.off_name}. Not a working day.")
        elif cell.off_kind == "closure":
            notes.append(f"Office closed: {cell.off_name}. Not a working day.")
        elif cell.off_kind == "weekend":
            notes.append("Weekend. Not a working day.")
        if cell.entries:
            state = "overdue" if cell.overdue else "due soon" if cell.due_soon else "due"
            notes.append(f"{plural(len(cell.entries), 'thing')} {state}.")
        else:
            notes.append("Nothing due.")
        self.day_note.setText(" ".join(notes))
        self.day_list.clear()
        for entry in cell.entries:
            mark = "! Overdue: " if cell.overdue else ""
            handler = f" · {entry.handler}" if entry.handler else ""
            item = QListWidgetItem(f"{mark}{entry.reference}  {entry.what}\n{entry.resident}{handler}")
            item.setData(REFERENCE_ROLE, entry.reference)
            item.setToolTip(f"{entry.what}, due {uk_date(entry.due)}. Double-click or Enter to open the case.")
            if cell.overdue:
                item.setForeground(COLOURS["overdue"])
            self.day_list.addItem(item)
        if self.day_list.count():
            self.day_list.setCurrentRow(0)
        else:  # an empty white box reads as broken; say so in words, as an item nobody can open
            quiet = QListWidgetItem("No deadlines or actions fall due on this day.")
            quiet.setFlags(Qt.NoItemFlags)
            self.day_list.addItem(quiet)
        self.open_button.setEnabled(bool(cell.entries))
        self.view.setAccessibleDescription(cell.summary())
        self.day_selected.emit(day)

    def references_on(self, day: dt.date) -> list[str]:
        """The references due on a day (for tests and the main window)."""
        self.ensure_loaded()
        return [e.reference for e in self.buckets.by_day.get(day, [])]

    def listed_references(self) -> list[str]:
        refs = (self.day_list.item(i).data(REFERENCE_ROLE) for i in range(self.day_list.count()))
        return [ref for ref in refs if ref]

    def _on_day_activated(self) -> None:
        if self.listed_references():
            self.day_list.setFocus()

    def _on_case_activated(self, item: QListWidgetItem) -> None:
        reference = item.data(REFERENCE_ROLE)
        if reference:
            self.ctx.case_opened.emit(reference)

    def _on_open_clicked(self) -> None:
        item = self.day_list.currentItem()
        if item is not None:
            self._on_case_activated(item)
