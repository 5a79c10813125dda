"""`j3490-desk reference ...` (import, status) and `j3490-desk ndc ...` (lookup, search).

Exit statuses: 0 done; 1 an NDC no loaded file knows; 2 invalid input (an invalid or
ambiguous NDC, a bad date). `reference import` with several files imports every good one:
it exits 0 when at least one was imported (or was already loaded), listing each rejected
file on stderr, and 2 only when every file was rejected. `ndc lookup --json` prints one JSON
object whose keys are a published contract (see NdcLookup.to_json).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from j3490_desk.errors import InvalidInputError
from j3490_desk.services.reference import ReferenceService


def register(subparsers: Any) -> None:
    reference = subparsers.add_parser(
        "reference", help="import FDA/CMS reference files and see what is loaded"
    )
    actions = reference.add_subparsers(dest="reference_command", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import",
        help="import ndctext.zip (or product.txt + package.txt), CMS crosswalk/pricing CSVs, "
        "the HCPCS file",
    )
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.set_defaults(handler=_import)
    status = actions.add_parser("status", help="what is loaded, and how old it is")
    status.add_argument("--today", metavar="YYYY-MM-DD", help="judge age as of this date")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=_status)

    ndc = subparsers.add_parser("ndc", help="look an NDC up, search drug names")
    ndc_actions = ndc.add_subparsers(dest="ndc_command", metavar="ACTION", required=True)
    lookup = ndc_actions.add_parser("lookup", help="what the FDA and CMS files say about an NDC")
    lookup.add_argument("ndc", metavar="NDC", help="as printed (0574-4072-05) or 11 digits")
    lookup.add_argument("--date", metavar="YYYY-MM-DD", help="date of service")
    lookup.add_argument("--json", action="store_true", help="print one JSON object")
    lookup.set_defaults(handler=_lookup)
    search = ndc_actions.add_parser("search", help="drugs whose name starts with TEXT")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("--limit", type=int, default=20, metavar="N")
    search.add_argument("--json", action="store_true", help="print JSON rows")
    search.set_defaults(handler=_search)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            f"{option} '{text}' is not a date.", "Write it as YYYY-MM-DD, e.g. 2026-01-15."
        ) from None


def _service(args: argparse.Namespace) -> ReferenceService:
    return ReferenceService.for_data_dir(args.data_dir)


class _StderrProgress:
    """Percent done on one stderr line, rewritten only when the percent changes."""

    def __init__(self) -> None:
        self.name = ""
        self.shown = -1

    def start(self, index: int, count: int, name: str) -> None:
        self.name, self.shown = f"[{index + 1}/{count}] {name}", -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 0
        if percent != self.shown:
            self.shown = percent
            print(f"\r{self.name}: {percent}%", end="", file=sys.stderr, flush=True)


def _import(args: argparse.Namespace) -> int:
    service = _service(args)
    progress = _StderrProgress()
    try:
        outcomes = service.import_files(args.files, progress, file_started=progress.start)
    finally:
        service.close()
    print(file=sys.stderr)
    rejected = [outcome for outcome in outcomes if outcome.summary is None]
    for outcome in outcomes:
        if outcome.summary is not None:
            print("\n".join(outcome.summary.lines()))
    for outcome in rejected:
        print(f"{outcome.name}: REJECTED\n  {outcome.error}".replace("\n", "\n  "), file=sys.stderr)
    if not rejected:
        return 0
    imported = len(outcomes) - len(rejected)
    print(
        f"{imported} of {len(outcomes)} files imported; {len(rejected)} rejected (above)."
        + ("" if imported else " Nothing was imported."),
        file=sys.stderr,
    )
    return 0 if imported else 2


def _status(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        report = service.status(_date(args.today, "--today"))
    finally:
        service.close()
    if args.json:
        print(json.dumps(_status_json(report), indent=2))
    else:
        print("\n".join(report.lines()))
    return 0


def _status_json(report: Any) -> dict[str, Any]:
    return {
        "today": report.today.isoformat(),
        "loaded": [
            {
                "kind": item.kind.value,
                "label": item.kind.label,
                "file_name": item.file_name,
                "effective_from": item.effective_from.isoformat(),
                "effective_to": item.effective_to.isoformat() if item.effective_to else None,
                "period": item.period_text,
                "age_days": item.age_days,
                "stale": item.stale,
                "rows": item.rows_kept,
                "imported_at": item.imported_at.isoformat(),
            }
            for item in report.loaded
        ],
        "missing": [kind.value for kind in report.missing],
        "warnings": list(report.warnings),
    }


def _lookup(args: argparse.Namespace) -> int:
    day = _date(args.date, "--date")
    service = _service(args)
    try:
        result = service.lookup(args.ndc, day)
    finally:
        service.close()
    if not result.known:
        print(
            f"j3490-desk: NDC {result.ndc_hyphenated} is not in the loaded FDA NDC Directory "
            "or CMS files.\nCheck the NDC on the label; `j3490-desk reference status` shows "
            "what is loaded.",
            file=sys.stderr,
        )
        return 1
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return 0
    data = result.to_json()
    for key, value in data.items():
        if value not in (None, "", [], {}):
            print(f"{key}: {json.dumps(value) if isinstance(value, list | dict) else value}")
    return 0


def _search(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        matches = service.search(args.text, args.limit)
    finally:
        service.close()
    if args.json:
        print(json.dumps([match.__dict__ for match in matches], indent=2))
        return 0
    for match in matches:
        print(
            f"{match.product_ndc}\t{match.proprietary_name}\t{match.nonproprietary_name}\t"
            f"{match.dosage_form}\t{match.strength}\t{match.labeler}"
        )
    return 0 if matches else 1
