"""Opening a data folder: the one object every service function takes first."""

from __future__ import annotations

import getpass
import os
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from j3490_desk.paths import DataPaths, resolve_data_dir
from j3490_desk.storage.database import (
    Database,
    FolderNotWritableError,
    ensure_writable_folder,
    open_database,
)
from j3490_desk.storage.encryption import PASSPHRASE_ENV, DataKey, read_settings, unlock
from j3490_desk.storage.filesystems import SQLITE_NETWORK_GUIDANCE, is_network_path
from j3490_desk.storage.instance_lock import InstanceLock
from j3490_desk.storage.restore_swap import protect_data_folder, recover_data_folder
from j3490_desk.storage.server_database import ServerDatabase, open_server_database
from j3490_desk.storage.server_url import ServerAddress, chosen_server

if TYPE_CHECKING:
    from j3490_desk.services.reference import ReferenceService


DEFAULT_AUTO_LOCK_MINUTES = 10  # ClinicSettings.auto_lock_minutes before the clinic changes it
# The account a command line run signed in with (shared mode): every AppData it opens names it.
SIGNED_IN_USER: ContextVar[str | None] = ContextVar("signed_in_user", default=None)


@dataclass
class AppData:
    paths: DataPaths
    db: Database | ServerDatabase
    lock: InstanceLock | None = None
    user: str = field(default_factory=lambda: SIGNED_IN_USER.get() or _login_name())
    _reference: ReferenceService | None = field(default=None, repr=False)

    @property
    def reference(self) -> ReferenceService:
        """The FDA/CMS reference data of this folder, opened on first use."""
        if self._reference is None:
            from j3490_desk.services.reference import ReferenceService

            self._reference = ReferenceService(self.paths)
        return self._reference

    def close(self) -> None:
        if self._reference is not None:
            self._reference.close()
        self.db.dispose()
        if self.lock is not None:
            self.lock.release()


def open_app_data(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    exclusive: bool = False,
    passphrase: str | None = None,
    key: DataKey | None = None,
    read_only: bool = False,
    database_url: str | None = None,
) -> AppData:
    """Check, migrate and open the data folder (`--data-dir`, env, or the per-user default).

    The claims are in the folder's SQLite file unless a shared server is chosen
    (`database_url`, J3490_DESK_DATABASE_URL or Settings > Data, see storage.server_url):
    then they are on that PostgreSQL server, and the folder keeps this seat's own files
    (reference data, settings).

    `exclusive` (the app window) takes the folder's instance lock first, so a second window
    is refused before it touches anything; the CLI shares the folder safely without it.
    An encrypted folder is unlocked with `passphrase`, J3490_DESK_PASSPHRASE, or the OS
    keychain; with none of them it raises PassphraseRequiredError before touching anything.
    A caller that already unlocked it passes the `key` instead.
    `read_only` opens it without writing anything (see open_database); every save is refused.
    """
    if exclusive and read_only:
        raise ValueError("the app window needs a data folder it can write to")
    paths = DataPaths(resolve_data_dir(data_dir))
    server = chosen_server(paths.root, database_url)
    if server is not None and read_only:
        raise ValueError("a shared database is never opened read-only")
    lock = None
    if exclusive:
        ensure_writable_folder(paths.root)
        lock = InstanceLock(paths.lock_file)
        lock.acquire()
    try:
        if server is not None:
            db: Database | ServerDatabase = _open_shared(paths, server)
        else:
            db = _open_folder(
                paths, locked=lock is not None, key=key, passphrase=passphrase, read_only=read_only
            )
        return AppData(paths=paths, db=db, lock=lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _open_folder(
    paths: DataPaths,
    *,
    locked: bool,
    key: DataKey | None,
    passphrase: str | None,
    read_only: bool,
) -> Database:
    """The folder's own SQLite file, unlocked, recovered and migrated as needed."""
    # A restore killed half-way is finished first; leftovers of killed processes go.
    recover_data_folder(paths, locked=locked, read_only=read_only)
    key = key or folder_key(paths, passphrase)
    if key is not None and locked:
        _finish_interrupted_encryption(paths, key)
    db = open_database(paths, key, read_only=read_only)
    if not read_only:
        protect_data_folder(paths)  # a new database is made by open_database
    return db


def _open_shared(paths: DataPaths, server: ServerAddress) -> ServerDatabase:
    """This seat's folder for its own files, and the clinic's server for the claims."""
    ensure_writable_folder(paths.root)
    protect_data_folder(paths)
    return open_server_database(server, backups=paths.backups)


def open_app_data_to_read(
    data_dir: str | os.PathLike[str] | None = None, *, passphrase: str | None = None
) -> AppData:
    """Open the folder for a command that only reads (list, export, verify).

    As usual where the folder can be written to, so an older database is upgraded first; where
    it cannot (a read-only share, a copy on a DVD), read-only as it is. A folder with no
    database to read keeps the refusal that says it cannot be written to.
    """
    try:
        return open_app_data(data_dir, passphrase=passphrase)
    except FolderNotWritableError:
        paths = DataPaths(resolve_data_dir(data_dir))
        if not paths.database.exists() or chosen_server(paths.root) is not None:
            raise
    return open_app_data(data_dir, passphrase=passphrase, read_only=True)


def folder_key(paths: DataPaths, passphrase: str | None = None) -> DataKey | None:
    """The folder's data key, or None when it is not encrypted."""
    settings = read_settings(paths.root)
    if settings is None:
        return None
    return unlock(settings, passphrase or os.environ.get(PASSPHRASE_ENV))


def _finish_interrupted_encryption(paths: DataPaths, key: DataKey) -> None:
    from j3490_desk.storage.folder_encryption import encrypt_folder, is_unfinished

    if is_unfinished(paths):
        encrypt_folder(paths, key)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except OSError:  # no login name in this environment (some containers, services)
        return "unknown"


def database_size_bytes(paths: DataPaths) -> int:
    """The database with its write-ahead log, as the About box shows it."""
    files = (paths.database, Path(f"{paths.database}-wal"))
    return sum(f.stat().st_size for f in files if f.exists())


def data_folder_warnings(paths: DataPaths) -> list[str]:
    """Things about the folder itself the clinic should know (it still opens)."""
    if is_network_path(paths.root):
        return [
            f"Your data folder {paths.root} is on a network share. SQLite, which keeps your "
            "claims, can corrupt its file when a network file system is shared between computers "
            f"(see {SQLITE_NETWORK_GUIDANCE}). Keep the data on this computer's own disk and use "
            "one computer for J3490 Desk, or ask for a server-based setup."
        ]
    return []


# Read before the main window shows, so in plain SQL: the ORM is not loaded yet (start-up time).


def accounts_enabled(data: AppData) -> bool:
    """True once the clinic has set up user accounts: sign-in and the lock ask for passwords."""
    with data.db.read_plain() as connection:
        return (
            connection.execute("SELECT 1 FROM app_user WHERE active LIMIT 1").fetchone() is not None
        )


def accounts_required(data: AppData) -> bool:
    """On a shared database every change must name a person: nobody works there unsigned."""
    return data.db.shared


def auto_lock_minutes(data: AppData) -> int:
    with data.db.read_plain() as connection:
        row = connection.execute(
            "SELECT auto_lock_minutes FROM clinic_settings WHERE id = 1"
        ).fetchone()
    return int(row[0]) if row else DEFAULT_AUTO_LOCK_MINUTES
