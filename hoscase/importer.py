"""Bringing cases in from a spreadsheet (CSV or XLSX) and taking every case out again in the same columns.

Every row is checked first, by the same rules the CaseService applies to a case entered by hand (dates real, in
order and not in the future; a stage 2 not handled by the stage 1 handler; a known decision and refusal reason).
If any row is wrong nothing is imported, and the report names each bad row (as numbered in the spreadsheet,
header = row 1), the column and why. A good file is written in one transaction, in bulk, with an "imported"
history entry per case.

Decisions the officer should know about:

- An extension over the Code's limit (10 working days at stage 1, 20 at stage 2) cannot have been agreed without
  a good reason, but a spreadsheet has no column for it. Such a row is imported, the extension recorded as having
  a good reason with the note "Imported: over the Code's limit; the reason was not in the spreadsheet", and the
  import lists it as a warning so the officer can record the real reason. Refusing the row would lose history
  that happened; recording it silently would hide a breach.
- A blank reference gets the next reference for the year received (e.g. C-2025-0042).
- Imported stages keep their recorded dates; the case's status follows from them (e.g. responded at stage 1 ->
  "Stage 1: responded"; closed_on -> closed; withdrawn_on -> withdrawn). closed_on and withdrawn_on come after
  the issue's columns so that an export of every case comes back as it left: without them a withdrawn case would
  return as open and overdue.
- compensation is recorded as a financial remedy on the last stage responded to.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from hoscase.cases import MAX_TEXT, parse_money
from hoscase.errors import HoscaseError
from hoscase.rules import DECISIONS, REFUSAL_REASONS, TIMESCALES
from hoscase.workdays import FIRST_YEAR, LAST_YEAR

COLUMNS = (
    "reference", "resident", "address", "received", "channel", "category", "definition", "handler",
    "acknowledged", "extension_working_days", "responded", "decision", "stage2_requested", "stage2_handler",
    "stage2_acknowledged", "stage2_extension_working_days", "stage2_responded", "stage2_decision", "refused_on",
    "refusal_reason", "compensation", "closed_on", "withdrawn_on",
)
REQUIRED_COLUMNS = ("resident", "address", "received", "channel", "category", "definition")
COLUMN_HELP = {
    "reference": "Your case reference; leave blank for the next one (e.g. C-2025-0042)",
    "resident": "The resident's name (required)",
    "address": "The property address (required)",
    "received": "Date the stage 1 complaint was received (required): YYYY-MM-DD or DD/MM/YYYY",
    "channel": "How it was made: phone, email, letter, in person, online form… (required)",
    "category": "What it is about, e.g. Repairs (required)",
    "definition": "The complaint definition: what the complaint is about (required)",
    "handler": "Who handled stage 1",
    "acknowledged": "Date stage 1 was acknowledged",
    "extension_working_days": "Working days the stage 1 response was extended by (up to 10 without a good reason)",
    "responded": "Date of the stage 1 response",
    "decision": "Stage 1 decision: upheld, partly upheld or not upheld",
    "stage2_requested": "Date the resident asked to escalate to stage 2",
    "stage2_handler": "Who handled stage 2 (not the stage 1 handler)",
    "stage2_acknowledged": "Date stage 2 was acknowledged",
    "stage2_extension_working_days": "Working days the stage 2 response was extended by (up to 20)",
    "stage2_responded": "Date of the stage 2 (final) response",
    "stage2_decision": "Stage 2 decision: upheld, partly upheld or not upheld",
    "refused_on": "Date the complaint was not accepted (Code section 2)",
    "refusal_reason": "over-12-months, legal-proceedings, previously-considered or other",
    "compensation": "Compensation offered in pounds, e.g. 150.00",
    "closed_on": "Date the case was closed after its last response (leave blank if still open)",
    "withdrawn_on": "Date the resident withdrew the complaint, before the stage's response",
}
CHANNEL_NAMES = ("phone", "email", "letter", "in person", "online form", "social media", "representative")
MAX_ROWS = 1_000_000
MAX_FILE_BYTES = 500 * 1024 * 1024
_UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_FORMULA_START = "=+-@\t\r"
IMPORTED_EXTENSION_REASON = "Imported: over the Code's limit; the reason was not in the spreadsheet"


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return f"{where}, column {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class ImportResult:
    """What an import found (and, unless a dry run with errors, did)."""

    path: str
    rows: int = 0
    cases: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return (f"{len(self.errors)} problem{'s' if len(self.errors) != 1 else ''} in {len(self.bad_rows())} "
                    f"row{'s' if len(self.bad_rows()) != 1 else ''}: nothing was imported")
        stage2 = sum(1 for c in self.cases if c["stage2"])
        refused = sum(1 for c in self.cases if c["refused_on"])
        verb = "imported" if self.imported else "would be imported"
        return f"{len(self.cases):,} cases {verb} ({stage2:,} reached stage 2, {refused:,} not accepted)"

    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row})


# --- reading files ----------------------------------------------------------------------------------------------


def read_table(path: Path | str) -> tuple[list[str], Iterator[tuple[int, list[Any]]], list[str]]:
    """The header, the data rows as (spreadsheet row number, cells) and notes about how the file was read."""
    path = Path(path)
    if not path.is_file():
        raise HoscaseError(f"no file at {path}")
    size = path.stat().st_size
    if size == 0:
        raise HoscaseError(f"{path.name} is empty")
    if size > MAX_FILE_BYTES:
        raise HoscaseError(f"{path.name} is too large to import ({size // (1024 * 1024):,} MB)")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    raise HoscaseError(f"{path.name}: import reads .csv or .xlsx files")


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]], list[str]]:
    data = path.read_bytes()
    notes = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        notes.append(f"{path.name} is not UTF-8; it was read as Windows-1252 (Excel's usual CSV encoding). "
                     "Check names with accents in the preview.")
    if "\x00" in text:
        raise HoscaseError(f"{path.name} is not a text CSV file (it contains NUL bytes); save it as CSV UTF-8")
    if not text.strip():
        raise HoscaseError(f"{path.name} is empty")
    try:
        dialect = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    if delimiter != ",":
        notes.append(f"columns are separated by {'tabs' if delimiter == chr(9) else repr(delimiter)}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise HoscaseError(f"row 1: {_csv_problem(exc)}") from None
    except StopIteration:
        raise HoscaseError(f"{path.name} is empty") from None

    # An unclosed quotation mark swallows the rest of the file into one cell of the last row: name that, rather
    # than every column the row then seems to be missing. Quotes come in pairs in any well-formed CSV.
    unbalanced = text.count('"') % 2 == 1

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        pending: list[Any] | None = None
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                if pending is not None:
                    if unbalanced and len(pending) < len(header) and any('"' in c or "\n" in c or delimiter in c
                                                                         for c in pending):
                        raise _ReadError(number - 1, 'a quotation mark (") opened in this row is never closed, so '
                                                     "the rest of the file was read as one cell") from None
                    yield number - 1, pending
                return
            except csv.Error as exc:
                raise _ReadError(number, _csv_problem(exc)) from None
            if pending is not None:
                yield number - 1, pending
            pending = cells

    return header, rows(), notes


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters; the most a field may hold is {MAX_TEXT:,}"
    return f"the CSV cannot be read here ({text})"


class _ReadError(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]], list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise HoscaseError(f"{path.name} is not a readable .xlsx workbook ({type(exc).__name__})") from None
    ws = wb.worksheets[0]
    notes = [f"read the first sheet, {ws.title!r}"] if len(wb.worksheets) > 1 else []
    iterator = ws.iter_rows(values_only=True)
    header: list[str] | None = None
    number = 0
    for number, values in enumerate(iterator, start=1):  # noqa: B007 - number is used after the loop
        if values and any(v not in (None, "") for v in values):
            header = ["" if v is None else str(v) for v in values]
            break
    if header is None:
        wb.close()
        raise HoscaseError(f"{path.name} is empty")
    first = number

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for n, values in enumerate(iterator, start=first + 1):
                yield n, list(values)
        finally:
            wb.close()

    return header, rows(), notes


# --- checking ---------------------------------------------------------------------------------------------------


def _clean(value: Any) -> str:
    """A cell as text: numbers without '.0', a neutralising apostrophe (from our export) removed."""
    if value.__class__ is str:  # every CSV cell: the fast path
        text = value.strip()
        if text[:1] == "'" and len(text) > 1 and text[1] in _FORMULA_START:
            text = text[1:]
        return text
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(str(value))


class _Checker:
    def __init__(self, store: Any, today: dt.date) -> None:
        self.store = store
        self.today = today
        self.errors: list[RowError] = []

    def fail(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def text(self, row: int, cells: dict, column: str, required: bool = False) -> str:
        value = cells.get(column, "")
        if "\x00" in value:
            self.fail(row, column, "contains a NUL character")
            return ""
        if len(value) > MAX_TEXT:
            self.fail(row, column, f"is too long ({len(value):,} characters; the most is {MAX_TEXT:,})")
            return ""
        if required and not value:
            self.fail(row, column, "is required")
        return value

    def date(self, row: int, cells: dict, column: str, *, required: bool = False,
             not_before: tuple[str, dt.date | None] | None = None) -> dt.date | None:
        raw = cells.get(column, "")
        if not raw:
            if required:
                self.fail(row, column, "is required")
            return None
        day = parse_sheet_date(raw)
        if day is None:
            self.fail(row, column, f"{raw!r} is not a real date (use YYYY-MM-DD or DD/MM/YYYY)")
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR - 1:
            self.fail(row, column, f"{day.isoformat()} is outside the years the app handles")
            return None
        if day > self.today:
            self.fail(row, column, f"{day.isoformat()} is in the future")
            return None
        if not_before and not_before[1] and day < not_before[1]:
            self.fail(row, column, f"{day.isoformat()} is before {not_before[0]} {not_before[1].isoformat()}")
            return None
        return day

    def working_days(self, row: int, cells: dict, column: str, stage: int) -> int:
        raw = cells.get(column, "")
        if not raw:
            return 0
        try:
            days = int(raw)
        except ValueError:
            self.fail(row, column, f"{raw!r} is not a whole number of working days")
            return 0
        if days < 0:
            self.fail(row, column, "cannot be negative")
            return 0
        if days > 200:
            self.fail(row, column, f"an extension of {days} working days is not credible; check the number")
            return 0
        return days

    def decision(self, row: int, cells: dict, column: str) -> str | None:
        raw = cells.get(column, "")
        if not raw:
            return None
        key = raw.strip().lower().replace("_", "-").replace(" ", "-")
        key = {"partly": "partly-upheld", "partially-upheld": "partly-upheld", "partial": "partly-upheld",
               "not-up-held": "not-upheld", "notupheld": "not-upheld"}.get(key, key)
        if key not in DECISIONS:
            self.fail(row, column, f"{raw!r} is not a decision (upheld, partly upheld or not upheld)")
            return None
        return key


@lru_cache(maxsize=65536)  # a year's file repeats the same few hundred dates
def parse_sheet_date(text: str) -> dt.date | None:
    """An ISO date (a midnight time is allowed) or a UK day/month/year date; None if neither."""
    text = text.strip()
    match = _ISO_DATETIME.match(text)
    if match:
        text = match.group(1)
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else _uk_date(text)
    except ValueError:
        return None


def _uk_date(text: str) -> dt.date | None:
    match = _UK_DATE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) != 4:
        return None  # a two-digit year is ambiguous
    return dt.date(year, month, day)


def _refusal_key(raw: str) -> str | None:
    key = raw.strip().lower().replace("_", "-").replace(" ", "-")
    if key in REFUSAL_REASONS:
        return key
    for k, label in REFUSAL_REASONS.items():
        if raw.strip().lower() == label.lower():
            return k
    return None


def _header_map(header: list[Any]) -> tuple[dict[str, int], list[RowError], list[str]]:
    errors, notes, found = [], [], {}
    for i, name in enumerate(header):
        key = _clean(name).lower().strip().replace(" ", "_")
        if not key:
            continue
        if key in found:
            errors.append(RowError(1, key, "appears twice in the header row"))
        elif key in COLUMNS:
            found[key] = i
        else:
            notes.append(f"column {_clean(name)!r} is not one the import uses; it was ignored")
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    for column in missing:
        errors.append(RowError(1, column, "the required column is missing from the header row"))
    return found, errors, notes


def check_file(store: Any, path: Path | str, today: dt.date) -> ImportResult:
    """Read and check every row; nothing is written."""
    result = ImportResult(path=str(path))
    header, rows, notes = read_table(path)
    result.notes.extend(notes)
    columns, header_errors, header_notes = _header_map(header)
    result.notes.extend(header_notes)
    if header_errors:
        result.errors.extend(header_errors)
        return result
    checker = _Checker(store, today)
    existing = {ref.casefold() for ref in store.existing_references()}
    seen: dict[str, int] = {}
    try:
        for number, raw in rows:
            if not raw or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
                continue
            result.rows += 1
            if result.rows > MAX_ROWS:
                raise HoscaseError(f"{Path(path).name} has more than {MAX_ROWS:,} rows; split it into smaller files")
            cells = {col: _clean(raw[i]) if i < len(raw) else "" for col, i in columns.items()}
            case = _check_row(checker, number, cells, existing, seen)
            if case is not None:
                result.cases.append(case)
    except _ReadError as exc:
        checker.fail(exc.row, "", exc.message)
    result.errors.extend(checker.errors)
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, "", "the file has a header row but no cases below it"))
    for case in result.cases:
        for stage in (case["stage1"], case["stage2"]):
            if stage and stage["extension"] > TIMESCALES[stage["stage"]].extension:
                result.warnings.append(
                    f"row {case['row']}: the stage {stage['stage']} extension of {stage['extension']} working days "
                    f"is over the Code's limit of {TIMESCALES[stage['stage']].extension}; it is recorded as having a "
                    "good reason: record the actual reason on the case")
    return result


def _check_row(c: _Checker, n: int, cells: dict, existing: set[str], seen: dict[str, int]) -> dict | None:
    before = len(c.errors)
    reference = c.text(n, cells, "reference")
    if reference:
        key = reference.casefold()
        if key in existing:
            c.fail(n, "reference", f"a case with reference {reference} already exists")
        elif key in seen:
            c.fail(n, "reference", f"{reference} is also used on row {seen[key]}")
        else:
            seen[key] = n
    resident = c.text(n, cells, "resident", True)
    address = c.text(n, cells, "address", True)
    channel = c.text(n, cells, "channel", True)
    if channel.lower() in CHANNEL_NAMES:
        channel = channel.lower()
    category = c.text(n, cells, "category", True)
    definition = c.text(n, cells, "definition", True)
    handler = c.text(n, cells, "handler")
    received = c.date(n, cells, "received", required=True)
    acknowledged = c.date(n, cells, "acknowledged", not_before=("the date received", received))
    extension = c.working_days(n, cells, "extension_working_days", 1)
    responded = c.date(n, cells, "responded", not_before=("the acknowledgement", acknowledged) if acknowledged
                       else ("the date received", received))
    decision = c.decision(n, cells, "decision")
    if responded and not decision and "decision" not in _failed(c, n, before):
        c.fail(n, "decision", "a response date needs a decision (upheld, partly upheld or not upheld)")
    if decision and not cells.get("responded"):
        c.fail(n, "responded", "a decision is given but no response date")

    s2_fields = ("stage2_requested", "stage2_handler", "stage2_acknowledged", "stage2_extension_working_days",
                 "stage2_responded", "stage2_decision")
    stage2 = None
    requested = c.date(n, cells, "stage2_requested", not_before=("the stage 1 response", responded))
    s2_handler = c.text(n, cells, "stage2_handler")
    s2_ack = c.date(n, cells, "stage2_acknowledged", not_before=("the stage 2 request", requested))
    s2_extension = c.working_days(n, cells, "stage2_extension_working_days", 2)
    s2_responded = c.date(n, cells, "stage2_responded", not_before=("the stage 2 acknowledgement", s2_ack) if s2_ack
                          else ("the stage 2 request", requested))
    s2_decision = c.decision(n, cells, "stage2_decision")
    if cells.get("stage2_requested"):
        if not cells.get("responded"):
            c.fail(n, "stage2_requested", "stage 2 can only be requested after the stage 1 response")
        if s2_handler and handler and s2_handler.casefold() == handler.casefold():
            c.fail(n, "stage2_handler", f"the stage 2 handler must not be the person who handled stage 1 "
                                        f"({handler}) (Code 6.13)")
        if s2_responded and not s2_decision and "stage2_decision" not in _failed(c, n, before):
            c.fail(n, "stage2_decision", "a stage 2 response date needs a decision")
        if s2_decision and not cells.get("stage2_responded"):
            c.fail(n, "stage2_responded", "a stage 2 decision is given but no response date")
        if requested:
            stage2 = {"stage": 2, "received": requested, "handler": s2_handler, "acknowledged": s2_ack,
                      "extension": s2_extension, "responded": s2_responded, "decision": s2_decision}
    else:
        for column in s2_fields[1:]:
            if cells.get(column):
                c.fail(n, column, "is filled in but stage2_requested (the escalation date) is empty")

    refused_on = c.date(n, cells, "refused_on", not_before=("the date received", received))
    reason = None
    if cells.get("refusal_reason"):
        reason = _refusal_key(cells["refusal_reason"])
        if reason is None:
            c.fail(n, "refusal_reason", f"{cells['refusal_reason']!r} is not a refusal reason "
                                        f"({', '.join(REFUSAL_REASONS)})")
    if cells.get("refused_on"):
        if not cells.get("refusal_reason"):
            c.fail(n, "refusal_reason", "a refused complaint needs the reason (Code section 2)")
        if cells.get("responded"):
            c.fail(n, "refused_on", "a complaint that was responded to cannot also be refused")
        if cells.get("stage2_requested"):
            c.fail(n, "refused_on", "a refused complaint cannot have a stage 2")
    elif cells.get("refusal_reason"):
        c.fail(n, "refused_on", "a refusal reason is given but no refusal date")

    last = (stage2 or {}).get("responded") if cells.get("stage2_requested") else responded
    last_received = requested if cells.get("stage2_requested") else received
    closed_on = c.date(n, cells, "closed_on", not_before=("the last response", last))
    withdrawn_on = c.date(n, cells, "withdrawn_on", not_before=("the stage's receipt", last_received))
    if cells.get("closed_on"):
        if not cells.get("stage2_responded" if cells.get("stage2_requested") else "responded"):
            c.fail(n, "closed_on", "a case can only be closed after its response")
        if cells.get("refused_on") or cells.get("withdrawn_on"):
            c.fail(n, "closed_on", "a refused or withdrawn case is not also closed")
    if cells.get("withdrawn_on"):
        if cells.get("stage2_responded" if cells.get("stage2_requested") else "responded"):
            c.fail(n, "withdrawn_on", "the complaint was already responded to; withdrawal comes before the response")
        if cells.get("refused_on"):
            c.fail(n, "withdrawn_on", "a refused complaint cannot also be withdrawn")

    compensation = 0
    if cells.get("compensation"):
        try:
            compensation = parse_money(cells["compensation"])
        except HoscaseError as exc:
            c.fail(n, "compensation", str(exc))
        if compensation and not cells.get("responded"):
            c.fail(n, "compensation", "compensation is offered in a response, but there is no response date")

    if len(c.errors) > before:
        return None
    return {
        "row": n, "reference": reference, "resident_name": resident, "address": address, "received": received,
        "channel": channel, "category": category, "definition": definition,
        "stage1": {"stage": 1, "received": received, "handler": handler, "acknowledged": acknowledged,
                   "extension": extension, "responded": responded, "decision": decision},
        "stage2": stage2, "refused_on": refused_on, "refusal_reason": reason, "compensation_pence": compensation,
        "closed_on": closed_on, "withdrawn_on": withdrawn_on,
    }


def _failed(c: _Checker, row: int, since: int) -> set[str]:
    return {e.column for e in c.errors[since:] if e.row == row}


# --- writing ----------------------------------------------------------------------------------------------------


def import_cases(store: Any, path: Path | str, *, today: dt.date | None = None, who: str = "import",
                 dry_run: bool = False) -> ImportResult:
    """Check the file and, if every row is right and this is not a dry run, import it in one transaction."""
    today = today or dt.date.today()
    result = check_file(store, path, today)
    if result.errors or dry_run:
        return result
    if store.count_cases():  # an import touches many rows: keep a copy of what was there first
        from hoscase.safety.backup import backup_before

        backup_before(store, "import")
    _write(store, result, who)
    result.imported = True
    return result


def _write(store: Any, result: ImportResult, who: str) -> None:
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    source = Path(result.path).name
    prefix = store.get_setting("reference_prefix", "C") or "C"
    with store.transaction():
        next_number = _reference_counters(store.existing_references(), prefix)
        taken = {c["reference"].casefold() for c in result.cases if c["reference"]}
        case_id = store.max_case_id()
        cases, stages, extensions, remedies, history = [], [], [], [], []
        for item in result.cases:
            case_id += 1
            reference = item["reference"]
            if not reference:
                year = item["received"].year
                while True:
                    number = next_number.get(year, 1)
                    next_number[year] = number + 1
                    reference = f"{prefix}-{year}-{number:04d}"
                    if reference.casefold() not in taken:
                        break
                taken.add(reference.casefold())
            s1, s2 = item["stage1"], item["stage2"]
            cases.append({
                "id": case_id, "reference": reference, "resident_name": item["resident_name"],
                "address": item["address"], "channel": item["channel"], "category": item["category"],
                "received": item["received"].isoformat(), "definition": item["definition"],
                "status": imported_status(item), "refused_on": _iso(item["refused_on"]),
                "refusal_reason": item["refusal_reason"],
                "refusal_explanation": f"Imported from {source}" if item["refused_on"] else None,
                "closed_on": _iso(item.get("closed_on")), "withdrawn_on": _iso(item.get("withdrawn_on")),
                "withdrawn_reason": f"Imported from {source}" if item.get("withdrawn_on") else None,
                "created_at": now, "updated_at": now,
            })
            last_responded = None
            for stage in (s1, s2):
                if not stage:
                    continue
                stages.append({"case_id": case_id, "stage": stage["stage"], "received": stage["received"].isoformat(),
                               "handler": stage["handler"], "definition": item["definition"],
                               "acknowledged": _iso(stage["acknowledged"]), "responded": _iso(stage["responded"]),
                               "decision": stage["decision"], "reasons": "", "update_interval": ""})
                if stage["extension"]:
                    over = stage["extension"] > TIMESCALES[stage["stage"]].extension
                    agreed = stage["acknowledged"] or stage["received"]
                    extensions.append({"case_id": case_id, "stage": stage["stage"], "agreed_on": agreed.isoformat(),
                                       "working_days": stage["extension"],
                                       "reason": IMPORTED_EXTENSION_REASON if over else f"Imported from {source}",
                                       "good_reason": int(over)})
                if stage["responded"]:
                    last_responded = stage["stage"]
            if item["compensation_pence"] and last_responded:
                remedies.append({"case_id": case_id, "stage": last_responded, "kind": "compensation",
                                 "description": f"Imported from {source}", "amount_pence": item["compensation_pence"],
                                 "due": None, "done": None})
            history.append({"at": now, "who": who, "case_id": case_id, "entity": "case", "action": "imported",
                            "field": "source", "old": None, "new": f"{source} row {item['row']}"})
            item["reference"] = reference
        store.insert_imported(cases, stages, extensions, remedies, history)


def imported_status(item: dict) -> str:
    if item["refused_on"]:
        return "refused"
    if item.get("withdrawn_on"):
        return "withdrawn"
    if item.get("closed_on"):
        return "closed"
    stage = item["stage2"] or item["stage1"]
    n = stage["stage"]
    if stage["responded"]:
        return f"stage{n}-responded"
    if stage["acknowledged"]:
        return f"stage{n}-awaiting-response"
    return f"stage{n}-awaiting-acknowledgement"


def _reference_counters(references: list[str], prefix: str) -> dict[int, int]:
    """The next free number per year for references like C-2025-0042."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d{{4}})-(\d+)$", re.IGNORECASE)
    out: dict[int, int] = {}
    for ref in references:
        match = pattern.match(ref)
        if match:
            year, number = int(match.group(1)), int(match.group(2))
            out[year] = max(out.get(year, 1), number + 1)
    return out


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- export and template ----------------------------------------------------------------------------------------


