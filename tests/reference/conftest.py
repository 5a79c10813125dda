"""Reference-data fixtures: slices of the real FDA and CMS files, with their layout intact."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from j3490_desk.paths import DataPaths
from j3490_desk.reference.store import ReferenceStore
from j3490_desk.services.reference import ReferenceService

REFERENCE_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reference"
PRODUCT_SLICE = REFERENCE_FIXTURES / "fda_product_slice.txt"
PACKAGE_SLICE = REFERENCE_FIXTURES / "fda_package_slice.txt"
CROSSWALK_2025Q4 = REFERENCE_FIXTURES / "asp_crosswalk_2025q4_slice.csv"
CROSSWALK_2026Q1 = REFERENCE_FIXTURES / "asp_crosswalk_2026q1_slice.csv"
PRICING_2025Q4 = REFERENCE_FIXTURES / "asp_pricing_2025q4_slice.csv"
PAYMENT_LIMIT_2026Q1 = REFERENCE_FIXTURES / "asp_payment_limit_2026q1_slice.csv"
NOC_CROSSWALK = REFERENCE_FIXTURES / "noc_crosswalk_2025q4.csv"
NOC_PRICING = REFERENCE_FIXTURES / "noc_pricing_2025q4.csv"
HCPCS_CSV = REFERENCE_FIXTURES / "hcpcs_2025q4_slice.csv"
HCPCS_XLSX = REFERENCE_FIXTURES / "hcpcs_2025q4_slice.xlsx"
CMS_FILES = (
    CROSSWALK_2025Q4,
    CROSSWALK_2026Q1,
    PRICING_2025Q4,
    PAYMENT_LIMIT_2026Q1,
    NOC_CROSSWALK,
    NOC_PRICING,
    HCPCS_CSV,
)


def write_ndctext_zip(
    path: Path,
    product: bytes | None = None,
    package: bytes | None = None,
    stamp: tuple[int, int, int] = (2019, 4, 29),
) -> Path:
    """An ndctext.zip as FDA publishes it, from the slices (or the bytes given)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("product.txt", product if product is not None else PRODUCT_SLICE.read_bytes()),
            ("package.txt", package if package is not None else PACKAGE_SLICE.read_bytes()),
        ):
            archive.writestr(zipfile.ZipInfo(name, (*stamp, 15, 15, 0)), data)
    return path


@pytest.fixture
def ndctext_zip(tmp_path: Path) -> Path:
    return write_ndctext_zip(tmp_path / "ndctext.zip")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReferenceStore]:
    opened = ReferenceStore.open(tmp_path / "data" / "reference.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def service(data_dir: Path) -> Iterator[ReferenceService]:
    opened = ReferenceService(DataPaths(data_dir))
    yield opened
    opened.close()


@pytest.fixture
def loaded_service(service: ReferenceService, ndctext_zip: Path) -> ReferenceService:
    outcomes = service.import_files([ndctext_zip, *CMS_FILES])
    assert all(outcome.error is None for outcome in outcomes), outcomes
    return service
