"""Loading the CMS HCPCS Level II alpha-numeric file (xlsx or CSV).

The file is cumulative: every code with its added, action-effective and termination dates.
Its quarter is not printed in it; it is the quarter of the latest action effective date
(October 2025's file has actions effective 2025-10-01). A newer file replaces the older.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date

from j3490_desk.reference.errors import ReferenceFileError
from j3490_desk.reference.job import ImportJob, Period
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.values import clean, quarter_end, quarter_start, yyyymmdd

_CODE = re.compile(r"[A-Z0-9]{5}|[A-Z0-9]{2}")  # procedure codes, and modifiers
_CONTINUATION_RECORDS = {"4", "8"}  # fixed-width layout: long description continues
_DATE_COLUMNS = ("added", "action_effective", "terminated")


def load_hcpcs_codes(connection: sqlite3.Connection, job: ImportJob, import_id: int) -> Period:
    (table,) = job.opened.tables.values()
    columns = table.columns
    codes: dict[str, list[object]] = {}
    for row in table.rows:
        if not any(cell.strip() for cell in row):
            continue
        job.row_read()
        code = clean(columns.get(row, "code")).upper()
        if not _CODE.fullmatch(code):
            job.reject("HCPC is not a 5-character code or 2-character modifier", table, code)
            continue
        if columns.get(row, "record_id").strip() in _CONTINUATION_RECORDS and code in codes:
            codes[code][2] = f"{codes[code][2]} {clean(columns.get(row, 'long_description'))}"
            continue
        if code in codes:
            job.reject("repeats an earlier code (first one kept)", table, code)
            continue
        try:
            dates = [yyyymmdd(columns.get(row, name)) for name in _DATE_COLUMNS]
        except ValueError:
            job.reject("ADD DT, ACT EFF DT or TERM DT is not a YYYYMMDD date", table, code)
            continue
        job.rows_kept += 1
        codes[code] = [
            import_id,
            code,
            clean(columns.get(row, "long_description")),
            clean(columns.get(row, "short_description")),
            clean(columns.get(row, "pricing_indicator")),
            clean(columns.get(row, "coverage")),
            *dates,
            clean(columns.get(row, "action_code")).upper(),
        ]
    latest_action = max((str(values[7]) for values in codes.values() if values[7]), default=None)
    if latest_action is None:
        raise ReferenceFileError(
            f"{job.opened.file_name}: no code has an action effective date (ACT EFF DT), so "
            "the file's quarter is unknown.",
            f"Download the file again from {FileKind.HCPCS_CODES.download_page}",
        )
    connection.executemany(
        "INSERT INTO hcpcs_code VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [tuple(values) for values in codes.values()],
    )
    start = quarter_start(date.fromisoformat(latest_action))
    return Period(start, quarter_end(start))
