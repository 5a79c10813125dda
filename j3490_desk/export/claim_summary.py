"""The claim as billed: every line exactly as the rules engine renders it (billing.bill_lines).

Nothing here recomputes a rule; a line the engine could not complete shows what is missing.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable, KeepTogether

from j3490_desk.domain.amounts import plain_amount
from j3490_desk.domain.noc_code import facts_for_line
from j3490_desk.domain.waste import jz_statement
from j3490_desk.export.flowables import PageMark
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
    story += [gap(), _lines_table(view), gap(8)]
    story.append(para("CMS-1500 item 24A shaded line and item 19 / NTE narrative", s.subheading))
    for number, billed in enumerate(view.billed, start=1):
        what = (
            "JW line (discarded drug)" if billed.is_waste_line else view.drug_name(billed.drug_line)
        )
        story.append(markup(f"<b>Line {number}: {text(what)}</b>", s.body))
        shaded = (
            billed.shaded_24a or "cannot be built: the NDC, unit qualifier or quantity is missing"
        )
        story.append(markup(f"24A shaded: <b>{text(shaded)}</b>", s.body))
        if billed.narrative:
            placement = ", ".join(billed.narrative_placement) or "item 19"
            story.append(
                markup(f"Narrative ({text(placement)}): <b>{text(billed.narrative)}</b>", s.body)
            )
        else:
            story.append(para("Narrative: none (a coded drug takes no NOC narrative).", s.body))
        story.append(gap(4))
    waste = [para(_waste_statement(view, i), s.body) for i in range(len(claim.drug_lines))]
    story.append(KeepTogether([para("Discarded drug (JW / JZ)", s.subheading), *waste]))
    if view.blockers:
        story += [
            gap(8),
            para("Problems to fix before this claim is submitted (DRAFT)", s.subheading),
        ]
        rows = [["Item", "Problem", "What to do"]]
        rows += [[f.item, f.message, f.fix] for f in view.blockers]
        story.append(grid(rows, [0.6, 3, 3]))
    return story


def _lines_table(view: PacketView) -> Flowable:
    rows = [["Line", "HCPCS", "Modifiers", "Units", "Charge", "NDC (11 digits)", "Drug"]]
    total = sum((b.charge for b in view.billed if b.charge is not None), start=Decimal(0))
    for number, billed in enumerate(view.billed, start=1):
        drug = view.drug_name(billed.drug_line) + (" - discarded" if billed.is_waste_line else "")
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


def _waste_statement(view: PacketView, index: int) -> str:
    line = view.packet.claim.drug_lines[index]
    name = view.drug_name(index)
    modifiers = {m.strip().upper() for m in line.modifiers}
    waste = line.waste.amount
    if "JW" in modifiers and waste is not None:
        jw = next((b for b in view.billed if b.drug_line == index and b.is_waste_line), None)
        units = plain_amount(jw.units) if jw and jw.units is not None else "unknown"
        return (
            f"{name}: {plain_amount(waste)} {line.dose.unit} discarded "
            f"({line.waste.reason or 'reason not entered'}), billed on its own JW line, "
            f"{units} unit(s)."
        )
    if "JZ" in modifiers:
        claim, facts = view.packet.claim, view.packet.facts
        dos = claim.date_of_service
        return f"{name}: {jz_statement(line, dos, facts_for_line(line, facts))}"
    return f"{name}: no JW or JZ modifier on this line."
