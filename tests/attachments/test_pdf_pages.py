"""PDF rendering from several threads at once: pdfium is not thread-safe, the service serialises it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.attachments.files import invoice_pdf

SCRIPT = """
import sys, threading
from pathlib import Path
from j3490_desk.services.pdf_pages import render_page, render_pages
pdf = Path(sys.argv[1]).read_bytes()
def work():
    for _ in range(40):
        render_page(pdf, 0, max_side=200)
        render_pages(pdf, scale=0.5)
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print("ok")
"""


def test_four_threads_render_without_crashing(tmp_path: Path) -> None:
    pdf = invoice_pdf(tmp_path / "invoice.pdf")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(pdf)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-400:]


def test_pages_come_back_as_images(tmp_path: Path) -> None:
    from j3490_desk.services.pdf_pages import render_page, render_pages

    pdf = invoice_pdf(tmp_path / "invoice.pdf").read_bytes()
    assert [image.size for image in render_pages(pdf, scale=1.0)] == [(612, 792)]
    assert max(render_page(pdf, 0, max_side=100).size) == 100
