"""Reference facts as the app builds them: the real importer run on slices of the real files.

tests/fixtures/rules/ holds rows copied unchanged from the FDA NDC Directory of 2019-04-29
(product.txt / package.txt), the CMS ASP NDC-HCPCS crosswalk and payment-limit file of
January 2026, and the CMS HCPCS file of October 2025. `imported_facts` imports them through
ReferenceService (as `reference import` does) and looks each NDC up for the date of service.
"""

from __future__ import annotations

import functools
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from j3490_desk.domain.claim import DrugFacts
from j3490_desk.paths import DataPaths
from j3490_desk.services.reference import ReferenceService

RULES_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"

ORENCIA_IV = "00003218713"  # abatacept 250 mg vial, J0129 (10 mg a unit), BLA, IV
ORENCIA_SC = "00003218811"  # abatacept 125 mg/mL prefilled glass syringe, subcutaneous
TRAUMEEL = "50114700402"  # injection, UNAPPROVED HOMEOPATHIC
ASCORBIC_ACID = "00389048610"  # injection, UNAPPROVED DRUG OTHER
QUINIDINE = "00002140701"  # quinidine gluconate injection, NDA, marketed since 1950
GAMIFANT = "72171050501"  # emapalumab-lzsg, BLA, no code in the crosswalk slice
DEXAMETHASONE_TABLETS = "00054417925"  # oral tablets (J8540 is oral dexamethasone 0.25 mg)
HUMULIN_N_VIAL = "00002831501"  # INJECTION, SUSPENSION for subcutaneous use, in a 10 mL vial


def _ndctext_zip(folder: Path) -> Path:
    path = folder / "ndctext.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("product", "package"):
            info = zipfile.ZipInfo(f"{name}.txt", (2019, 4, 29, 15, 15, 0))
            archive.writestr(info, (RULES_FIXTURES / f"fda_{name}_slice.txt").read_bytes())
    return path


def imported_facts(folder: Path, date_of_service: date) -> dict[str, DrugFacts]:
    """Every fixture NDC's DrugFacts on the date of service, keyed by 11-digit NDC."""
    service = ReferenceService(DataPaths(folder / "data"))
    try:
        files = [
            _ndctext_zip(folder),
            *sorted(RULES_FIXTURES.glob("*.csv")),
        ]
        outcomes = service.import_files(files)
        assert all(outcome.error is None for outcome in outcomes), outcomes
        ndcs = (
            ORENCIA_IV,
            ORENCIA_SC,
            TRAUMEEL,
            ASCORBIC_ACID,
            QUINIDINE,
            GAMIFANT,
            DEXAMETHASONE_TABLETS,
            HUMULIN_N_VIAL,
        )
        return {ndc: service.drug_facts(ndc, date_of_service) for ndc in ndcs}
    finally:
        service.close()


_FOLDERS: list[tempfile.TemporaryDirectory[str]] = []  # kept until the test run ends


@functools.cache
def facts_on(date_of_service: date) -> dict[str, DrugFacts]:
    """imported_facts in a temporary folder, imported once per date for the whole run."""
    folder = tempfile.TemporaryDirectory(prefix="rules-reference-")
    _FOLDERS.append(folder)
    return imported_facts(Path(folder.name), date_of_service)
