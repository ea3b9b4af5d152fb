"""The main window: navigation on the left, one page at a time, and one window per open case."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QStackedWidget, QWidget

import hoscase
from hoscase.errors import HoscaseError
from hoscase.gui.format import plural, uk_date
from hoscase.gui.main_window_form import Ui_MainWindowBody
from hoscase.gui.pages.placeholder import ComingLaterPage
from hoscase.gui.widgets import child, fit_to_screen

if TYPE_CHECKING:  # imported when first used: the case window and its dialogs cost a launch about 50 ms
    from hoscase.gui.case_window import CaseWindow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    module: str
    cls: str


PAGES = (
    PageSpec("worklist", "Work list", "hoscase.gui.pages.worklist", "WorkListPage"),
    PageSpec("cases", "Cases", "hoscase.gui.pages.cases", "CasesPage"),
    PageSpec("calendar", "Calendar", "hoscase.gui.pages.calendar", "CalendarPage"),
    PageSpec("service_requests", "Service requests", "hoscase.gui.pages.service_requests", "ServiceRequestsPage"),
    PageSpec("selfassessment", "Self-assessment", "hoscase.gui.pages.selfassessment", "SelfAssessmentPage"),
    PageSpec("reports", "Reports", "hoscase.gui.pages.reports", "ReportsPage"),
    PageSpec("settings", "Settings", "hoscase.gui.pages.settings", "SettingsPage"),
    PageSpec("data", "Backups & data", "hoscase.gui.pages.data", "DataPage"),
)
PAGE_KEYS = tuple(p.key for p in PAGES)


class MainWindow(QMainWindow):
    def __init__(self, ctx, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings if settings is not None else QSettings()
        self.pages: dict[str, QWidget] = {}
        self.case_windows: dict[str, CaseWindow] = {}
        self._stale: set[str] = set()
        self._overdue_at = -1
        self.setObjectName("mainWindow")
        self.setWindowTitle(self._title())

        self.body = QWidget(self)  # ui/main_window.ui, compiled: QUiLoader's first use costs a launch 35-40 ms
        Ui_MainWindowBody().setupUi(self.body)
        self.setCentralWidget(self.body)
        self.nav: QListWidget = child(self.body, QListWidget, "navList")
        self.stack: QStackedWidget = child(self.body, QStackedWidget, "pages")
        self.nav.setObjectName("navList")
        for number, spec in enumerate(PAGES, start=1):
            item = QListWidgetItem(spec.label)
            item.setData(Qt.UserRole, spec.key)
            item.setToolTip(f"{spec.label} (Ctrl+{number})")
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # a stand-in until the page is first shown
        self.nav.currentRowChanged.connect(self._on_nav_changed)

        self._build_menus()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.counts_label.setAccessibleName("Open and overdue cases")
        self.statusBar().addPermanentWidget(self.counts_label)

        ctx.cases_changed.connect(self._on_data_changed)
        ctx.settings_changed.connect(self._on_data_changed)
        ctx.case_opened.connect(self.open_case)
        ctx.page_requested.connect(self.show_page)

        fit_to_screen(self, 1280, 800)
        geometry = self.settings.value("main_window/geometry")
        if geometry:
            self.restoreGeometry(geometry)
        state = self.settings.value("main_window/state")
        if state:
            self.restoreState(state)
        start = self.settings.value("main_window/page", "worklist")
        self.show_page(start if start in PAGE_KEYS else "worklist")
        self._update_counts()

    def _title(self) -> str:
        organisation = self.ctx.store.get_setting("organisation") or {}
        name = organisation.get("name") if isinstance(organisation, dict) else None
        return f"{name} — hoscase" if name else "hoscase"  # Qt adds the app's name unless it ends the title

    # --- menus ---------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_case_action = QAction("&New case…", self, shortcut=QKeySequence.New, triggered=self.new_case)
        self.new_case_action.setShortcutContext(Qt.ApplicationShortcut)
        file_menu.addAction(self.new_case_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.Quit, triggered=self.close)
        quit_action.setMenuRole(QAction.QuitRole)
        file_menu.addAction(quit_action)

        case_menu = bar.addMenu("&Case")
        self.find_action = QAction("&Find…", self, shortcut=QKeySequence.Find, triggered=self.find)
        self.next_overdue_action = QAction("Next &overdue", self, shortcut=QKeySequence(Qt.Key_F8),
                                           triggered=self.next_overdue)
        self.next_overdue_action.setShortcutContext(Qt.ApplicationShortcut)
        case_menu.addAction(self.find_action)
        case_menu.addAction(self.next_overdue_action)

        go_menu = bar.addMenu("&Go")
        for number, spec in enumerate(PAGES, start=1):
            action = QAction(spec.label, self, shortcut=QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, key=spec.key: self.go_to(key))
            go_menu.addAction(action)

        help_menu = bar.addMenu("&Help")
        self.guide_action = QAction("&User guide", self, shortcut=QKeySequence.HelpContents, triggered=self.user_guide)
        self.guide_action.setShortcutContext(Qt.ApplicationShortcut)
        help_menu.addAction(self.guide_action)
        help_menu.addSeparator()
        about = QAction("&About hoscase", self, triggered=self.about)
        about.setMenuRole(QAction.AboutRole)
        help_menu.addAction(about)

    # --- pages ---------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page for ``key``, made on first use; a calm panel if its module is not there yet."""
        if key in self.pages:
            return self.pages[key]
        index = PAGE_KEYS.index(key)
        spec = PAGES[index]
        page = self._make_page(spec)
        old = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(old)
        old.deleteLater()
        self.pages[key] = page
        if key == "cases":
            page.new_case_requested.connect(self.new_case)
        return page

    def _make_page(self, spec: PageSpec) -> QWidget:
        try:
            module = importlib.import_module(spec.module)
            cls = getattr(module, spec.cls)
        except ImportError as exc:
            log.info("page %s not available: %s", spec.key, exc)
            return ComingLaterPage(spec.label)
        except Exception as exc:  # noqa: BLE001 - one broken page must not stop the app
            log.exception("page %s failed to load", spec.key)
            return ComingLaterPage(spec.label, f"This part of the app could not be opened: {exc}")
        try:
            return cls(self.ctx)
        except HoscaseError as exc:
            return ComingLaterPage(spec.label, str(exc))
        except Exception as exc:  # noqa: BLE001
            log.exception("page %s failed to open", spec.key)
            return ComingLaterPage(spec.label, f"This part of the app could not be opened: {exc}")

    def current_page_key(self) -> str:
        return PAGE_KEYS[max(self.nav.currentRow(), 0)]

    def show_page(self, key: str) -> QWidget:
        index = PAGE_KEYS.index(key)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)  # comes back through _on_nav_changed
        else:
            self._on_nav_changed(index)
        return self.pages[key]

    def go_to(self, key: str) -> QWidget:
        """Show a page from the keyboard and put the focus in it, so the next key acts on the page (Enter opens
        the work list's first row) rather than on the navigation list."""
        page = self.show_page(key)
        target = page.focusProxy() or page.focusWidget() or page
        target.setFocus(Qt.ShortcutFocusReason)
        return page

    def _on_nav_changed(self, index: int) -> None:
        if index < 0:
            return
        key = PAGE_KEYS[index]
        fresh = key not in self.pages
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        # A page that fills itself when made (the work list) is not read twice at launch.
        if key in self._stale or (fresh and not getattr(page, "refreshed_when_made", False)):
            self._refresh(key)

    def _refresh(self, key: str) -> None:
        self._stale.discard(key)
        page = self.pages[key]
        try:
            page.refresh()
        except HoscaseError as exc:
            self.statusBar().showMessage(str(exc), 8000)

    def _on_data_changed(self) -> None:
        self._stale.update(self.pages)
        current = self.current_page_key()
        if current in self.pages:
            self._refresh(current)
        self.setWindowTitle(self._title())
        self._update_counts()

    def _update_counts(self) -> None:
        today = self.ctx.today
        worklist = self.pages.get("worklist")  # it has just read them, at launch: 7 ms at 100,000 cases
        deadlines = getattr(worklist, "open_deadlines", lambda: None)() or self.ctx.service.open_deadlines()
        overdue = sum(1 for row in deadlines if row["due"] < today)
        self.counts_label.setText(f"{plural(len(deadlines), 'open case')} · {overdue} overdue · today {uk_date(today)}")

    # --- commands ------------------------------------------------------

    def new_case(self) -> None:
        from hoscase.gui.dialogs.new_case import NewCaseDialog

        case, accepted = NewCaseDialog.create_case(self.ctx, self)
        if accepted and case is not None:
            self.statusBar().showMessage(f"Recorded {case.reference}", 6000)
            self.open_case(case.reference)

    def find(self) -> None:
        page = self.show_page("cases")
        page.focus_search()

    def overdue_references(self) -> list[str]:
        today = self.ctx.today
        return [row["reference"] for row in self.ctx.service.open_deadlines() if row["due"] < today]

    def next_overdue(self) -> str | None:
        """Open the next overdue case, most overdue first, going round."""
        refs = self.overdue_references()
        if not refs:
            self.statusBar().showMessage("Nothing is overdue.", 6000)
            return None
        self._overdue_at = (self._overdue_at + 1) % len(refs)
        reference = refs[self._overdue_at]
        if "worklist" in self.pages:
            self.pages["worklist"].select_reference(reference)
        self.statusBar().showMessage(f"Overdue {self._overdue_at + 1} of {len(refs)}: {reference}", 8000)
        self.open_case(reference)
        return reference

    def open_case(self, reference: str) -> CaseWindow | None:
        """The case's window, raised if it is already open."""
        known = {ref.casefold(): ref for ref in self.case_windows}
        existing = self.case_windows.get(known.get(reference.casefold(), ""))
        if existing is not None:
            existing.showNormal()
            existing.raise_()
            existing.activateWindow()
            return existing
        from hoscase.gui.case_window import CaseWindow

        try:
            window = CaseWindow(self.ctx, reference, None, self.settings)
        except HoscaseError as exc:
            QMessageBox.warning(self, "Open case", str(exc))
            return None
        self.case_windows[window.reference] = window
        window.closed.connect(self._on_case_window_closed)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _on_case_window_closed(self, reference: str) -> None:
        self.case_windows.pop(reference, None)

    def user_guide(self) -> None:
        from hoscase.gui.help import show_user_guide

        show_user_guide(self)

    def about(self) -> None:
        QMessageBox.about(
            self, "About hoscase",
            f"<h3>hoscase {hoscase.__version__}</h3>"
            "<p>Complaint handling for small social landlords in England, to the Housing Ombudsman's "
            f"Complaint Handling Code ({hoscase.CODE_EDITION} edition).</p>"
            "<p>Everything stays in one file on this computer; the app makes no network connection.</p>"
            "<p>Licence: GPL-3.0-or-later. This is free software: you may share and change it under the "
            "terms of the GNU General Public License, version 3 or later.</p>"
            f"<p>Database: {self.ctx.store.path}</p>",
        )

    # --- closing -------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for window in list(self.case_windows.values()):
            if not window.close():  # it asks about unsaved edits; Cancel keeps everything open
                event.ignore()
                return
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.setValue("main_window/page", self.current_page_key())
        self.settings.sync()
        event.accept()
