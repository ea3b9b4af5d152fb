"""Settings and Reports on a small screen (800x600): one column instead of a sideways scroll, no widget drawn over
another, and the submission deadline shown whole."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QBoxLayout, QFormLayout, QGroupBox, QWidget


def _demo_window(qtbot, tmp_path):
    import subprocess
    import sys

    from hoscase.gui.context import AppContext
    from hoscase.gui.main_window import MainWindow
    from hoscase.store import Store

    db = tmp_path / "demo.sqlite3"
    subprocess.run([sys.executable, "-m", "hoscase", "--db", str(db), "init", "--demo"], check=True,
                   capture_output=True)
    ctx = AppContext(Store(db, create=False), data_folder=tmp_path)
    window = MainWindow(ctx, QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    window.resize(800, 600)
    window.show()
    qtbot.waitExposed(window)
    return window


def _rect(widget: QWidget, page: QWidget) -> QRect:
    return QRect(widget.mapTo(page, widget.rect().topLeft()), widget.size())


def test_settings_at_800x600_has_one_column_and_nothing_overlaps(qtbot, tmp_path):
    window = _demo_window(qtbot, tmp_path)
    page = window.show_page("settings")
    qtbot.wait(50)
    assert not page.scroll.horizontalScrollBar().isVisible()  # no sideways scrolling
    assert page.scroll.widget().width() <= page.scroll.viewport().width()
    groups = [g for g in page.scroll.widget().findChildren(QGroupBox) if g.isVisibleTo(page)]
    assert len(groups) == 6
    for a, b in itertools.combinations(groups, 2):
        assert not _rect(a, page).intersects(_rect(b, page)), (a.title(), b.title())
    checked = 0
    for group in groups:
        layout = group.layout()
        widgets = []
        if isinstance(layout, QFormLayout):
            for row in range(layout.rowCount()):
                for role in (QFormLayout.LabelRole, QFormLayout.FieldRole):
                    item = layout.itemAt(row, role)
                    if item is not None and item.widget() is not None and item.widget().isVisibleTo(page):
                        widgets.append(item.widget())
        else:
            widgets = [w for w in group.findChildren(QWidget) if w.parentWidget() is group and w.isVisibleTo(page)]
        for w in widgets:  # inside its own group box, not spilling out of it
            assert _rect(group, page).contains(_rect(w, page)), (group.title(), w.accessibleName() or w)
        for a, b in itertools.combinations(widgets, 2):
            ra, rb = _rect(a, page), _rect(b, page)
            assert not ra.intersects(rb), (group.title(), a.accessibleName() or a, ra, b.accessibleName() or b, rb)
            checked += 1
    assert checked > 100
    # The closure-day row sits side by side, each at least its own size.
    for w in (page.closure_date, page.closure_name, page.add_closure_button, page.logo_preview, page.logo_button):
        assert w.width() >= w.minimumSizeHint().width() and w.height() >= w.minimumSizeHint().height()
    assert page.scroll.widget().layout().direction() == QBoxLayout.TopToBottom
    window.resize(1280, 800)
    qtbot.wait(50)
    assert page.scroll.widget().layout().direction() == QBoxLayout.LeftToRight


def test_reports_at_800x600_shows_the_whole_submission_deadline(qtbot, tmp_path):
    window = _demo_window(qtbot, tmp_path)
    page = window.show_page("reports")
    qtbot.wait(50)
    label = page.due_label
    assert label.text() and label.isVisible()
    assert label.height() >= label.heightForWidth(label.width())  # every wrapped line shown
    assert label.width() > 500  # its own row, not squeezed beside the year box
    top = _rect(label, page)
    assert top.bottom() < _rect(page.figures_table, page).top()
