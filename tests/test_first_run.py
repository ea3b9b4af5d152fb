"""The first-run setup: checks that name the problem and save nothing, one transaction, and the wizard."""

from __future__ import annotations

import pytest

from hoscase.errors import HoscaseError
from hoscase.first_run import DEFAULT_CATEGORIES, check_part, clean_answers, needs_first_run, save_first_run

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5d6c1"
    "d10000000049454e44ae426082"
)


def good_answers(**overrides):
    answers = {
        "name": "Ludlow Almshouse Charity",
        "address": "The Old School House\nMill Street\nLudlow SY8 1AA",
        "homes": "42",
        "logo": "",
        "phone": "01584 872 000",
        "email": "complaints@ludlow-almshouses.org.uk",
        "website": "www.ludlow-almshouses.org.uk",
        "signatory": "Margaret Hughes",
        "signatory_role": "Clerk to the Trustees",
        "handlers": [{"name": "Margaret Hughes", "role": "Clerk"}, {"name": "David Price", "role": "Chair"}],
        "year_start_month": 4,
    }
    answers.update(overrides)
    return answers


def history(store):
    return store.query("SELECT entity, action, field, new, who FROM history ORDER BY id")


# --- the core ---------------------------------------------------------------------------------------


def test_needs_first_run_until_the_organisation_is_saved(store):
    assert needs_first_run(store)
    save_first_run(store, good_answers(), "Margaret Hughes")
    assert not needs_first_run(store)


def test_saves_organisation_handlers_year_and_default_categories(store):
    saved = save_first_run(store, good_answers(homes="1,250", year_start_month="january"), "Margaret Hughes")
    org = store.get_setting("organisation")
    assert org["name"] == "Ludlow Almshouse Charity"
    assert org["address"].splitlines() == ["The Old School House", "Mill Street", "Ludlow SY8 1AA"]
    assert org["homes"] == 1250
    assert org["signatory"] == "Margaret Hughes" and org["signatory_role"] == "Clerk to the Trustees"
    assert org["financial_year_start_month"] == 1
    assert saved["year_start_month"] == 1
    assert {h["name"]: h["role"] for h in store.handlers()} == {"Margaret Hughes": "Clerk", "David Price": "Chair"}
    assert sorted(store.categories()) == sorted(DEFAULT_CATEGORIES)
    rows = history(store)
    assert rows and all(r["entity"] == "settings" and r["who"] == "Margaret Hughes" for r in rows)
    assert rows[-1]["action"] == "first run" and "Ludlow Almshouse Charity" in rows[-1]["new"]
    assert any(r["field"] == "organisation.name" for r in rows)


