"""Stage letters: every element the Code requires is in the PDF's text, missing content is refused,
templates are checked, record text is printed exactly as typed, and every letter is kept with its case."""

from __future__ import annotations

import io

import pypdf
import pytest
from letters_support import (
    ORGANISATION,
    case_through_stage1,
    flat,
    font_sizes,
    page_count,
    page_furniture,
    pdf_text,
    respond_stage1,
    set_up_office,
    squeezed,
    through_stage2,
)

from hoscase.errors import HoscaseError
from hoscase.letters import DEFAULT_OMBUDSMAN, KINDS, LetterService
from hoscase.letters.content import long_date
from hoscase.letters.details import address_lines
from hoscase.pdffonts import REGULAR, register_fonts
from hoscase.rules import REFUSAL_REASONS


@pytest.fixture
def letters(service, store, tmp_path):
    set_up_office(store)
    return LetterService(service, data_folder=tmp_path / "data", templates_folder=tmp_path / "own-letters")


@pytest.fixture
def full_case(service, new_case, letters):
    """A case with a stage 1 response and a stage 2 final response, and an agreed update interval."""
    ref = case_through_stage1(service, new_case)
    letters.record_update_interval(ref, "Every Friday by phone until we respond.", stage=1)
    respond_stage1(service, ref)
    through_stage2(service, ref)
    return ref


def _common_checks(text: str, case, handler: str, role: str) -> None:
    body = flat(text)
    assert ORGANISATION["name"] in body
    assert "4 Hospital Yard" in body
    assert case.resident_name in body
    for line in address_lines(case.address):
        assert line in body
    assert "20 November 2026" in body  # the letter's date: the service's today
    assert case.reference in body
    assert handler in body and role in body
    assert DEFAULT_OMBUDSMAN["name"] in body
    assert DEFAULT_OMBUDSMAN["phone"] in body
    assert DEFAULT_OMBUDSMAN["complaint_form"] in body
    assert "PO Box 1484" in body and "PR2 0ET" in body
    assert "@housing-ombudsman" not in body  # the Ombudsman takes no new enquiries by email


def test_stage1_acknowledgement_gives_definition_outcome_responsibility_due_date(letters, service, full_case):
    text = pdf_text(letters.produce(full_case, "stage1-acknowledgement").pdf)
    case = service.get(full_case)
    _common_checks(text, case, "Priya Shah", "Complaints Officer")
    body = flat(text)
    assert case.stages[1].definition in body
    assert case.outcome_sought in body
    assert case.not_responsible in body
    assert "stage 1" in body
    assert long_date(case.stages[1].respond_due, weekday=True) in body


def test_stage1_response_gives_a_to_g(letters, service, full_case):
    text = pdf_text(letters.produce(full_case, "stage1-response").pdf)
    case = service.get(full_case)
    _common_checks(text, case, "Priya Shah", "Complaints Officer")
    body = flat(text)
    assert "stage 1 of our complaints procedure" in body  # a. the stage
    assert case.stages[1].definition in body  # b. the definition
    assert "partly upheld" in body  # c. the decision
    assert case.stages[1].reasons in body  # d. the reasons
    assert "We apologise for the delay in repairing the tap." in body  # e. the remedy
    assert "£75.00" in body and "30 November 2026" in body
    assert "Replace the cupboard under the sink" in body and "4 December 2026" in body  # f. outstanding actions
    assert "Repairs team" in body
    assert "stage 2" in body and ORGANISATION["phone"] in body  # g. how to escalate


def test_extension_gives_new_date_reason_interval_and_ombudsman(letters, service, full_case):
    text = pdf_text(letters.produce(full_case, "extension", stage=1).pdf)
    case = service.get(full_case)
    _common_checks(text, case, "Priya Shah", "Complaints Officer")
    body = flat(text)
    view = case.stages[1]
    assert long_date(view.respond_due, weekday=True) in body
    assert "Awaiting the surveyor's report on the floor." in body
    assert "Every Friday by phone until we respond." in body
    assert "stage 1" in body


