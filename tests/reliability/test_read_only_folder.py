"""A data folder the clerk cannot write to, for real: the permissions are enforced by the kernel.

Root ignores file permissions, so when the suite runs as root the CLI is run as `nobody`
(uid 65534), on a folder that `nobody` owns but may not write: only the mode bits say no.
`subprocess.run(user=, group=)` does that where `nobody` can reach this Python; where it cannot
(pyenv under /root, mode 0700), unprivileged_cli.py starts as root and gives root up before the
command runs.
Either way, a write is refused with a message saying what is wrong and what to do (no
traceback), nothing in the folder changes, and no file is left behind.

Reads on a read-only folder are refused today as well, with the same clear message: opening a
data folder checks first that it can be written (storage/database.py, ensure_writable_folder).
"""

from __future__ import annotations

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

import pytest

from j3490_desk.cli import run
from j3490_desk.paths import resources_dir

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((resources_dir() / "examples").glob("*.json"))
NOBODY = 65534
IS_ROOT = os.geteuid() == 0


@dataclass
class Folder:
    data_dir: Path
    claim_ids: list[str]
    exported: dict[str, str]  # claim id -> `claim export-json` output before the test
    files: set[str]  # every path in the folder before the test


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
    options: dict[str, int] = {}
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
        **options,  # type: ignore[arg-type]
    )


def _every_path(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def _set_modes(folder: Path, *, folder_mode: int, file_mode: int) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(folder_mode if path.is_dir() else file_mode)


def _hand_to_nobody(folder: Path) -> None:
    """As root, `nobody` owns the folder: then only the modes set by a test can refuse a write."""
    if IS_ROOT:
        for place in [folder, *folder.rglob("*")]:
            os.chown(place, NOBODY, NOBODY)


def _run_here(*arguments: str) -> str:
    """The CLI in this process, as the user running the tests (set-up and the final check)."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert run(list(arguments)) == 0
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
    yield Folder(data_dir, claim_ids, exported, _every_path(data_dir))
    shutil.rmtree(base)


@pytest.fixture
def folder(template: Folder) -> Iterator[Folder]:
    base = Path(tempfile.mkdtemp(prefix="j3490-read-only-", dir="/tmp"))
    base.chmod(0o755)  # `nobody` must reach the data folder inside
    data_dir = base / "data"
    shutil.copytree(template.data_dir, data_dir)
    _hand_to_nobody(data_dir)
    assert _every_path(data_dir) == template.files
    try:
        yield Folder(data_dir, template.claim_ids, template.exported, template.files)
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


@pytest.mark.parametrize("command", [("claim", "list", "--json"), ("claim", "check", "1")])
def test_read_only_folder_refuses_reads_too_with_the_same_clear_message(
    folder: Folder, command: tuple[str, ...]
) -> None:
    """Today the folder must be writable to be opened at all. (Reading a read-only folder would
    need open_database to skip the write test and open SQLite with immutable=1: a WAL database
    cannot be opened with mode=ro in a folder where SQLite cannot create its -shm file.)"""
    _set_modes(folder.data_dir, folder_mode=0o555, file_mode=0o444)

    result = _cli(*command, data_dir=folder.data_dir)

    _assert_clear_refusal(result)
    assert result.stdout == ""
    _assert_intact_after_restoring(folder)


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
