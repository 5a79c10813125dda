"""The store refuses what it must not touch, and keeps what it stores."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from j3490_desk.errors import (
    DatabaseDamagedError,
    DataFolderError,
    DataInUseError,
    NewerDatabaseError,
    StorageError,
)
from j3490_desk.models import AuditEntry, Patient
from j3490_desk.paths import DataPaths
from j3490_desk.services import checks, claims, encryption
from j3490_desk.services.app_data import AppData, open_app_data, open_app_data_to_read
from j3490_desk.storage import audit, claim_list
from j3490_desk.storage.connections import connect
from j3490_desk.storage.database import (
    SCHEMA_HEAD,
    FolderNotWritableError,
    backup_before_migration,
    head_revision,
    migrate,
    open_database,
)
from tests.sample_claims import sample_claim

SCHEMAS = Path(__file__).parents[1] / "fixtures" / "schemas"
PASSPHRASE = "tidy walrus lantern quiet"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_wal_with_foreign_keys(tmp_path: Path) -> None:
    db = open_database(DataPaths(tmp_path))
    with db.read() as session:
        assert session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def test_write_rolls_back_as_one_unit(tmp_path: Path) -> None:
    db = open_database(DataPaths(tmp_path))
    with pytest.raises(RuntimeError), db.write() as session:
        session.add(Patient(name="A"))
        session.flush()
        raise RuntimeError("fail mid-way")
    with db.read() as session:
        assert session.exec(select(Patient)).all() == []
    db.dispose()


@pytest.mark.parametrize(
    "content",
    [b"", b"%PDF-1.7 not a database", b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 200],
    ids=["empty", "foreign", "damaged"],
)
def test_foreign_or_damaged_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    paths = DataPaths(tmp_path)
    paths.database.write_bytes(content)
    before = _digest(paths.database)
    with pytest.raises(DatabaseDamagedError) as caught:
        open_database(paths)
    assert "not changed" in caught.value.hint
    assert _digest(paths.database) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.sqlite"]


def test_other_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    with sqlite3.connect(paths.database) as connection:
        connection.execute("CREATE TABLE songs (title TEXT)")
    before = _digest(paths.database)
    with pytest.raises(DatabaseDamagedError, match="some other program"):
        open_database(paths)
    assert _digest(paths.database) == before


def test_database_from_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    open_database(paths).dispose()
    with sqlite3.connect(paths.database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    before = _digest(paths.database)
    with pytest.raises(NewerDatabaseError, match="newer version"):
        open_database(paths)
    assert _digest(paths.database) == before


def test_unwritable_data_folder_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, where chmod cannot take write access away; simulate the OS's answer.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(DataFolderError, match="cannot be written"):
        open_database(DataPaths(tmp_path))


def test_rows_survive_upgrade_from_first_revision(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    paths.root.mkdir(exist_ok=True)
    migrate(paths, to_revision="0001")
    with sqlite3.connect(paths.database) as connection:
        connection.execute(
            "INSERT INTO patient (name, member_id, created_at) VALUES ('Roe, Jane', 'M1', '2026-01-01T00:00:00+00:00')"
        )
        connection.execute(
            "INSERT INTO claim (patient_id, date_of_service, place_of_service, status, prior_auth_status,"
            " prior_auth_number, icd10_codes, prior_treatments, why_standard_failed,"
            " necessity_rationale, resume_step, created_at, updated_at)"
            " VALUES (1, '2026-01-05', '11', 'draft', 'not_requested', '', 'C43.9', '', '', '', '',"
            " '2026-01-05T00:00:00+00:00', '2026-01-05T00:00:00+00:00')"
        )
    connection.close()
    migrate(paths)
    with sqlite3.connect(paths.database) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
        assert connection.execute("SELECT name, member_id FROM patient").fetchall() == [
            ("Roe, Jane", "M1")
        ]
        assert connection.execute("SELECT patient_id, icd10_codes FROM claim").fetchall() == [
            (1, "C43.9")
        ]
    connection.close()


def test_backup_before_migration_is_a_complete_copy(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    db = open_database(paths)
    with db.write() as session:
        session.add(Patient(name="Kept"))
    db.dispose()
    backup = backup_before_migration(paths, "0001")
    assert backup.parent == paths.backups and not list(paths.backups.glob("*.partial"))
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT name FROM patient").fetchall() == [("Kept",)]
    connection.close()


def test_second_window_on_same_folder_is_refused(tmp_path: Path) -> None:
    first = open_app_data(tmp_path, exclusive=True)
    try:
        with pytest.raises(DataInUseError, match="in use"):
            open_app_data(tmp_path, exclusive=True)
        shared = open_app_data(tmp_path)  # the CLI shares the folder through SQLite's locking
        shared.close()
    finally:
        first.close()
    open_app_data(tmp_path, exclusive=True).close()  # the lock went with the first window


def test_audit_chain_detects_an_edited_entry(tmp_path: Path) -> None:
    db = open_database(DataPaths(tmp_path))
    with db.write() as session:
        for n in range(3):
            audit.record(session, user="u", action="create", entity="patient", entity_id=n)
    with db.read() as session:
        assert audit.verify_chain(session) == []
    with db.write() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity_id == 1)).one()
        entry.user = "someone else"
    with db.read() as session:
        broken = audit.verify_chain(session)
    assert [b.entry_id for b in broken] == [2]
    db.dispose()


def test_audit_chain_holds_after_a_rolled_back_savepoint(tmp_path: Path) -> None:
    """`record` follows the entry its session appended last without asking the database;
    an entry a savepoint rolled back must not become the next one's predecessor."""
    db = open_database(DataPaths(tmp_path))
    with db.write() as session:
        audit.record(session, user="u", action="create", entity="patient", entity_id=1)
        savepoint = session.begin_nested()
        audit.record(session, user="u", action="create", entity="patient", entity_id=2)
        savepoint.rollback()
        audit.record(session, user="u", action="create", entity="patient", entity_id=3)
    with db.read() as session:
        assert audit.verify_chain(session) == []
        kept = session.exec(select(AuditEntry.entity_id).order_by(col(AuditEntry.id))).all()
    assert kept == [1, 3]
    db.dispose()


