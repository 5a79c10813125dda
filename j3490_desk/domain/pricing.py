"""What a drug line should be paid, and how that figure was reached (the packet prints it).

domain.md section 8. All money is Decimal. Parts are kept exact; the total is their sum
rounded half-up to cents once, at the end (amounts.round_cents). Nothing is ever negative:
inputs below zero raise PricingError.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from j3490_desk.domain.amounts import dollar_rate, dollars, plain_amount, round_cents
from j3490_desk.domain.billing_units import parse_hcpcs_dosage, whole_units
from j3490_desk.domain.claim import (
    Claim,
    DrugFacts,
    DrugKind,
    DrugLine,
    Payer,
    PayerKind,
    PricingPolicy,
)
from j3490_desk.domain.noc_code import facts_for_line, specific_mapping
from j3490_desk.domain.payer_profiles import profile_for
from j3490_desk.domain.sources import (
    ASP_STATUTE,
    PALMETTO_PRICING,
    WAC_PLUS_3_RULE,
    WPS_PRICING,
    cite,
)
from j3490_desk.domain.units import UnitError, convert_dose, is_positive, normalize_unit
from j3490_desk.domain.waste import billing_unit_for

# CMS's WAC + 3% for new drugs without ASP, from 1 Jan 2019; the contractors price NOC drugs
# by WAC with their own add-on (payer-profiles.md section 2), used where a profile names it.
MEDICARE_WAC_MARKUP = Decimal(3)
MEDICARE_WAC_MARKUP_BEFORE_2019 = Decimal(6)  # WAC + 6% before (CY2019 PFS, 83 FR 59452)
WAC_PLUS_3_FROM = date(2019, 1, 1)
CMS_NOC_PRICING = (
    "CMS Payment Allowance Limits for Medicare Part B NOC Drugs (NOC pricing file), "
    "https://www.cms.gov/medicare/payment/part-b-drugs/asp-pricing-files"
)


_NO_PACKAGE_AMOUNT = "The package's drug amount is not entered."
_PACKAGE_AMOUNT_FIX = "Enter the drug amount per package from the label."
_REIMPORT_FIX = "Import the pricing file again (Reference data)."


class PricingError(ValueError):
    """The line cannot be priced with the data entered. `reason` says why in one sentence a
    medical reviewer can read (the packet prints only it); `fix` says what the clinic does
    about it (the app shows it beside the reason)."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


@dataclass(frozen=True)
class PricePart:
    label: str  # e.g. "Drug given: 45 mg x $10.40 per mg"
    amount: Decimal  # exact, not rounded


@dataclass(frozen=True)
class PriceBreakdown:
    method: PricingPolicy
    parts: tuple[PricePart, ...]
    total: Decimal  # round_cents(sum of parts)
    explanation: str
    source: str


def _breakdown(
    method: PricingPolicy, parts: list[PricePart], explanation: str, source: str
) -> PriceBreakdown:
    total = round_cents(sum((p.amount for p in parts), Decimal(0)))
    return PriceBreakdown(method, tuple(parts), total, explanation, source)


def _billed_waste(line: DrugLine) -> Decimal:
    """The wasted amount counts only when it is billed (JW chosen): domain.md section 5."""
    waste = line.waste.amount
    billed = "JW" in {m.strip().upper() for m in line.modifiers}
    return waste if billed and waste is not None and is_positive(waste) else Decimal(0)


def _require_dose(line: DrugLine) -> Decimal:
    dose = line.dose.amount
    if dose is None or not is_positive(dose):
        raise PricingError(
            "The dose given is missing or not above zero.", "Enter the dose given (item 3)."
        )
    return dose


def _in_package_unit(amount: Decimal, line: DrugLine) -> Decimal:
    package = line.package
    if package.amount is None or not is_positive(package.amount) or not package.unit:
        raise PricingError(_NO_PACKAGE_AMOUNT, _PACKAGE_AMOUNT_FIX)
    try:
        return convert_dose(amount, line.dose.unit, package.unit, package)
    except UnitError as error:
        raise PricingError(str(error), "Check the dose and package units.") from error


