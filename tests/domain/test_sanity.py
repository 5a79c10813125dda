"""The two sanity checks (domain/sanity.py): warnings that ask to confirm, cleared by their fix.

Claims are the example scenarios, with reference facts read from the fixture slices.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from j3490_desk.domain.check import check_claim
from j3490_desk.domain.claim import Administration, Claim, DrugLine
from j3490_desk.domain.findings import Finding, Severity
from tests.domain import scenarios


def _with_line(claim: Claim, index: int, line: DrugLine) -> Claim:
    lines = list(claim.drug_lines)
    lines[index] = line
    return replace(claim, drug_lines=tuple(lines))


def _findings(scenario: scenarios.Scenario, claim: Claim) -> list[Finding]:
    return check_claim(claim, today=scenario.today, facts=scenario.facts)


def _blockers(findings: list[Finding]) -> set[tuple[str, int | None]]:
    return {(f.code, f.line) for f in findings if f.severity is Severity.BLOCKER}


def test_waste_that_dwarfs_the_dose_is_a_warning_to_confirm() -> None:
    scenario = scenarios.compound_trimix()  # alprostadil: 10 mcg given, 490 mcg discarded
    findings = _findings(scenario, scenario.claim)
    found = [f for f in findings if f.code == "WASTE_DWARFS_DOSE"]
    assert [(f.severity, f.line, f.item) for f in found] == [(Severity.WARNING, 2, "8")]
    assert "$254.80 of waste on a $5.20 dose" in found[0].message
    assert "490 mcg" in found[0].message and "10 mcg" in found[0].message
    assert "cms.gov" in found[0].source

    # The fix: the record shows a 20 mcg vial was used, with 10 mcg of it discarded.
    alprostadil = scenario.claim.drug_lines[2]
    fixed_line = replace(
        alprostadil,
        package=replace(alprostadil.package, amount=Decimal("20"), volume_ml=Decimal("1")),
        waste=replace(alprostadil.waste, amount=Decimal("10")),
    )
    fixed = _findings(scenario, _with_line(scenario.claim, 2, fixed_line))
    assert "WASTE_DWARFS_DOSE" not in {f.code for f in fixed}
    assert _blockers(fixed) <= _blockers(findings)


def test_waste_below_ten_times_the_dose_passes() -> None:
    scenario = scenarios.compound_trimix()  # phentolamine: 1 mg given, 4 mg discarded
    findings = _findings(scenario, scenario.claim)
    assert not [f for f in findings if f.code == "WASTE_DWARFS_DOSE" and f.line != 2]


def test_long_infusion_without_add_on_hours_is_a_warning() -> None:
    scenario = scenarios.off_label_rituximab()  # 96413 from 09:00 to 13:15
    findings = _findings(scenario, scenario.claim)
    found = [f for f in findings if f.code == "INFUSION_ADD_ON_HOURS_MISSING"]
    assert [(f.severity, f.line, f.item) for f in found] == [(Severity.WARNING, 0, "9")]
    assert "4 h 15 min" in found[0].message and "3 hour(s) of +96415" in found[0].message

    line = scenario.claim.drug_lines[0]
    fixed_line = replace(line, administration=replace(line.administration, cpt_code="96413 96415"))
    fixed = _findings(scenario, _with_line(scenario.claim, 0, fixed_line))
    assert "INFUSION_ADD_ON_HOURS_MISSING" not in {f.code for f in fixed}
    assert _blockers(fixed) <= _blockers(findings)


@pytest.mark.parametrize(
    ("minutes", "warned"),
    [(65, False), (90, False), (91, True), (150, True)],
)
def test_add_on_hour_only_past_thirty_minutes_beyond_the_hour(minutes: int, warned: bool) -> None:
    scenario = scenarios.rare_biologic()  # 96365 from 09:30
    line = scenario.claim.drug_lines[0]
    start = line.administration.start
    assert start is not None
    timed = replace(
        line,
        administration=Administration(start, start + timedelta(minutes=minutes), "96365"),
    )
    findings = _findings(scenario, _with_line(scenario.claim, 0, timed))
    assert ("INFUSION_ADD_ON_HOURS_MISSING" in {f.code for f in findings}) is warned


def test_rare_biologic_infusion_of_65_minutes_needs_no_add_on() -> None:
    scenario = scenarios.rare_biologic()
    start = scenario.claim.drug_lines[0].administration.start
    assert isinstance(start, datetime)
    codes = {f.code for f in _findings(scenario, scenario.claim)}
    assert "INFUSION_ADD_ON_HOURS_MISSING" not in codes


def test_add_on_hours_typed_beside_the_code_keep_the_infusion_checks() -> None:
    scenario = scenarios.off_label_rituximab()
    line = scenario.claim.drug_lines[0]
    untimed = replace(line, administration=Administration(None, None, "96413, +96415"))
    findings = _findings(scenario, _with_line(scenario.claim, 0, untimed))
    missing = [f for f in findings if f.code == "INFUSION_TIMES_MISSING"]
    assert [f.severity for f in missing] == [Severity.BLOCKER]
    assert "96413" in missing[0].message
