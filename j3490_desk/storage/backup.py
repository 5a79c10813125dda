"""Backups: one compressed file holding the claims database and every attachment.

The database is copied with SQLite's online backup API, so the app can stay open while a
backup runs. A manifest lists the SHA-256 of every member and the audit log's head (its
newest entry's id and hash); `verify_backup` checks the backup is complete (a database,
listed), re-hashes every member and checks the database and its audit log, and
`restore_backup` refuses a file that does not verify. Reference data (FDA/CMS files) is
public and re-importable, so it is not part of a backup. Only files we made under their own
names go in: never a dot-file (what a killed process may have left), never anything else
found in the folder.

A backup of an encrypted folder stays encrypted: the database snapshot is keyed like the
original, attachments are copied as the ciphertext they are, and the folder's
`encryption.json` (the wrapped key, useless without the passphrase) travels with them, so the
passphrase opens the backup anywhere. Its manifest is signed (HMAC under a key derived from
the data key), and verifying it decrypts every attachment, so a changed, swapped or removed
member is caught as tampering. A plain backup has no secret to sign with: its hashes catch
damage, not someone who rewrites a member and the manifest together (`verify` says so).

A restore never leaves the folder half-done. Everything is checked first; the backup is
unpacked and re-hashed into a work folder beside the data; the current data is backed up
(the *safety copy*, itself an ordinary backup, restorable like any other); then the files
are swapped in under a journal that the next open finishes if this process is killed
(`storage.restore_swap`). A plain backup is never restored over an encrypted folder: that
would silently turn encryption off.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from j3490_desk.errors import DataFolderError, InvalidInputError
from j3490_desk.paths import DataPaths
from j3490_desk.storage import audit_head
from j3490_desk.storage.attachment_store import AttachmentStore
from j3490_desk.storage.connections import connect, database_errors
from j3490_desk.storage.encryption import (
    FILE_MAGIC,
    SETTINGS_FILE,
    ContentDamagedError,
    DataKey,
    EncryptionSettings,
    decrypted_chunks,
    read_settings,
    unlock,
)
from j3490_desk.storage.filesystems import fsync_folder, make_private
from j3490_desk.storage.instance_lock import remove_abandoned, work_folder
from j3490_desk.storage.restore_swap import (
    RESTORE_WORK,
    finish_interrupted_restore,
    swap_in,
)

MANIFEST = "manifest.json"
DATABASE_MEMBER = "claims.sqlite"
ATTACHMENTS_MEMBER = "attachments"
FORMAT = "j3490-desk-backup"
CHUNK = 1 << 20
# Every member a backup may hold, exactly: lower-case hex only, so a case-insensitive file
# system (Windows, macOS) cannot fold two names into one, and no `..`, no dot-file.
_MEMBER_NAME = re.compile(
    r"claims\.sqlite|encryption\.json|attachments/([0-9a-f]{2})/\1[0-9a-f]{62}"
)
_BACKUP_WORK = ".backup-"  # in the destination, while a backup is written
# A manifest lists one line per file: 64 MiB is hundreds of thousands of attachments.
_MANIFEST_LIMIT = 64 * 1024 * 1024
_NOT_A_BACKUP_HINT = "Pick a file named j3490-desk-backup-….zip."
_USE_ANOTHER = "Nothing was restored. Use another backup."


@dataclass(frozen=True)
class BackupProblem:
    member: str
    problem: str


# --- writing a backup -------------------------------------------------------------------------


def create_backup(
    paths: DataPaths, folder: Path, *, app_version: str, key: DataKey | None = None
) -> Path:
    """Write `j3490-desk-backup-<UTC time>.zip` into `folder`, atomically; returns its path."""
    try:
        return _write_backup(paths, folder, app_version, key)
    except database_errors(key) as error:
        raise DataFolderError(
            f"The claims database in {paths.root} could not be read for the backup ({error}).",
            "If the app says the database is damaged, let it restore your latest backup. "
            "Nothing was changed.",
        ) from error


def _write_backup(paths: DataPaths, folder: Path, app_version: str, key: DataKey | None) -> Path:
    AttachmentStore(paths.attachments).remove_leftovers()  # what a killed attachment add left

    def snapshot(work: Path) -> dict[str, Path]:
        with (
            closing(connect(paths.database, key)) as source,
            closing(connect(work / DATABASE_MEMBER, key)) as copy,
        ):
            source.backup(copy)
        members = {DATABASE_MEMBER: work / DATABASE_MEMBER, **dict(_attachment_files(paths))}
        if key is not None:
            members[SETTINGS_FILE] = paths.root / SETTINGS_FILE
        return members

    return write_backup(folder, app_version=app_version, key=key, snapshot=snapshot)


def write_backup(
    folder: Path,
    *,
    app_version: str,
    key: DataKey | None,
    snapshot: Callable[[Path], dict[str, Path]],
) -> Path:
    """Zip what `snapshot` puts together in a private work folder (member name -> file: the
    database as `DATABASE_MEMBER`, keyed with `key`, attachments, the key file) with its
    manifest, atomically, into `folder`: the one backup format, whichever engine it came from."""
    try:
        return _zip_snapshot(folder, app_version, key, snapshot)
    except OSError as error:  # unplugged drive, full disk, no permission, a file in the way
        raise DataFolderError(
            f"The backup could not be written to {folder} ({error.strerror or error}).",
            "Choose a folder you may write to, on a drive that is plugged in and has free "
            "space. Your data was not changed.",
        ) from error


def _zip_snapshot(
    folder: Path,
    app_version: str,
    key: DataKey | None,
    snapshot: Callable[[Path], dict[str, Path]],
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    remove_abandoned(folder, _BACKUP_WORK)  # what a killed backup left on this drive
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"j3490-desk-backup-{stamp}.zip"
    with work_folder(folder, _BACKUP_WORK) as work:  # owner-only, removed even on error
        members = snapshot(work)
        with closing(connect(members[DATABASE_MEMBER], key)) as copy:
            head = audit_head.chain_head(copy)
        partial = work / "backup.zip"
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
                "audit_head": {"entry": head.entry_id, "head": head.head},
            }
            if key is not None:
                manifest["signature"] = _signature(manifest, key)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        make_private(partial)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        fsync_folder(folder)
    return target


def _attachment_files(paths: DataPaths) -> Iterator[tuple[str, Path]]:
    """Stored attachments only: a leftover `.incoming-*` (perhaps a plain copy) never goes in."""
    if paths.attachments.exists():
        for path in sorted(paths.attachments.rglob("*")):
            name = path.relative_to(paths.root).as_posix()
            if _MEMBER_NAME.fullmatch(name) and path.is_file():
                yield name, path


# --- verifying one ----------------------------------------------------------------------------


def verify_backup(file: Path, *, passphrase: str | None = None) -> list[BackupProblem]:
    """Is the backup complete and unchanged? Every member's hash against the manifest, the
    database's own integrity check and its audit log against the manifest's head; for an
    encrypted backup (with the key the passphrase or the keychain unlocks) also the
    manifest's signature and every attachment's authentication."""
    return _verify(file, passphrase)[0]


def is_encrypted_backup(file: Path) -> bool:
    with _open_archive(file) as archive:
        return SETTINGS_FILE in archive.namelist()


def is_signed_backup(file: Path) -> bool:
    """True when the manifest carries a signature (`verify_backup` checks it is genuine)."""
    with _open_archive(file) as archive:
        return "signature" in _manifest(archive, file)


def require_verified(file: Path, *, passphrase: str | None = None) -> DataKey | None:
    """Refuse a backup that does not verify; returns its key (None for a plain backup)."""
    problems, key = _verify(file, passphrase)
    if problems:
        raise InvalidInputError(
            f"{file.name} did not verify: {problems[0].member} {problems[0].problem}.",
            _USE_ANOTHER,
        )
    return key


def _verify(file: Path, passphrase: str | None) -> tuple[list[BackupProblem], DataKey | None]:
    with _open_archive(file) as archive:
        manifest = _manifest(archive, file)
        sums: dict[str, str] = manifest["sha256"]
        names = archive.namelist()
        problems = [
            BackupProblem(name, "appears more than once in the backup")
            for name, times in sorted(Counter(names).items())
            if times > 1
        ]
        members = set(names) - {MANIFEST}
        if DATABASE_MEMBER not in sums:
            problems.append(BackupProblem(DATABASE_MEMBER, "is not listed in the manifest"))
        problems += [
            BackupProblem(name, "is not a file a J3490 Desk backup holds")
            for name in sorted(members | set(sums))
            if not _MEMBER_NAME.fullmatch(name)
        ]
        problems += [
            BackupProblem(n, "is not in the manifest") for n in sorted(members - set(sums))
        ]
        for name, expected in sorted(sums.items()):
            if name not in members:
                problems.append(BackupProblem(name, "is missing from the backup"))
            elif _sha256_member(archive, name, file) != expected:
                problems.append(BackupProblem(name, "does not match its SHA-256 in the manifest"))
        if problems:
            return problems, None
        key = _backup_key(archive, passphrase) if SETTINGS_FILE in sums else None
        if key is not None:
            problems += _signature_problems(manifest, key)
            problems += _encrypted_attachment_problems(archive, key, sums)
        else:  # a plain attachment is named by the SHA-256 of its content
            problems += [
                BackupProblem(name, "is not the content its name says")
                for name, digest in sorted(sums.items())
                if name.startswith(f"{ATTACHMENTS_MEMBER}/") and name.rsplit("/", 1)[1] != digest
            ]
        if not problems:
            problems += _database_problems(archive, key, manifest.get("audit_head"))
    return problems, key


def _open_archive(file: Path) -> zipfile.ZipFile:
    if file.exists() and not file.is_file():
        # Opening a FIFO blocks until something writes to it: refuse from its metadata.
        raise InvalidInputError(
            f"{file} is not a backup file (it is a folder, a pipe or a device).",
            _NOT_A_BACKUP_HINT,
        )
    try:
        return zipfile.ZipFile(file)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
        raise InvalidInputError(
            f"{file} is not a J3490 Desk backup, or it is damaged (it cannot be opened as "
            f"one: {error}).",
            _NOT_A_BACKUP_HINT,
        ) from error


def _manifest(archive: zipfile.ZipFile, file: Path) -> dict[str, Any]:
    with contextlib.suppress(KeyError):  # a missing manifest is reported just below
        if archive.getinfo(MANIFEST).file_size > _MANIFEST_LIMIT:
            raise InvalidInputError(
                f"{file.name} is not a J3490 Desk backup (its manifest is far too large).",
                _NOT_A_BACKUP_HINT,
            )
    try:
        manifest = json.loads(_read_member(archive, MANIFEST, file))
    except (ValueError, RecursionError) as error:  # not JSON, not UTF-8, nested too deep
        raise InvalidInputError(
            f"{file.name} has no readable manifest, so it is not a J3490 Desk backup.",
            _NOT_A_BACKUP_HINT,
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInputError(
            f"{file.name} is not a J3490 Desk backup (its manifest is not one of ours).",
            _NOT_A_BACKUP_HINT,
        )
    sums = manifest.get("sha256")
    head = manifest.get("audit_head")
    if (
        not isinstance(sums, dict)
        or not all(isinstance(n, str) and isinstance(d, str) for n, d in sums.items())
        or (head is not None and not _is_head(head))
        or not isinstance(manifest.get("signature", ""), str)
    ):
        raise InvalidInputError(
            f"{file.name} has a damaged manifest (its list of files and hashes is not well "
            "formed).",
            _USE_ANOTHER,
        )
    return manifest


def _is_head(head: Any) -> bool:
    return (
        isinstance(head, dict)
        and isinstance(head.get("entry"), int)
        and head["entry"] >= 0
        and isinstance(head.get("head"), str)
    )


def _read_member(archive: zipfile.ZipFile, name: str, file: Path) -> bytes:
    try:
        return archive.read(name)
    except KeyError as error:
        raise InvalidInputError(
            f"{file.name} has no manifest, so it is not a J3490 Desk backup.", _NOT_A_BACKUP_HINT
        ) from error
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        raise _damaged(file, name, error) from error


def _damaged(file: Path, name: str, error: Exception) -> InvalidInputError:
    return InvalidInputError(
        f"{file.name} is damaged: {name} in it cannot be read ({error}).", _USE_ANOTHER
    )


def _backup_key(archive: zipfile.ZipFile, passphrase: str | None) -> DataKey | None:
    with tempfile.TemporaryDirectory() as work:
        archive.extract(SETTINGS_FILE, work)
        try:
            settings: EncryptionSettings | None = read_settings(Path(work))
        except DataFolderError as error:
            raise InvalidInputError(
                f"The backup's {SETTINGS_FILE} cannot be read, so it cannot be opened.",
                _USE_ANOTHER,
            ) from error
    assert settings is not None
    return unlock(settings, passphrase, what="backup")


def _signature(manifest: dict[str, Any], key: DataKey) -> str:
    unsigned = {name: value for name, value in manifest.items() if name != "signature"}
    body = json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key.backup_key, body, hashlib.sha256).hexdigest()


def _signature_problems(manifest: dict[str, Any], key: DataKey) -> list[BackupProblem]:
    signature = manifest.get("signature")
    if signature is None:  # made before manifests were signed: each member is still checked
        return []
    if not hmac.compare_digest(signature, _signature(manifest, key)):
        return [BackupProblem(MANIFEST, "is not signed with this backup's key: it was changed")]
    return []


def _encrypted_attachment_problems(
    archive: zipfile.ZipFile, key: DataKey, sums: dict[str, str]
) -> list[BackupProblem]:
    """Decrypt each attachment: a changed byte fails its authentication tag."""
    names = sorted(n for n in sums if n.startswith(f"{ATTACHMENTS_MEMBER}/"))
    if not names:
        return []
    problems = []
    for name in names:
        digest = hashlib.sha256()
        with archive.open(name) as handle:
            encrypted = handle.read(len(FILE_MAGIC)) == FILE_MAGIC
        try:
            with archive.open(name) as handle:
                plain = iter(lambda: handle.read(CHUNK), b"")
                for chunk in decrypted_chunks(key, handle) if encrypted else plain:
                    digest.update(chunk)
        except ContentDamagedError:
            problems.append(BackupProblem(name, "fails its authentication: it was changed"))
            continue
        if digest.hexdigest() != name.rsplit("/", 1)[1]:
            problems.append(BackupProblem(name, "is not the content its name says"))
    return problems


def _database_problems(
    archive: zipfile.ZipFile, key: DataKey | None, head: dict[str, Any] | None
) -> list[BackupProblem]:
    with tempfile.TemporaryDirectory() as work:
        path = Path(archive.extract(DATABASE_MEMBER, work))
        try:
            with closing(connect(path, key)) as connection:
                result = connection.execute("PRAGMA integrity_check").fetchone()
                if result is None or result[0] != "ok":
                    return [BackupProblem(DATABASE_MEMBER, "fails its integrity check")]
                if head is not None and not _log_reaches(connection, head):
                    return [
                        BackupProblem(
                            DATABASE_MEMBER,
                            "holds an audit log that does not reach the head recorded in the "
                            "manifest: entries were removed or rewritten",
                        )
                    ]
        except database_errors(key) as error:
            return [BackupProblem(DATABASE_MEMBER, f"cannot be read ({error})")]
    return []


def _log_reaches(connection: Any, head: dict[str, Any]) -> bool:
    entry_id = int(head["entry"])
    return entry_id == 0 or audit_head.hash_of(connection, entry_id) == head["head"]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_member(archive: zipfile.ZipFile, name: str, file: Path) -> str:
    digest = hashlib.sha256()
    try:
        with archive.open(name) as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        raise _damaged(file, name, error) from error
    return digest.hexdigest()


# --- restoring one ----------------------------------------------------------------------------


def check_restorable(
    file: Path, paths: DataPaths, *, passphrase: str | None = None
) -> DataKey | None:
    """Everything a restore checks before it touches the folder; returns the backup's key."""
    key = require_verified(file, passphrase=passphrase)
    if key is None and read_settings(paths.root) is not None:
        raise InvalidInputError(
            f"{file.name} is not encrypted (it was made before this data folder was "
            "encrypted), so restoring it here would turn the folder's encryption off.",
            "Nothing was restored. Pick a backup made since encryption was turned on, or "
            "restore this one into a new, empty folder (--data-dir) and encrypt that folder.",
        )
    return key


