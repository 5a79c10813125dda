"""A backup that is incomplete, damaged or tampered with is caught at `verify` and never
restored; a restore never leaves an encrypted folder stranded or turns its encryption off;
the data folder and what it writes are owner-only."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from j3490_desk.errors import InvalidInputError
from j3490_desk.paths import DataPaths
from j3490_desk.services import backups, claims, encryption
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage.backup import MANIFEST
from j3490_desk.storage.encryption import PASSPHRASE_ENV
from tests.storage.filled_folder import fill
from tests.storage.zips import rewritten, unchanged, with_manifest

ROOT = Path(__file__).parents[2]
PASSPHRASE = "tidy walrus lantern quiet"


def _cli(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    prefix = ["--data-dir", str(data_dir)] if data_dir else []
    return subprocess.run(
        [sys.executable, "-m", "j3490_desk", *prefix, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, PASSPHRASE_ENV: PASSPHRASE},
        check=False,
    )


def _filled(root: Path, *, encrypted: bool) -> Path:
    data = open_app_data(root)
    try:
        fill(data)
    finally:
        data.close()
    if encrypted:
        encryption.enable(root, PASSPHRASE)
    return root


def _backup(root: Path, usb: Path) -> Path:
    data = open_app_data(root, passphrase=PASSPHRASE)
    try:
        return backups.back_up(data, usb)
    finally:
        data.close()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def encrypted_folder(tmp_path: Path) -> Path:
    return _filled(tmp_path / "data", encrypted=True)


# --- item 1: a backup without its database --------------------------------------------------


@pytest.mark.sqlite_only
def test_a_backup_without_its_database_fails_verify_and_strands_nothing(
    encrypted_folder: Path, tmp_path: Path
) -> None:
    good = _backup(encrypted_folder, tmp_path / "usb")
    no_database = rewritten(
        good, tmp_path / "no-db.zip", lambda n, c: None if n == "claims.sqlite" else c
    )
    verify = _cli("backup", "verify", str(no_database))
    assert verify.returncode == 1, verify.stdout
    assert "claims.sqlite: is not listed in the manifest" in verify.stdout
    before = _snapshot(encrypted_folder)
    restore = _cli("backup", "restore", str(no_database), "--replace", data_dir=encrypted_folder)
    assert restore.returncode == 2 and "Traceback" not in restore.stderr, restore.stderr
    assert "did not verify" in restore.stderr
    assert _snapshot(encrypted_folder) == before  # encryption.json, the log: all still there
    assert _cli("claim", "list", data_dir=encrypted_folder).returncode == 0


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (b"[1, 2, 3]", "manifest is not one of ours"),
        (b'{"format": "j3490-desk-backup", "sha256": [1]}', "damaged manifest"),
        (b'{"format": "j3490-desk-backup", "sha256": {"claims.sqlite": 5}}', "damaged manifest"),
        (b"[" * 100_000 + b"]" * 100_000, "no readable manifest"),
        (b"\xff\xfe not json", "no readable manifest"),
    ],
    ids=["list", "sums-a-list", "hash-a-number", "nested", "not-utf8"],
)
def test_a_malformed_manifest_is_a_clear_refusal(
    tmp_path: Path, manifest: bytes, message: str
) -> None:
    good = _backup(_filled(tmp_path / "data", encrypted=False), tmp_path / "usb")
    bad = with_manifest(good, tmp_path / "bad.zip", manifest)
    for args in (("backup", "verify", str(bad)), ("backup", "restore", str(bad))):
        run = _cli(*args, data_dir=tmp_path / "elsewhere")
        assert run.returncode == 2, run.stderr
        assert message in run.stderr and "Traceback" not in run.stderr


def test_a_bit_flipped_backup_is_a_clear_refusal(tmp_path: Path) -> None:
    good = _backup(_filled(tmp_path / "data", encrypted=False), tmp_path / "usb")
    content = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("claims.sqlite")
    for offset in (info.header_offset + 200, len(content) - 30, len(content) // 3):
        flipped = tmp_path / f"flipped-{offset}.zip"
        damaged = bytearray(content)
        damaged[offset] ^= 0x10
        flipped.write_bytes(bytes(damaged))
        run = _cli("backup", "verify", str(flipped))
        assert run.returncode in (1, 2) and "Traceback" not in run.stderr, run.stderr
        assert "backup verified" not in run.stdout
        restore = _cli("backup", "restore", str(flipped), data_dir=tmp_path / f"to-{offset}")
        assert restore.returncode == 2 and "Traceback" not in restore.stderr, restore.stderr
        assert not (tmp_path / f"to-{offset}" / "claims.sqlite").exists()


@pytest.mark.parametrize(
    "name",
    [
        "attachments/.incoming-abc",
        "../outside.txt",
        "attachments/AB/" + "AB" * 32,
        "reference.sqlite",
    ],
    ids=["dot-file", "outside", "upper-case", "stranger"],
)
def test_only_our_own_member_names_are_accepted(tmp_path: Path, name: str) -> None:
    """No dot-file, nothing outside the folder, no name a case-insensitive disk would fold."""
    good = _backup(_filled(tmp_path / "data", encrypted=False), tmp_path / "usb")
    bad = rewritten(good, tmp_path / "bad.zip", unchanged, **{name: b"x"})
    problems = backups.verify(bad)
    assert any(p.member == name and "not a file" in p.problem for p in problems), problems
    with pytest.raises(InvalidInputError, match="did not verify"):
        backups.restore(bad, tmp_path / "restored")
    assert not (tmp_path / "outside.txt").exists()


# --- item 1: the safety copy ----------------------------------------------------------------


@pytest.mark.parametrize(
    "encrypted",
    [False, pytest.param(True, marks=pytest.mark.sqlite_only)],  # folder encryption: no server's
    ids=["plain", "encrypted"],
)
def test_the_safety_copy_restores_what_was_there(tmp_path: Path, encrypted: bool) -> None:
    folder = _filled(tmp_path / "data", encrypted=encrypted)
    other = _filled(tmp_path / "other", encrypted=encrypted)
    backup = _backup(other, tmp_path / "usb")
    data = open_app_data(folder, passphrase=PASSPHRASE)
    claims.create_claim(data, _claim())
    before = [claims.export_claim_json(data, i) for i in range(1, 5)]
    data.close()
    run = _cli("backup", "restore", str(backup), "--replace", data_dir=folder)
    assert run.returncode == 0, run.stderr
    safety = Path(run.stdout.split("saved in ", 1)[1].split("\n", 1)[0])
    assert _cli("backup", "verify", str(safety)).returncode == 0
    again = _cli("backup", "restore", str(safety), "--replace", data_dir=folder)
    assert again.returncode == 0, again.stderr
    data = open_app_data(folder, passphrase=PASSPHRASE)
    try:
        assert [claims.export_claim_json(data, i) for i in range(1, 5)] == before
    finally:
        data.close()
    assert _cli("audit", "verify", data_dir=folder).returncode == 0


def _claim():  # type: ignore[no-untyped-def]
    from tests.sample_claims import sample_claim

    return sample_claim()


@pytest.mark.sqlite_only
def test_restore_on_a_read_only_folder_is_a_message() -> None:
    """Run as a user the folder's modes apply to (root ignores them)."""
    from tests.reliability.test_read_only_folder import _cli as as_clerk
    from tests.reliability.test_read_only_folder import _hand_to_nobody

    place = Path(tempfile.mkdtemp(prefix="j3490-restore-read-only-"))
    try:
        place.chmod(0o755)
        folder = _filled(place / "data", encrypted=False)
        backup = _backup(folder, place / "usb")
        place.joinpath("usb").chmod(0o755)
        backup.chmod(0o644)
        _hand_to_nobody(folder)
        folder.chmod(0o500)
        before = _snapshot(folder)
        run = as_clerk("backup", "restore", str(backup), "--replace", data_dir=folder)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert "cannot be written to" in run.stderr
        assert _snapshot(folder) == before
    finally:
        for path in [place, *place.rglob("*")]:
            if path.is_dir():
                path.chmod(0o700)
        shutil.rmtree(place)


