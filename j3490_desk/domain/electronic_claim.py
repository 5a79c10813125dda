"""What an electronic claim (837P, X12 005010X222A1) needs beyond what the paper check needs.

Two parts: the clinic as billing provider and submitter (`Submitter`, `submitter_problems`),
and the claim's own 837P fields (`electronic_findings`). The claim check shows these findings
as warnings: a clinic that bills on paper never needs them. Exporting an 837P makes them
blockers (`as_export_blockers`): the file cannot be built without them.

Sources: the X12 005010X222A1 TR3 loops as domain.md section 2 "837P" summarises them;
payer-profiles.md §0/§3 for PWK; USPS Publication 28 for state and ZIP.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from j3490_desk.domain import identifiers
from j3490_desk.domain.claim import Claim, ClaimFrequency, DocumentsSent, Relationship, Sex
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.npi import npi_problem
from j3490_desk.domain.payer_profiles import profile_for
from j3490_desk.domain.submitter import phone_problem, x12_id_problem

TR3 = "X12 005010X222A1 (837P) TR3; domain.md §2 837P"
PWK_SOURCE = "payer-profiles.md §0 PWK elements, §3"
ITEM = "electronic"
# PWK02 transmission code for each way the packet goes (payer-profiles.md §0).
TRANSMISSION_CODES = {
    DocumentsSent.MAIL: "BM",
    DocumentsSent.FAX: "FX",
    DocumentsSent.UPLOAD: "EL",
}
# 2010BB NM109 payer identifier: X12 element 67 is 2 to 80 characters; payer IDs in use are
# letters and digits (the clearinghouse's payer list gives the exact one).
_PAYER_ID = re.compile(r"[0-9A-Za-z]{2,80}")


@dataclass(frozen=True)
class Submitter:
    """The clinic as 837P billing provider (2010AA) and submitter (1000A), and the receiver
    (1000B) it sends to: the keys of `j3490-desk clinic set`."""

    name: str = ""
    npi: str = ""
    tax_id: str = ""
    taxonomy: str = ""
    address: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    phone: str = ""
    submitter_id: str = ""
    submitter_contact: str = ""
    receiver_id: str = ""
    receiver_name: str = ""
    usage: str = "T"


def street_line(submitter: Submitter) -> str:
    """The street part of the clinic's mailing address (2010AA N3): Settings keeps the whole
    address, "1200 Harbor Rd, Suite 4, Duluth MN 55802" (it prints on every cover sheet); the
    city, state and ZIP go in N4 from their own keys, so they are cut from the end here."""
    ending = re.compile(
        r"[,\s]*"
        + re.escape(submitter.city.strip())
        + r"[,\s]+"
        + re.escape(submitter.state.strip())
        + r"\.?[,\s]+\d{5}(?:-?\d{4})?\s*$",
        re.IGNORECASE,
    )
    if not submitter.city.strip() or not submitter.state.strip():
        return submitter.address.strip()
    return ending.sub("", submitter.address.strip()) or submitter.address.strip()


def digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


def submitter_problems(submitter: Submitter) -> list[str]:
    """What keeps the clinic's details from an 837P: one sentence per missing or wrong key."""
    problems: list[str] = []
    required = (
        *("name", "npi", "tax_id", "address", "city", "state", "zip", "phone"),
        *("submitter_id", "submitter_contact", "receiver_id", "receiver_name"),
    )
    for key in required:
        if not getattr(submitter, key).strip():
            problems.append(f"the clinic's {key} is missing (j3490-desk clinic set {key}=...)")
    checks = {
        "npi": lambda text: npi_problem(text) if text.strip() else None,
        "tax_id": identifiers.tax_id_problem,
        "state": identifiers.state_problem,
        "zip": identifiers.zip_problem,
        "phone": phone_problem,
        "submitter_id": x12_id_problem,
        "receiver_id": x12_id_problem,
    }
    for key, check in checks.items():
        problem = check(getattr(submitter, key))
        if problem:
            problems.append(f"the clinic's {key}: {problem}")
    zip_digits = digits(submitter.zip)
    if zip_digits and len(zip_digits) != 9 and not identifiers.zip_problem(submitter.zip):
        # TR3 2010AA N403: the billing provider's ZIP "must be a nine digit ZIP code".
        problems.append(
            "the clinic's zip has 5 digits; the 837P's billing provider needs all 9 (ZIP+4, "
            "on the USPS ZIP code lookup)"
        )
    if submitter.usage.strip().upper() not in ("T", "P"):
        problems.append("the clinic's usage must be T (test) or P (production)")
    return problems


def _f(code: str, message: str, fix: str, source: str = TR3, line: int | None = None) -> Finding:
    return Finding(code, Severity.WARNING, ITEM, message, fix, line, source)


def electronic_findings(claim: Claim) -> list[Finding]:
    """The 837P fields the claim lacks or has wrong, as warnings (see the module docstring)."""
    return [*_patient(claim), *_payer(claim), *_frequency(claim), *_lines(claim), *_pwk(claim)]


