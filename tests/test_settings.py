"""The organisation's settings: defaults, checks, one transaction per save, and every change in the history."""

from __future__ import annotations

import pytest

from hoscase.errors import HoscaseError
from hoscase.settings import (
    OMBUDSMAN_DEFAULTS,
    copy_logo,
    logo_path,
    ombudsman,
    organisation,
    save_closure_days,
    save_handlers,
    save_ombudsman,
    save_organisation,
    save_settings,
)

GOOD = {"name": "Ludlow Almshouses", "address": "1 Church Close\nLudlow", "phone": "01584 000 222",
        "email": "complaints@ludlow.example", "website": "www.ludlow.example", "signatory": "Priya Shah",
        "signatory_role": "Clerk", "homes": "36", "financial_year_start_month": 4, "reference_prefix": "LA"}


def _settings_history(store):
    return store.query("SELECT * FROM history WHERE entity = 'settings' ORDER BY id")


def test_defaults(store):
    org = organisation(store)
    assert org["financial_year_start_month"] == 4 and org["reference_prefix"] == "C" and org["name"] == ""
    omb = ombudsman(store)
    assert omb == OMBUDSMAN_DEFAULTS
    assert omb["address"] == "PO Box 1484, Unit D, Preston, PR2 0ET" and omb["phone"] == "0300 111 3000"
    assert "make-a-complaint" in omb["complaint_form"]


def test_save_organisation_logs_each_change_and_sets_the_prefix(service, store, new_case):
    rows = save_organisation(service, GOOD)
    org = organisation(store)
    assert org["homes"] == 36 and org["name"] == "Ludlow Almshouses" and org["reference_prefix"] == "LA"
    fields = {r["field"] for r in _settings_history(store)}
    assert {"organisation.name", "organisation.email", "organisation.homes", "reference_prefix"} <= fields
    assert all(r["who"] == "Test Officer" and r["case_id"] is None for r in _settings_history(store))
    assert len(rows) == len(_settings_history(store))
    assert new_case().reference == "LA-2026-0001"
    # Saving the same again changes nothing and logs nothing.
    assert save_organisation(service, GOOD) == []
    again = save_organisation(service, {**GOOD, "phone": "01584 999 999"})
    assert [(r["field"], r["old"], r["new"]) for r in again] == [("organisation.phone", "01584 000 222",
                                                                 "01584 999 999")]


@pytest.mark.parametrize("change, message", [
    ({"email": "not an email"}, "email address 'not an email' is not in the form"),
    ({"email": "a@b"}, "not in the form"),
    ({"homes": "0"}, "number of homes must be between 1"),
    ({"homes": "-3"}, "number of homes must be a whole number"),
    ({"homes": "12.5"}, "whole number"),
    ({"homes": "lots"}, "whole number"),
    ({"name": " "}, "organisation name is required"),
    ({"financial_year_start_month": 13}, "financial year start month must be between 1 and 12"),
    ({"reference_prefix": "C-"}, "reference prefix 'C-' must be 1 to 10 letters or digits"),
    ({"website": "not a site"}, "is not a web address"),
    ({"phone": "call me"}, "phone number"),
])
def test_bad_organisation_input_refused_nothing_saved(service, store, change, message):
    save_organisation(service, GOOD)
    before, history = organisation(store), _settings_history(store)
    with pytest.raises(HoscaseError, match=message):
        save_settings(service, organisation_values={**GOOD, **change}, handlers=[{"name": "New Person"}])
    assert organisation(store) == before and _settings_history(store) == history
    assert store.handlers() == []


def test_ombudsman_edit_and_check(service, store):
    save_ombudsman(service, {**OMBUDSMAN_DEFAULTS, "phone": "0300 111 3001"})
    assert ombudsman(store)["phone"] == "0300 111 3001"
    with pytest.raises(HoscaseError, match="the Ombudsman's name is required"):
        save_ombudsman(service, {**OMBUDSMAN_DEFAULTS, "name": ""})
    with pytest.raises(HoscaseError, match="complaint form address"):
        save_ombudsman(service, {**OMBUDSMAN_DEFAULTS, "complaint_form": "nonsense here"})


def test_handlers_never_deleted_only_made_inactive(service, store):
    save_handlers(service, [{"name": "Priya Shah", "role": "Clerk"}, {"name": "Tom Evans", "role": "Manager"}])
    assert [h["name"] for h in store.handlers()] == ["Priya Shah", "Tom Evans"]
    save_handlers(service, [{"name": "Priya Shah", "role": "Clerk"}, {"name": "Tom Evans", "role": "Manager",
                                                                     "active": False}])
    assert [h["name"] for h in store.handlers()] == ["Priya Shah"]
    assert len(store.handlers(active_only=False)) == 2
    with pytest.raises(HoscaseError, match="listed twice"):
        save_handlers(service, [{"name": "Priya Shah"}, {"name": "priya shah"}])
    with pytest.raises(HoscaseError, match="name is required"):
        save_handlers(service, [{"name": ""}])


def test_closure_days_move_deadlines(service, store, new_case):
    case = new_case(received="2026-11-16")
    assert service.get(case.reference).stages[1].acknowledge_due.isoformat() == "2026-11-23"
    save_closure_days(service, {"2026-11-18": "Office move"})
    assert service.get(case.reference).stages[1].acknowledge_due.isoformat() == "2026-11-24"
    assert [(r["field"], r["new"]) for r in _settings_history(store)] == [("closure day 2026-11-18", "Office move")]
    save_closure_days(service, {})
    assert service.get(case.reference).stages[1].acknowledge_due.isoformat() == "2026-11-23"
    with pytest.raises(HoscaseError, match="not a real date"):
        save_closure_days(service, {"2026-02-30": "Nope"})
    with pytest.raises(HoscaseError, match="name of closure day 2026-11-18 is required"):
        save_closure_days(service, {"2026-11-18": " "})


def test_copy_logo(tmp_path, service, store):
    png = tmp_path / "crest.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    target = copy_logo(png, tmp_path / "data")
    assert target.startswith(str(tmp_path / "data")) and open(target, "rb").read() == png.read_bytes()
    save_organisation(service, {**GOOD, "logo": target})
    assert str(logo_path(store)) == target
    fake = tmp_path / "fake.png"
    fake.write_text("not an image")
    with pytest.raises(HoscaseError, match="is not a PNG or JPEG image"):
        copy_logo(fake, tmp_path / "data")
    gif = tmp_path / "crest.gif"
    gif.write_bytes(b"GIF89a")
    with pytest.raises(HoscaseError, match="must be a PNG or JPEG"):
        copy_logo(gif, tmp_path / "data")
