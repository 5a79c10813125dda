"""The letter of medical necessity, written from item 4 (and item 6 for off-label use).

It states only what the clinic entered; the provider reads and signs it.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from j3490_desk.domain.icd10 import icd10_syntax_problem, lookup_icd10, normalize_icd10
from j3490_desk.export.flowables import PageMark
from j3490_desk.export.layout import us_date
from j3490_desk.export.packet_view import PacketView
from j3490_desk.export.page_map import LETTER
from j3490_desk.export.styles import gap, markup, para, styles, text


def diagnosis_line(raw: str) -> str:
    """ "C44.42 - Squamous cell carcinoma of skin of neck", or the code as typed if unknown."""
    code = raw.strip()
    if icd10_syntax_problem(code) is not None:
        return code
    found = lookup_icd10(normalize_icd10(code))
    return f"{found.code} - {found.description}" if found else f"{normalize_icd10(code)}"


def letter_of_necessity(view: PacketView, marks: dict[str, int]) -> list[Flowable]:
    s = styles()
    packet, claim = view.packet, view.packet.claim
    clinic, necessity, provider = packet.clinic, claim.medical_necessity, claim.provider
    identity = view.identity
    story: list[Flowable] = [PageMark(LETTER, marks)]
    letterhead = [clinic.name, clinic.address.replace("\n", ", "), _contact(view)]
    story += [
        para(line, s.cell_bold if n == 0 else s.small) for n, line in enumerate(letterhead) if line
    ]
    story += [gap(10), para(us_date(packet.prepared_on), s.body), gap(6)]
    story += [para(line, s.body) for line in (claim.payer.name, claim.payer.address) if line]
    story += [gap(8), para("Letter of medical necessity", s.heading)]
    drugs = "; ".join(
        f"{view.drug_name(i)}, NDC {line.ndc or 'not entered'}, billed {line.hcpcs_code}"
        for i, line in enumerate(claim.drug_lines)
    )
    story.append(
        markup(
            f"<b>Re:</b> {text(identity.patient_name)}, DOB {identity.date_of_birth}, member ID "
            f"{text(identity.member_id)}, date of service {identity.date_of_service}.<br/>"
            f"<b>Drug:</b> {text(drugs or 'none entered')}",
            s.body,
        )
    )
    story += [gap(8), para("To the medical reviewer:", s.body), gap(4)]
    story.append(
        para(
            f"I am writing to document the medical necessity of the drug(s) above, which I "
            f"ordered for my patient and which were given on {identity.date_of_service}.",
            s.body,
        )
    )
    story += [para("Diagnoses", s.subheading)]
    codes = [c for c in necessity.icd10_codes if c.strip()]
    story += [para(f"\u2022 {diagnosis_line(c)}", s.body) for c in codes] or [
        para("No diagnosis was entered.", s.body)
    ]
    story += _paragraph("Treatments tried before", necessity.prior_treatments)
    story += _paragraph("Why they failed or could not be used", necessity.why_standard_failed)
    story += _paragraph("Why this drug", necessity.rationale)
    for index, line in enumerate(claim.drug_lines):
        if line.fda.off_label:
            story += _paragraph(
                f"Off-label use of {view.drug_name(index)}",
                line.fda.off_label_rationale,
                f"Supporting compendium or literature: {line.fda.compendium_reference}"
                if line.fda.compendium_reference
                else "",
            )
    story += [
        gap(8),
        para(f"{_enclosures(view)} Please contact my office with any question.", s.body),
    ]
    signer = (
        ", ".join(p for p in (provider.name, provider.credentials) if p) or "Rendering provider"
    )
    story.append(
        KeepTogether(
            [
                gap(22),
                para("Signature: ______________________________    Date: ______________", s.body),
                gap(4),
                para(signer, s.cell_bold),
                para(f"NPI: {provider.npi or 'not entered'}", s.body),
            ]
        )
    )
    return story


def _enclosures(view: PacketView) -> str:
    """Only what the packet really encloses is said to support the letter."""
    if not view.attachments:
        return "No supporting documents are enclosed with this letter."
    return (
        "The documents enclosed in this packet, listed on its cover sheet, support these "
        "statements."
    )


def _paragraph(title: str, body: str, extra: str = "") -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [para(title, s.subheading), para(body or "Not entered.", s.body)]
    if extra:
        story.append(para(extra, s.body))
    return story


def _contact(view: PacketView) -> str:
    clinic = view.packet.clinic
    parts = [
        f"Phone {clinic.phone}" if clinic.phone else "",
        f"Fax {clinic.fax}" if clinic.fax else "",
    ]
    parts.append(f"NPI {clinic.npi}" if clinic.npi else "")
    return "   ".join(p for p in parts if p)
