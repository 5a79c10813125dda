"""The claim check with reference data loaded, and the quarterly re-check of unsubmitted claims."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

from j3490_desk.paths import resources_dir
from j3490_desk.services import checks, claim_json, claims, recheck
from j3490_desk.services.app_data import AppData

FIXTURES = Path(__file__).parents[1] / "fixtures"
CROSSWALK_2026Q1 = FIXTURES / "asp_ndc_hcpcs_crosswalk_jan2026_slice.csv"
OFF_LABEL = resources_dir() / "examples" / "3-off-label-use.json"


def _load_fda_directory(app_data: AppData, tmp_path: Path) -> None:
    folder = tmp_path / "fda"
    folder.mkdir()
    shutil.copy(FIXTURES / "reference" / "fda_product_slice.txt", folder / "product.txt")
    shutil.copy(FIXTURES / "reference" / "fda_package_slice.txt", folder / "package.txt")
    outcomes = app_data.reference.import_files([folder / "product.txt", folder / "package.txt"])
    assert all(outcome.error is None for outcome in outcomes)


def test_without_reference_data_the_check_says_what_it_skipped(app_data: AppData) -> None:
    findings = checks.file_findings(app_data, OFF_LABEL, today=date(2026, 4, 20))
    assert "REFERENCE_DATA_NOT_LOADED" in {f.code for f in findings}
    assert "SPECIFIC_HCPCS_EXISTS" not in {f.code for f in findings}


def test_off_label_use_of_a_coded_drug_is_told_its_code(app_data: AppData, tmp_path: Path) -> None:
    """Off-label use keeps the drug's own code (domain.md section 13): Rituxan is J9312."""
    _load_fda_directory(app_data, tmp_path)
    app_data.reference.import_files([CROSSWALK_2026Q1])
    findings = checks.file_findings(app_data, OFF_LABEL, today=date(2026, 4, 20))
    specific = [f for f in findings if f.code == "SPECIFIC_HCPCS_EXISTS"]
    assert specific and "J9312" in specific[0].message and "off-label" in specific[0].message
    assert "REFERENCE_DATA_NOT_LOADED" not in {f.code for f in findings}


def test_new_quarter_lists_unsubmitted_lines_that_now_have_a_code(app_data: AppData) -> None:
    claim = claim_json.load_claim_file(OFF_LABEL)
    draft_id = claims.create_claim(app_data, claim)
    submitted = dataclasses.replace(claim, status=claim.status.SUBMITTED)
    claims.create_claim(app_data, submitted)
    outcomes = app_data.reference.import_files([CROSSWALK_2026Q1])
    summaries = [o.summary for o in outcomes if o.summary is not None]
    assert recheck.new_quarter_starts(summaries) == [date(2026, 1, 1)]
    hits = recheck.recheck_unsubmitted(app_data, date(2026, 1, 1))
    assert [(hit.line.claim_id, hit.line.line_index) for hit in hits] == [(draft_id, 0)]
    assert [m.code for m in hits[0].mappings] == ["J9312"]
