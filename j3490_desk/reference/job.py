"""One import in progress: row counts, rejected rows by reason, progress and cancel."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from j3490_desk.reference.errors import ImportCancelledError, ReferenceFileError
from j3490_desk.reference.recognise import OpenedFile, Table

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]

CHECK_EVERY_ROWS = 2000  # progress and cancel are checked this often, not on every row
EXAMPLES_PER_REASON = 3


@dataclass(frozen=True)
class Period:
    """What an import covers: a CMS quarter, or the FDA snapshot date (open-ended)."""

    start: date
    end: date | None


@dataclass
class IssueTally:
    """Rows with a problem, counted by reason, with the first few as examples."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, reason: str, example: str) -> None:
        self.counts[reason] += 1
        shown = self.examples.setdefault(reason, [])
        if len(shown) < EXAMPLES_PER_REASON:
            shown.append(example)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class ImportJob:
    """Passed to a loader: it counts each row and reports every rejected one here."""

    def __init__(
        self,
        opened: OpenedFile,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> None:
        self.opened = opened
        self._progress = progress
        self._cancelled = cancelled
        self.rows_read = 0
        self.rows_kept = 0
        self.rejected = IssueTally()
        self.warnings = IssueTally()

    def row_read(self) -> None:
        self.rows_read += 1
        if self.rows_read % CHECK_EVERY_ROWS == 0:
            self.checkpoint()

    def checkpoint(self) -> None:
        """Raise ImportCancelledError if the clerk cancelled; report progress otherwise."""
        if self._cancelled is not None and self._cancelled():
            raise ImportCancelledError()
        if self._progress is not None:
            self._progress(self.opened.done_bytes, self.opened.total_bytes)

    def reject(self, reason: str, table: Table, value: str) -> None:
        self.rejected.add(reason, f"{table.source_name} line {table.row_number()}: {value[:60]}")

    def warn(self, reason: str, table: Table, value: str) -> None:
        self.warnings.add(reason, f"{table.source_name} line {table.row_number()}: {value[:60]}")

    def require_usable(self) -> None:
        """A file whose rows are mostly unusable is the wrong file or a damaged one."""
        name, kind = self.opened.file_name, self.opened.kind.label
        if self.rows_kept == 0:
            raise ReferenceFileError(
                f"{name}: no usable rows were found for a {kind}.",
                "Download the file again from the publisher. Nothing was changed.",
            )
        if self.rejected.total > self.rows_kept:
            reasons = "; ".join(f"{n} × {r}" for r, n in self.rejected.counts.most_common(3))
            raise ReferenceFileError(
                f"{name}: most rows were rejected ({self.rejected.total} of {self.rows_read}: "
                f"{reasons}).",
                "The file is damaged or not the expected layout. Nothing was changed.",
            )
