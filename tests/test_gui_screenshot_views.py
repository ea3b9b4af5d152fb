"""`hoscase screenshot --view data` and `--view setup`: the Backups page and the first-run wizard, offscreen."""

from __future__ import annotations

from PySide6.QtGui import QImage


def test_data_and_setup_views_render_without_blocking(qtbot, tmp_path, store, new_case, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from hoscase.cli import main
    from hoscase.first_run import needs_first_run
    from hoscase.gui import app as app_module

    monkeypatch.setattr(app_module, "make_application", QApplication.instance)  # the test run's app, unrestyled

    new_case()
    store.close()
    db = tmp_path / "test.sqlite3"
    data = tmp_path / "data.png"
    assert main(["--db", str(db), "screenshot", "--view", "data", "-o", str(data)]) == 0
    assert (QImage(str(data)).width(), QImage(str(data)).height()) == (1280, 800)

    setup = tmp_path / "setup.png"
    assert main(["--db", str(db), "screenshot", "--view", "setup", "-o", str(setup)]) == 0
    image = QImage(str(setup))
    assert (image.width(), image.height()) == (760, 580)  # the wizard's own size, not the main window's
    for page in ("organisation", "6"):
        assert main(["--db", str(db), "screenshot", "--view", "setup", "--page", page, "-o", str(setup)]) == 0
    assert main(["--db", str(db), "screenshot", "--view", "setup", "--page", "7", "-o", str(setup)]) == 2
    assert main(["--db", str(db), "screenshot", "--view", "setup", "--page", "logo", "-o", str(setup)]) == 2

    from hoscase.store import Store

    again = Store(db, create=False)
    try:
        assert needs_first_run(again)  # the picture of the wizard saved nothing
    finally:
        again.close()


def test_views_agree_between_the_cli_and_the_renderer():
    from hoscase.cli.gui import SETUP_PAGES, VIEWS
    from hoscase.gui import screenshot

    assert VIEWS == screenshot.VIEWS
    assert len(SETUP_PAGES) == screenshot.SETUP_PAGES
