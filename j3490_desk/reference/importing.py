"""Importing a picked reference file: recognise it, load it in one transaction, record it.

- The same file again (same SHA-256) changes nothing.
- A CMS file for a quarter already loaded replaces that quarter's rows; other quarters stay
  (claims are checked against the quarter of their date of service), up to KEEP_QUARTERS.
- A newer FDA directory or HCPCS file replaces the older one whole; an older one is refused.
- Anything that goes wrong, or a cancel, rolls the transaction back: the data loaded before
  is exactly as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from j3490_desk.reference.cms_files import (
    load_asp_crosswalk,
    load_asp_payment_limits,
    load_noc_crosswalk,
    load_noc_payment_limits,
    load_opps_addendum_b,
)
from j3490_desk.reference.errors import ReferenceFileError
from j3490_desk.reference.fda_directory import load_fda_directory
from j3490_desk.reference.hcpcs_file import load_hcpcs_codes
from j3490_desk.reference.job import CancelCheck, ImportJob, Period, ProgressCallback
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.recognise import (
    OpenedFile,
    is_fda_directory_part,
    open_reference_file,
)
from j3490_desk.reference.schema import QUARTERLY_TABLES
from j3490_desk.reference.store import ImportRecord, ReferenceStore
from j3490_desk.reference.text_files import sha256_of
from j3490_desk.reference.values import period_label

KEEP_QUARTERS = 8  # two years of CMS quarters: claims can be filed a year after service
BULK_CACHE_KIB = 64 * 1024

Loader = Callable[[sqlite3.Connection, ImportJob, int], Period]
LOADERS: dict[FileKind, Loader] = {
    FileKind.FDA_NDC_DIRECTORY: load_fda_directory,
    FileKind.ASP_CROSSWALK: load_asp_crosswalk,
    FileKind.NOC_CROSSWALK: load_noc_crosswalk,
    FileKind.ASP_PAYMENT_LIMITS: load_asp_payment_limits,
    FileKind.NOC_PAYMENT_LIMITS: load_noc_payment_limits,
    FileKind.HCPCS_CODES: load_hcpcs_codes,
    FileKind.OPPS_ADDENDUM_B: load_opps_addendum_b,
}


@dataclass(frozen=True)
class ImportSummary:
    """What one import did, for the clerk: counts, rejected rows by reason, the quarter."""

    file_name: str
    kind: FileKind
    sha256: str
    effective_from: date
    effective_to: date | None
    rows_read: int
    rows_kept: int
    rejected: dict[str, int] = field(default_factory=dict)
    rejected_examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    unchanged: bool = False  # this exact file was already loaded: nothing was done
    became_current: bool = False  # the newest data of its kind now
    replaced: tuple[str, ...] = ()  # files whose rows this import replaced

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected.values())

    @property
    def period_text(self) -> str:
        if self.effective_to is None:
            return f"as of {self.effective_from.isoformat()}"
        return (
            f"{period_label(self.effective_from, self.effective_to)} "
            f"({self.effective_from.isoformat()} to "
            f"{self.effective_to.isoformat()})"
        )

    def lines(self) -> list[str]:
        """The summary as the CLI prints it and the UI shows it."""
        head = f"{self.file_name}: {self.kind.label}, {self.period_text}"
        if self.unchanged:
            return [head, "  already loaded (same file): nothing changed"]
        lines = [
            head,
            f"  rows read {self.rows_read:,}; kept {self.rows_kept:,}; "
            f"rejected {self.rows_rejected:,}",
        ]
        for reason, count in sorted(self.rejected.items(), key=lambda item: -item[1]):
            lines.append(f"    rejected {count:,} × {reason}")
            lines.extend(f"      e.g. {example}" for example in self.rejected_examples[reason])
        lines.extend(
            f"    note {count:,} × {reason}"
            for reason, count in sorted(self.warnings.items(), key=lambda item: -item[1])
        )
        if self.became_current and self.kind.is_quarterly:
            lines.append(f"  now in effect: {self.period_text}")
        if self.replaced:
            lines.append(f"  replaced: {', '.join(self.replaced)}")
        return lines


def group_files(paths: Iterable[Path]) -> list[tuple[Path, ...]]:
    """One entry per import: a loose FDA product.txt and package.txt go together."""
    groups: list[tuple[Path, ...]] = []
    fda_parts: list[Path] = []
    for path in paths:
        if path.is_file() and is_fda_directory_part(path):
            fda_parts.append(path)
        else:
            groups.append((path,))
    while fda_parts:
        groups.append(tuple(fda_parts[:2]))
        fda_parts = fda_parts[2:]
    return groups


def import_file(
    store: ReferenceStore,
    paths: Sequence[Path],
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> ImportSummary:
    """Import one reference file (or an FDA product.txt + package.txt pair)."""
    opened = open_reference_file(tuple(paths))
    try:
        sha256 = sha256_of(paths)
        loaded = store.import_with_sha256(sha256)
        if loaded is not None:
            return _unchanged(loaded, opened.file_name)
        return _load(store, opened, sha256, ImportJob(opened, progress, cancelled))
    finally:
        opened.close()


def _unchanged(loaded: ImportRecord, file_name: str) -> ImportSummary:
    return ImportSummary(
        file_name=file_name,
        kind=loaded.kind,
        sha256=loaded.sha256,
        effective_from=loaded.effective_from,
        effective_to=loaded.effective_to,
        rows_read=loaded.rows_read,
        rows_kept=loaded.rows_kept,
        unchanged=True,
    )


def _load(store: ReferenceStore, opened: OpenedFile, sha256: str, job: ImportJob) -> ImportSummary:
    kind = opened.kind
    imported_at = datetime.now(UTC).astimezone()
    with store.transaction() as connection, _bulk_settings(connection):
        import_id = connection.execute(
            "INSERT INTO import_log (kind, file_name, sha256, effective_from, imported_at, "
            "rows_read, rows_kept, rows_rejected) VALUES (?, ?, ?, '', ?, 0, 0, 0)",
            (kind.value, opened.file_name, sha256, imported_at.isoformat()),
        ).lastrowid
        assert import_id is not None
        period = LOADERS[kind](connection, job, import_id)
        job.require_usable()
        became_current = _is_newest(connection, kind, period)
        replaced = _retire(connection, kind, import_id, period, opened.file_name)
        connection.execute(
            "UPDATE import_log SET effective_from = ?, effective_to = ?, rows_read = ?, "
            "rows_kept = ?, rows_rejected = ? WHERE id = ?",
            (
                period.start.isoformat(),
                period.end.isoformat() if period.end else None,
                job.rows_read,
                job.rows_kept,
                job.rejected.total,
                import_id,
            ),
        )
        job.checkpoint()  # a cancel up to here still leaves everything as it was
    return ImportSummary(
        file_name=opened.file_name,
        kind=kind,
        sha256=sha256,
        effective_from=period.start,
        effective_to=period.end,
        rows_read=job.rows_read,
        rows_kept=job.rows_kept,
        rejected=dict(job.rejected.counts),
        rejected_examples={k: tuple(v) for k, v in job.rejected.examples.items()},
        warnings=dict(job.warnings.counts),
        became_current=became_current,
        replaced=replaced,
    )


@contextmanager
def _bulk_settings(connection: sqlite3.Connection) -> Iterator[None]:
    """A bigger page cache while importing only; the default comes back afterwards."""
    before = connection.execute("PRAGMA cache_size").fetchone()[0]
    connection.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA cache_size = {int(before)}")


def _active(
    connection: sqlite3.Connection, kind: FileKind, exclude: int = 0
) -> list[tuple[int, str, str]]:
    """(id, effective_from, file_name) of the loaded imports of a kind, newest first."""
    rows = connection.execute(
        "SELECT id, effective_from, file_name FROM import_log "
        "WHERE kind = ? AND replaced_by IS NULL AND id != ? ORDER BY effective_from DESC, id DESC",
        (kind.value, exclude),
    ).fetchall()
    return [(int(row[0]), str(row[1]), str(row[2])) for row in rows]


def _is_newest(connection: sqlite3.Connection, kind: FileKind, period: Period) -> bool:
    others = _active(connection, kind, exclude=-1)
    return all(start <= period.start.isoformat() for _, start, _ in others if start)


def _retire(
    connection: sqlite3.Connection, kind: FileKind, import_id: int, period: Period, name: str
) -> tuple[str, ...]:
    """Mark the imports this one supersedes and delete their rows; returns their names."""
    others = _active(connection, kind, exclude=import_id)
    start = period.start.isoformat()
    if kind in (FileKind.FDA_NDC_DIRECTORY, FileKind.HCPCS_CODES):
        newer = [other for other in others if other[1] > start]
        if newer:
            raise ReferenceFileError(
                f"{name} is older ({start}) than the {kind.label} already loaded "
                f"({newer[0][1]}, {newer[0][2]}).",
                f"Nothing was changed. Newer files: {kind.download_page}",
            )
        retired = others
    else:
        same_quarter = [other for other in others if other[1] == start]
        kept = [other for other in others if other[1] != start]
        retired = same_quarter + _beyond_retention(kept, start)
    for other_id, _, _ in retired:
        if kind in QUARTERLY_TABLES:
            connection.execute(
                f"DELETE FROM {QUARTERLY_TABLES[kind]} WHERE import_id = ?", (other_id,)
            )
        connection.execute(
            "UPDATE import_log SET replaced_by = ? WHERE id = ?", (import_id, other_id)
        )
    return tuple(other_name for _, _, other_name in retired)


def _beyond_retention(
    kept: list[tuple[int, str, str]], new_start: str
) -> list[tuple[int, str, str]]:
    quarters = sorted([*kept, (0, new_start, "")], key=lambda other: other[1], reverse=True)
    return [other for other in quarters[KEEP_QUARTERS:] if other[0] != 0]
