"""The benchmark script runs end to end on a tiny register (no timings are asserted: figures vary by machine)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bench import run
from hoscase.cases import CaseService
from hoscase.store import Store


def test_seeded_register_holds_every_kind_of_case(tmp_path):
    seconds, made = run.seed_database(tmp_path / "bench.sqlite3", 600, dt.date(2026, 11, 20))
    assert seconds > 0
    for kind in ("refused", "withdrawn", "stage2", "extended", "remedies", "actions"):
        assert made[kind] > 0, kind
    with Store(tmp_path / "bench.sqlite3") as store:
        statuses = {r["status"] for r in store.query("SELECT DISTINCT status FROM cases")}
        assert {"closed", "refused", "withdrawn"} <= statuses
        assert statuses & {"stage1-awaiting-acknowledgement", "stage1-awaiting-response"}
        assert len(store.categories()) >= 5
        # Every open stage has a due date the service can work out, and the numpy floor agrees with it.
        deadlines = CaseService(store, who="bench", today=dt.date(2026, 11, 20)).open_deadlines()
        assert len(deadlines) == made["open"]


def test_deadlines_row_against_numpy(tmp_path, capsys):
    pytest.importorskip("numpy")
    out = tmp_path / "bench.json"
    assert run.main(["--sizes", "600", "--only", "deadlines", "--json", str(out), "--repeat", "1"]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["command"].startswith("python -m bench.run")
    assert result["machine"]["nproc"] >= 1
    keys = [r["key"] for r in result["rows"]]
    assert keys == ["seed", "deadlines"]
    row = result["rows"][1]
    assert row["value"] > 0 and row["floor"] > 0
    assert row["ratio"] == pytest.approx(row["value"] / row["floor"])
    assert "identical" in row["note"]  # numpy's due dates and order matched the app's
    assert "| every open deadline worked out |" in capsys.readouterr().out


def test_missing_piece_is_reported_not_fatal(tmp_path, monkeypatch):
    def absent(*_args, **_kwargs):
        raise run.NotAvailable("hoscase.letters: not built yet")

    monkeypatch.setattr(run, "measure_letters", absent)
    rows = run.run([50], {"letter"}, tmp_path, 1, 10)
    letter = [r for r in rows if r.key == "letter"]
    assert len(letter) == 1 and letter[0].value is None
    assert letter[0].note.startswith("not available: hoscase.letters")


def test_bad_arguments_are_refused(capsys):
    with pytest.raises(SystemExit):
        run.main(["--sizes", "ten"])
    assert "--sizes" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run.main(["--only", "nonsense"])
    assert "unknown measures nonsense" in capsys.readouterr().err
