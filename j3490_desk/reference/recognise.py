"""Telling what a picked file is from its content, and opening it as rows.

A file is recognised by its header row (found below any preamble lines), never by its
name: CMS renames files every quarter ("section 508 version of ...") and clerks rename
downloads. Columns are then found by header name, so a column FDA or CMS adds later is
simply ignored. A header that nearly matches a kind (a renamed or missing column) is
reported as such, naming the columns that were expected.
"""

from __future__ import annotations

import csv
import enum
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import IO, TypeVar

from j3490_desk.reference import xlsx
from j3490_desk.reference.errors import ReferenceFileError
from j3490_desk.reference.kinds import EXPECTED_FILES, FileKind
from j3490_desk.reference.text_files import MAX_UNPACKED_BYTES, TextReader, check_size
from j3490_desk.reference.values import header_key

MAX_PREAMBLE_ROWS = 40
ZIP_MAGIC = b"PK\x03\x04"
TAB = "\t"


class TableKind(enum.Enum):
    """A table we read; the FDA directory comes as two of them."""

    FDA_PRODUCTS = "FDA NDC Directory product.txt"
    FDA_PACKAGES = "FDA NDC Directory package.txt"
    ASP_CROSSWALK = FileKind.ASP_CROSSWALK.label
    NOC_CROSSWALK = FileKind.NOC_CROSSWALK.label
    ASP_PAYMENT_LIMITS = FileKind.ASP_PAYMENT_LIMITS.label
    NOC_PAYMENT_LIMITS = FileKind.NOC_PAYMENT_LIMITS.label
    HCPCS_CODES = FileKind.HCPCS_CODES.label
    OPPS_ADDENDUM_B = FileKind.OPPS_ADDENDUM_B.label


Matcher = Callable[[str], bool]


def _named(*names: str) -> Matcher:
    wanted = {header_key(name) for name in names}
    return lambda key: key in wanted


def _pattern(regex: str) -> Matcher:
    compiled = re.compile(regex)
    return lambda key: compiled.fullmatch(key) is not None


# For each kind: the columns an importer needs, as (field, how the header names it,
# matcher). Header keys are upper-cased with single spaces (values.header_key).
REQUIRED_COLUMNS: dict[TableKind, tuple[tuple[str, str, Matcher], ...]] = {
    TableKind.FDA_PRODUCTS: (
        ("product_id", "PRODUCTID", _named("PRODUCTID")),
        ("product_ndc", "PRODUCTNDC", _named("PRODUCTNDC")),
        ("product_type", "PRODUCTTYPENAME", _named("PRODUCTTYPENAME")),
        ("proprietary_name", "PROPRIETARYNAME", _named("PROPRIETARYNAME")),
        ("nonproprietary_name", "NONPROPRIETARYNAME", _named("NONPROPRIETARYNAME")),
        ("dosage_form", "DOSAGEFORMNAME", _named("DOSAGEFORMNAME")),
        ("route", "ROUTENAME", _named("ROUTENAME")),
        ("marketing_category", "MARKETINGCATEGORYNAME", _named("MARKETINGCATEGORYNAME")),
        ("labeler", "LABELERNAME", _named("LABELERNAME")),
    ),
    TableKind.FDA_PACKAGES: (
        ("product_id", "PRODUCTID", _named("PRODUCTID")),
        ("package_code", "NDCPACKAGECODE", _named("NDCPACKAGECODE")),
        ("description", "PACKAGEDESCRIPTION", _named("PACKAGEDESCRIPTION")),
    ),
    TableKind.ASP_CROSSWALK: (
        ("hcpcs", "_YYYY_CODE (e.g. _2026_CODE)", _pattern(r"_?\d{4}_CODE")),
        ("ndc", "NDC2", _pattern(r"NDC ?\d?")),
        ("hcpcs_dosage", "HCPCS dosage", _named("HCPCS DOSAGE")),
        ("billing_units_per_package", "BILLUNITSPKG", _named("BILLUNITSPKG")),
    ),
    TableKind.NOC_CROSSWALK: (
        ("generic_name", "Drug Generic Name", _named("DRUG GENERIC NAME")),
        ("ndc", "NDC or ALTERNATE ID", _named("NDC OR ALTERNATE ID")),
        ("dosage", "Dosage", _named("DOSAGE")),
        ("billing_units_per_package", "BILLUNITSPKG", _named("BILLUNITSPKG")),
    ),
    TableKind.ASP_PAYMENT_LIMITS: (
        ("hcpcs", "HCPCS Code", _named("HCPCS CODE")),
        ("dosage", "HCPCS Code Dosage", _named("HCPCS CODE DOSAGE")),
        ("payment_limit", "Payment Limit", _named("PAYMENT LIMIT")),
    ),
    TableKind.NOC_PAYMENT_LIMITS: (
        (
            "generic_name",
            "Drug Generic Name (Trade Name)",
            _named("DRUG GENERIC NAME (TRADE NAME)"),
        ),
        ("dosage", "Dosage", _named("DOSAGE")),
        ("payment_limit", "Payment Limit", _named("PAYMENT LIMIT")),
    ),
    TableKind.HCPCS_CODES: (
        ("code", "HCPC", _named("HCPC", "HCPCS")),
        ("long_description", "LONG DESCRIPTION", _named("LONG DESCRIPTION")),
        ("short_description", "SHORT DESCRIPTION", _named("SHORT DESCRIPTION")),
        ("added", "ADD DT", _named("ADD DT")),
        ("action_effective", "ACT EFF DT", _named("ACT EFF DT")),
        ("terminated", "TERM DT", _named("TERM DT")),
    ),
    TableKind.OPPS_ADDENDUM_B: (
        ("hcpcs", "HCPCS Code", _named("HCPCS CODE")),
        ("short_descriptor", "Short Descriptor", _named("SHORT DESCRIPTOR")),
        ("status_indicator", "SI", _named("SI")),
    ),
}

