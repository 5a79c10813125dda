"""The example claims shipped in resources/examples are the four scenarios, and load cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from j3490_desk.cli import run
from j3490_desk.paths import resources_dir
from j3490_desk.services import claim_json
from tests.domain import scenarios

EXAMPLES = {
    "1-new-immunotherapy.json": scenarios.new_immunotherapy,
    "2-compound-three-drugs.json": scenarios.compound_trimix,
    "3-off-label-use.json": scenarios.off_label_rituximab,
    "4-rare-biologic-infusion.json": scenarios.rare_biologic,
}


def test_every_example_is_a_scenario() -> None:
    assert sorted(p.name for p in (resources_dir() / "examples").glob("*.json")) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_file_equals_its_scenario(name: str) -> None:
    loaded = claim_json.load_claim_file(resources_dir() / "examples" / name)
    assert loaded == EXAMPLES[name]().claim, f"regenerate resources/examples/{name}"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_imports_and_checks_from_the_cli(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = EXAMPLES[name]()
    data_dir = str(tmp_path / "data")
    path = str(resources_dir() / "examples" / name)
    assert run(["--data-dir", data_dir, "claim", "import", path]) == 0
    claim_id = capsys.readouterr().out.strip()
    status = run(
        [
            "--data-dir",
            data_dir,
            "claim",
            "check",
            claim_id,
            "--json",
            "--today",
            scenario.today.isoformat(),
        ]
    )
    findings = json.loads(capsys.readouterr().out)
    assert {"code", "severity", "item", "message", "fix", "line", "source"} <= set(findings[0])
    assert status == (1 if any(f["severity"] == "blocker" for f in findings) else 0)
