"""Reference facts as the app builds them: the real importer run on slices of the real files.

tests/fixtures/rules/ holds rows copied unchanged from the FDA NDC Directory of 2019-04-29
(product.txt / package.txt), the CMS ASP NDC-HCPCS crosswalk and payment-limit file of
January 2026, and the CMS HCPCS file of October 2025. `imported_facts` imports them through
ReferenceService (as `reference import` does) and looks each NDC up for the date of service.

tests/fixtures/ (top level) holds the four scenarios' slices of the same FDA directory, the
CMS crosswalks and payment limits of October 2025 and January 2026, and the HCPCS file of
October 2025; `scenario_facts_on` imports those the same way.
"""

from __future__ import annotations

import functools
import tempfile
import zipfile
from collections.abc import Callable
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


RULES_NDCS = (
    ORENCIA_IV,
    ORENCIA_SC,
    TRAUMEEL,
    ASCORBIC_ACID,
    QUINIDINE,
    GAMIFANT,
    DEXAMETHASONE_TABLETS,
    HUMULIN_N_VIAL,
)

SCENARIO_FIXTURES = RULES_FIXTURES.parent
SCENARIO_CMS_FILES = (
    "asp_ndc_hcpcs_crosswalk_oct2025_slice.csv",
    "asp_ndc_hcpcs_crosswalk_jan2026_slice.csv",
    "asp_payment_limit_oct2025_slice.csv",
    "asp_payment_limit_jan2026_slice.csv",
    "hcpcs_2025_oct_slice.csv",
)
SCENARIO_NDCS = (
    "61755000801",  # Libtayo
    "00517400225",  # papaverine
    "00143956401",  # phentolamine
    "00703150102",  # alprostadil
    "50242005306",  # Rituxan
    GAMIFANT,
)


def _ndctext_zip(folder: Path, product: Path, package: Path) -> Path:
    path = folder / "ndctext.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, slice_path in (("product", product), ("package", package)):
            info = zipfile.ZipInfo(f"{name}.txt", (2019, 4, 29, 15, 15, 0))
            archive.writestr(info, slice_path.read_bytes())
    return path


def _import(
    folder: Path, cms_files: list[Path], ndcs: tuple[str, ...], date_of_service: date
) -> dict[str, DrugFacts]:
    service = ReferenceService(DataPaths(folder / "data"))
    try:
        outcomes = service.import_files(cms_files)
        assert all(outcome.error is None for outcome in outcomes), outcomes
        return {ndc: service.drug_facts(ndc, date_of_service) for ndc in ndcs}
    finally:
        service.close()


def imported_facts(folder: Path, date_of_service: date) -> dict[str, DrugFacts]:
    """Every rules fixture NDC's DrugFacts on the date of service, keyed by 11-digit NDC."""
    directory = _ndctext_zip(
        folder, RULES_FIXTURES / "fda_product_slice.txt", RULES_FIXTURES / "fda_package_slice.txt"
    )
    files = [directory, *sorted(RULES_FIXTURES.glob("*.csv"))]
    return _import(folder, files, RULES_NDCS, date_of_service)


def scenario_facts(folder: Path, date_of_service: date) -> dict[str, DrugFacts]:
    """Every scenario NDC's DrugFacts on the date of service, keyed by 11-digit NDC."""
    directory = _ndctext_zip(
        folder,
        SCENARIO_FIXTURES / "fda_ndc_2019_product_slice.txt",
        SCENARIO_FIXTURES / "fda_ndc_2019_package_slice.txt",
    )
    files = [directory, *(SCENARIO_FIXTURES / name for name in SCENARIO_CMS_FILES)]
    return _import(folder, files, SCENARIO_NDCS, date_of_service)


_FOLDERS: list[tempfile.TemporaryDirectory[str]] = []  # kept until the test run ends


def _in_temporary_folder(
    build: Callable[[Path, date], dict[str, DrugFacts]], date_of_service: date
) -> dict[str, DrugFacts]:
    folder = tempfile.TemporaryDirectory(prefix="rules-reference-")
    _FOLDERS.append(folder)
    return build(Path(folder.name), date_of_service)


@functools.cache
def facts_on(date_of_service: date) -> dict[str, DrugFacts]:
    """imported_facts in a temporary folder, imported once per date for the whole run."""
    return _in_temporary_folder(imported_facts, date_of_service)


@functools.cache
def _scenario_facts_on(date_of_service: date) -> dict[str, DrugFacts]:
    return _in_temporary_folder(scenario_facts, date_of_service)


def scenario_facts_on(date_of_service: date) -> dict[str, DrugFacts]:
    """scenario_facts imported once per date; each caller gets its own dict to change."""
    return dict(_scenario_facts_on(date_of_service))
