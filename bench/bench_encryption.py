"""What encryption at rest costs: the same work on an encrypted folder against a plain one,
measured in the same run.

Figures: saving claims (one transaction each, synchronous=FULL), a work-queue page over 5,000
claims, reading a 20 MB attachment back, and the unlock (scrypt) on its own.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import figure
from j3490_desk.services import attachments, claim_list, claims, encryption
from j3490_desk.services.app_data import AppData, open_app_data
from j3490_desk.storage.encryption import new_key, unwrap
from tests.sample_claims import sample_claim

PASSPHRASE = "benchmark passphrase here"
CLAIMS = 5_000
SAVES = 100


def _best(work: Callable[[], object], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _folder_with_claims(folder: Path, count: int, attachment: Path) -> int:
    data = open_app_data(folder)
    try:
        ids = [claims.create_claim(data, sample_claim()) for _ in range(count)]
        attachments.add_attachment(
            data,
            claim_id=ids[0],
            drug_line_id=None,
            kind=attachments.AttachmentKind.OTHER,
            source=attachment,
            original_name="scan.pdf",
        )
        return ids[0]
    finally:
        data.close()


def _noise_pdf(path: Path) -> None:
    """A real one-page PDF of about 20 MB: a scan of noise does not compress."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    side = 2600
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    page = canvas.Canvas(str(path))
    page.drawImage(ImageReader(image), 0, 0, 600, 600)
    page.save()


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        scan = root / "scan.pdf"
        _noise_pdf(scan)
        plain, secret = root / "plain", root / "secret"
        first = _folder_with_claims(plain, CLAIMS, scan)
        _folder_with_claims(secret, CLAIMS, scan)
        encryption.enable(secret, PASSPHRASE)

        opened: dict[str, AppData] = {
            "plain": open_app_data(plain),
            "secret": open_app_data(secret, passphrase=PASSPHRASE),
        }
        try:
            results = {}
            for name, data in opened.items():
                [info] = attachments.list_attachments(data, first)
                results[name] = {
                    "save": _best(
                        lambda data=data: [
                            claims.create_claim(data, sample_claim()) for _ in range(SAVES)
                        ],
                        rounds=3,
                    )
                    / SAVES,
                    "page": _best(lambda data=data: claim_list.list_claims(data, limit=200)),
                    "read": _best(
                        lambda data=data, info=info: attachments.attachment_bytes(data, info)
                    ),
                }
        finally:
            for data in opened.values():
                data.close()
        for what, label in (
            ("save", "save one claim"),
            ("page", f"work-queue page of 200 over {CLAIMS:,} claims"),
            ("read", f"read a {scan.stat().st_size / 1e6:.0f} MB attachment"),
        ):
            figure(f"encrypted {label}", results["secret"][what], results["plain"][what], 2.0)
        settings, _ = new_key(PASSPHRASE)
        unlock_s = statistics.median(
            _best(lambda: unwrap(settings, PASSPHRASE), rounds=1) for _ in range(3)
        )
        print(f"unlock (scrypt N=2^17, r=8): {unlock_s * 1000:.0f} ms, once per start")
