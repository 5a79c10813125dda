"""What each line costs and why it is billed as it is: domain.pricing's breakdowns, printed."""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable

from j3490_desk.domain.amounts import plain_amount, round_cents
from j3490_desk.domain.claim import DrugLine
from j3490_desk.domain.pricing import PriceBreakdown, PricingError
from j3490_desk.domain.units import UnitError, convert_dose, normalize_unit
from j3490_desk.export.flowables import PageMark
from j3490_desk.export.packet_view import PacketView, money
from j3490_desk.export.page_map import PRICING
from j3490_desk.export.styles import gap, grid, para, styles

POLICY_NAMES = {
    "invoice_markup": "invoice cost plus the payer's markup",
    "asp": "CMS payment limit (ASP + 6%) per billing unit",
    "wac": "wholesale acquisition cost (WAC) plus the add-on",
}


def invoice_cost_per_unit(line: DrugLine) -> Decimal | None:
    """Price paid / packages bought / drug per package, as the invoice shows it."""
    invoice, package = line.invoice, line.package
    if not (invoice.price_paid is not None and invoice.quantity and package.amount):
        return None
    return invoice.price_paid / invoice.quantity / package.amount


def unit_price(cost: Decimal) -> str:
    """A cost per mg or mcg often has fractions of a cent: four places, at least two."""
    shown = plain_amount(cost.quantize(Decimal("0.0001")))
    whole, _, cents = shown.partition(".")
    return f"${whole}.{cents.ljust(2, '0')}"


def pricing(view: PacketView, marks: dict[str, int]) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [PageMark(PRICING, marks), para("Pricing", s.heading)]
    claim = view.packet.claim
    for index, (line, result) in enumerate(zip(claim.drug_lines, view.pricing, strict=True)):
        story.append(para(f"Line {index + 1}: {view.drug_name(index)}", s.subheading))
        unit = normalize_unit(line.package.unit) if line.package.unit else "unit"
        cost = invoice_cost_per_unit(line)
        rows = [
            [
                "Invoice cost per unit",
                f"{unit_price(cost)} per {unit}"
                if cost is not None
                else "invoice price or package amount not entered",
            ],
            ["Amount billed", money(line.charge)],
            ["Waste", _waste_cost(line, cost, unit)],
        ]
        story.append(grid(rows, [1.6, 4.4], header=False, label_column=True))
        story.append(gap(4))
        story += _breakdown(result, claim.payer.pricing_policy.value)
    return story


def _breakdown(result: PriceBreakdown | PricingError, policy: str) -> list[Flowable]:
    s = styles()
    if isinstance(result, PricingError):
        return [para(f"The expected payment cannot be computed: {result}", s.body), gap(6)]
    rows = [["How the expected payment is computed", "Amount"]]
    rows += [[part.label, money(round_cents(part.amount))] for part in result.parts]
    rows.append(
        ["Expected payment (" + POLICY_NAMES.get(policy, policy) + ")", money(result.total)]
    )
    return [
        grid(rows, [4.8, 1.2]),
        gap(3),
        para(result.explanation, s.small),
        para(f"Source: {result.source}", s.small),
        gap(6),
    ]


def _waste_cost(line: DrugLine, cost: Decimal | None, package_unit: str) -> str:
    waste = line.waste.amount
    if waste is None or waste == 0:
        return "none discarded"
    said = f"{plain_amount(waste)} {line.dose.unit} discarded"
    if cost is None:
        return f"{said}; its cost cannot be computed without the invoice price"
    try:
        in_package_unit = convert_dose(waste, line.dose.unit, line.package.unit, line.package)
    except UnitError as error:
        return f"{said}; its cost cannot be computed ({error})"
    return (
        f"{said} = {plain_amount(in_package_unit)} {package_unit} x "
        f"{unit_price(cost)} = {money(round_cents(in_package_unit * cost))} "
        "at invoice cost"
    )