def restore_backup(
    file: Path,
    paths: DataPaths,
    *,
    replace_existing: bool = False,
    passphrase: str | None = None,
    current_key: DataKey | None = None,
) -> Path | None:
    """Restore into `paths.root` (the caller holds the folder's lock). An existing database is
    only replaced when asked, and then backed up first (the returned path; `current_key`
    opens it when the folder is encrypted and its key is already unlocked); a backup that does
    not verify, or would turn encryption off, is refused before anything changes."""
    finish_interrupted_restore(paths)
    key = check_restorable(file, paths, passphrase=passphrase)
    current_key = _current_key(paths, replace_existing, passphrase, current_key)
    try:
        with work_folder(paths.root, RESTORE_WORK) as work:
            unpack_backup(file, work / "new", key)
            safety_copy = None
            if paths.database.exists():
                safety_copy = create_backup(
                    paths, paths.backups, app_version="before-restore", key=current_key
                )
            swap_in(paths, work)
    except OSError as error:
        raise DataFolderError(
            f"The backup could not be restored into {paths.root} ({error.strerror or error}).",
            "Free some disk space, or check you may write to the folder. Your data is as it "
            "was (or, if the restore had begun swapping files, it finishes the next time the "
            "folder is opened).",
        ) from error
    return safety_copy


