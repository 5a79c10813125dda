"""`j3490-desk label read IMAGE`.

`label read --json` prints one JSON object whose keys gtin, ndc10_digits, ndc11 (null when
the 10 digits are ambiguous and no reference data settles them), lot, expiry (ISO date)
and serial are a published contract. Exit 0 decoded, 1 no barcode found, 2 an unreadable
file or a barcode that is not GS1 or fails its check digit.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from j3490_desk.services.label_reading import read_label
from j3490_desk.services.reference import ReferenceService


def register(subparsers: Any) -> None:
    label = subparsers.add_parser("label", help="read a drug-label photo's barcode")
    label_actions = label.add_subparsers(dest="label_command", metavar="ACTION", required=True)
    reader = label_actions.add_parser(
        "read", help="decode the GS1 DataMatrix or UPC-A barcode; exits 1 if none is found"
    )
    reader.add_argument("image", type=Path, metavar="IMAGE", help="JPEG, PNG, TIFF or HEIC")
    reader.add_argument("--json", action="store_true", help="print one JSON object")
    reader.set_defaults(handler=_read)


def _read(args: argparse.Namespace) -> int:
    reference = ReferenceService.for_data_dir(args.data_dir)
    try:
        reading = read_label(args.image, reference=reference)
    finally:
        reference.close()
    if args.json:
        print(json.dumps(reading.to_json(), indent=2))
        return 0
    ndc = reading.ndc_hyphenated or (
        f"ambiguous: {', '.join(reading.candidates)}" if reading.candidates else "none"
    )
    for name, value in (
        ("Barcode", reading.barcode_format),
        ("GTIN", reading.gtin),
        ("NDC (10 digits)", reading.ndc10_digits or "none"),
        ("NDC (11-digit billing)", ndc),
        ("Lot", reading.lot),
        ("Expiry", reading.expiry.isoformat() if reading.expiry else ""),
        ("Serial", reading.serial),
    ):
        print(f"{name + ':':24}{value}")
    return 0
