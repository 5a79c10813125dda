"""The four scenarios as 837P input: the clinic, the billed lines, a fixed envelope."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from j3490_desk.domain import claim as claim_module
from j3490_desk.domain.billing import bill_lines
from j3490_desk.domain.claim import DocumentsSent
from j3490_desk.domain.electronic_claim import Submitter
from j3490_desk.export.x12.claim_837p import ClaimToSend, Envelope
from tests.domain import scenarios
from tests.sample_claims import sample_claim

SUBMITTER = Submitter(
    name="Lakeside Infusion",
    npi="1234567893",
    tax_id="41-1234567",
    taxonomy="207Q00000X",
    address="1200 Harbor Rd, Duluth MN 55802",  # the whole mailing address, as Settings keeps it
    city="Duluth",
    state="MN",
    zip="55802-1234",
    phone="218-555-0142",
    submitter_id="LAKESIDE01",
    submitter_contact="Maria Reyes",
    receiver_id="CLEARHOUSE",
    receiver_name="Clear House",
)
# The varying fields, fixed: interchange control number and creation time.
ENVELOPE = Envelope(interchange_number=4711, created=datetime(2026, 3, 5, 14, 30))
ACN = "20260305-{claim_id}-0123456789"
SCENARIOS = {
    "1-new-immunotherapy": scenarios.new_immunotherapy,
    "2-compound-three-drugs": scenarios.compound_trimix,
    "3-off-label-use": scenarios.off_label_rituximab,
    "4-rare-biologic-infusion": scenarios.rare_biologic,
}


def to_send(name: str, claim_id: int = 1) -> ClaimToSend:
    scenario = SCENARIOS[name]()
    claim = scenario.claim
    acn = ACN.format(claim_id=claim_id) if claim.documents_sent is not DocumentsSent.NONE else ""
    billed = bill_lines(claim, facts=scenario.facts, evidence=scenario.evidence)
    return ClaimToSend(claim_id, claim, billed, acn)


def electronic_sample_claim(**changes: object) -> claim_module.Claim:
    """The sample claim with what the 837P needs (its NDC unit, patient details, payer ID)."""
    claim = sample_claim()
    line = claim.drug_lines[0]
    line = dataclasses.replace(
        line, package=dataclasses.replace(line.package, ndc_unit_qualifier="ML")
    )
    details = claim_module.PatientDetails(
        "5 Elm St",
        "Madison",
        "WI",
        "53703",
        claim_module.Sex.FEMALE,
        claim_module.Relationship.SELF,
    )
    payer = dataclasses.replace(claim.payer, payer_id="05302")
    return dataclasses.replace(
        claim, drug_lines=(line,), patient_details=details, payer=payer, **changes
    )  # type: ignore[arg-type]
