"""Letters to a resident's representative (Code 5.6): addressed to the representative in the envelope window,
"on behalf of" the resident, who is named in the letter; without a postal address for the representative,
the letter goes to the resident and says who is copied in."""

from __future__ import annotations

import io

import pypdf
import pytest
from letters_support import case_through_stage1, flat, pdf_text, respond_stage1, set_up_office, through_stage2

from hoscase.letters import KINDS, LetterService
from hoscase.letters.content import representative

MM = 72 / 25.4
WINDOW = (20 * MM, 50 * MM, 110 * MM, 95 * MM)  # left, top, right, bottom from the page's top-left (DL window)
REP_NAME = "Jo Ellis"
REP_CONTACT = "Citizens Advice Ludlow, 3 Castle Street, Ludlow, SY8 1AS; jo.ellis@ca.example"


@pytest.fixture
def letters(service, store, tmp_path):
    set_up_office(store)
    return LetterService(service, data_folder=tmp_path / "data", templates_folder=tmp_path / "own-letters")


def _full_case(service, new_case, letters, **fields):
    ref = case_through_stage1(service, new_case, **fields)
    letters.record_update_interval(ref, "Every Friday by phone.", stage=1)
    respond_stage1(service, ref)
    through_stage2(service, ref)
    return ref


def _window_text(pdf: bytes) -> str:
    """The text printed inside the envelope window on page 1."""
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    height = float(page.mediabox.height)
    left, top, right, bottom = WINDOW
    found: list[str] = []

    def visit(text, cm, tm, font, size):
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        if text.strip() and left - 1 <= x <= right and top <= height - y <= bottom:
            found.append(text)

    page.extract_text(visitor_text=visit)
    return flat(" ".join(found))


@pytest.mark.parametrize("kind", list(KINDS))
def test_letter_goes_to_the_representative_with_a_postal_address(service, new_case, letters, kind):
    if kind == "refusal":
        ref = new_case(resident_name="Zoë Thomas", address="24 Bridge Street, Ludlow, SY8 8DL").reference
        service.refuse(ref, on="2026-10-02", reason="over-12-months", explanation="It happened in 2023.")
    else:
        ref = _full_case(service, new_case, letters, resident_name="Zoë Thomas",
                         address="24 Bridge Street, Ludlow, SY8 8DL")
    service.update(ref, {"representative_name": REP_NAME, "representative_contact": REP_CONTACT})
    pdf = letters.produce(ref, kind, stage=1 if kind == "extension" else None).pdf
    window = _window_text(pdf)
    assert REP_NAME in window and "3 Castle Street" in window and "SY8 1AS" in window
    assert "Zoë Thomas" not in window and "Bridge Street" not in window  # not the resident's address
    assert "jo.ellis@ca.example" not in window  # an email address is not a postal line
    text = flat(pdf_text(pdf))
    assert f"Dear {REP_NAME}," in text
    assert "On behalf of: Zoë Thomas" in text
    assert "the representative of Zoë Thomas" in text
    # The resident is copied in, at their own address: the mirror of a copy to a representative.
    assert "Copy to: Zoë Thomas, 24 Bridge Street, Ludlow, SY8 8DL" in text
    assert text.count("Copy to") == 1


def test_representative_without_an_address_is_copied_in(service, new_case, letters):
    ref = _full_case(service, new_case, letters, resident_name="Zoë Thomas", address="24 Bridge Street, Ludlow")
    service.update(ref, {"representative_name": "Dariusz Nowak", "representative_contact": "07700 900123"})
    pdf = letters.produce(ref, "stage1-response").pdf
    window = _window_text(pdf)
    assert "Zoë Thomas" in window and "24 Bridge Street" in window
    text = flat(pdf_text(pdf))
    assert "Dear Zoë Thomas," in text
    assert "Copy to: Dariusz Nowak, your representative (07700 900123)" in text
    assert "Copy to: Zoë Thomas" not in text  # the letter is theirs: no copy to themselves
    assert "On behalf of" not in text


def test_without_a_representative_nothing_changes(service, new_case, letters):
    ref = _full_case(service, new_case, letters, resident_name="Zoë Thomas", address="24 Bridge Street, Ludlow")
    text = flat(pdf_text(letters.produce(ref, "stage2-response").pdf))
    assert "Dear Zoë Thomas," in text
    assert "On behalf of" not in text and "Copy to" not in text and "representative of" not in text


@pytest.mark.parametrize(("contact", "postal"), [
    ("3 Castle Street, Ludlow", True),
    ("Shelter, 88 Old Street, London EC1V 9HU", True),
    ("Unit 4, Market Hall\nShrewsbury SY1 1HQ", True),
    ("SY8 1AS", True),
    ("07700 900123", False),
    ("jo@example.org", False),
    ("her daughter, by phone", False),
    ("", False),
])
def test_postal_address_read_from_the_contact(service, new_case, contact, postal):
    case = new_case(representative_name="Jo Ellis", representative_contact=contact)
    rep = representative(case)
    assert rep is not None and rep.postal is postal
    if postal:
        assert all("@" not in line for line in rep.address)


def test_no_name_no_representative(service, new_case):
    assert representative(new_case(representative_contact="3 Castle Street, Ludlow")) is None


def test_update_interval_goes_to_the_stage_the_extension_letter_is_about(service, new_case, letters):
    """`letter REF extension --update-interval …` on a case now at stage 2 whose extension was at stage 1."""
    ref = case_through_stage1(service, new_case)
    respond_stage1(service, ref)
    service.escalate(ref, on="2026-10-25", handler="Grace Okafor")
    case = letters.record_update_interval(ref, "Every Friday by phone.")
    assert case.stages[1].update_interval == "Every Friday by phone."
    assert not case.stages[2].update_interval
    text = flat(pdf_text(letters.produce(ref, "extension").pdf))
    assert "Every Friday by phone." in text
