"""Screenshots of the claim wizard for the README, taken from the real window.

Run under a virtual display:  xvfb-run -a python docs/make_wizard_screenshots.py
It loads an example claim into a throwaway data folder (with the reference slices the
tests use, so the code check runs), and saves a drug step and the review page.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' reference slices live beside the package

from j3490_desk.services import claim_import, claims  # noqa: E402
from j3490_desk.services.app_data import open_app_data  # noqa: E402
from j3490_desk.services.drafts import REVIEW, line_step  # noqa: E402
from j3490_desk.ui.app import create_application  # noqa: E402
from j3490_desk.ui.wizard.window import open_wizard  # noqa: E402
from tests.domain import scenarios  # noqa: E402
from tests.reference.conftest import write_ndctext_zip  # noqa: E402

EXAMPLE = ROOT / "resources" / "examples" / "3-off-label-use.json"  # shows a blocker
OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)


def main() -> None:
    create_application()
    with tempfile.TemporaryDirectory() as folder:
        data = open_app_data(Path(folder) / "data")
        directory = write_ndctext_zip(
            Path(folder) / "ndctext.zip",
            (scenarios.FIXTURES / "fda_ndc_2019_product_slice.txt").read_bytes(),
            (scenarios.FIXTURES / "fda_ndc_2019_package_slice.txt").read_bytes(),
        )
        data.reference.import_files(
            [directory, scenarios.FIXTURES / "asp_ndc_hcpcs_crosswalk_jan2026_slice.csv"]
        )
        claim_id = claim_import.import_claim_file(data, EXAMPLE).claim_id
        claim = claims.get_claim(data, claim_id)
        wizard = open_wizard(data, claim_id, today=claim.date_of_service + timedelta(days=6))
        wizard.resize(*SIZE)
        for step, name in ((line_step(0, "1"), "wizard-drug-step"), (REVIEW, "wizard-review")):
            wizard.go_to(step)
            wizard.reassess()
            QApplication.processEvents()
            path = OUT / f"{name}.png"
            wizard.grab().save(str(path))
            print(path)
        wizard.close()
        data.close()


if __name__ == "__main__":
    main()
