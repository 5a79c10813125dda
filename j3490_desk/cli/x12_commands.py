"""`j3490-desk claim 837p ID [ID ...] --out FILE` (or `--status ready`): one 837P 5010 file.

Exit statuses (a contract): 0 written, the path printed; 1 nothing written because a claim
still has a blocker, the clinic's submitter details are incomplete, or the file failed its
checks (the message names claim, line and what is missing); 2 bad input: an unknown claim id,
an unwritable or missing folder. Writing does not change any claim's status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from j3490_desk.cli.arguments import record_id
from j3490_desk.errors import InvalidInputError
from j3490_desk.services import claim_837p
from j3490_desk.services.app_data import open_app_data


def add_837p_command(claim_subcommands: Any) -> None:
    """Add `837p` to the `claim` group's subparsers."""
    command = claim_subcommands.add_parser(
        "837p", help="write the claims as one X12 837P (005010X222A1) file, checked first"
    )
    command.add_argument("claim_ids", type=record_id, nargs="*", metavar="ID")
    command.add_argument("--out", type=Path, required=True, metavar="FILE")
    command.add_argument(
        "--status", choices=["ready"], help="every claim with this status, in place of the ids"
    )
    command.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    if bool(args.claim_ids) == bool(args.status):
        raise InvalidInputError(
            "Name the claims by id, or give --status ready, not both and not neither.",
            "e.g. j3490-desk claim 837p 7 9 --out claims.837",
        )
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        ids = claim_837p.ready_claim_ids(data) if args.status else args.claim_ids
        result = claim_837p.export_837p(data, ids, args.out)
    finally:
        data.close()
    for warning in result.warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    print(result.path)
    return 0
