"""The organisation's settings: its details for letters and reports, handlers, categories, closure days,
and the Housing Ombudsman's contact details.

Letters, reports and the first-run setup read these through ``organisation(store)`` and ``ombudsman(store)``
so every screen and document agrees on the defaults. Saving validates everything first and writes in one
transaction with each changed value in the history, so bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

from hoscase.errors import HoscaseError
from hoscase.validate import clean_text
from hoscase.workdays import FIRST_YEAR, LAST_YEAR, parse_date

ORGANISATION_DEFAULTS: dict[str, Any] = {
    "name": "",
    "address": "",
    "logo": "",
    "phone": "",
    "email": "",
    "website": "",
    "signatory": "",
    "signatory_role": "",
    "homes": None,
    "financial_year_start_month": 4,
}
REFERENCE_PREFIX_DEFAULT = "C"

# The Housing Ombudsman stopped taking new case enquiries by email on 13 January 2026: letters point to the form.
OMBUDSMAN_DEFAULTS: dict[str, str] = {
    "name": "Housing Ombudsman Service",
    "address": "PO Box 1484, Unit D, Preston, PR2 0ET",
    "phone": "0300 111 3000",
    "website": "www.housing-ombudsman.org.uk",
    "complaint_form": "www.housing-ombudsman.org.uk/residents/make-a-complaint/",
}

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
LOGO_MAX_BYTES = 5_000_000
MAX_FIELD = 2_000

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_WEBSITE = re.compile(r"^(https?://)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(/\S*)?$", re.I)
_PHONE = re.compile(r"^[0-9+() \-]{6,25}$")
_PREFIX = re.compile(r"^[A-Za-z0-9]{1,10}$")


def organisation(store: Any) -> dict[str, Any]:
    """The organisation's details with defaults filled in, plus its case reference prefix."""
    saved = store.get_setting("organisation") or {}
    out = dict(ORGANISATION_DEFAULTS)
    if isinstance(saved, dict):
        out.update({k: v for k, v in saved.items() if v is not None})
    out["reference_prefix"] = store.get_setting("reference_prefix", REFERENCE_PREFIX_DEFAULT) or REFERENCE_PREFIX_DEFAULT
    return out


def ombudsman(store: Any) -> dict[str, str]:
    """The Housing Ombudsman's contact details: the saved ones, else the published ones."""
    saved = store.get_setting("ombudsman") or {}
    out = dict(OMBUDSMAN_DEFAULTS)
    if isinstance(saved, dict):
        out.update({k: str(v) for k, v in saved.items() if k in OMBUDSMAN_DEFAULTS and str(v or "").strip()})
    return out


def logo_path(store: Any) -> Path | None:
    """The organisation's logo file if one is set and still there."""
    logo = organisation(store).get("logo") or ""
    if not logo:
        return None
    path = Path(logo)
    if not path.is_absolute():
        path = Path(store.path).parent / path
    return path if path.is_file() else None


# --- checking what the officer typed -----------------------------------------------------------------


def _text(value: Any, what: str, *, required: bool = False, limit: int = MAX_FIELD) -> str:
    return clean_text(value, what, required, limit=limit)


def _whole_number(value: Any, what: str, low: int, high: int, *, required: bool = True) -> int | None:
    if value is None or str(value).strip() == "":
        if required:
            raise HoscaseError(f"{what} is required")
        return None
    text = str(value).strip().replace(",", "")
    if not re.fullmatch(r"\d+", text):
        raise HoscaseError(f"{what} must be a whole number, not {value!r}")
    number = int(text)
    if not low <= number <= high:
        raise HoscaseError(f"{what} must be between {low:,} and {high:,}, not {number:,}")
    return number


def clean_organisation(values: dict[str, Any]) -> dict[str, Any]:
    """The organisation's details checked and tidied, or a HoscaseError naming the first problem."""
    unknown = set(values) - set(ORGANISATION_DEFAULTS) - {"reference_prefix"}
    if unknown:
        raise HoscaseError(f"unknown organisation setting {sorted(unknown)[0]!r}")
    out: dict[str, Any] = {}
    out["name"] = _text(values.get("name"), "organisation name", required=True, limit=200)
    out["address"] = _text(values.get("address"), "address", limit=500)
    out["logo"] = _text(values.get("logo"), "logo", limit=1000)
    phone = _text(values.get("phone"), "phone number", limit=40)
    if phone and not _PHONE.match(phone):
        raise HoscaseError(f"phone number {phone!r} should be digits, spaces and + ( ) - only")
    out["phone"] = phone
    email = _text(values.get("email"), "email address", limit=254)
    if email and not _EMAIL.match(email):
        raise HoscaseError(f"email address {email!r} is not in the form name@example.org")
    out["email"] = email
    website = _text(values.get("website"), "website", limit=300)
    if website and not _WEBSITE.match(website):
        raise HoscaseError(f"website {website!r} is not a web address like www.example.org")
    out["website"] = website
    out["signatory"] = _text(values.get("signatory"), "signatory", limit=200)
    out["signatory_role"] = _text(values.get("signatory_role"), "signatory's role", limit=200)
    out["homes"] = _whole_number(values.get("homes"), "number of homes", 1, 10_000_000, required=False)
    month = values.get("financial_year_start_month", 4)
    out["financial_year_start_month"] = _whole_number(month, "financial year start month", 1, 12)
    if "reference_prefix" in values:
        prefix = _text(values.get("reference_prefix"), "reference prefix", required=True, limit=10)
        if not _PREFIX.match(prefix):
            raise HoscaseError(f"reference prefix {prefix!r} must be 1 to 10 letters or digits (e.g. C or CMP)")
        out["reference_prefix"] = prefix
    return out


