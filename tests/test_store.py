"""The store: migrations from an empty file, round trips, pragmas, transactions."""

import os
import sqlite3
import stat

import pytest

from hoscase.errors import HoscaseError
from hoscase.store import Store
from hoscase.store.database import migrations


def test_migrates_an_empty_file_to_the_newest_schema(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    with Store(path) as store:
        assert store.schema_version == migrations()[-1][0]
        tables = set(store.db.table_names())
        assert {"cases", "stages", "extensions", "remedies", "actions", "history", "settings"} <= tables
    # reopening applies nothing more
    with Store(path) as store:
        assert store.migrate() == []


def test_pragmas_for_a_laptop(store):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_new_database_is_readable_by_the_user_only(db_path):
    Store(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_newer_schema_is_refused(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(HoscaseError, match="newer hoscase"):
        Store(db_path)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is a word document, honestly" * 100)
    with pytest.raises(HoscaseError, match="not a hoscase database"):
        Store(path)


def test_case_round_trip_through_a_reopened_file(db_path, new_case, service):
    case = new_case(resident_name="Siobhán O'Brien & <Sons>", definition="Ünïcode — ✓ 日本 مرحبا", email="s@x.org")
    service.acknowledge(case.reference, "2026-10-02")
    service.store.close()
    from hoscase.cases import CaseService

    with Store(db_path) as again:
        back = CaseService(again, today=service.today).get(case.reference)
        assert back.resident_name == "Siobhán O'Brien & <Sons>"
        assert back.definition == "Ünïcode — ✓ 日本 مرحبا"
        assert back.email == "s@x.org"
        assert back.stages[1].acknowledged.isoformat() == "2026-10-02"


def test_a_failed_action_leaves_nothing_half_written(store, service, new_case):
    ref = new_case().reference
    before = store.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0]
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.update_case(service.get(ref).id, {"address": "changed"})
            raise RuntimeError("power cut")
    assert service.get(ref).address == "1 Mill Terrace, Ludlow"
    assert store.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0] == before


def test_references_are_sequential_per_year(new_case):
    refs = [new_case(received="2026-10-01").reference for _ in range(3)]
    assert refs == ["C-2026-0001", "C-2026-0002", "C-2026-0003"]
    assert new_case(received="2025-10-01").reference == "C-2025-0001"


def test_full_text_search(store, new_case):
    new_case(resident_name="Zoë Kowalski", definition="Black mould in the bathroom")
    new_case(resident_name="Ben Hughes", address="9 Glebe Road", definition="Noise")
    assert len(store.register_ids({"search": "mould"})) == 1
    assert len(store.register_ids({"search": "zoe"})) == 1  # diacritics folded
    assert len(store.register_ids({"search": "glebe ro"})) == 1  # prefixes
    assert len(store.register_ids({"search": '"); DROP TABLE cases; --'})) == 0
    assert store.count_cases() == 2


def test_switching_to_wal_waits_out_another_process_creating_the_file():
    """PRAGMA journal_mode=WAL can say "database is locked" at once, without the busy handler, while another
    process is creating the same new file: it is retried, and any other error is not."""
    import sqlite3

    import pytest

    from hoscase.store.database import _enter_wal

    class Racing:
        def __init__(self, failures, message="database is locked"):
            self.failures, self.message, self.calls = failures, message, 0

        def execute(self, sql):
            self.calls += 1
            if self.calls <= self.failures:
                raise sqlite3.OperationalError(self.message)

    racing = Racing(3)
    _enter_wal(racing)
    assert racing.calls == 4
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        _enter_wal(Racing(1, "disk I/O error"))
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _enter_wal(Racing(10**6), patience=0.05)