def _percent_part(label: str, base: Decimal, percent: Decimal) -> PricePart:
    if percent < 0:
        raise PricingError(
            f"The markup of {percent}% is below zero.", "Correct the markup in the payer settings."
        )
    return PricePart(f"{label} {plain_amount(percent)}%", base * percent / 100)


def _amount_parts(
    line: DrugLine, cost_per_package_unit: Decimal, what: str
) -> tuple[list[PricePart], Decimal]:
    """Given and (JW-billed) discarded amounts at a cost per package unit; returns the parts
    and their exact sum."""
    unit = normalize_unit(line.package.unit)
    parts = []
    amounts = (("Drug given", _require_dose(line)), ("Drug discarded (JW)", _billed_waste(line)))
    for label, amount in amounts:
        if not amount:
            continue
        in_pkg = _in_package_unit(amount, line)
        parts.append(
            PricePart(
                f"{label}: {plain_amount(in_pkg)} {unit} x {dollar_rate(cost_per_package_unit)} "
                f"per {unit} ({what})",
                in_pkg * cost_per_package_unit,
            )
        )
    return parts, sum((p.amount for p in parts), Decimal(0))


def price_by_invoice(line: DrugLine, payer: Payer) -> PriceBreakdown:
    """Invoice cost per unit = price paid / packages bought / drug per package; times the
    amount used (plus waste billed with JW), plus the payer's markup percentage."""
    invoice, package = line.invoice, line.package
    if invoice.price_paid is None or invoice.quantity is None:
        raise PricingError(
            "The invoice's price paid and quantity are not entered.",
            "Enter the price paid and the packages bought from the invoice.",
        )
    if invoice.price_paid < 0 or not is_positive(invoice.quantity):
        raise PricingError(
            "The invoice price is negative or its quantity is not above zero.",
            "Correct the price paid and the packages bought from the invoice.",
        )
    if package.amount is None or not is_positive(package.amount):
        raise PricingError(_NO_PACKAGE_AMOUNT, _PACKAGE_AMOUNT_FIX)
    cost = invoice.price_paid / invoice.quantity / package.amount
    parts, base = _amount_parts(line, cost, "invoice cost")
    parts.append(_percent_part("Payer markup", base, payer.markup_percent))
    return _breakdown(
        PricingPolicy.INVOICE_MARKUP,
        parts,
        f"Invoice: {dollars(invoice.price_paid)} for {plain_amount(invoice.quantity)} "
        f"package(s) of {plain_amount(package.amount)} {normalize_unit(package.unit)}, plus "
        f"the payer's {plain_amount(payer.markup_percent)}% markup. Contractors price NOC drugs "
        "without an ASP or WAC from the invoice (IOM 100-04 ch.17 §20.1.3).",
        cite("§8", WPS_PRICING, PALMETTO_PRICING),
    )


def price_by_asp(line: DrugLine, date_of_service: date, facts: DrugFacts | None) -> PriceBreakdown:
    """CMS payment limit per billing unit x whole billing units. The limit already is
    106% of ASP: it is NOT multiplied by 1.06 again (domain.md section 8)."""
    mapping = specific_mapping(facts, date_of_service)
    billing_unit = billing_unit_for(line, date_of_service, facts)
    if mapping is None or mapping.payment_limit is None or billing_unit is None:
        raise PricingError(
            f"No CMS payment limit with billing units for {line.hcpcs_code} and this NDC on "
            f"{date_of_service.isoformat()}.",
            "Import the quarter's ASP pricing file and the NDC-HCPCS crosswalk (Reference data).",
        )
    if mapping.payment_limit < 0:
        raise PricingError("The CMS payment limit on file is negative.", _REIMPORT_FIX)
    parts = []
    given_units = whole_units(_require_dose(line), line, billing_unit)
    total_units = whole_units(_require_dose(line) + _billed_waste(line), line, billing_unit)
    if given_units is None or total_units is None:
        raise PricingError(
            f"The dose unit cannot be counted in {mapping.hcpcs_dosage} units.",
            "Check the dose unit against the code's billing unit.",
        )
    for label, units in (
        ("Drug given", given_units),
        ("Drug discarded (JW)", total_units - given_units),
    ):
        if units:
            parts.append(
                PricePart(
                    f"{label}: {plain_amount(units)} unit(s) of {mapping.code} "
                    f"({plain_amount(billing_unit.amount)} {billing_unit.unit}) x "
                    f"{dollar_rate(mapping.payment_limit)}",
                    units * mapping.payment_limit,
                )
            )
    return _breakdown(
        PricingPolicy.ASP,
        parts,
        "CMS payment limit (ASP + 6%, already in the file) per billing unit, partial units "
        "rounded up. Medicare pays 80% of it after the deductible; sequestration takes 2% of "
        "Medicare's share, not shown here.",
        cite("§8", ASP_STATUTE),
    )