def test_audit_chain_holds_when_another_seat_appends_between_transactions(tmp_path: Path) -> None:
    """A session remembers the entry it appended last only until its transaction ends: another
    process (here a second database handle) may append before the session's next transaction."""
    first = open_database(DataPaths(tmp_path))
    second = open_database(DataPaths(tmp_path))
    session = Session(first.engine(immediate=True), expire_on_commit=False)
    try:
        with session.begin():
            audit.record(session, user="a", action="create", entity="patient", entity_id=1)
        with second.write() as other:
            audit.record(other, user="b", action="create", entity="patient", entity_id=2)
        with session.begin():
            audit.record(session, user="a", action="create", entity="patient", entity_id=3)
    finally:
        session.close()
    with first.read() as reading:
        assert audit.verify_chain(reading) == []
    first.dispose()
    second.dispose()


def test_schema_head_constant_is_alembics_head() -> None:
    assert head_revision() == SCHEMA_HEAD, "update SCHEMA_HEAD in storage/database.py"


# --- a data folder that cannot be written to: read as it is ---------------------------------


def _refuse_write_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the OS answers in a folder the user may not write (tests run as root, where chmod
    cannot take write access away; tests/reliability/test_read_only_folder.py does it for real)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)


def _folder_with_a_claim(root: Path, passphrase: str | None = None) -> int:
    data = open_app_data(root)
    try:
        claim_id = claims.create_claim(data, sample_claim())
    finally:
        data.close()
    if passphrase is not None:
        encryption.enable(root, passphrase)
    return claim_id


def _every_file(root: Path) -> dict[str, str]:
    return {path.name: _digest(path) for path in root.rglob("*") if path.is_file()}


@pytest.mark.sqlite_only
def test_read_only_database_reads_writes_nothing_and_refuses_a_save(tmp_path: Path) -> None:
    claim_id = _folder_with_a_claim(tmp_path)
    before = _every_file(tmp_path)

    db = open_database(DataPaths(tmp_path), read_only=True)
    try:
        assert db.read_only
        with db.read() as session:
            assert session.exec(select(Patient.name)).all() == ["Roe, Jane"]
        with db.read_plain() as connection:
            assert connection.execute("SELECT id FROM claim").fetchall() == [(claim_id,)]
        with pytest.raises(StorageError, match="cannot be written"), db.write() as session:
            session.add(Patient(name="Never saved"))
    finally:
        db.dispose()
    assert _every_file(tmp_path) == before  # not even SQLite's -wal and -shm


@pytest.mark.sqlite_only
def test_read_only_commands_fall_back_to_reading_an_unwritable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim_id = _folder_with_a_claim(tmp_path)
    before = _every_file(tmp_path)
    _refuse_write_test(monkeypatch)

    with pytest.raises(FolderNotWritableError, match="cannot be written"):
        open_app_data(tmp_path)  # a command that writes is refused, as before
    data = open_app_data_to_read(tmp_path)
    try:
        assert data.db.read_only
        findings = checks.claim_findings(data, claim_id)  # the counts are not kept: no error
        assert claims.get_claim(data, claim_id).patient.name == "Roe, Jane"
    finally:
        data.close()
    assert findings
    assert _every_file(tmp_path) == before


