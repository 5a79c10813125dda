"""The ten-items page as a reviewer reads it: a long section (here item 4, the medical
necessity, with the clinic's long notes) starts where it is and splits, its heading with the
first rows, instead of jumping whole to the next page and leaving this one nearly empty."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.platypus import SimpleDocTemplate

from j3490_desk.export.packet_view import PacketView
from j3490_desk.export.styles import para, styles
from j3490_desk.export.ten_items import ten_items
from tests.domain import scenarios
from tests.domain.scenarios import Scenario
from tests.export.test_packet_scenarios import packet_input, page_texts

NOTE = (
    "Fever to 39.8 C, splenomegaly, ferritin 18,400 ng/mL, triglycerides 412 mg/dL, "
    "fibrinogen 1.1 g/L and soluble CD25 9,800 U/mL on day 21 of HLH-94 induction. "
)
ITEM_4 = "Item 4. Medical necessity"


def _long_necessity() -> Scenario:
    """The rare biologic with long necessity notes (each under the 2,000-character limit)."""
    scenario = scenarios.rare_biologic()
    necessity = replace(
        scenario.claim.medical_necessity,
        prior_treatments=NOTE * 6,
        why_standard_failed=NOTE * 6,
        rationale=NOTE * 6,
    )
    return replace(scenario, claim=replace(scenario.claim, medical_necessity=necessity))


@pytest.mark.parametrize("filler", [0, 3])
def test_a_long_ten_items_section_splits_with_its_heading(filler: int, tmp_path: Path) -> None:
    """`filler` paragraphs move where items 1 to 3 end; item 4 starts right after them."""
    view = PacketView.of(packet_input(_long_necessity(), tmp_path), ())
    s = styles()
    output = BytesIO()
    story = [para("Filler paragraph. " * 40, s.body) for _ in range(filler)]
    SimpleDocTemplate(output, pagesize=letter).build([*story, *ten_items(view, {})])
    pages = page_texts(output.getvalue())
    item_3 = next(p for p in pages if "Item 3." in p)
    assert ITEM_4 in item_3  # no page left with only items 1 to 3 on it
    assert "Diagnoses (ICD-10-CM)" in item_3.split(ITEM_4, 1)[1]  # the heading has its rows
    assert "Rationale" not in item_3  # and the section does go on overleaf
