"""A data folder the clerk cannot write to, for real: the permissions are enforced by the kernel.

Root ignores file permissions, so when the suite runs as root the CLI is run as `nobody`
(uid 65534), on a folder that `nobody` owns but may not write: only the mode bits say no.
`subprocess.run(user=, group=)` does that where `nobody` can reach this Python; where it cannot
(pyenv under /root, mode 0700), unprivileged_cli.py starts as root and gives root up before the
command runs.
Either way, a write is refused with a message saying what is wrong and what to do (no
traceback), nothing in the folder changes, and no file is left behind.

The commands that only read (claim list, export-json, check; audit verify) still answer there:
they fall back to opening the database read-only and immutable (storage/database.py), as a WAL
database cannot otherwise be opened where SQLite may not create its -shm file. They change no
byte: `claim check` does not keep its readiness counts. A log of changes not yet merged into
the database (a non-empty claims.sqlite-wal) would be hidden from an immutable reader, so that
folder is refused, saying why.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from contextlib import closing, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from j3490_desk.cli import run
from j3490_desk.paths import resources_dir

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((resources_dir() / "examples").glob("*.json"))
TODAY = "2026-03-16"  # the day the read commands count deadlines from
NOBODY = 65534
IS_ROOT = os.geteuid() == 0


@dataclass
class Folder:
    data_dir: Path
    claim_ids: list[str]
    exported: dict[str, str]  # claim id -> `claim export-json` output before the test
    files: set[str]  # every path in the folder before the test
    digests: dict[str, str]  # every file's SHA-256 before the test (filled by `folder`)


def _world_reachable(path: Path, *, listable: bool = False) -> bool:
    """`nobody` can reach `path` (every folder above it searchable) and read it."""
    path = path.resolve()
    for parent in path.parents:
        if not parent.stat().st_mode & stat.S_IXOTH:
            return False
    needed = stat.S_IROTH | (stat.S_IXOTH if listable or path.is_dir() else 0)
    return path.stat().st_mode & needed == needed


def _interpreter_reachable() -> bool:
    """Can `nobody` start this Python and import our package and its libraries?"""
    places = [Path(sys.executable)]
    places += [Path(sysconfig.get_paths()[name]) for name in ("stdlib", "purelib", "platlib")]
    return all(_world_reachable(place) for place in [*places, ROOT, ROOT / "j3490_desk"])


def _cli(*arguments: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own, as a user the folder's permissions apply to."""
    command = ["--data-dir", str(data_dir), *arguments]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    options: dict[str, Any] = {}  # user= and group=, when root runs the tests
    if not IS_ROOT:
        program = [sys.executable, "-m", "j3490_desk"]
    elif _interpreter_reachable():
        program = [sys.executable, "-m", "j3490_desk"]
        options = {"user": NOBODY, "group": NOBODY}
    else:
        # Python lives where `nobody` cannot reach it (pyenv under /root): start as root, load
        # everything, then give up root before the command runs (see unprivileged_cli.py).
        program = [sys.executable, "-m", "tests.reliability.unprivileged_cli", str(NOBODY)]
        program.append(str(NOBODY))
    return subprocess.run(
        [*program, *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
        **options,
    )


def _every_path(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def _set_modes(folder: Path, *, folder_mode: int, file_mode: int) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(folder_mode if path.is_dir() else file_mode)


def _hand_to_nobody(folder: Path) -> None:
    """As root, `nobody` owns the folder: then only the modes set by a test can refuse a write."""
    if IS_ROOT:
        for place in [folder, *folder.rglob("*")]:
            os.chown(place, NOBODY, NOBODY)


def _run_here(*arguments: str, status: int = 0) -> str:
    """The CLI in this process, as the user running the tests (set-up and the final check)."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert run(list(arguments)) == status
    return out.getvalue()


@pytest.fixture(scope="module")
def template() -> Iterator[Folder]:
    """A data folder with three example claims, made once; each test works on a copy."""
    base = Path(tempfile.mkdtemp(prefix="j3490-read-only-template-", dir="/tmp"))
    data_dir = base / "data"
    claim_ids = [
        _run_here("--data-dir", str(data_dir), "claim", "import", str(example)).strip()
        for example in (EXAMPLES[0], EXAMPLES[1], EXAMPLES[3])
    ]
    exported = {
        claim_id: _run_here("--data-dir", str(data_dir), "claim", "export-json", claim_id)
        for claim_id in claim_ids
    }
    yield Folder(data_dir, claim_ids, exported, _every_path(data_dir), {})
    shutil.rmtree(base)


@pytest.fixture
def folder(template: Folder) -> Iterator[Folder]:
    base = Path(tempfile.mkdtemp(prefix="j3490-read-only-", dir="/tmp"))
    base.chmod(0o755)  # `nobody` must reach the data folder inside
    data_dir = base / "data"
    shutil.copytree(template.data_dir, data_dir)
    _hand_to_nobody(data_dir)
    assert _every_path(data_dir) == template.files
    digests = _digests(data_dir)
    try:
        yield Folder(data_dir, template.claim_ids, template.exported, template.files, digests)
    finally:
        _set_modes(data_dir, folder_mode=0o755, file_mode=0o644)
        shutil.rmtree(base)


def _assert_clear_refusal(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("j3490-desk: "), result.stderr
    assert "cannot be written" in result.stderr, result.stderr
    assert "write permission" in result.stderr, result.stderr  # ... and what to do


def _assert_intact_after_restoring(made: Folder, *, sqlite_files_allowed: bool = False) -> None:
    """Writable again: nothing was left behind, the database is healthy, every claim is as it
    was (the same `claim export-json` output)."""
    _set_modes(made.data_dir, folder_mode=0o755, file_mode=0o644)
    left = _every_path(made.data_dir) - made.files  # before anything here opens the database
    if sqlite_files_allowed:
        # SQLite's own shared-memory index and an empty log: nothing half-written
        assert left <= {"claims.sqlite-shm", "claims.sqlite-wal"}, left
        wal = made.data_dir / "claims.sqlite-wal"
        assert not wal.exists() or wal.stat().st_size == 0
    else:
        assert left == set(), left
        assert _digests(made.data_dir) == made.digests  # not one byte changed
    assert _every_path(made.data_dir) >= made.files
    database = made.data_dir / "claims.sqlite"
    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = [str(row[0]) for row in connection.execute("SELECT id FROM claim ORDER BY id")]
    assert stored == made.claim_ids
    for claim_id, before in made.exported.items():
        assert (
            _run_here("--data-dir", str(made.data_dir), "claim", "export-json", claim_id) == before
        )


def test_read_only_folder_refuses_a_write_clearly_and_changes_nothing(folder: Folder) -> None:
    _set_modes(folder.data_dir, folder_mode=0o555, file_mode=0o444)

    result = _cli("claim", "import", str(EXAMPLES[2]), data_dir=folder.data_dir)

    _assert_clear_refusal(result)
    assert str(folder.data_dir) in result.stderr  # which folder
    assert "Nothing in it was changed" in result.stderr
    _assert_intact_after_restoring(folder)


def test_read_only_folder_still_lists_exports_and_verifies(folder: Folder) -> None:
    _set_modes(folder.data_dir, folder_mode=0o555, file_mode=0o444)

    listed = _cli("claim", "list", "--json", "--today", TODAY, data_dir=folder.data_dir)
    exported = {
        claim_id: _cli("claim", "export-json", claim_id, data_dir=folder.data_dir)
        for claim_id in folder.claim_ids
    }
    audit = _cli("audit", "verify", data_dir=folder.data_dir)

    for result in (listed, *exported.values(), audit):
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    assert {str(row["id"]) for row in json.loads(listed.stdout)} == set(folder.claim_ids)
    assert {claim_id: result.stdout for claim_id, result in exported.items()} == folder.exported
    assert audit.stdout == "audit log intact\n"
    _assert_intact_after_restoring(folder)
    # the same list as where the folder can be written to (a read-only connection leaves
    # SQLite's -wal and -shm behind, so this runs only after the check that none were left)
    assert listed.stdout == _run_here(
        "--data-dir", str(folder.data_dir), "claim", "list", "--json", "--today", TODAY
    )


def test_read_only_folder_checks_a_claim_without_keeping_the_result(folder: Folder) -> None:
    """`claim check` keeps its counts for the work queue where it can; here it only reports."""
    claim_id = folder.claim_ids[0]
    _set_modes(folder.data_dir, folder_mode=0o555, file_mode=0o444)

    checked = _cli("claim", "check", claim_id, "--json", "--today", TODAY, data_dir=folder.data_dir)

    assert "Traceback" not in checked.stderr and checked.stderr == "", checked.stderr
    findings = json.loads(checked.stdout)
    assert findings, "the example claim has findings to report"
    _assert_intact_after_restoring(folder)  # the readiness counts were not written
    # the same findings and exit status as where the folder can be written to
    status = checked.returncode
    assert status in (0, 1)
    again = _run_here("--data-dir", str(folder.data_dir), "claim", "check", claim_id, "--json",
                      "--today", TODAY, status=status)  # fmt: skip
    assert checked.stdout == again


def test_read_only_folder_with_unmerged_changes_refuses_reads_clearly(folder: Folder) -> None:
    """A claim changed just before the folder became read-only, still in claims.sqlite-wal
    (SQLite merges it into the database at the next checkpoint, which needs write access)."""
    claim_id = folder.claim_ids[0]
    assert json.loads(folder.exported[claim_id])["status"] != "ready"
    database = folder.data_dir / "claims.sqlite"
    live = folder.data_dir.parent / "live"
    shutil.copytree(folder.data_dir, live)
    with closing(sqlite3.connect(live / "claims.sqlite", isolation_level=None)) as connection:
        connection.execute("PRAGMA wal_autocheckpoint=0")
        connection.execute("UPDATE claim SET status = 'ready' WHERE id = ?", (claim_id,))
        # what a power cut would leave: the database and its log, the change only in the log
        shutil.copy(live / "claims.sqlite", database)
        shutil.copy(live / "claims.sqlite-wal", f"{database}-wal")
    assert Path(f"{database}-wal").stat().st_size > 0
    _hand_to_nobody(folder.data_dir)
    digests = _digests(folder.data_dir)
    _set_modes(folder.data_dir, folder_mode=0o555, file_mode=0o444)

    result = _cli("claim", "list", "--json", data_dir=folder.data_dir)

    assert result.returncode != 0, result.stdout
    assert result.stdout == ""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("j3490-desk: "), result.stderr
    assert "claims.sqlite-wal" in result.stderr, result.stderr  # what is in the way
    assert "write permission" in result.stderr, result.stderr  # ... and what to do
    _set_modes(folder.data_dir, folder_mode=0o755, file_mode=0o644)
    assert _digests(folder.data_dir) == digests
    # writable again, the change that an immutable read would have hidden is there
    listed = _run_here("--data-dir", str(folder.data_dir), "claim", "list", "--json")
    statuses = {str(row["id"]): row["status"] for row in json.loads(listed)}
    assert statuses[claim_id] == "ready"


def test_read_only_database_file_refuses_a_write_clearly_and_still_lists(folder: Folder) -> None:
    """The folder is writable but the database file is not (copied from a read-only medium, or
    marked read-only by hand): reading works, a save is refused with what to do."""
    _set_modes(folder.data_dir, folder_mode=0o755, file_mode=0o444)

    result = _cli("claim", "import", str(EXAMPLES[2]), data_dir=folder.data_dir)
    _assert_clear_refusal(result)

    listed = _cli("claim", "list", "--json", data_dir=folder.data_dir)
    assert listed.returncode == 0, listed.stderr
    assert {str(row["id"]) for row in json.loads(listed.stdout)} == set(folder.claim_ids)

    _assert_intact_after_restoring(folder, sqlite_files_allowed=True)


def test_reference_commands_on_a_read_only_folder_do_not_call_it_damaged(folder: Folder) -> None:
    """Issue 18 item 13: reference.sqlite there is whole; what stops it is the folder."""
    fixtures = ROOT / "tests" / "fixtures" / "reference"
    _run_here(
        "--data-dir",
        str(folder.data_dir),
        "reference",
        "import",
        str(fixtures / "fda_product_slice.txt"),
        str(fixtures / "fda_package_slice.txt"),
    )
    _hand_to_nobody(folder.data_dir)
    folder.files = _every_path(folder.data_dir)
    folder.digests = _digests(folder.data_dir)
    _set_modes(folder.data_dir, folder_mode=0o555, file_mode=0o444)

    for command in (("reference", "status"), ("ndc", "lookup", "0002-1433-80", "--json")):
        result = _cli(*command, data_dir=folder.data_dir)
        assert "damaged" not in result.stderr, result.stderr
        _assert_clear_refusal(result)

    _assert_intact_after_restoring(folder)


def test_backup_restore_replace_on_a_read_only_folder_is_a_message(folder: Folder) -> None:
    """Issue 18 item 9: a clear refusal with exit 2, never a traceback, nothing changed."""
    backups = Path(tempfile.mkdtemp(prefix="j3490-read-only-backup-", dir="/tmp"))
    try:
        _run_here("--data-dir", str(folder.data_dir), "backup", "create", "--to", str(backups))
        (made,) = backups.glob("*.zip")
        made.chmod(0o644)
        backups.chmod(0o755)
        _hand_to_nobody(folder.data_dir)
        folder.files = _every_path(folder.data_dir)
        folder.digests = _digests(folder.data_dir)
        _set_modes(folder.data_dir, folder_mode=0o555, file_mode=0o444)

        result = _cli("backup", "restore", str(made), "--replace", data_dir=folder.data_dir)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("j3490-desk: "), result.stderr

        _assert_intact_after_restoring(folder)
    finally:
        shutil.rmtree(backups)
