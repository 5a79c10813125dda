"""Daily backups to the clinic's folder, keeping the newest N."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from j3490_desk.services import auto_backup, backups, claims, records
from j3490_desk.services.app_data import AppData
from tests.sample_claims import sample_claim


def _configure(app_data: AppData, folder: Path, keep: int) -> None:
    settings = records.get_settings(app_data)
    settings.backup_folder = str(folder)
    settings.backup_keep = keep
    records.save_settings(app_data, settings)


def test_nothing_happens_without_a_folder(app_data: AppData) -> None:
    assert auto_backup.backup_if_due(app_data) is None


def test_one_backup_a_day_and_only_the_newest_kept(app_data: AppData, tmp_path: Path) -> None:
    claims.create_claim(app_data, sample_claim())
    usb = tmp_path / "usb"
    _configure(app_data, usb, keep=2)
    day = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    first = auto_backup.backup_if_due(app_data, now=day)
    assert first is not None and backups.verify(first) == []
    assert auto_backup.backup_if_due(app_data, now=day + timedelta(hours=5)) is None
    for n in range(1, 4):
        assert auto_backup.backup_if_due(app_data, now=day + timedelta(days=n)) is not None
    assert len(list(usb.glob("j3490-desk-backup-*.zip"))) == 2
    assert records.get_settings(app_data).last_auto_backup_at == day + timedelta(days=3)