def _patient(claim: Claim) -> Iterable[Finding]:
    details = claim.patient_details
    missing = [
        name for name in ("address", "city", "state", "zip") if not getattr(details, name).strip()
    ]
    if missing:
        yield _f(
            "X12_PATIENT_ADDRESS_MISSING",
            f"The patient's {', '.join(missing)} is not entered; the 837P carries the address "
            "(2010BA/2010CA N3, N4).",
            "Enter the patient's street, city, state and ZIP code on the claim's patient step.",
        )
    for problem in (identifiers.state_problem(details.state), identifiers.zip_problem(details.zip)):
        if problem:
            yield _f("X12_PATIENT_ADDRESS_INVALID", f"Patient address: {problem}", "Correct it.")
    if details.sex is Sex.NOT_STATED:
        yield _f(
            "X12_PATIENT_SEX_MISSING",
            "The patient's sex is not entered (2010BA/2010CA DMG03).",
            "Choose F, M, or U (unknown) on the claim's patient step.",
        )
    if claim.patient.date_of_birth is None:
        yield _f(
            "X12_PATIENT_BIRTH_DATE_MISSING",
            "The patient's date of birth is not entered (DMG02).",
            "Enter the date of birth on the patient's record.",
        )
    if not claim.patient.member_id.strip():
        yield _f(
            "X12_MEMBER_ID_MISSING",
            "The insured's member ID is not entered (2010BA NM109).",
            "Copy the member ID from the insurance card.",
        )
    if details.relationship is Relationship.NOT_STATED:
        yield _f(
            "X12_RELATIONSHIP_MISSING",
            "The patient's relationship to the insured is not entered (SBR02 / PAT01).",
            "Choose self, spouse, child or other on the claim's patient step.",
        )
    elif details.relationship is not Relationship.SELF and not details.subscriber_name.strip():
        yield _f(
            "X12_SUBSCRIBER_NAME_MISSING",
            "The patient is not the insured, but the insured's name is not entered (2010BA NM1).",
            "Enter the insured's name as 'Last, First', as on the insurance card.",
        )


def payer_id_problem(text: str) -> str | None:
    """What is wrong with a typed payer ID; None when it is fine or empty (not yet entered)."""
    payer_id = text.strip()
    if not payer_id or _PAYER_ID.fullmatch(payer_id):
        return None
    return f"The payer ID '{payer_id[:20]}' is not letters and digits only (2010BB NM109)."


def _payer(claim: Claim) -> Iterable[Finding]:
    payer_id = claim.payer.payer_id.strip()
    problem = payer_id_problem(payer_id)
    if not payer_id:
        yield _f(
            "X12_PAYER_ID_MISSING",
            f"{claim.payer.name or 'The payer'} has no electronic payer ID (2010BB NM109).",
            "Enter the payer ID from the clearinghouse's payer list on the payer's record.",
        )
    elif problem:
        yield _f(
            "X12_PAYER_ID_INVALID",
            problem,
            "Copy the payer ID exactly from the clearinghouse's payer list.",
        )


def _frequency(claim: Claim) -> Iterable[Finding]:
    if claim.frequency is not ClaimFrequency.ORIGINAL and not claim.original_claim_number.strip():
        what = "replacement" if claim.frequency is ClaimFrequency.REPLACEMENT else "void"
        yield _f(
            "X12_ORIGINAL_CLAIM_NUMBER_MISSING",
            f"A {what} claim (frequency {claim.frequency.value}) needs the payer's number of the "
            "claim it replaces or voids (2300 REF*F8).",
            "Copy the claim number (ICN/DCN) from the payer's remittance.",
        )


def _lines(claim: Claim) -> Iterable[Finding]:
    for index, line in enumerate(claim.drug_lines):
        if line.charge is None:
            yield _f(
                "X12_CHARGE_MISSING",
                "The line has no charge; the 837P needs one on every line (SV102).",
                "Enter the line's charge.",
                line=index,
            )


def _pwk(claim: Claim) -> Iterable[Finding]:
    if claim.documents_sent is DocumentsSent.NONE:
        return
    profile = profile_for(claim.payer)
    code = TRANSMISSION_CODES[claim.documents_sent]
    if code not in profile.pwk_transmissions:
        allowed = ", ".join(profile.pwk_transmissions)
        yield _f(
            "X12_PWK_TRANSMISSION_NOT_ACCEPTED",
            f"{profile.name} takes documentation by {allowed} only, not by "
            f"{claim.documents_sent.value} ({code}, PWK02).",
            "Choose fax or mail for the packet, or check the payer's PWK instructions.",
            PWK_SOURCE,
        )


def as_export_blockers(findings: Iterable[Finding]) -> list[Finding]:
    """The same findings when the clerk exports an 837P: the file cannot be built without."""
    return [dataclasses.replace(f, severity=Severity.BLOCKER) for f in findings]
