"""The command line contract: what scripts and the acceptance checks rely on."""

import json
import subprocess
import sys

import pytest

from hoscase.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.sqlite3")


def add(capsys, db, **over):
    fields = {"--resident": "Ann Example", "--address": "1 Mill Terrace", "--received": "2025-12-20",
              "--channel": "phone", "--category": "Repairs", "--definition": "Leaking tap", "--handler": "Priya"}
    fields.update(over)
    args = ["--db", db, "case", "add", "--json"]
    for k, v in fields.items():
        args += [k, v]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return json.loads(out)["reference"]


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("hoscase ")


def test_workdays_add(capsys):
    assert run(capsys, "workdays", "add", "2025-12-20", "5")[1].strip() == "2025-12-30"


def test_case_journey_json_contract(capsys, db):
    ref = add(capsys, db)
    code, out, _ = run(capsys, "--db", db, "case", "show", ref, "--json")
    shown = json.loads(out)
    assert shown["reference"] == ref and shown["stage2"] is None
    s1 = shown["stage1"]
    assert s1["received"] == "2025-12-20" and s1["acknowledge_due"] == "2025-12-30"
    assert s1["respond_due"] == "2026-01-14" and s1["acknowledged"] is None
    assert run(capsys, "--db", db, "case", "ack", ref, "--on", "2025-12-22")[0] == 0
    assert run(capsys, "--db", db, "case", "extend", ref, "--working-days", "5", "--reason", "Surveyor",
               "--on", "2025-12-23")[0] == 0
    assert run(capsys, "--db", db, "case", "respond", ref, "--on", "2026-01-14", "--decision", "partly-upheld",
               "--reasons", "Late repair")[0] == 0
    assert run(capsys, "--db", db, "case", "escalate", ref, "--on", "2026-01-16", "--handler", "Grace")[0] == 0
    shown = json.loads(run(capsys, "--db", db, "case", "show", ref, "--json")[1])
    assert shown["stage1"]["respond_due"] == "2026-01-15"
    assert shown["stage1"]["extension_working_days"] == 5 and shown["stage1"]["decision"] == "partly-upheld"
    assert shown["stage2"]["requested"] == "2026-01-16" and shown["stage2"]["acknowledge_due"] == "2026-01-23"
    assert shown["status"] == "stage2-awaiting-acknowledgement"
    listed = json.loads(run(capsys, "--db", db, "case", "list", "--json")[1])
    assert [row["reference"] for row in listed] == [ref]
    overdue = json.loads(run(capsys, "--db", db, "case", "list", "--overdue", "--json")[1])
    assert [row["reference"] for row in overdue] == [ref]  # stage 2 acknowledgement long overdue


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["case", "ack", "{ref}", "--on", "2025-02-30"], "not a real date"),
        (["case", "respond", "{ref}", "--on", "2025-12-01", "--decision", "upheld", "--reasons", "x"], "before"),
        (["case", "ack", "NO-SUCH", "--on", "2025-12-22"], "no case with reference"),
        (["case", "extend", "{ref}", "--working-days", "15", "--reason", "slow"], "without a recorded good reason"),
        (["case", "extend", "{ref}", "--working-days", "ten", "--reason", "slow"], "whole number"),
        (["case", "add", "--resident", "A", "--address", "B", "--received", "2025-12-20", "--channel", "phone",
          "--category", "Repairs"], "--definition"),
        (["case", "respond", "{ref}", "--on", "2026-01-02", "--decision", "maybe", "--reasons", "x"], "invalid choice"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(capsys, db, args, message):
    ref = add(capsys, db)
    before = run(capsys, "--db", db, "case", "show", ref, "--json")[1]
    code, out, err = run(capsys, "--db", db, *[a.replace("{ref}", ref) for a in args])
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert run(capsys, "--db", db, "case", "show", ref, "--json")[1] == before


def test_same_handler_escalation_refused(capsys, db):
    ref = add(capsys, db, **{"--handler": "Priya Shah"})
    run(capsys, "--db", db, "case", "ack", ref, "--on", "2025-12-22")
    run(capsys, "--db", db, "case", "respond", ref, "--on", "2026-01-05", "--decision", "upheld", "--reasons", "x")
    code, _, err = run(capsys, "--db", db, "case", "escalate", ref, "--on", "2026-01-06", "--handler", "Priya Shah")
    assert code == 2 and "6.13" in err


def test_hoscase_db_environment_variable(tmp_path):
    env_db = tmp_path / "env.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "hoscase", "case", "add", "--resident", "A", "--address", "B", "--received",
         "2026-01-05", "--channel", "email", "--category", "Repairs", "--definition", "C", "--json"],
        capture_output=True, text=True, env={"HOSCASE_DB": str(env_db), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert env_db.exists()


def test_demo_database(capsys, db):
    code, out, _ = run(capsys, "--db", db, "init", "--demo")
    assert code == 0 and "demo database" in out
    rows = json.loads(run(capsys, "--db", db, "case", "list", "--json")[1])
    statuses = {row["status"] for row in rows}
    assert len(rows) > 100
    assert {"closed", "stage1-responded", "stage2-responded", "refused"} <= statuses
    assert any(row["overdue"] for row in rows)


def test_set_action_and_history(capsys, db):
    ref = add(capsys, db)
    assert run(capsys, "--db", db, "case", "set", ref, "vulnerabilities", "Hearing impairment")[0] == 0
    code, _, err = run(capsys, "--db", db, "case", "set", ref, "status", "closed")
    assert code == 2 and "cannot be set" in err
    assert run(capsys, "--db", db, "case", "action", ref, "--add", "Fit new tap", "--due", "2026-01-30")[0] == 0
    shown = json.loads(run(capsys, "--db", db, "case", "show", ref, "--json")[1])
    assert shown["vulnerabilities"] == "Hearing impairment"
    action_id = shown["actions"][0]["id"]
    assert run(capsys, "--db", db, "case", "action", ref, "--done", str(action_id), "--on", "2026-01-29")[0] == 0
    history = json.loads(run(capsys, "--db", db, "case", "history", ref, "--json")[1])
    assert [h["new"] for h in history if h["field"] == "vulnerabilities"] == ["Hearing impairment"]
    assert any(h["entity"] == "action" and h["action"] == "done" for h in history)
