"""Build a documentation packet in memory: `render_packet(input) -> RenderedPacket`.

The caller (services/packets.py) writes the bytes to disk atomically; nothing here touches
the file system except to read the attachments.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from j3490_desk.export.assemble import assemble, protect
from j3490_desk.export.attachment_pages import PreparedAttachment, prepare_attachment
from j3490_desk.export.cover import manifest_of
from j3490_desk.export.errors import PacketCancelled
from j3490_desk.export.packet_input import CancelledCallback, PacketInput, ProgressCallback
from j3490_desk.export.packet_view import PacketView
from j3490_desk.export.page_map import ManifestEntry
from j3490_desk.export.renderer import PacketRenderer

MAX_CONTROL_NUMBER = 50  # PWK06 (CGS): "maximum field length is 50"


def _prepared_attachments(
    packet: PacketInput,
    steps: int,
    report: ProgressCallback,
    cancelled: CancelledCallback,
) -> tuple[PreparedAttachment, ...]:
    """Scans are decoded and downsampled on every core (Pillow releases the GIL meanwhile)."""
    prepared: list[PreparedAttachment] = []
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = [pool.submit(prepare_attachment, a) for a in packet.attachments]
        try:
            for done, (attachment, future) in enumerate(
                zip(packet.attachments, futures, strict=True)
            ):
                if cancelled():
                    raise PacketCancelled()
                report(done, steps, f"Preparing {attachment.title}")
                prepared.append(future.result())
        finally:
            for future in futures:
                future.cancel()  # after a cancel or an error: do not start the rest
    return tuple(prepared)


@dataclass(frozen=True)
class RenderedPacket:
    pdf: bytes
    page_count: int
    manifest: tuple[ManifestEntry, ...]
    draft: bool


def render_packet(
    packet: PacketInput,
    *,
    password: str | None = None,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> RenderedPacket:
    if len(packet.control_number) > MAX_CONTROL_NUMBER:
        raise ValueError(f"control number longer than {MAX_CONTROL_NUMBER} characters")
    report = progress or (lambda done, total, what: None)
    is_cancelled = cancelled or (lambda: False)
    steps = len(packet.attachments) + 3
    prepared = _prepared_attachments(packet, steps, report, is_cancelled)
    view = PacketView.of(packet, prepared)
    report(len(prepared), steps, "Laying out the packet")
    own_pages = PacketRenderer(view, is_cancelled).render()
    report(len(prepared) + 1, steps, "Merging attached PDFs")
    pdf = assemble(own_pages, view, cancelled=is_cancelled)
    if password:
        pdf = protect(pdf, password)
    report(steps, steps, "Done")
    return RenderedPacket(pdf, view.pages.total, tuple(manifest_of(view.pages, view)), packet.draft)
