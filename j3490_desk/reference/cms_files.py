"""Loading CMS's quarterly Part B drug files: the ASP and NOC crosswalks and payment limits,
and the OPPS Addendum B (each code's hospital outpatient payment status indicator).

Each file states its quarter in the preamble ("Effective January 1, 2026 through March 31,
2026"); its rows are tagged with the import, so look-ups can answer for the quarter of a
date of service and the quarters before stay available for older claims.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

from j3490_desk.domain.ndc import NdcError, to_billing_ndc
from j3490_desk.reference.errors import ReferenceFileError
from j3490_desk.reference.job import ImportJob, Period
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.recognise import Columns, Table
from j3490_desk.reference.values import (
    calendar_year,
    clean,
    decimal_text,
    effective_period,
    header_key,
)

BATCH_ROWS = 5000
_HCPCS_CODE = re.compile(r"[A-Z0-9]{5}")


def quarter_of(table: Table, file_name: str) -> Period:
    period = effective_period(table.preamble_texts())
    if period is None:
        raise ReferenceFileError(
            f"{file_name}: the lines above the header do not say which quarter the file is for "
            "(expected a line like 'Effective January 1, 2026 through March 31, 2026').",
            "Download the file again from the CMS ASP pricing files page.",
        )
    return Period(*period)


def _is_blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def _data_rows(job: ImportJob, table: Table) -> Iterator[list[str]]:
    for row in table.rows:
        if _is_blank(row):
            continue
        job.row_read()
        yield row


def _hcpcs(row: list[str], columns: Columns, name: str = "hcpcs") -> str | None:
    code = clean(columns.get(row, name)).upper()
    return code if _HCPCS_CODE.fullmatch(code) else None


def _amount(job: ImportJob, table: Table, row: list[str], name: str, shown: str) -> str | None:
    try:
        return decimal_text(table.columns.get(row, name))
    except ValueError:
        job.warn(
            f"{shown} is not a number (row kept without it)", table, table.columns.get(row, name)
        )
        return None


def _insert(connection: sqlite3.Connection, sql: str, rows: Iterator[tuple[object, ...]]) -> None:
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            connection.executemany(sql, batch)
            batch.clear()
    if batch:
        connection.executemany(sql, batch)


def load_asp_crosswalk(connection: sqlite3.Connection, job: ImportJob, import_id: int) -> Period:
    (table,) = job.opened.tables.values()
    period = quarter_of(table, job.opened.file_name)
    _insert(
        connection,
        "INSERT INTO asp_crosswalk VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _asp_crosswalk_rows(job, table, import_id),
    )
    return period


def _asp_crosswalk_rows(
    job: ImportJob, table: Table, import_id: int
) -> Iterator[tuple[object, ...]]:
    columns = table.columns
    seen: set[tuple[str, str]] = set()
    for row in _data_rows(job, table):
        ndc_text = clean(columns.get(row, "ndc"))
        code = _hcpcs(row, columns)
        if code is None:
            job.reject("HCPCS code is not 5 letters/digits", table, columns.get(row, "hcpcs"))
            continue
        try:
            ndc11 = to_billing_ndc(ndc_text)
        except NdcError:
            job.reject("NDC is not a valid 11-digit or hyphenated NDC", table, ndc_text)
            continue
        if (ndc11, code) in seen:
            job.reject("repeats an earlier NDC and code (first one kept)", table, ndc_text)
            continue
        seen.add((ndc11, code))
        job.rows_kept += 1
        yield (
            import_id,
            ndc11,
            code,
            clean(columns.get(row, "short_description")),
            clean(columns.get(row, "labeler")),
            clean(columns.get(row, "drug_name")),
            clean(columns.get(row, "hcpcs_dosage")),
            _amount(job, table, row, "package_size", "PKG SIZE"),
            _amount(job, table, row, "package_quantity", "PKG QTY"),
            _amount(job, table, row, "billing_units", "BILLUNITS"),
            _amount(job, table, row, "billing_units_per_package", "BILLUNITSPKG"),
        )


def load_noc_crosswalk(connection: sqlite3.Connection, job: ImportJob, import_id: int) -> Period:
    (table,) = job.opened.tables.values()
    period = quarter_of(table, job.opened.file_name)
    _insert(
        connection,
        "INSERT INTO noc_crosswalk VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _noc_crosswalk_rows(job, table, import_id),
    )
    return period


def _noc_crosswalk_rows(
    job: ImportJob, table: Table, import_id: int
) -> Iterator[tuple[object, ...]]:
    columns = table.columns
    seen: set[str] = set()
    for row in _data_rows(job, table):
        ndc_text = clean(columns.get(row, "ndc"))
        try:
            ndc11 = to_billing_ndc(ndc_text)
        except NdcError:
            job.reject("not an NDC (an alternate ID cannot be looked up)", table, ndc_text)
            continue
        if ndc11 in seen:
            job.reject("repeats an earlier NDC (first one kept)", table, ndc_text)
            continue
        seen.add(ndc11)
        job.rows_kept += 1
        yield (
            import_id,
            ndc11,
            clean(columns.get(row, "generic_name")),
            clean(columns.get(row, "labeler")),
            clean(columns.get(row, "drug_name")),
            clean(columns.get(row, "dosage")),
            _amount(job, table, row, "package_size", "PKG SIZE"),
            _amount(job, table, row, "package_quantity", "PKG QTY"),
            _amount(job, table, row, "billing_units", "BILLUNITS"),
            _amount(job, table, row, "billing_units_per_package", "BILLUNITSPKG"),
        )


def load_asp_payment_limits(
    connection: sqlite3.Connection, job: ImportJob, import_id: int
) -> Period:
    (table,) = job.opened.tables.values()
    period = quarter_of(table, job.opened.file_name)
    _insert(
        connection,
        "INSERT INTO asp_payment_limit VALUES (?, ?, ?, ?, ?, ?)",
        _asp_limit_rows(job, table, import_id),
    )
    return period


def _asp_limit_rows(job: ImportJob, table: Table, import_id: int) -> Iterator[tuple[object, ...]]:
    columns = table.columns
    seen: set[str] = set()
    for row in _data_rows(job, table):
        code = _hcpcs(row, columns)
        if code is None:
            job.reject("HCPCS Code is not 5 letters/digits", table, columns.get(row, "hcpcs"))
            continue
        if code in seen:
            job.reject("repeats an earlier HCPCS code (first one kept)", table, code)
            continue
        seen.add(code)
        job.rows_kept += 1
        yield (
            import_id,
            code,
            clean(columns.get(row, "short_description")),
            clean(columns.get(row, "dosage")),
            _amount(job, table, row, "payment_limit", "Payment Limit"),
            clean(columns.get(row, "notes")),
        )


def load_noc_payment_limits(
    connection: sqlite3.Connection, job: ImportJob, import_id: int
) -> Period:
    (table,) = job.opened.tables.values()
    period = quarter_of(table, job.opened.file_name)
    _insert(
        connection,
        "INSERT INTO noc_payment_limit VALUES (?, ?, ?, ?, ?, ?)",
        _noc_limit_rows(job, table, import_id),
    )
    return period


def noc_name_key(name: str) -> str:
    """NOC pricing and NOC crosswalk rows join on the drug's generic name, compared loosely."""
    return header_key(name)