def export_rows(store: Any) -> Iterator[list[Any]]:
    """Every case in the import's columns (header first), so the data can always leave and come back."""
    stages: dict[tuple[int, int], dict] = {(r["case_id"], r["stage"]): r for r in store.export_stage_rows()}
    extension = {(r["case_id"], r["stage"]): r["working_days"] for r in store.export_extension_totals()}
    compensation = {r["case_id"]: r["amount_pence"] for r in store.export_compensation_totals()}
    yield list(COLUMNS)
    for c in store.export_case_rows():
        s1 = stages.get((c["id"], 1)) or {}
        s2 = stages.get((c["id"], 2)) or {}
        pence = compensation.get(c["id"])
        yield [
            c["reference"], c["resident_name"], c["address"], c["received"], c["channel"], c["category"],
            c["definition"], s1.get("handler") or "", s1.get("acknowledged") or "",
            extension.get((c["id"], 1)) or "", s1.get("responded") or "", s1.get("decision") or "",
            s2.get("received") or "", s2.get("handler") or "", s2.get("acknowledged") or "",
            extension.get((c["id"], 2)) or "", s2.get("responded") or "", s2.get("decision") or "",
            c["refused_on"] or "", c["refusal_reason"] or "", f"{pence / 100:.2f}" if pence else "",
            c["closed_on"] or "", c["withdrawn_on"] or "",
        ]