def test_stage2_acknowledgement_gives_stage2_definition_and_due_date(letters, service, full_case):
    text = pdf_text(letters.produce(full_case, "stage2-acknowledgement").pdf)
    case = service.get(full_case)
    _common_checks(text, case, "Grace Okafor", "Head of Housing Services")
    body = flat(text)
    assert "The cupboard is still not replaced." in body
    assert long_date(case.stages[2].respond_due, weekday=True) in body
    assert "stage 2" in body


def test_stage2_response_is_final_and_points_to_the_ombudsman(letters, service, full_case):
    text = pdf_text(letters.produce(full_case, "stage2-response").pdf)
    case = service.get(full_case)
    _common_checks(text, case, "Grace Okafor", "Head of Housing Services")
    body = flat(text)
    assert "stage 2, the final stage" in body
    assert "final response" in body
    assert "The cupboard is still not replaced." in body
    assert "upheld" in body and case.stages[2].reasons in body
    assert "Replace the cupboard under the sink" not in body  # a stage 1 action is not a stage 2 one
    assert "take your complaint to the Housing Ombudsman" in body


def test_refusal_gives_the_reason_and_the_right_to_go_to_the_ombudsman(letters, service, new_case):
    case = new_case(resident_name="Jan Kowalski", address="9 Broad Street\nLudlow", definition="Noise from 2023.")
    service.refuse(case.reference, on="2026-10-03", reason="over-12-months",
                   explanation="The noise you describe ended in March 2024.")
    text = pdf_text(letters.produce(case.reference, "refusal").pdf)
    _common_checks(text, service.get(case.reference), "Priya Shah", "Complaints Officer")
    body = flat(text)
    assert REFUSAL_REASONS["over-12-months"] in body
    assert "The noise you describe ended in March 2024." in body
    assert "right to ask the Housing Ombudsman" in body


# --- refusing while the Code's content is missing -----------------------------------------------------


def _nothing_kept(letters, service, ref):
    assert not [c for c in service.get(ref).correspondence if c["kind"] == "letter"]
    assert not (letters.data_folder / "letters").exists() or not any((letters.data_folder / "letters").rglob("*.pdf"))


def test_response_letter_refused_without_decision_and_reasons(letters, service, new_case):
    ref = case_through_stage1(service, new_case)
    with pytest.raises(HoscaseError) as err:
        letters.produce(ref, "stage1-response")
    message = str(err.value)
    assert "the decision on the complaint" in message and "reasons for the decision" in message
    _nothing_kept(letters, service, ref)


def test_extension_letter_needs_an_extension_and_an_agreed_interval(letters, service, new_case):
    case = new_case()
    with pytest.raises(HoscaseError, match="none is recorded"):
        letters.produce(case.reference, "extension")
    ref = case_through_stage1(service, new_case, resident_name="Second Resident")
    with pytest.raises(HoscaseError, match=r"interval for updates agreed with the resident \(Code 5.9\)"):
        letters.produce(ref, "extension")
    _nothing_kept(letters, service, ref)
    letters.record_update_interval(ref, "Weekly by email")
    assert "Weekly by email" in flat(pdf_text(letters.produce(ref, "extension").pdf))


def test_acknowledgement_needs_the_outcome_sought(letters, new_case, service):
    case = new_case(outcome_sought="")
    with pytest.raises(HoscaseError, match="the outcome the resident is seeking"):
        letters.produce(case.reference, "stage1-acknowledgement")
    _nothing_kept(letters, service, case.reference)


def test_stage2_letters_need_an_escalation(letters, new_case):
    case = new_case(outcome_sought="A repair")
    with pytest.raises(HoscaseError, match="not been escalated to stage 2"):
        letters.produce(case.reference, "stage2-acknowledgement")


def test_refusal_letter_needs_a_refusal_and_refused_case_has_no_other_letter(letters, service, new_case):
    case = new_case(outcome_sought="A repair")
    with pytest.raises(HoscaseError, match="has not been refused"):
        letters.produce(case.reference, "refusal")
    service.refuse(case.reference, on="2026-10-03", reason="legal-proceedings", explanation="Court claim issued.")
    with pytest.raises(HoscaseError, match="send the refusal letter"):
        letters.produce(case.reference, "stage1-acknowledgement")


