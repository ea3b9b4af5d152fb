"""The 2024 Code as data: every provision of the self-assessment form present, in order, in the Ombudsman's words.

The expected texts below were checked against the published self-assessments the JSON was transcribed from; a
change to any of them means the data drifted from the Code, not that the test needs updating.
"""

from __future__ import annotations

import json
import re

import pytest

from hoscase.errors import HoscaseError
from hoscase.paths import resource_path
from hoscase.provisions import CodeEdition, Provision, editions, load_code, number_key, provision

EXPECTED_NUMBERS = (
    [f"1.{i}" for i in range(2, 7)]
    + [f"2.{i}" for i in range(1, 6)]
    + [f"3.{i}" for i in range(1, 8)]
    + [f"4.{i}" for i in range(1, 4)]
    + [f"5.{i}" for i in range(1, 16)]
    + [f"6.{i}" for i in range(1, 21)]
    + [f"7.{i}" for i in range(1, 5)]
    + [f"8.{i}" for i in range(1, 6)]
    + [f"9.{i}" for i in range(1, 9)]
)

SECTION_TITLES = {
    1: "What is a complaint?",
    2: "Exclusions",
    3: "Accessibility and awareness",
    4: "Complaint handling staff",
    5: "The complaint handling process",
    6: "Complaints stages",
    7: "Putting things right",
    8: "Self-assessment, reporting and compliance",
    9: "Scrutiny & oversight: continuous learning and improvement",
}

SPOT_CHECKS = {
    "1.2": (
        "A complaint must be defined as: 'an expression of dissatisfaction, however made, about the standard of "
        "service, actions or lack of action by the landlord, its own staff, or those acting on its behalf, affecting "
        "a resident or group of residents.'"
    ),
    "1.3": (
        "A resident does not have to use the word 'complaint' for it to be treated as such. Whenever a resident "
        "expresses dissatisfaction landlords must give them the choice to make complaint. A complaint that is "
        "submitted via a third party or representative must be handled in line with the landlord's complaints policy."
    ),
    "2.2": (
        "A complaints policy must set out the circumstances in which a matter will not be considered as a complaint "
        "or escalated, and these circumstances must be fair and reasonable to residents. Acceptable exclusions "
        "include:\n"
        "• The issue giving rise to the complaint occurred over twelve months ago.\n"
        "• Legal proceedings have started. This is defined as details of the claim, such as the Claim Form and "
        "Particulars of Claim, having been filed at court.\n"
        "• Matters that have previously been considered under the complaints policy."
    ),
    "5.6": (
        "When a complaint is logged at Stage 1 or escalated to Stage 2, landlords must set out their understanding "
        "of the complaint and the outcomes the resident is seeking. The Code will refer to this as \"the complaint "
        "definition\". If any aspect of the complaint is unclear, the resident must be asked for clarification."
    ),
    "5.8": (
        "At each stage of the complaints process, complaint handlers must:\n"
        "a. deal with complaints on their merits, act independently, and have an open mind;\n"
        "b. give the resident a fair chance to set out their position;\n"
        "c. take measures to address any actual or perceived conflict of interest; and\n"
        "d. consider all relevant information and evidence carefully."
    ),
    "6.2": (
        "Complaints must be acknowledged, defined and logged at stage 1 of the complaints procedure within five "
        "working days of the complaint being received."
    ),
    "6.15": (
        "Landlords must decide whether an extension to this timescale is needed when considering the complexity of "
        "the complaint and then inform the resident of the expected timescale for response. Any extension must be "
        "no more than 20 working days without good reason, and the reason(s) must be clearly explained to the "
        "resident."
    ),
    "6.19": (
        "Landlords must confirm the following in writing to the resident at the completion of stage 2 in clear, "
        "plain language:\n"
        "a. the complaint stage;\n"
        "b. the complaint definition;\n"
        "c. the decision on the complaint;\n"
        "d. the reasons for any decisions made;\n"
        "e. the details of any remedy offered to put things right;\n"
        "f. details of any outstanding actions; and\n"
        "g. details of how to escalate the matter to the Ombudsman Service if the individual remains dissatisfied."
    ),
    "7.1": (
        "Where something has gone wrong a landlord must acknowledge this and set out the actions it has already "
        "taken, or intends to take, to put things right. These can include:\n"
        "• Apologising;\n"
        "• Acknowledging where things have gone wrong;\n"
        "• Providing an explanation, assistance or reasons;\n"
        "• Taking action if there has been delay;\n"
        "• Reconsidering or changing a decision;\n"
        "• Amending a record or adding a correction or addendum;\n"
        "• Providing a financial remedy;\n"
        "• Changing policies, procedures or practices."
    ),
    "8.1": (
        "Landlords must produce an annual complaints performance and service improvement report for scrutiny and "
        "challenge, which must include:\n"
        "a. the annual self-assessment against this Code to ensure their complaint handling policy remains in line "
        "with its requirements.\n"
        "b. a qualitative and quantitative analysis of the landlord's complaint handling performance. This must also "
        "include a summary of the types of complaints the landlord has refused to accept;\n"
        "c. any findings of non-compliance with this Code by the Ombudsman;\n"
        "d. the service improvements made as a result of the learning from complaints;\n"
        "e. any annual report about the landlord's performance from the Ombudsman; and\n"
        "f. any other relevant reports or publications produced by the Ombudsman in relation to the work of the "
        "landlord."
    ),
    "8.2": (
        "The annual complaints performance and service improvement report must be reported to the landlord's "
        "governing body (or equivalent) and published on the on the section of its website relating to complaints. "
        "The governing body's response to the report must be published alongside this."
    ),
    "9.8": (
        "Landlords must have a standard objective in relation to complaint handling for all relevant employees or "
        "third parties that reflects the need to:\n"
        "a. have a collaborative and co-operative approach towards resolving complaints, working with colleagues "
        "across teams and departments;\n"
        "b. take collective responsibility for any shortfalls identified through complaints, rather than blaming "
        "others; and\n"
        "c. act within the professional standards for engaging with complaints as set by any relevant professional "
        "body."
    ),
}


