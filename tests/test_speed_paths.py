"""The fast paths found by the benchmarks (issue 9) give exactly what the slow ones gave.

A search reads its first rows and its count rather than every sorted id; the working calendar is kept until
the database changes; a case is found by its exact reference on the index before the case-blind scan; opening
the desktop app skips building the command-line parser."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

TODAY = dt.date(2026, 11, 20)
COUNT = 3000


@pytest.fixture(scope="module")
def register_db(tmp_path_factory):
    from seed import seed_cases

    from hoscase.store import Store

    path = tmp_path_factory.mktemp("speed") / "register.sqlite3"
    with Store(path) as store:
        seed_cases(store, COUNT, TODAY)
    return path


@pytest.fixture
def register_store(register_db):
    from hoscase.store import Store

    store = Store(register_db)
    yield store
    store.close()


FILTERS = [{}, {"search": "B-"}, {"search": "b-20"}, {"search": "B-2024-0"}, {"search": "mould"}, {"search": "mo"},
           {"search": "Zielinski Ludlow"}, {"search": "X-1999-0"}, {"search": "zzqqx"}, {"status": "closed"},
           {"status": "closed", "search": "mo"}, {"category": "Repairs"}, {"year": 2023},
           {"handler": "Tom Evans"}, {"stage": 1, "search": "noise"}]
SORTS = [("received", True), ("received", False), ("reference", False), ("status", True), ("resident_name", True),
         ("handler", False)]


@pytest.mark.parametrize("full_under", [3000, 10])
@pytest.mark.parametrize("filters", FILTERS)
def test_first_rows_and_count_match_the_full_query(register_store, monkeypatch, filters, full_under):
    from hoscase.store import register

    monkeypatch.setattr(register, "FULL_UNDER", full_under)  # 10: the windowed, index-walking plans run
    for sort in SORTS:
        full = register_store.register_ids_quick(filters, *sort)
        first, total = register_store.register_window(filters, *sort, limit=50)
        assert total == len(full), (filters, sort)
        assert first == full[:len(first)], (filters, sort)
        assert len(first) >= min(50, total)


def test_model_shows_the_first_rows_at_once_and_reads_the_rest_on_demand(qtbot, register_db, monkeypatch):
    from hoscase.gui.context import AppContext
    from hoscase.gui.models import case_table
    from hoscase.store import Store, register

    monkeypatch.setattr(register, "FULL_UNDER", 10)
    with Store(register_db) as store:
        ctx = AppContext(store, today=TODAY)
        model = case_table.CaseTableModel(ctx)
        model.set_filters({"search": "B-"})
        expected = store.register_ids_quick({"search": "B-"})
        assert model.rowCount() == len(expected) == COUNT
        assert not model.complete
        assert model.index(0, 0).data() == store.register_rows(expected[:1])[0]["reference"]
        last = model.index(COUNT - 1, case_table.COLUMN_INDEX["reference"]).data()  # scrolled to the end
        assert model.complete
        assert last == store.register_rows(expected[-1:])[0]["reference"]
        assert model.ids == expected
        model.set_filters({"search": "B-2"})
        assert not model.complete and model.ids == store.register_ids_quick({"search": "B-2"}) and model.complete


def test_model_starts_again_when_the_register_changed_before_the_rest_was_read(qtbot, register_db, monkeypatch):
    from hoscase.gui.context import AppContext
    from hoscase.gui.models import case_table
    from hoscase.store import Store, register

    monkeypatch.setattr(register, "FULL_UNDER", 10)
    with Store(register_db) as store:
        ctx = AppContext(store, today=TODAY)
        model = case_table.CaseTableModel(ctx)
        model.set_filters({"search": "B-"})
        first = model._ids[0]
        row = store.case_row_by_id(first)
        try:
            with store.transaction():
                store.update_case(first, {"reference": "Z-1999-0001"})  # no longer matches "B-"
            with qtbot.waitSignal(model.modelReset, timeout=2000):
                model.index(COUNT - 1, 0).data()  # reading past the first rows finds the change
            assert model.rowCount() == COUNT - 1
            assert first not in model.ids
        finally:
            with store.transaction():
                store.update_case(first, {"reference": row["reference"]})


def test_cases_page_year_choices_come_from_the_oldest_case(qtbot, register_store):
    from hoscase.gui.context import AppContext
    from hoscase.gui.pages.cases import CasesPage
    from hoscase.years import year_label, year_of

    page = CasesPage(AppContext(register_store, today=TODAY))
    qtbot.addWidget(page)
    page.refresh()
    oldest = dt.date.fromisoformat(register_store.oldest_received())
    years = [page.year_filter.itemData(i) for i in range(1, page.year_filter.count())]
    assert years == list(range(year_of(TODAY), year_of(oldest) - 1, -1))
    assert page.year_filter.itemText(len(years)) == year_label(year_of(oldest))


def test_calendar_is_kept_until_the_database_changes(tmp_path):
    from hoscase.cases import CaseService
    from hoscase.store import Store

    path = tmp_path / "calendar.sqlite3"
    store = Store(path)
    service = CaseService(store, who="test", today=TODAY)
    calendar = service.calendar
    assert service.calendar is calendar  # nothing written: not read again
    with store.transaction():
        store.put_closure_day("2026-12-29", "Office closed")
    assert dt.date(2026, 12, 29) in service.calendar.closures
    with Store(path) as other:  # another connection (the command line while the app is open)
        with other.transaction():
            other.delete_closure_day("2026-12-29")
    assert dt.date(2026, 12, 29) not in service.calendar.closures
    store.close()


def test_case_row_finds_the_exact_reference_and_any_case(tmp_path):
    from hoscase.cases import CaseService
    from hoscase.store import Store

    with Store(tmp_path / "ref.sqlite3") as store:
        service = CaseService(store, who="test", today=TODAY)
        with store.transaction():
            store.put_handler("Priya Shah", "Complaints Officer")
        case = service.add_case(resident_name="A Resident", address="1 Street", received="2026-11-02",
                                channel="phone", category="Repairs", definition="A leak", handler="Priya Shah")
        assert store.case_row(case.reference)["id"] == case.id
        assert store.case_row(case.reference.lower())["id"] == case.id
        assert store.case_row("C-1999-9999") is None


def test_query_gives_dicts_and_names_repeated_columns_apart(tmp_path):
    from hoscase.store import Store

    with Store(tmp_path / "q.sqlite3") as store:
        assert store.query("SELECT 1 AS a, 2 AS b") == [{"a": 1, "b": 2}]
        assert store.query("SELECT 1 AS a, 2 AS a") == [{"a": 1, "a_2": 2}]
        assert store.query("SELECT 1 AS a WHERE 0") == []
        with pytest.raises(ValueError):
            store.query("CREATE TABLE t (x)")


@pytest.mark.parametrize(("argv", "db"), [([], None), (["--db", "x.sqlite3"], "x.sqlite3"),
                                          (["--db=y.sqlite3"], "y.sqlite3")])
def test_opening_the_app_skips_the_command_parser(monkeypatch, argv, db):
    import hoscase.cli as cli
    import hoscase.gui.app as app

    opened = []
    monkeypatch.setattr(app, "run_app", lambda path: opened.append(path) or 0)
    monkeypatch.setattr(cli, "build_parser", lambda: pytest.fail("the GUI launch built the parser"))
    assert cli.main(argv) == 0
    assert opened == [db]


def test_anything_else_still_goes_through_the_parser(capsys):
    from hoscase.cli import main

    assert main(["--db"]) == 2
    assert "expected one argument" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "workdays" in capsys.readouterr().out
    assert main(["--db", "x.sqlite3", "workdays", "add", "2025-12-20", "5"]) == 0
    assert "2025-12-30" in capsys.readouterr().out
