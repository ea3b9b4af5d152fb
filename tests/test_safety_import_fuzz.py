"""Fuzzed imports: whatever file arrives, the import either brings in every row exactly or nothing at all,
with a clean message — never a crash, never half a spreadsheet in the register."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoscase.errors import HoscaseError
from hoscase.importer import import_cases
from hoscase.store import Store

TODAY = dt.date(2026, 11, 20)
HEADER = "resident,address,received,channel,category,definition"


def _rows(n: int, name: str = "Siobhán O'Brien") -> list[str]:
    return [f'"{name} {i}","{i} Mill Terrace",2026-10-0{1 + i % 9},phone,Repairs,"Tap leaking, case {i}"'
            for i in range(n)]


def _state(store: Store) -> tuple:
    return (store.count_cases(), store.conn.execute("SELECT COUNT(*) FROM stages").fetchone()[0],
            store.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0])


def _import(store: Store, path) -> tuple[str, object]:
    """('error', message) for a clean refusal, ('ok', result) for a complete import; anything else fails."""
    before = _state(store)
    try:
        result = import_cases(store, path, today=TODAY, who="fuzz")
    except HoscaseError as exc:
        assert _state(store) == before, "a refused import changed the database"
        return "error", str(exc)
    if not result.imported:
        assert result.errors, "nothing imported and no reason given"
        assert _state(store) == before, "a refused import changed the database"
        return "error", result.summary()
    cases, stages, history = _state(store)
    assert cases - before[0] == len(result.cases)
    assert stages - before[1] >= len(result.cases) and history > before[2]
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return "ok", result


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "fuzz.sqlite3")
    yield s
    s.close()


def test_bom_and_cp1252_and_embedded_newlines_come_in_exactly(store, tmp_path):
    text = HEADER + "\r\n" + '"Zoë Kowalski","4 Mill Terrace",2026-10-01,phone,Repairs,"Line one\nLine two"\r\n'
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert _import(store, bom)[0] == "ok"
    cp = tmp_path / "cp1252.csv"
    cp.write_bytes(text.replace("Zoë", "Renée").encode("cp1252"))
    kind, result = _import(store, cp)
    assert kind == "ok" and any("Windows-1252" in n for n in result.notes)
    names = {r["resident_name"]: r["definition"] for r in store.query("SELECT resident_name, definition FROM cases")}
    assert names == {"Zoë Kowalski": "Line one\nLine two", "Renée Kowalski": "Line one\nLine two"}


def test_one_bad_row_at_the_end_means_nothing_is_imported(store, tmp_path):
    path = tmp_path / "bad-end.csv"
    path.write_text("\n".join([HEADER, *_rows(50), '"Last","1 Row",2026-02-30,phone,Repairs,"Tap"']) + "\n",
                    encoding="utf-8")
    kind, message = _import(store, path)
    assert kind == "error" and store.count_cases() == 0


def test_huge_field_is_refused_cleanly(store, tmp_path):
    path = tmp_path / "huge-field.csv"
    path.write_text("\n".join([HEADER, *_rows(3), f'"Big","1 Row",2026-10-01,phone,Repairs,"{"x" * 300_000}"']),
                    encoding="utf-8")
    assert _import(store, path)[0] == "error" and store.count_cases() == 0


def test_a_100_mb_file_is_refused_cleanly_and_nothing_is_imported(store, tmp_path):
    path = tmp_path / "big.csv"
    row = '"Ann Example","1 Mill Terrace",2026-10-01,phone,Repairs,"' + "y" * 1000 + '"\n'
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        handle.write(row * 5)
        handle.write('"Broken","1 Row",2026-10-01,phone,Repairs,"' + "z" * (100 * 1024 * 1024) + '"\n')
        handle.write(row * 5)
    assert path.stat().st_size > 100 * 1024 * 1024
    kind, message = _import(store, path)
    assert kind == "error" and store.count_cases() == 0
    assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("content", [
    b"",
    b"\x00\x01\x02binary" * 100,
    b"PK\x03\x04not really a zip" * 50,
    b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;'>]><x>&b;</x>",
])
def test_malformed_xlsx_is_refused_cleanly(store, tmp_path, content):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    assert _import(store, path)[0] == "error" and store.count_cases() == 0


def _valid_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_truncated_and_entity_bomb_xlsx_are_refused_cleanly(store, tmp_path):
    good = _valid_xlsx([["Ann", "1 Row", "2026-10-01", "phone", "Repairs", "Tap"]])
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert _import(store, path)[0] == "error"
    # A billion-laughs entity bomb inside a real workbook's sheet: defusedxml stops it.
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>" + data.replace(
                    b"<v>", b"<v>&b;", 1)
            dst.writestr(item, data)
    kind, _ = _import(store, bomb)
    assert kind == "error" and store.count_cases() == 0


# --- fuzzing ----------------------------------------------------------------------------------------------------

BASE = ("\n".join([HEADER, *_rows(6)]) + "\n").encode("utf-8")
mutation = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, len(BASE)), st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("delete"), st.integers(0, len(BASE)), st.integers(1, 20)),
    st.tuples(st.just("text"), st.integers(0, len(BASE)),
              st.sampled_from(['"', '""', "\n", "\r", ",", ";", "\t", "\ufeff", "é", "=cmd|' /C calc'!A0", "\x00",
                               "2026-13-45", "\u202e", "😀" * 50, "x" * 5000])),
)


def _mutate(data: bytes, steps) -> bytes:
    for step in steps:
        kind, at = step[0], min(step[1], len(data))
        if kind == "insert":
            data = data[:at] + step[2] + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + step[2]:]
        else:
            data = data[:at] + step[2].encode("utf-8") + data[at:]
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(mutation, min_size=1, max_size=6), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_mutated_csv_imports_whole_or_not_at_all(store, tmp_path, steps, encoding):
    data = BASE
    if encoding != "utf-8":
        data = BASE.decode("utf-8").encode(encoding)
    data = _mutate(data, steps)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    kind, outcome = _import(store, path)
    if kind == "ok":
        # What was imported reads back: every imported case is there with its stage 1 and history.
        for item in outcome.cases:
            row = store.query("SELECT id FROM cases WHERE resident_name = ? AND received = ?",
                              (item["resident_name"], item["received"].isoformat()))
            assert row, item["resident_name"]
    check = sqlite3.connect(str(store.path))
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        check.close()