def price_by_noc_file(
    line: DrugLine, date_of_service: date, facts: DrugFacts | None
) -> PriceBreakdown:
    """CMS NOC pricing file: its payment limit per "Dosage" (e.g. 1 UNIT) x whole dosage units
    given (and JW-billed), for an NDC the NOC crosswalk lists. The limit already includes
    the 6%, like the ASP file's (domain.md section 8)."""
    noc = facts.noc_pricing if facts else None
    if noc is None or noc.payment_limit is None:
        raise PricingError(
            f"The CMS NOC pricing file has no payment limit for this NDC on "
            f"{date_of_service.isoformat()}.",
            "Import the quarter's NOC pricing file (Reference data) if it lists the drug.",
        )
    per = parse_hcpcs_dosage(noc.dosage)
    if per is None or not is_positive(per.amount):
        raise PricingError(
            f"The NOC pricing file's dosage '{noc.dosage}' cannot be counted.", _REIMPORT_FIX
        )
    if noc.payment_limit < 0:
        raise PricingError("The NOC payment limit on file is negative.", _REIMPORT_FIX)
    dose = _require_dose(line)
    given = whole_units(dose, line, per)
    total = whole_units(dose + _billed_waste(line), line, per)
    if given is None or total is None:
        raise PricingError(
            f"The dose unit cannot be counted in the NOC file's '{noc.dosage}'.",
            "Check the dose unit against the NOC file's dosage.",
        )
    parts = [
        PricePart(
            f"{label}: {plain_amount(units)} x {noc.dosage} of {noc.generic_name} x "
            f"{dollar_rate(noc.payment_limit)} (CMS NOC pricing file, {noc.quarter})",
            units * noc.payment_limit,
        )
        for label, units in (("Drug given", given), ("Drug discarded (JW)", total - given))
        if units
    ]
    return _breakdown(
        PricingPolicy.ASP,
        parts,
        "CMS NOC pricing file payment limit (ASP-based, the 6% already in the file) per dosage "
        "unit, partial units rounded up: this NDC has no code of its own.",
        cite("§8", CMS_NOC_PRICING),
    )


def wac_add_on(payer: Payer, date_of_service: date) -> tuple[Decimal, str, str]:
    """The percentage added to WAC, what it is, and its source.

    Medicare: the contractor's own published figure where its profile has one (Palmetto:
    WAC + 6%), else CMS's WAC + 3% for drugs without ASP (from 2019; 6% before), said to be
    a default. Other payers: their own markup (payer settings).
    """
    if payer.kind is not PayerKind.MEDICARE:
        return payer.markup_percent, "Payer markup", "payer settings"
    profile = profile_for(payer)
    if profile.wac_add_on_percent is not None:
        return (
            profile.wac_add_on_percent,
            f"{profile.name} WAC add-on",
            profile.wac_add_on_source,
        )
    before = date_of_service < WAC_PLUS_3_FROM
    percent = MEDICARE_WAC_MARKUP_BEFORE_2019 if before else MEDICARE_WAC_MARKUP
    return (
        percent,
        f"Medicare WAC add-on (CMS default; {profile.name} publishes no figure of its own)",
        WAC_PLUS_3_RULE,
    )


