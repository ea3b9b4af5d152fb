"""Importing cases from CSV and XLSX: every row checked first, nothing half-imported, and the export round trip."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from hoscase.cli import main
from hoscase.demo import build_demo
from hoscase.errors import HoscaseError
from hoscase.figures import annual_figures
from hoscase.importer import COLUMNS, IMPORTED_EXTENSION_REASON, check_file, export_cases, import_cases, write_template

TODAY = dt.date(2026, 11, 20)
HEADER = ",".join(COLUMNS)


def row(**values) -> dict:
    base = {"resident": "Ann Example", "address": "1 Mill Terrace, Ludlow", "received": "2025-06-02",
            "channel": "phone", "category": "Repairs", "definition": "The tap leaks.", "handler": "Priya Shah"}
    base.update(values)
    return base


def write_csv(path, rows: list[dict], columns=COLUMNS, encoding="utf-8") -> None:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow(r)


GOOD = [
    row(reference="OLD-1", acknowledged="2025-06-03", responded="17/06/2025", decision="upheld", compensation="50"),
    row(reference="OLD-2", received="03/06/2025", acknowledged="2025-06-04", responded="2025-06-20",
        decision="Partly upheld", stage2_requested="2025-06-25", stage2_handler="Grace Okafor",
        stage2_acknowledged="2025-06-26", stage2_responded="2025-07-24", stage2_decision="not upheld"),
    row(reference="", received="2025-08-04", refused_on="2025-08-05", refusal_reason="over-12-months"),
    row(reference="", received="2025-09-01", acknowledged="2025-09-02", extension_working_days="5",
        address="Flat 2\nThe Almshouses\nLudlow", resident="Zoë Kowalski"),
]


def test_happy_path(store, tmp_path):
    path = tmp_path / "cases.csv"
    write_csv(path, GOOD)
    result = import_cases(store, path, today=TODAY, who="Test Officer")
    assert result.ok and result.imported, result.errors
    assert store.count_cases() == 4
    from hoscase.cases import CaseService

    service = CaseService(store, who="x", today=TODAY)
    one = service.get("OLD-1")
    assert one.status == "stage1-responded"
    assert one.stages[1].responded == dt.date(2025, 6, 17)
    assert one.remedies[0]["kind"] == "compensation" and one.remedies[0]["amount_pence"] == 5000
    two = service.get("OLD-2")
    assert two.status == "stage2-responded"
    assert two.stages[1].decision == "partly-upheld" and two.stages[2].decision == "not-upheld"
    assert two.stages[2].handler == "Grace Okafor"
    refused = service.get("C-2025-0001")
    assert refused.status == "refused" and refused.refusal_reason == "over-12-months"
    open_case = service.get("C-2025-0002")
    assert open_case.status == "stage1-awaiting-response"
    assert open_case.address == "Flat 2\nThe Almshouses\nLudlow"
    assert open_case.resident_name == "Zoë Kowalski"
    assert open_case.stages[1].extension_working_days == 5
    history = service.history("OLD-1")
    assert history[0]["action"] == "imported" and "cases.csv row 2" in history[0]["new"]
    figures = annual_figures(service, 2025)
    assert figures["stage1"]["received"] == 3 and figures["refused"] == 1
    assert figures["stage2"]["responded"] == 1


def test_dry_run_writes_nothing(store, tmp_path):
    path = tmp_path / "cases.csv"
    write_csv(path, GOOD)
    result = import_cases(store, path, today=TODAY, dry_run=True)
    assert result.ok and not result.imported
    assert len(result.cases) == 4
    assert "would be imported" in result.summary()
    assert store.count_cases() == 0


BAD_ROWS = [
    (row(received="31/02/2025"), "received", "not a real date"),
    (row(received="2027-01-01"), "received", "in the future"),
    (row(received=""), "received", "is required"),
    (row(resident=""), "resident", "is required"),
    (row(acknowledged="2025-06-01"), "acknowledged", "before the date received"),
    (row(acknowledged="2025-06-05", responded="2025-06-04", decision="upheld"), "responded", "before the acknowledgement"),
    (row(responded="2025-06-10"), "decision", "needs a decision"),
    (row(responded="2025-06-10", decision="mostly"), "decision", "is not a decision"),
    (row(decision="upheld"), "responded", "no response date"),
    (row(responded="2025-06-10", decision="upheld", stage2_requested="2025-06-12", stage2_handler="priya shah"),
     "stage2_handler", "must not be the person who handled stage 1"),
    (row(stage2_requested="2025-06-12"), "stage2_requested", "after the stage 1 response"),
    (row(stage2_handler="Grace Okafor"), "stage2_handler", "stage2_requested"),
    (row(extension_working_days="five"), "extension_working_days", "not a whole number"),
    (row(extension_working_days="500"), "extension_working_days", "not credible"),
    (row(refused_on="2025-06-05"), "refusal_reason", "needs the reason"),
    (row(refused_on="2025-06-05", refusal_reason="bored"), "refusal_reason", "not a refusal reason"),
    (row(refused_on="2025-06-05", refusal_reason="other", responded="2025-06-10", decision="upheld"), "refused_on",
     "cannot also be refused"),
    (row(compensation="lots", responded="2025-06-10", decision="upheld"), "compensation", "not an amount"),
    (row(compensation="10"), "compensation", "no response date"),
    (row(received="5/6/25"), "received", "not a real date"),
]


@pytest.mark.parametrize("bad, column, message", BAD_ROWS)
def test_each_kind_of_bad_row_is_named_by_row_and_column(store, tmp_path, bad, column, message):
    path = tmp_path / "cases.csv"
    write_csv(path, [row(reference="OK-1"), bad, row(reference="OK-2")])
    result = import_cases(store, path, today=TODAY)
    assert not result.ok and not result.imported
    assert any(e.row == 3 and e.column == column and message in e.message for e in result.errors), result.errors
    assert all(e.row == 3 for e in result.errors), result.errors
    assert store.count_cases() == 0  # nothing half-imported


def test_duplicate_and_existing_references(store, new_case, tmp_path):
    new_case(reference="C-1")
    path = tmp_path / "cases.csv"
    write_csv(path, [row(reference="c-1"), row(reference="X-9"), row(reference="x-9")])
    result = import_cases(store, path, today=TODAY)
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "already exists" in messages[(2, "reference")]
    assert "also used on row 3" in messages[(4, "reference")]
    assert store.count_cases() == 1


def test_many_bad_rows_all_reported(store, tmp_path):
    path = tmp_path / "cases.csv"
    rows = [row() for _ in range(50)]
    rows[10]["received"] = "garbage"
    rows[40]["channel"] = ""
    write_csv(path, rows)
    result = import_cases(store, path, today=TODAY)
    assert result.bad_rows() == [12, 42]
    assert store.count_cases() == 0


def test_missing_required_column_is_named(store, tmp_path):
    path = tmp_path / "cases.csv"
    write_csv(path, [row()], columns=[c for c in COLUMNS if c != "category"])
    result = check_file(store, path, TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(1, "category")]
    assert "missing" in str(result.errors[0])


def test_header_any_order_any_case_and_unknown_columns(store, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("Definition,RECEIVED,Resident,Address,Channel,Category,Notes\n"
                    "Tap leaks,2025-06-02,Ann,1 Mill Terrace,Phone,Repairs,ignored\n", encoding="utf-8")
    result = import_cases(store, path, today=TODAY)
    assert result.ok, result.errors
    assert any("notes" in n.lower() for n in result.notes)
    assert store.count_cases() == 1


def test_utf8_bom(store, tmp_path):
    path = tmp_path / "bom.csv"
    write_csv(path, [row(resident="Siobhán O'Brien")], encoding="utf-8-sig")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    result = import_cases(store, path, today=TODAY)
    assert result.ok, result.errors
    assert result.cases[0]["resident_name"] == "Siobhán O'Brien"
    assert not result.notes


def test_cp1252_fallback_with_a_note(store, tmp_path):
    path = tmp_path / "excel.csv"
    write_csv(path, [row(resident="Siobhán O'Brien", definition="Rent £20 too high")], encoding="cp1252")
    result = import_cases(store, path, today=TODAY)
    assert result.ok, result.errors
    assert result.cases[0]["resident_name"] == "Siobhán O'Brien"
    assert result.cases[0]["definition"] == "Rent £20 too high"
    assert any("Windows-1252" in n for n in result.notes)


def test_semicolon_separated(store, tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("resident;address;received;channel;category;definition\nAnn;1 Mill;02/06/2025;phone;Repairs;x\n",
                    encoding="utf-8")
    assert import_cases(store, path, today=TODAY).ok


def test_huge_field_is_a_clear_error(store, tmp_path):
    path = tmp_path / "huge.csv"
    write_csv(path, [row(), row(definition="x" * 200_000)])
    result = import_cases(store, path, today=TODAY)
    assert not result.ok
    assert result.errors[0].row == 3
    assert "longer than" in result.errors[0].message
    assert store.count_cases() == 0
    write_csv(path, [row(definition="x" * 120_000)])
    result = import_cases(store, path, today=TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(2, "definition")]
    assert "too long" in result.errors[0].message


def test_empty_files(store, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(HoscaseError, match="empty"):
        check_file(store, empty, TODAY)
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n", encoding="utf-8")
    with pytest.raises(HoscaseError, match="empty"):
        check_file(store, blank, TODAY)
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER + "\n", encoding="utf-8")
    result = check_file(store, header_only, TODAY)
    assert not result.ok and "no cases" in result.errors[0].message
    doc = tmp_path / "x.doc"
    doc.write_text("x", encoding="utf-8")
    with pytest.raises(HoscaseError, match=".csv or .xlsx"):
        check_file(store, doc, TODAY)


def test_not_really_an_xlsx(store, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(HoscaseError, match="not a readable .xlsx"):
        check_file(store, path, TODAY)


def test_xlsx_with_real_date_cells(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Reference", "Resident", "Address", "Received", "Channel", "Category", "Definition", "Acknowledged",
               "Responded", "Decision", "Compensation"])
    ws.append(["X-1", "Ann", "1 Mill", dt.datetime(2025, 6, 2), "phone", "Repairs", "Tap", dt.date(2025, 6, 3),
               dt.datetime(2025, 6, 17), "upheld", 75.5])
    ws.append([None] * 11)  # a blank row is skipped
    ws.append([1001, "Ben", "2 Mill", "02/06/2025", "email", "Repairs", "Door", None, None, None, None])
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    result = import_cases(store, path, today=TODAY)
    assert result.ok, result.errors
    assert [c["reference"] for c in result.cases] == ["X-1", "1001"]
    assert result.cases[0]["compensation_pence"] == 7550
    assert result.cases[0]["stage1"]["responded"] == dt.date(2025, 6, 17)


def test_xlsx_errors_use_sheet_row_numbers(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    ws.append(["A-1", "Ann", "1 Mill", "2025-06-02", "phone", "Repairs", "Tap"])
    ws.append(["A-2", "Ben", "2 Mill", "2031-06-02", "phone", "Repairs", "Tap"])
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    result = import_cases(store, path, today=TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(3, "received")]


def test_extension_over_the_limit_is_imported_with_a_warning(store, tmp_path):
    path = tmp_path / "cases.csv"
    write_csv(path, [row(reference="E-1", acknowledged="2025-06-03", extension_working_days="15")])
    result = import_cases(store, path, today=TODAY)
    assert result.ok and result.warnings and "over the Code's limit of 10" in result.warnings[0]
    from hoscase.cases import CaseService

    case = CaseService(store, today=TODAY).get("E-1")
    assert case.stages[1].extensions[0]["good_reason"] == 1
    assert case.stages[1].extensions[0]["reason"] == IMPORTED_EXTENSION_REASON


def test_round_trip_csv_and_xlsx(store, tmp_path):
    from hoscase.store import Store

    build_demo(store, today=TODAY, cases=60)
    for suffix in (".csv", ".xlsx"):
        first = tmp_path / f"first{suffix}"
        assert export_cases(store, first) == 60
        target = Store(tmp_path / f"copy{suffix}.sqlite3")
        try:
            result = import_cases(target, first, today=TODAY)
            assert result.ok, result.errors[:5]
            second = tmp_path / f"second{suffix}"
            export_cases(target, second)
        finally:
            target.close()
        if suffix == ".csv":
            assert first.read_bytes() == second.read_bytes()
        else:
            a = list(load_workbook(first, read_only=True).active.iter_rows(values_only=True))
            b = list(load_workbook(second, read_only=True).active.iter_rows(values_only=True))
            assert a == b and len(a) == 61


def test_export_neutralises_formulas_and_import_restores_them(store, new_case, tmp_path):
    new_case(reference="F-1", resident_name="=HYPERLINK(\"http://x\")", address="+44 road", definition="@SUM(1)")
    out = tmp_path / "out.csv"
    export_cases(store, out)
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+44 road" in text and "'@SUM(1)" in text
    xlsx = tmp_path / "out.xlsx"
    export_cases(store, xlsx)
    ws = load_workbook(xlsx).active
    cell = ws.cell(2, 2)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"
    from hoscase.store import Store

    target = Store(tmp_path / "t.sqlite3")
    try:
        result = import_cases(target, out, today=TODAY)
        assert result.ok, result.errors
        assert result.cases[0]["resident_name"] == "=HYPERLINK(\"http://x\")"
    finally:
        target.close()


def test_template(tmp_path, store):
    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"
    write_template(csv_path)
    write_template(xlsx_path)
    assert csv_path.read_text(encoding="utf-8-sig").strip() == HEADER
    wb = load_workbook(xlsx_path)
    assert [c.value for c in wb["Cases"][1]] == list(COLUMNS)
    assert wb["How to fill it in"].cell(2, 1).value == "reference"


def test_cli_import_export(db_path, tmp_path, capsys, store):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    write_csv(good, GOOD)
    write_csv(bad, [row(), row(received="2025-13-01")])
    assert main(["--db", str(db_path), "import", "cases", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 3, column received" in err and "nothing was imported" in err
    assert main(["--db", str(db_path), "import", "cases", str(good), "--dry-run"]) == 0
    assert "4 cases would be imported" in capsys.readouterr().out
    assert store.count_cases() == 0
    assert main(["--db", str(db_path), "import", "cases", str(good)]) == 0
    assert "4 cases imported" in capsys.readouterr().out
    assert store.count_cases() == 4
    out = tmp_path / "all.xlsx"
    assert main(["--db", str(db_path), "export", "cases", "-o", str(out)]) == 0
    assert load_workbook(out).active.max_row == 5
    assert main(["import", "template", "-o", str(tmp_path / "t.csv")]) == 0
    assert main(["--db", str(db_path), "import", "cases", str(tmp_path / "missing.csv")]) == 2


def test_big_import_keeps_the_search_index(store, tmp_path, new_case):
    """Over 2,000 rows the search index is rebuilt once; the trigger must be back afterwards."""
    from hoscase.store.transfer import FTS_BULK_FROM

    new_case(reference="BEFORE-1", resident_name="Olga Nowak")
    path = tmp_path / "big.csv"
    write_csv(path, [row(reference=f"BIG-{i}", resident=f"Resident{i} Zieliński") for i in range(FTS_BULK_FROM + 10)])
    result = import_cases(store, path, today=TODAY)
    assert result.ok and result.imported
    assert len(store.register_ids({"search": "Resident1717"})) == 1
    assert len(store.register_ids({"search": "zielinski"})) == FTS_BULK_FROM + 10
    assert len(store.register_ids({"search": "Nowak"})) == 1
    new_case(reference="AFTER-1", resident_name="Kofi Mensah")  # the per-row trigger works again
    assert len(store.register_ids({"search": "Mensah"})) == 1


def test_import_into_a_database_with_cases_backs_it_up_first(store, new_case, tmp_path):
    new_case()
    path = tmp_path / "more.csv"
    write_csv(path, GOOD[:1])
    result = import_cases(store, path, today=TODAY, who="Test Officer")
    assert result.imported
    backups = list((store.path.parent / "backups").rglob("*before-import*"))
    assert len(backups) == 1
