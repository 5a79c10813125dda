"""Which status a claim may move to next, and the rules each move must meet. Pure: no database.

draft -> ready -> submitted -> paid / denied -> corrected / appealed / resubmitted -> closed.
Every refusal is a `TransitionProblem` with the message the biller sees and what to do.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from j3490_desk.domain.claim import Claim, ClaimStatus, DrugLine

S = ClaimStatus
ALLOWED: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    S.DRAFT: frozenset({S.READY}),
    S.READY: frozenset({S.DRAFT, S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.PAID, S.DENIED, S.CORRECTED}),
    S.DENIED: frozenset({S.CORRECTED, S.APPEALED, S.CLOSED}),
    S.CORRECTED: frozenset({S.RESUBMITTED}),
    S.APPEALED: frozenset({S.PAID, S.DENIED, S.CLOSED}),
    S.RESUBMITTED: frozenset({S.PAID, S.DENIED, S.CORRECTED}),
    S.PAID: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Once a claim has gone to the payer its drug data is evidence: only "correct claim" changes it.
SENT = frozenset({S.SUBMITTED, S.PAID, S.DENIED, S.APPEALED, S.RESUBMITTED, S.CLOSED})
OPEN = frozenset({S.DRAFT, S.READY, S.SUBMITTED, S.DENIED, S.CORRECTED, S.APPEALED, S.RESUBMITTED})


class SubmissionMethod(enum.StrEnum):
    PORTAL = "portal"
    CLEARINGHOUSE = "clearinghouse"
    PAPER = "paper"
    FAX = "fax"


@dataclass(frozen=True)
class TransitionProblem:
    message: str
    hint: str


def transition_problem(current: ClaimStatus, target: ClaimStatus) -> TransitionProblem | None:
    if target in ALLOWED[current]:
        return None
    allowed = ", ".join(sorted(s.value for s in ALLOWED[current])) or "nothing (it is closed)"
    return TransitionProblem(
        f"A {current.value} claim cannot be marked {target.value}.",
        f"From {current.value} it can go to: {allowed}.",
    )


def reversal_problem(current: ClaimStatus, posted: ClaimStatus) -> TransitionProblem | None:
    """A payer's reversal (835 CLP02 = 22, 005010X221A1) undoes its own earlier payment or
    denial: the claim goes back to the status it had before that posting. Only while the claim
    still is where that posting left it; after the clerk moved it on, the clerk decides."""
    if current is posted:
        return None
    return TransitionProblem(
        f"The payer reverses its {posted.value} posting, but the claim is {current.value} now.",
        "Read the remittance, then move the claim by hand (Status) with a note.",
    )


def ready_problem(blocker_codes: list[str]) -> TransitionProblem | None:
    if not blocker_codes:
        return None
    return TransitionProblem(
        f"The claim check still finds {len(blocker_codes)} blocker(s): {', '.join(blocker_codes)}.",
        "Open the claim and fix what its checklist marks as a blocker, then mark it ready.",
    )


def submission_problem(
    date_of_service: date, submitted_on: date, today: date, reference_number: str
) -> TransitionProblem | None:
    if submitted_on < date_of_service:
        return TransitionProblem(
            f"The submission date {submitted_on.isoformat()} is before the date of service "
            f"{date_of_service.isoformat()}.",
            "Enter the day the claim was actually sent to the payer.",
        )
    if submitted_on > today:
        return TransitionProblem(
            f"The submission date {submitted_on.isoformat()} is in the future.",
            "Record a submission on or after the day it was sent.",
        )
    if not reference_number.strip():
        return TransitionProblem(
            "The payer's or clearinghouse's reference number is missing.",
            "Copy it from the portal confirmation, the clearinghouse report or the fax cover.",
        )
    return None


def payment_problem(
    amount: Decimal, billed: Decimal | None, *, confirmed_over_billed: bool
) -> TransitionProblem | None:
    if amount < 0:
        return TransitionProblem(
            f"A paid amount cannot be negative ({amount}).",
            "Enter what the payer paid; a recoupment is recorded as a denial or a correction.",
        )
    if billed is not None and amount > billed and not confirmed_over_billed:
        return TransitionProblem(
            f"The paid amount {amount} is more than the billed amount {billed}.",
            "Check the remittance. If the payer really paid more, confirm it explicitly.",
        )
    return None


def event_date_problem(event_date: date, earliest: date, what: str) -> TransitionProblem | None:
    if event_date < earliest:
        return TransitionProblem(
            f"The {what} date {event_date.isoformat()} is before {earliest.isoformat()}.",
            f"A {what} cannot come before the claim was sent; check the remittance date.",
        )
    return None


def delete_problem(
    status: ClaimStatus, ever_submitted: bool, retain_until: date, today: date
) -> TransitionProblem | None:
    """A never-submitted draft may go; anything else is kept until its retain-until date."""
    if status is ClaimStatus.DRAFT and not ever_submitted:
        return None
    if today < retain_until:
        return TransitionProblem(
            f"This claim must be kept until {retain_until.isoformat()} (record retention).",
            "Archive it instead: it leaves the work queue but stays in your records.",
        )
    return None


def drug_data_changed(before: Claim, after: Claim) -> bool:
    """Ids are the store's business; everything else on a drug line is what the payer saw."""

    def lines(claim: Claim) -> list[DrugLine]:
        return [replace(line, id=None) for line in claim.drug_lines]

    return lines(before) != lines(after)


def sent_claim_edit_problem(before: Claim, after: Claim) -> TransitionProblem | None:
    """A claim the payer has keeps its drug data; changing it is a correction, recorded as one."""
    if before.status in SENT and drug_data_changed(before, after):
        return TransitionProblem(
            f"Claim {before.id} is {before.status.value}: its drug data is what the payer has.",
            "Use Status > Correct claim, which records the correction and marks it corrected.",
        )
    return None
