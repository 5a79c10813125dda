"""Every released schema, filled with data, upgrades to the newest one without losing a row.

`tests/fixtures/schemas/claims-<revision>.sqlite` is a clinic database as revision <revision>
wrote it. 0001 holds the four example claims as the released app imported them; 0002 and later
are made by `python -m tests.fixtures.schemas.make_fixture <revision>` and also hold attachments,
packet exports, claim events, users and CARC/RARC codes (whatever that schema has). Add one
whenever a migration is released: a test below fails until you do.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from j3490_desk.domain import claim as domain
from j3490_desk.paths import resources_dir
from j3490_desk.services import claim_json, claims
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage import audit
from j3490_desk.storage.database import MIGRATIONS_DIR, SCHEMA_HEAD, current_revision

SCHEMAS = sorted((Path(__file__).parents[1] / "fixtures" / "schemas").glob("claims-*.sqlite"))
EXAMPLES = sorted((resources_dir() / "examples").glob("*.json"))
# Columns a migration reshapes on purpose ({table: {column, ...}}): their old values are not
# expected unchanged. None so far; a migration that converts a column names it here.
RESHAPED: dict[str, set[str]] = {}

Rows = dict[str, dict[Any, dict[str, Any]]]


def released_revisions() -> set[str]:
    """Every revision in Alembic's history: each was shipped once it reached a release."""
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    return {script.revision for script in scripts.walk_revisions()}


def test_there_is_one_fixture_per_released_schema() -> None:
    assert {path.stem.removeprefix("claims-") for path in SCHEMAS} == released_revisions()


def _rows(database: Path) -> Rows:
    """Every row of every table (but Alembic's own), by primary key, as plain column values."""
    with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT IN ('alembic_version', 'sqlite_sequence', 'sqlite_stat1')"
            )
        ]
        return {
            table: {row["id"]: dict(row) for row in connection.execute(f'SELECT * FROM "{table}"')}
            for table in tables
        }


def _check(database: Path, pragma: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute(f"PRAGMA {pragma}").fetchall()


def _without_ids(claim: domain.Claim) -> domain.Claim:
    lines = tuple(dataclasses.replace(line, id=None) for line in claim.drug_lines)
    return dataclasses.replace(claim, id=None, drug_lines=lines)


def _as_released_before_0005(claim: domain.Claim) -> domain.Claim:
    """Until 0005 the examples said their invoice and order were "attached" (with no file);
    since then they say the paper is on file at the clinic."""

    def line_then(line: domain.DrugLine) -> domain.DrugLine:
        return dataclasses.replace(
            line,
            invoice=dataclasses.replace(line.invoice, attached=True, on_file=False),
            prescription=dataclasses.replace(line.prescription, attached=True, on_file=False),
        )

    return dataclasses.replace(claim, drug_lines=tuple(map(line_then, claim.drug_lines)))


def _as_released_before_0008(claim: domain.Claim) -> domain.Claim:
    """Until 0008 a claim had no 837P fields: they read as their defaults."""
    return dataclasses.replace(
        claim, patient_details=domain.PatientDetails(), documents_sent=domain.DocumentsSent.NONE
    )


@pytest.mark.sqlite_only
@pytest.mark.parametrize("fixture", SCHEMAS, ids=[p.stem for p in SCHEMAS])
def test_old_database_upgrades_with_every_row_intact(fixture: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    database = data_dir / "claims.sqlite"
    shutil.copy(fixture, database)
    before = _rows(database)
    assert before["claim"] and before["drug_line"] and before["audit_entry"], "an empty fixture"

    data = open_app_data(data_dir)
    try:
        assert current_revision(database) == SCHEMA_HEAD
        for claim_id in before["claim"]:
            stored = claims.get_claim(data, claim_id)
            # the claim JSON export works, and reads back as the same claim
            exported = json.loads(json.dumps(claims.export_claim_json(data, claim_id)))
            assert _without_ids(claim_json.claim_from_json(exported)) == _without_ids(stored), (
                claim_id
            )
        for claim_id, example in enumerate(EXAMPLES, start=1):
            stored = claims.get_claim(data, claim_id)
            expected = claim_json.load_claim_file(example)
            if fixture.stem < "claims-0005":
                expected = _as_released_before_0005(expected)
            if fixture.stem < "claims-0008":
                expected = _as_released_before_0008(expected)
            # payers are saved records matched by name: two examples share one
            assert stored.payer.name == expected.payer.name
            # later fixtures have moved the example claims on (submitted, paid, denied)
            expected = dataclasses.replace(
                expected, payer=stored.payer, status=stored.status, submitted_on=stored.submitted_on
            )
            assert _without_ids(stored) == expected, example.name
        with data.db.read() as session:
            assert audit.verify_chain(session) == []
    finally:
        data.close()

    assert _check(database, "integrity_check") == [("ok",)]
    assert _check(database, "foreign_key_check") == []
    after = _rows(database)
    for table, rows in before.items():
        assert table in after, f"table {table} is gone"
        assert after[table].keys() == rows.keys(), f"rows of {table} were added or lost"
        kept = set(next(iter(rows.values()), {})) - RESHAPED.get(table, set())
        for key, row in rows.items():
            now = {column: after[table][key][column] for column in kept}
            assert now == {column: row[column] for column in kept}, f"{table} row {key} changed"
    if fixture.stem != f"claims-{SCHEMA_HEAD}":
        assert list((data_dir / "backups").glob("claims-before-migration-*.sqlite"))
