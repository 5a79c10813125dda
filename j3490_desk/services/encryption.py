"""Encrypting a data folder at rest, and managing its passphrase.

The clinic turns encryption on once; from then on the database (SQLCipher), every attachment
and every backup are encrypted with the folder's data key (see `storage.encryption`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from j3490_desk.errors import DataFolderError, KnownError, WrongPassphraseError
from j3490_desk.paths import DataPaths, resolve_data_dir
from j3490_desk.services.app_data import AppData, folder_key, open_app_data
from j3490_desk.storage.connections import is_plain_sqlite
from j3490_desk.storage.database import open_database
from j3490_desk.storage.encryption import (
    DataKey,
    forget_keychain,
    keychain_key,
    new_key,
    read_settings,
    remember_in_keychain,
    require_strong,
    unwrap,
    wrap,
    write_settings,
)
from j3490_desk.storage.folder_encryption import (
    EncryptionReport,
    encrypt_folder,
    is_unfinished,
    mark_in_progress,
)
from j3490_desk.storage.instance_lock import InstanceLock
from j3490_desk.storage.server_database import ServerDatabase
from j3490_desk.storage.server_url import ServerAddress, chosen_server


class NotForSharedDatabaseError(KnownError):
    """Folder encryption asked for on a seat whose claims are on a shared server."""


def refuse_if_shared(data_dir: str | os.PathLike[str] | None) -> None:
    """Before anything is asked or written: a seat on a shared server has no folder to encrypt."""
    server = chosen_server(resolve_data_dir(data_dir))
    if server is not None:
        raise shared_database_refusal(server)


def refusal_for(data: AppData) -> NotForSharedDatabaseError | None:
    """Why the open data cannot be encrypted here (its claims are on a server), or None."""
    return shared_database_refusal(data.db.server) if isinstance(data.db, ServerDatabase) else None


def shared_database_refusal(server: ServerAddress) -> NotForSharedDatabaseError:
    """Why folder encryption is refused in shared mode: the server protects the data itself."""
    return NotForSharedDatabaseError(
        f"This computer keeps its claims in the shared database {server.label}, not in its "
        "data folder, so there is nothing here for folder encryption to protect.",
        "On a server, patient data is protected by the server's own means: TLS between each "
        "computer and the server (sslmode verify-full), PostgreSQL roles that give J3490 "
        "Desk's login no more rights than it needs, and the server's disk encryption; ask your "
        "IT person. Backups can still be encrypted with a passphrase.",
    )


@dataclass(frozen=True)
class EncryptionStatus:
    encrypted: bool
    keychain: bool
    unfinished: bool


def status(data_dir: str | os.PathLike[str] | None) -> EncryptionStatus:
    paths = DataPaths(resolve_data_dir(data_dir))
    settings = read_settings(paths.root)
    if settings is None:
        return EncryptionStatus(encrypted=False, keychain=False, unfinished=False)
    return EncryptionStatus(True, settings.keychain, is_unfinished(paths))


def enable(
    data_dir: str | os.PathLike[str] | None,
    passphrase: str,
    *,
    remember: bool = False,
    user: str | None = None,
    lock_held: bool = False,
) -> EncryptionReport:
    """Encrypt the folder with a new key wrapped by `passphrase`, or finish an interrupted run
    (then `passphrase` must be the one given the first time).

    The app must not have the folder open (its instance lock is taken here), unless the caller
    is the app itself holding that lock (`lock_held`) and has closed its database.
    """
    paths = DataPaths(resolve_data_dir(data_dir))
    refuse_if_shared(paths.root)
    if not paths.database.exists():
        raise DataFolderError(
            f"{paths.root} holds no J3490 Desk data yet.",
            "Open the app on it once (or import a claim), then turn encryption on.",
        )
    lock = None if lock_held else InstanceLock(paths.lock_file)
    if lock is not None:
        lock.acquire()
    try:
        settings = read_settings(paths.root)
        if settings is not None and not is_unfinished(paths):
            raise KnownError(
                f"{paths.root} is already encrypted.",
                "To change its passphrase use `j3490-desk encryption change-passphrase`.",
            )
        if settings is None:
            settings, key = new_key(passphrase, keychain=remember)
            if remember:
                remember_in_keychain(key)  # before anything is written: a refusal changes nothing
            mark_in_progress(paths)  # so an interruption from here on is seen and finished
            write_settings(paths.root, settings)  # first: the key must exist before any ciphertext
        else:
            key = unwrap(settings, passphrase)
        report = encrypt_folder(paths, key)
    finally:
        if lock is not None:
            lock.release()
    _audit(paths, key, user, "encrypt", {"encrypted": (False, True)})
    return report


def change_passphrase(
    data_dir: str | os.PathLike[str] | None,
    old: str,
    new: str,
    *,
    remember: bool | None = None,
    user: str | None = None,
) -> None:
    """Rewrap the data key under a new passphrase; `remember` None keeps the keychain choice."""
    paths = DataPaths(resolve_data_dir(data_dir))
    settings = read_settings(paths.root)
    if settings is None:
        raise KnownError(
            f"{paths.root} is not encrypted, so it has no passphrase.",
            "Turn encryption on with `j3490-desk encryption enable`.",
        )
    require_strong(new)
    key = unwrap(settings, old)
    keep_in_keychain = settings.keychain if remember is None else remember
    if keep_in_keychain:
        remember_in_keychain(key)
    write_settings(paths.root, wrap(key, new, keychain=keep_in_keychain))
    if not keep_in_keychain:
        forget_keychain(key.key_id)
    _audit(
        paths, key, user, "change_passphrase", {"keychain": (settings.keychain, keep_in_keychain)}
    )


def remembered(data_dir: str | os.PathLike[str] | None) -> bool:
    """True when this computer's keychain opens the folder without a passphrase."""
    settings = read_settings(DataPaths(resolve_data_dir(data_dir)).root)
    return settings is not None and settings.keychain and keychain_key(settings) is not None


def _audit(
    paths: DataPaths,
    key: DataKey,
    user: str | None,
    action: str,
    changes: dict[str, tuple[object, object]],
) -> None:
    from j3490_desk.storage import audit  # the ORM: not on the start-up path of the lock

    data = open_app_data(paths.root, passphrase=None, key=key)
    try:
        with data.db.write() as session:
            audit.record(
                session,
                user=user or data.user,
                action=action,
                entity="data_folder",
                entity_id=None,
                changes=changes,
            )
    finally:
        data.close()


def encrypt_open_folder(data: AppData, passphrase: str, *, remember: bool = False) -> None:
    """Encrypt the folder the app has open (it holds the instance lock), then reopen its
    database with the new key, so the window carries on where it was."""
    refusal = refusal_for(data)
    if refusal is not None:
        raise refusal
    data.db.dispose()
    try:
        enable(data.paths.root, passphrase, remember=remember, user=data.user, lock_held=True)
    finally:
        # Failed before the database was encrypted: it is still plain and whole, so the
        # window goes on with it; the next start finishes the job.
        done = not is_plain_sqlite(data.paths.database)
        data.db = open_database(data.paths, folder_key(data.paths, passphrase) if done else None)


def passphrase_opens(data_dir: str | os.PathLike[str] | None, passphrase: str) -> bool:
    """For the lock screen of an encrypted folder without user accounts."""
    settings = read_settings(DataPaths(resolve_data_dir(data_dir)).root)
    if settings is None:
        return False
    try:
        unwrap(settings, passphrase)
    except WrongPassphraseError:
        return False
    return True
