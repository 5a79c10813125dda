"""`j3490-desk clinic show [--json]` and `clinic set KEY=VALUE ...`: the billing provider and
submitter details the 837P needs, in the same settings Settings > Clinic edits.

Exit statuses: 0 shown or saved; 2 an unknown key or a value that fails its check (the
message names the key and what is wrong; nothing is saved).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from j3490_desk.services import clinic
from j3490_desk.services.app_data import open_app_data, open_app_data_to_read


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("clinic", help="the clinic's billing provider and submitter")
    commands = group.add_subparsers(dest="clinic_command", metavar="ACTION", required=True)

    show = commands.add_parser("show", help="print the clinic's details")
    show.add_argument("--json", action="store_true", help="print them as one JSON object")
    show.set_defaults(handler=_show)

    setter = commands.add_parser(
        "set", help=f"set details, e.g. state=MN (keys: {', '.join(clinic.CLINIC_KEYS)})"
    )
    setter.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    setter.set_defaults(handler=_set)


def _show(args: argparse.Namespace) -> int:
    data = open_app_data_to_read(args.data_dir, passphrase=args.passphrase)
    try:
        details = clinic.clinic_details(data)
    finally:
        data.close()
    _print(details, as_json=args.json)
    return 0


def _set(args: argparse.Namespace) -> int:
    values = clinic.parse_assignments(args.assignments)
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        details = clinic.set_clinic_details(data, values)
    finally:
        data.close()
    _print(details, as_json=False)
    return 0


def _print(details: dict[str, str], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(details, indent=2))
        return
    for key, value in details.items():
        print(f"{key:18} {value}")
