"""The packet, read back with pypdf, says nothing is attached or enclosed unless it is (issue 19).

Each "Proven by" names a page of this packet or says there is none; the narrative's invoice note
and the letter's "enclosed" follow the stored files, never a claim file's "attached" flag.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from pypdf import PdfReader

from j3490_desk.domain.billing import bill_lines
from j3490_desk.domain.claim import Claim, ClaimStatus, Payer
from j3490_desk.domain.evidence import Evidence
from j3490_desk.services import attachments, claim_status, claims, packets
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import AttachmentKind
from tests.attachments import files
from tests.domain.scenarios import compound_trimix, rare_biologic

# The only places the words may stand in a packet whose claim has no stored file.
TRUE_WITHOUT_FILES = (
    "Enclosed documents",  # the manifest heading: it lists the packet's own sections
    "No supporting documents are enclosed with this letter",
    "The claim says an invoice is attached, but no invoice file is stored",  # the blocker
)
# A statement that something is attached or enclosed ("Attach the invoice" asks for one).
CLAIMS = re.compile(r"(?i)[^.\n]{0,60}\b(attached|enclosed)\b[^.\n]{0,60}")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _pages(path: Path) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(path).pages]


def _flags_say_attached(claim: Claim) -> Claim:
    lines = tuple(
        dataclasses.replace(
            line,
            invoice=dataclasses.replace(line.invoice, attached=True, on_file=False),
            prescription=dataclasses.replace(line.prescription, attached=True, on_file=False),
        )
        for line in claim.drug_lines
    )
    return dataclasses.replace(claim, drug_lines=lines)


def _proven_by(texts: list[str]) -> list[str]:
    joined = " ".join(texts)
    return re.findall(r"Proven by (.*?)(?= Item \d+\.| Patient:)", joined)


def test_no_file_no_claim_of_one(app_data: AppData, tmp_path: Path) -> None:
    scenario = rare_biologic()
    claim_id = claims.create_claim(app_data, _flags_say_attached(scenario.claim))
    result = packets.export_packet(app_data, claim_id, tmp_path / "p.pdf", today=scenario.today)
    texts = _pages(tmp_path / "p.pdf")
    assert result.draft  # the invoice it is priced from is not stored: a blocker
    for match in CLAIMS.finditer(" ".join(texts)):
        assert any(allowed in match.group(0) for allowed in TRUE_WITHOUT_FILES), match.group(0)
    assert "INVOICE ATTACHED" not in " ".join(texts)
    assert "Signed order attached" not in " ".join(texts)
    proofs = _proven_by(texts)
    assert len(proofs) == 10
    assert sum(p.startswith("no page of this packet") for p in proofs) == 8  # items 4, 10: letter


def test_each_proof_names_the_page_that_holds_it(app_data: AppData, tmp_path: Path) -> None:
    scenario = rare_biologic()
    claim_id = claims.create_claim(app_data, _flags_say_attached(scenario.claim))
    line_id = claims.get_claim(app_data, claim_id).drug_lines[0].id
    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=line_id,
        kind=AttachmentKind.INVOICE,
        source=files.invoice_pdf(tmp_path / "invoice.pdf", ndc="72171-0505-01"),
        original_name="invoice.pdf",
    )
    result = packets.export_packet(app_data, claim_id, tmp_path / "p.pdf", today=scenario.today)
    texts = _pages(tmp_path / "p.pdf")
    assert not result.draft  # stored and marked ready (the scenario's status)
    item_2 = next(p for p in _proven_by(texts) if "Invoice" in p)
    page = int(re.search(r"Invoice \(invoice\.pdf\): page (\d+)", item_2).group(1))  # type: ignore[union-attr]
    assert "NDC 72171-0505-01" in texts[page - 1] and f"Page {page} of" in texts[page - 1]
    assert "The documents enclosed in this packet" in " ".join(texts)
    assert "no page of this packet" in " ".join(_proven_by(texts))  # the order: none stored


def test_an_other_file_proves_no_item(app_data: AppData, tmp_path: Path) -> None:
    """A proof of filing (kind "other") is enclosed, but no "Proven by" names it."""
    scenario = rare_biologic()
    claim_id = claims.create_claim(app_data, scenario.claim)
    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=None,
        kind=AttachmentKind.OTHER,
        source=files.invoice_pdf(tmp_path / "portal.pdf"),
        original_name="portal.pdf",
    )
    packets.export_packet(app_data, claim_id, tmp_path / "p.pdf", today=scenario.today)
    texts = _pages(tmp_path / "p.pdf")
    assert "Other (portal.pdf)" in texts[0]  # in the manifest
    assert not any("portal.pdf" in proof for proof in _proven_by(texts))


def test_invoice_note_only_for_the_line_whose_invoice_is_enclosed(
    app_data: AppData, tmp_path: Path
) -> None:
    """Railroad Medicare compounds: "COMPOUNDED DRUGS, INVOICE ATTACHED" only with the file."""
    scenario = compound_trimix()
    railroad = Payer("Railroad Medicare", narrative_profile="railroad")
    claim = dataclasses.replace(
        _flags_say_attached(scenario.claim), payer=railroad, status=ClaimStatus.DRAFT
    )
    claim_id = claims.create_claim(app_data, claim)
    before = packets.export_packet(app_data, claim_id, tmp_path / "a.pdf", today=scenario.today)
    assert before.draft and "INVOICE ATTACHED" not in " ".join(_pages(tmp_path / "a.pdf"))
    first_line = claims.get_claim(app_data, claim_id).drug_lines[0].id
    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=first_line,
        kind=AttachmentKind.INVOICE,
        source=files.invoice_pdf(tmp_path / "invoice.pdf", ndc="0517-4002-25"),
        original_name="invoice.pdf",
    )
    packets.export_packet(app_data, claim_id, tmp_path / "b.pdf", today=scenario.today)
    text = " ".join(_pages(tmp_path / "b.pdf"))
    stored = claims.get_claim(app_data, claim_id)
    noted = [
        b.narrative
        for b in bill_lines(stored, evidence=Evidence.of([(0, "invoice")]))
        if "COMPOUNDED DRUGS, INVOICE ATTACHED" in b.narrative
    ]
    assert noted and {b.drug_line for b in bill_lines(stored) if b.narrative in noted} <= {0}
    # The JW line repeats its drug line's narrative on the claim; the packet prints it once.
    assert text.count("COMPOUNDED DRUGS, INVOICE ATTACHED") == len(set(noted))
    assert claim_status.claim_events(app_data, claim_id) == []


def test_the_pricing_says_where_the_invoice_it_uses_is(app_data: AppData, tmp_path: Path) -> None:
    """A reviewer checks the invoice cost against the invoice: the pricing names its page, or
    says that the paper is at the clinic and not in this packet."""
    scenario = rare_biologic()  # Palmetto prices it from the invoice
    line = scenario.claim.drug_lines[0]
    on_file = dataclasses.replace(
        line, invoice=dataclasses.replace(line.invoice, attached=False, on_file=True)
    )
    claim_id = claims.create_claim(
        app_data, dataclasses.replace(scenario.claim, drug_lines=(on_file,))
    )
    packets.export_packet(app_data, claim_id, tmp_path / "a.pdf", today=scenario.today)
    pricing = next(t for t in _pages(tmp_path / "a.pdf") if "Invoice cost per unit" in t)
    assert "from the paper invoice on file at the clinic (not in this packet)" in pricing

    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=claims.get_claim(app_data, claim_id).drug_lines[0].id,
        kind=AttachmentKind.INVOICE,
        source=files.invoice_pdf(tmp_path / "invoice.pdf", ndc="72171-0505-01"),
        original_name="invoice.pdf",
    )
    packets.export_packet(app_data, claim_id, tmp_path / "b.pdf", today=scenario.today)
    texts = _pages(tmp_path / "b.pdf")
    pricing = next(t for t in texts if "Invoice cost per unit" in t)
    page = int(re.search(r"per mg, from Invoice \(invoice\.pdf\): page (\d+)", pricing).group(1))  # type: ignore[union-attr]
    assert "NDC 72171-0505-01" in texts[page - 1]
