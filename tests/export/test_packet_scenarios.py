"""The four example claims as packets: identifiers on every page, manifest, 24A text."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from j3490_desk.domain.billing import bill_lines
from j3490_desk.domain.check import check_claim
from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.domain.evidence import Evidence
from j3490_desk.export.layout import PageIdentity
from j3490_desk.export.packet import RenderedPacket, render_packet
from j3490_desk.export.packet_input import ClinicInfo, PacketInput
from j3490_desk.export.page_map import SECTION_TITLES
from tests.domain.scenarios import ALL_SCENARIOS, Scenario
from tests.export.documents import standard_attachments

CONTROL_NUMBER = "20260101-7-0123456789"
CLINIC = ClinicInfo(
    "Lakeside Oncology",
    "12 Main St\nSpringfield, IL 62701",
    "217-555-0100",
    "217-555-0101",
    "1234567893",
)
SECTION_HEADINGS = {
    "cover": "Documentation packet",
    "summary": "Claim summary",
    "items": "Documentation of the ten items",
    "letter": "Letter of medical necessity",
    "pricing": "Pricing",
}


def packet_input(scenario: Scenario, folder: Path) -> PacketInput:
    attachments = standard_attachments(folder)
    evidence = Evidence.of((a.drug_line, a.kind) for a in attachments)
    findings = check_claim(
        scenario.claim, today=scenario.today, facts=scenario.facts, evidence=evidence
    )
    return PacketInput(
        claim=scenario.claim,
        claim_id=7,
        control_number=CONTROL_NUMBER,
        producer="J3490 Desk test",
        prepared_on=scenario.today,
        clinic=CLINIC,
        findings=tuple(findings),
        facts=scenario.facts,
        attachments=attachments,
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def page_texts(pdf: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


@pytest.fixture(params=ALL_SCENARIOS, ids=lambda make: make.__name__)
def rendered(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Scenario, RenderedPacket]:
    scenario = request.param()
    return scenario, render_packet(packet_input(scenario, tmp_path))


def test_every_page_carries_the_identifiers(rendered: tuple[Scenario, RenderedPacket]) -> None:
    scenario, packet = rendered
    identity = PageIdentity.of(scenario.claim, 7, CONTROL_NUMBER, packet.draft)
    texts = page_texts(packet.pdf)
    assert len(texts) == packet.page_count
    for number, text in enumerate(texts, start=1):
        for identifier in (
            identity.patient_name,
            identity.date_of_birth,
            "Claim ID: 7",
            identity.date_of_service,
            CONTROL_NUMBER,
            f"Page {number} of {packet.page_count}",
        ):
            assert identifier in text, (number, identifier)


def test_manifest_points_at_the_right_pages(rendered: tuple[Scenario, RenderedPacket]) -> None:
    _, packet = rendered
    texts = page_texts(packet.pdf)
    entries = {entry.key: entry for entry in packet.manifest}
    for key, heading in SECTION_HEADINGS.items():
        assert heading in texts[entries[key].first_page - 1], key
    # the record's pages are where the manifest says, in order, and the last one is the end
    record = packet.manifest[-1]
    assert record.last_page == packet.page_count
    assert "Infusion record page 1" in texts[record.first_page - 1]
    assert "Infusion record page 2" in texts[record.last_page - 1]
    cover = texts[0]
    for entry in packet.manifest:
        assert entry.title in cover and entry.pages in cover
    assert [e.title for e in packet.manifest][: len(SECTION_TITLES)] == list(
        SECTION_TITLES.values()
    )
    assert f"{packet.page_count} including this cover sheet" in cover


def test_summary_shows_the_24a_text_and_narrative(
    rendered: tuple[Scenario, RenderedPacket],
) -> None:
    scenario, packet = rendered
    summary = next(e for e in packet.manifest if e.key == "summary")
    text = " ".join(page_texts(packet.pdf)[summary.first_page - 1 : summary.last_page])
    for billed in bill_lines(scenario.claim, facts=scenario.facts):
        assert billed.shaded_24a and billed.shaded_24a in text
        if billed.narrative:
            assert _flat(billed.narrative) in text


def test_draft_unless_ready(rendered: tuple[Scenario, RenderedPacket], tmp_path: Path) -> None:
    """A DRAFT while a blocker remains or the claim was never marked ready; the cover says
    which."""
    scenario, packet = rendered
    packet_data = packet_input(scenario, tmp_path / "again")
    blocked = any(f.severity == "blocker" for f in packet_data.findings)
    not_ready = scenario.claim.status is ClaimStatus.DRAFT
    assert packet.draft is (blocked or not_ready)
    first_page = page_texts(packet.pdf)[0]
    assert ("DRAFT - NOT FOR SUBMISSION" in first_page) is packet.draft
    assert ("blocking problem" in first_page) is blocked
    assert ("not been marked ready" in first_page) is (not_ready and not blocked)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reads_the_identifiers_too(
    rendered: tuple[Scenario, RenderedPacket], tmp_path: Path
) -> None:
    scenario, packet = rendered
    path = tmp_path / "packet.pdf"
    path.write_bytes(packet.pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[: packet.page_count]
    assert len(pages) == packet.page_count
    for number, page in enumerate(pages, start=1):
        assert scenario.claim.patient.name in page and CONTROL_NUMBER in page
        assert f"Page {number} of {packet.page_count}" in page