# --- item 6: tampering ----------------------------------------------------------------------


def test_a_plain_backup_says_it_is_checked_for_damage_not_tampering(tmp_path: Path) -> None:
    good = _backup(_filled(tmp_path / "data", encrypted=False), tmp_path / "usb")
    run = _cli("backup", "verify", str(good))
    assert run.returncode == 0
    assert "not encrypted: checked for damage, not for tampering" in run.stdout


def test_a_tampered_plain_attachment_is_caught_by_its_name(tmp_path: Path) -> None:
    good = _backup(_filled(tmp_path / "data", encrypted=False), tmp_path / "usb")
    tampered = rewritten(
        good,
        tmp_path / "tampered.zip",
        lambda n, c: c + b"%% changed" if n.startswith("attachments/") else c,
    )
    [problem] = backups.verify(tampered)
    assert problem.problem == "is not the content its name says"


@pytest.mark.sqlite_only
def test_an_encrypted_backup_is_signed_and_catches_a_tampered_attachment(
    encrypted_folder: Path, tmp_path: Path
) -> None:
    good = _backup(encrypted_folder, tmp_path / "usb")
    run = _cli("backup", "verify", str(good))
    assert run.returncode == 0 and "signed with the data folder's key" in run.stdout

    def flip(name: str, content: bytes) -> bytes:
        if not name.startswith("attachments/"):
            return content
        return content[:-1] + bytes([content[-1] ^ 1])

    resigned = rewritten(good, tmp_path / "recomputed.zip", flip)
    problems = backups.verify(resigned, passphrase=PASSPHRASE)
    assert [p.problem for p in problems] == [
        "is not signed with this backup's key: it was changed",
        "fails its authentication: it was changed",
    ]
    # Even with the signature removed, the attachment fails its authentication at verify.
    unsigned = tmp_path / "unsigned.zip"
    with zipfile.ZipFile(resigned) as source:
        import json

        manifest = json.loads(source.read(MANIFEST))
    del manifest["signature"]
    with_manifest(resigned, unsigned, json.dumps(manifest).encode())
    [problem] = backups.verify(unsigned, passphrase=PASSPHRASE)
    assert problem.problem == "fails its authentication: it was changed"
    dropped = rewritten(
        good, tmp_path / "dropped.zip", lambda n, c: None if n.startswith("attachments/") else c
    )
    [problem] = backups.verify(dropped, passphrase=PASSPHRASE)
    assert problem.member == MANIFEST  # a removed attachment: the signature no longer fits


