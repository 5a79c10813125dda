"""`j3490-desk database ...`: the clinic's shared PostgreSQL database.

`move-to` is here; `show`, `use` and `password` (this seat's choice and its password) are in
database_settings_commands, which adds them to this group.
"""

from __future__ import annotations

import argparse
from typing import Any

from j3490_desk.cli import database_settings_commands
from j3490_desk.services import database_move


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("database", help="the clinic's shared PostgreSQL database")
    commands = group.add_subparsers(dest="database_command", metavar="ACTION", required=True)
    _register_move_to(commands)
    database_settings_commands.add_commands(commands)


def _register_move_to(commands: Any) -> None:
    move = commands.add_parser(
        "move-to",
        help="copy this one-seat data folder into an empty PostgreSQL database (the folder "
        "is left as it is)",
    )
    move.add_argument(
        "url", metavar="URL", help="postgresql+psycopg://USER@HOST:5432/DB, an empty database"
    )
    move.add_argument(
        "--use-it",
        action="store_true",
        help="afterwards, make this seat use the server (as Settings > Data would)",
    )
    move.set_defaults(handler=_move_to)


def _move_to(args: argparse.Namespace) -> int:
    server, report = database_move.move_to(
        args.data_dir, args.url, passphrase=args.passphrase, use_it=args.use_it
    )
    rows = sum(report.rows.values())
    print(
        f"copied {rows} rows ({report.rows.get('claim', 0)} claims) and {report.attachments} "
        f"attachment file(s) into {server.label}"
    )
    print(
        "checked on the server: every table's row count, every attachment's SHA-256, the audit log"
    )
    if report.rehashed_audit_entries:
        print(
            f"the audit log's {report.rehashed_audit_entries} entries verified with the "
            "folder's key, then were re-hashed for the server, which has no folder key"
        )
    for sha256 in report.missing_attachments:
        print(f"note: attachment {sha256} was already missing from the data folder")
    print("the data folder was not changed")
    if args.use_it:
        print("this seat now uses the server")
    else:
        print(
            "next: point every seat at the server, in Settings > Data > Shared database, or "
            f"with --database-url {server.text}"
        )
    return 0
