"""One section per documentation item: the values entered, and where each is proven.

Item numbers follow domain/claim.py: 1 drug, 2 invoice, 3 dose, 4 medical necessity,
5 order, 6 FDA status, 7 lot, 8 waste, 9 administration, 10 rendering provider.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from reportlab.platypus import Flowable

from j3490_desk.domain.amounts import plain_amount
from j3490_desk.domain.check import INFUSION_CODES
from j3490_desk.domain.claim import DrugLine
from j3490_desk.domain.sanity import administration_codes
from j3490_desk.export.flowables import KeepShort, PageMark
from j3490_desk.export.layout import us_date
from j3490_desk.export.packet_view import PacketView, moment, money
from j3490_desk.export.page_map import ITEMS, LETTER
from j3490_desk.export.styles import gap, grid, para, styles

Rows = list[list[str]]


def _amount(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "not entered"
    return f"{plain_amount(value)} {unit}".strip()


def _or_missing(value: str) -> str:
    return value or "not entered"


def _drug(line: DrugLine) -> Rows:
    return [
        ["Brand name", _or_missing(line.brand_name)],
        ["Generic name", _or_missing(line.generic_name)],
        ["NDC as on the package", _or_missing(line.ndc)],
        ["Strength", _or_missing(line.strength)],
        ["Kind", line.kind.value],
        ["HCPCS code", line.hcpcs_code],
    ]


def _invoice(line: DrugLine) -> Rows:
    invoice = line.invoice
    return [
        ["Invoice date", us_date(invoice.date)],
        ["Supplier", _or_missing(invoice.supplier)],
        ["Invoice number", _or_missing(invoice.number)],
        ["Drug on the invoice", _or_missing(invoice.drug)],
        ["NDC on the invoice", _or_missing(invoice.ndc)],
        ["Packages bought", _amount(invoice.quantity)],
        ["Price paid", money(invoice.price_paid)],
        ["Acquisition", line.acquisition.value.replace("_", " ")],
    ]


def _dose(line: DrugLine) -> Rows:
    return [
        ["Dose given", _amount(line.dose.amount, line.dose.unit)],
        ["Route", _or_missing(line.dose.route)],
        ["Given at", moment(line.dose.administered_at)],
        [
            "Package",
            f"{_amount(line.package.amount, line.package.unit)}, {line.package.container.value.replace('_', '-')}",
        ],
    ]


def _order(line: DrugLine) -> Rows:
    return [
        ["Prescriber", _or_missing(line.prescription.prescriber)],
        ["Order date", us_date(line.prescription.date)],
    ]


def _fda(line: DrugLine) -> Rows:
    rows = [
        ["FDA status", line.fda.status.value],
        ["Off-label use", "yes" if line.fda.off_label else "no"],
    ]
    if line.fda.off_label:
        rows += [
            ["Off-label rationale", _or_missing(line.fda.off_label_rationale)],
            ["Compendium / literature", _or_missing(line.fda.compendium_reference)],
        ]
    return rows


def _lot(line: DrugLine) -> Rows:
    return [
        ["Lot number", _or_missing(line.lot.number)],
        ["Expiration", us_date(line.lot.expiration)],
    ]


def _waste(line: DrugLine) -> Rows:
    modifiers = " ".join(line.modifiers) or "none"
    return [
        ["Amount discarded", _discarded(line)],
        ["Reason", _waste_reason(line)],
        ["Waste modifier", modifiers],
    ]


def _waste_reason(line: DrugLine) -> str:
    """With nothing discarded (JZ, or 0 entered) no reason is missing: say so, not "not
    entered", which reads to a reviewer as a gap in the record."""
    amount, codes = line.waste.amount, {m.strip().upper() for m in line.modifiers}
    if line.waste.reason.strip() or not (amount == 0 or (amount is None and "JZ" in codes)):
        return _or_missing(line.waste.reason.strip())
    return "none needed: nothing discarded"


def _discarded(line: DrugLine) -> str:
    """The amount, read with the modifier: JZ bills no JW line, JW bills the amount on one."""
    amount, codes = line.waste.amount, {m.strip().upper() for m in line.modifiers}
    entered = _amount(amount, line.dose.unit)
    if "JZ" in codes:
        if amount:  # JZ with waste the dose's billed units cover (Noridian, domain.md §15)
            return f"{entered} (JZ on the line: not billed on a JW line)"
        return "none (JZ: nothing discarded)"
    if "JW" in codes:
        if not amount:
            return f"{entered}, but the modifier JW bills a discarded amount"
        return f"{entered} (JW: billed on its own line)"
    return entered


