"""`j3490-desk claim ...`: import, export and list claims."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from j3490_desk.cli import arguments
from j3490_desk.cli.lifecycle_commands import add_lifecycle_commands
from j3490_desk.cli.packet_commands import add_packet_command
from j3490_desk.cli.x12_commands import add_837p_command
from j3490_desk.domain.findings import item_label
from j3490_desk.errors import InvalidInputError
from j3490_desk.services import checks, claim_check, claim_import, claim_list, claims
from j3490_desk.services.app_data import AppData, open_app_data, open_app_data_to_read


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("claim", help="import, export, list and check claims")
    commands = group.add_subparsers(dest="claim_command", metavar="ACTION", required=True)

    importer = commands.add_parser(
        "import",
        help="import a claim JSON file; prints the new id (what it matched goes to stderr)",
    )
    importer.add_argument("file", type=Path, metavar="FILE.json")
    importer.add_argument(
        "--use-saved",
        type=_parties,
        default=(),
        metavar="PARTY[,PARTY]",
        help="patient, payer and/or provider: where a saved record has the same name but other "
        "settings, use the saved one instead of the file's (default: keep the file's)",
    )
    importer.add_argument(
        "--today",
        type=arguments.day,
        metavar="YYYY-MM-DD",
        help="check a file that says ready as of this day (default: today)",
    )
    importer.set_defaults(handler=_import)

    exporter = commands.add_parser("export-json", help="print a claim as JSON")
    exporter.add_argument("claim_id", type=arguments.record_id, metavar="ID")
    exporter.set_defaults(handler=_export_json)

    lister = commands.add_parser("list", help="list claims, newest date of service first")
    lister.add_argument("--status", help="only claims with this status (draft, ready, ...)")
    lister.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    lister.add_argument(
        "--due-within",
        type=int,
        metavar="DAYS",
        help="only unsent claims whose filing deadline is within DAYS days (or passed)",
    )
    lister.add_argument(
        "--today",
        type=arguments.day,
        metavar="YYYY-MM-DD",
        help="count days left from this day (default: today)",
    )
    lister.set_defaults(handler=_list)

    checker = commands.add_parser(
        "check",
        help="check a stored claim or a claim file as a payer would; exits 1 if any blocker remains",
    )
    checker.add_argument("target", metavar="ID|FILE.json", help="a claim id, or a claim JSON file")
    checker.add_argument("--json", action="store_true", help="print the findings as JSON")
    checker.add_argument(
        "--today",
        type=arguments.day,
        metavar="YYYY-MM-DD",
        help="check deadlines as of this day (default: today)",
    )
    checker.set_defaults(handler=_check)

    add_packet_command(commands)
    add_lifecycle_commands(commands)
    add_837p_command(commands)


def _open(args: argparse.Namespace) -> AppData:
    return open_app_data(args.data_dir, passphrase=args.passphrase)


def _open_to_read(args: argparse.Namespace) -> AppData:
    """For the commands that only read: they also work on a folder that cannot be written to."""
    return open_app_data_to_read(args.data_dir, passphrase=args.passphrase)


def _parties(text: str) -> tuple[str, ...]:
    parties = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [part for part in parties if part not in claim_import.PARTIES]
    if unknown or not parties:
        raise argparse.ArgumentTypeError(
            f"{', '.join(unknown) or text!r}: choose from {', '.join(claim_import.PARTIES)}"
        )
    return parties


def _import(args: argparse.Namespace) -> int:
    data = _open(args)
    try:
        report = claim_import.import_claim_file(
            data, args.file, use_saved=args.use_saved, today=args.today
        )
    finally:
        data.close()
    for note in report.notes:
        print(note, file=sys.stderr)
    print(report.claim_id)  # stdout holds the id alone: scripts read it
    return 0


def _export_json(args: argparse.Namespace) -> int:
    data = _open_to_read(args)
    try:
        print(json.dumps(claims.export_claim_json(data, args.claim_id), indent=2))
    finally:
        data.close()
    return 0


def _list(args: argparse.Namespace) -> int:
    data = _open_to_read(args)
    try:
        rows = claim_list.list_claims(data, status=args.status, today=args.today)
    finally:
        data.close()
    if args.due_within is not None:
        # Only claims still to be sent can miss their filing limit.
        rows = [
            row
            for row in rows
            if row.days_left is not None
            and row.days_left <= args.due_within
            and row.status in claim_list.UNSENT_STATUSES
        ]
    if args.json:
        print(json.dumps([_row_json(row) for row in rows], indent=2))
        return 0
    print(
        f"{'ID':>6}  {'DATE':10}  {'STATUS':10}  {'DEADLINE':10}  {'LEFT':>5}  "
        f"{'PATIENT':24}  {'PAYER':20}  DRUGS"
    )
    for row in rows:
        deadline = row.filing_deadline.isoformat() if row.filing_deadline else "-"
        left = "-" if row.days_left is None else str(row.days_left)
        print(
            f"{row.id:>6}  {row.date_of_service.isoformat():10}  {row.status:10}  "
            f"{deadline:10}  {left:>5}  {row.patient[:24]:24}  {row.payer[:20]:20}  {row.drugs}"
        )
    return 0


def _row_json(row: claim_list.ClaimSummary) -> dict[str, Any]:
    return {
        "id": row.id,
        "patient": row.patient,
        "date_of_service": row.date_of_service.isoformat(),
        "payer": row.payer,
        "drugs": row.drugs,
        "status": row.status,
        "readiness": row.readiness,
        "deadline": row.filing_deadline.isoformat() if row.filing_deadline else None,
        "days_left": row.days_left,
        "prior_auth_valid_to": (
            row.prior_auth_valid_to.isoformat() if row.prior_auth_valid_to else None
        ),
        "billed": str(row.billed_total) if row.billed_total is not None else None,
        "retain_until": row.retain_until.isoformat(),
    }


def _claim_number(text: str) -> int:
    try:
        return arguments.record_id(text)
    except argparse.ArgumentTypeError as error:
        raise InvalidInputError(str(error), "Give the number `claim list` shows.") from error


def _check(args: argparse.Namespace) -> int:
    data = _open_to_read(args)  # on a read-only folder the readiness counts are not kept
    try:
        if args.target.isdigit():
            findings = checks.claim_findings(data, _claim_number(args.target), today=args.today)
        else:
            findings = checks.file_findings(data, Path(args.target), today=args.today)
    finally:
        data.close()
    if args.json:
        print(json.dumps([dataclasses.asdict(f) for f in findings], indent=2))
    else:
        for f in findings:
            where = item_label(f.item) + (f", drug {f.line + 1}" if f.line is not None else "")
            print(
                f"{f.severity.value.upper():8} {f.code} ({where}): {f.message}\n         Fix: {f.fix}"
            )
        blockers = sum(f.severity.value == "blocker" for f in findings)
        print(f"{len(findings)} finding(s), {blockers} blocker(s).")
    return 1 if claim_check.has_blockers(findings) else 0
