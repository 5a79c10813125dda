"""What a drug line should be paid, and how that figure was reached (the packet prints it).

domain.md section 8. All money is Decimal. Parts are kept exact; the total is their sum
rounded half-up to cents once, at the end (amounts.round_cents). Nothing is ever negative:
inputs below zero raise PricingError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from j3490_desk.domain.amounts import dollar_rate, dollars, plain_amount, round_cents
from j3490_desk.domain.billing_units import whole_units
from j3490_desk.domain.claim import Claim, DrugFacts, DrugLine, Payer, PayerKind, PricingPolicy
from j3490_desk.domain.noc_code import facts_for_line, specific_mapping
from j3490_desk.domain.sources import (
    ASP_STATUTE,
    PALMETTO_PRICING,
    WAC_PLUS_3_RULE,
    WPS_PRICING,
    cite,
)
from j3490_desk.domain.units import UnitError, convert_dose, is_positive, normalize_unit
from j3490_desk.domain.waste import billing_unit_for

MEDICARE_WAC_MARKUP = Decimal(3)  # WAC + 3% for new drugs without ASP, from 1 Jan 2019
MEDICARE_WAC_MARKUP_BEFORE_2019 = Decimal(6)  # WAC + 6% before (CY2019 PFS, 83 FR 59452)
WAC_PLUS_3_FROM = date(2019, 1, 1)


class PricingError(ValueError):
    """The line cannot be priced with the data entered; the message says what is missing."""


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
        raise PricingError("The dose is missing or not above zero, so nothing can be priced.")
    return dose


def _in_package_unit(amount: Decimal, line: DrugLine) -> Decimal:
    package = line.package
    if package.amount is None or not is_positive(package.amount) or not package.unit:
        raise PricingError("The package's drug amount is not entered; enter it from the label.")
    try:
        return convert_dose(amount, line.dose.unit, package.unit, package)
    except UnitError as error:
        raise PricingError(str(error)) from error


def _percent_part(label: str, base: Decimal, percent: Decimal) -> PricePart:
    if percent < 0:
        raise PricingError(f"The markup is {percent}%; it cannot be below zero.")
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
        raise PricingError("The invoice's price paid and quantity are needed to price by invoice.")
    if invoice.price_paid < 0 or not is_positive(invoice.quantity):
        raise PricingError("The invoice price cannot be negative and its quantity must be > 0.")
    if package.amount is None or not is_positive(package.amount):
        raise PricingError("The package's drug amount is not entered; enter it from the label.")
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
            f"{date_of_service.isoformat()}; price it by WAC or invoice instead."
        )
    if mapping.payment_limit < 0:
        raise PricingError("The CMS payment limit cannot be negative; check the reference data.")
    parts = []
    given_units = whole_units(_require_dose(line), line, billing_unit)
    total_units = whole_units(_require_dose(line) + _billed_waste(line), line, billing_unit)
    if given_units is None or total_units is None:
        raise PricingError(f"The dose unit cannot be counted in {mapping.hcpcs_dosage} units.")
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


def price_by_wac(
    line: DrugLine, date_of_service: date, payer: Payer, facts: DrugFacts | None
) -> PriceBreakdown:
    """WAC per package prorated to the amount used, plus WAC + 3% for Medicare (from 2019;
    6% before) or the payer's own markup."""
    wac, package = (facts.wac_per_package if facts else None), line.package
    if wac is None:
        raise PricingError("No WAC is loaded for this NDC; price it by invoice instead.")
    if wac < 0:
        raise PricingError("The WAC cannot be negative; check the reference data.")
    if package.amount is None or not is_positive(package.amount):
        raise PricingError("The package's drug amount is not entered; enter it from the label.")
    parts, base = _amount_parts(line, wac / package.amount, "WAC")
    if payer.kind is PayerKind.MEDICARE:
        before = date_of_service < WAC_PLUS_3_FROM
        percent = MEDICARE_WAC_MARKUP_BEFORE_2019 if before else MEDICARE_WAC_MARKUP
        parts.append(_percent_part("Medicare WAC add-on", base, percent))
    else:
        parts.append(_percent_part("Payer markup", base, payer.markup_percent))
    return _breakdown(
        PricingPolicy.WAC,
        parts,
        f"Wholesale acquisition cost {dollars(wac)} per package, prorated to the amount "
        "used. Medicare: WAC + 3% for new drugs without ASP since 1 Jan 2019 (WAC + 6% "
        "before); other payers: their own markup.",
        cite("§8", WAC_PLUS_3_RULE, WPS_PRICING),
    )


def price_line(
    line: DrugLine, date_of_service: date, payer: Payer, facts: DrugFacts | None = None
) -> PriceBreakdown:
    """Price one line by the payer's pricing policy. Raises PricingError when data is missing."""
    policy = payer.pricing_policy
    if policy is PricingPolicy.ASP:
        return price_by_asp(line, date_of_service, facts)
    if policy is PricingPolicy.WAC:
        return price_by_wac(line, date_of_service, payer, facts)
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
