"""Reference data (FDA NDC Directory, CMS drug files) for the app and the CLI. Qt-free.

Look-ups share one read connection; each import opens its own, so an import can run on a
worker thread while the window keeps looking NDCs up (WAL lets readers see the old data
until the import commits).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from j3490_desk.domain.claim import DrugFacts
from j3490_desk.errors import KnownError
from j3490_desk.paths import DataPaths, resolve_data_dir
from j3490_desk.reference.errors import ImportCancelledError
from j3490_desk.reference.importing import ImportSummary, group_files, import_file
from j3490_desk.reference.job import CancelCheck, ProgressCallback
from j3490_desk.reference.lookup import DEFAULT_SEARCH_LIMIT, NdcDirectory, NdcLookup, ProductMatch
from j3490_desk.reference.recheck import LineToRecheck, RecheckHit, lines_with_specific_code
from j3490_desk.reference.staleness import ReferenceStatus, reference_status
from j3490_desk.reference.store import ReferenceStore


@dataclass(frozen=True)
class ImportOutcome:
    """One picked file (or FDA pair): its summary, or the reason it was rejected."""

    paths: tuple[Path, ...]
    summary: ImportSummary | None = None
    error: KnownError | None = None

    @property
    def name(self) -> str:
        return " + ".join(path.name for path in self.paths)


FileStarted = Callable[[int, int, str], None]  # (index, count, file name)


class ReferenceService:
    def __init__(self, paths: DataPaths) -> None:
        self.paths = paths
        self._store: ReferenceStore | None = None
        self._directory: NdcDirectory | None = None

    @classmethod
    def for_data_dir(cls, data_dir: str | os.PathLike[str] | None = None) -> ReferenceService:
        """`--data-dir`, else $J3490_DESK_DATA_DIR, else the per-user folder."""
        return cls(DataPaths(resolve_data_dir(data_dir)))

    @property
    def directory(self) -> NdcDirectory:
        if self._directory is None:
            self._store = ReferenceStore.open(self.paths.reference_database)
            self._directory = NdcDirectory(self._store)
        return self._directory

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        self._store = None
        self._directory = None

    def import_file(
        self,
        paths: Sequence[Path],
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> ImportSummary:
        """Import one file (or an FDA product.txt + package.txt pair); safe on any thread."""
        store = ReferenceStore.open(self.paths.reference_database)
        try:
            return import_file(store, paths, progress, cancelled)
        finally:
            store.close()
            if self._directory is not None:
                self._directory.invalidate()

    def import_files(
        self,
        paths: Iterable[Path],
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
        file_started: FileStarted | None = None,
    ) -> list[ImportOutcome]:
        """Import each picked file in turn; a rejected one does not stop the others.

        A cancel stops the whole batch: ImportCancelledError is raised, and the file being
        imported when it came is left as it was (files finished before stay imported).
        """
        groups = group_files(paths)
        outcomes = []
        for index, group in enumerate(groups):
            if file_started is not None:
                file_started(index, len(groups), " + ".join(p.name for p in group))
            try:
                outcomes.append(ImportOutcome(group, self.import_file(group, progress, cancelled)))
            except ImportCancelledError:
                raise
            except KnownError as error:
                outcomes.append(ImportOutcome(group, error=error))
        return outcomes

    def lookup(self, ndc: str, date_of_service: date | None = None) -> NdcLookup:
        """Raises InvalidNdcError, AmbiguousNdcError or NdcNotFoundError (all KnownError)."""
        return self.directory.lookup(ndc, date_of_service)

    def drug_facts(self, ndc: str, date_of_service: date) -> DrugFacts:
        """What the rules engine needs about an NDC on a date of service: an 11-digit NDC, or
        the digits of a hyphen-less 10-digit one (resolved through the directory)."""
        return self.directory.drug_facts(ndc, date_of_service)

    def search(self, text: str, limit: int = DEFAULT_SEARCH_LIMIT) -> list[ProductMatch]:
        return self.directory.search(text, limit)

    def status(self, today: date | None = None) -> ReferenceStatus:
        return reference_status(self.directory.store, today or date.today())

    def lines_with_specific_code(
        self, lines: Iterable[LineToRecheck], quarter_start: date
    ) -> list[RecheckHit]:
        """Claim lines on/after a newly loaded quarter whose NDC now has its own code."""
        return lines_with_specific_code(self.directory, lines, quarter_start)