def _noc_limit_rows(job: ImportJob, table: Table, import_id: int) -> Iterator[tuple[object, ...]]:
    columns = table.columns
    seen: set[str] = set()
    for row in _data_rows(job, table):
        name = clean(columns.get(row, "generic_name"))
        if not name:
            job.reject("Drug Generic Name is empty", table, ",".join(row))
            continue
        if noc_name_key(name) in seen:
            job.reject("repeats an earlier drug name (first one kept)", table, name)
            continue
        seen.add(noc_name_key(name))
        job.rows_kept += 1
        yield (
            import_id,
            name,
            noc_name_key(name),
            clean(columns.get(row, "dosage")),
            _amount(job, table, row, "payment_limit", "Payment Limit"),
            clean(columns.get(row, "notes")),
        )


def load_opps_addendum_b(connection: sqlite3.Connection, job: ImportJob, import_id: int) -> Period:
    """Addendum B: HCPCS code -> status indicator (SI). A quarterly file that states its
    quarter is kept for that quarter; one whose title names only the year ("for CY 2025",
    as the October 2025 file does) answers for that calendar year."""
    (table,) = job.opened.tables.values()
    preamble = table.preamble_texts()
    period = effective_period(preamble) or calendar_year(preamble)
    if period is None:
        raise ReferenceFileError(
            f"{job.opened.file_name}: the lines above the header name neither a quarter nor a "
            "calendar year (expected a title like 'OPPS Payment by HCPCS Code for CY 2025').",
            f"Download the file again from {FileKind.OPPS_ADDENDUM_B.download_page}",
        )
    _insert(
        connection,
        "INSERT INTO opps_status VALUES (?, ?, ?, ?, ?)",
        _opps_rows(job, table, import_id),
    )
    return Period(*period)


def _opps_rows(job: ImportJob, table: Table, import_id: int) -> Iterator[tuple[object, ...]]:
    columns = table.columns
    seen: set[str] = set()
    for row in _data_rows(job, table):
        code = _hcpcs(row, columns)
        indicator = clean(columns.get(row, "status_indicator")).upper()
        if code is None:
            job.reject("HCPCS Code is not 5 letters/digits", table, columns.get(row, "hcpcs"))
            continue
        if not indicator:
            job.reject("SI (status indicator) is empty", table, code)
            continue
        if code in seen:
            job.reject("repeats an earlier HCPCS code (first one kept)", table, code)
            continue
        seen.add(code)
        job.rows_kept += 1
        yield (
            import_id,
            code,
            clean(columns.get(row, "short_descriptor")),
            indicator,
            clean(columns.get(row, "apc")),
        )