@pytest.fixture(scope="module")
def code() -> CodeEdition:
    return load_code("2024")


def test_all_72_provisions_present_in_order(code):
    assert [p.number for p in code.provisions] == EXPECTED_NUMBERS
    assert len(code.provisions) == len(code) == 72


def test_numbers_unique_and_in_numeric_order(code):
    numbers = [p.number for p in code.provisions]
    assert len(set(numbers)) == len(numbers)
    assert [number_key(n) for n in numbers] == sorted(number_key(n) for n in numbers)


def test_edition_metadata(code):
    assert code.edition == "2024"
    assert code.title == "Complaint Handling Code"
    assert code.publisher == "Housing Ombudsman Service"
    assert code.in_force is not None and code.in_force.isoformat() == "2024-04-01"


def test_sections_titled_and_non_empty(code):
    assert {s.number: s.title for s in code.sections} == SECTION_TITLES
    for s in code.sections:
        assert s.provisions, f"section {s.number} is empty"
        for p in s.provisions:
            assert p.section == s.number and p.section_title == s.title
            assert p.number.startswith(f"{s.number}.")
    assert tuple(p for s in code.sections for p in s.provisions) == code.provisions


def test_stage_subheadings_only_in_section_6(code):
    for p in code.provisions:
        if p.section != 6:
            assert p.subheading is None, p.number
        elif number_key(p.number)[1] <= 9:
            assert p.subheading == "Stage 1", p.number
        else:
            assert p.subheading == "Stage 2", p.number


@pytest.mark.parametrize("number", sorted(SPOT_CHECKS, key=number_key))
def test_text_is_the_ombudsmans_wording(code, number):
    assert code.provision(number).text == SPOT_CHECKS[number]


