"""`j3490-desk encryption ...`: encrypt the data folder at rest and manage its passphrase.

Passphrases are never taken as arguments (they would show in the process list and the shell
history): they are asked for on the terminal, or read from J3490_DESK_PASSPHRASE (and
J3490_DESK_NEW_PASSPHRASE for a change) by scripts.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from j3490_desk.errors import InvalidInputError
from j3490_desk.services import encryption
from j3490_desk.storage.encryption import PASSPHRASE_ENV

NEW_PASSPHRASE_ENV = "J3490_DESK_NEW_PASSPHRASE"


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("encryption", help="encrypt the data folder at rest")
    commands = group.add_subparsers(dest="encryption_command", metavar="ACTION", required=True)

    show = commands.add_parser("status", help="say whether the data folder is encrypted")
    show.set_defaults(handler=_status)

    enable = commands.add_parser(
        "enable", help="encrypt the database, attachments and future backups (or finish)"
    )
    enable.add_argument(
        "--remember",
        action="store_true",
        help="keep the key in this computer's keychain so the app opens without asking",
    )
    enable.set_defaults(handler=_enable)

    change = commands.add_parser("change-passphrase", help="set a new passphrase")
    keychain = change.add_mutually_exclusive_group()
    keychain.add_argument("--remember", dest="remember", action="store_true", default=None)
    keychain.add_argument("--forget", dest="remember", action="store_false")
    change.set_defaults(handler=_change)


def _status(args: argparse.Namespace) -> int:
    try:
        encryption.refuse_if_shared(args.data_dir)
    except encryption.NotForSharedDatabaseError as refusal:
        print(f"not applicable: {refusal.message}")
        return 0
    state = encryption.status(args.data_dir)
    if not state.encrypted:
        print("not encrypted")
    elif state.unfinished:
        print("encryption started but not finished: run `j3490-desk encryption enable` again")
    else:
        kept = " (key kept in this computer's keychain)" if state.keychain else ""
        print(f"encrypted{kept}")
    return 0


def _enable(args: argparse.Namespace) -> int:
    encryption.refuse_if_shared(args.data_dir)  # before asking for a passphrase
    finishing = encryption.status(args.data_dir).encrypted
    passphrase = args.passphrase or (
        _ask("Passphrase: ") if finishing else new_passphrase(PASSPHRASE_ENV)
    )
    report = encryption.enable(args.data_dir, passphrase, remember=args.remember)
    print(
        f"encrypted: {report.databases} database file(s), {report.attachments} attachment(s). "
        "Keep the passphrase safe: without it nobody, including us, can open this data."
    )
    return 0


def _change(args: argparse.Namespace) -> int:
    old = args.passphrase or _ask("Current passphrase: ")
    encryption.change_passphrase(
        args.data_dir, old, new_passphrase(NEW_PASSPHRASE_ENV), remember=args.remember
    )
    print("passphrase changed")
    return 0


def new_passphrase(env: str) -> str:
    if os.environ.get(env):
        return os.environ[env]
    first = _ask("New passphrase: ")
    if _ask("Repeat it: ") != first:
        raise InvalidInputError("The two passphrases differ.", "Nothing was changed. Try again.")
    return first


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise InvalidInputError(
            "A passphrase is needed and there is no terminal to ask on.",
            f"Set {PASSPHRASE_ENV} (and {NEW_PASSPHRASE_ENV} for a new one) for scripts.",
        )
    return getpass.getpass(prompt)
