"""The first run: what the office tells the app before its first complaint, checked and saved at once.

Every letter and report needs the organisation's name, address and signatory, and a case needs a handler,
so the app asks for these once, up front, instead of producing letters signed by nobody. The checks are the
settings page's own (``hoscase.settings``) plus what a first letter cannot do without; everything is saved
in one transaction so a half-answered setup never leaves a half-configured office.
"""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path
from typing import Any

from hoscase.errors import HoscaseError
from hoscase.settings import (
    check_logo,
    clean_handlers,
    clean_organisation,
    copy_logo,
    save_settings,
)

DEFAULT_CATEGORIES = (
    "Repairs",
    "Damp and mould",
    "Anti-social behaviour",
    "Staff conduct",
    "Rent and charges",
    "Estate services",
    "Communication",
    "Other",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DEFAULT_YEAR_START_MONTH = 4
DEFAULT_HANDLER_ROLE = "Complaints officer"

# The parts of the setup, in the order the wizard asks them; each is checked on its own page.
PARTS = ("organisation", "contact", "handlers", "year")
_ORGANISATION_KEYS = ("name", "address", "logo", "homes")
_CONTACT_KEYS = ("phone", "email", "website", "signatory", "signatory_role")


def needs_first_run(store: Any) -> bool:
    """True until the organisation's details have been saved (the setup has not been done)."""
    saved = store.get_setting("organisation")
    return not (isinstance(saved, dict) and str(saved.get("name") or "").strip())


def check_part(part: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Check one page's answers; returns them tidied, or raises a HoscaseError naming the first problem."""
    if part == "organisation":
        cleaned = clean_organisation({key: answers.get(key) for key in ("name", "address", "homes")})
        if cleaned["homes"] is None:
            raise HoscaseError("the number of homes is required: the annual report counts complaints per 1,000 homes")
        if not cleaned["address"]:
            raise HoscaseError("the organisation's address is required: it is printed on every letter")
        logo = str(answers.get("logo") or "").strip()
        if logo:
            check_logo(logo)
        return {"name": cleaned["name"], "address": cleaned["address"], "homes": cleaned["homes"], "logo": logo}
    if part == "contact":
        values = {key: answers.get(key) for key in _CONTACT_KEYS}
        cleaned = clean_organisation({"name": "-", "homes": 1, **values})
        if not cleaned["signatory"]:
            raise HoscaseError("the signatory is required: letters are signed by a named person")
        if not cleaned["signatory_role"]:
            raise HoscaseError("the signatory's role is required (for example Complaints Officer)")
        if not (cleaned["phone"] or cleaned["email"]):
            raise HoscaseError("give a phone number or an email address so residents can reach you")
        return {key: cleaned[key] for key in _CONTACT_KEYS}
    if part == "handlers":
        rows = [row for row in (answers.get("handlers") or [])
                if str(row.get("name") or "").strip() or str(row.get("role") or "").strip()]
        if not rows:
            raise HoscaseError("name at least one complaint handler")
        return {"handlers": clean_handlers([{"name": r.get("name"), "role": r.get("role") or DEFAULT_HANDLER_ROLE}
                                            for r in rows])}
    if part == "year":
        month = answers.get("year_start_month", DEFAULT_YEAR_START_MONTH)
        if isinstance(month, str) and month.strip().title() in MONTHS:
            month = MONTHS.index(month.strip().title()) + 1
        cleaned = clean_organisation({"name": "-", "homes": 1, "financial_year_start_month": month})
        return {"year_start_month": cleaned["financial_year_start_month"]}
    raise ValueError(f"unknown first-run part {part!r}")


def clean_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """Every part checked in the wizard's order; the first problem is raised as a HoscaseError."""
    out: dict[str, Any] = {}
    for part in PARTS:
        out.update(check_part(part, answers))
    return out


def save_first_run(store: Any, answers: dict[str, Any], who: str, *, data_folder: Path | str | None = None
                   ) -> dict[str, Any]:
    """Check everything, then save it all in one transaction with the history; returns what was saved.

    The logo is copied into the data folder (beside the database unless told otherwise) so the letters
    keep working if the original file moves. Handlers already in the database are kept; the default
    complaint categories are added only if there are none.
    """
    cleaned = clean_answers(answers)
    if cleaned["logo"]:
        folder = Path(data_folder) if data_folder else Path(store.path).parent
        cleaned["logo"] = copy_logo(check_logo(cleaned["logo"]), folder)
    organisation_values = {key: cleaned[key] for key in _ORGANISATION_KEYS + _CONTACT_KEYS}
    organisation_values["financial_year_start_month"] = cleaned["year_start_month"]
    new_handlers = {h["name"].casefold(): h for h in cleaned["handlers"]}
    handlers = [{"name": h["name"], "role": h["role"], "active": bool(h["active"])}
                for h in store.handlers(active_only=False) if h["name"].casefold() not in new_handlers]
    handlers += cleaned["handlers"]
    categories = None
    if not store.categories(active_only=False):
        categories = [{"name": name, "active": True} for name in DEFAULT_CATEGORIES]
    service = types.SimpleNamespace(store=store, who=who or "officer")
    with store.transaction():
        save_settings(service, organisation_values=organisation_values, handlers=handlers, categories=categories)
        store.insert_history([{
            "at": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "who": who or "officer",
            "case_id": None, "entity": "settings", "action": "first run", "field": "setup", "old": None,
            "new": f"set up {cleaned['name']}: {len(cleaned['handlers'])} handler(s), "
                   f"year starts in {MONTHS[cleaned['year_start_month'] - 1]}"
                   + (f", {len(categories)} default categories" if categories else ""),
        }])
    return cleaned
