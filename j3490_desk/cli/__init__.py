"""The command line: the same services as the app, from a terminal.

Each command group lives in its own module with a `register(subparsers)` that adds its
commands; a command's handler takes the parsed arguments and returns the exit status.
Exit statuses: 0 success, 1 "not found" or "check failed", 2 invalid input or a known
environment problem (the message says which and what to do).
"""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence

from j3490_desk import __version__
from j3490_desk.cli import (
    attachment_commands,
    backup_commands,
    claim_commands,
    clinic_commands,
    database_commands,
    encryption_commands,
    label_commands,
    reference_commands,
    remit_commands,
    user_commands,
)
from j3490_desk.cli.signed_in import signed_in
from j3490_desk.errors import KnownError, PassphraseRequiredError
from j3490_desk.storage.encryption import PASSPHRASE_ENV
from j3490_desk.storage.server_url import DATABASE_URL_ENV

Handler = Callable[[argparse.Namespace], int]

COMMAND_GROUPS = (
    claim_commands,
    clinic_commands,
    reference_commands,
    label_commands,
    attachment_commands,
    backup_commands,
    user_commands,
    encryption_commands,
    remit_commands,
    database_commands,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="j3490-desk",
        description="J3490 Desk: document, check and export unclassified-drug claims, offline.",
    )
    parser.add_argument("--version", action="version", version=f"j3490-desk {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data folder (default: $J3490_DESK_DATA_DIR, else the per-user app-data folder)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="the clinic's shared PostgreSQL database, postgresql+psycopg://USER@HOST:5432/DB "
        f"(default: ${DATABASE_URL_ENV}, else Settings > Data, else the data folder's own "
        "SQLite file); the password comes from the keychain, PGPASSWORD or .pgpass",
    )
    # Never an option (it would show in the process list): run() fills it from the
    # environment or asks on the terminal.
    parser.set_defaults(passphrase=None)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(subparsers)
    return parser


def run(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    args.passphrase = os.environ.get(PASSPHRASE_ENV)
    if args.database_url:  # every command opens its data through open_app_data, which reads it
        os.environ[DATABASE_URL_ENV] = args.database_url
    try:
        try:
            with signed_in(args):
                return handler(args)
        except PassphraseRequiredError:
            if args.passphrase or not sys.stdin.isatty():
                raise
            # Raised before anything was read or written, so running the command again is safe.
            args.passphrase = getpass.getpass("Passphrase for the encrypted data: ")
            with signed_in(args):
                return handler(args)
    except KnownError as error:
        print(f"j3490-desk: {error}", file=sys.stderr)
        return error.exit_status
    except BrokenPipeError:
        # `claim list | head`: the reader left. Later output (and Python's own flush at exit)
        # goes nowhere instead of raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print("j3490-desk: the output was closed before all of it was written.", file=sys.stderr)
        return 2
    except OSError as error:
        if error.errno not in _ENVIRONMENT_ERRNOS:
            raise  # anything else is a bug, for the crash handler
        print(f"j3490-desk: {_os_problem(error)}", file=sys.stderr)
        return 2
    except sqlite3.OperationalError as error:
        problem = _SQLITE_PROBLEMS.get(getattr(error, "sqlite_errorname", ""))
        if problem is None:
            raise
        print(f"j3490-desk: {problem}", file=sys.stderr)
        return 2


# Failures of the machine, not of the program: the disk, the permissions, the file system.
_ENVIRONMENT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}
)
_SQLITE_PROBLEMS = {
    "SQLITE_FULL": "The disk holding the data is full; the change was not saved.\n"
    "Free some disk space, then run the command again.",
    "SQLITE_READONLY": "The data cannot be written: the file or its folder is read-only.\n"
    "Ask your IT person for write permission, or choose another folder with --data-dir.",
}


def _os_problem(error: OSError) -> str:
    where = f" {error.filename}" if error.filename else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (
            f"No room left to write{where} ({error.strerror}); the command stopped there.\n"
            "Free some disk space, then run the command again."
        )
    return (
        f"Not allowed to write{where} ({error.strerror}); the command stopped there.\n"
        "Ask your IT person for write permission on that folder, or choose another one."
    )
