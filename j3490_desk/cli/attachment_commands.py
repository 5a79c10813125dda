"""`j3490-desk attachments add | list | verify`: the claim's files, from a terminal.

A published contract for scripts:
- `attachments add CLAIM_ID FILE --kind invoice|order|label|other [--line N]` attaches FILE
  through the same service as the app (content checked, stored once by SHA-256, audited) to
  drug line N (1 = the first drug) or to the whole claim, and prints the file's SHA-256.
- `attachments list CLAIM_ID --json` prints a JSON array of objects with the keys `sha256`,
  `kind`, `line` (null for the whole claim), `file_name` and `pages`.
Bad input (an unknown claim or line, a missing or refused file, a kind not in the list) is a
message and exit 2; nothing is stored then.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from j3490_desk.cli.arguments import record_id
from j3490_desk.errors import InvalidInputError, NotFoundError
from j3490_desk.services import claims
from j3490_desk.services.app_data import AppData, open_app_data, open_app_data_to_read
from j3490_desk.services.attachments import (
    AttachmentInfo,
    AttachmentKind,
    add_attachment,
    list_attachments,
    verify_attachments,
)

# The scripts' words for the kinds of document an item needs (and "other").
KINDS = {
    "invoice": AttachmentKind.INVOICE,
    "order": AttachmentKind.PRESCRIPTION,
    "label": AttachmentKind.LABEL_PHOTO,
    "other": AttachmentKind.OTHER,
}
_KIND_WORDS = {kind: word for word, kind in KINDS.items()}


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("attachments", help="attach, list and check a claim's files")
    actions = group.add_subparsers(dest="attachments_command", metavar="ACTION", required=True)

    adder = actions.add_parser(
        "add", help="attach a file (PDF, JPEG, PNG, TIFF, HEIC) to a claim; prints its SHA-256"
    )
    adder.add_argument("claim_id", type=record_id, metavar="CLAIM_ID")
    adder.add_argument("file", type=Path, metavar="FILE")
    adder.add_argument("--kind", required=True, choices=sorted(KINDS), help="what the file is")
    adder.add_argument(
        "--line", type=int, metavar="N", help="the drug line it proves (1 = first; default: claim)"
    )
    adder.set_defaults(handler=_add)

    lister = actions.add_parser("list", help="list a claim's current files")
    lister.add_argument("claim_id", type=record_id, metavar="CLAIM_ID")
    lister.add_argument("--json", action="store_true", help="print a JSON array")
    lister.set_defaults(handler=_list)

    verify = actions.add_parser(
        "verify", help="re-hash every attached file; exits 1 if any is missing or changed"
    )
    verify.set_defaults(handler=_verify)


def _add(args: argparse.Namespace) -> int:
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        line_ids = _line_ids(data, args.claim_id)
        info = add_attachment(
            data,
            claim_id=args.claim_id,
            drug_line_id=_line_id(line_ids, args.claim_id, args.line),
            kind=KINDS[args.kind],
            source=args.file,
            original_name=args.file.name,
        )
    finally:
        data.close()
    print(info.sha256)
    return 0


def _list(args: argparse.Namespace) -> int:
    data = open_app_data_to_read(args.data_dir, passphrase=args.passphrase)
    try:
        line_ids = _line_ids(data, args.claim_id)
        infos = list_attachments(data, args.claim_id)
    finally:
        data.close()
    rows = [_row(info, line_ids) for info in infos]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'LINE':>4}  {'KIND':14}  {'PAGES':>5}  {'SHA-256':64}  FILE")
    for row in rows:
        line = "-" if row["line"] is None else str(row["line"])
        print(
            f"{line:>4}  {row['kind']:14}  {row['pages']:>5}  {row['sha256']:64}  {row['file_name']}"
        )
    return 0


def _verify(args: argparse.Namespace) -> int:
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        problems = verify_attachments(data)
    finally:
        data.close()
    for problem in problems:
        print(problem.message)
    if problems:
        print(
            f"{len(problems)} attachment(s) need attention: restore the data folder from your "
            "latest backup, or attach the files again."
        )
        return 1
    print("Every attached file is present and unchanged.")
    return 0


def _line_ids(data: AppData, claim_id: int) -> list[int | None]:
    """The claim's drug-line ids in order; an unknown claim is bad input here (exit 2)."""
    try:
        claim = claims.get_claim(data, claim_id)
    except NotFoundError as error:
        raise InvalidInputError(
            error.message, "`j3490-desk claim list` shows the claims and their ids."
        ) from error
    return [line.id for line in claim.drug_lines]


def _line_id(line_ids: list[int | None], claim_id: int, line: int | None) -> int | None:
    if line is None:
        return None
    if not 1 <= line <= len(line_ids):
        raise InvalidInputError(
            f"Claim {claim_id} has no drug line {line} (it has {len(line_ids)}).",
            "Give --line from 1 to the number of drugs, or leave it out to attach the file "
            "to the whole claim.",
        )
    return line_ids[line - 1]


def _row(info: AttachmentInfo, line_ids: list[int | None]) -> dict[str, Any]:
    line = line_ids.index(info.drug_line_id) + 1 if info.drug_line_id in line_ids else None
    return {
        "sha256": info.sha256,
        "kind": _KIND_WORDS.get(info.kind, info.kind.value),
        "line": line,
        "file_name": info.original_name,
        "pages": info.page_count,
    }
