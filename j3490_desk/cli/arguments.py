"""Argument types the command groups share: each refuses what the services cannot use, so
argparse prints the usage and exits 2 instead of a traceback deep inside."""

from __future__ import annotations

import argparse
from datetime import date

from j3490_desk.domain import input_limits


def day(text: str) -> date:
    """A YYYY-MM-DD the deadline arithmetic can count from (domain.input_limits)."""
    try:
        value = date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from error
    problem = input_limits.date_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return value


def record_id(text: str) -> int:
    """A claim's number: 1 to MAX_RECORD_ID, as either engine can hold it."""
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a claim number") from error
    if not 1 <= value <= input_limits.MAX_RECORD_ID:
        raise argparse.ArgumentTypeError(
            f"{text} is not a claim number (they run from 1 to {input_limits.MAX_RECORD_ID})"
        )
    return value
