"""Working-day counting: worked examples over Christmas, Easter and substitute bank holidays, and properties."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoscase.errors import HoscaseError
from hoscase.workdays import WorkingCalendar, parse_date

D = dt.date
CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (D(2025, 12, 20), 5, D(2025, 12, 30), "received on a Saturday before Christmas: day one is Monday 22nd"),
        (D(2025, 12, 22), 10, D(2026, 1, 8), "over Christmas, Boxing Day and New Year's Day"),
        (D(2025, 12, 24), 1, D(2025, 12, 29), "Christmas Eve: the next working day is after the weekend"),
        (D(2026, 4, 2), 5, D(2026, 4, 13), "Maundy Thursday: Good Friday and Easter Monday skipped"),
        (D(2026, 4, 3), 1, D(2026, 4, 7), "received on Good Friday"),
        (D(2027, 12, 24), 1, D(2027, 12, 29), "2027: Christmas and Boxing Day fall at a weekend, substitutes on 27th and 28th"),
        (D(2022, 12, 23), 1, D(2022, 12, 28), "2022: Christmas Day on a Sunday, substitute Tuesday 27th"),
        (D(2020, 12, 24), 1, D(2020, 12, 29), "2020: Boxing Day on a Saturday, substitute Monday 28th"),
        (D(2026, 5, 1), 1, D(2026, 5, 5), "early May bank holiday, Monday 4 May 2026"),
        (D(2026, 8, 28), 1, D(2026, 9, 1), "summer bank holiday in England, Monday 31 August 2026"),
        (D(2026, 11, 20), 0, D(2026, 11, 20), "zero days from a working day is that day"),
        (D(2026, 11, 21), 0, D(2026, 11, 23), "zero days from a Saturday is the Monday"),
        (D(2026, 11, 16), 20, D(2026, 12, 14), "stage 2 response: twenty working days, four plain weeks"),
    ],
)
def test_worked_examples(start, n, expected, why):
    assert CAL.add(start, n) == expected, why


def test_scottish_holiday_is_a_working_day_in_england():
    # St Andrew's Day (30 Nov) and 2 January are Scottish bank holidays, not English ones.
    assert CAL.is_working_day(D(2026, 11, 30))
    assert CAL.is_working_day(D(2026, 1, 2))


def test_closure_days_move_deadlines_and_are_named():
    closed = WorkingCalendar({D(2025, 12, 29): "Office closed", D(2025, 12, 30): "Office closed"})
    assert closed.add(D(2025, 12, 20), 5) == D(2026, 1, 2)
    assert closed.why_not_working(D(2025, 12, 29)) == "Office closed"
    assert CAL.why_not_working(D(2025, 12, 25)) == "Christmas Day"
    assert CAL.why_not_working(D(2026, 11, 21)) == "Weekend"
    assert CAL.why_not_working(D(2026, 11, 20)) is None


def test_between_counts_working_days_after_start():
    assert CAL.between(D(2025, 12, 22), D(2026, 1, 8)) == 10
    assert CAL.between(D(2026, 1, 8), D(2025, 12, 22)) == -10
    assert CAL.between(D(2026, 11, 20), D(2026, 11, 20)) == 0


def test_bad_input_is_a_clear_error():
    with pytest.raises(HoscaseError, match="not a real date"):
        parse_date("2026-02-30")
    with pytest.raises(HoscaseError, match="negative"):
        CAL.add(D(2026, 1, 5), -1)
    with pytest.raises(HoscaseError, match="outside the years"):
        CAL.add(D(1800, 1, 1), 1)


days = st.dates(min_value=D(1995, 1, 1), max_value=D(2075, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=days, n=st.integers(min_value=1, max_value=60))
def test_due_date_is_a_working_day_after_the_start(start, n):
    due = CAL.add(start, n)
    assert CAL.is_working_day(due)
    assert due > start
    assert CAL.between(start, due) == n


@settings(max_examples=200, deadline=None)
@given(start=days, n=st.integers(min_value=0, max_value=40), extra=st.integers(min_value=0, max_value=20))
def test_adding_is_monotonic_and_agrees_with_a_day_by_day_walk(start, n, extra):
    assert CAL.add(start, n) <= CAL.add(start, n + extra)
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and CAL.why_not_working(day) is None:
            counted += 1
    if n == 0:
        day = start if CAL.is_working_day(start) else CAL.add(start, 1)
    assert CAL.add(start, n) == day
