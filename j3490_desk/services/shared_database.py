"""Which database this seat uses, as Settings > Data and `j3490-desk database` show and change it.

The choice itself is kept by `storage.server_url` (the seat's `shared-database.json`, never a
password) and takes effect at the next start: the open window keeps the database it opened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from j3490_desk.errors import (
    InvalidInputError,
    KnownError,
    PassphraseRequiredError,
    WrongPassphraseError,
)
from j3490_desk.paths import DataPaths, resolve_data_dir
from j3490_desk.services.app_data import AppData, folder_key
from j3490_desk.storage.database import SCHEMA_HEAD, current_revision
from j3490_desk.storage.server_database import ServerDatabase, ServerLoginError, probe_server
from j3490_desk.storage.server_url import (
    DATABASE_URL_ENV,
    DEFAULT_PORT,
    DRIVER,
    SSL_MODES,
    ServerAddress,
    chosen_server,
    parse_server_url,
    remember_password,
    save_server_choice,
)

__all__ = [
    "DATABASE_URL_ENV",
    "DEFAULT_PORT",
    "RECOMMENDED_SSL_MODE",
    "SSL_MODES",
    "DatabaseDescription",
    "ServerAddress",
    "ServerFields",
    "ServerLoginError",
    "address_from_fields",
    "check_server",
    "database_in_use",
    "describe",
    "fields_of",
    "parse_server_url",
    "remember_password",
    "save_choice",
    "saved_choice",
]

RECOMMENDED_SSL_MODE = "verify-full"  # for a server on another computer: encrypted, and checked
LOCAL_SSL_MODE = "prefer"  # libpq's own default, for a server on this computer
TAKES_EFFECT = "The change takes effect the next time J3490 Desk starts."


@dataclass(frozen=True)
class ServerFields:
    """The parts of a server URL as Settings > Data shows them (never a password)."""

    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    sslmode: str = RECOMMENDED_SSL_MODE


def fields_of(server: ServerAddress) -> ServerFields:
    url = server.url
    return ServerFields(
        host=url.host or "",
        port=url.port or DEFAULT_PORT,
        database=url.database or "",
        user=url.username or "",
        sslmode=str(url.query.get("sslmode") or LOCAL_SSL_MODE),
    )


def address_from_fields(fields: ServerFields) -> ServerAddress:
    """The checked URL of what was typed; the same refusals as a URL given on the command line."""
    from sqlalchemy.engine import URL

    for label, value in (
        ("server", fields.host),
        ("database", fields.database),
        ("user", fields.user),
    ):
        if not value.strip():
            raise InvalidInputError(
                f"The {label} is empty.", f"Type the {label} your IT person gave you."
            )
    url = URL.create(
        DRIVER,
        username=fields.user.strip(),
        host=fields.host.strip(),
        port=fields.port,
        database=fields.database.strip(),
        query={"sslmode": fields.sslmode},
    )
    return parse_server_url(url.render_as_string(hide_password=False))


def saved_choice(data_dir: str | os.PathLike[str] | None) -> ServerAddress | None:
    """The server this seat opens at its next start (flag, environment or Settings), or None."""
    return chosen_server(resolve_data_dir(data_dir))


def save_choice(data_dir: str | os.PathLike[str] | None, server: ServerAddress | None) -> str:
    """Remember the seat's choice (None: this folder's SQLite file); returns what to tell."""
    folder = resolve_data_dir(data_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new data folder, as the app makes
    save_server_choice(folder, server)
    where = f"the shared database {server.label}" if server else f"the SQLite file in {folder}"
    said = [f"Saved: this computer will use {where}.", TAKES_EFFECT]
    if os.environ.get(DATABASE_URL_ENV):
        said.append(f"({DATABASE_URL_ENV} is set for this session, and wins over it.)")
    # Nothing is copied by choosing: say where the claims saved so far stay.
    if server is None:
        said.append("Claims saved on a server stay there; this file holds only its own.")
    elif DataPaths(folder).database.exists():
        said.append(
            "The claims in this folder's own file stay there; to copy them to an empty server "
            "database, use `j3490-desk database move-to URL` first."
        )
    return " ".join(said)


def check_server(server: ServerAddress, password: str | None = None) -> str:
    """'Test connection': what the server says, as a line to show; refusals raise KnownError."""
    revision = probe_server(server, password or None)
    if revision is None:
        return "connected, empty database: J3490 Desk sets it up the first time it opens it"
    if revision != SCHEMA_HEAD:
        return f"connected, schema {revision} (upgraded to {SCHEMA_HEAD} when J3490 Desk opens it)"
    return f"connected, schema {revision}"


@dataclass(frozen=True)
class DatabaseDescription:
    """`database show`: which engine, where, which schema, and whether it answers."""

    engine: str  # "sqlite" or "postgresql"
    url: str | None  # the server URL (it never holds a password); None for SQLite
    path: str | None  # the SQLite file; None for a server
    schema: str | None
    reachable: bool
    error: str | None


def describe(
    data_dir: str | os.PathLike[str] | None, passphrase: str | None = None
) -> DatabaseDescription:
    """What this seat opens now, checked without changing anything."""
    paths = DataPaths(resolve_data_dir(data_dir))
    server = chosen_server(paths.root)
    if server is not None:
        try:
            revision = probe_server(server)
        except KnownError as error:
            return DatabaseDescription("postgresql", server.text, None, None, False, str(error))
        return DatabaseDescription("postgresql", server.text, None, revision, True, None)
    try:
        revision = current_revision(paths.database, folder_key(paths, passphrase))
    except (PassphraseRequiredError, WrongPassphraseError):
        raise  # the command line asks for the passphrase and runs it again
    except KnownError as error:
        return DatabaseDescription("sqlite", None, str(paths.database), None, False, str(error))
    return DatabaseDescription("sqlite", None, str(paths.database), revision, True, None)


def database_in_use(data: AppData) -> str:
    """What the About box and the status bar say about where the claims are."""
    if isinstance(data.db, ServerDatabase):
        return f"the shared PostgreSQL database {data.db.server.label}"
    return "the SQLite file in the data folder (this computer only)"
