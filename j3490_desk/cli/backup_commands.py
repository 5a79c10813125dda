"""`j3490-desk backup ...` and `j3490-desk audit verify`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from j3490_desk.cli.encryption_commands import new_passphrase
from j3490_desk.services import backups
from j3490_desk.services.app_data import open_app_data, open_app_data_to_read
from j3490_desk.storage import audit
from j3490_desk.storage.encryption import PASSPHRASE_ENV


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("backup", help="back up, verify and restore the data folder")
    commands = group.add_subparsers(dest="backup_command", metavar="ACTION", required=True)

    create = commands.add_parser("create", help="write one backup file (database + attachments)")
    create.add_argument("--to", type=Path, metavar="DIR", help="folder for the backup file")
    create.add_argument(
        "--encrypt",
        action="store_true",
        help=f"shared database: encrypt the backup with a passphrase (${PASSPHRASE_ENV}, else "
        "asked); a data folder's backups are encrypted when the folder is",
    )
    create.set_defaults(handler=_create)

    verify = commands.add_parser("verify", help="check every hash in a backup file")
    verify.add_argument("file", type=Path, metavar="FILE")
    verify.set_defaults(handler=_verify)

    restore = commands.add_parser("restore", help="restore a backup into the data folder")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace existing data (it is backed up first); without it the folder must be empty",
    )
    restore.set_defaults(handler=_restore)

    audit_group = subparsers.add_parser("audit", help="the audit trail")
    audit_commands = audit_group.add_subparsers(
        dest="audit_command", metavar="ACTION", required=True
    )
    chain = audit_commands.add_parser(
        "verify", help="report any break in the audit log's hash chain"
    )
    chain.set_defaults(handler=_audit_verify)


def _create(args: argparse.Namespace) -> int:
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        passphrase = (args.passphrase or new_passphrase(PASSPHRASE_ENV)) if args.encrypt else None
        print(backups.back_up(data, args.to, passphrase=passphrase))
    finally:
        data.close()
    return 0


def _verify(args: argparse.Namespace) -> int:
    problems = backups.verify(args.file, passphrase=args.passphrase)
    for problem in problems:
        print(f"{problem.member}: {problem.problem}")
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("backup verified: complete, every hash matches")
    if backups.is_signed(args.file):
        print(
            "signed with the data folder's key (a shared database's backup: the key its "
            "passphrase unlocks): nothing in it was changed, swapped or removed"
        )
    elif backups.is_encrypted(args.file):
        print(
            "encrypted, but made before backups were signed: each file is checked, a removed "
            "attachment would not show"
        )
    else:
        print(
            "not encrypted: checked for damage, not for tampering (someone who rewrites a file "
            "and the manifest together would not be caught)"
        )
    return 0


def _restore(args: argparse.Namespace) -> int:
    safety_copy = backups.restore(
        args.file, args.data_dir, replace_existing=args.replace, passphrase=args.passphrase
    )
    if safety_copy is not None:
        print(f"the data that was there is saved in {safety_copy}")
    print("restored")
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    data = open_app_data_to_read(args.data_dir, passphrase=args.passphrase)
    # The head record is the one-seat folder's file; on a shared database the seats keep none.
    folder = None if data.db.shared else data.paths.root
    try:
        with data.db.read() as session:
            breaks = audit.verify_chain(session, folder=folder, key=data.db.key)
    finally:
        data.close()
    for item in breaks:
        where = "the audit log" if item.entry_id is None else f"audit entry {item.entry_id}"
        print(f"{where} {item.problem}")
    if breaks:
        print(f"{len(breaks)} break(s) in the audit log")
        return 1
    print("audit log intact")
    for note in audit.head_notes(folder):
        print(f"note: {note}")
    return 0
