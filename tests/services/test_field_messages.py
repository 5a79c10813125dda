"""The sanity findings (domain/sanity.py) are shown beside the field the clerk confirms or
changes, on the step where that field is, not only at the top of the step."""

from __future__ import annotations

import pytest

from j3490_desk.domain.check import check_claim
from j3490_desk.domain.findings import Severity
from j3490_desk.services import drafts
from tests.domain.test_check import CASES, _line, _run

# code -> (the field its message sits beside, the drug-line item whose step holds that field)
SANITY_FIELDS = {
    "WASTE_DWARFS_DOSE": ("waste.amount", "8"),
    "INFUSION_ADD_ON_HOURS_MISSING": ("administration.cpt_code", "9"),
}


@pytest.mark.parametrize("code", sorted(SANITY_FIELDS))
def test_a_sanity_finding_sits_beside_its_field_on_its_step(code: str) -> None:
    field, item = SANITY_FIELDS[code]
    finding = next(f for f in _run(CASES[code]()) if f.code == code)
    assert finding.severity is Severity.WARNING
    assert drafts.field_of(finding) == (0, field)
    assert drafts.step_of(finding) == drafts.line_step(0, item)


def test_typing_the_add_on_hour_beside_the_code_clears_the_field_message() -> None:
    claim, today, facts = CASES["INFUSION_ADD_ON_HOURS_MISSING"]()[:3]
    field = (0, "administration.cpt_code")
    message = drafts.field_problems(claim, check_claim(claim, today=today, facts=facts))[field]
    assert "Warning" in message and "+96366" in message
    fixed = _line(claim, administration__cpt_code="96365 96366")
    assert field not in drafts.field_problems(fixed, check_claim(fixed, today=today, facts=facts))
