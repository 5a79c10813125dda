"""How amounts are written and rounded, in one place."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def plain_amount(value: Decimal) -> str:
    """45.000 -> "45", 2.50 -> "2.5", 1E+2 -> "100": an amount as a clerk writes it."""
    return format(value.normalize(), "f")


def round_cents(value: Decimal) -> Decimal:
    """Money is rounded half-up to cents, once, at the end (pricing.py)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def dollars(value: Decimal) -> str:
    """Money as payers print it: "$412.50", "$1,045.00" (cents rounded half-up)."""
    return f"${round_cents(value):,.2f}"


def dollar_rate(value: Decimal) -> str:
    """A price per mg or mcg, which often has fractions of a cent: "$0.275", "$1,400.00";
    at least two and at most four decimal places, with thousands separators."""
    exact = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{exact:,.4f}".partition(".")
    return f"${whole}.{fraction.rstrip('0').ljust(2, '0')}"