def clean_ombudsman(values: dict[str, Any]) -> dict[str, str]:
    unknown = set(values) - set(OMBUDSMAN_DEFAULTS)
    if unknown:
        raise HoscaseError(f"unknown Ombudsman detail {sorted(unknown)[0]!r}")
    labels = {"name": "the Ombudsman's name", "address": "the Ombudsman's address", "phone": "the Ombudsman's phone",
              "website": "the Ombudsman's website", "complaint_form": "the Ombudsman's complaint form address"}
    out = {key: _text(values.get(key, OMBUDSMAN_DEFAULTS[key]), labels[key], required=True, limit=500)
           for key in OMBUDSMAN_DEFAULTS}
    if not _PHONE.match(out["phone"]):
        raise HoscaseError(f"the Ombudsman's phone {out['phone']!r} should be digits, spaces and + ( ) - only")
    for key in ("website", "complaint_form"):
        if not _WEBSITE.match(out[key]):
            raise HoscaseError(f"{labels[key]} {out[key]!r} is not a web address")
    return out


def clean_handlers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Handlers as name, role and active; names must be unique (ignoring case) and not blank."""
    out, seen = [], set()
    for number, row in enumerate(rows, start=1):
        name = _text(row.get("name"), f"handler {number}'s name", required=True, limit=200)
        if name.casefold() in seen:
            raise HoscaseError(f"handler {name!r} is listed twice")
        seen.add(name.casefold())
        role = _text(row.get("role"), f"{name}'s role", limit=200) or "Complaints officer"
        out.append({"name": name, "role": role, "active": bool(row.get("active", True))})
    return out


def clean_categories(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for number, row in enumerate(rows, start=1):
        name = _text(row.get("name"), f"category {number}", required=True, limit=200)
        if name.casefold() in seen:
            raise HoscaseError(f"category {name!r} is listed twice")
        seen.add(name.casefold())
        out.append({"name": name, "active": bool(row.get("active", True))})
    return out


def clean_closure_days(days: dict[Any, Any]) -> dict[str, str]:
    """Closure days as ISO date to name; each a real date in the years the app counts, each named."""
    out: dict[str, str] = {}
    for day, name in days.items():
        date = parse_date(day, "closure day")
        if not FIRST_YEAR <= date.year < LAST_YEAR:
            raise HoscaseError(f"closure day {date.isoformat()} is outside the years the app counts")
        out[date.isoformat()] = _text(name, f"the name of closure day {date.isoformat()}", required=True, limit=200)
    return dict(sorted(out.items()))


# --- saving ------------------------------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _history(who: str, action: str, field: str, old: Any, new: Any) -> dict:
    return {"at": _now(), "who": who, "case_id": None, "entity": "settings", "action": action, "field": field,
            "old": None if old in (None, "") else str(old), "new": None if new in (None, "") else str(new)}


def _who(service: Any) -> str:
    return getattr(service, "who", None) or "officer"


def save_settings(service: Any, *, organisation_values: dict[str, Any] | None = None,
                  ombudsman_values: dict[str, Any] | None = None, handlers: list[dict] | None = None,
                  categories: list[dict] | None = None, closure_days: dict[Any, Any] | None = None) -> list[dict]:
    """Check every part given, then save them all in one transaction; returns the history rows written.

    Parts left as None are not touched. Handlers and categories are never deleted (old cases name them):
    one no longer used is marked inactive. Closure days not in ``closure_days`` are removed.
    """
    store = service.store
    org = clean_organisation(organisation_values) if organisation_values is not None else None
    omb = clean_ombudsman(ombudsman_values) if ombudsman_values is not None else None
    hands = clean_handlers(handlers) if handlers is not None else None
    cats = clean_categories(categories) if categories is not None else None
    closures = clean_closure_days(closure_days) if closure_days is not None else None
    who = _who(service)
    rows: list[dict] = []
    with store.transaction():
        if org is not None:
            before = organisation(store)
            prefix = org.pop("reference_prefix", None)
            saved = store.get_setting("organisation") or {}
            merged = {**(saved if isinstance(saved, dict) else {}), **org}
            for key, value in org.items():
                if before.get(key) != value:
                    rows.append(_history(who, "changed", f"organisation.{key}", before.get(key), value))
            store.put_setting("organisation", merged)
            if prefix is not None and prefix != before["reference_prefix"]:
                store.put_setting("reference_prefix", prefix)
                rows.append(_history(who, "changed", "reference_prefix", before["reference_prefix"], prefix))
        if omb is not None:
            before_omb = ombudsman(store)
            for key, value in omb.items():
                if before_omb[key] != value:
                    rows.append(_history(who, "changed", f"ombudsman.{key}", before_omb[key], value))
            store.put_setting("ombudsman", omb)
        if hands is not None:
            existing = {h["name"].casefold(): h for h in store.handlers(active_only=False)}
            listed = set()
            for h in hands:
                listed.add(h["name"].casefold())
                old = existing.get(h["name"].casefold())
                if old is None:
                    rows.append(_history(who, "added", "handler", None, f"{h['name']} ({h['role']})"))
                    store.put_handler(h["name"], h["role"], h["active"])
                elif (old["role"], bool(old["active"])) != (h["role"], h["active"]):
                    rows.append(_history(who, "changed", f"handler {old['name']}",
                                         f"{old['role']}, {'active' if old['active'] else 'inactive'}",
                                         f"{h['role']}, {'active' if h['active'] else 'inactive'}"))
                    store.put_handler(old["name"], h["role"], h["active"])
            for key, old in existing.items():
                if key not in listed and old["active"]:
                    rows.append(_history(who, "changed", f"handler {old['name']}", "active", "inactive"))
                    store.put_handler(old["name"], old["role"], False)
        if cats is not None:
            active_now = {c.casefold() for c in store.categories(active_only=True)}
            existing_cats = {c.casefold(): c for c in store.categories(active_only=False)}
            listed = set()
            for c in cats:
                key = c["name"].casefold()
                listed.add(key)
                if key not in existing_cats:
                    rows.append(_history(who, "added", "category", None, c["name"]))
                    store.put_category(c["name"], c["active"])
                elif (key in active_now) != c["active"]:
                    rows.append(_history(who, "changed", f"category {existing_cats[key]}",
                                         "active" if key in active_now else "inactive",
                                         "active" if c["active"] else "inactive"))
                    store.put_category(existing_cats[key], c["active"])
            for key, name in existing_cats.items():
                if key not in listed and key in active_now:
                    rows.append(_history(who, "changed", f"category {name}", "active", "inactive"))
                    store.put_category(name, False)
        if closures is not None:
            before_days = store.closure_days()
            for day, name in before_days.items():
                if day not in closures:
                    store.delete_closure_day(day)
                    rows.append(_history(who, "removed", f"closure day {day}", name, None))
            for day, name in closures.items():
                if before_days.get(day) != name:
                    store.put_closure_day(day, name)
                    rows.append(_history(who, "added" if day not in before_days else "changed",
                                         f"closure day {day}", before_days.get(day), name))
        store.insert_history(rows)
    return rows


def save_organisation(service: Any, values: dict[str, Any]) -> list[dict]:
    return save_settings(service, organisation_values=values)


def save_ombudsman(service: Any, values: dict[str, Any]) -> list[dict]:
    return save_settings(service, ombudsman_values=values)


def save_handlers(service: Any, rows: list[dict]) -> list[dict]:
    return save_settings(service, handlers=rows)


def save_categories(service: Any, rows: list[dict]) -> list[dict]:
    return save_settings(service, categories=rows)


def save_closure_days(service: Any, days: dict[Any, Any]) -> list[dict]:
    return save_settings(service, closure_days=days)


def category_rows(store: Any) -> list[dict[str, Any]]:
    """Every category with whether it is offered for new cases."""
    active = set(store.categories(active_only=True))
    return [{"name": name, "active": name in active} for name in store.categories(active_only=False)]


def check_logo(path: str | Path) -> Path:
    """The logo file if it is a PNG or JPEG of sensible size; else a HoscaseError saying what is wrong."""
    source = Path(str(path).strip()).expanduser()
    if not source.is_file():
        raise HoscaseError(f"logo file {source} does not exist")
    if source.suffix.lower() not in LOGO_SUFFIXES:
        raise HoscaseError(f"the logo must be a PNG or JPEG image, not {source.suffix or 'a file without a type'}")
    size = source.stat().st_size
    if size > LOGO_MAX_BYTES:
        raise HoscaseError(f"the logo file is {size / 1e6:.1f} MB; use one under {LOGO_MAX_BYTES / 1e6:.0f} MB")
    with source.open("rb") as fh:
        head = fh.read(8)
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        raise HoscaseError(f"{source.name} is not a PNG or JPEG image")
    return source


def copy_logo(source: Path | str, data_folder: Path | str) -> str:
    """Copy the chosen logo into the app's data folder (so it survives the original moving); returns its path."""
    source = check_logo(source)
    data = source.read_bytes()
    head = data[:8]
    folder = Path(data_folder)
    folder.mkdir(parents=True, exist_ok=True)
    # Named by content, so choosing a logo and then not saving never changes the one in use.
    digest = hashlib.sha256(data).hexdigest()[:12]
    suffix = ".png" if head.startswith(b"\x89PNG") else ".jpg"
    target = folder / f"logo-{digest}{suffix}"
    if source.resolve() != target.resolve():
        shutil.copyfile(source, target)
    return str(target)