def test_timescales_match_the_code(code):
    """The numbers the deadline rules rely on appear in the provisions they cite."""
    assert "within five working days" in code.provision("6.2").text
    assert "within 10 working days" in code.provision("6.3").text
    assert "no more than 10 working days" in code.provision("6.4").text
    assert "within five working days" in code.provision("6.11").text
    assert "within 20 working days" in code.provision("6.14").text
    assert "no more than 20 working days" in code.provision("6.15").text
    assert "12 months" in code.provision("2.3").text


def test_no_extraction_noise(code):
    noise = re.compile(r"Page \d|https?:|www\.|\.co\.uk|\.org\.uk|translations|Click here|<[a-z/]|\[bookmark|\t"
                       r"|  |\bself- |Comply: Yes|Code requirement", re.IGNORECASE)
    for p in code.provisions:
        assert p.text == p.text.strip(), p.number
        assert not noise.search(p.text), f"{p.number}: {noise.search(p.text).group(0)!r}"
        assert "Page " not in p.text and "a2dominion" not in p.text.lower(), p.number
        assert "\u2018" not in p.text and "\u2019" not in p.text, p.number
        for line in p.text.split("\n"):
            assert line.strip() == line and line, p.number


def test_list_items_are_lines_and_lettered_in_order(code):
    for p in code.provisions:
        lines = p.text.split("\n")
        letters = [line[0] for line in lines[1:] if re.match(r"^[a-z]\. ", line)]
        if letters:
            assert letters == [chr(ord("a") + i) for i in range(len(letters))], p.number
        assert not re.search(r"\S [b-g]\. [a-z]", lines[0]), f"{p.number}: list run into one line"
    assert len(code.provision("6.9").text.split("\n")) == 8
    assert len(code.provision("6.19").text.split("\n")) == 8
    assert len(code.provision("7.1").text.split("\n")) == 9
    assert len(code.provision("9.7").text.split("\n")) == 5


def test_stage_2_letter_provision_differs_from_stage_1(code):
    """Seed 000 mistakenly printed 6.19 as 'completion of stage 1'; the Code says stage 2."""
    assert "completion of stage 1" in code.provision("6.9").text
    assert "completion of stage 2" in code.provision("6.19").text
    assert "escalate the matter to stage 2" in code.provision("6.9").text
    assert "escalate the matter to the Ombudsman Service" in code.provision("6.19").text


def test_lookup_helpers(code):
    assert provision("5.6") == code.provision("5.6")
    assert provision(" 6.13 ").text.startswith("The person considering the complaint at stage 2")
    assert "5.10" in code and "1.1" not in code and "6.21" not in code
    with pytest.raises(HoscaseError):
        code.provision("1.1")
    with pytest.raises(HoscaseError):
        provision("10.1")


def test_provision_is_frozen(code):
    p = code.provision("1.2")
    assert isinstance(p, Provision)
    with pytest.raises(AttributeError):
        p.text = "changed"  # type: ignore[misc]


def test_editions_lists_the_json_files():
    found = editions()
    assert "2024" in found
    assert found == sorted(p.stem for p in resource_path("code").glob("*.json"))


def test_unknown_edition_is_a_clear_error():
    with pytest.raises(HoscaseError, match="no 1999 edition"):
        load_code("1999")
    with pytest.raises(HoscaseError):
        load_code("../secrets")


def test_json_matches_loaded_code(code):
    """The file on disk is what the loader returns: no provision dropped or invented on the way."""
    data = json.loads(resource_path("code", "2024.json").read_text(encoding="utf-8"))
    assert data["edition"] == "2024" and data["in_force"] == "2024-04-01"
    flat = [(p["number"], p["text"]) for s in data["sections"] for p in s["provisions"]]
    assert flat == [(p.number, p.text) for p in code.provisions]