# Columns read when present (FDA and CMS have added and renamed these over the years).
OPTIONAL_COLUMNS: dict[TableKind, tuple[tuple[str, Matcher], ...]] = {
    TableKind.FDA_PRODUCTS: (
        ("proprietary_suffix", _named("PROPRIETARYNAMESUFFIX")),
        ("start_marketing", _named("STARTMARKETINGDATE")),
        ("end_marketing", _named("ENDMARKETINGDATE")),
        ("application_number", _named("APPLICATIONNUMBER")),
        ("substance", _named("SUBSTANCENAME")),
        ("strength", _named("ACTIVE_NUMERATOR_STRENGTH")),
        ("strength_unit", _named("ACTIVE_INGRED_UNIT")),
        ("exclude_flag", _named("NDC_EXCLUDE_FLAG")),
    ),
    TableKind.FDA_PACKAGES: (
        ("start_marketing", _named("STARTMARKETINGDATE")),
        ("end_marketing", _named("ENDMARKETINGDATE")),
        ("exclude_flag", _named("NDC_EXCLUDE_FLAG")),
        ("sample", _named("SAMPLE_PACKAGE")),
    ),
    TableKind.ASP_CROSSWALK: (
        ("short_description", _named("SHORT DESCRIPTION")),
        ("labeler", _named("LABELER NAME")),
        ("drug_name", _named("DRUG NAME")),
        ("package_size", _named("PKG SIZE")),
        ("package_quantity", _named("PKG QTY")),
        ("billing_units", _named("BILLUNITS")),
    ),
    TableKind.NOC_CROSSWALK: (
        ("labeler", _named("LABELER NAME")),
        ("drug_name", _named("DRUG NAME")),
        ("package_size", _named("PKG SIZE")),
        ("package_quantity", _named("PKG QTY")),
        ("billing_units", _named("BILLUNITS")),
    ),
    TableKind.ASP_PAYMENT_LIMITS: (
        ("short_description", _named("SHORT DESCRIPTION")),
        ("notes", _named("NOTES")),
    ),
    TableKind.NOC_PAYMENT_LIMITS: (("notes", _named("NOTES")),),
    TableKind.HCPCS_CODES: (
        ("record_id", _named("RECID")),
        ("pricing_indicator", _named("PRICE1")),
        ("coverage", _named("COV")),
        ("action_code", _named("ACTION CD")),
    ),
    TableKind.OPPS_ADDENDUM_B: (("apc", _named("APC")),),
}