def test_letter_needs_the_organisation(letters, store, new_case):
    with store.transaction():
        store.put_setting("organisation", {"name": "", "address": ""})
    case = new_case(outcome_sought="A repair")
    with pytest.raises(HoscaseError) as err:
        letters.produce(case.reference, "stage1-acknowledgement")
    assert "organisation's name" in str(err.value) and "organisation's address" in str(err.value)


def test_unknown_kind_is_named(letters, new_case):
    with pytest.raises(HoscaseError, match="no letter called 'thank-you'"):
        letters.produce(new_case().reference, "thank-you")


# --- templates ---------------------------------------------------------------------------------------


def test_landlord_template_overrides_the_shipped_one(letters, new_case, tmp_path):
    own = tmp_path / "own-letters"
    own.mkdir()
    (own / "stage1-acknowledgement.txt").write_text(
        "# Complaint {reference}\nHello {resident_name}, our own wording.\n{definition}\n{outcome_sought}\n"
        "@if not_responsible\n{not_responsible}\n@end\nBy {respond_due}.\n{ombudsman}\n", encoding="utf-8")
    case = new_case(outcome_sought="A repair")
    body = flat(pdf_text(letters.produce(case.reference, "stage1-acknowledgement").pdf))
    assert "our own wording" in body
    assert "Thank you for your complaint" not in body


def test_unknown_placeholder_names_itself_and_the_file(letters, new_case, tmp_path):
    own = tmp_path / "own-letters"
    own.mkdir()
    path = own / "stage1-acknowledgement.txt"
    path.write_text("Dear {resident_name},\nYour favourite colour is {favourite_colour}.\n", encoding="utf-8")
    case = new_case(outcome_sought="A repair")
    with pytest.raises(HoscaseError) as err:
        letters.produce(case.reference, "stage1-acknowledgement")
    assert "{favourite_colour}" in str(err.value) and str(path) in str(err.value)
    assert "line 2" in str(err.value)


def test_placeholder_from_another_letter_is_unknown_here(letters, new_case, tmp_path):
    own = tmp_path / "own-letters"
    own.mkdir()
    (own / "stage1-acknowledgement.txt").write_text("Our decision: {decision}\n", encoding="utf-8")
    with pytest.raises(HoscaseError, match=r"unknown placeholder \{decision\}"):
        letters.produce(new_case(outcome_sought="x").reference, "stage1-acknowledgement")


def test_template_leaving_out_the_ombudsman_is_refused(letters, new_case, tmp_path):
    own = tmp_path / "own-letters"
    own.mkdir()
    (own / "stage1-acknowledgement.txt").write_text(
        "{definition}\n{outcome_sought}\n{not_responsible}\n{respond_due}\n", encoding="utf-8")
    with pytest.raises(HoscaseError, match=r"leaves out \{ombudsman\}"):
        letters.produce(new_case(outcome_sought="x").reference, "stage1-acknowledgement")


@pytest.mark.parametrize("text, message", [
    ("Hello { there\n", "a lone '{'"),
    ("@if remedies\nx\n", "has no @end"),
    ("@end\n", "@end without a matching @if"),
    ("@unless x\n", "unknown instruction"),
    ("Total: {remedies} in text\n", "table or box"),
])
def test_template_mistakes_are_clear(letters, service, new_case, tmp_path, text, message):
    ref = case_through_stage1(service, new_case)
    respond_stage1(service, ref)
    own = tmp_path / "own-letters"
    own.mkdir()
    (own / "stage1-response.txt").write_text(text, encoding="utf-8")
    with pytest.raises(HoscaseError, match=message):
        letters.produce(ref, "stage1-response")


def test_every_shipped_template_parses_and_uses_what_the_code_requires(letters):
    for name, kind in KINDS.items():
        template = letters.library.load(name)
        template.check(kind.placeholders, kind.required)  # raises if not
        assert "ombudsman" in template.placeholders()


# --- text from the record ----------------------------------------------------------------------------


