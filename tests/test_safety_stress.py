"""Proven, not promised: writers killed mid-write lose nothing confirmed; four writers never see "locked";
a backup taken while another process writes restores to a consistent database."""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hoscase.safety import backup as backups
from hoscase.store import Store
from hoscase.store.safety import check_file

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "stress" / "kill_writers.py"

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")


def _kill_writers():
    spec = importlib.util.spec_from_file_location("kill_writers", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_writers_killed_at_random_moments_lose_nothing(tmp_path):
    result = _kill_writers().run(30, writers=4, db=tmp_path / "stress.sqlite3", seed=20261120)
    assert result["problems"] == []
    assert result["kills"] == 30 and result["lost"] == 0 and result["half_written"] == 0
    assert result["integrity_check"] == "ok" and result["foreign_key_problems"] == 0
    assert result["confirmed_writes"] > 30  # the writers did write between the kills
    assert result["cases_in_database"] >= result["confirmed_writes"]
    assert result["full_check_on_reopen"] is True  # the crashed sessions were noticed


def test_four_writers_at_once_all_commit(tmp_path):
    db = tmp_path / "four.sqlite3"  # not created yet: the four also race to create and migrate it
    procs = [subprocess.Popen([sys.executable, str(SCRIPT), "--writer", str(db), "--count", "40"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        assert "locked" not in err
    added = [line.split()[1] for out, _ in outputs for line in out.splitlines() if line.startswith("ADD ")]
    assert len(added) == 160 and len(set(added)) == 160
    conn = sqlite3.connect(str(db))
    try:
        assert {r[0] for r in conn.execute("SELECT reference FROM cases")} == set(added)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def _consistent(path: Path) -> int:
    """Every case in the file has its stage 1 row and its history; returns the number of cases."""
    conn = sqlite3.connect(str(path))
    try:
        torn = conn.execute(
            "SELECT COUNT(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM stages s WHERE s.case_id = c.id) "
            "OR NOT EXISTS (SELECT 1 FROM history h WHERE h.case_id = c.id AND h.action = 'opened')").fetchone()[0]
        assert torn == 0
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    finally:
        conn.close()


def test_backup_taken_while_another_process_writes_restores_consistent(tmp_path):
    db = tmp_path / "busy.sqlite3"
    Store(db).close()
    writer = subprocess.Popen([sys.executable, str(SCRIPT), "--writer", str(db)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    taken = []
    try:
        assert writer.stdout.readline().startswith("ADD ")
        with Store(db) as store:
            for n in range(6):
                taken.append(backups.make_backup(store, f"busy-{n}", rotate_after=False))
                time.sleep(0.05)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    counts = []
    for path in taken:
        assert check_file(path).ok
        counts.append(_consistent(path))
    assert counts == sorted(counts) and counts[-1] > counts[0]  # taken while the cases kept coming
    target = tmp_path / "restored.sqlite3"
    backups.restore_backup(target, taken[-1])
    assert _consistent(target) == counts[-1]
    with Store(target) as store:
        assert store.count_cases() == counts[-1]