@dataclass(frozen=True)
class Columns:
    """Where each field sits in this file's header; `get` gives "" for an absent column."""

    index: dict[str, int]
    width: int  # cells in the header row

    def get(self, row: list[str], name: str) -> str:
        position = self.index.get(name)
        return row[position] if position is not None and position < len(row) else ""

    def picker(self, *names: str) -> Callable[[list[str]], tuple[str, ...]]:
        """A fast getter of several fields from a full-width row (absent columns give "").

        The row must have `width` cells; the picker appends one "" cell for absent columns.
        """
        getter = itemgetter(*(self.index.get(name, self.width) for name in names))

        def pick(row: list[str]) -> tuple[str, ...]:
            row.append("")
            values: tuple[str, ...] = getter(row)
            return values

        return pick


def match_columns(kind: TableKind, header: list[str]) -> Columns | None:
    keys = [header_key(cell) for cell in header]
    index: dict[str, int] = {}
    for name, _, matcher in REQUIRED_COLUMNS[kind]:
        position = next((i for i, key in enumerate(keys) if matcher(key)), None)
        if position is None:
            return None
        index[name] = position
    for name, matcher in OPTIONAL_COLUMNS[kind]:
        position = next((i for i, key in enumerate(keys) if matcher(key)), None)
        if position is not None:
            index[name] = position
    return Columns(index, len(header))


@dataclass(frozen=True)
class Progress:
    """How far reading a table has got, in bytes, for the (done, total) progress callback."""

    total: int
    bytes_read: Callable[[], int]

    @property
    def done(self) -> int:
        return min(self.total, self.bytes_read())


@dataclass
class Table:
    """An open table: its kind, header, the lines above it, and the data rows to come."""

    kind: TableKind
    source_name: str
    columns: Columns
    preamble: list[list[str]]
    rows: Iterator[list[str]]
    progress: Progress
    row_number: Callable[[], int]

    def preamble_texts(self) -> list[str]:
        return [cell for row in self.preamble for cell in row if cell.strip()]


@dataclass
class OpenedFile:
    """What a picked file (or an FDA product.txt + package.txt pair) turned out to be."""

    kind: FileKind
    file_name: str
    tables: dict[TableKind, Table]
    as_of: date | None = None  # FDA snapshot date (zip entry or file date)
    resources: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        self.resources.close()

    @property
    def total_bytes(self) -> int:
        return sum(table.progress.total for table in self.tables.values())

    @property
    def done_bytes(self) -> int:
        return sum(table.progress.done for table in self.tables.values())


def open_reference_file(paths: tuple[Path, ...]) -> OpenedFile:
    """Open one reference file (or an FDA product/package pair) for importing."""
    for path in paths:
        check_size(path)
    resources = ExitStack()
    try:
        tables = [table for path in paths for table in _open_tables(path, resources)]
        opened = _assemble(paths, tables, resources)
    except BaseException:
        resources.close()
        raise
    return opened


def is_fda_directory_part(path: Path) -> bool:
    """A loose product.txt or package.txt (recognised by its first line), to be paired."""
    try:
        with path.open("rb") as stream:
            first = stream.readline(64 * 1024).decode("latin-1")
    except OSError:
        return False
    keys = {header_key(cell) for cell in first.split(TAB)}
    return "PRODUCTID" in keys and bool(keys & {"PROPRIETARYNAME", "NDCPACKAGECODE"})


