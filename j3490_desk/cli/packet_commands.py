"""`j3490-desk claim packet ID --out FILE.pdf [--password P]`: the documentation packet.

Exit statuses: 0 written; 1 no such claim; 2 a problem the message explains (a missing or
damaged attachment, a folder that cannot be written, a full disk), with nothing written.
A claim the check still blocks is written as a DRAFT packet, and the command says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from j3490_desk.cli import arguments
from j3490_desk.services import packets
from j3490_desk.services.app_data import open_app_data


def add_packet_command(claim_subcommands: Any) -> None:
    """Add `packet` to the `claim` group's subparsers."""
    command = claim_subcommands.add_parser(
        "packet",
        help="write the claim's documentation packet (PDF); DRAFT while a blocker remains",
    )
    command.add_argument("claim_id", type=int, metavar="ID")
    command.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    command.add_argument("--password", metavar="P", help="protect the PDF with this password")
    command.add_argument(
        "--today",
        type=arguments.day,
        metavar="YYYY-MM-DD",
        help="check deadlines as of this day (default: today)",
    )
    command.set_defaults(handler=run_packet)


def run_packet(args: argparse.Namespace) -> int:
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        result = packets.export_packet(
            data, args.claim_id, args.out, password=args.password, today=args.today
        )
    finally:
        data.close()
    kind = "DRAFT packet (the claim check found blockers)" if result.draft else "packet"
    print(
        f"Wrote {kind} {result.path}: {result.page_count} pages, "
        f"control number {result.control_number}, SHA-256 {result.sha256}"
    )
    if result.draft:
        print("Fix the blockers (`j3490-desk claim check ID`) before submitting.", file=sys.stderr)
    return 0