def test_existing_categories_and_handlers_are_kept(store):
    with store.transaction():
        store.put_category("Noise")
        store.put_handler("Grace Okafor", "Housing manager")
    save_first_run(store, good_answers(handlers=[{"name": "Priya Shah", "role": ""}]), "me")
    assert store.categories() == ["Noise"]
    roles = {h["name"]: h["role"] for h in store.handlers()}
    assert roles == {"Grace Okafor": "Housing manager", "Priya Shah": "Complaints officer"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "   "}, "organisation name is required"),
        ({"address": ""}, "address is required"),
        ({"homes": ""}, "number of homes is required"),
        ({"homes": "forty"}, "whole number"),
        ({"homes": "0"}, "between 1"),
        ({"signatory": ""}, "signatory is required"),
        ({"signatory_role": " "}, "role is required"),
        ({"phone": "", "email": ""}, "phone number or an email"),
        ({"email": "complaints@"}, "not in the form"),
        ({"phone": "call us"}, "digits"),
        ({"website": "not a website"}, "web address"),
        ({"handlers": []}, "at least one complaint handler"),
        ({"handlers": [{"name": "", "role": "Clerk"}]}, "handler 1's name is required"),
        ({"handlers": [{"name": "Ann", "role": ""}, {"name": "ann", "role": ""}]}, "listed twice"),
        ({"year_start_month": 13}, "between 1 and 12"),
        ({"logo": "/no/such/logo.png"}, "does not exist"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(store, overrides, message):
    with pytest.raises(HoscaseError, match=message):
        save_first_run(store, good_answers(**overrides), "me")
    assert needs_first_run(store)
    assert store.get_setting("organisation") is None
    assert store.handlers(active_only=False) == [] and store.categories(active_only=False) == []
    assert history(store) == []


def test_a_logo_that_is_not_an_image_is_refused(store, tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_text("not really a picture")
    with pytest.raises(HoscaseError, match="not a PNG or JPEG"):
        save_first_run(store, good_answers(logo=str(fake)), "me")
    assert needs_first_run(store)


def test_the_logo_is_copied_into_the_data_folder(store, tmp_path):
    source = tmp_path / "elsewhere" / "our-logo.png"
    source.parent.mkdir()
    source.write_bytes(PNG_1PX)
    data = tmp_path / "data"
    save_first_run(store, good_answers(logo=str(source)), "me", data_folder=data)
    logo = store.get_setting("organisation")["logo"]
    assert logo.startswith(str(data)) and logo.endswith(".png")
    source.unlink()
    from hoscase.settings import logo_path

    assert logo_path(store) is not None  # still there after the original went


def test_a_failure_mid_save_leaves_nothing_behind(store, monkeypatch):
    def broken(rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "insert_history", broken)
    with pytest.raises(RuntimeError):
        save_first_run(store, good_answers(), "me")
    assert store.get_setting("organisation") is None
    assert store.handlers(active_only=False) == [] and store.categories(active_only=False) == []


def test_each_part_is_checked_on_its_own():
    assert check_part("organisation", good_answers(phone="nonsense"))["name"] == "Ludlow Almshouse Charity"
    with pytest.raises(HoscaseError, match="digits"):
        check_part("contact", good_answers(phone="nonsense"))
    assert check_part("handlers", good_answers(handlers=[{"name": "Ann", "role": ""}, {"name": " ", "role": ""}])
                      )["handlers"] == [{"name": "Ann", "role": "Complaints officer", "active": True}]
    assert clean_answers(good_answers())["homes"] == 42


# --- the wizard -------------------------------------------------------------------------------------


@pytest.fixture
def ctx(store):
    from hoscase.gui.context import AppContext

    return AppContext(store, data_folder=store.path.parent)


def _wizard(qtbot, ctx):
    from hoscase.gui.dialogs.first_run import FirstRunWizard

    wizard = FirstRunWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_wizard_says_where_the_database_is(qtbot, ctx):
    from PySide6.QtWidgets import QLabel

    wizard = _wizard(qtbot, ctx)
    texts = " ".join(label.text() for label in wizard.welcome.findChildren(QLabel))
    assert str(ctx.store.path) in texts


def test_wizard_stops_on_a_bad_page_with_the_problem_in_words(qtbot, ctx):
    wizard = _wizard(qtbot, ctx)
    wizard.next()
    assert wizard.currentPage() is wizard.organisation_page
    wizard.next()  # nothing typed
    assert wizard.currentPage() is wizard.organisation_page
    assert not wizard.organisation_page.error.isHidden()
    assert "organisation name is required" in wizard.organisation_page.error.text().lower()
    qtbot.keyClicks(wizard.organisation_page.name, "Ludlow")
    assert wizard.organisation_page.error.isHidden()  # the old message goes once the officer types
    assert needs_first_run(ctx.store)


def test_wizard_filled_in_and_finished_saves_everything(qtbot, ctx, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1PX)
    wizard = _wizard(qtbot, ctx)
    changed = []
    ctx.settings_changed.connect(lambda: changed.append(True))
    wizard.next()
    page = wizard.organisation_page
    qtbot.keyClicks(page.name, "Ludlow Almshouse Charity")
    page.address.setPlainText("Mill Street\nLudlow SY8 1AA")
    page.homes.setValue(42)
    page.logo.setText(str(logo))
    wizard.next()
    assert wizard.currentPage() is wizard.contact_page
    contact = wizard.contact_page
    qtbot.keyClicks(contact.signatory, "Margaret Hughes")
    qtbot.keyClicks(contact.signatory_role, "Clerk to the Trustees")
    qtbot.keyClicks(contact.email, "complaints@ludlow.org.uk")
    wizard.next()
    assert wizard.currentPage() is wizard.handlers_page
    handlers = wizard.handlers_page
    # The signatory is offered as the first handler, with their role.
    assert (handlers.table.item(0, 0).text(), handlers.table.item(0, 1).text()) == (
        "Margaret Hughes", "Clerk to the Trustees")
    handlers.add_handler("David Price", "Chair of Trustees")
    wizard.next()
    assert wizard.currentPage() is wizard.year_page
    wizard.year_page.month.setCurrentIndex(0)  # January
    wizard.next()
    assert wizard.currentPage() is wizard.summary_page
    summary = wizard.summary_page.summary.text()
    assert "Ludlow Almshouse Charity" in summary and "David Price (Chair of Trustees)" in summary
    assert "1 January" in summary
    assert needs_first_run(ctx.store)  # nothing saved before Finish
    with qtbot.waitSignal(wizard.finished, timeout=2000):
        wizard.button(wizard.WizardButton.FinishButton).click()
    assert wizard.result() == wizard.DialogCode.Accepted
    assert not needs_first_run(ctx.store)
    org = ctx.store.get_setting("organisation")
    assert org["email"] == "complaints@ludlow.org.uk" and org["homes"] == 42
    assert org["financial_year_start_month"] == 1
    assert org["logo"].startswith(str(ctx.data_folder))
    assert {h["name"] for h in ctx.store.handlers()} == {"Margaret Hughes", "David Price"}
    assert wizard.value["name"] == "Ludlow Almshouse Charity"
    assert changed


def test_wizard_run_returns_the_saved_answers(qtbot, ctx, monkeypatch):
    from hoscase.gui.dialogs.first_run import FirstRunWizard

    def fake_exec(self):
        self.show()  # exec() would show the wizard, which starts it on its first page
        self.next()
        p = self.organisation_page
        p.name.setText("Tiny Trust")
        p.address.setPlainText("1 High Street")
        p.homes.setValue(8)
        self.next()
        c = self.contact_page
        c.signatory.setText("Ann Lee")
        c.signatory_role.setText("Clerk")
        c.phone.setText("01234 567890")
        self.next()
        self.handlers_page.table.item(0, 0).setText("Ann Lee")
        self.next()
        self.next()
        self.accept()
        return self.result()

    monkeypatch.setattr(FirstRunWizard, "exec", fake_exec)
    value, accepted = FirstRunWizard.run(ctx)
    assert accepted and value["name"] == "Tiny Trust"
    assert not needs_first_run(ctx.store)


def test_wizard_cancelled_saves_nothing(qtbot, ctx, monkeypatch):
    from hoscase.gui.dialogs.first_run import FirstRunWizard

    def fake_exec(self):
        self.show()  # exec() would show the wizard, which starts it on its first page
        self.next()
        self.organisation_page.name.setText("Tiny Trust")
        self.reject()
        return self.result()

    monkeypatch.setattr(FirstRunWizard, "exec", fake_exec)
    assert FirstRunWizard.run(ctx) == (None, False)
    assert needs_first_run(ctx.store)


def test_setup_if_needed_asks_only_once(qtbot, ctx, monkeypatch):
    from hoscase.gui.dialogs import first_run as dialog

    calls = []
    monkeypatch.setattr(dialog.FirstRunWizard, "run", classmethod(lambda cls, c, parent=None: calls.append(c)
                                                                  or (None, False)))
    assert dialog.setup_if_needed(ctx) is False  # cancelled: the app does not open unsigned
    save_first_run(ctx.store, good_answers(), "me")
    assert dialog.setup_if_needed(ctx) is True
    assert len(calls) == 1


def test_the_app_asks_for_setup_on_a_new_database_and_closes_if_cancelled(qtbot, tmp_path, monkeypatch):
    """run_app on a new file: the setup comes first; Cancel closes the app with nothing half-set."""
    from PySide6.QtWidgets import QApplication

    from hoscase.gui import app as app_module
    from hoscase.gui.dialogs.first_run import FirstRunWizard
    from hoscase.store import Store

    asked: list[bool] = []
    shown: list[str] = []
    monkeypatch.setattr(FirstRunWizard, "run", classmethod(
        lambda cls, ctx, parent=None: (asked.append(True), (None, False))[1]))
    monkeypatch.setattr(app_module, "install_excepthook", lambda: None)
    monkeypatch.setattr(app_module, "make_application", QApplication.instance)  # keep the test run's app as it is
    monkeypatch.setattr(QApplication, "exec", lambda self: shown.append("exec") or 0)
    path = tmp_path / "new.sqlite3"
    assert app_module.run_app(str(path)) == 0
    assert asked == [True] and shown == []  # no main window when the setup was cancelled
    store = Store(path)
    assert needs_first_run(store)
    with store.transaction():
        store.put_setting("organisation", {"name": "Almshouse Trust"})
    store.close()
    asked.clear()
    assert app_module.run_app(str(path)) == 0
    assert asked == [] and shown == ["exec"]  # set up already: straight to the main window
    from hoscase.gui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():  # its Ctrl+N would clash with later tests' windows
        if isinstance(widget, MainWindow):
            widget.close()
            widget.deleteLater()
    QApplication.processEvents()