def _assemble(paths: tuple[Path, ...], tables: list[Table], resources: ExitStack) -> OpenedFile:
    name = " + ".join(path.name for path in paths)
    by_kind = {table.kind: table for table in tables}
    fda_parts = {TableKind.FDA_PRODUCTS, TableKind.FDA_PACKAGES}
    found_fda = fda_parts & by_kind.keys()
    if found_fda:
        if found_fda != fda_parts:
            missing = (fda_parts - found_fda).pop()
            raise ReferenceFileError(
                f"{name}: the FDA NDC Directory needs both product.txt and package.txt; "
                f"{missing.value} is missing.",
                "Pick ndctext.zip as downloaded, or select product.txt and package.txt together.",
            )
        as_of = _fda_snapshot_date(paths)
        tables_wanted = {kind: by_kind[kind] for kind in fda_parts}
        return OpenedFile(FileKind.FDA_NDC_DIRECTORY, name, tables_wanted, as_of, resources)
    if len(tables) != 1:
        raise ReferenceFileError(
            f"{name}: pick one CMS file at a time.", f"Expected {EXPECTED_FILES}."
        )
    table = tables[0]
    return OpenedFile(_FILE_KINDS[table.kind], name, {table.kind: table}, None, resources)


_FILE_KINDS = {
    TableKind.ASP_CROSSWALK: FileKind.ASP_CROSSWALK,
    TableKind.NOC_CROSSWALK: FileKind.NOC_CROSSWALK,
    TableKind.ASP_PAYMENT_LIMITS: FileKind.ASP_PAYMENT_LIMITS,
    TableKind.NOC_PAYMENT_LIMITS: FileKind.NOC_PAYMENT_LIMITS,
    TableKind.HCPCS_CODES: FileKind.HCPCS_CODES,
    TableKind.OPPS_ADDENDUM_B: FileKind.OPPS_ADDENDUM_B,
}


def _fda_snapshot_date(paths: tuple[Path, ...]) -> date:
    """FDA's zip entries carry the export time; loose files only have their file date."""
    stamps: list[date] = []
    for path in paths:
        if _is_zip(path):
            with zipfile.ZipFile(path) as archive:
                stamps.extend(date(*info.date_time[:3]) for info in archive.infolist())
        else:
            stamps.append(datetime.fromtimestamp(path.stat().st_mtime).date())
    return max(stamps)


