"""`j3490-desk claim packet ID --out FILE.pdf [--password]`: the documentation packet.

Exit statuses: 0 written; 1 no such claim; 2 a problem the message explains (a missing or
damaged attachment, a folder that cannot be written, a full disk, a password too short),
with nothing written. A claim the check still blocks is written as a DRAFT packet, and the
command says so.

The PDF password is never an argument's value (the process list shows those to every user):
`--password` asks for it at the terminal, twice, or reads J3490_DESK_PACKET_PASSWORD, which
alone also protects the packet. `--password P` still works for old scripts, with a warning.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from j3490_desk.cli import arguments
from j3490_desk.cli.arguments import record_id
from j3490_desk.errors import InvalidInputError
from j3490_desk.services import packets
from j3490_desk.services.app_data import open_app_data

PACKET_PASSWORD_ENV = "J3490_DESK_PACKET_PASSWORD"
_ASK = "\0ask"  # `--password` with no value: not a password anyone can type


def add_packet_command(claim_subcommands: Any) -> None:
    """Add `packet` to the `claim` group's subparsers."""
    command = claim_subcommands.add_parser(
        "packet",
        help="write the claim's documentation packet (PDF); DRAFT while a blocker remains",
    )
    command.add_argument("claim_id", type=record_id, metavar="ID")
    command.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    command.add_argument(
        "--password",
        nargs="?",
        const=_ASK,
        metavar="P",
        help=f"protect the PDF with a password, asked at the terminal or read from "
        f"${PACKET_PASSWORD_ENV} (giving it here as P is deprecated: others can see it)",
    )
    command.add_argument(
        "--today",
        type=arguments.day,
        metavar="YYYY-MM-DD",
        help="check deadlines as of this day (default: today)",
    )
    command.set_defaults(handler=run_packet)


def _password(given: str | None) -> str | None:
    """The packet's password: the environment's, the terminal's, or (deprecated) the option's."""
    from_env = os.environ.get(PACKET_PASSWORD_ENV)
    if given not in (None, _ASK):
        print(
            f"j3490-desk: warning: --password P shows the password to every user of this "
            f"computer (the process list, the shell history). Use --password alone, which "
            f"asks for it, or set {PACKET_PASSWORD_ENV}; the value form will be removed.",
            file=sys.stderr,
        )
        return given
    if from_env is not None:
        return from_env
    if given is None:
        return None
    if not sys.stdin.isatty():
        raise InvalidInputError(
            "--password asks for the packet's password at a terminal, and there is none.",
            f"Set {PACKET_PASSWORD_ENV} instead.",
        )
    first = getpass.getpass("Password for the packet PDF: ")
    if getpass.getpass("The same password again: ") != first:
        raise InvalidInputError("The two passwords differ; nothing was written.", "Try again.")
    return first


def run_packet(args: argparse.Namespace) -> int:
    password = _password(args.password)
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        result = packets.export_packet(
            data, args.claim_id, args.out, password=password, today=args.today
        )
    finally:
        data.close()
    kind = "DRAFT packet" if result.draft else "packet"
    print(
        f"Wrote {kind} {result.path}: {result.page_count} pages, "
        f"control number {result.control_number}, SHA-256 {result.sha256}"
    )
    if result.draft:
        print(
            f"{result.draft_reason} Check the claim (`j3490-desk claim check ID`), fix any "
            "blocker and mark it ready before submitting.",
            file=sys.stderr,
        )
    return 0
