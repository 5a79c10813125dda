"""The command line: the same services as the app, from a terminal.

Each command group lives in its own module with a `register(subparsers)` that adds its
commands; a command's handler takes the parsed arguments and returns the exit status.
Exit statuses: 0 success, 1 "not found" or "check failed", 2 invalid input or a known
environment problem (the message says which and what to do).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence

from j3490_desk import __version__
from j3490_desk.cli import (
    attachment_commands,
    backup_commands,
    claim_commands,
    encryption_commands,
    label_commands,
    reference_commands,
    remit_commands,
    user_commands,
)
from j3490_desk.errors import KnownError, PassphraseRequiredError
from j3490_desk.storage.encryption import PASSPHRASE_ENV

Handler = Callable[[argparse.Namespace], int]

COMMAND_GROUPS = (
    claim_commands,
    reference_commands,
    label_commands,
    attachment_commands,
    backup_commands,
    user_commands,
    encryption_commands,
    remit_commands,
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
    try:
        try:
            return handler(args)
        except PassphraseRequiredError:
            if args.passphrase or not sys.stdin.isatty():
                raise
            # Raised before anything was read or written, so running the command again is safe.
            args.passphrase = getpass.getpass("Passphrase for the encrypted data: ")
            return handler(args)
    except KnownError as error:
        print(f"j3490-desk: {error}", file=sys.stderr)
        return error.exit_status
