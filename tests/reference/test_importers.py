"""Importing the FDA and CMS files as published, and refusing bad ones without losing data."""

from __future__ import annotations

import os
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.ndc import NdcError, to_billing_ndc
from j3490_desk.errors import DatabaseDamagedError, NewerDatabaseError
from j3490_desk.reference import job as job_module
from j3490_desk.reference.errors import ImportCancelledError, ReferenceFileError
from j3490_desk.reference.fda_directory import BillingNdcConverter
from j3490_desk.reference.importing import group_files, import_file
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.schema import SCHEMA_VERSION
from j3490_desk.reference.store import ReferenceStore
from tests.reference.conftest import (
    CROSSWALK_2025Q4,
    CROSSWALK_2026Q1,
    HCPCS_CSV,
    HCPCS_XLSX,
    NOC_PRICING,
    PACKAGE_SLICE,
    PAYMENT_LIMIT_2026Q1,
    PRODUCT_SLICE,
    write_ndctext_zip,
)


def _count(store: ReferenceStore, table: str) -> int:
    return int(store.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _snapshot(store: ReferenceStore) -> dict[str, object]:
    """Everything a failed import must leave exactly as it was."""
    tables = ("fda_product", "fda_package", "asp_crosswalk", "asp_payment_limit", "hcpcs_code")
    snapshot: dict[str, object] = {t: _count(store, t) for t in tables}
    snapshot["log"] = store.connection.execute("SELECT * FROM import_log ORDER BY id").fetchall()
    snapshot["packages"] = store.connection.execute(
        "SELECT ndc11, product FROM fda_package ORDER BY ndc11"
    ).fetchall()
    return snapshot


# --- FDA NDC Directory -------------------------------------------------------------------


def test_fda_zip_is_imported_with_its_snapshot_date_and_fingerprint(
    store: ReferenceStore, ndctext_zip: Path
) -> None:
    progress: list[tuple[int, int]] = []
    summary = import_file(store, [ndctext_zip], progress=lambda d, t: progress.append((d, t)))

    assert summary.kind is FileKind.FDA_NDC_DIRECTORY
    assert summary.effective_from == date(2019, 4, 29)
    assert (summary.rows_read, summary.rows_kept, summary.rows_rejected) == (48, 48, 0)
    assert len(summary.sha256) == 64
    assert _count(store, "fda_product") == 18
    assert _count(store, "fda_package") == 30
    (record,) = store.imports(FileKind.FDA_NDC_DIRECTORY)
    assert record.imported_at.tzinfo is not None
    assert record.file_name == "ndctext.zip"
    assert progress and all(0 <= done <= total for done, total in progress)


def test_the_same_file_again_changes_nothing(store: ReferenceStore, ndctext_zip: Path) -> None:
    import_file(store, [ndctext_zip])
    before = _snapshot(store)

    again = import_file(store, [ndctext_zip])

    assert again.unchanged
    assert "already loaded" in "\n".join(again.lines())
    assert _snapshot(store) == before


def test_loose_product_and_package_files_are_paired_by_content(
    store: ReferenceStore, tmp_path: Path
) -> None:
    renamed_package = tmp_path / "a.txt"  # names do not matter, content does
    renamed_product = tmp_path / "b.txt"
    renamed_package.write_bytes(PACKAGE_SLICE.read_bytes())
    renamed_product.write_bytes(PRODUCT_SLICE.read_bytes())

    (group,) = group_files([renamed_package, renamed_product])
    summary = import_file(store, group)

    assert summary.kind is FileKind.FDA_NDC_DIRECTORY
    assert summary.rows_kept == 48


def test_package_txt_alone_is_rejected(store: ReferenceStore) -> None:
    with pytest.raises(ReferenceFileError, match=r"needs both product\.txt and package\.txt"):
        import_file(store, [PACKAGE_SLICE])


def test_fda_columns_are_found_by_header_name(store: ReferenceStore, tmp_path: Path) -> None:
    """FDA adds columns from time to time: a new column, and moved ones, change nothing."""
    lines = PRODUCT_SLICE.read_bytes().split(b"\r\n")
    reordered = []
    for line in lines:
        if not line:
            continue
        cells = line.split(b"\t")
        cells.insert(0, cells.pop(3))  # PROPRIETARYNAME first
        reordered.append(b"\t".join([*cells, b"NEWCOLUMN" if line is lines[0] else b"x"]))
    archive = write_ndctext_zip(tmp_path / "ndctext.zip", product=b"\r\n".join(reordered))

    import_file(store, [archive])

    name = store.connection.execute(
        "SELECT proprietary_name FROM fda_product WHERE product_ndc = '50242-060'"
    ).fetchone()[0]
    assert name == "Avastin"


def test_latin1_names_are_read_correctly(store: ReferenceStore, ndctext_zip: Path) -> None:
    import_file(store, [ndctext_zip])
    labeler = store.connection.execute(
        "SELECT labeler FROM fda_product WHERE product_ndc = '0164-2189'"
    ).fetchone()[0]
    assert labeler.startswith("Weleda A.G. Schwäbisch Gmünd")


def test_a_file_mixing_utf8_and_latin1_is_rejected(
    store: ReferenceStore, ndctext_zip: Path, tmp_path: Path
) -> None:
    import_file(store, [ndctext_zip])
    before = _snapshot(store)
    lines = PRODUCT_SLICE.read_bytes().split(b"\r\n")
    lines[1] = lines[1].replace(b"Sterile Diluent", "Stérile Diluent".encode())  # UTF-8 é
    mixed = write_ndctext_zip(
        tmp_path / "mixed.zip", product=b"\r\n".join(lines), stamp=(2020, 1, 1)
    )

    with pytest.raises(ReferenceFileError, match="mixes two text encodings"):
        import_file(store, [mixed])
    assert _snapshot(store) == before


def test_a_truncated_zip_is_rejected_and_nothing_is_lost(
    store: ReferenceStore, ndctext_zip: Path, tmp_path: Path
) -> None:
    import_file(store, [ndctext_zip])
    before = _snapshot(store)
    newer = write_ndctext_zip(tmp_path / "newer.zip", stamp=(2020, 1, 1))
    truncated = tmp_path / "ndctext_cut.zip"
    truncated.write_bytes(newer.read_bytes()[: newer.stat().st_size // 2])

    with pytest.raises(ReferenceFileError, match="damaged or incomplete zip"):
        import_file(store, [truncated])
    assert _snapshot(store) == before


def test_a_zip_with_a_corrupt_member_is_rejected(store: ReferenceStore, tmp_path: Path) -> None:
    archive = write_ndctext_zip(tmp_path / "ndctext.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo("package.txt")
    start = info.header_offset + 30 + len(info.filename) + 40  # inside the compressed data
    data[start : start + 8] = b"\x00" * 8
    archive.write_bytes(bytes(data))

    with pytest.raises(ReferenceFileError, match="damaged or incomplete zip"):
        import_file(store, [archive])


def test_a_2_gb_file_is_refused_before_reading(store: ReferenceStore, tmp_path: Path) -> None:
    huge = tmp_path / "movie.csv"
    with huge.open("wb") as stream:  # sparse: takes no disk space
        stream.truncate(2 * 1024**3)

    with pytest.raises(ReferenceFileError, match=r"2\.0 GB"):
        import_file(store, [huge])


def test_an_empty_file_is_refused(store: ReferenceStore, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReferenceFileError, match="empty"):
        import_file(store, [empty])


def test_an_older_fda_directory_is_refused(store: ReferenceStore, tmp_path: Path) -> None:
    import_file(store, [write_ndctext_zip(tmp_path / "new.zip", stamp=(2020, 5, 1))])
    older = write_ndctext_zip(
        tmp_path / "old.zip", package=PACKAGE_SLICE.read_bytes()[:-2], stamp=(2019, 4, 29)
    )
    with pytest.raises(ReferenceFileError, match="older than"):
        import_file(store, [older])


def test_a_newer_fda_directory_replaces_the_old_one_whole(
    store: ReferenceStore, ndctext_zip: Path, tmp_path: Path
) -> None:
    import_file(store, [ndctext_zip])
    lines = PACKAGE_SLICE.read_bytes().split(b"\r\n")
    newer = write_ndctext_zip(
        tmp_path / "newer.zip", package=b"\r\n".join(lines[:5]) + b"\r\n", stamp=(2020, 1, 1)
    )

    summary = import_file(store, [newer])

    assert summary.replaced == ("ndctext.zip",)
    assert _count(store, "fda_package") == 4
    assert [r.effective_from for r in store.imports(FileKind.FDA_NDC_DIRECTORY)] == [
        date(2020, 1, 1)
    ]


def test_a_cancelled_import_leaves_the_previous_directory_intact(
    store: ReferenceStore, ndctext_zip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(store, [ndctext_zip])
    before = _snapshot(store)
    monkeypatch.setattr(job_module, "CHECK_EVERY_ROWS", 5)
    checks = iter(range(100))
    newer = write_ndctext_zip(tmp_path / "newer.zip", stamp=(2020, 1, 1))

    with pytest.raises(ImportCancelledError):  # cancelled at row 20, in package.txt
        import_file(store, [newer], cancelled=lambda: next(checks) >= 3)
    assert _snapshot(store) == before


def test_a_crash_on_row_n_rolls_everything_back(
    store: ReferenceStore, ndctext_zip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(store, [ndctext_zip])
    import_file(store, [CROSSWALK_2026Q1])
    before = _snapshot(store)
    monkeypatch.setattr(job_module, "CHECK_EVERY_ROWS", 1)

    def explode(done: int, total: int) -> None:
        if done and explode.calls == 3:  # type: ignore[attr-defined]
            raise OSError("disk unplugged")
        explode.calls += 1  # type: ignore[attr-defined]

    explode.calls = 0  # type: ignore[attr-defined]
    changed = CROSSWALK_2026Q1.read_bytes().replace(b"Avastin", b"AVASTIN")
    (tmp_path / "cw.csv").write_bytes(changed)  # same quarter: would replace its rows
    with pytest.raises(OSError, match="disk unplugged"):
        import_file(store, [tmp_path / "cw.csv"], progress=explode)
    assert _snapshot(store) == before


# --- CMS crosswalk, pricing, NOC ------------------------------------------------------------


def test_crosswalk_quarter_comes_from_the_preamble(store: ReferenceStore) -> None:
    summary = import_file(store, [CROSSWALK_2026Q1])

    assert summary.kind is FileKind.ASP_CROSSWALK
    assert (summary.effective_from, summary.effective_to) == (date(2026, 1, 1), date(2026, 3, 31))
    assert summary.became_current
    assert summary.rejected == {"NDC is not a valid 11-digit or hyphenated NDC": 1}
    assert "888867413689" in summary.rejected_examples[next(iter(summary.rejected))][0]
    assert "now in effect: 2026 Q1" in "\n".join(summary.lines())


def test_code_column_of_any_year_is_recognised(store: ReferenceStore) -> None:
    assert b"_2025_CODE" in CROSSWALK_2025Q4.read_bytes()
    summary = import_file(store, [CROSSWALK_2025Q4])
    assert summary.effective_from == date(2025, 10, 1)
    assert summary.rows_kept == 5


def test_quarters_are_kept_side_by_side_and_the_newest_is_current(store: ReferenceStore) -> None:
    newer = import_file(store, [CROSSWALK_2026Q1])
    older = import_file(store, [CROSSWALK_2025Q4])

    assert newer.became_current and not older.became_current
    starts = [r.effective_from for r in store.imports(FileKind.ASP_CROSSWALK)]
    assert starts == [date(2025, 10, 1), date(2026, 1, 1)]


def test_a_corrected_file_for_the_same_quarter_replaces_its_rows(
    store: ReferenceStore, tmp_path: Path
) -> None:
    import_file(store, [CROSSWALK_2025Q4])
    import_file(store, [CROSSWALK_2026Q1])
    lines = CROSSWALK_2026Q1.read_bytes().split(b"\r\n")
    corrected = tmp_path / "corrected.csv"
    corrected.write_bytes(b"\r\n".join(line for line in lines if b"50242-0061" not in line))

    summary = import_file(store, [corrected])

    assert summary.replaced == (CROSSWALK_2026Q1.name,)
    assert _count(store, "asp_crosswalk") == 5 + 6
    assert len(store.imports(FileKind.ASP_CROSSWALK)) == 2


def test_a_crosswalk_with_a_changed_header_is_rejected_naming_the_columns(
    store: ReferenceStore, tmp_path: Path
) -> None:
    import_file(store, [CROSSWALK_2025Q4])
    before = _snapshot(store)
    changed = tmp_path / "crosswalk.csv"
    changed.write_bytes(CROSSWALK_2026Q1.read_bytes().replace(b",NDC2,", b",PRODUCT CODE,"))

    with pytest.raises(ReferenceFileError) as raised:
        import_file(store, [changed])
    assert "looks like a CMS ASP NDC-HCPCS crosswalk" in raised.value.message
    assert "NDC2" in raised.value.message
    assert _snapshot(store) == before


def test_a_crosswalk_without_its_effective_dates_is_rejected(
    store: ReferenceStore, tmp_path: Path
) -> None:
    undated = tmp_path / "crosswalk.csv"
    undated.write_bytes(
        CROSSWALK_2026Q1.read_bytes().replace(
            b"Effective January 1, 2026 through March 31, 2026", b"Effective this quarter"
        )
    )
    with pytest.raises(ReferenceFileError, match="Effective January 1, 2026 through"):
        import_file(store, [undated])


def test_payment_limits_keep_exact_amounts(store: ReferenceStore) -> None:
    import_file(store, [PAYMENT_LIMIT_2026Q1])
    import_file(store, [NOC_PRICING])

    limit = store.connection.execute(
        "SELECT payment_limit FROM asp_payment_limit WHERE hcpcs = 'J9035'"
    ).fetchone()[0]
    noc = store.connection.execute("SELECT payment_limit FROM noc_payment_limit").fetchone()[0]
    assert (limit, noc) == ("73.632", "2.462")  # "$2.462" in the NOC file


# --- HCPCS Level II -----------------------------------------------------------------------


@pytest.mark.parametrize("path", [HCPCS_CSV, HCPCS_XLSX], ids=["csv", "xlsx"])
def test_hcpcs_file_is_read_from_csv_or_xlsx(store: ReferenceStore, path: Path) -> None:
    summary = import_file(store, [path])

    assert summary.kind is FileKind.HCPCS_CODES
    assert summary.effective_from == date(2025, 10, 1)  # its latest ACT EFF DT
    row = store.connection.execute(
        "SELECT long_description, added, pricing_indicator, coverage FROM hcpcs_code "
        "WHERE code = 'J3490'"
    ).fetchone()
    assert row == ("Unclassified drugs", "1986-01-01", "51", "D")
    assert store.connection.execute("SELECT 1 FROM hcpcs_code WHERE code = 'JW'").fetchone()


def _write_xlsx(path: Path, rows: list[list[str]]) -> None:
    """A minimal workbook with inline strings (as other tools write them)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    cells = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{value}</t></is></c>'
            for c, value in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{ns}"><sheetData>{cells}</sheetData></worksheet>',
        )


def test_an_xlsx_that_is_not_the_hcpcs_file_is_rejected(
    store: ReferenceStore, tmp_path: Path
) -> None:
    workbook = tmp_path / "HCPC2025_OCT_ANWEB.xlsx"  # the right name does not help
    _write_xlsx(workbook, [["Patient", "Visit", "Amount"], ["A", "2025-01-01", "10"]])

    with pytest.raises(ReferenceFileError, match="not a reference file") as raised:
        import_file(store, [workbook])
    assert "HCPCS Level II" in raised.value.hint


def test_inline_string_xlsx_with_the_hcpcs_header_is_read(
    store: ReferenceStore, tmp_path: Path
) -> None:
    header = [
        "HCPC",
        "RECID",
        "LONG DESCRIPTION",
        "SHORT DESCRIPTION",
        "ADD DT",
        "ACT EFF DT",
        "TERM DT",
    ]
    workbook = tmp_path / "codes.xlsx"
    _write_xlsx(
        workbook,
        [header, ["J3490", "3", "Unclassified drugs", "Drugs", "19860101", "20260101", ""]],
    )

    summary = import_file(store, [workbook])

    assert summary.effective_from == date(2026, 1, 1)


def test_a_csv_that_is_not_a_reference_file_is_rejected(
    store: ReferenceStore, tmp_path: Path
) -> None:
    other = tmp_path / "patients.csv"
    other.write_text("Name,Phone,Code\r\nDoe,555-0100,J3490\r\n")
    with pytest.raises(ReferenceFileError, match="not a reference file") as raised:
        import_file(store, [other])
    assert "crosswalk" in raised.value.hint and "Addendum B" in raised.value.hint


def test_an_addendum_b_that_names_no_period_is_refused(
    store: ReferenceStore, tmp_path: Path
) -> None:
    opps = tmp_path / "addendum_b.csv"
    opps.write_text("HCPCS Code,Short Descriptor,SI,APC\r\nJ3490,Drugs unclassified,N,\r\n")
    with pytest.raises(ReferenceFileError, match="neither a quarter nor a calendar year"):
        import_file(store, [opps])
    assert _count(store, "opps_status") == 0


def test_an_older_hcpcs_file_is_refused(store: ReferenceStore, tmp_path: Path) -> None:
    import_file(store, [HCPCS_CSV])
    older = tmp_path / "old.csv"
    older.write_bytes(HCPCS_CSV.read_bytes().replace(b"20251001", b"20250101"))
    with pytest.raises(ReferenceFileError, match="older"):
        import_file(store, [older])


# --- The database file ----------------------------------------------------------------------


def test_a_database_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "reference.sqlite"
    ReferenceStore.open(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()

    with pytest.raises(NewerDatabaseError, match="newer version"):
        ReferenceStore.open(path)
    assert path.read_bytes() == before


def test_a_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reference.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DatabaseDamagedError, match="import the files again"):
        ReferenceStore.open(path)


def test_store_uses_wal(store: ReferenceStore) -> None:
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert os.path.exists(store.path)


# --- The NDC conversion shortcut ----------------------------------------------------------


@given(
    st.sampled_from([(4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2), (6, 3, 2), (4, 3, 2)]).flatmap(
        lambda layout: st.tuples(*(st.text("0123456789", min_size=n, max_size=n) for n in layout))
    )
)
def test_billing_ndc_converter_agrees_with_the_domain_function(segments: tuple[str, ...]) -> None:
    code = "-".join(segments)
    convert = BillingNdcConverter()
    try:
        expected = to_billing_ndc(code)
    except NdcError:
        with pytest.raises(NdcError):
            convert(code)
        return
    assert convert(code) == expected
    assert convert(code) == expected  # second time from the learned layout


def test_a_stray_carriage_return_is_refused_and_keeps_what_was_loaded(tmp_path: Path) -> None:
    """Found by the fuzz test: the csv module's own error must become a clear refusal."""
    from j3490_desk.paths import DataPaths
    from j3490_desk.reference.errors import ReferenceFileError
    from j3490_desk.services.reference import ReferenceService

    good = Path(__file__).parents[1] / "fixtures" / "asp_ndc_hcpcs_crosswalk_jan2026_slice.csv"
    service = ReferenceService(DataPaths(tmp_path))
    service.import_file([good])
    before = service.status().loaded
    data = good.read_bytes()
    at = data.index(b"J2760")  # inside the data rows, after the header
    damaged = tmp_path / "damaged.csv"
    damaged.write_bytes(data[:at] + b"x\ry" + data[at:])
    with pytest.raises(ReferenceFileError, match="line 10 is not valid CSV"):
        service.import_file([damaged])
    assert service.status().loaded == before
    service.close()