def price_by_wac(line: DrugLine, date_of_service: date, payer: Payer) -> PriceBreakdown:
    """The WAC per package the clerk entered (from the invoice or a price list), prorated to
    the amount used, plus the add-on (wac_add_on)."""
    wac, package = line.wac, line.package
    if wac.per_package is None:
        raise PricingError(
            "No WAC is entered for this drug.",
            "Enter the WAC per package from the invoice or a price list, with its source.",
        )
    if not wac.source.strip():
        raise PricingError(
            "The WAC's source is not stated.",
            "Enter where the WAC comes from (the invoice, or the price list and its date).",
        )
    if wac.per_package < 0:
        raise PricingError("The WAC entered is negative.", "Correct the WAC per package.")
    if package.amount is None or not is_positive(package.amount):
        raise PricingError(_NO_PACKAGE_AMOUNT, _PACKAGE_AMOUNT_FIX)
    parts, base = _amount_parts(line, wac.per_package / package.amount, "WAC")
    percent, label, source = wac_add_on(payer, date_of_service)
    parts.append(_percent_part(label, base, percent))
    return _breakdown(
        PricingPolicy.WAC,
        parts,
        f"Wholesale acquisition cost {dollars(wac.per_package)} per package "
        f"({wac.source.strip()}), prorated to the amount used, plus {plain_amount(percent)}%.",
        cite("§8", source, WPS_PRICING),
    )


def _first_that_prices(
    attempts: list[Callable[[], PriceBreakdown]],
) -> PriceBreakdown:
    """domain.md section 8's order: the first method the data allows; else every reason."""
    errors = []
    for attempt in attempts:
        try:
            return attempt()
        except PricingError as error:
            errors.append(error)
    # one sentence for the reviewer, its clauses in the order the methods were tried
    reasons = [e.reason.rstrip(".") for e in errors]
    reason = "; ".join([reasons[0], *(r[:1].lower() + r[1:] for r in reasons[1:])]) + "."
    fixes = [f.rstrip(".") for f in dict.fromkeys(e.fix for e in errors)]
    fix = "; or ".join([fixes[0], *(f[:1].lower() + f[1:] for f in fixes[1:])]) + "."
    raise PricingError(reason, fix)


def _require_own_code(line: DrugLine, date_of_service: date, facts: DrugFacts | None) -> None:
    """A drug with its own code is paid under that code only (domain.md section 13): billed
    under another, the line is denied, so no NOC, WAC or invoice price is offered for it."""
    mapping = specific_mapping(facts, date_of_service)
    billed = line.hcpcs_code.strip().upper()
    if mapping is not None and mapping.code != billed and line.kind is not DrugKind.COMPOUNDED:
        raise PricingError(
            f"On {date_of_service.isoformat()} this drug has its own code, {mapping.code}; "
            f"billed as {billed} the line is denied, so it is not priced.",
            f"Bill the line under {mapping.code}.",
        )


def price_line(
    line: DrugLine, date_of_service: date, payer: Payer, facts: DrugFacts | None = None
) -> PriceBreakdown:
    """Price one line. Medicare and the ASP policy follow domain.md section 8: ASP, then the
    NOC pricing file, then WAC, then the invoice; the WAC policy: WAC, then the invoice; the
    invoice policy: the invoice. Raises PricingError with every reason when nothing prices."""
    policy = payer.pricing_policy
    by_invoice = [lambda: price_by_invoice(line, payer)]
    by_wac = [lambda: price_by_wac(line, date_of_service, payer), *by_invoice]
    if policy is PricingPolicy.ASP or (
        payer.kind is PayerKind.MEDICARE and policy is PricingPolicy.WAC
    ):
        _require_own_code(line, date_of_service, facts)
        return _first_that_prices(
            [
                lambda: price_by_asp(line, date_of_service, facts),
                lambda: price_by_noc_file(line, date_of_service, facts),
                *by_wac,
            ]
        )
    if policy is PricingPolicy.WAC:
        return _first_that_prices(by_wac)
    return price_by_invoice(line, payer)


def price_claim(
    claim: Claim, *, facts: Mapping[str, DrugFacts] | None = None
) -> tuple[PriceBreakdown | PricingError, ...]:
    """One breakdown per drug line, or the PricingError saying why that line has none."""
    results: list[PriceBreakdown | PricingError] = []
    for line in claim.drug_lines:
        try:
            results.append(
                price_line(line, claim.date_of_service, claim.payer, facts_for_line(line, facts))
            )
        except PricingError as error:
            results.append(error)
    return tuple(results)
