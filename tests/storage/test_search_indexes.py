"""Migration 0004's search indexes: present after migrating, and used by the queries they serve.

What SQLite's planner does with them, checked with EXPLAIN QUERY PLAN on the SQL the work
queue really runs (storage/claim_list.py):

- The prior-auth queues use ix_claim_prior_auth_valid_to once SQLite has statistics
  (sqlite_stat1, made by ANALYZE; Database.dispose() keeps them, see test_database.py).
  Without them it prefers ix_claim_status, an equality index, even though seven of the
  statuses are "open" and so it visits nearly every claim.
- The claim search matches drug names anywhere in the name (LIKE '%term%'), which no B-tree
  index can seek; it scans ix_drug_line_name_search, which holds all it reads, instead of the
  much wider drug_line table.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from j3490_desk.paths import DataPaths
from j3490_desk.storage import claim_list
from j3490_desk.storage.database import open_database

CLAIMS = 3000
STATUSES = ("draft", "ready", "submitted", "paid", "denied", "corrected", "appealed", "closed")
DRUGS = (("Avastin", "bevacizumab"), ("Keytruda", "pembrolizumab"), ("Eylea", "aflibercept"))
TODAY = date(2026, 3, 16)


class Recorder:
    """A connection that remembers each statement, to ask SQLite how it would run it."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.statements: list[tuple[str, Any]] = []

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        self.statements.append((sql, parameters))
        return self.connection.execute(sql, parameters)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """A migrated database with a clinic's worth of claims and drug lines, analysed."""
    root = tmp_path_factory.mktemp("search-indexes")
    open_database(DataPaths(root)).dispose()
    rng = random.Random(4)
    claims, lines = [], []
    for n in range(1, CLAIMS + 1):
        served = date(2020, 1, 1) + timedelta(days=rng.randrange(2500))
        auth = served + timedelta(days=rng.randrange(200)) if n % 3 == 0 else None
        claims.append((n, served.isoformat(), rng.choice(STATUSES), auth and auth.isoformat()))
        brand, generic = rng.choice(DRUGS)
        lines.append((n, brand, generic, f"{rng.randrange(10**10):011d}"))
    with closing(sqlite3.connect(root / "claims.sqlite")) as connection:
        with connection:
            connection.executemany(
                "INSERT INTO claim (id, date_of_service, place_of_service, status,"
                " prior_auth_status, prior_auth_number, prior_auth_valid_to, icd10_codes,"
                " prior_treatments, why_standard_failed, necessity_rationale, resume_step,"
                " created_at, updated_at) VALUES (?, ?, '11', ?, 'approved', '', ?, '', '', '',"
                " '', '', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
                claims,
            )
            connection.executemany(
                "INSERT INTO drug_line (claim_id, position, brand_name, generic_name, ndc,"
                " strength, kind, hcpcs_code, modifiers, billed_units, acquisition, package_unit,"
                " container, ndc_unit_qualifier, invoice_supplier, invoice_number, invoice_drug,"
                " invoice_ndc, invoice_attached, dose_unit, route, prescriber,"
                " prescription_attached, fda_status, off_label, off_label_rationale,"
                " compendium_reference, lot_number, waste_reason, admin_cpt_code) VALUES"
                " (?, 0, ?, ?, ?, '', 'drug', 'J3490', '', '1', 'purchased', '', 'single_dose',"
                " '', '', '', '', '', 0, '', '', '', 0, 'unknown', 0, '', '', '', '', '')",
                lines,
            )
        connection.execute("ANALYZE")
        yield connection


def _plan(connection: sqlite3.Connection, sql: str, parameters: Any = ()) -> list[str]:
    return [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)]


def _indexed_columns(connection: sqlite3.Connection, table: str) -> dict[str, list[str]]:
    return {
        name: [row[2] for row in connection.execute(f"PRAGMA index_info('{name}')")]
        for _, name, *_ in connection.execute(f"PRAGMA index_list('{table}')")
    }


def test_migrated_database_has_the_search_indexes(tmp_path: Path) -> None:
    open_database(DataPaths(tmp_path)).dispose()
    with closing(sqlite3.connect(tmp_path / "claims.sqlite")) as connection:
        drug_line = _indexed_columns(connection, "drug_line")
        claim = _indexed_columns(connection, "claim")
    assert drug_line["ix_drug_line_claim_id"] == ["claim_id"]  # since 0001
    assert drug_line["ix_drug_line_ndc"] == ["ndc"]  # since 0001
    assert drug_line["ix_drug_line_name_search"] == ["brand_name", "generic_name", "claim_id"]
    assert claim["ix_claim_prior_auth_valid_to"] == ["prior_auth_valid_to"]
    assert len(drug_line) == 3 and len(claim) == 7, "no index beyond the ones named"


def test_models_declare_every_index_the_migrations_make(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import j3490_desk.models  # noqa: F401  (registers the tables)

    db = open_database(DataPaths(tmp_path))
    try:
        with db.engine(immediate=False).connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        db.dispose()


@pytest.mark.parametrize("sort", ["date_of_service", "prior_auth_valid_to"])
def test_prior_auth_expiring_queue_uses_its_index(database: sqlite3.Connection, sort: str) -> None:
    recorder = Recorder(database)
    days = claim_list.clinic_day_counts(database)
    queue_params = {
        "today": TODAY.isoformat(),
        "auth_by": (TODAY + timedelta(days=days["prior_auth_warning_days"])).isoformat(),
    }
    filters = {"queue": "prior_auth_expiring", "queue_params": queue_params}

    claim_list.claim_page(recorder, offset=0, limit=200, filters=filters, sort=sort)  # type: ignore[arg-type]

    page_sql, parameters = recorder.statements[0]
    plan = _plan(database, page_sql, parameters)
    assert any("USING INDEX ix_claim_prior_auth_valid_to" in step for step in plan), plan


@pytest.mark.parametrize("term", ["avast", "bevaciz", "no such drug"])
def test_claim_search_by_drug_name_scans_the_covering_index(
    database: sqlite3.Connection, term: str
) -> None:
    recorder = Recorder(database)

    claim_list.claim_page(recorder, offset=0, limit=200, filters={"search": term})  # type: ignore[arg-type]

    drug_hits_sql = claim_list.names_like(database, claim_list.DRUG_HITS_SQL)
    drug_hits = [(sql, p) for sql, p in recorder.statements if sql == drug_hits_sql]
    assert drug_hits, "the search looked up drug names"
    plan = _plan(database, *drug_hits[0])
    assert plan == ["SCAN drug_line USING COVERING INDEX ix_drug_line_name_search"]
