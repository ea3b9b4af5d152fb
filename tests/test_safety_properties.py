"""Whatever the officer types goes in exactly or is refused cleanly: a HoscaseError, never a crash or a mangled value.

Each property feeds generated input through the core (CaseService, parse_money) into a real Store and reads it
back: dates, money amounts, whole numbers of working days, any Unicode text, and very long text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hoscase.cases import MAX_TEXT, CaseService, parse_money
from hoscase.errors import HoscaseError
from hoscase.store import Store

TODAY = dt.date(2026, 11, 20)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any Unicode a keyboard, a paste or an IME can produce (lone surrogates cannot be typed; see the xfail below).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
TEXT_FIELDS = ("phone", "email", "representative_name", "representative_contact", "property", "outcome_sought",
               "not_responsible", "vulnerabilities", "adjustments", "learning", "ombudsman_orders")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("props") / "props.sqlite3")
    yield CaseService(store, who="Property Test", today=TODAY)
    store.close()


def _base(**over):
    fields = dict(resident_name="Ann Example", address="1 Mill Terrace", received="2026-10-01", channel="phone",
                  category="Repairs", definition="Tap leaking", handler="Priya Shah")
    fields.update(over)
    return fields


def _expected_text(value: str) -> str | None:
    """What the core should store for typed text, or None when it should refuse it."""
    if "\x00" in value:
        return None
    stripped = value.strip()
    return stripped if len(stripped) <= MAX_TEXT else None


def _expect_case_added(service: CaseService, fields: dict, name: str, value: str) -> None:
    expected = _expected_text(value)
    required = name in ("resident_name", "address", "definition", "channel", "category")
    before = service.store.count_cases()
    try:
        case = service.add_case(**fields)
    except HoscaseError:
        assert expected is None or (required and expected == "")
        assert service.store.count_cases() == before  # refused: nothing written
        return
    assert expected is not None and not (required and expected == "")
    fresh = service.get(case.reference)  # read back from the database, not from what was passed in
    assert fresh.fields[name] == expected


@SETTINGS
@given(value=any_text, name=st.sampled_from(["resident_name", "address", "definition", "category", "channel"]))
def test_required_text_is_stored_exactly_or_refused(service, value, name):
    _expect_case_added(service, _base(**{name: value}), name, value)


@SETTINGS
@given(value=any_text, name=st.sampled_from(TEXT_FIELDS))
def test_optional_text_is_stored_exactly_or_refused(service, value, name):
    _expect_case_added(service, _base(**{name: value}), name, value)


@SETTINGS
@given(value=any_text, name=st.sampled_from(TEXT_FIELDS + ("resident_name", "address")))
def test_edited_text_reads_back_identical(service, value, name):
    ref = service.add_case(**_base()).reference
    expected = _expected_text(value)
    before = service.get(ref).fields[name]
    try:
        service.update(ref, {name: value})
    except HoscaseError:
        assert expected is None or (name in ("resident_name", "address") and expected == "")
        assert service.get(ref).fields[name] == before
        return
    assert service.get(ref).fields[name] == expected


@settings(max_examples=20, deadline=None)
@given(length=st.integers(MAX_TEXT - 3, MAX_TEXT + 3), char=st.sampled_from(["x", "é", "😀", "ł", "\u200b"]),
       pad=st.sampled_from(["", "  ", "\n"]))
def test_very_long_text_is_stored_whole_or_refused(service, length, char, pad):
    value = pad + char * length + pad
    _expect_case_added(service, _base(definition=value), "definition", value)


def test_lone_surrogate_from_the_command_line_is_refused_cleanly(service):
    with pytest.raises(HoscaseError):
        service.add_case(**_base(resident_name="Ann \udcff Example"))


# --- dates ------------------------------------------------------------------------------------------------------


def _iso_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


date_text = st.one_of(
    any_text.map(lambda t: t[:20]),
    st.dates(dt.date(1985, 1, 1), dt.date(2090, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(dt.date(2020, 1, 1), TODAY).map(lambda d: d.isoformat()),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1900, 2100), st.integers(0, 13), st.integers(0, 32)),
    st.dates(dt.date(2020, 1, 1), TODAY).map(lambda d: f" {d.isoformat()}\t"),
)


@SETTINGS
@given(text=date_text)
def test_received_date_is_stored_exactly_or_refused(service, text):
    expected = _iso_or_none(text)
    before = service.store.count_cases()
    try:
        case = service.add_case(**_base(received=text))
    except HoscaseError:
        assert expected is None or expected > TODAY or expected.year < 1990
        assert service.store.count_cases() == before
        return
    assert expected is not None and expected <= TODAY
    fresh = service.get(case.reference)
    assert fresh.fields["received"] == expected.isoformat() == fresh.stages[1].received.isoformat()


@SETTINGS
@given(text=date_text)
def test_acknowledgement_date_is_stored_exactly_or_refused(service, text):
    ref = service.add_case(**_base(received="2026-01-05")).reference
    expected = _iso_or_none(text)
    try:
        service.acknowledge(ref, text)
    except HoscaseError:
        assert expected is None or not dt.date(2026, 1, 5) <= expected <= TODAY
        fresh = service.get(ref)
        assert fresh.stages[1].acknowledged is None and fresh.status == "stage1-awaiting-acknowledgement"
        return
    assert service.get(ref).stages[1].acknowledged == expected


# --- money --------------------------------------------------------------------------------------------------------


@SETTINGS
@given(text=st.one_of(any_text.map(lambda t: t[:30]), st.from_regex(r"\A£?-?[0-9,]{0,9}(\.[0-9]{0,3})?\Z"),
                      st.decimals(allow_nan=True, allow_infinity=True).map(str)))
def test_any_typed_amount_is_exact_pence_or_a_clean_error(text):
    try:
        pence = parse_money(text)
    except HoscaseError:
        return
    assert isinstance(pence, int) and 0 <= pence <= 1_000_000_000
    raw = str(text).strip().replace("£", "").replace(",", "")
    try:
        assert Decimal(raw) * 100 == pence  # exact: no float rounding anywhere
    except InvalidOperation:
        pytest.fail(f"{text!r} parsed to {pence} but is not a number")


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2)


@SETTINGS
@given(amount=amounts, style=st.sampled_from(["{:.2f}", "£{:,.2f}", "{:,.2f}", " £{:.2f} "]))
def test_remedy_amount_reads_back_identical(service, amount, style):
    ref = service.add_case(**_base()).reference
    typed = style.format(amount)
    service.add_remedy(ref, {"kind": "compensation", "amount": typed, "description": "For the delay"})
    stored = service.get(ref).remedies[-1]["amount_pence"]
    assert stored == int(amount * 100)
    assert parse_money(f"£{stored / 100:,.2f}") == stored  # shown the way the app prints it, it parses back


# --- whole numbers ------------------------------------------------------------------------------------------------


@SETTINGS
@given(text=st.one_of(st.integers(-5, 250).map(str), any_text.map(lambda t: t[:8]), st.integers(-5, 30)))
def test_extension_days_are_stored_exactly_or_refused(service, text):
    ref = service.add_case(**_base(received="2026-11-02")).reference
    service.acknowledge(ref, "2026-11-03")
    try:
        expected = int(text)
    except (TypeError, ValueError):
        expected = None
    try:
        service.extend(ref, text, "Awaiting the surveyor", good_reason=True, on="2026-11-04")
    except HoscaseError:
        assert expected is None or expected < 1 or expected > 200
        assert service.get(ref).stages[1].extensions == []
        return
    assert expected is not None
    assert service.get(ref).stages[1].extension_working_days == expected


@SETTINGS
@given(summary=any_text, on=date_text)
def test_correspondence_reads_back_identical_or_is_refused(service, summary, on):
    assume(summary.strip() or on)
    ref = service.add_case(**_base(received="2026-01-05")).reference
    try:
        service.add_correspondence(ref, on, summary)
    except HoscaseError:
        assert service.get(ref).correspondence == []
        day = _iso_or_none(on)
        assert _expected_text(summary) in (None, "") or day is None or day > TODAY or day.year < 1990
        return
    row = service.get(ref).correspondence[-1]
    assert row["summary"] == summary.strip() and row["on_date"] == _iso_or_none(on).isoformat()
