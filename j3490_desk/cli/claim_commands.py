"""`j3490-desk claim ...`: import, export and list claims."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from j3490_desk.services import claims
from j3490_desk.services.app_data import AppData, open_app_data


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("claim", help="import, export, list and check claims")
    commands = group.add_subparsers(dest="claim_command", metavar="ACTION", required=True)

    importer = commands.add_parser("import", help="import a claim JSON file; prints the new id")
    importer.add_argument("file", type=Path, metavar="FILE.json")
    importer.set_defaults(handler=_import)

    exporter = commands.add_parser("export-json", help="print a claim as JSON")
    exporter.add_argument("claim_id", type=int, metavar="ID")
    exporter.set_defaults(handler=_export_json)

    lister = commands.add_parser("list", help="list claims, newest date of service first")
    lister.add_argument("--status", help="only claims with this status (draft, ready, ...)")
    lister.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    lister.set_defaults(handler=_list)


def _open(args: argparse.Namespace) -> AppData:
    return open_app_data(args.data_dir)


def _import(args: argparse.Namespace) -> int:
    data = _open(args)
    try:
        print(claims.import_claim_file(data, args.file))
    finally:
        data.close()
    return 0


def _export_json(args: argparse.Namespace) -> int:
    data = _open(args)
    try:
        print(json.dumps(claims.export_claim_json(data, args.claim_id), indent=2))
    finally:
        data.close()
    return 0


def _list(args: argparse.Namespace) -> int:
    data = _open(args)
    try:
        rows = claims.list_claims(data, status=args.status)
    finally:
        data.close()
    if args.json:
        print(json.dumps([_row_json(row) for row in rows], indent=2))
        return 0
    print(f"{'ID':>6}  {'DATE':10}  {'STATUS':10}  {'PATIENT':24}  {'PAYER':20}  DRUGS")
    for row in rows:
        print(
            f"{row.id:>6}  {row.date_of_service.isoformat():10}  {row.status:10}  "
            f"{row.patient[:24]:24}  {row.payer[:20]:20}  {row.drugs}"
        )
    return 0


def _row_json(row: claims.ClaimSummary) -> dict[str, Any]:
    return {
        "id": row.id,
        "patient": row.patient,
        "date_of_service": row.date_of_service.isoformat(),
        "payer": row.payer,
        "drugs": row.drugs,
        "status": row.status,
    }
