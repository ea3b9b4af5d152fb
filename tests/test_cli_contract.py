"""Acceptance checks of the command-line contract (issues 2, 6, 8): what a user or a script sees.

Bad input: exit status 2, exactly one line on stderr naming the problem, no traceback, and the database
byte-for-byte the same in content (compared as an SQL dump) — or, on a first run, no database left behind.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from hoscase.cli import main
from hoscase.importer import COLUMNS


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "contract.sqlite3"


def add(capsys, db, **over) -> str:
    fields = {"--resident": "Ann Example", "--address": "1 Mill Terrace", "--received": "2026-01-05",
              "--channel": "phone", "--category": "Repairs", "--definition": "Leaking tap", "--handler": "Priya"}
    fields.update(over)
    args = ["--db", db, "case", "add", "--json"]
    for key, value in fields.items():
        args += [key, value]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return json.loads(out)["reference"]


@pytest.fixture
def journey(capsys, db):
    """One case acknowledged and responded to by Priya, one only received."""
    ref = add(capsys, db)
    assert run(capsys, "--db", db, "case", "ack", ref, "--on", "2026-01-06")[0] == 0
    assert run(capsys, "--db", db, "case", "respond", ref, "--on", "2026-01-12", "--decision", "upheld",
               "--reasons", "Fair")[0] == 0
    fresh = add(capsys, db, **{"--resident": "Bob"})
    return ref, fresh


BAD = [
    (["workdays", "add", "2026-02-30", "5"], "not a real date"),
    (["workdays", "add", "2026-01-05", "-1"], "negative"),
    (["case", "add", "--resident", "A", "--address", "B", "--received", "2026-02-30", "--channel", "phone",
      "--category", "Repairs", "--definition", "x"], "2026-02-30"),
    (["case", "add", "--resident", "A", "--address", "B", "--received", "2026-01-05", "--channel", "phone",
      "--category", "Repairs"], "--definition"),
    (["case", "add", "--resident", " ", "--address", "B", "--received", "2026-01-05", "--channel", "phone",
      "--category", "Repairs", "--definition", "x"], "resident name is required"),
    (["case", "ack", "C-1999-0001", "--on", "2026-01-06"], "no case with reference 'C-1999-0001'"),
    (["case", "ack", "{fresh}", "--on", "2026-01-02"], "before the date received"),
    (["case", "respond", "{fresh}", "--on", "2026-01-01", "--decision", "upheld", "--reasons", "x"],
     "before the date received"),
    (["case", "respond", "{fresh}", "--on", "2026-01-07", "--decision", "maybe", "--reasons", "x"], "--decision"),
    (["case", "escalate", "{ref}", "--on", "2026-01-13", "--handler", "priya"], "6.13"),
    (["case", "escalate", "{ref}", "--on", "2026-01-09", "--handler", "Grace"], "before the stage 1 response"),
    (["case", "extend", "{fresh}", "--working-days", "11", "--reason", "Surveyor"], "--good-reason"),
    (["case", "extend", "{fresh}", "--working-days", "5", "--reason", ""], "reason"),
    (["case", "refuse", "{fresh}", "--on", "2026-01-06", "--reason", "bored", "--explanation", "x"], "--reason"),
    (["case", "refuse", "{ref}", "--on", "2026-01-13", "--reason", "other", "--explanation", "x"], "cannot refuse"),
    (["case", "show", "NOPE", "--json"], "no case with reference"),
    (["case", "set", "{fresh}", "legal_hold", "perhaps"], "yes or no"),
    (["case", "set", "{fresh}", "issue_date", "2026-13-01"], "not a real date"),
    (["case", "set", "{fresh}", "issue_date", "2027-01-01"], "after the date the complaint was received"),
    (["closure", "add", "2026-02-30", "Training"], "not a real date"),
    (["closure", "remove", "2026-03-03"], "not a closure day"),
    (["report", "quarterly", "--year", "2025", "--quarter", "5", "--json"], "--quarter"),
    (["import", "cases", "/no/such/file.csv"], "no file"),
]


@pytest.mark.parametrize("args, message", BAD, ids=[" ".join(a[:2]) + f" #{i}" for i, (a, _) in enumerate(BAD)])
def test_bad_input_exit_2_one_line_nothing_written(capsys, db, journey, args, message):
    ref, fresh = journey
    before = dump(db)
    code, out, err = run(capsys, "--db", db, *[a.format(ref=ref, fresh=fresh) for a in args])
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert message in err and "Traceback" not in err
    assert dump(db) == before


def test_over_long_extension_with_good_reason_is_recorded(capsys, db, journey):
    _, fresh = journey
    assert run(capsys, "--db", db, "case", "ack", fresh, "--on", "2026-01-06")[0] == 0
    code, _, err = run(capsys, "--db", db, "case", "extend", fresh, "--working-days", "15", "--reason", "Surveyor",
                       "--good-reason", "--on", "2026-01-07")
    assert code == 0, err
    stage1 = json.loads(run(capsys, "--db", db, "case", "show", fresh, "--json")[1])["stage1"]
    # Acknowledged Tue 6 Jan: 10 working days -> Tue 20 Jan, +15 -> Tue 10 Feb.
    assert stage1["extension_working_days"] == 15 and stage1["respond_due"] == "2026-02-10"
    assert stage1["extensions"][0]["good_reason"] is True


def test_show_json_keys_and_due_dates(capsys, db):
    ref = add(capsys, db, **{"--received": "2025-12-20"})
    shown = json.loads(run(capsys, "--db", db, "case", "show", ref, "--json")[1])
    assert {"reference", "status", "stage1", "stage2"} <= set(shown)
    assert shown["stage2"] is None
    keys = {"acknowledge_due", "acknowledged", "respond_due", "responded", "extension_working_days", "decision"}
    assert keys | {"received"} <= set(shown["stage1"])
    # Received Saturday 20 Dec 2025: acknowledge by Tue 30 Dec; before acknowledgement the response is due
    # 10 working days after that acknowledgement due date (Thu 1 Jan is a bank holiday): Wed 14 Jan.
    assert shown["stage1"]["acknowledge_due"] == "2025-12-30"
    assert shown["stage1"]["respond_due"] == "2026-01-14"
    run(capsys, "--db", db, "case", "ack", ref, "--on", "2025-12-22")
    run(capsys, "--db", db, "case", "respond", ref, "--on", "2026-01-05", "--decision", "not-upheld", "--reasons", "x")
    assert run(capsys, "--db", db, "case", "escalate", ref, "--on", "2026-01-06", "--handler", "Grace")[0] == 0
    shown = json.loads(run(capsys, "--db", db, "case", "show", ref, "--json")[1])
    stage2 = shown["stage2"]
    assert keys | {"requested"} <= set(stage2) and "received" not in stage2
    assert stage2["requested"] == "2026-01-06" and stage2["acknowledge_due"] == "2026-01-13"
    assert stage2["respond_due"] == "2026-02-10"  # 20 working days after the acknowledgement due date
    assert shown["status"] == "stage2-awaiting-acknowledgement"


def test_list_json_and_overdue_working_days(capsys, db, journey):
    ref, fresh = journey
    rows = json.loads(run(capsys, "--db", db, "case", "list", "--json")[1])
    assert [r["reference"] for r in rows] == [ref, fresh]
    overdue = json.loads(run(capsys, "--db", db, "case", "list", "--overdue", "--json")[1])
    assert isinstance(overdue, list) and [r["reference"] for r in overdue] == [fresh]
    row = overdue[0]
    assert row["overdue"] is True and row["due"] == "2026-01-12"
    assert isinstance(row["working_days_overdue"], int) and row["working_days_overdue"] > 0


@pytest.mark.parametrize("start, n, expected", [
    ("2025-12-20", 5, "2025-12-30"),  # Saturday over Christmas
    ("2026-04-02", 1, "2026-04-07"),  # Easter 2026: Good Friday 3 April, Easter Monday 6 April
    ("2026-12-24", 1, "2026-12-29"),  # Boxing Day 2026 is a Saturday: substitute Monday 28 December
    ("2027-12-24", 1, "2027-12-29"),  # Christmas 2027 at a weekend: Monday 27 and Tuesday 28 December
])
def test_workdays_worked_examples(capsys, tmp_path, start, n, expected):
    db = tmp_path / "never.sqlite3"
    code, out, err = run(capsys, "--db", db, "workdays", "add", start, n)
    assert (code, out.strip(), err) == (0, expected, "")
    assert not db.exists()  # arithmetic never creates a database


def test_closure_day_moves_open_deadlines(capsys, db):
    ref = add(capsys, db, **{"--received": "2026-11-02"})
    due = json.loads(run(capsys, "--db", db, "case", "show", ref, "--json")[1])["stage1"]
    assert (due["acknowledge_due"], due["respond_due"]) == ("2026-11-09", "2026-11-23")
    code, out, _ = run(capsys, "--db", db, "closure", "add", "2026-11-04", "Staff training")
    assert code == 0 and "1 open deadline moved" in out
    due = json.loads(run(capsys, "--db", db, "case", "show", ref, "--json")[1])["stage1"]
    assert (due["acknowledge_due"], due["respond_due"]) == ("2026-11-10", "2026-11-24")
    assert run(capsys, "--db", db, "workdays", "add", "2026-11-02", "5")[1].strip() == "2026-11-10"
    assert json.loads(run(capsys, "--db", db, "closure", "list", "--json")[1]) == [
        {"date": "2026-11-04", "name": "Staff training"}]
    assert run(capsys, "--db", db, "closure", "remove", "2026-11-04")[0] == 0
    due = json.loads(run(capsys, "--db", db, "case", "show", ref, "--json")[1])["stage1"]
    assert due["acknowledge_due"] == "2026-11-09"


def test_over_12_months_flag_and_discretion(capsys, db):
    code, out, err = run(capsys, "--db", db, "case", "add", "--resident", "A", "--address", "B", "--received",
                         "2026-01-05", "--channel", "phone", "--category", "Repairs", "--definition", "Old boiler",
                         "--issue-date", "2024-06-01", "--json")
    assert code == 0
    shown = json.loads(out)
    ref = shown["reference"]
    assert shown["over_12_months"] is True and shown["issue_date"] == "2024-06-01"
    assert "over 12 months old" in err and f"case refuse {ref} --reason over-12-months" in err
    assert "Code 2.3" in run(capsys, "--db", db, "case", "show", ref)[1]
    # 'no' must never switch a yes/no field on.
    assert run(capsys, "--db", db, "case", "set", ref, "discretion_over_12_months", "no")[0] == 0
    assert json.loads(run(capsys, "--db", db, "case", "show", ref, "--json")[1])["discretion_over_12_months"] == 0
    assert run(capsys, "--db", db, "case", "set", ref, "discretion_over_12_months", "yes")[0] == 0
    assert "accepted using discretion" in run(capsys, "--db", db, "case", "show", ref)[1]
    # The other route: refuse it under the 12-month exclusion.
    other = add(capsys, db, **{"--issue-date": "2024-01-01"})
    assert run(capsys, "--db", db, "case", "refuse", other, "--on", "2026-01-06", "--reason", "over-12-months",
               "--explanation", "The repair was in 2024")[0] == 0
    shown = json.loads(run(capsys, "--db", db, "case", "show", other, "--json")[1])
    assert shown["status"] == "refused" and shown["refusal_reason"] == "over-12-months"
    assert "Not accepted on 2026-01-06" in run(capsys, "--db", db, "case", "show", other)[1]


def test_withdraw_then_nothing_more(capsys, db, journey):
    _, fresh = journey
    assert run(capsys, "--db", db, "case", "withdraw", fresh, "--on", "2026-01-07", "--reason", "Sorted")[0] == 0
    shown = json.loads(run(capsys, "--db", db, "case", "show", fresh, "--json")[1])
    assert shown["status"] == "withdrawn" and shown["withdrawn_on"] == "2026-01-07"
    code, _, err = run(capsys, "--db", db, "case", "ack", fresh, "--on", "2026-01-08")
    assert code == 2 and len(err.splitlines()) == 1
    assert fresh not in [r["reference"] for r in
                         json.loads(run(capsys, "--db", db, "case", "list", "--overdue", "--json")[1])]


# --- first run: a database is made only when something is kept, and the user is told where ---------------


def test_refused_command_on_a_new_database_leaves_nothing(capsys, tmp_path):
    db = tmp_path / "new.sqlite3"
    code, _, err = run(capsys, "--db", db, "case", "ack", "C-2026-0001", "--on", "2026-01-06")
    assert code == 2 and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_first_run_creates_the_database_and_says_where(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("HOSCASE_DB", raising=False)
    monkeypatch.setattr("hoscase.store.default_db_path", lambda: tmp_path / "data" / "hoscase.sqlite3")
    code, out, err = run(capsys, "case", "list")
    assert code == 0 and out.strip() == "no cases"
    assert err.strip() == f"hoscase: created a new database at {tmp_path / 'data' / 'hoscase.sqlite3'}"
    assert (tmp_path / "data" / "hoscase.sqlite3").exists()
    assert run(capsys, "case", "list")[2] == ""  # said once, on the run that made it


# --- import and export --------------------------------------------------------------------------------------

FULL_ROW = {
    "reference": "IMP-1", "resident": "Siobhán O'Brien", "address": "4 Mill Terrace, Ludlow", "received": "02/11/2025",
    "channel": "phone", "category": "Repairs", "definition": "Tap leaking\nfor six weeks", "handler": "Priya",
    "acknowledged": "03/11/2025", "extension_working_days": "5", "responded": "20/11/2025",
    "decision": "partly upheld", "stage2_requested": "21/11/2025", "stage2_handler": "Grace",
    "stage2_acknowledged": "24/11/2025", "stage2_extension_working_days": "", "stage2_responded": "15/12/2025",
    "stage2_decision": "upheld", "refused_on": "", "refusal_reason": "", "compensation": "£150.00",
    "closed_on": "", "withdrawn_on": "",
}
REFUSED_ROW = {**{k: "" for k in FULL_ROW}, "reference": "IMP-2", "resident": "Bob", "address": "2 Mill",
               "received": "2025-11-05", "channel": "email", "category": "ASB", "definition": "Noise",
               "refused_on": "2025-11-06", "refusal_reason": "over-12-months"}
WITHDRAWN_ROW = {**REFUSED_ROW, "reference": "IMP-3", "refused_on": "", "refusal_reason": "",
                 "acknowledged": "06/11/2025", "withdrawn_on": "10/11/2025"}
CLOSED_ROW = {**REFUSED_ROW, "reference": "IMP-4", "refused_on": "", "refusal_reason": "", "handler": "Priya",
              "acknowledged": "06/11/2025", "responded": "13/11/2025", "decision": "not upheld",
              "closed_on": "14/11/2025"}
ROWS = [FULL_ROW, REFUSED_ROW, WITHDRAWN_ROW, CLOSED_ROW]


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c.upper() if i % 2 else c for i, c in enumerate(rows[0])])
        writer.writeheader()  # any case in the header
        for row in rows:
            writer.writerow({(k.upper() if i % 2 else k): v for i, (k, v) in enumerate(row.items())})
    return path


def write_xlsx(path: Path, rows: list[dict]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(reversed(rows[0])))  # any order
    for row in rows:
        ws.append([row[k] for k in reversed(rows[0])])
    wb.save(path)
    return path


def test_every_issue_column_is_in_the_template_and_export():
    issue6 = ("reference, resident, address, received, channel, category, definition, handler, acknowledged, "
              "extension_working_days, responded, decision, stage2_requested, stage2_handler, stage2_acknowledged, "
              "stage2_extension_working_days, stage2_responded, stage2_decision, refused_on, refusal_reason, "
              "compensation").split(", ")
    assert list(COLUMNS[:len(issue6)]) == issue6
    assert set(COLUMNS) == set(FULL_ROW)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_every_column_uk_dates_dry_run_then_real(capsys, tmp_path, kind):
    db = tmp_path / "imp.sqlite3"
    path = write_csv(tmp_path / "in.csv", ROWS) if kind == "csv" else write_xlsx(tmp_path / "in.xlsx", ROWS)
    code, out, err = run(capsys, "--db", db, "import", "cases", path, "--dry-run")
    assert code == 0 and "4 cases would be imported" in out and "nothing written" in out
    assert not db.exists()  # a dry run makes no database either
    code, out, err = run(capsys, "--db", db, "import", "cases", path)
    assert code == 0, err
    shown = json.loads(run(capsys, "--db", db, "case", "show", "IMP-1", "--json")[1])
    assert shown["status"] == "stage2-responded" and shown["definition"] == "Tap leaking\nfor six weeks"
    assert shown["stage1"]["received"] == "2025-11-02" and shown["stage1"]["extension_working_days"] == 5
    assert shown["stage1"]["decision"] == "partly-upheld" and shown["stage2"]["handler"] == "Grace"
    assert shown["remedies"][0]["amount_pence"] == 15000
    statuses = {r["reference"]: r["status"] for r in json.loads(run(capsys, "--db", db, "case", "list", "--json")[1])}
    assert statuses == {"IMP-1": "stage2-responded", "IMP-2": "refused", "IMP-3": "withdrawn", "IMP-4": "closed"}
    assert json.loads(run(capsys, "--db", db, "case", "list", "--overdue", "--json")[1]) == []


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_import_cp1252_and_bom(capsys, tmp_path, encoding):
    db = tmp_path / "enc.sqlite3"
    rows = [{**REFUSED_ROW, "resident": "Zoë Café", "definition": "“Damp” costs €50", "refused_on": "",
             "refusal_reason": ""}]
    path = write_csv(tmp_path / "enc.csv", rows, encoding=encoding)
    code, _, err = run(capsys, "--db", db, "import", "cases", path)
    assert code == 0, err
    shown = json.loads(run(capsys, "--db", db, "case", "show", "IMP-2", "--json")[1])
    assert shown["resident_name"] == "Zoë Café" and shown["definition"] == "“Damp” costs €50"
    assert ("Windows-1252" in err) == (encoding == "cp1252")


def test_bad_rows_named_by_row_and_column_nothing_imported(capsys, tmp_path, db):
    add(capsys, db)
    before = dump(db)
    rows = [
        FULL_ROW,
        {**REFUSED_ROW, "received": "30/02/2026"},
        {**CLOSED_ROW, "responded": "", "decision": ""},  # closed without a response
        {**WITHDRAWN_ROW, "withdrawn_on": "01/11/2025"},  # withdrawn before it was received
        {**CLOSED_ROW, "reference": "IMP-9", "stage2_requested": "14/11/2025", "stage2_handler": "priya"},
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    code, out, err = run(capsys, "--db", db, "import", "cases", path)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "row 3, column received: '30/02/2026' is not a real date" in err
    assert "row 4, column closed_on: a case can only be closed after its response" in err
    assert "row 5, column withdrawn_on: 2025-11-01 is before the stage's receipt 2025-11-05" in err
    assert "row 6, column stage2_handler" in err and "6.13" in err
    assert "nothing was imported" in err.splitlines()[-1]
    assert dump(db) == before


def test_export_all_and_reimport_round_trip(capsys, tmp_path):
    demo = tmp_path / "demo.sqlite3"
    assert run(capsys, "--db", demo, "init", "--demo", "--cases", "60")[0] == 0
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"all.{suffix}"
        code, text, _ = run(capsys, "--db", demo, "export", "cases", "-o", out)
        assert code == 0 and "cases to" in text
        fresh = tmp_path / f"fresh-{suffix}.sqlite3"
        code, _, err = run(capsys, "--db", fresh, "import", "cases", out)
        assert code == 0, err
        again = tmp_path / f"again-{suffix}.csv"
        run(capsys, "--db", fresh, "export", "cases", "-o", again)
        assert again.read_bytes() == (tmp_path / "all.csv").read_bytes()

        def statuses(path):
            return sorted((r["reference"], r["status"])
                          for r in json.loads(run(capsys, "--db", path, "case", "list", "--json")[1]))

        assert statuses(fresh) == statuses(demo)


def test_unclosed_quote_is_named_not_every_column(capsys, tmp_path, db):
    path = tmp_path / "quote.csv"
    path.write_text("resident,address,received,channel,category,definition\n"
                    "Ann,1 Mill,2026-01-05,phone,Repairs,x\n"
                    '"Bob,2 Mill,2026-01-05,phone,Repairs,y\n'
                    "Cy,3 Mill,2026-01-05,phone,Repairs,z\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "import", "cases", path)
    assert code == 2
    assert err.splitlines()[0] == ('hoscase: error: row 3: a quotation mark (") opened in this row is never closed, '
                                   "so the rest of the file was read as one cell")
    assert "is required" not in err and not db.exists()


def test_extend_records_the_update_interval_with_the_extension(capsys, db):
    ref = add(capsys, db)
    assert run(capsys, "--db", db, "case", "ack", ref, "--on", "2026-01-06")[0] == 0
    code, _, err = run(capsys, "--db", db, "case", "extend", ref, "--working-days", "5", "--reason", "Surveyor",
                       "--update-interval", "a phone call every Friday")
    assert code == 0, err
    shown = json.loads(run(capsys, "--db", db, "case", "show", ref, "--json")[1])
    assert shown["stage1"]["extension_working_days"] == 5
    before = dump(db)
    # An over-long extension is refused: the interval given with it is not kept either.
    code, _, err = run(capsys, "--db", db, "case", "extend", ref, "--working-days", "11", "--reason", "More",
                       "--update-interval", "weekly")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert dump(db) == before


def test_a_letter_that_cannot_be_produced_keeps_no_update_interval(capsys, db, tmp_path):
    ref = add(capsys, db)
    assert run(capsys, "--db", db, "case", "ack", ref, "--on", "2026-01-06")[0] == 0
    # Not an extension letter's time yet: no extension recorded, so the letter refuses.
    before = dump(db)
    code, _, err = run(capsys, "--db", db, "letter", ref, "extension", "--update-interval", "weekly",
                       "-o", tmp_path / "x.pdf")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert dump(db) == before
    assert not (tmp_path / "x.pdf").exists()


def test_case_show_lists_remedies_and_actions_with_their_numbers(capsys, db):
    ref = add(capsys, db)
    assert run(capsys, "--db", db, "case", "ack", ref, "--on", "2026-01-06")[0] == 0
    assert run(capsys, "--db", db, "case", "respond", ref, "--on", "2026-01-12", "--decision", "upheld",
               "--reasons", "Late repair")[0] == 0
    code, out, err = run(capsys, "--db", db, "case", "remedy", ref, "--add", "compensation", "--amount", "75",
                         "--description", "For the delay", "--due", "2026-01-26")
    assert code == 0, err
    out = run(capsys, "--db", db, "case", "show", ref)[1]
    line = next(line for line in out.splitlines() if line.strip().startswith("Remedy "))
    number = line.split()[1]
    assert "£75.00" in line and "by 2026-01-26" in line and "(done -)" in line
    assert run(capsys, "--db", db, "case", "remedy", ref, "--done", number, "--on", "2026-01-20")[0] == 0
    assert "(done 2026-01-20)" in run(capsys, "--db", db, "case", "show", ref)[1]


def test_a_closed_pipe_is_not_an_error(capsys, db, monkeypatch):
    """`hoscase case list --json | head -1`: the reader goes away mid-output, which is not the user's error."""
    add(capsys, db)

    class ClosedPipe:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

        def fileno(self):
            return 1

    monkeypatch.setattr("os.dup2", lambda fd, fd2: None)  # leave the test run's own stdout alone
    monkeypatch.setattr("sys.stdout", ClosedPipe())
    code = main(["--db", str(db), "case", "list", "--json"])
    err = capsys.readouterr().err
    assert code == 0 and err == ""