def test_unwritable_folder_without_a_database_keeps_the_clear_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refuse_write_test(monkeypatch)
    with pytest.raises(FolderNotWritableError, match="cannot be written"):
        open_app_data_to_read(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_writable_folder_is_opened_as_usual_by_the_read_commands(tmp_path: Path) -> None:
    _folder_with_a_claim(tmp_path)
    data = open_app_data_to_read(tmp_path)
    try:
        assert not data.db.read_only
    finally:
        data.close()


@pytest.mark.sqlite_only
def test_encrypted_folder_reads_through_its_key_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim_id = _folder_with_a_claim(tmp_path, passphrase=PASSPHRASE)
    before = _every_file(tmp_path)
    _refuse_write_test(monkeypatch)

    data = open_app_data_to_read(tmp_path, passphrase=PASSPHRASE)
    try:
        assert data.db.read_only and data.db.key is not None
        assert claims.get_claim(data, claim_id).patient.name == "Roe, Jane"
        with data.db.read_plain() as connection:
            assert connection.execute("SELECT count(*) FROM claim").fetchone() == (1,)
    finally:
        data.close()
    assert _every_file(tmp_path) == before


def test_read_only_open_refuses_an_older_schema_it_cannot_upgrade(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    shutil.copy(SCHEMAS / "claims-0003.sqlite", paths.database)
    before = _every_file(tmp_path)
    with pytest.raises(DataFolderError, match="cannot be upgraded in place") as caught:
        open_database(paths, read_only=True)
    assert "write permission" in caught.value.hint
    assert _every_file(tmp_path) == before


def test_read_only_open_refuses_a_newer_schema(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    open_database(paths).dispose()
    with closing(sqlite3.connect(paths.database)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(NewerDatabaseError, match="newer version"):
        open_database(paths, read_only=True)


@pytest.mark.sqlite_only
def test_read_only_open_refuses_changes_it_would_not_see(tmp_path: Path) -> None:
    """An immutable connection ignores claims.sqlite-wal: the claim saved last would be missing."""
    _folder_with_a_claim(tmp_path)
    paths = DataPaths(tmp_path)
    with closing(sqlite3.connect(paths.database, isolation_level=None)) as connection:
        connection.execute("PRAGMA wal_autocheckpoint=0")
        connection.execute("UPDATE patient SET name = 'Roe, Janet'")
        assert Path(f"{paths.database}-wal").stat().st_size > 0
        with pytest.raises(DataFolderError, match=r"claims\.sqlite-wal") as caught:
            open_database(paths, read_only=True)
    assert "write permission" in caught.value.hint


# --- statistics for the query planner, kept up to date on close ------------------------------


def _add_claims(data: AppData, count: int) -> None:
    """`count` claims, a third of them with a prior authorization ending within the year,
    straight into the file (through the folder's key, if it has one)."""
    rows = [
        (
            f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            ("draft", "ready", "submitted", "paid", "denied", "closed")[n % 6],
            f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}" if n % 3 == 0 else None,
        )
        for n in range(count)
    ]
    with closing(connect(data.db.path, data.db.key)) as connection, connection:
        connection.executemany(
            "INSERT INTO claim (date_of_service, place_of_service, status, prior_auth_status,"
            " prior_auth_number, prior_auth_valid_to, icd10_codes, prior_treatments,"
            " why_standard_failed, necessity_rationale, resume_step, created_at, updated_at)"
            " VALUES (?, '11', ?, 'approved', '', ?, '', '', '', '', '',"
            " '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
            rows,
        )


def _prior_auth_queue_plan(data: AppData) -> list[str]:
    where = claim_list.QUEUE_SQL["prior_auth_expiring"]
    sql = f"{claim_list.SELECT_SQL} WHERE {where} ORDER BY claim.date_of_service DESC LIMIT 200"
    queue_params = {"today": "2026-03-16", "auth_by": "2026-03-30"}
    with data.db.read_plain() as connection:
        return [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", queue_params)]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
def test_closing_keeps_statistics_so_the_prior_auth_queue_uses_its_index(
    tmp_path: Path, passphrase: str | None
) -> None:
    """Nothing else runs ANALYZE: without statistics the planner reads the queue through
    ix_claim_status, visiting nearly every open claim."""
    if passphrase is not None:
        open_app_data(tmp_path).close()
        encryption.enable(tmp_path, passphrase)
    data = open_app_data(tmp_path, passphrase=passphrase)
    data.close()  # a new folder: its empty tables give no statistics yet
    data = open_app_data(tmp_path, passphrase=passphrase)
    try:
        _add_claims(data, 300)
        assert "ix_claim_status" in _prior_auth_queue_plan(data)[0]  # no statistics: the guess
    finally:
        data.close()

    data = open_app_data(tmp_path, passphrase=passphrase)
    try:
        plan = _prior_auth_queue_plan(data)
    finally:
        data.close()
    assert plan[0].startswith("SEARCH claim USING INDEX ix_claim_prior_auth_valid_to"), plan


@pytest.mark.sqlite_only
def test_closing_rewrites_nothing_while_the_statistics_hold(tmp_path: Path) -> None:
    data = open_app_data(tmp_path)
    _add_claims(data, 300)
    data.close()
    before = _every_file(tmp_path)

    open_database(DataPaths(tmp_path)).dispose()

    assert _every_file(tmp_path) == before


def test_closing_swallows_a_database_it_cannot_analyse(tmp_path: Path) -> None:
    db = open_database(DataPaths(tmp_path))
    db.path.write_bytes(b"not a database any more")  # replaced under it, say by a restore

    db.dispose()  # the statistics wait for the next close; nothing raised, nothing rewritten

    assert db.path.read_bytes() == b"not a database any more"
