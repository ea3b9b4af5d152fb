"""The organisation's letterhead and the Housing Ombudsman's contact details, as editable settings.

The Ombudsman's details are data, not wording baked into templates: they change (the Service
stopped taking new case enquiries by email on 13 January 2026) and the landlord must be able to
correct them in Settings without a new release. Letters point to the online complaint form,
never to an email address.
"""

from __future__ import annotations

from typing import Any

OMBUDSMAN_SETTING = "ombudsman"
ORGANISATION_SETTING = "organisation"

DEFAULT_OMBUDSMAN: dict[str, str] = {
    "name": "Housing Ombudsman Service",
    "address": "PO Box 1484\nUnit D\nPreston\nPR2 0ET",
    "phone": "0300 111 3000",
    "website": "www.housing-ombudsman.org.uk",
    "complaint_form": "www.housing-ombudsman.org.uk/residents/make-a-complaint/",
}
OMBUDSMAN_FIELDS = tuple(DEFAULT_OMBUDSMAN)

ORGANISATION_FIELDS = ("name", "address", "phone", "email", "website", "signatory", "signatory_role", "logo")


def ombudsman_details(store: Any) -> dict[str, str]:
    """The Ombudsman's details from settings, with the published defaults for anything not set.

    Any email address kept in an older setting is ignored on purpose (see the module note)."""
    stored = store.get_setting(OMBUDSMAN_SETTING) or {}
    if not isinstance(stored, dict):
        stored = {}
    out = dict(DEFAULT_OMBUDSMAN)
    for key in OMBUDSMAN_FIELDS:
        value = stored.get(key)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out


def organisation_details(store: Any) -> dict[str, str]:
    """The landlord's letterhead details; missing fields are empty strings."""
    stored = store.get_setting(ORGANISATION_SETTING) or {}
    if not isinstance(stored, dict):
        stored = {}
    return {key: str(stored.get(key) or "").strip() for key in ORGANISATION_FIELDS}


def address_lines(text: str) -> list[str]:
    """An address as lines: its own line breaks, or else its commas (``4 Mill Terrace, Ludlow``)."""
    text = (text or "").strip()
    lines = text.splitlines() if "\n" in text else text.split(",")
    return [line.strip().rstrip(",").strip() for line in lines if line.strip().rstrip(",").strip()]
