"""`j3490-desk claim ready ID` and `claim submit ID --how ...`: the app's lifecycle moves.

Both go through services.claim_status, the service behind the app's Mark ready and Mark
submitted, so a script meets exactly the rules the clerk meets. Exit statuses: 0 moved;
1 no such claim, or (ready) a blocker remains, named; 2 a move the rules refuse or bad input.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from j3490_desk.cli.arguments import record_id
from j3490_desk.domain.claim_lifecycle import SubmissionMethod
from j3490_desk.services import claim_status
from j3490_desk.services.app_data import open_app_data


def add_lifecycle_commands(claim_subcommands: Any) -> None:
    """Add `ready` and `submit` to the `claim` group's subparsers."""
    ready = claim_subcommands.add_parser(
        "ready", help="mark a claim ready (the app's gate); exits 1 while a blocker remains"
    )
    ready.add_argument("claim_id", type=record_id, metavar="ID")
    ready.set_defaults(handler=_ready)

    submit = claim_subcommands.add_parser(
        "submit", help="mark a ready claim submitted, with its proof of filing"
    )
    submit.add_argument("claim_id", type=record_id, metavar="ID")
    submit.add_argument(
        "--how",
        required=True,
        choices=[method.value for method in SubmissionMethod],
        help="how the claim went to the payer",
    )
    submit.add_argument(
        "--reference", default="", metavar="REF", help="the payer's or clearinghouse's number"
    )
    submit.add_argument(
        "--proof", type=Path, metavar="FILE", help="proof of filing (PDF or image), attached"
    )
    submit.add_argument(
        "--date",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the day it was sent (default: today)",
    )
    submit.set_defaults(handler=_submit)


def _ready(args: argparse.Namespace) -> int:
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        codes = claim_status.mark_ready(data, args.claim_id)
    finally:
        data.close()
    remaining = f" (finding(s) still to note: {', '.join(codes)})" if codes else ""
    print(f"Claim {args.claim_id} is ready{remaining}.")
    return 0


def _submit(args: argparse.Namespace) -> int:
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        claim_status.submit(
            data,
            args.claim_id,
            submitted_on=args.date or date.today(),
            method=SubmissionMethod(args.how),
            reference_number=args.reference,
            proof=args.proof,
            proof_name=args.proof.name if args.proof else "",
        )
    finally:
        data.close()
    print(f"Claim {args.claim_id} is submitted ({args.how}).")
    return 0
