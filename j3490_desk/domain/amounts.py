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
