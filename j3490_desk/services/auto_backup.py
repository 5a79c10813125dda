"""Daily automatic backups to a folder the clinic chose (a USB drive, a network share).

Run at start-up, off the GUI thread: if the last automatic backup is a day old or more, make
one and keep only the newest `backup_keep` there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from j3490_desk.models import ClinicSettings
from j3490_desk.services import backups, records
from j3490_desk.services.app_data import AppData

INTERVAL = timedelta(days=1)


def daily_backup(data: AppData, *, now: datetime | None = None) -> str:
    """The start-up job: a backup if one is due, and what happened, in words for the clerk."""
    made = backup_if_due(data, now=now)
    if made is not None:
        return f"Backed up to {made}."
    settings = records.get_settings(data)
    if not settings.backup_folder:
        return "No folder is chosen for daily backups (Settings > Clinic)."
    last = settings.last_auto_backup_at
    when = f", at {last.astimezone():%Y-%m-%d %H:%M}," if last else ""
    return f"Not due: the last one{when} is less than a day old."


def backup_if_due(data: AppData, *, now: datetime | None = None) -> Path | None:
    """The new backup's path, or None when none was due or no folder is set."""
    now = now or datetime.now(UTC)
    settings = records.get_settings(data)
    if not settings.backup_folder:
        return None
    if settings.last_auto_backup_at and now - settings.last_auto_backup_at < INTERVAL:
        return None
    folder = Path(settings.backup_folder)
    made = backups.back_up(data, folder)
    _stamp(data, now)
    prune(folder, keep=max(1, settings.backup_keep))
    return made


def prune(folder: Path, *, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond `keep`; returns what was deleted."""
    found = sorted(folder.glob("j3490-desk-backup-*.zip"))  # names sort by their UTC time
    doomed = found[:-keep] if len(found) > keep else []
    for path in doomed:
        path.unlink()
    return doomed


def _stamp(data: AppData, now: datetime) -> None:
    with data.db.write() as session:
        row = session.get(ClinicSettings, 1) or ClinicSettings(id=1)
        row.last_auto_backup_at = now
        session.add(row)
