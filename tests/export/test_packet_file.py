"""The file as a whole: Letter pages, embedded fonts, metadata, determinism, progress, cancel."""

from __future__ import annotations

import dataclasses
import re
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from j3490_desk.export.errors import PacketCancelled
from j3490_desk.export.packet import render_packet
from tests.domain.scenarios import compound_trimix, off_label_rituximab
from tests.export.test_packet_scenarios import CONTROL_NUMBER, packet_input


def test_letter_pages_embedded_fonts_and_metadata(tmp_path: Path) -> None:
    rendered = render_packet(packet_input(compound_trimix(), tmp_path))
    reader = PdfReader(BytesIO(rendered.pdf))
    assert {(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages} == {
        (612.0, 792.0)
    }
    for page in reader.pages[:6]:
        used = set(
            re.findall(r"(/F[\w+-]+) [\d.]+ Tf", page.get_contents().get_data().decode("latin-1"))
        )
        names = {str(page["/Resources"]["/Font"][key].get_object()["/BaseFont"]) for key in used}
        assert names and all("DejaVuSans" in name for name in names)  # subset-embedded TTF
    descriptor = next(
        font.get_object()["/FontDescriptor"].get_object()
        for font in reader.pages[0]["/Resources"]["/Font"].values()
        if "DejaVuSans" in str(font.get_object()["/BaseFont"])
    )
    assert "/FontFile2" in descriptor
    meta = reader.metadata
    assert meta is not None and meta.producer == "J3490 Desk test"
    assert CONTROL_NUMBER in (meta.title or "")


def test_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    packet = packet_input(off_label_rituximab(), tmp_path)
    assert render_packet(packet).pdf == render_packet(packet).pdf


def test_draft_packet_carries_the_watermark_on_every_page(tmp_path: Path) -> None:
    rendered = render_packet(packet_input(off_label_rituximab(), tmp_path))
    assert rendered.draft
    for page in PdfReader(BytesIO(rendered.pdf)).pages:
        assert "DRAFT" in page.extract_text()


def test_progress_is_reported_and_cancel_stops_it(tmp_path: Path) -> None:
    packet = packet_input(compound_trimix(), tmp_path)
    seen: list[tuple[int, int]] = []
    render_packet(packet, progress=lambda done, total, _what: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and seen == sorted(seen)
    calls = iter(range(1000))
    with pytest.raises(PacketCancelled):
        render_packet(packet, cancelled=lambda: next(calls) >= 5)  # mid-layout


def test_control_number_longer_than_pwk06_is_a_bug(tmp_path: Path) -> None:
    packet = dataclasses.replace(packet_input(compound_trimix(), tmp_path), control_number="X" * 51)
    with pytest.raises(ValueError, match="50"):
        render_packet(packet)