def _is_zip(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(len(ZIP_MAGIC)) == ZIP_MAGIC


def _open_tables(path: Path, resources: ExitStack) -> list[Table]:
    if _is_zip(path):
        return _open_zip(path, resources)
    stream = resources.enter_context(path.open("rb"))
    return [_open_text(stream, path.name, path.stat().st_size)]


def _open_zip(path: Path, resources: ExitStack) -> list[Table]:
    try:
        archive = resources.enter_context(zipfile.ZipFile(path))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise _damaged_zip(path.name) from error
    for member in members:
        if member.file_size > MAX_UNPACKED_BYTES:
            raise ReferenceFileError(
                f"{path.name}: {member.filename} unpacks to {member.file_size / 1024**3:.1f} GB, "
                "far more than any FDA or CMS file.",
                "This is probably not the file you meant to pick.",
            )
    if xlsx.is_xlsx(archive):
        return [_open_xlsx(archive, path.name)]
    tables = []
    for member in members:
        if member.is_dir() or not member.filename.lower().endswith((".txt", ".csv")):
            continue
        stream = resources.enter_context(archive.open(member))
        tables.append(_open_text(stream, f"{path.name}:{member.filename}", member.file_size))
    if not tables:
        raise ReferenceFileError(
            f"{path.name} is a zip file without product.txt and package.txt.",
            f"Expected {EXPECTED_FILES}. Unzip CMS downloads and pick the CSV inside.",
        )
    return tables


def _damaged_zip(name: str) -> ReferenceFileError:
    return ReferenceFileError(
        f"{name} is a damaged or incomplete zip file.",
        "Download it again: the download was probably cut short.",
    )


def _open_text(stream: IO[bytes], source_name: str, size: int) -> Table:
    reader = TextReader(stream, source_name)
    progress = Progress(size, lambda: reader.bytes_read)
    damaged = _damaged_zip(source_name.split(":")[0])
    try:
        first_line = reader.first_line()
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise damaged from error

    def line_number() -> int:
        return reader.line_number

    if TAB in first_line:
        header = first_line.rstrip("\r\n").split(TAB)
        rows = _guarded(reader.tab_rows(), damaged)
        return _table_from_rows(iter([header]), rows, source_name, progress, line_number)
    lines = _guarded(reader.lines(), damaged)
    csv_rows = _csv_checked(csv.reader(_chain_first(first_line, lines)), source_name, line_number)
    return _table_from_rows(csv_rows, csv_rows, source_name, progress, line_number)


def _csv_checked(
    rows: Iterator[list[str]], source_name: str, line_number: Callable[[], int]
) -> Iterator[list[str]]:
    """A NUL byte or a broken quote is the file's fault, and is said as such (found by fuzzing)."""
    try:
        yield from rows
    except csv.Error as error:
        raise ReferenceFileError(
            f"{source_name}: line {line_number()} is not valid CSV ({error}).",
            "The file is damaged: download it again. Nothing already loaded was changed.",
        ) from error


_T = TypeVar("_T")


def _guarded(items: Iterator[_T], damaged: ReferenceFileError) -> Iterator[_T]:
    """A zip member that is cut off or fails its CRC check surfaces while reading."""
    try:
        yield from items
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise damaged from error


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _open_xlsx(archive: zipfile.ZipFile, source_name: str) -> Table:
    sheet = archive.getinfo(xlsx.first_sheet_path(archive))
    counter = _RowCounter()
    # Progress estimate: a HCPCS sheet row is about 1.6 kB of XML.
    progress = Progress(sheet.file_size, lambda: counter.rows * 1600)
    rows = counter.counted(xlsx.iter_rows(archive))
    return _table_from_rows(rows, rows, source_name, progress, lambda: counter.rows)


class _RowCounter:
    def __init__(self) -> None:
        self.rows = 0

    def counted(self, rows: Iterator[list[str]]) -> Iterator[list[str]]:
        for row in rows:
            self.rows += 1
            yield row


def _table_from_rows(
    header_rows: Iterator[list[str]],
    data_rows: Iterator[list[str]],
    source_name: str,
    progress: Progress,
    row_number: Callable[[], int],
) -> Table:
    preamble: list[list[str]] = []
    near_misses: list[tuple[int, TableKind]] = []
    for row in header_rows:
        for kind in TableKind:
            columns = match_columns(kind, row)
            if columns is not None:
                return Table(kind, source_name, columns, preamble, data_rows, progress, row_number)
            near_misses.append((_matched_count(kind, row), kind))
        preamble.append(row)
        if len(preamble) >= MAX_PREAMBLE_ROWS:
            break
    raise _unrecognised(source_name, near_misses, preamble)


def _matched_count(kind: TableKind, row: list[str]) -> int:
    keys = [header_key(cell) for cell in row]
    return sum(any(matcher(key) for key in keys) for _, _, matcher in REQUIRED_COLUMNS[kind])


def _unrecognised(
    source_name: str, near_misses: list[tuple[int, TableKind]], preamble: list[list[str]]
) -> ReferenceFileError:
    matched, kind = max(near_misses, default=(0, TableKind.ASP_CROSSWALK), key=lambda m: m[0])
    if matched >= 2:
        expected = ", ".join(shown for _, shown, _ in REQUIRED_COLUMNS[kind])
        return ReferenceFileError(
            f"{source_name} looks like a {kind.value}, but its header row does not have the "
            f"expected columns. Expected columns: {expected}.",
            "Download the file again from the publisher; an edited copy cannot be imported.",
        )
    if any("crosswalk" in cell.lower() for row in preamble for cell in row):
        kind = TableKind.ASP_CROSSWALK
        expected = ", ".join(shown for _, shown, _ in REQUIRED_COLUMNS[kind])
        return ReferenceFileError(
            f"{source_name} says it is a CMS crosswalk, but no header row with the expected "
            f"columns ({expected}) was found in its first {MAX_PREAMBLE_ROWS} lines.",
            "Download the file again from the publisher; an edited copy cannot be imported.",
        )
    return ReferenceFileError(
        f"{source_name} is not a reference file J3490 Desk can read.",
        f"Expected {EXPECTED_FILES}.",
    )
