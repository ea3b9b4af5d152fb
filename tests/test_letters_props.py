"""Hostile text in letters, by property: markup characters, accents and right-to-left names print as typed
(or at least with their own glyphs), and very long text flows onto further pages without losing a word."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from letters_support import page_count, pdf_text, set_up_office, squeezed

from hoscase.cases import CaseService
from hoscase.letters import LetterService
from hoscase.letters.markup import clean_text, has_rtl, to_markup
from hoscase.store import Store

MARKUP = "<>&;\"'/=#[]{}*"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,'"
ACCENTED = "áéíóúàèçñöüßøåÆŒœÁÉÍÓÚÑ"
POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыэюяАБВГДЕЖЗИЙКЛМН"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
HEBREW = "אבגדהוזחטיכלמנסעפצקרשת"

ltr_names = st.text(alphabet=MARKUP + LATIN + ACCENTED + POLISH + CYRILLIC, min_size=1, max_size=60).filter(
    lambda s: s.strip())
any_names = st.text(alphabet=MARKUP + LATIN + ACCENTED + ARABIC + HEBREW + " ", min_size=1, max_size=60).filter(
    lambda s: s.strip())
FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def office(tmp_path):
    store = Store(tmp_path / "props.sqlite3")
    set_up_office(store)
    service = CaseService(store, who="Test Officer", today=dt.date(2026, 11, 20))
    case = service.add_case(resident_name="Placeholder", address="1 Mill Terrace\nLudlow", received="2026-10-01",
                            channel="phone", category="Repairs", definition="A leak.", outcome_sought="A repair",
                            handler="Priya Shah")
    letters = LetterService(service, data_folder=tmp_path / "data", templates_folder=tmp_path / "own")
    yield service, letters, case.reference
    store.close()


@FAST
@given(name=ltr_names, definition=st.text(alphabet=MARKUP + LATIN + ACCENTED + POLISH + CYRILLIC + "\n",
                                          min_size=1, max_size=400).filter(lambda s: s.strip()))
def test_left_to_right_text_prints_exactly_as_typed(office, name, definition):
    service, letters, ref = office
    service.update(ref, {"resident_name": name, "definition": definition})
    case = service.get(ref)
    _, pdf = letters.preview(ref, "stage1-acknowledgement")
    text = squeezed(pdf_text(pdf))
    assert squeezed(case.resident_name) in text
    assert squeezed(case.stages[1].definition) in text


@FAST
@given(name=any_names)
def test_right_to_left_and_mixed_names_print_with_their_own_glyphs(office, name):
    service, letters, ref = office
    service.update(ref, {"resident_name": name})
    _, pdf = letters.preview(ref, "stage1-acknowledgement")
    text = pdf_text(pdf)
    letters_in_name = {c for c in name if c in ARABIC or c in HEBREW}
    if letters_in_name:
        # Arabic letters come out joined (presentation forms), so count script characters, not exact text.
        script = [c for c in text if "\u0590" <= c <= "\u06ff" or "\ufb1d" <= c <= "\ufeff"]
        assert len(script) >= len([c for c in name if c in ARABIC or c in HEBREW])
    else:
        assert squeezed(service.get(ref).resident_name) in squeezed(text)


@FAST
@given(words=st.lists(st.text(alphabet=LATIN.replace(" ", "") + ACCENTED + MARKUP, min_size=1, max_size=12),
                      min_size=5, max_size=30), total=st.integers(min_value=900, max_value=1300))
def test_very_long_definitions_flow_onto_further_pages(office, words, total):
    service, letters, ref = office
    definition = " ".join(f"{words[i % len(words)]}{i}" for i in range(total))
    service.update(ref, {"definition": definition})
    _, pdf = letters.preview(ref, "stage1-acknowledgement")
    assert page_count(pdf) >= 2
    assert squeezed(service.get(ref).stages[1].definition) in squeezed(pdf_text(pdf))


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80))
def test_markup_only_ever_contains_line_breaks(text):
    markup = to_markup(text)
    stripped = markup.replace("<br/>", "")
    assert "<" not in stripped and ">" not in stripped
    assert stripped.count("&") == stripped.count("&amp;") + stripped.count("&lt;") + stripped.count("&gt;")
    if not has_rtl(text):
        unescaped = stripped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert unescaped == clean_text(text).replace("\n", "")


@FAST
@given(definition=st.text(min_size=1, max_size=200).filter(lambda s: s.strip("\x00 \t\n\r\x0b\x0c")))
def test_any_text_prints_or_is_refused_with_a_clear_message(office, definition):
    from hoscase.errors import HoscaseError

    service, letters, ref = office
    try:
        service.update(ref, {"definition": definition})
    except HoscaseError:
        return  # the core refuses it (a NUL character, say): nothing reaches a letter
    try:
        _, pdf = letters.preview(ref, "stage1-acknowledgement")
    except HoscaseError as exc:
        assert "the letter cannot print" in str(exc) and "U+" in str(exc)
    else:
        assert pdf.startswith(b"%PDF")
