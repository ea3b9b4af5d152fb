"""Shared fixtures: a fresh database per test and a fixed 'today' so deadlines are repeatable."""

from __future__ import annotations

import datetime as dt
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.sqlite3"


@pytest.fixture
def store(db_path):
    from hoscase.store import Store

    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def service(store):
    from hoscase.cases import CaseService

    return CaseService(store, who="Test Officer", today=TODAY)


@pytest.fixture
def new_case(service):
    """A factory for a stage 1 complaint with sensible defaults."""

    def make(**overrides):
        fields = dict(resident_name="Ann Example", address="1 Mill Terrace, Ludlow", received="2026-10-01",
                      channel="phone", category="Repairs", definition="The kitchen tap leaks.",
                      handler="Priya Shah")
        fields.update(overrides)
        return service.add_case(**fields)

    return make


@pytest.fixture(autouse=True)
def _no_window_outlives_its_test():
    """A window a test leaves open keeps its app-wide shortcuts (Ctrl+N, F8) alive and makes the next test's
    shortcuts ambiguous; close whatever is still showing once each test is done."""
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.close()
