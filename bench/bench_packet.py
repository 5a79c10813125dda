"""Documentation packet with 20 scanned letter pages at 300 dpi, against reportlab alone.

Ours: the whole packet (cover, summary, ten items, letter, pricing, then the 20 scans, each
checked for colour and downsampled to 200 dpi). Baseline: reportlab drawing the same JPEG
files onto 20 pages, as they are. Median of several interleaved runs. Also the packet's size
(goal < 5 MB) and the peak memory of a process that builds it (goal < 400 MB).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from bench.report import figure

PAGES = 20
DPI = 300
RUNS = 3
SIZE_GOAL_MB = 5
MEMORY_GOAL_MB = 400
EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "examples"

CHILD = """
import resource, sys
from pathlib import Path
from bench.bench_packet import build_packet
build_packet(sorted(Path(sys.argv[1]).glob("scan-*.jpg")))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""


def make_scans(folder: Path) -> list[Path]:
    """Letter pages as a scanner in colour mode saves them: gray text, JPEG, 300 dpi."""
    paths = []
    width, height = int(8.5 * DPI), int(11 * DPI)
    for number in range(PAGES):
        page = Image.new("RGB", (width, height), (250, 250, 248))
        draw = ImageDraw.Draw(page)
        for y in range(DPI, height - DPI, 45):
            draw.text((DPI, y), f"Page {number + 1}  lot CEM8X01  qty 1  $9,100.00  " * 3, fill=20)
        draw.rectangle((DPI, height - 2 * DPI, width - DPI, height - DPI), outline=0, width=4)
        path = folder / f"scan-{number:02d}.jpg"
        page.save(path, "JPEG", quality=85, dpi=(DPI, DPI))
        paths.append(path)
    return paths


def build_packet(scans: list[Path]) -> bytes:
    from j3490_desk.export.packet import render_packet
    from j3490_desk.export.packet_input import PacketAttachment, PacketInput
    from j3490_desk.services.claim_json import load_claim_file

    claim = load_claim_file(EXAMPLE / "4-rare-biologic-infusion.json")
    attachments = tuple(
        PacketAttachment(
            f"Medical record page {n + 1}",
            "medical_record",
            path.name,
            "image/jpeg",
            path.read_bytes,
        )
        for n, path in enumerate(scans)
    )
    packet = PacketInput(
        claim=claim,
        claim_id=1,
        control_number="20190610-1-0123456789",
        producer="J3490 Desk bench",
        prepared_on=claim.date_of_service,
        attachments=attachments,
    )
    return render_packet(packet).pdf


def reportlab_alone(scans: list[Path], *, ascii85: bool = False) -> bytes:
    """The same JPEGs passed through untouched (no decoding, no downsampling), as binary
    streams like ours; `ascii85` is reportlab's default, slow without its C accelerator."""
    saved, rl_config.useA85 = rl_config.useA85, int(ascii85)
    output = BytesIO()
    canvas = Canvas(output, pagesize=letter)
    for path in scans:
        canvas.drawImage(str(path), 0, 0, *letter)
        canvas.showPage()
    canvas.save()
    rl_config.useA85 = saved
    return output.getvalue()


def reportlab_defaults(scans: list[Path]) -> bytes:
    return reportlab_alone(scans, ascii85=True)


def timed(build: Callable[[list[Path]], bytes], scans: list[Path]) -> tuple[float, bytes]:
    start = time.perf_counter()
    pdf = build(scans)
    return time.perf_counter() - start, pdf


def peak_memory_mb(folder: Path) -> float:
    root = Path(__file__).resolve().parents[1]
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)], capture_output=True, text=True, cwd=root
    )
    if child.returncode != 0:
        raise RuntimeError(child.stderr)
    return int(child.stdout.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        scans = make_scans(folder)
        build_packet(scans[:1])  # imports, fonts and the ICD-10 code set, outside the timing
        ours, baseline, defaults = [], [], []
        for _ in range(RUNS):
            elapsed, pdf = timed(build_packet, scans)
            ours.append(elapsed)
            baseline.append(timed(reportlab_alone, scans)[0])
            defaults.append(timed(reportlab_defaults, scans)[0])
        memory = peak_memory_mb(folder)
    figure(
        f"packet with {PAGES} scanned pages at {DPI} dpi",
        statistics.median(ours),
        statistics.median(baseline),
        1.5,
    )
    figure(
        "  same, vs reportlab with its default ASCII85 image streams",
        statistics.median(ours),
        statistics.median(defaults),
        1.5,
    )
    size_mb = len(pdf) / 1_000_000
    print(
        f"packet size: {size_mb:.2f} MB (goal < {SIZE_GOAL_MB} MB) {'PASS' if size_mb < SIZE_GOAL_MB else 'MISS'}"
    )
    print(
        f"peak memory building it: {memory:.0f} MB (goal < {MEMORY_GOAL_MB} MB) {'PASS' if memory < MEMORY_GOAL_MB else 'MISS'}"
    )


if __name__ == "__main__":
    main()
