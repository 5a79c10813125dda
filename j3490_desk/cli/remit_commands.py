"""`j3490-desk remit import FILE.835 [--json]`: post a payer's 835 remittance (ERA).

A published contract for scripts: `--json` prints an object with exactly the keys `posted`
(claim ids), `already_posted` (claim ids), `unmatched` (the payer's claim numbers, CLP01),
`reversed` (claim ids) and `problems` (each an object with `segment` and `message`).
Exit 0 when the file was read, even with unmatched claims or problems (they are listed);
exit 2 for a file that is not an 835 or is damaged, and then nothing is posted.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from j3490_desk.services.app_data import open_app_data
from j3490_desk.services.remittance import ImportResult, import_remittance


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("remit", help="post payers' 835 remittance files (ERA)")
    actions = group.add_subparsers(dest="remit_command", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import", help="read an 835 file and post its payments, denials and reversals"
    )
    importer.add_argument("file", type=Path, metavar="FILE.835")
    importer.add_argument("--json", action="store_true", help="print the result as JSON")
    importer.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        result = import_remittance(data, args.file)
    finally:
        data.close()
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(_text(result))
    return 0


def _text(result: ImportResult) -> str:
    lines = [f"{result.file_name} (SHA-256 {result.sha256})"]
    for claim in result.claims:
        who = (
            f"claim {claim.claim_id}"
            if claim.claim_id
            else f"payer claim number {claim.claim_number}"
        )
        lines.append(
            f"  {who}: {claim.result.replace('_', ' ')} - {claim.outcome}, "
            f"charged {claim.charged}, paid {claim.paid}"
        )
        lines += [f"    {text}" for text in claim.described]
    lines += [f"  problem: {p.segment}: {p.message}" for p in result.problems]
    counts = (
        f"{len(result.posted)} posted, {len(result.reversed)} reversed, "
        f"{len(result.already_posted)} already posted, {len(result.unmatched)} unmatched, "
        f"{len(result.problems)} problem(s)"
    )
    return "\n".join([*lines, counts])
