"""A small, complete claim for store and CLI tests (the four scenarios live in tests/domain)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from j3490_desk.domain import claim as d

EASTERN = timezone(timedelta(hours=-5))


def sample_claim(**changes: object) -> d.Claim:
    line = d.DrugLine(
        brand_name="Adstiladrin",
        generic_name="nadofaragene firadenovec-vncg",
        ndc="55566-1050-01",
        strength="3x10^11 vp/mL",
        kind=d.DrugKind.BIOLOGIC,
        hcpcs_code="J3590",
        modifiers=("JZ",),
        charge=Decimal("60100.00"),
        package=d.Package(amount=Decimal("75"), unit="mL", volume_ml=Decimal("75")),
        invoice=d.Invoice(
            date=date(2026, 10, 1),
            supplier="Besse Medical",
            number="INV-8812",
            ndc="55566-1050-01",
            quantity=Decimal("1"),
            price_paid=Decimal("60000.00"),
            on_file=True,
        ),
        dose=d.Dose(
            amount=Decimal("75"),
            unit="mL",
            route="intravesical",
            administered_at=datetime(2026, 11, 2, 9, 30, tzinfo=EASTERN),
        ),
        lot=d.Lot(number="L2231A", expiration=date(2027, 6, 30)),
    )
    claim = d.Claim(
        patient=d.Patient(
            name="Roe, Jane", date_of_birth=date(1950, 4, 2), member_id="1EG4TE5MK73"
        ),
        payer=d.Payer(
            name="Medicare Part B (WPS J5)", kind=d.PayerKind.MEDICARE, narrative_profile="wps"
        ),
        provider=d.Provider(name="Ann Smith", credentials="MD", npi="1234567893"),
        date_of_service=date(2026, 11, 2),
        medical_necessity=d.MedicalNecessity(
            icd10_codes=("C67.9",),
            prior_treatments="BCG x 6 (2025)",
            why_standard_failed="BCG-unresponsive disease",
            rationale="FDA-approved for BCG-unresponsive NMIBC with CIS",
        ),
        drug_lines=(line,),
    )
    return dataclasses.replace(claim, **changes)  # type: ignore[arg-type]
