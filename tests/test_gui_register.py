"""The case register over a big database: ids only up front, display rows fetched a page at a time as they
come into view, sorting and filtering by SQL, overdue marked in words as well as colour."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from hoscase.gui.format import uk_date

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

TODAY = dt.date(2026, 11, 20)
COUNT = 5000


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    from seed import seed_cases

    from hoscase.store import Store

    path = tmp_path_factory.mktemp("register") / "big.sqlite3"
    with Store(path) as store:
        seed_cases(store, COUNT, TODAY)
    return path


@pytest.fixture
def big_ctx(big_db):
    from hoscase.gui.context import AppContext
    from hoscase.store import Store

    store = Store(big_db)
    yield AppContext(store, today=TODAY)
    store.close()


def test_model_reads_only_the_rows_in_view(qtbot, big_ctx):
    from hoscase.gui.models.case_table import COLUMN_INDEX, PAGE_SIZE, CaseTableModel

    model = CaseTableModel(big_ctx)
    model.reload()
    assert model.rowCount() == COUNT
    assert model.rows_fetched == 0  # the id query alone reads no display rows

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)
    assert 0 < model.rows_fetched <= PAGE_SIZE

    view.scrollToBottom()
    qtbot.wait(20)
    assert model.rows_fetched <= 2 * PAGE_SIZE  # the first page and the last, nothing between
    oldest = big_ctx.store.register_rows([model.ids[-1]])[0]
    assert model.index(COUNT - 1, COLUMN_INDEX["reference"]).data() == oldest["reference"]
    assert model.index(COUNT - 1, COLUMN_INDEX["received"]).data() == uk_date(oldest["received"])

    for row in range(0, COUNT, PAGE_SIZE):  # each page is read once while it stays cached
        model.index(row, 0).data()
    assert model.rows_fetched == COUNT

    # The cache is bounded: with room for 5 pages, going back to the top reads the first page again.
    model.cache_pages = 5
    model.reload()
    for row in range(0, COUNT, PAGE_SIZE):
        model.index(row, 0).data()
    assert model.cached_pages == 5 and model.rows_fetched == 2 * COUNT
    before = model.rows_fetched
    model.index(0, 0).data()
    assert model.rows_fetched == before + PAGE_SIZE


def test_sort_and_filter_are_done_by_the_database(qtbot, big_ctx):
    from hoscase.gui.models.case_table import COLUMN_INDEX, CaseTableModel

    model = CaseTableModel(big_ctx)
    model.reload()
    model.sort(COLUMN_INDEX["reference"], Qt.AscendingOrder)
    refs = [model.index(row, COLUMN_INDEX["reference"]).data() for row in range(50)]
    assert refs == sorted(refs)
    assert model.rows_fetched <= 400

    model.set_filters({"search": "Zielinski"})  # diacritics need not be typed
    expected = big_ctx.store.register_ids({"search": "Zielinski"})
    assert 0 < model.rowCount() == len(expected) < COUNT
    assert all("Zieliński" in model.index(row, COLUMN_INDEX["resident_name"]).data()
               for row in range(min(model.rowCount(), 30)))

    model.set_filters({"status": "stage1-awaiting-acknowledgement"})
    assert model.rowCount() == len(big_ctx.store.register_ids({"status": "stage1-awaiting-acknowledgement"})) > 0
    assert {model.index(row, COLUMN_INDEX["next_step"]).data() for row in range(model.rowCount())} == {"Acknowledge"}

    # Due is worked out for the rows shown, and an overdue one says so in words, not only colour.
    overdue_rows = [row for row in range(model.rowCount()) if model.index(row, 0).data(Qt.UserRole + 2)]
    assert overdue_rows, "the seed has overdue open cases"
    due_cell = model.index(overdue_rows[0], COLUMN_INDEX["due"])
    assert due_cell.data().startswith("Overdue · ")
    assert due_cell.data(Qt.ForegroundRole) is not None and due_cell.data(Qt.DecorationRole) is not None
    on_time = [row for row in range(model.rowCount()) if not model.index(row, 0).data(Qt.UserRole + 2)]
    for row in on_time[:5]:
        assert "Overdue" not in model.index(row, COLUMN_INDEX["due"]).data()


def test_cases_page_searches_as_you_type_and_filters(qtbot, big_ctx):
    from hoscase.gui.pages.cases import CasesPage
    from hoscase.years import year_label

    page = CasesPage(big_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.refresh()
    assert page.model.rowCount() == COUNT
    assert page.count_label.text() == f"{COUNT:,} cases"
    # Financial years run from the oldest case's year to this one.
    assert page.year_filter.itemText(1) == year_label(2026)
    assert page.year_filter.count() >= 10

    with qtbot.waitSignal(page.model.modelReset, timeout=1000):
        qtbot.keyClicks(page.search, "mould")
    assert page.model.rowCount() == len(big_ctx.store.register_ids({"search": "mould"}))
    assert page.count_label.text().startswith(f"{page.model.rowCount():,} of {COUNT:,}")

    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == COUNT, timeout=1000)
    page.year_filter.setCurrentIndex(page.year_filter.findData(2025))
    expected = big_ctx.store.register_ids({"year": 2025})
    assert page.model.rowCount() == len(expected)
    received = page.model.index(0, 7).data()
    day = dt.datetime.strptime(received, "%d %b %Y").date()
    assert dt.date(2025, 4, 1) <= day < dt.date(2026, 4, 1)

    # Sorting by clicking a header re-queries; a derived column (Due) cannot be sorted and keeps the old order.
    header = page.table.horizontalHeader()
    header.setSortIndicator(0, Qt.AscendingOrder)
    assert page.model.sort_key == "reference" and not page.model.descending
    header.setSortIndicator(9, Qt.AscendingOrder)
    assert page.model.sort_key == "reference" and header.sortIndicatorSection() == 0

    # Enter on a row opens that case.
    opened = []
    big_ctx.case_opened.connect(opened.append)
    page.table.setFocus()
    page.table.selectRow(2)
    qtbot.keyClick(page.table, Qt.Key_Return)
    assert opened == [page.model.reference_at(2)]


@pytest.mark.parametrize("filters", [
    {}, {"search": "mould"}, {"search": "B-2024-00"}, {"search": "b-2019"}, {"search": "Zielinski Ludlow"},
    {"status": "closed", "year": 2023}, {"category": "Repairs", "search": "tap"}, {"handler": "Tom Evans"},
    {"stage": 1, "search": "noise"}, {"search": "X-1999-0"},
])
@pytest.mark.parametrize("sort", [("received", True), ("reference", False), ("resident_name", True), ("handler", False)])
def test_quick_register_query_matches_the_full_one(big_ctx, filters, sort):
    store = big_ctx.store
    assert store.register_ids_quick(filters, *sort) == store.register_ids(filters, *sort)
