"""The four example claims, built from real public data copied into tests/fixtures.

- NDCs, names, strengths and package sizes: FDA NDC Directory 2019-04-29 slices
  (fda_ndc_2019_product_slice.txt, fda_ndc_2019_package_slice.txt).
- Reference facts (`Scenario.facts`) come from the real importer run on the slices in
  tests/fixtures for the scenario's date of service (reference_facts.scenario_facts_on): the
  FDA directory slices, the CMS ASP NDC-HCPCS crosswalks and payment limits of October 2025
  and January 2026, and the CMS HCPCS file of October 2025.
- NPIs: NPPES September 2025 preview (npi_slice.csv). Diagnoses: billable ICD-10-CM codes.
Prices on invoices are illustrative, not published prices.

Both crosswalks give Libtayo 61755-0008-01 J9119, Rituxan 50242-0053-06 J9312 and phentolamine
00143-9564-01 J2760; papaverine 00517-4002-25, alprostadil 00703-1501-02 and Gamifant
72171-0505-01 (CMS lists Gamifant under Sobi's 66658 NDCs now) are in neither. No loaded
crosswalk covers 2019, so the 2019 scenarios get no specific code from them: none existed then
(the HCPCS file dates J9119 and J9210 from 1 Oct 2019).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from j3490_desk.domain.claim import (
    Administration,
    Claim,
    ClaimStatus,
    ContainerType,
    Dose,
    DrugFacts,
    DrugKind,
    DrugLine,
    FdaApproval,
    FdaStatus,
    Invoice,
    Lot,
    MedicalNecessity,
    Package,
    Patient,
    Payer,
    PayerKind,
    Prescription,
    PricingPolicy,
    Provider,
    Waste,
)
from j3490_desk.domain.evidence import Evidence, EvidenceKind
from tests.domain import reference_facts as reference

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Stored times carry their offset; the clinic in these scenarios is on US Eastern standard time.
CLINIC_TZ = timezone(timedelta(hours=-5))
# The claim files say the paper invoice and order are on file at the clinic; once the clerk has
# scanned them, with the label photo, for the whole claim, this is what the store holds.
STORED = Evidence(frozenset((None, kind) for kind in EvidenceKind))


def stored_without(kind: EvidenceKind) -> Evidence:
    """Every scan but one: that document is not stored."""
    return Evidence(STORED.documents - {(None, kind)})


def reference_facts(date_of_service: date) -> dict[str, DrugFacts]:
    """DrugFacts for every scenario NDC on the date of service, from the real importer."""
    return reference.scenario_facts_on(date_of_service)


def npis() -> list[str]:
    with (FIXTURES / "npi_slice.csv").open(encoding="utf-8") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def _provider(index: int, name: str) -> Provider:
    return Provider(name=name, credentials="MD", npi=npis()[index])


@dataclass(frozen=True)
class Scenario:
    name: str
    claim: Claim
    today: date
    facts: dict[str, DrugFacts]
    evidence: Evidence = field(default_factory=lambda: STORED)


WPS = Payer(
    "Medicare Part B - WPS J5",
    kind=PayerKind.MEDICARE,
    pricing_policy=PricingPolicy.WAC,
    narrative_profile="wps",
)
NOVITAS = Payer(
    "Medicare Part B - Novitas JH",
    kind=PayerKind.MEDICARE,
    pricing_policy=PricingPolicy.INVOICE_MARKUP,
    narrative_profile="novitas",
)
PALMETTO = Payer(
    "Medicare Part B - Palmetto GBA JJ",
    kind=PayerKind.MEDICARE,
    pricing_policy=PricingPolicy.INVOICE_MARKUP,
    narrative_profile="palmetto",
)
PALMETTO_ASP = replace(PALMETTO, pricing_policy=PricingPolicy.ASP)


def new_immunotherapy() -> Scenario:
    """(1) Libtayo (cemiplimab-rwlc), approved 28 Sep 2018; its code J9119 starts 1 Oct 2019.

    Given on 12 Mar 2019 it has no code yet: an antineoplastic NOC, J9999 (domain.md §6).
    A whole 350 mg / 7 mL single-use vial, so nothing is discarded (JZ not yet required).
    """
    dos = date(2019, 3, 12)
    line = DrugLine(
        brand_name="Libtayo",
        generic_name="cemiplimab-rwlc",
        ndc="61755-008-01",  # as printed on the carton (5-3-2)
        strength="50 mg/mL",
        kind=DrugKind.ANTINEOPLASTIC,
        hcpcs_code="J9999",
        charge=Decimal("9800.00"),
        package=Package(
            amount=Decimal("350"),
            unit="mg",
            volume_ml=Decimal("7"),
            container=ContainerType.SINGLE_DOSE,
            ndc_unit_qualifier="ML",
        ),
        invoice=Invoice(
            date=date(2019, 3, 1),
            supplier="Specialty distributor",
            number="INV-190301-17",
            drug="Libtayo 350 mg/7 mL",
            ndc="61755-0008-01",
            quantity=Decimal("1"),
            price_paid=Decimal("9100.00"),
            on_file=True,
        ),
        dose=Dose(
            Decimal("350"), "mg", "intravenous", datetime(2019, 3, 12, 10, 0, tzinfo=CLINIC_TZ)
        ),
        prescription=Prescription("WIEBE", date(2019, 3, 5), on_file=True),
        fda=FdaApproval(FdaStatus.APPROVED),
        lot=Lot("CEM8X01", date(2020, 6, 30)),
        administration=Administration(
            datetime(2019, 3, 12, 10, 0, tzinfo=CLINIC_TZ),
            datetime(2019, 3, 12, 10, 32, tzinfo=CLINIC_TZ),
            "96413",
        ),
    )
    claim = Claim(
        patient=Patient("Harold Lindqvist", date(1941, 5, 2), "1EG4TE5MK73"),
        payer=WPS,
        provider=_provider(0, "WIEBE"),
        date_of_service=dos,
        medical_necessity=MedicalNecessity(
            icd10_codes=("C44.42", "C77.0"),
            prior_treatments="Mohs surgery 2017; neck dissection and radiation 2018",
            why_standard_failed="Nodal recurrence after surgery and radiation; not a candidate "
            "for further surgery or radiation.",
            rationale="Cemiplimab is FDA-approved for metastatic or locally advanced CSCC not "
            "curable by surgery or radiation.",
        ),
        drug_lines=(line,),
    )
    return Scenario("new immunotherapy", claim, date(2019, 3, 20), reference_facts(dos))


def _compound_line(**fields: object) -> DrugLine:
    base = DrugLine(
        kind=DrugKind.COMPOUNDED,
        hcpcs_code="J7999",
        modifiers=("JW",),
        prescription=Prescription("PILCHER", date(2025, 10, 28), on_file=True),
        fda=FdaApproval(FdaStatus.APPROVED),
        administration=Administration(cpt_code="54235"),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def compound_trimix() -> Scenario:
    """(2) "Trimix": papaverine, phentolamine and alprostadil mixed in one syringe.

    Three drug lines, one per ingredient NDC, each J7999 (compounded NOC since 1 Jan 2016;
    Novitas pays J7999 by invoice). Each ingredient comes from a single-dose vial, so the
    rest of each vial is discarded and billed with JW.
    """
    dos = date(2025, 11, 4)
    given = datetime(2025, 11, 4, 14, 10, tzinfo=CLINIC_TZ)
    papaverine = _compound_line(
        brand_name="Papaverine Hydrochloride",
        generic_name="papaverine hydrochloride",
        ndc="0517-4002-25",
        strength="30 mg/mL",
        charge=Decimal("24.00"),
        package=Package(Decimal("60"), "mg", Decimal("2"), ContainerType.SINGLE_DOSE, "ML"),
        invoice=Invoice(
            date(2025, 9, 15),
            "Wholesaler",
            "W-88120",
            "Papaverine 30 mg/mL 2 mL x 25",
            "0517-4002-25",
            Decimal("25"),
            Decimal("412.50"),
            on_file=True,
        ),
        dose=Dose(Decimal("30"), "mg", "intracavernous", given),
        lot=Lot("PAP4471", date(2026, 8, 31)),
        waste=Waste(Decimal("30"), "single-dose vial, remainder discarded"),
        fda=FdaApproval(FdaStatus.UNKNOWN),
    )
    phentolamine = _compound_line(
        brand_name="Phentolamine Mesylate",
        generic_name="phentolamine mesylate",
        ndc="0143-9564-01",
        strength="5 mg",
        charge=Decimal("95.00"),
        package=Package(Decimal("5"), "mg", Decimal("1"), ContainerType.SINGLE_DOSE, "ME"),
        invoice=Invoice(
            date(2025, 9, 15),
            "Wholesaler",
            "W-88120",
            "Phentolamine 5 mg vial",
            "00143-9564-01",
            Decimal("1"),
            Decimal("78.40"),
            on_file=True,
        ),
        dose=Dose(Decimal("1"), "mg", "intracavernous", given),
        lot=Lot("PHT2290", date(2027, 1, 31)),
        waste=Waste(Decimal("4"), "single-dose vial, remainder discarded"),
    )
    alprostadil = _compound_line(
        brand_name="Alprostadil",
        generic_name="alprostadil",
        ndc="0703-1501-02",
        strength="500 mcg/mL",
        charge=Decimal("260.00"),
        package=Package(Decimal("500"), "mcg", Decimal("1"), ContainerType.SINGLE_DOSE, "ML"),
        invoice=Invoice(
            date(2025, 10, 2),
            "Wholesaler",
            "W-90311",
            "Alprostadil 500 mcg/mL 1 mL x 5",
            "0703-1501-02",
            Decimal("5"),
            Decimal("1045.00"),
            on_file=True,
        ),
        dose=Dose(Decimal("10"), "mcg", "intracavernous", given),
        lot=Lot("ALP7731", date(2026, 3, 31)),
        waste=Waste(Decimal("490"), "single-use vial, remainder discarded"),
    )
    claim = Claim(
        patient=Patient("Walter Brennan-Okafor", date(1953, 11, 19), "4TQ8YR2WJ51"),
        payer=NOVITAS,
        provider=_provider(1, "PILCHER"),
        date_of_service=dos,
        medical_necessity=MedicalNecessity(
            icd10_codes=("N52.01",),
            prior_treatments="Sildenafil and tadalafil, maximum doses, 2023-2025",
            why_standard_failed="No response to oral PDE5 inhibitors at maximum dose.",
            rationale="Intracavernosal vasoactive injection for diagnosis and treatment of "
            "arteriogenic erectile dysfunction.",
        ),
        drug_lines=(papaverine, phentolamine, alprostadil),
    )
    return Scenario("compound", claim, date(2025, 11, 10), reference_facts(dos))


def off_label_rituximab(hcpcs_code: str = "J3490") -> Scenario:
    """(3) Rituxan for myasthenia gravis (off-label), billed J3490 by mistake.

    Rituximab has its own code, J9312 (10 mg), since 1 Jan 2019: the code names the drug, not
    the indication, so off-label use keeps J9312 (domain.md §13). Two 500 mg / 50 mL
    single-use vials fully used: JZ.
    """
    dos = date(2026, 4, 14)
    line = DrugLine(
        brand_name="Rituxan",
        generic_name="rituximab",
        ndc="50242-053-06",
        strength="10 mg/mL",
        kind=DrugKind.BIOLOGIC,
        hcpcs_code=hcpcs_code,
        modifiers=("JZ",),
        billed_units=Decimal("1") if hcpcs_code == "J3490" else Decimal("100"),
        charge=Decimal("8150.00"),
        package=Package(Decimal("500"), "mg", Decimal("50"), ContainerType.SINGLE_DOSE, "ML"),
        invoice=Invoice(
            date(2026, 3, 30),
            "Specialty distributor",
            "SD-260330-4",
            "Rituxan 500 mg/50 mL",
            "50242-0053-06",
            Decimal("2"),
            Decimal("7420.00"),
            on_file=True,
        ),
        dose=Dose(
            Decimal("1000"), "mg", "intravenous", datetime(2026, 4, 14, 9, 0, tzinfo=CLINIC_TZ)
        ),
        prescription=Prescription("GRESSOT", date(2026, 4, 1), on_file=True),
        fda=FdaApproval(
            FdaStatus.APPROVED,
            off_label=True,
            off_label_rationale="Refractory generalized MG after failure of two "
            "immunosuppressants; B-cell depletion reduces AChR antibody production.",
            compendium_reference="Micromedex DrugDex: rituximab, myasthenia gravis, "
            "Class IIb, Category B",
        ),
        lot=Lot("N7301B", date(2027, 9, 30)),
        administration=Administration(
            datetime(2026, 4, 14, 9, 0, tzinfo=CLINIC_TZ),
            datetime(2026, 4, 14, 13, 15, tzinfo=CLINIC_TZ),
            "96413",
        ),
    )
    claim = Claim(
        patient=Patient("Beatriz Solano", date(1958, 2, 23), "7KD2NF9PX40"),
        payer=PALMETTO_ASP,
        provider=_provider(2, "GRESSOT"),
        date_of_service=dos,
        medical_necessity=MedicalNecessity(
            icd10_codes=("G70.00",),
            prior_treatments="Pyridostigmine, prednisone, azathioprine, mycophenolate",
            why_standard_failed="Persistent generalized weakness (MG-ADL 9) despite two "
            "immunosuppressants over 24 months.",
            rationale="Rituximab depletes CD20 B cells in refractory AChR-positive MG.",
        ),
        drug_lines=(line,),
    )
    return Scenario("off-label", claim, date(2026, 4, 20), reference_facts(dos))


def rare_biologic() -> Scenario:
    """(4) Gamifant (emapalumab-lzsg) for HLH: a rare biologic with no code on 4 Jun 2019
    (J9210 starts 1 Oct 2019), so J3590. 45 mg given from a 50 mg / 10 mL single-dose vial;
    5 mg discarded and billed on its own JW line (Palmetto: NOC waste with JW)."""
    dos = date(2019, 6, 4)
    line = DrugLine(
        brand_name="Gamifant",
        generic_name="emapalumab-lzsg",
        ndc="72171-505-01",
        strength="5 mg/mL",
        kind=DrugKind.BIOLOGIC,
        hcpcs_code="J3590",
        modifiers=("JW",),
        charge=Decimal("7700.00"),
        package=Package(Decimal("50"), "mg", Decimal("10"), ContainerType.SINGLE_DOSE, "ML"),
        invoice=Invoice(
            date(2019, 5, 28),
            "Specialty distributor",
            "SD-190528-2",
            "Gamifant 50 mg/10 mL",
            "72171-0505-01",
            Decimal("1"),
            Decimal("7000.00"),
            on_file=True,
        ),
        dose=Dose(
            Decimal("45"), "mg", "intravenous", datetime(2019, 6, 4, 9, 30, tzinfo=CLINIC_TZ)
        ),
        prescription=Prescription("ADUSUMILLI", date(2019, 6, 3), on_file=True),
        fda=FdaApproval(FdaStatus.APPROVED),
        lot=Lot("EMA19C04", date(2020, 12, 31)),
        waste=Waste(Decimal("5"), "single-dose vial, remainder discarded"),
        administration=Administration(
            datetime(2019, 6, 4, 9, 30, tzinfo=CLINIC_TZ),
            datetime(2019, 6, 4, 10, 35, tzinfo=CLINIC_TZ),
            "96365",
        ),
    )
    claim = Claim(
        patient=Patient("Dana Whitfield", date(1999, 8, 14), "2HW6CV3QA18"),
        payer=PALMETTO,
        provider=_provider(3, "ADUSUMILLI"),
        date_of_service=dos,
        medical_necessity=MedicalNecessity(
            icd10_codes=("D76.1",),
            prior_treatments="Dexamethasone and etoposide (HLH-94 induction)",
            why_standard_failed="Refractory disease: persistent fever, cytopenias and rising "
            "ferritin after 3 weeks of HLH-94 therapy.",
            rationale="Emapalumab is FDA-approved for primary HLH refractory to conventional "
            "therapy.",
        ),
        drug_lines=(line,),
        status=ClaimStatus.READY,
    )
    return Scenario("rare biologic", claim, date(2019, 6, 10), reference_facts(dos))


ALL_SCENARIOS = (new_immunotherapy, compound_trimix, off_label_rituximab, rare_biologic)
