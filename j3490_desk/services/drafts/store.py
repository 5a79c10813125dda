"""What the wizard reads and writes: the draft itself, the step the clerk left off on, and the
saved patients, payers and providers its pickers offer, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from j3490_desk.domain import claim as domain
from j3490_desk.domain.findings import Severity
from j3490_desk.models import Claim as ClaimRow
from j3490_desk.models import Patient, Payer, Provider
from j3490_desk.services import claim_status, claims, records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.claim_check import findings_for
from j3490_desk.services.concurrency import set_derived


def start_draft(data: AppData, *, today: date | None = None) -> int:
    """A new claim with no patient yet and one empty drug line, dated today."""
    claim = domain.Claim(
        patient=domain.Patient(name=""),
        payer=domain.Payer(name=""),
        provider=domain.Provider(name=""),
        date_of_service=today or date.today(),
        drug_lines=(domain.DrugLine(),),
    )
    return claims.create_claim(data, claim)


@dataclass(frozen=True)
class SavedDraft:
    """The claim as stored after a save, and the version the window now edits."""

    claim: domain.Claim
    version: int


def open_draft(data: AppData, claim_id: int) -> SavedDraft:
    """The claim and its version, read together, for a window to edit."""
    claim, version = claims.get_claim_version(data, claim_id)
    return SavedDraft(claim, version)


def save_draft(
    data: AppData,
    claim: domain.Claim,
    step: str,
    *,
    version: int | None = None,
    today: date | None = None,
) -> SavedDraft:
    """Save the whole draft, blockers or not, and the step the clerk is on; the work queue's
    readiness column then shows this version's check, never an older one's.

    `version`: the one the window loaded; a claim saved elsewhere since is not overwritten
    (ClaimChangedElsewhereError, nothing saved).
    A ready claim that this change leaves with a blocker goes back to draft.
    Returns the stored claim (new drug lines come back with their ids, and its status) and its
    version now.
    """
    claim_id = _claim_id(claim)
    claims.update_claim(data, claim, version=version)
    set_resume_step(data, claim_id, step)
    saved = open_draft(data, claim_id)
    findings = findings_for(data, saved.claim, today=today)
    claims.record_readiness(data, claim_id, findings)
    blockers = [f.code for f in findings if f.severity is Severity.BLOCKER]
    if saved.claim.status is domain.ClaimStatus.READY and blockers:
        # Ready means the claim passed the check: a change that fails it undoes Ready, as
        # removing its invoice does, and it must pass the check again.
        claim_status.back_to_draft(
            data,
            claim_id,
            note=f"Changed after it was marked ready; now blocked by {', '.join(blockers)}. "
            "Fix them and mark it ready again.",
        )
        saved = open_draft(data, claim_id)
    return saved


def resume_step(data: AppData, claim_id: int) -> str:
    with data.db.read() as session:
        row = session.get(ClaimRow, claim_id)
        return row.resume_step if row is not None else ""


def set_resume_step(data: AppData, claim_id: int, step: str) -> None:
    # Where the clerk is is not a change to the claim: no audit entry, no updated_at, and the
    # version stays (another seat's window is not told the claim changed).
    with data.db.write() as session:
        set_derived(session, claim_id, resume_step=step)


def _claim_id(claim: domain.Claim) -> int:
    if claim.id is None:
        raise ValueError("a draft is always stored: start it with start_draft")
    return claim.id


def saved_patients(data: AppData) -> list[domain.Patient]:
    return [
        domain.Patient(p.name, p.date_of_birth, p.member_id)
        for p in records.list_records(data, Patient)
    ]


def saved_payers(data: AppData) -> list[domain.Payer]:
    return [
        domain.Payer(
            name=p.name,
            kind=domain.PayerKind(p.kind),
            timely_filing_days=p.timely_filing_days,
            pricing_policy=domain.PricingPolicy(p.pricing_policy),
            markup_percent=p.markup_percent,
            prior_auth_required=p.prior_auth_required,
            narrative_profile=p.narrative_profile,
            ndc_quantity_decimals=p.ndc_quantity_decimals,
            address=p.address,
            fax=p.fax,
        )
        for p in records.list_records(data, Payer)
    ]


def saved_providers(data: AppData) -> list[domain.Provider]:
    return [
        domain.Provider(p.name, p.credentials, p.npi) for p in records.list_records(data, Provider)
    ]
