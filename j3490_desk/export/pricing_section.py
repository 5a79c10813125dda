"""What each line costs and why it is billed as it is: domain.pricing's breakdowns, printed.

Each drug is headed by the claim lines it is billed on, numbered as in the claim summary.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable

from j3490_desk.domain.amounts import dollar_rate, plain_amount, round_cents
from j3490_desk.domain.claim import DrugLine
from j3490_desk.domain.pricing import PriceBreakdown, PricingError
from j3490_desk.domain.units import UnitError, convert_dose, normalize_unit
from j3490_desk.export.flowables import KeepShort, PageMark
from j3490_desk.export.layout import us_dates_in
from j3490_desk.export.packet_view import PacketView, money
from j3490_desk.export.page_map import PRICING
from j3490_desk.export.styles import gap, grid, para, styles

POLICY_NAMES = {
    "invoice_markup": "invoice cost plus the payer's markup",
    "asp": "CMS payment limit (ASP + 6%) per billing unit",
    "wac": "wholesale acquisition cost (WAC) plus the add-on",
}
DISCARDED_PART = "Drug discarded"  # domain.pricing's label for the JW-billed amount


def invoice_cost_per_unit(line: DrugLine) -> Decimal | None:
    """Price paid / packages bought / drug per package, as the invoice shows it."""
    invoice, package = line.invoice, line.package
    if not (invoice.price_paid is not None and invoice.quantity and package.amount):
        return None
    return invoice.price_paid / invoice.quantity / package.amount


def pricing(view: PacketView, marks: dict[str, int]) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [PageMark(PRICING, marks), para("Pricing", s.heading)]
    claim = view.packet.claim
    for index, (line, result) in enumerate(zip(claim.drug_lines, view.pricing, strict=True)):
        given, waste = view.claim_line_numbers(index)
        unit = normalize_unit(line.package.unit) if line.package.unit else "unit"
        cost = invoice_cost_per_unit(line)
        rows = [
            [
                "Invoice cost per unit",
                f"{dollar_rate(cost)} per {unit}, from {_invoice_source(view, index)}"
                if cost is not None
                else "invoice price or package amount not entered",
            ],
            ["Amount billed", _amount_billed(view, index)],
            ["Waste", _waste_cost(line, cost, unit)],
        ]
        if isinstance(result, PricingError):
            rows.append(["Expected payment", _why_not_priced(result)])
        block: list[Flowable] = [
            para(f"{_claim_lines(given, waste)}: {view.drug_name(index)}", s.subheading),
            grid(rows, [1.6, 4.4], header=False, label_column=True),
            gap(4),
        ]
        if isinstance(result, PriceBreakdown):
            # named by the method its figures use: a WAC or ASP payer's line may fall back to
            # the invoice when the reference data have no figure for the drug
            block += _breakdown(view, result, result.method.value, given, waste)
        story.append(KeepShort(block))
    return story


def _invoice_source(view: PacketView, index: int) -> str:
    """Where the reviewer finds the invoice the cost comes from: its page in this packet, or
    plainly that it is not here (never "enclosed" for a file the packet does not hold)."""
    pages = view.proof(("invoice",), index)
    if pages:
        return "; ".join(pages)
    if view.packet.claim.drug_lines[index].invoice.on_file:
        return "the paper invoice on file at the clinic (not in this packet)"
    return "the invoice as entered (not in this packet)"


def _claim_lines(given: int | None, waste: int | None) -> str:
    """ "Line 1", or "Lines 1 and 2 (line 2: discarded, JW)": the claim summary's numbers."""
    if waste is None:
        return f"Line {given}"
    return f"Lines {given} and {waste} (line {waste}: discarded, JW)"


def _amount_billed(view: PacketView, index: int) -> str:
    """The line's charge, and how the claim splits it between the given and the JW line."""
    line = view.packet.claim.drug_lines[index]
    given, waste = view.claim_line_numbers(index)
    if given is None or waste is None:
        return money(line.charge)
    charges = [view.billed[given - 1].charge, view.billed[waste - 1].charge]
    return (
        f"{money(line.charge)}: line {given} {money(charges[0])}, line {waste} {money(charges[1])}"
    )


def _why_not_priced(error: PricingError) -> str:
    """One sentence, in the line's own table: "Cannot be computed: <reason>." (US dates). Only
    the reason: what the clinic should do about it (error.fix) is the app's, not the reviewer's."""
    reason = us_dates_in(error.reason.strip()).rstrip(".")
    return f"Cannot be computed: {reason[:1].lower()}{reason[1:]}."


def _breakdown(
    view: PacketView,
    result: PriceBreakdown,
    policy: str,
    given: int | None,
    waste: int | None,
) -> list[Flowable]:
    s = styles()
    rows = [["How the expected payment is computed", "Amount"]]
    for part in result.parts:
        number = waste if part.label.startswith(DISCARDED_PART) else given
        label = part.label
        if part.label.startswith(("Drug given", DISCARDED_PART)):
            label = f"Line {number}, {label[:1].lower()}{label[1:]}"
        rows.append([label, money(round_cents(part.amount))])
    rows.append(
        ["Expected payment (" + POLICY_NAMES.get(policy, policy) + ")", money(result.total)]
    )
    story: list[Flowable] = [grid(rows, [4.8, 1.2]), gap(3), para(result.explanation, s.small)]
    citation = view.citation(result.source)
    if citation:
        story.append(para(f"Source: {citation}", s.small))
    return [*story, gap(6)]


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
        f"{dollar_rate(cost)} per {package_unit} = {money(round_cents(in_package_unit * cost))} "
        "at invoice cost"
    )
