"""The claim as billed: every line exactly as the rules engine renders it (billing.bill_lines).

Nothing here recomputes a rule; a line the engine could not complete shows what is missing.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable

from j3490_desk.domain.amounts import plain_amount
from j3490_desk.domain.billing import BilledLine
from j3490_desk.domain.findings import item_label
from j3490_desk.domain.noc_code import facts_for_line
from j3490_desk.domain.waste import jz_statement
from j3490_desk.export.flowables import KeepShort, PageMark
from j3490_desk.export.layout import us_dates_in
from j3490_desk.export.packet_view import PacketView, money
from j3490_desk.export.page_map import SUMMARY
from j3490_desk.export.styles import gap, grid, markup, para, styles, text


def claim_summary(view: PacketView, marks: dict[str, int]) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [PageMark(SUMMARY, marks), para("Claim summary", s.heading)]
    claim = view.packet.claim
    story.append(
        para(
            f"Payer: {claim.payer.name}.   Place of service: {claim.place_of_service.value}.   "
            f"Diagnoses: {', '.join(claim.medical_necessity.icd10_codes) or 'none entered'}.",
            s.body,
        )
    )
    if view.blockers:
        # First, where the page still has room: at the end of the summary this table, when it
        # did not fit, moved whole to a page of its own and left both pages part empty.
        rows = [["Item", "Problem", "What to do"]]
        rows += [
            [item_label(f.item), us_dates_in(f.message), us_dates_in(f.fix)] for f in view.blockers
        ]
        heading = para("Problems to fix before this claim is submitted (DRAFT)", s.subheading)
        story += [gap(), KeepShort([heading, grid(rows, [1, 3, 3])]), gap(4)]
    story += [gap(), _lines_table(view), gap(8)]
    story.append(para("CMS-1500 item 24A shaded line and item 19 / NTE narrative", s.subheading))
    for number, billed in enumerate(view.billed, start=1):
        story.append(KeepShort(_line_text(view, number, billed)))
    return story


def _line_text(view: PacketView, number: int, billed: BilledLine) -> list[Flowable]:
    """One billed line: 24A, narrative and waste. A JW line says it bills the discarded amount;
    its narrative states that amount (domain.narrative), not the given dose."""
    s = styles()
    name = view.drug_name(billed.drug_line)
    what = f"{name}, discarded (JW): {_discarded(view, billed)}" if billed.is_waste_line else name
    shaded = billed.shaded_24a or "cannot be built: the NDC, unit qualifier or quantity is missing"
    story: list[Flowable] = [
        markup(f"<b>Line {number}: {text(what)}</b>", s.body),
        markup(f"24A shaded: <b>{text(shaded)}</b>", s.body),
    ]
    placement = text(", ".join(billed.narrative_placement) or "item 19")
    if billed.narrative:
        label = "Narrative for the discarded amount" if billed.is_waste_line else "Narrative"
        story.append(markup(f"{label} ({placement}): <b>{text(billed.narrative)}</b>", s.body))
    else:
        story.append(para("Narrative: none (a coded drug takes no NOC narrative).", s.body))
    waste = _waste_statement(view, billed)
    if waste:
        story.append(para(waste, s.body))
    return [*story, gap(4)]


def _discarded(view: PacketView, billed: BilledLine) -> str:
    """ "30 mg discarded, not given to the patient": what a JW line bills, with its unit."""
    line = view.packet.claim.drug_lines[billed.drug_line]
    amount = line.waste.amount
    if amount is None:
        return "amount discarded not entered"
    return f"{plain_amount(amount)} {line.dose.unit} discarded, not given to the patient"


def _waste_statement(view: PacketView, billed: BilledLine) -> str:
    """What the line says about discarded drug; "" on a given line whose JW line follows."""
    line = view.packet.claim.drug_lines[billed.drug_line]
    if billed.is_waste_line:
        units = plain_amount(billed.units) if billed.units is not None else "unknown"
        return f"Reason: {line.waste.reason or 'not entered'}. Billed as {units} unit(s)."
    if "JW" in {m.strip().upper() for m in line.modifiers} and line.waste.amount:
        return ""
    if "JZ" in billed.modifiers:
        facts = facts_for_line(line, view.packet.facts)
        return f"Waste: {jz_statement(line, view.packet.claim.date_of_service, facts)}"
    return "Waste: no JW or JZ modifier on this line."


def _lines_table(view: PacketView) -> Flowable:
    rows = [["Line", "HCPCS", "Modifiers", "Units", "Charge", "NDC (11 digits)", "Drug"]]
    total = sum((b.charge for b in view.billed if b.charge is not None), start=Decimal(0))
    for number, billed in enumerate(view.billed, start=1):
        drug = view.drug_name(billed.drug_line) + (", discarded" if billed.is_waste_line else "")
        rows.append(
            [
                str(number),
                billed.hcpcs_code,
                " ".join(billed.modifiers) or "none",
                plain_amount(billed.units) if billed.units is not None else "unknown",
                money(billed.charge),
                billed.ndc11 or "invalid",
                drug,
            ]
        )
    rows.append(["", "", "", "Total", money(total), "", ""])
    return grid(rows, [0.45, 0.7, 0.8, 0.55, 0.95, 1.2, 2.2])
