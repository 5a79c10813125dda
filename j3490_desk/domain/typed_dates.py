"""Dates and times as a clerk types or pastes them, read without guessing.

The app's own format is ISO 8601 year-month-day (2026-04-14), also typed without separators
(20260414). The US month/day/year of the CMS-1500 form (NUCC 1500 instructions: "MM DD CCYY")
is read too, because it is what is printed on the paper a clerk copies from, but only with a
four-digit year. A two-digit year, a missing part or a day the calendar lacks is a message,
never a default: nothing here fills in the current year or clamps a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

FIRST_YEAR, LAST_YEAR = 1900, 2099  # a year outside these is a typo (0195, 2195), not a date
EXAMPLE = "e.g. 2026-04-14"
_HOW = f"Type year-month-day, {EXAMPLE} (or 04/14/2026)."

_SEPARATOR = r"[-/. ]"
_ISO = re.compile(rf"(?P<y>\d{{4}})(?P<s>{_SEPARATOR})(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}})")
_BASIC = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_US = re.compile(rf"(?P<m>\d{{1,2}})(?P<s>{_SEPARATOR})(?P<d>\d{{1,2}})(?P=s)(?P<y>\d{{4}})")
_DIGITS_AND_SEPARATORS = re.compile(r"[\d/. -]+")
_SHORT_YEAR = re.compile(rf"\d{{1,2}}({_SEPARATOR})\d{{1,2}}\1\d{{2}}")
_TIME = re.compile(r"(?P<h>\d{1,2}):?(?P<min>\d{2})\s*(?P<half>[ap]\.?m\.?)?", re.IGNORECASE)
_DATE_THEN_TIME = re.compile(r"(?P<date>\S+?)(?:[T ]+|\s+)(?P<time>\S.*)")


@dataclass(frozen=True)
class TypedDate:
    """What a typed date means: its value, or why it has none. Both None: nothing typed."""

    value: date | None
    problem: str | None = None


@dataclass(frozen=True)
class TypedMoment:
    """What a typed date and time means (a wall-clock time, as typed)."""

    value: datetime | None
    problem: str | None = None


def format_date(day: date) -> str:
    return day.isoformat()


def format_moment(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def parse_date(text: str) -> TypedDate:
    """A date typed or pasted as 2026-04-14, 20260414, 2026/4/14 or 04/14/2026."""
    typed = text.strip()
    if not typed:
        return TypedDate(None)
    for pattern in (_ISO, _BASIC, _US):
        match = pattern.fullmatch(typed)
        if match:
            return _calendar_date(match["y"], match["m"], match["d"])
    shown = typed[:30]
    if _SHORT_YEAR.fullmatch(typed):
        return TypedDate(None, f"'{shown}' has a two-digit year: type all four, {EXAMPLE}.")
    if _DIGITS_AND_SEPARATORS.fullmatch(typed) and sum(c.isdigit() for c in typed) < 8:
        return TypedDate(None, f"'{shown}' is not a whole date yet. {_HOW}")
    return TypedDate(None, f"'{shown}' is not a date. {_HOW}")


def parse_moment(text: str) -> TypedMoment:
    """A date and a 24-hour (or am/pm) time: 2026-04-14 09:30, 202604140930, 04/14/2026 9:30 pm."""
    typed = text.strip()
    if not typed:
        return TypedMoment(None)
    if re.fullmatch(r"\d{12}", typed):  # yyyymmddHHMM typed straight through
        typed = f"{typed[:8]} {typed[8:]}"
    split = _DATE_THEN_TIME.fullmatch(typed)
    if split is None:
        day = parse_date(typed)
        if day.value is None:
            return TypedMoment(None, day.problem)
        return TypedMoment(None, f"Add the time after the date, e.g. {day.value} 09:30.")
    day = parse_date(split["date"])
    if day.value is None:
        return TypedMoment(None, day.problem)
    clock = _clock(split["time"].strip())
    if isinstance(clock, str):
        return TypedMoment(None, clock)
    return TypedMoment(datetime.combine(day.value, clock))


def _calendar_date(year: str, month: str, day: str) -> TypedDate:
    shown = f"{year}-{month.zfill(2)}-{day.zfill(2)}"
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return TypedDate(None, f"The year {year} looks mistyped: check it ({shown}).")
    if not 1 <= int(month) <= 12:
        return TypedDate(None, f"{shown} has no month {int(month)}: months are 1 to 12.")
    try:
        return TypedDate(date(int(year), int(month), int(day)))
    except ValueError:
        return TypedDate(None, f"There is no {shown}: check the day.")


def _clock(text: str) -> time | str:
    match = _TIME.fullmatch(text)
    if match is None:
        return f"'{text[:20]}' is not a time. Type hours:minutes, e.g. 09:30 or 14:05."
    hour, minute = int(match["h"]), int(match["min"])
    half = (match["half"] or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return f"'{text[:20]}': with am/pm the hour is 1 to 12."
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return f"There is no time {text[:20]}: hours are 0 to 23, minutes 0 to 59."
    return time(hour, minute)
