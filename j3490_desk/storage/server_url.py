"""Which database a seat uses: the embedded SQLite file, or a clinic's shared PostgreSQL server.

The choice, first found wins: `--database-url` (the CLI sets it in the environment for its run),
J3490_DESK_DATABASE_URL, then the seat's own `shared-database.json` in its data folder, written by
Settings > Data. With none, the data folder's SQLite file, as always.

The URL never holds a password: it would sit in a settings file or a shell history in clear.
psycopg (libpq) finds the password itself in PGPASSWORD or the user's .pgpass file; the OS
keychain can hold it too (`database password`), under the URL without its password.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from j3490_desk.errors import KnownError
from j3490_desk.storage.encryption import write_atomically

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

DATABASE_URL_ENV = "J3490_DESK_DATABASE_URL"
SETTINGS_FILE = "shared-database.json"
KEYCHAIN_SERVICE = "J3490 Desk database server"
DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
# libpq's own modes; verify-full is what the README recommends for a server on another machine.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class DatabaseUrlError(KnownError):
    """The shared-database URL is not one J3490 Desk can use."""


@dataclass(frozen=True)
class ServerAddress:
    """A checked server URL, without any password."""

    url: URL

    @property
    def text(self) -> str:
        return self.url.render_as_string(hide_password=False)

    @property
    def label(self) -> str:
        """What messages name: the database and where it is, never a password."""
        return f"{self.url.database} on {self.url.host}:{self.url.port or DEFAULT_PORT}"

    @property
    def keychain_user(self) -> str:
        return f"{self.url.username}@{self.url.host}:{self.url.port or DEFAULT_PORT}/{self.url.database}"


def parse_server_url(text: str) -> ServerAddress:
    """Check a shared-database URL; refuse another engine, a password in it, a bad sslmode."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = text.strip()
    try:
        url = make_url(text)
    except ArgumentError as error:
        raise DatabaseUrlError(
            f"{text!r} is not a database URL.",
            f"Write it as {DRIVER}://USER@HOST:5432/DATABASE.",
        ) from error
    backend = url.get_backend_name()
    if backend != "postgresql":
        raise DatabaseUrlError(
            f"The database URL is for {backend}, and J3490 Desk shares its data only through "
            "PostgreSQL.",
            f"Give a {DRIVER}://USER@HOST:5432/DATABASE URL, or none at all to keep the data "
            "in this computer's data folder (SQLite).",
        )
    if url.get_driver_name() not in ("psycopg", "postgresql"):  # postgresql:// means psycopg here
        raise DatabaseUrlError(
            f"The database URL asks for the {url.get_driver_name()} driver; J3490 Desk uses "
            "psycopg 3.",
            f"Start the URL with {DRIVER}://.",
        )
    if url.password is not None:
        raise DatabaseUrlError(
            "The database URL contains a password, which would then be kept in clear.",
            "Remove it from the URL, and give the password with `j3490-desk database password` "
            "(the computer's keychain), the PGPASSWORD environment variable or a .pgpass file.",
        )
    if not url.host or not url.database or not url.username:
        raise DatabaseUrlError(
            "The database URL must name the user, the server and the database.",
            f"Write it as {DRIVER}://USER@HOST:5432/DATABASE.",
        )
    sslmode = url.query.get("sslmode")
    if sslmode is not None and sslmode not in SSL_MODES:
        raise DatabaseUrlError(
            f"sslmode={sslmode} is not one PostgreSQL knows.",
            f"Use one of {', '.join(SSL_MODES)}; verify-full for a server on another computer.",
        )
    return ServerAddress(url.set(drivername=DRIVER))


def chosen_server(data_folder: Path, explicit: str | None = None) -> ServerAddress | None:
    """The shared server this seat uses, or None for the data folder's own SQLite file."""
    text = explicit or os.environ.get(DATABASE_URL_ENV) or _saved_url(data_folder)
    return parse_server_url(text) if text else None


def save_server_choice(data_folder: Path, server: ServerAddress | None) -> None:
    """Settings > Data: remember (or forget, with None) this seat's shared server."""
    target = data_folder / SETTINGS_FILE
    if server is None:
        target.unlink(missing_ok=True)
        return
    write_atomically(target, json.dumps({"url": server.text}, indent=2).encode())


def _saved_url(data_folder: Path) -> str | None:
    target = data_folder / SETTINGS_FILE
    try:
        saved = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise DatabaseUrlError(
            f"{target} cannot be read ({error}).",
            "Choose the shared database again in Settings > Data, or delete that file to use "
            "this computer's own data.",
        ) from error
    url = saved.get("url") if isinstance(saved, dict) else None
    return url if isinstance(url, str) and url else None


def keychain_password(server: ServerAddress) -> str | None:
    """The password the keychain holds for this server, if any (libpq looks elsewhere itself)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYCHAIN_SERVICE, server.keychain_user)
    except KeyringError:  # no keychain on this computer: PGPASSWORD or .pgpass then
        return None


def remember_password(server: ServerAddress, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYCHAIN_SERVICE, server.keychain_user, password)
    except KeyringError as error:
        raise DatabaseUrlError(
            f"This computer's keychain cannot keep the password ({error}).",
            "Put it in PGPASSWORD or in a .pgpass file instead (see the README).",
        ) from error
