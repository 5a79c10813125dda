"""Every released schema, filled with data, upgrades to the newest one without losing a row.

`tests/fixtures/schemas/claims-<revision>.sqlite` is a clinic database as revision <revision>
wrote it, holding the four example claims. Add one whenever a migration is released.
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import pytest

from j3490_desk.paths import resources_dir
from j3490_desk.services import claim_json, claims
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage.database import SCHEMA_HEAD, current_revision

SCHEMAS = sorted((Path(__file__).parents[1] / "fixtures" / "schemas").glob("claims-*.sqlite"))
EXAMPLES = sorted((resources_dir() / "examples").glob("*.json"))


def test_there_is_a_fixture_for_the_first_schema() -> None:
    assert SCHEMAS and SCHEMAS[0].name == "claims-0001.sqlite"


@pytest.mark.parametrize("fixture", SCHEMAS, ids=[p.stem for p in SCHEMAS])
def test_old_database_upgrades_with_every_claim_intact(fixture: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(fixture, data_dir / "claims.sqlite")
    data = open_app_data(data_dir)
    try:
        assert current_revision(data.paths.database) == SCHEMA_HEAD
        for claim_id, example in enumerate(EXAMPLES, start=1):
            stored = claims.get_claim(data, claim_id)
            lines = tuple(dataclasses.replace(line, id=None) for line in stored.drug_lines)
            expected = claim_json.load_claim_file(example)
            # payers are saved records matched by name: two examples share one
            assert stored.payer.name == expected.payer.name
            expected = dataclasses.replace(expected, payer=stored.payer)
            assert dataclasses.replace(stored, id=None, drug_lines=lines) == expected, example.name
    finally:
        data.close()
    with sqlite3.connect(data_dir / "claims.sqlite") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    if fixture.stem != f"claims-{SCHEMA_HEAD}":
        assert list((data_dir / "backups").glob("claims-before-migration-*.sqlite"))