def _current_key(
    paths: DataPaths, replace_existing: bool, passphrase: str | None, known: DataKey | None
) -> DataKey | None:
    """The key of the data already there (for its safety copy), checked before any change."""
    if not paths.database.exists():
        return None
    if not replace_existing:
        raise DataFolderError(
            f"{paths.root} already holds a J3490 Desk database.",
            "Restore into an empty folder (--data-dir), or confirm replacing the current "
            "data (--replace); it is backed up first.",
        )
    current = read_settings(paths.root)
    return known or (unlock(current, passphrase) if current else None)


def unpack_backup(file: Path, target: Path, key: DataKey | None) -> None:
    """Every listed member (of a verified backup) into the empty folder `target`, re-hashed as
    it is written, and the head record of its audit log: a data folder to swap in."""
    with _open_archive(file) as archive:
        for name, expected in _manifest(archive, file)["sha256"].items():
            destination = target / name
            destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            digest = hashlib.sha256()
            try:
                with archive.open(name) as source, destination.open("xb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise _damaged(file, name, error) from error
            if digest.hexdigest() != expected:
                raise InvalidInputError(
                    f"{file.name} changed while it was being restored ({name}).", _USE_ANOTHER
                )
            if name.startswith(f"{ATTACHMENTS_MEMBER}/"):
                destination.chmod(0o400)  # stored attachments are read-only
    (target / ATTACHMENTS_MEMBER).mkdir(mode=0o700, exist_ok=True)  # none: none after restore
    with closing(connect(target / DATABASE_MEMBER, key)) as connection:
        head = audit_head.chain_head(connection)
    audit_head.write_anchor(target, key, head)
    fsync_folder(target)
