"""Dates and times as typed: every documented form reads back to the same day, and anything
incomplete or impossible is a message, never a default."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.typed_dates import (
    FIRST_YEAR,
    LAST_YEAR,
    format_date,
    format_moment,
    parse_date,
    parse_moment,
)

days = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31))
moments = st.datetimes(
    min_value=datetime(FIRST_YEAR, 1, 1), max_value=datetime(LAST_YEAR, 12, 31, 23, 59)
).map(lambda m: m.replace(second=0, microsecond=0))


@given(days)
def test_every_documented_form_reads_back_to_the_same_day(day: date) -> None:
    for typed in (
        format_date(day),  # 1950-03-02
        f"{day:%Y%m%d}",  # 19500302, digit by digit with no separators
        f"{day:%Y/%m/%d}",
        f"{day.year}-{day.month}-{day.day}",  # 1950-3-2
        f"{day:%m/%d/%Y}",  # 03/02/1950, as on the CMS-1500
        f"{day.month}/{day.day}/{day.year}",
        f"  {day.isoformat()}\n",  # pasted with white space around it
    ):
        assert parse_date(typed).value == day, typed
        assert parse_date(typed).problem is None


@given(moments)
def test_every_documented_moment_reads_back(moment: datetime) -> None:
    for typed in (
        format_moment(moment),
        f"{moment:%Y%m%d%H%M}",
        f"{moment:%Y-%m-%dT%H:%M}",
        f"{moment:%m/%d/%Y %I:%M %p}",
        f"{moment:%Y-%m-%d %H%M}",
    ):
        assert parse_moment(typed).value == moment, typed


@given(st.text(max_size=40))
def test_anything_typed_is_a_value_or_a_message_never_both_never_an_error(text: str) -> None:
    for parsed in (parse_date(text), parse_moment(text)):
        if text.strip():
            assert (parsed.value is None) != (parsed.problem is None), (text, parsed)
        else:
            assert parsed.value is None and parsed.problem is None


@given(days, st.integers(min_value=1, max_value=7))
def test_a_date_cut_short_while_typing_is_never_a_date(day: date, keep: int) -> None:
    """Every prefix of 19500302 typed digit by digit is incomplete, never 1950-01-01 or today."""
    prefix = f"{day:%Y%m%d}"[:keep]
    parsed = parse_date(prefix)
    assert parsed.value is None
    assert parsed.problem is not None


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1950", "not a whole date"),
        ("1950-03", "not a whole date"),
        ("2026-02-30", "There is no 2026-02-30"),
        ("2026-13-01", "no month 13"),
        ("0195-03-02", "year 0195 looks mistyped"),
        ("03/02/50", "two-digit year"),
        ("March 2", "not a date"),
    ],
)
def test_incomplete_or_impossible_dates_say_why(typed: str, words: str) -> None:
    parsed = parse_date(typed)
    assert parsed.value is None
    assert parsed.problem is not None and words in parsed.problem


def test_the_year_typed_is_the_year_kept() -> None:
    """Issue 19: 1950-03-02 became 2026-03-02, and 2028-01-31 became 2026-01-31."""
    assert parse_date("1950-03-02").value == date(1950, 3, 2)
    assert parse_date("20280131").value == date(2028, 1, 31)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2026-04-14", "Add the time"),
        ("2026-04-14 25:00", "no time"),
        ("2026-04-14 13:00 pm", "1 to 12"),
        ("2026-04-14 noon", "not a time"),
    ],
)
def test_a_moment_without_a_usable_time_says_why(typed: str, words: str) -> None:
    parsed = parse_moment(typed)
    assert parsed.value is None
    assert parsed.problem is not None and words in parsed.problem