def neutralise(value: Any) -> Any:
    """Keep a cell that a spreadsheet would treat as a formula as plain text (CSV injection)."""
    if isinstance(value, str) and value and value[0] in _FORMULA_START:
        return "'" + value
    return value


def export_cases(store: Any, path: Path | str) -> int:
    """Write every case to FILE.csv or FILE.xlsx; returns how many cases."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise HoscaseError(f"{path.name}: cases can be exported as .csv or .xlsx")
    rows = export_rows(store)
    return _write_table(path, rows, suffix)


def write_template(path: Path | str) -> None:
    """The empty import spreadsheet: the header row, and (in XLSX) a sheet explaining each column."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise HoscaseError(f"{path.name}: the template can be written as .csv or .xlsx")
    _write_table(path, iter([list(COLUMNS)]), suffix, help_sheet=True)


def _write_table(path: Path, rows: Iterator[list[Any]], suffix: str, help_sheet: bool = False) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    count = -1
    try:
        if suffix == ".csv":
            # UTF-8 with a BOM, so Excel shows accented names correctly.
            with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                for row in rows:
                    writer.writerow([neutralise(v) for v in row])
                    count += 1
        else:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Font

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("Cases")
            bold = Font(bold=True)
            for row in rows:
                out = []
                for value in row:
                    if count < 0 or (value.__class__ is str and value and value[0] in _FORMULA_START):
                        cell = WriteOnlyCell(ws, value=value)
                        cell.data_type = "s"  # text, never a formula
                        if count < 0:
                            cell.font = bold
                        value = cell
                    out.append(value)
                ws.append(out)
                count += 1
            if help_sheet:
                notes = wb.create_sheet("How to fill it in")
                notes.append(["Column", "What to put in it"])
                for column in COLUMNS:
                    notes.append([column, COLUMN_HELP[column]])
                notes.append([])
                notes.append(["", "Dates as YYYY-MM-DD or DD/MM/YYYY. One row per complaint. Every row is checked "
                                  "before anything is imported."])
            wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise HoscaseError(f"could not write {path}: {exc.strerror or exc}") from None
    return count
