"""Writing CSV and XLSX that a spreadsheet cannot turn into formulas (CSV/formula injection).

A resident's name or a free-text field that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return, which some spreadsheets skip before looking) would be run as a formula when the
export is opened, and a formula can fetch URLs or run commands. Every text cell of every export
goes through ``safe_cell``, which puts an apostrophe in front: the spreadsheet shows the text as
typed. Numbers, dates and booleans are left alone so totals still add up.

openpyxl reads XLSX through defusedxml when it is installed (it is a dependency), which stops
XML entity attacks in files someone else made.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """The value to write in a cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def _private(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)


def write_csv(path: Path | str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """A UTF-8 CSV (with a byte-order mark so Excel reads accents right), every cell made safe."""
    path = Path(path)
    _private(path)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(safe_row(header))
        for row in rows:
            writer.writerow(safe_row("" if v is None else v for v in row))
    return path


def write_xlsx(path: Path | str, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> Path:
    """An XLSX with one sheet per entry ({title: (header, rows)}), every text cell made safe and stored as text."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        sheet.append(safe_row(header))
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, dt.datetime):
                    value = value.replace(tzinfo=None)
                cells.append(safe_cell(value))
            sheet.append(cells)
        for column in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
            for cell in column:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
        for index, name in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(60, len(str(name)) + 4))
    _private(path)
    book.save(path)
    return path