def test_markup_in_record_text_prints_as_typed_and_injects_nothing(letters, service, new_case):
    hostile = ('<a href="https://evil.example">click</a> <img src="/etc/passwd"/> '
               '<font color="red">red</font> &amp; &lt; <b>bold</b> <br/> <para>')
    case = new_case(definition=hostile, outcome_sought="Fix & <mend> it")
    pdf = letters.produce(case.reference, "stage1-acknowledgement").pdf
    body = flat(pdf_text(pdf))
    assert squeezed(hostile) in squeezed(body)
    assert "Fix & <mend> it" in body
    assert "Siobhán" not in body  # a different resident: nothing left over from elsewhere
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert "/Annots" not in page  # no link
        resources = page.get("/Resources") or {}
        assert "/XObject" not in resources  # no image
        assert b"1 0 0 rg" not in page.get_contents().get_data()  # no red text


def test_name_with_apostrophe_ampersand_and_angle_brackets_prints_exactly(letters, service, new_case):
    case = new_case(resident_name="Siobhán O'Brien & <Sons>", outcome_sought="A repair")
    body = flat(pdf_text(letters.produce(case.reference, "stage1-acknowledgement").pdf))
    assert "Siobhán O'Brien & <Sons>" in body
    assert "Dear Siobhán O'Brien & <Sons>," in body


@pytest.mark.parametrize("name", ["Łukasz Wójcik-Żółć", "Иван Петров", "Zoë Ní Bhriain", "Ólafur Þórsson"])
def test_accented_polish_and_cyrillic_names_print(letters, new_case, name):
    case = new_case(resident_name=name, outcome_sought="A repair")
    assert name in flat(pdf_text(letters.produce(case.reference, "stage1-acknowledgement").pdf))


