"""The line item control number: the 837P sends it in each service line's REF*6R (loop 2400),
and the payer echoes it in the 835's REF*6R (loop 2110), so a payment finds its drug line
without guessing (005010X222A1 and 005010X221A1, REF*6R "Line Item Control Number", 1-50
characters, unique within the claim).

Built from the claim number (CLM01 = CLP01) and the drug line's place on the claim, so the
same line always gets the same number and the number alone says which claim and drug line it
belongs to. A drug line billed as two service lines (the dose, and the discarded amount on its
JW line, domain.billing) gives the JW line its own number, marked W.
"""

from __future__ import annotations


def line_control_number(claim_id: int, line_index: int, *, waste: bool = False) -> str:
    """`line_index` counts the claim's drug lines from 0; the number counts them from 1."""
    if claim_id < 1 or line_index < 0:
        raise ValueError(f"no line control number for claim {claim_id}, line {line_index}")
    return f"{claim_id}-{line_index + 1}{'W' if waste else ''}"
