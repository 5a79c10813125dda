"""What is loaded, how old it is, and where to get newer files.

CMS files cover one quarter: once today is past a file's quarter, a newer file exists (CMS
posts them a few weeks ahead). The FDA directory is a snapshot: it counts as old when it
is more than one quarter (92 days) old. The publishers' pages are named, never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.store import ReferenceStore
from j3490_desk.reference.values import period_label

SNAPSHOT_STALE_DAYS = 92


@dataclass(frozen=True)
class LoadedFile:
    kind: FileKind
    file_name: str
    effective_from: date
    effective_to: date | None
    imported_at: datetime
    rows_kept: int
    age_days: int  # days since the file's quarter (or snapshot) began
    stale: bool

    @property
    def period_text(self) -> str:
        if self.effective_to is None:
            return f"as of {self.effective_from.isoformat()}"
        return period_label(self.effective_from, self.effective_to)


@dataclass(frozen=True)
class ReferenceStatus:
    today: date
    loaded: tuple[LoadedFile, ...]  # the newest file of each kind loaded, in FileKind order
    missing: tuple[FileKind, ...]
    history: dict[FileKind, tuple[str, ...]]  # quarters kept for older dates of service

    @property
    def warnings(self) -> tuple[str, ...]:
        lines = [
            f"{item.kind.label} is out of date ({item.period_text}, {item.age_days} days old): "
            f"download the current file from {item.kind.download_page}"
            for item in self.loaded
            if item.stale
        ]
        lines.extend(
            f"No {kind.label} is loaded: download it from {kind.download_page}"
            for kind in self.missing
        )
        return tuple(lines)

    def lines(self) -> list[str]:
        lines = [f"Reference data on {self.today.isoformat()}:"]
        for item in self.loaded:
            quarters = self.history.get(item.kind, ())
            kept = f"; quarters kept: {', '.join(quarters)}" if len(quarters) > 1 else ""
            lines.append(
                f"  {item.kind.label}: {item.file_name}, {item.period_text}, "
                f"{item.age_days} days old, {item.rows_kept:,} rows, imported "
                f"{item.imported_at.strftime('%Y-%m-%d %H:%M %z')}"
                f"{' (OUT OF DATE)' if item.stale else ''}{kept}"
            )
        lines.extend(f"  warning: {warning}" for warning in self.warnings)
        return lines


def reference_status(store: ReferenceStore, today: date) -> ReferenceStatus:
    loaded: list[LoadedFile] = []
    missing: list[FileKind] = []
    history: dict[FileKind, tuple[str, ...]] = {}
    for kind in FileKind:
        records = store.imports(kind)
        if not records:
            missing.append(kind)
            continue
        history[kind] = tuple(period_label(r.effective_from, r.effective_to) for r in records)
        newest = records[-1]
        if newest.effective_to is None:
            stale = (today - newest.effective_from).days > SNAPSHOT_STALE_DAYS
        else:
            stale = today > newest.effective_to
        loaded.append(
            LoadedFile(
                kind=kind,
                file_name=newest.file_name,
                effective_from=newest.effective_from,
                effective_to=newest.effective_to,
                imported_at=newest.imported_at,
                rows_kept=newest.rows_kept,
                age_days=max(0, (today - newest.effective_from).days),
                stale=stale,
            )
        )
    return ReferenceStatus(today, tuple(loaded), tuple(missing), history)
