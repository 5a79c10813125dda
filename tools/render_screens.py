"""Render what a clerk and a medical reviewer see, to PNG, so a person can look at it.

For each of the four example claims (resources/examples), in a fresh data folder:
- every wizard step, grabbed offscreen with QWidget.grab();
- every page of its packet, exported as the app does and rasterised with `pdftoppm`.

    QT_QPA_PLATFORM=offscreen python tools/render_screens.py [--out DIR] [--no-reference]

The FDA and CMS slices in tests/fixtures are imported first (as Settings > Reference data
would), unless --no-reference. Each claim is checked as of a week after its date of service,
as a clerk working on time would see it. Output: DIR/<example>/wizard-NN-<step>.png and
DIR/<example>/packet-N.png (DIR defaults to build/screens).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from j3490_desk.paths import resources_dir  # noqa: E402 - after the path and platform are set
from j3490_desk.services import claim_import, claims, drafts, packets  # noqa: E402
from j3490_desk.services.app_data import AppData, open_app_data  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
FDA_SLICES = ("fda_ndc_2019_product_slice.txt", "fda_ndc_2019_package_slice.txt")
CMS_SLICES = ("asp_ndc_hcpcs_crosswalk_jan2026_slice.csv", "hcpcs_2025_oct_slice.csv")
DAYS_AFTER_SERVICE = 7
WIZARD_SIZE = (1180, 760)  # the wizard's own default size
PACKET_DPI = 60


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screens")
    parser.add_argument("--no-reference", action="store_true")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        sys.stderr.write("pdftoppm is missing: install poppler-utils.\n")
        return 2
    from j3490_desk.ui.app import create_application

    create_application()
    examples = sorted((resources_dir() / "examples").glob("*.json"))
    with tempfile.TemporaryDirectory(prefix="j3490-screens-") as scratch:
        data = open_app_data(Path(scratch) / "data")
        try:
            if not args.no_reference:
                _load_reference(data, Path(scratch))
            for example in examples:
                out = args.out / example.stem
                out.mkdir(parents=True, exist_ok=True)
                claim_id = claim_import.import_claim_file(data, example).claim_id
                wizard_pngs = _render_wizard(data, claim_id, out)
                packet_pngs = _render_packet(data, claim_id, out, Path(scratch))
                sys.stdout.write(
                    f"{example.stem}: {wizard_pngs} wizard steps, {packet_pngs} packet pages -> "
                    f"{out}\n"
                )
        finally:
            data.close()
    return 0


def _load_reference(data: AppData, scratch: Path) -> None:
    directory = scratch / "ndctext.zip"
    with zipfile.ZipFile(directory, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, slice_name in zip(("product.txt", "package.txt"), FDA_SLICES, strict=True):
            info = zipfile.ZipInfo(name, (2019, 4, 29, 15, 15, 0))
            archive.writestr(info, (FIXTURES / slice_name).read_bytes())
    outcomes = data.reference.import_files([directory, *(FIXTURES / n for n in CMS_SLICES)])
    for outcome in outcomes:
        if outcome.error is not None:
            sys.stderr.write(f"reference file {outcome.name} not imported: {outcome.error}\n")


def _today(data: AppData, claim_id: int) -> date:
    return claims.get_claim(data, claim_id).date_of_service + timedelta(days=DAYS_AFTER_SERVICE)


def _render_wizard(data: AppData, claim_id: int, out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from j3490_desk.ui.wizard.window import open_wizard

    wizard = open_wizard(data, claim_id, today=_today(data, claim_id))
    wizard.resize(*WIZARD_SIZE)
    steps = drafts.step_keys(wizard.claim)
    for number, step in enumerate(steps, start=1):
        wizard.go_to(step)
        QApplication.processEvents()
        name = step.replace(".", "-")
        wizard.grab().save(str(out / f"wizard-{number:02d}-{name}.png"))
    wizard.close()
    QApplication.processEvents()
    return len(steps)


def _render_packet(data: AppData, claim_id: int, out: Path, scratch: Path) -> int:
    pdf = scratch / f"packet-{claim_id}.pdf"
    packets.export_packet(data, claim_id, pdf, today=_today(data, claim_id))
    for old in out.glob("packet-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(PACKET_DPI), str(pdf), str(out / "packet")], check=True
    )
    return len(list(out.glob("packet-*.png")))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
