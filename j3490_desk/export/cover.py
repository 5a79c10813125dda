"""Page one: who it is for, whose claim, the control number, and what is enclosed where.

Contractors match faxed or mailed documents to the claim by the attachment control number,
and return a packet whose cover sheet is missing or incomplete (payer-profiles.md §0, §3).
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from j3490_desk.export.flowables import PageMark
from j3490_desk.export.fonts import FAMILY
from j3490_desk.export.layout import BODY_WIDTH
from j3490_desk.export.packet_input import ClinicInfo
from j3490_desk.export.packet_view import PacketView, money
from j3490_desk.export.page_map import COVER, ManifestEntry, PageMap
from j3490_desk.export.styles import gap, grid, markup, para, styles, text


def cover_sheet(view: PacketView, marks: dict[str, int]) -> list[Flowable]:
    s = styles()
    packet, claim = view.packet, view.packet.claim
    identity = view.identity
    story: list[Flowable] = [
        PageMark(COVER, marks),
        para("Documentation packet: unclassified drug claim", s.title),
    ]
    if packet.draft:
        listed = " They are listed in the claim summary." if view.blockers else ""
        story.append(
            markup(
                f"<b>DRAFT - NOT FOR SUBMISSION.</b> {text(packet.draft_reason)}{listed}",
                s.body,
            )
        )
        story.append(gap())
    story += [_control_number_box(identity.control_number), gap(8)]
    provider = claim.provider
    codes = ", ".join(
        dict.fromkeys(
            line.hcpcs_code + ("-" + "-".join(line.modifiers) if line.modifiers else "")
            for line in view.billed
        )
    )
    clinic = packet.clinic
    story.append(
        grid(
            [
                [
                    "To (payer)",
                    _joined(claim.payer.name, claim.payer.address, _fax(claim.payer.fax)),
                ],
                [
                    "From (clinic)",
                    _joined(clinic.name, clinic.address, _phone(clinic), _npi(clinic.npi)),
                ],
                ["Patient", identity.patient_name],
                ["Date of birth", identity.date_of_birth],
                ["Member ID", identity.member_id],
                ["Claim ID", str(identity.claim_id)],
                ["Date of service", identity.date_of_service],
                [
                    "Rendering provider",
                    _joined(
                        ", ".join(p for p in (provider.name, provider.credentials) if p),
                        _npi(provider.npi),
                    ),
                ],
                ["Billed codes", codes or "none"],
                [
                    "Total billed",
                    money(sum((b.charge or Decimal(0) for b in view.billed), Decimal(0))),
                ],
                ["Total pages", f"{view.pages.total} including this cover sheet"],
            ],
            [1.3, 4],
            header=False,
            label_column=True,
        )
    )
    story += [gap(10), para("Enclosed documents", s.heading), _manifest(view)]
    return story


def _control_number_box(control_number: str) -> Flowable:
    s = styles()
    table = Table(
        [
            [para("Attachment control number (PWK06 / item 19)", s.cell_bold)],
            [markup(f"<font size=15>{text(control_number)}</font>", s.mono)],
            [para("Enter this number in the claim's PWK segment or item 19.", s.small)],
        ],
        colWidths=[BODY_WIDTH],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FAMILY),
                ("BOX", (0, 0), (-1, -1), 1.5, "black"),
                ("TOPPADDING", (0, 1), (0, 1), 6),
                ("BOTTOMPADDING", (0, 1), (0, 1), 8),
            ]
        )
    )
    return KeepTogether([table])


def _manifest(view: PacketView) -> Table:
    entries = manifest_of(view.pages, view)
    rows = [["#", "Document", "Pages"]]
    rows += [[str(n), e.title, e.pages] for n, e in enumerate(entries, start=1)]
    return grid(rows, [0.35, 4.6, 1.2])


def manifest_of(pages: PageMap, view: PacketView) -> list[ManifestEntry]:
    return pages.manifest(
        [a.source.title for a in view.attachments], [a.page_count for a in view.attachments]
    )


def _joined(*parts: str) -> str:
    return "\n".join(p for p in parts if p) or "not entered"


def _fax(number: str) -> str:
    return f"Fax: {number}" if number else ""


def _npi(number: str) -> str:
    return f"NPI: {number}" if number else ""


def _phone(clinic: ClinicInfo) -> str:
    phone = f"Phone: {clinic.phone}" if clinic.phone else ""
    return "   ".join(p for p in (phone, _fax(clinic.fax)) if p)
