"""What a payer's 835 remittance says about a claim, and the rules for posting it. Pure: the
835 file is read by services.remittance_file (pyx12), posted by services.remittance.

Element names are those of the X12 835 implementation guide 005010X221A1 (the map pyx12 ships,
835.5010.X221.A1.xml): CLP02 claim status, CLP03 charge, CLP04 payment, CLP05 patient
responsibility, CLP07 payer claim control number; CAS group code + CARC + amount; LQ*HE RARC;
REF*6R the line item control number we sent in the 837P.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

IMPLEMENTATION_GUIDE = "005010X221A1"  # GS08 of the only 835 version we read


class Outcome(enum.StrEnum):
    """What CLP02 means for posting (005010X221A1, CLP02 code list)."""

    PAID = "paid"  # 1, 2, 3: processed as primary, secondary, tertiary (paid, maybe partly)
    DENIED = "denied"  # 4
    REVERSAL = "reversal"  # 22: reversal of a previous payment


CLP02_OUTCOMES = {
    "1": Outcome.PAID,
    "2": Outcome.PAID,
    "3": Outcome.PAID,
    "4": Outcome.DENIED,
    "22": Outcome.REVERSAL,
}


@dataclass(frozen=True)
class Problem:
    """Something in the file that keeps a claim (or the whole file) from being posted."""

    segment: str  # the segment as the file has it, or its id and position when it holds PHI
    message: str


@dataclass(frozen=True)
class Adjustment:
    """One CAS reason: group code (CO, PR, OA, PI, CR), CARC and amount."""

    group: str
    reason: str
    amount: Decimal

    @property
    def label(self) -> str:
        return f"{self.group}-{self.reason}"


@dataclass(frozen=True)
class ServicePayment:
    """A 2110 service line: SVC, its date, REF*6R, CAS and LQ*HE."""

    procedure: str  # SVC01-2, e.g. J3490
    modifiers: tuple[str, ...]  # SVC01-3 .. SVC01-6
    charged: Decimal  # SVC02
    paid: Decimal  # SVC03
    service_date: date | None  # DTM*472, else DTM*150 (period start)
    control_number: str  # REF*6R, "" when the payer did not echo it
    adjustments: tuple[Adjustment, ...] = ()
    remark_codes: tuple[str, ...] = ()  # LQ*HE: RARC


@dataclass(frozen=True)
class ClaimPayment:
    """A 2100 claim payment loop."""

    claim_number: str  # CLP01: our CLM01
    status_code: str  # CLP02
    charged: Decimal  # CLP03
    paid: Decimal  # CLP04
    patient_responsibility: Decimal  # CLP05 (0 when absent)
    payer_claim_number: str  # CLP07
    segment: str  # the CLP segment as written, for problem lines (it holds no PHI)
    adjustments: tuple[Adjustment, ...] = ()  # claim-level CAS
    remark_codes: tuple[str, ...] = ()  # MOA03-MOA07
    services: tuple[ServicePayment, ...] = ()
    problems: tuple[Problem, ...] = ()  # the validator's findings inside this loop

    @property
    def outcome(self) -> Outcome | None:
        return CLP02_OUTCOMES.get(self.status_code)

    # cached: posting a claim reads them several times, and a file may pay thousands of claims
    @functools.cached_property
    def all_adjustments(self) -> tuple[Adjustment, ...]:
        return self.adjustments + tuple(a for s in self.services for a in s.adjustments)

    @functools.cached_property
    def all_remark_codes(self) -> tuple[str, ...]:
        codes = self.remark_codes + tuple(c for s in self.services for c in s.remark_codes)
        return tuple(dict.fromkeys(codes))


@dataclass(frozen=True)
class Payment:
    """One ST transaction: one check or EFT (BPR, TRN) and the claims it pays."""

    payer: str  # N1*PR name
    total: Decimal  # BPR02
    method: str  # BPR04: ACH, CHK, FWT, BOP, NON
    paid_on: date | None  # BPR16
    trace_number: str  # TRN02: the check or EFT number
    claims: tuple[ClaimPayment, ...] = ()


@dataclass(frozen=True)
class Remittance:
    """An 835 file as read: its payments, and what the validator found outside any claim."""

    payments: tuple[Payment, ...]
    problems: tuple[Problem, ...] = ()


def balance_problem(claim: ClaimPayment) -> Problem | None:
    """CLP03 - every CAS amount (claim and lines) must equal CLP04 (005010X221A1 §1.10.2,
    "balancing": the charge less the adjustments is the payment). A reversal balances too,
    with every amount negated."""
    adjusted = sum((a.amount for a in claim.all_adjustments), Decimal("0"))
    if claim.charged - adjusted == claim.paid:
        return None
    return Problem(
        claim.segment,
        f"Claim {claim.claim_number}: the charge {claim.charged} less the adjustments "
        f"{adjusted} is {claim.charged - adjusted}, not the payment {claim.paid}; "
        "the claim is not posted. Ask the payer for a corrected remittance.",
    )


def outcome_problem(claim: ClaimPayment) -> Problem | None:
    if claim.outcome is not None:
        return None
    return Problem(
        claim.segment,
        f"Claim {claim.claim_number}: claim status code {claim.status_code} (CLP02) is not a "
        "payment, a denial or a reversal; it is not posted. Read the remittance advice.",
    )


def outcome_label(claim: ClaimPayment) -> str:
    """The payer's decision in words: a payment is "partly paid" when adjustments took the
    rest of the charge (CLP04 < CLP03)."""
    if claim.outcome is Outcome.REVERSAL:
        return "Reversal of an earlier payment"
    if claim.outcome is Outcome.DENIED:
        return "Denied"
    if claim.outcome is None:
        return f"Claim status {claim.status_code}"
    if claim.paid == claim.charged:
        return "Paid in full"
    if claim.paid == 0:
        return "Processed, nothing paid (all adjusted)"
    return "Partly paid, the rest adjusted"


def posting_summary(claim: ClaimPayment) -> str:
    """One line for the claim's history: what the payer decided, in its own codes."""
    parts = [
        f"charged {claim.charged}",
        f"paid {claim.paid}",
        f"patient responsibility {claim.patient_responsibility}",
    ]
    if claim.payer_claim_number:
        parts.append(f"payer claim number {claim.payer_claim_number}")
    if claim.all_adjustments:
        parts.append(
            "adjustments " + ", ".join(f"{a.label} {a.amount}" for a in claim.all_adjustments)
        )
    if claim.all_remark_codes:
        parts.append("remarks " + " ".join(claim.all_remark_codes))
    return "; ".join(parts)