def test_arabic_and_hebrew_names_print_with_their_own_glyphs(letters, new_case):
    name = "محمد علي"
    case = new_case(resident_name=name, address="3 Castle Street\nLudlow", outcome_sought="A repair")
    text = pdf_text(letters.produce(case.reference, "stage1-acknowledgement").pdf)
    arabic = [c for c in text if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff"]
    assert len(arabic) >= 2 * len(name.replace(" ", ""))  # the name in the address and after "Dear"
    name = "שרה כהן"
    case = new_case(resident_name=name, outcome_sought="A repair")
    text = pdf_text(letters.produce(case.reference, "stage1-acknowledgement").pdf)
    assert sum("\u0590" <= c <= "\u05ff" for c in text) >= 2 * len(name.replace(" ", ""))


def test_a_character_the_font_lacks_is_named_not_boxed(letters, new_case, service):
    case = new_case(resident_name="王小明", outcome_sought="A repair")
    with pytest.raises(HoscaseError) as err:
        letters.produce(case.reference, "stage1-acknowledgement")
    assert "U+738B" in str(err.value) and "CJK" in str(err.value)
    _nothing_kept(letters, service, case.reference)


def test_long_definition_flows_onto_further_pages(letters, new_case):
    words = [f"word{i}" for i in range(1400)]
    case = new_case(definition=" ".join(words), outcome_sought="A repair")
    pdf = letters.produce(case.reference, "stage1-acknowledgement").pdf
    assert page_count(pdf) >= 3
    body = flat(pdf_text(pdf))
    assert all(w in body for w in ("word0", "word700", "word1399"))
    pages = page_count(pdf)
    furniture = page_furniture(pdf)
    assert [f"Page {n} of {pages}" for n in range(1, pages + 1)] == [f for f in furniture if f.startswith("Page")]
    assert f"{case.reference} \u00b7 20 November 2026" in furniture  # the running header on later pages


def test_long_remedy_flows_inside_its_table(letters, service, new_case):
    ref = case_through_stage1(service, new_case)
    description = " ".join(f"step{i}" for i in range(900))
    service.respond(ref, on="2026-10-20", decision="upheld", reasons="Agreed.",
                    remedies=[{"kind": "action", "description": description, "due": "2026-12-01"}])
    pdf = letters.produce(ref, "stage1-response").pdf
    assert page_count(pdf) >= 3
    body = flat(pdf_text(pdf))
    assert "step0" in body and "step450" in body and "step899" in body


def test_single_page_letter_has_no_page_numbers(letters, new_case, tmp_path):
    own = tmp_path / "own-letters"
    own.mkdir()
    (own / "stage1-acknowledgement.txt").write_text(
        "{definition}\n{outcome_sought}\n{not_responsible}\n{respond_due}\n{ombudsman}\n", encoding="utf-8")
    case = new_case(outcome_sought="A repair", definition="Short.")
    pdf = letters.produce(case.reference, "stage1-acknowledgement").pdf
    assert page_count(pdf) == 1
    assert page_furniture(pdf) == []


# --- large print ---------------------------------------------------------------------------------------


def test_large_print_is_16_point_or_more(letters, new_case):
    case = new_case(outcome_sought="A repair")
    normal = font_sizes(letters.produce(case.reference, "stage1-acknowledgement").pdf)
    assert min(normal) < 16  # the ordinary letter is smaller, so the check below can fail
    large = font_sizes(letters.produce(case.reference, "stage1-acknowledgement", large_print=True).pdf)
    assert large and min(large) >= 16


def test_case_level_large_print_applies_without_asking(letters, service, new_case):
    case = new_case(outcome_sought="A repair")
    service.update(case.reference, {"large_print": True})
    letter = letters.produce(case.reference, "stage1-acknowledgement")
    assert min(font_sizes(letter.pdf)) >= 16
    assert letter.path.name.endswith("-large-print.pdf")


# --- kept with the case --------------------------------------------------------------------------------


def test_letter_is_kept_with_the_case_and_in_its_history(letters, service, new_case):
    case = new_case(outcome_sought="A repair")
    first = letters.produce(case.reference, "stage1-acknowledgement")
    second = letters.produce(case.reference, "stage1-acknowledgement")
    assert first.path != second.path and first.path.exists() and second.path.exists()
    assert first.path.read_bytes() == first.pdf
    assert first.path.parent == letters.data_folder / "letters" / case.reference
    rows = [c for c in service.get(case.reference).correspondence if c["kind"] == "letter"]
    assert [r["path"] for r in rows] == [first.relative_path, second.relative_path]
    assert (letters.data_folder / rows[0]["path"]).read_bytes() == first.pdf
    assert rows[0]["direction"] == "out" and rows[0]["on_date"] == "2026-11-20"
    assert "Stage 1 acknowledgement" in rows[0]["summary"]
    history = service.history(case.reference)
    assert sum(1 for h in history if h["entity"] == "letter" and h["action"] == "added") == 2


def test_preview_keeps_nothing(letters, service, new_case):
    case = new_case(outcome_sought="A repair")
    content, pdf = letters.preview(case.reference, "stage1-acknowledgement")
    assert pdf.startswith(b"%PDF")
    _nothing_kept(letters, service, case.reference)


def test_update_interval_is_recorded_in_the_history(letters, service, new_case):
    case = new_case()
    letters.record_update_interval(case.reference, "  Every   Monday by text  ")
    assert service.get(case.reference).stages[1].update_interval == "Every Monday by text"
    assert any(h["field"] == "update_interval" for h in service.history(case.reference))
    with pytest.raises(HoscaseError, match="required"):
        letters.record_update_interval(case.reference, "  ")


# --- settings ------------------------------------------------------------------------------------------


def test_ombudsman_details_come_from_settings_and_never_an_email(letters, store, new_case):
    with store.transaction():
        store.put_setting("ombudsman", {"phone": "0300 999 0000", "email": "info@housing-ombudsman.org.uk"})
    case = new_case(outcome_sought="A repair")
    body = flat(pdf_text(letters.produce(case.reference, "stage1-acknowledgement").pdf))
    assert "0300 999 0000" in body and DEFAULT_OMBUDSMAN["phone"] not in body
    assert "info@housing-ombudsman.org.uk" not in body
    assert DEFAULT_OMBUDSMAN["complaint_form"] in body


def test_fonts_are_registered_once():
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    font = pdfmetrics.getFont(REGULAR)
    register_fonts()
    assert pdfmetrics.getFont(REGULAR) is font


def test_address_sits_in_the_window_of_a_dl_envelope(letters, new_case):
    case = new_case(outcome_sought="A repair", resident_name="Window Test", address="1 Mill Terrace\nLudlow\nSY8 1AA")
    reader = pypdf.PdfReader(io.BytesIO(letters.produce(case.reference, "stage1-acknowledgement").pdf))
    page = reader.pages[0]
    height = float(page.mediabox.height)
    where = {}

    def visit(text, cm, tm, font, size):
        if text.strip() in ("Window Test", "SY8 1AA"):
            tx, ty = tm[4], tm[5]
            where.setdefault(text.strip(), (cm[0] * tx + cm[2] * ty + cm[4], cm[1] * tx + cm[3] * ty + cm[5]))

    page.extract_text(visitor_text=visit)
    mm = 72 / 25.4
    for x, y in where.values():
        from_top = (height - y) / mm
        assert 19.5 <= x / mm <= 30 and 50 <= from_top <= 90
    assert len(where) == 2


# --- command line --------------------------------------------------------------------------------------


def test_cli_writes_the_letter_and_keeps_it(db_path, store, service, new_case, tmp_path, capsys):
    from hoscase.cli import main

    set_up_office(store)
    case = new_case(outcome_sought="A repair")
    out = tmp_path / "letter.pdf"
    code = main(["--db", str(db_path), "letter", case.reference, "stage1-acknowledgement", "-o", str(out),
                 "--large-print", "--on", "2026-11-20"])
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"%PDF")
    assert min(font_sizes(out.read_bytes())) >= 16
    kept = list((db_path.parent / "letters" / case.reference).glob("*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == out.read_bytes()


def test_cli_refuses_with_one_line(db_path, store, new_case, tmp_path, capsys):
    from hoscase.cli import main

    set_up_office(store)
    case = new_case(outcome_sought="A repair")
    out = tmp_path / "letter.pdf"
    code = main(["--db", str(db_path), "letter", case.reference, "stage1-response", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert err.count("\n") == 1 and "the decision on the complaint" in err


def test_cli_records_the_update_interval_for_an_extension(db_path, store, service, new_case, tmp_path, capsys):
    from hoscase.cli import main

    set_up_office(store)
    ref = case_through_stage1(service, new_case)
    out = tmp_path / "ext.pdf"
    code = main(["--db", str(db_path), "letter", ref, "extension", "-o", str(out), "--on", "2026-11-20",
                 "--update-interval", "Every Tuesday by email"])
    assert code == 0, capsys.readouterr().err
    assert "Every Tuesday by email" in flat(pdf_text(out.read_bytes()))


def test_logo_prints_in_the_letterhead_and_a_missing_one_is_named(letters, store, new_case, tmp_path):
    from PIL import Image as PILImage

    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (300, 120), (20, 90, 160)).save(logo)
    with store.transaction():
        store.put_setting("organisation", {**ORGANISATION, "logo": str(logo)})
    case = new_case(outcome_sought="A repair")
    reader = pypdf.PdfReader(io.BytesIO(letters.produce(case.reference, "stage1-acknowledgement").pdf))
    assert "/XObject" in reader.pages[0]["/Resources"]
    with store.transaction():
        store.put_setting("organisation", {**ORGANISATION, "logo": str(tmp_path / "gone.png")})
    with pytest.raises(HoscaseError, match="gone.png"):
        letters.produce(case.reference, "stage1-acknowledgement")


def test_extension_letter_at_stage_2(letters, service, new_case):
    ref = case_through_stage1(service, new_case)
    respond_stage1(service, ref)
    service.escalate(ref, on="2026-10-25", handler="Grace Okafor")
    service.acknowledge(ref, on="2026-10-27")
    service.extend(ref, 10, "Waiting for the contractor's records.", on="2026-11-02")
    with pytest.raises(HoscaseError, match=r"interval for updates"):
        letters.produce(ref, "extension")  # stage 2 has its own agreed interval, not stage 1's
    letters.record_update_interval(ref, "Fortnightly by letter")
    body = flat(pdf_text(letters.produce(ref, "extension").pdf))
    case = service.get(ref)
    assert "stage 2" in body and "Waiting for the contractor's records." in body
    assert long_date(case.stages[2].respond_due, weekday=True) in body and "Fortnightly by letter" in body
    assert "Grace Okafor" in body and "Head of Housing Services" in body
