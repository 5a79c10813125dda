"""Everything the sections print, computed once per packet from the rules engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from j3490_desk.domain.amounts import dollars
from j3490_desk.domain.billing import BilledLine, bill_lines
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.payer_profiles import profile_for
from j3490_desk.domain.pricing import PriceBreakdown, PricingError, price_claim
from j3490_desk.domain.sources import public_citation
from j3490_desk.export.attachment_pages import PreparedAttachment
from j3490_desk.export.layout import PageIdentity, us_date
from j3490_desk.export.packet_input import PacketInput
from j3490_desk.export.page_map import PageMap, attachment_key


@dataclass
class PacketView:
    packet: PacketInput
    attachments: tuple[PreparedAttachment, ...]
    identity: PageIdentity
    billed: tuple[BilledLine, ...]
    pricing: tuple[PriceBreakdown | PricingError, ...]
    pages: PageMap

    @classmethod
    def of(cls, packet: PacketInput, attachments: tuple[PreparedAttachment, ...]) -> PacketView:
        claim = packet.claim
        return cls(
            packet=packet,
            attachments=attachments,
            identity=PageIdentity.of(claim, packet.claim_id, packet.control_number, packet.draft),
            # The packet travels with an electronic claim (PWK): the SV101-7/NTE narrative.
            billed=bill_lines(claim, facts=packet.facts, evidence=packet.evidence),
            pricing=price_claim(claim, facts=packet.facts),
            pages=PageMap(),
        )

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.packet.findings if f.severity is Severity.BLOCKER]

    def claim_line_numbers(self, drug_line: int) -> tuple[int | None, int | None]:
        """(administered, JW) line numbers of a drug line, as the claim summary numbers them."""
        given = waste = None
        for number, billed in enumerate(self.billed, start=1):
            if billed.drug_line == drug_line:
                if billed.is_waste_line:
                    waste = number
                else:
                    given = number
        return given, waste

    def citation(self, source: str) -> str:
        """A NOC rule's source (pricing, narrative) as this claim's contractor's reviewer may
        read it: CMS and this contractor's pages only, its NOC instructions standing in for
        another contractor's (sources.public_citation)."""
        profile = profile_for(self.packet.claim.payer)
        return public_citation(source, profile.key, profile.sources)

    def drug_name(self, index: int) -> str:
        line = self.packet.claim.drug_lines[index]
        names = [n for n in (line.brand_name, line.generic_name) if n]
        if len(names) == 2 and names[0].lower() != names[1].lower():
            return f"{names[0]} ({names[1]})"
        return names[0] if names else f"Drug line {index + 1}"

    def proof(self, kinds: tuple[str, ...], line: int | None = None) -> list[str]:
        """Where the attachments of these kinds (for this drug line, or the whole claim) are."""
        found = []
        for index, prepared in enumerate(self.attachments):
            source = prepared.source
            if source.kind not in kinds:
                continue
            if line is not None and source.drug_line not in (None, line):
                continue
            where = self.pages.pages_of(attachment_key(index), prepared.page_count)
            found.append(f"{source.title}: {where}")
        return found


def money(amount: Decimal | None) -> str:
    return "not entered" if amount is None else dollars(amount)


def moment(value: datetime | None) -> str:
    if value is None:
        return "not entered"
    offset = value.strftime("%z")
    return f"{us_date(value.date())} {value.strftime('%H:%M')} (UTC{offset[:3]}:{offset[3:]})"
