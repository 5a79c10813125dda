"""The review page: the findings by severity, the expected payment, the narratives for paper
and electronic claims, and the filing deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from j3490_desk.domain import claim as domain
from j3490_desk.domain.billing import BilledLine, bill_lines
from j3490_desk.domain.deadlines import FilingDeadline, filing_deadline
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.pricing import PriceBreakdown, PricingError, price_claim
from j3490_desk.services import claim_check, claims
from j3490_desk.services.app_data import AppData


@dataclass(frozen=True)
class Review:
    blockers: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    infos: tuple[Finding, ...]
    prices: tuple[PriceBreakdown | PricingError, ...]  # one per drug line
    paper_lines: tuple[BilledLine, ...]  # item 19 narrative (paper CMS-1500)
    electronic_lines: tuple[BilledLine, ...]  # NTE / SV101-7 narrative (837P)
    deadline: FilingDeadline
    status: domain.ClaimStatus

    @property
    def can_mark_ready(self) -> bool:
        return not self.blockers

    @property
    def expected_total(self) -> Decimal | None:
        totals = [p.total for p in self.prices if isinstance(p, PriceBreakdown)]
        return sum(totals, Decimal(0)) if totals and len(totals) == len(self.prices) else None


def review(data: AppData, claim: domain.Claim, *, today: date | None = None) -> Review:
    """The review of a claim; a stored claim's check is kept for the work queue's readiness."""
    day = today or date.today()
    facts = claim_check.drug_facts(data, claim)
    evidence = claim_check.evidence_for(data, claim)
    findings = claim_check.findings_for(data, claim, today=day)
    if claim.id is not None:
        claims.record_readiness(data, claim.id, findings)
    return Review(
        blockers=tuple(f for f in findings if f.severity is Severity.BLOCKER),
        warnings=tuple(f for f in findings if f.severity is Severity.WARNING),
        infos=tuple(f for f in findings if f.severity is Severity.INFO),
        prices=price_claim(claim, facts=facts),
        paper_lines=bill_lines(claim, facts=facts, paper=True, evidence=evidence),
        electronic_lines=bill_lines(claim, facts=facts, evidence=evidence),
        deadline=filing_deadline(claim.payer, claim.date_of_service, day),
        status=claim.status,
    )
