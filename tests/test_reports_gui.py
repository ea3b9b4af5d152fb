"""The Reports page offscreen: figures shown, narratives saved per year, reports written and cases imported off
the GUI thread, and the import preview."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from pypdf import PdfReader
from reports_support import make_year_cases

from hoscase.importer import COLUMNS, check_file

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def ctx(store):
    from hoscase.gui.context import AppContext

    return AppContext(store, today=TODAY)


@pytest.fixture
def page(qtbot, ctx):
    from hoscase.gui.pages.reports import ReportsPage

    widget = ReportsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    return widget


def _cell(page, row: int, col: int) -> str:
    return page.figures_table.item(row, col).text()


def _wait(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.busy(), timeout=20_000)


def test_page_shows_the_years_figures(page, ctx, new_case):
    make_year_cases(ctx.service, new_case, ctx.store)
    page.refresh()
    years = [page.year_box.itemData(i) for i in range(page.year_box.count())]
    assert years == [2026, 2025, 2024]
    assert page.year == 2025  # the last complete year is the one a report is usually for
    assert _cell(page, 0, 0) == "Complaints received"
    assert (_cell(page, 0, 1), _cell(page, 0, 2)) == ("5", "1")
    assert _cell(page, 4, 1) == "80.0%"
    assert "Housing Ombudsman" in page.due_label.text()
    page.year_box.setCurrentIndex(years.index(2024))
    assert page.year == 2024 and _cell(page, 0, 1) == "1"


def test_narratives_saved_per_year(page, ctx, new_case):
    make_year_cases(ctx.service, new_case, ctx.store)
    page.refresh()
    assert not page.save_button.isEnabled()
    page.editors["introduction"].setPlainText("Our introduction for 2025/26.")
    assert page.save_button.isEnabled()
    page.year_box.setCurrentIndex(page.year_box.findData(2024))  # switching year saves what was typed
    assert ctx.store.report_narratives(2025)["introduction"] == "Our introduction for 2025/26."
    assert page.editors["introduction"].toPlainText() == ""
    page.editors["themes"].setPlainText("Themes of 2024/25.")
    page.save_button.click()
    assert ctx.store.report_narratives(2024)["themes"] == "Themes of 2024/25."
    page.year_box.setCurrentIndex(page.year_box.findData(2025))
    assert page.editors["introduction"].toPlainText() == "Our introduction for 2025/26."


def test_reports_written_off_the_gui_thread(qtbot, page, ctx, new_case, tmp_path):
    make_year_cases(ctx.service, new_case, ctx.store)
    page.refresh()
    page.editors["governing_body_response"].setPlainText("The board welcomed the report.")
    pdf = tmp_path / "annual.pdf"
    with qtbot.waitSignal(page.report_written, timeout=20_000):
        page.write_annual_pdf(pdf)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).split())
    assert "The board welcomed the report." in text and "80.0%" in text
    xlsx = tmp_path / "figures.xlsx"
    with qtbot.waitSignal(page.report_written, timeout=20_000):
        page.write_annual_xlsx(xlsx)
    quarterly = tmp_path / "q1.pdf"
    with qtbot.waitSignal(page.report_written, timeout=20_000):
        page.write_quarterly_pdf(1, quarterly)
    assert xlsx.stat().st_size > 0 and quarterly.read_bytes()[:5] == b"%PDF-"
    assert "Wrote" in page.status.text()


def _csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


GOOD_ROW = {"reference": "IMP-1", "resident": "Ann", "address": "1 Mill", "received": "2025-06-02",
            "channel": "phone", "category": "Repairs", "definition": "Tap"}


def test_import_flow(qtbot, page, ctx, tmp_path):
    page.refresh()
    path = tmp_path / "cases.csv"
    _csv(path, [GOOD_ROW, {**GOOD_ROW, "reference": "IMP-2", "received": "03/06/2025"}])
    seen = []
    with qtbot.waitSignal(page.cases_imported, timeout=20_000) as blocker:
        page.import_file(path, confirm=lambda result: seen.append(result) or True)
    assert blocker.args == [2]
    assert seen[0].ok and len(seen[0].cases) == 2
    assert ctx.store.count_cases() == 2
    assert "2 cases imported" in page.status.text()


def test_import_refused_or_declined_writes_nothing(qtbot, page, ctx, tmp_path):
    page.refresh()
    bad = tmp_path / "bad.csv"
    _csv(bad, [GOOD_ROW, {**GOOD_ROW, "reference": "IMP-2", "received": "2031-01-01"}])
    page.import_file(bad, confirm=lambda result: True)
    _wait(qtbot, page)
    assert ctx.store.count_cases() == 0
    assert "nothing was imported" in page.status.text()
    good = tmp_path / "good.csv"
    _csv(good, [GOOD_ROW])
    page.import_file(good, confirm=lambda result: False)  # the officer pressed Cancel in the preview
    _wait(qtbot, page)
    assert ctx.store.count_cases() == 0


def test_template_and_export(qtbot, page, ctx, new_case, tmp_path):
    new_case(reference="EXP-1")
    page.refresh()
    template = tmp_path / "template.xlsx"
    page.write_template(template)
    assert template.exists()
    out = tmp_path / "all.csv"
    with qtbot.waitSignal(page.report_written, timeout=20_000):
        page.export_cases(out)
    assert "EXP-1" in out.read_text(encoding="utf-8-sig")


def test_preview_dialog(qtbot, store, tmp_path):
    from hoscase.gui.dialogs.import_preview import ImportPreviewDialog

    good = tmp_path / "good.csv"
    _csv(good, [GOOD_ROW])
    dialog = ImportPreviewDialog(check_file(store, good, TODAY))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.import_button.isVisible() and dialog.import_button.text() == "Import 1 case"
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "IMP-1"
    bad = tmp_path / "bad.csv"
    _csv(bad, [{**GOOD_ROW, "received": "yesterday"}])
    dialog = ImportPreviewDialog(check_file(store, bad, TODAY))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.import_button.isVisible()
    assert [dialog.table.item(0, c).text() for c in range(2)] == ["2", "received"]
    assert "Nothing can be imported" in dialog.summary.text()


def test_figures_recounted_when_cases_change(qtbot, page, ctx, new_case):
    new_case(received="2025-06-02")
    page.refresh()
    assert _cell(page, 0, 1) == "1"
    new_case(received="2025-07-01")
    ctx.cases_changed.emit()  # the page is hidden: recounted when next shown
    assert _cell(page, 0, 1) == "1"
    page.show()
    qtbot.waitExposed(page)
    assert _cell(page, 0, 1) == "2"
    new_case(received="2025-08-01")
    ctx.cases_changed.emit()  # on screen: recounted at once
    assert _cell(page, 0, 1) == "3"
