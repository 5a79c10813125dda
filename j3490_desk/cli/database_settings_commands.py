"""`j3490-desk database show|use|password`: which database this seat uses, and its password
(added to the `database` group that database_commands makes).

The password is never an argument (it would show in the process list and the shell history):
it is asked for twice on the terminal, or read from J3490_DESK_DATABASE_PASSWORD by scripts,
and kept only in this computer's keychain.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import asdict
from typing import Any

from j3490_desk.errors import InvalidInputError, KnownError
from j3490_desk.services import shared_database

PASSWORD_ENV = "J3490_DESK_DATABASE_PASSWORD"


def add_commands(commands: Any) -> None:
    show = commands.add_parser(
        "show", help="the engine, URL and schema in use, and whether the server answers"
    )
    show.add_argument("--json", action="store_true", help="one JSON object, for scripts")
    show.set_defaults(handler=_show)

    use = commands.add_parser(
        "use", help="choose the shared PostgreSQL database, or this folder's SQLite file"
    )
    target = use.add_mutually_exclusive_group(required=True)
    target.add_argument("url", nargs="?", help="postgresql+psycopg://USER@HOST:5432/DATABASE")
    target.add_argument("--sqlite", action="store_true", help="this data folder's own SQLite file")
    use.set_defaults(handler=_use)

    password = commands.add_parser(
        "password",
        help=f"keep the server password in this computer's keychain (asked, or ${PASSWORD_ENV})",
    )
    password.set_defaults(handler=_password)


def _show(args: argparse.Namespace) -> int:
    described = shared_database.describe(args.data_dir, args.passphrase)
    if args.json:
        print(json.dumps(asdict(described), indent=2))
    else:
        where = described.url or described.path
        print(f"engine: {described.engine}")
        print(f"{'url' if described.url else 'file'}: {where}")
        if described.reachable:
            print(f"schema: {described.schema or 'none yet'}")
            print("reachable: yes")
        else:
            print(f"reachable: no\n{described.error}")
    return 0 if described.reachable else 2


def _use(args: argparse.Namespace) -> int:
    server = None if args.sqlite else shared_database.parse_server_url(args.url)
    print(shared_database.save_choice(args.data_dir, server))
    return 0


def _password(args: argparse.Namespace) -> int:
    server = shared_database.saved_choice(args.data_dir)
    if server is None:
        raise InvalidInputError(
            "This computer uses its own SQLite file, which has no server password.",
            "Choose the server first: `j3490-desk database use URL`, or --database-url URL.",
        )
    password = _new_password()
    try:
        answer = shared_database.check_server(server, password)
    except shared_database.ServerLoginError:
        raise  # a password the server refuses is not kept
    except KnownError as error:  # the server cannot say: kept, to be used once it answers
        shared_database.remember_password(server, password)
        print(f"password for {server.keychain_user} kept in this computer's keychain")
        print(f"j3490-desk: it could not be checked: {error}", file=sys.stderr)
        return error.exit_status
    shared_database.remember_password(server, password)
    print(f"password for {server.keychain_user} kept in this computer's keychain")
    print(answer)
    return 0


def _new_password() -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise InvalidInputError(
            "The database password is needed and there is no terminal to ask on.",
            f"Set {PASSWORD_ENV} for scripts; it is never taken as an argument.",
        )
    first = getpass.getpass("Database password: ")
    if not first:
        raise InvalidInputError("The password is empty.", "Nothing was changed. Try again.")
    if getpass.getpass("Repeat it: ") != first:
        raise InvalidInputError("The two passwords differ.", "Nothing was changed. Try again.")
    return first
