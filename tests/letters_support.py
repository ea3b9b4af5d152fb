"""Shared set-up for the letters tests: an organisation, handlers, and a case taken through both stages."""

from __future__ import annotations

import io
import re

import pypdf

ORGANISATION = {
    "name": "St Wilfrid's Almshouse Charity",
    "address": "The Clerk's Office\n4 Hospital Yard\nLudlow\nSY8 1AB",
    "phone": "01584 000 111",
    "email": "complaints@stwilfrids.example",
    "website": "www.stwilfrids.example",
    "signatory": "Priya Shah",
    "signatory_role": "Complaints Officer",
}


def set_up_office(store) -> None:
    with store.transaction():
        store.put_setting("organisation", ORGANISATION)
        store.put_handler("Priya Shah", "Complaints Officer")
        store.put_handler("Grace Okafor", "Head of Housing Services")


def case_through_stage1(service, new_case, **overrides):
    """Acknowledged, extended (with an agreed update interval) and responded at stage 1."""
    fields = dict(resident_name="Siobhán O'Brien & <Sons>", address="Flat 2, 4 Mill Terrace, Ludlow, SY8 1AA",
                  received="2026-10-01", definition="The kitchen tap has leaked for six weeks.",
                  outcome_sought="Repair the tap and replace the cupboard.",
                  not_responsible="The streetlight outside is the council's.")
    fields.update(overrides)
    case = new_case(**fields)
    ref = case.reference
    service.acknowledge(ref, on="2026-10-02")
    service.extend(ref, 5, "Awaiting the surveyor's report on the floor.", on="2026-10-10")
    return ref


def respond_stage1(service, ref):
    return service.respond(
        ref, on="2026-10-20", decision="partly-upheld",
        reasons="The repair was reported on 12 August and not attended within our timescale.",
        remedies=[{"kind": "apology", "description": "We apologise for the delay in repairing the tap."},
                  {"kind": "compensation", "description": "Compensation for time and trouble", "amount": "75",
                   "due": "2026-11-30"}],
        actions=[{"description": "Replace the cupboard under the sink", "owner": "Repairs team",
                  "due": "2026-12-04"}],
    )


def through_stage2(service, ref):
    service.escalate(ref, on="2026-10-25", handler="Grace Okafor", definition="The cupboard is still not replaced.")
    service.acknowledge(ref, on="2026-10-27")
    return service.respond(ref, on="2026-11-18", decision="upheld",
                           reasons="On review, the cupboard should have been replaced with the tap.")


_FURNITURE = re.compile(r"^(Page \d+ of \d+|\S+ \u00b7 \d{1,2} [A-Z][a-z]+ \d{4})$")


def pdf_text(pdf: bytes) -> str:
    """The letter's text, without the page numbers and running headers that interrupt text flowing over a page."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        lines = (page.extract_text() or "").splitlines()
        pages.append("\n".join(line for line in lines if not _FURNITURE.match(line.strip())))
    return "\n".join(pages)


def page_furniture(pdf: bytes) -> list[str]:
    """The page numbers and running headers, page by page."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [line.strip() for page in reader.pages for line in (page.extract_text() or "").splitlines()
            if _FURNITURE.match(line.strip())]


def flat(text: str) -> str:
    """Text with all whitespace collapsed to single spaces, for phrases that wrap across lines."""
    return " ".join(text.split())


def squeezed(text: str) -> str:
    """Text with no whitespace at all: for checks that must not depend on where lines wrap."""
    return "".join(text.split())


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


_TF = re.compile(rb"/(\S+)\s+([0-9.]+)\s+Tf")
_TEXT_BLOCK = re.compile(rb"\bBT\b(.*?)\bET\b", re.S)
_SHOWS_TEXT = re.compile(rb"\)\s*Tj|\]\s*TJ|>\s*Tj")


def font_sizes(pdf: bytes) -> set[float]:
    """The font size (the Tf operator) of every text block that shows text, on every page.

    reportlab also opens empty text blocks that only reset the font (Helvetica 12, 10): those print
    nothing and are left out."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    sizes: set[float] = set()
    for page in reader.pages:
        for block in _TEXT_BLOCK.finditer(page.get_contents().get_data()):
            if _SHOWS_TEXT.search(block.group(1)):
                sizes.update(float(m.group(2)) for m in _TF.finditer(block.group(1)))
    return sizes