def test_a_backup_whose_audit_tail_was_removed_fails_verify(tmp_path: Path) -> None:
    folder = _filled(tmp_path / "data", encrypted=False)
    good = _backup(folder, tmp_path / "usb")
    work = tmp_path / "work"
    with zipfile.ZipFile(good) as archive:
        archive.extract("claims.sqlite", work)
    with sqlite3.connect(work / "claims.sqlite") as connection:
        connection.execute("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)")
    connection.close()
    database = (work / "claims.sqlite").read_bytes()
    tampered = rewritten(
        good, tmp_path / "tail.zip", lambda n, c: database if n == "claims.sqlite" else c
    )
    [problem] = backups.verify(tampered)
    assert "does not reach the head recorded in the manifest" in problem.problem


# --- item 3 is in test_encryption.py; item 4: file modes ------------------------------------


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_the_data_folder_and_what_it_writes_are_owner_only(tmp_path: Path) -> None:
    folder = _filled(tmp_path / "data", encrypted=False)
    folder.chmod(0o755)  # as an older version left it
    (folder / "claims.sqlite").chmod(0o644)
    backup = _backup(folder, tmp_path / "usb")
    paths = DataPaths(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for database in [paths.database, *folder.glob("claims.sqlite-*")]:
        assert stat.S_IMODE(database.stat().st_mode) == 0o600, database
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    stored = [p for p in paths.attachments.rglob("*") if p.is_file()]
    assert stored and all(stat.S_IMODE(p.stat().st_mode) == 0o400 for p in stored)
    packet = tmp_path / "packet.pdf"
    assert _cli("claim", "packet", "1", "--out", str(packet), data_dir=folder).returncode in (0, 1)
    assert stat.S_IMODE(packet.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh"
    open_app_data(fresh).close()
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert stat.S_IMODE((fresh / "claims.sqlite").stat().st_mode) == 0o600
    shutil.rmtree(fresh)


@pytest.mark.sqlite_only
def test_an_unfinished_restore_is_not_read_while_the_app_is_restoring(tmp_path: Path) -> None:
    """The journal of a restore the app window is running: the CLI waits, it does not read a
    half-swapped folder or finish the swap under the app's feet."""
    from j3490_desk.errors import DataInUseError
    from j3490_desk.storage.restore_swap import RESTORE_JOURNAL

    folder = _filled(tmp_path / "data", encrypted=False)
    window = open_app_data(folder, exclusive=True)
    try:
        (folder / RESTORE_JOURNAL).write_text('{"format": "j3490-desk-restore"}')
        with pytest.raises(DataInUseError, match=r"restore into .* is under way"):
            open_app_data(folder)
    finally:
        (folder / RESTORE_JOURNAL).unlink()
        window.close()