def _administration(line: DrugLine) -> Rows:
    """Start and end times document an infusion (domain.md §12); under an injection code their
    absence is no gap, and "not entered" would read to a reviewer as one."""
    admin = line.administration
    codes = set(administration_codes(admin))
    untimed = "not needed: not an infusion code" if codes and not codes & INFUSION_CODES else ""
    return [
        ["Start", untimed if untimed and admin.start is None else moment(admin.start)],
        ["End", untimed if untimed and admin.end is None else moment(admin.end)],
        ["Administration code (CPT)", _or_missing(admin.cpt_code)],
    ]


# (item, title, values of one drug line, attachment kinds that prove it). "Other" files (the
# proof of filing, for one) prove no item, so no "Proven by" names them.
LineItem = tuple[str, str, Callable[[DrugLine], Rows], tuple[str, ...]]
LINE_ITEMS: tuple[LineItem, ...] = (
    ("1", "Drug identification (name, NDC, strength)", _drug, ("label_photo", "invoice")),
    ("2", "Purchase invoice", _invoice, ("invoice",)),
    ("3", "Dose given", _dose, ("medical_record",)),
    ("5", "Order / prescription", _order, ("prescription",)),
    ("6", "FDA approval and indication", _fda, ("medical_record",)),
    ("7", "Lot number and expiration", _lot, ("label_photo",)),
    ("8", "Drug discarded (waste)", _waste, ("medical_record",)),
    ("9", "Administration times", _administration, ("medical_record",)),
)


def ten_items(view: PacketView, marks: dict[str, int]) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [
        PageMark(ITEMS, marks),
        para("Documentation of the ten items", s.heading),
    ]
    sections = {item: (title, values, kinds) for item, title, values, kinds in LINE_ITEMS}
    for item in map(str, range(1, 11)):
        if item == "4":
            story += _necessity(view)
        elif item == "10":
            story += _provider(view)
        else:
            title, values, kinds = sections[item]
            story += _line_item(view, item, title, values, kinds)
    return story


# "Proven by" names only pages of this packet; with none, it says so, and where the clerk
# recorded the paper as kept at the clinic (never "attached": nothing was sent).
NOT_IN_PACKET = "no page of this packet (values as entered)"
ON_FILE = {
    "2": ("invoice", lambda line: line.invoice.on_file),
    "5": ("signed order", lambda line: line.prescription.on_file),
}


def _not_in_packet(item: str, line: DrugLine) -> str:
    document, on_file = ON_FILE.get(item, ("", lambda _line: False))
    if on_file(line):
        return f"{NOT_IN_PACKET}; the paper {document} is on file at the clinic, not sent"
    return NOT_IN_PACKET


def _section(title: str, rows: Rows, proof: list[str], missing: str = NOT_IN_PACKET) -> Flowable:
    s = styles()
    proven = "; ".join(proof) if proof else missing
    table = grid([*rows, ["Proven by", proven]], [1.6, 4.4], header=False, label_column=True)
    return KeepShort([para(title, s.subheading), table, gap(4)])


def _line_item(
    view: PacketView,
    item: str,
    title: str,
    values: Callable[[DrugLine], Rows],
    kinds: tuple[str, ...],
) -> list[Flowable]:
    lines = view.packet.claim.drug_lines
    story: list[Flowable] = []
    for index, line in enumerate(lines):
        suffix = f" - {view.drug_name(index)}" if len(lines) > 1 else ""
        story.append(
            _section(
                f"Item {item}. {title}{suffix}",
                values(line),
                view.proof(kinds, index),
                _not_in_packet(item, line),
            )
        )
    return story


def _necessity(view: PacketView) -> list[Flowable]:
    claim = view.packet.claim
    necessity, auth = claim.medical_necessity, claim.prior_auth
    rows = [
        ["Diagnoses (ICD-10-CM)", ", ".join(necessity.icd10_codes) or "not entered"],
        ["Prior treatments", _or_missing(necessity.prior_treatments)],
        ["Why they failed", _or_missing(necessity.why_standard_failed)],
        ["Rationale", _or_missing(necessity.rationale)],
        [
            "Prior authorization",
            auth.status.value.replace("_", " ")
            + (f", number {auth.number}" if auth.number else ""),
        ],
    ]
    letter = f"Letter of medical necessity: {view.pages.section_pages(LETTER)}"
    proof = [letter, *view.proof(("medical_record", "prior_auth"))]
    return [_section("Item 4. Medical necessity", rows, proof)]


def _provider(view: PacketView) -> list[Flowable]:
    provider = view.packet.claim.provider
    rows = [
        ["Rendering provider", _or_missing(provider.name)],
        ["Credentials", _or_missing(provider.credentials)],
        ["NPI", _or_missing(provider.npi)],
    ]
    signature = (
        "Letter of medical necessity, for the provider's signature: "
        f"{view.pages.section_pages(LETTER)}"
    )
    return [
        _section("Item 10. Rendering provider", rows, [signature, *view.proof(("prescription",))])
    ]
