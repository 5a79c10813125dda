"""Backups: one compressed file holding the claims database and every attachment.

The database is copied with SQLite's online backup API, so the app can stay open while a
backup runs. A manifest lists the SHA-256 of every member; `verify_backup` re-hashes them all,
and `restore_backup` refuses a file that does not verify. Reference data (FDA/CMS files) is
public and re-importable, so it is not part of a backup.

A backup of an encrypted folder stays encrypted: the database snapshot is keyed like the
original, attachments are copied as the ciphertext they are, and the folder's
`encryption.json` (the wrapped key, useless without the passphrase) travels with them, so the
passphrase opens the backup anywhere. Verifying or restoring one needs that passphrase, to
check the database inside and so that nobody restores data they then cannot open.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from j3490_desk.errors import DataFolderError, InvalidInputError
from j3490_desk.paths import DataPaths
from j3490_desk.storage.connections import connect, database_errors
from j3490_desk.storage.encryption import (
    SETTINGS_FILE,
    DataKey,
    EncryptionSettings,
    read_settings,
    unlock,
)

MANIFEST = "manifest.json"
DATABASE_MEMBER = "claims.sqlite"
ATTACHMENTS_MEMBER = "attachments"
FORMAT = "j3490-desk-backup"
CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupProblem:
    member: str
    problem: str


def create_backup(
    paths: DataPaths, folder: Path, *, app_version: str, key: DataKey | None = None
) -> Path:
    """Write `j3490-desk-backup-<UTC time>.zip` into `folder`, atomically; returns its path."""
    try:
        return _write_backup(paths, folder, app_version, key)
    except OSError as error:  # unplugged drive, full disk, no permission, a file in the way
        raise DataFolderError(
            f"The backup could not be written to {folder} ({error.strerror or error}).",
            "Choose a folder you may write to, on a drive that is plugged in and has free "
            "space. Your data was not changed.",
        ) from error


def _write_backup(paths: DataPaths, folder: Path, app_version: str, key: DataKey | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"j3490-desk-backup-{stamp}.zip"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as work:
        snapshot = Path(work) / DATABASE_MEMBER
        with (
            closing(connect(paths.database, key)) as source,
            closing(connect(snapshot, key)) as copy,
        ):
            source.backup(copy)
        members = {DATABASE_MEMBER: snapshot, **dict(_attachment_files(paths))}
        if key is not None:
            members[SETTINGS_FILE] = paths.root / SETTINGS_FILE
        partial = Path(work) / "backup.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            sums = {}
            for name, path in members.items():
                archive.write(path, name)
                sums[name] = _sha256_file(path)
            manifest = {
                "format": FORMAT,
                "app_version": app_version,
                "created_at": datetime.now(UTC).isoformat(),
                "sha256": sums,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    return target


def verify_backup(file: Path, *, passphrase: str | None = None) -> list[BackupProblem]:
    """Every member's hash against the manifest, and the database's own integrity check
    (for an encrypted backup, with the key the passphrase or the keychain unlocks)."""
    problems: list[BackupProblem] = []
    with _open_archive(file) as archive:
        sums = _manifest(archive, file)["sha256"]
        names = set(archive.namelist()) - {MANIFEST}
        problems += [BackupProblem(n, "is not in the manifest") for n in sorted(names - set(sums))]
        for name, expected in sorted(sums.items()):
            if name not in names:
                problems.append(BackupProblem(name, "is missing from the backup"))
            elif _sha256_member(archive, name) != expected:
                problems.append(BackupProblem(name, "does not match its SHA-256 in the manifest"))
        if DATABASE_MEMBER in names and not problems:
            problems += _database_problems(archive, _backup_key(archive, passphrase))
    return problems


def restore_backup(
    file: Path,
    paths: DataPaths,
    *,
    replace_existing: bool = False,
    passphrase: str | None = None,
    current_key: DataKey | None = None,
) -> Path | None:
    """Restore into `paths.root`. An existing database is only replaced when asked, and then
    backed up first (the returned path; `current_key` opens it when the folder is encrypted
    and its key is already unlocked); a backup that does not verify is refused."""
    require_verified(file, passphrase=passphrase)
    safety_copy = None
    if paths.database.exists():
        if not replace_existing:
            raise DataFolderError(
                f"{paths.root} already holds a J3490 Desk database.",
                "Restore into an empty folder (--data-dir), or confirm replacing the current "
                "data (--replace); it is backed up first.",
            )
        current = read_settings(paths.root)
        safety_copy = create_backup(
            paths,
            paths.backups,
            app_version="before-restore",
            key=current_key or (unlock(current, passphrase) if current else None),
        )
    paths.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.root, prefix=".restore-") as work:
        with _open_archive(file) as archive:
            archive.extractall(work)
        staged = Path(work)
        for suffix in ("-wal", "-shm"):
            Path(f"{paths.database}{suffix}").unlink(missing_ok=True)
        # The key file first: between the two renames the folder then asks for the restored
        # backup's passphrase, which is the one the user just gave.
        if (staged / SETTINGS_FILE).exists():
            os.replace(staged / SETTINGS_FILE, paths.root / SETTINGS_FILE)
        else:
            (paths.root / SETTINGS_FILE).unlink(missing_ok=True)
        os.replace(staged / DATABASE_MEMBER, paths.database)
        if (staged / ATTACHMENTS_MEMBER).exists():
            if paths.attachments.exists():
                shutil.rmtree(paths.attachments)
            os.replace(staged / ATTACHMENTS_MEMBER, paths.attachments)
    return safety_copy


def is_encrypted_backup(file: Path) -> bool:
    with _open_archive(file) as archive:
        return SETTINGS_FILE in archive.namelist()


def require_verified(file: Path, *, passphrase: str | None = None) -> None:
    problems = verify_backup(file, passphrase=passphrase)
    if problems:
        raise InvalidInputError(
            f"{file.name} did not verify: {problems[0].member} {problems[0].problem}.",
            "Nothing was restored. Use another backup.",
        )


def _attachment_files(paths: DataPaths) -> Iterator[tuple[str, Path]]:
    if paths.attachments.exists():
        for path in sorted(paths.attachments.rglob("*")):
            if path.is_file():
                yield path.relative_to(paths.root).as_posix(), path


def _open_archive(file: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(file)
    except (OSError, zipfile.BadZipFile) as error:
        raise InvalidInputError(
            f"{file} is not a J3490 Desk backup (it cannot be opened as one: {error}).",
            "Pick a file named j3490-desk-backup-….zip.",
        ) from error


def _manifest(archive: zipfile.ZipFile, file: Path) -> dict[str, dict[str, str]]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise InvalidInputError(
            f"{file.name} has no readable manifest, so it is not a J3490 Desk backup.",
            "Pick a file named j3490-desk-backup-….zip.",
        ) from error
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("sha256"), dict):
        raise InvalidInputError(f"{file.name} is not a J3490 Desk backup.", "Pick another file.")
    return dict(manifest)


def _backup_key(archive: zipfile.ZipFile, passphrase: str | None) -> DataKey | None:
    if SETTINGS_FILE not in archive.namelist():
        return None
    with tempfile.TemporaryDirectory() as work:
        archive.extract(SETTINGS_FILE, work)
        settings: EncryptionSettings | None = read_settings(Path(work))
    assert settings is not None
    return unlock(settings, passphrase, what="backup")


def _database_problems(archive: zipfile.ZipFile, key: DataKey | None) -> list[BackupProblem]:
    with tempfile.TemporaryDirectory() as work:
        path = Path(archive.extract(DATABASE_MEMBER, work))
        try:
            with closing(connect(path, key)) as connection:
                result = connection.execute("PRAGMA integrity_check").fetchone()
        except database_errors(key) as error:
            return [BackupProblem(DATABASE_MEMBER, f"cannot be read ({error})")]
    if result is None or result[0] != "ok":
        return [BackupProblem(DATABASE_MEMBER, "fails its integrity check")]
    return []


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_member(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
