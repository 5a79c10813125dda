"""Migration 0002 adds the packet_export table; a database at 0001 upgraded to the head keeps
its claims."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from j3490_desk.paths import DataPaths
from j3490_desk.storage.database import SCHEMA_HEAD, current_revision, migrate, open_database


def test_database_at_0001_upgrades_keeping_its_claim(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    migrate(paths, to_revision="0001")
    with sqlite3.connect(paths.database) as connection:
        connection.execute(
            "INSERT INTO patient (name, member_id, created_at)"
            " VALUES ('Roe, Jane', 'M1', '2026-01-01T00:00:00+00:00')"
        )
        connection.execute(
            "INSERT INTO claim (patient_id, date_of_service, place_of_service, status,"
            " prior_auth_status, prior_auth_number, icd10_codes, prior_treatments,"
            " why_standard_failed, necessity_rationale, resume_step, created_at, updated_at)"
            " VALUES (1, '2026-01-05', '11', 'draft', 'not_requested', '', 'C43.9', '', '', '',"
            " '', '2026-01-05T00:00:00+00:00', '2026-01-05T00:00:00+00:00')"
        )
    connection.close()

    open_database(paths).dispose()  # migrates to the head, after a backup

    assert current_revision(paths.database) == SCHEMA_HEAD  # 0002 and any later ones
    assert list(paths.backups.glob("claims-before-migration-0001-*.sqlite"))
    with sqlite3.connect(paths.database) as connection:
        connection.execute("PRAGMA foreign_keys=ON")
        assert connection.execute("SELECT id, icd10_codes FROM claim").fetchall() == [(1, "C43.9")]
        connection.execute(
            "INSERT INTO packet_export (claim_id, exported_at, exported_by, sha256,"
            " control_number, page_count, file_name, draft)"
            " VALUES (1, '2026-01-06T09:00:00-05:00', 'clerk', 'ab', '20260106-1-AB', 9, 'p.pdf', 0)"
        )
        connection.execute("DELETE FROM claim WHERE id = 1")
        assert connection.execute("SELECT count(*) FROM packet_export").fetchone() == (0,)
    connection.close()
