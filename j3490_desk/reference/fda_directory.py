"""Loading the FDA NDC Directory (product.txt + package.txt) in one swap.

The directory is a snapshot, not a quarter: a newer one replaces the whole of the old one.
Rows go into staging tables with no index (bulk insert is fastest that way), the old
tables are dropped, the staging tables moved into place (packages copied in NDC order into
their keyed table) and the indexes built last, all inside the import's one transaction,
so a failure or a cancel leaves the old directory in place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from itertools import islice

from j3490_desk.domain.ndc import NdcError, to_billing_ndc
from j3490_desk.reference.errors import ReferenceFileError
from j3490_desk.reference.job import ImportJob, Period
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.recognise import Table, TableKind
from j3490_desk.reference.schema import FDA_INDEXES, FDA_PACKAGE_KEY, FDA_TABLES, fda_tables_ddl
from j3490_desk.reference.values import yyyymmdd

STAGING = "_staging"
BATCH_ROWS = 5000


def load_fda_directory(connection: sqlite3.Connection, job: ImportJob, import_id: int) -> Period:
    del import_id  # the directory is swapped whole; its rows need no import tag
    opened = job.opened
    assert opened.as_of is not None
    _refuse_older(connection, opened.as_of, opened.file_name)
    for table in FDA_TABLES:
        connection.execute(f"DROP TABLE IF EXISTS {table}{STAGING}")
    for statement in fda_tables_ddl(STAGING):
        connection.execute(statement)
    product_ids = _load_products(connection, job, opened.tables[TableKind.FDA_PRODUCTS])
    _load_packages(connection, job, opened.tables[TableKind.FDA_PACKAGES], product_ids)
    job.checkpoint()
    for table in FDA_TABLES:
        connection.execute(f"DROP TABLE {table}")
    connection.execute(f"ALTER TABLE fda_product{STAGING} RENAME TO fda_product")
    connection.execute(fda_tables_ddl(package_key=FDA_PACKAGE_KEY)[1])
    connection.execute(
        f"INSERT INTO fda_package SELECT * FROM fda_package{STAGING} ORDER BY ndc11"
    )  # in key order, so the keyed table is written sequentially
    connection.execute(f"DROP TABLE fda_package{STAGING}")
    for statement in FDA_INDEXES:
        connection.execute(statement)
    return Period(opened.as_of, None)


def _refuse_older(connection: sqlite3.Connection, as_of: date, name: str) -> None:
    row = connection.execute(
        "SELECT max(effective_from) FROM import_log WHERE kind = ? AND replaced_by IS NULL",
        (FileKind.FDA_NDC_DIRECTORY.value,),
    ).fetchone()
    if row[0] and str(row[0]) > as_of.isoformat():
        raise ReferenceFileError(
            f"{name} is an FDA NDC Directory from {as_of}, older than the one loaded ({row[0]}).",
            "Download the current ndctext.zip from the FDA NDC Directory page.",
        )


def _batches(rows: Iterator[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    while batch := list(islice(rows, BATCH_ROWS)):
        yield batch


def _load_products(connection: sqlite3.Connection, job: ImportJob, table: Table) -> dict[str, int]:
    """Insert products; returns PRODUCTID -> row id, for joining the packages."""
    product_ids: dict[str, int] = {}
    for batch in _batches(_product_rows(job, table, product_ids)):
        connection.executemany(
            f"INSERT INTO fda_product{STAGING} VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch,
        )
    return product_ids


def _product_rows(
    job: ImportJob, table: Table, product_ids: dict[str, int]
) -> Iterator[tuple[object, ...]]:
    width = table.columns.width
    pick = table.columns.picker(*_PRODUCT_FIELDS)
    for row in table.rows:
        if len(row) == 1 and not row[0]:
            continue  # the blank line at the end of the file
        job.row_read()
        if len(row) != width:
            job.reject(f"row has {len(row)} fields, header has {width}", table, row[0])
            continue
        fields: list[str | None] = list(map(str.strip, pick(row)))
        fields[10] = str(fields[10]).upper()  # marketing category
        fields[16] = str(fields[16]).upper()  # exclude flag
        product_id = fields[0]
        if not product_id:
            job.reject("PRODUCTID is empty", table, "\t".join(row))
            continue
        if product_id in product_ids:
            job.reject("PRODUCTID repeats an earlier product", table, product_id)
            continue
        try:
            fields[8] = yyyymmdd(str(fields[8]))
            fields[9] = yyyymmdd(str(fields[9]))
        except ValueError:
            job.reject("marketing date is not a YYYYMMDD date", table, product_id)
            continue
        row_id = len(product_ids) + 1
        product_ids[product_id] = row_id
        job.rows_kept += 1
        yield (row_id, *fields)


# Column order of fda_product after its id.
_PRODUCT_FIELDS = (
    "product_id",
    "product_ndc",
    "product_type",
    "proprietary_name",
    "proprietary_suffix",
    "nonproprietary_name",
    "dosage_form",
    "route",
    "start_marketing",
    "end_marketing",
    "marketing_category",
    "application_number",
    "labeler",
    "substance",
    "strength",
    "strength_unit",
    "exclude_flag",
)


class BillingNdcConverter:
    """`to_billing_ndc` for 244,000 FDA package codes, learned once per hyphen layout.

    Padding only inserts zeros into the digits, at places fixed by the segment lengths. So
    the domain function converts one probe of all 1s per layout (its zeros show where the
    padding goes) and each code of that layout gets the same zeros: same answers, a tenth of
    the time. Any code not plain digit segments goes to `to_billing_ndc` itself.
    """

    def __init__(self) -> None:
        self._zeros_at: dict[tuple[int, ...], tuple[int, ...] | None] = {}

    def __call__(self, code: str) -> str:
        segments = code.split("-")
        layout = tuple(len(segment) for segment in segments)
        digits = "".join(segments)
        if len(layout) != 3 or not (digits.isascii() and digits.isdigit()):
            return to_billing_ndc(code)
        if layout not in self._zeros_at:
            self._zeros_at[layout] = self._learn(layout)
        zeros_at = self._zeros_at[layout]
        if zeros_at is None:  # a layout the domain function refuses or treats specially
            return to_billing_ndc(code)
        for position in zeros_at:
            digits = digits[:position] + "0" + digits[position:]
        return digits

    @staticmethod
    def _learn(layout: tuple[int, ...]) -> tuple[int, ...] | None:
        try:
            probe = to_billing_ndc("-".join("1" * length for length in layout))
        except NdcError:
            return None
        return tuple(index for index, digit in enumerate(probe) if digit == "0")


def _load_packages(
    connection: sqlite3.Connection, job: ImportJob, table: Table, product_ids: dict[str, int]
) -> None:
    for batch in _batches(_package_rows(job, table, product_ids)):
        connection.executemany(
            f"INSERT INTO fda_package{STAGING} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch
        )


def _package_rows(
    job: ImportJob, table: Table, product_ids: dict[str, int]
) -> Iterator[tuple[object, ...]]:
    width = table.columns.width
    pick = table.columns.picker(*_PACKAGE_FIELDS)
    seen: set[str] = set()
    billing_ndc = BillingNdcConverter()
    for row in table.rows:
        if len(row) == 1 and not row[0]:
            continue
        job.row_read()
        if len(row) != width:
            job.reject(f"row has {len(row)} fields, header has {width}", table, row[0])
            continue
        product_id, code, description, start, end, exclude, sample = map(str.strip, pick(row))
        product = product_ids.get(product_id)
        if product is None:
            job.reject("PRODUCTID is not in product.txt", table, code)
            continue
        try:
            ndc11 = billing_ndc(code)
        except NdcError:
            job.reject("NDCPACKAGECODE is not a hyphenated 10-digit NDC", table, code)
            continue
        if ndc11 in seen:
            job.reject("NDCPACKAGECODE repeats an earlier package (first one kept)", table, code)
            continue
        try:
            dates = (yyyymmdd(start), yyyymmdd(end))
        except ValueError:
            job.reject("marketing date is not a YYYYMMDD date", table, code)
            continue
        seen.add(ndc11)
        job.rows_kept += 1
        yield (ndc11, code, product, description, *dates, exclude.upper(), sample.upper())


_PACKAGE_FIELDS = (
    "product_id",
    "package_code",
    "description",
    "start_marketing",
    "end_marketing",
    "exclude_flag",
    "sample",
)
