"""The kept copy of the bank holidays: used when current, never trusted when damaged or out of date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hoscase import workdays
from hoscase.workdays import WorkingCalendar, compute_bank_holidays, load_bank_holidays


@pytest.fixture(scope="module")
def truth():
    return compute_bank_holidays()


def _no_package(monkeypatch):
    """Make working the holidays out again fail the test: the kept copy must be what is read."""
    def refuse():
        raise AssertionError("the holidays were worked out again instead of read from the kept copy")

    monkeypatch.setattr(workdays, "compute_bank_holidays", refuse)


def test_kept_copy_is_written_then_read(tmp_path, monkeypatch, truth):
    first = load_bank_holidays(tmp_path)
    assert first == truth
    assert (tmp_path / "bank-holidays-england-wales.json").exists()
    _no_package(monkeypatch)
    again = load_bank_holidays(tmp_path)
    assert again == truth
    assert again[dt.date(2026, 12, 28)] == truth[dt.date(2026, 12, 28)]  # Boxing Day's substitute


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # cut short
    lambda text: "not json",
    lambda text: json.dumps({**json.loads(text), "key": "another version of the package"}),
    lambda text: json.dumps({**json.loads(text), "days": {"2026-12-25": "Christmas Day"}}),  # most days lost
    lambda text: json.dumps({**json.loads(text), "days": {"2026-13-45": "Nonsense"}}),
    lambda text: json.dumps([1, 2, 3]),
])
def test_damaged_or_stale_copy_is_worked_out_again_and_replaced(tmp_path, truth, damage):
    load_bank_holidays(tmp_path)
    path = tmp_path / "bank-holidays-england-wales.json"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert load_bank_holidays(tmp_path) == truth
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == workdays._holidays_version()


def test_no_folder_or_unwritable_folder_still_gives_the_holidays(tmp_path, truth):
    assert load_bank_holidays(None) == truth
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    assert load_bank_holidays(blocked) == truth  # cannot make a folder under a file: nothing kept, no error
    assert not list(tmp_path.glob("**/*.partial"))


def test_calendar_counts_the_same_from_the_kept_copy(tmp_path, monkeypatch, truth):
    load_bank_holidays(tmp_path)
    _no_package(monkeypatch)
    kept = load_bank_holidays(tmp_path)
    monkeypatch.setattr(workdays, "bank_holidays", lambda: kept)
    calendar = WorkingCalendar()
    assert calendar.add(dt.date(2025, 12, 20), 5) == dt.date(2025, 12, 30)
    assert not calendar.is_working_day(dt.date(2026, 4, 3))  # Good Friday
