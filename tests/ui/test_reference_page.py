"""Settings > Reference data: imports off the GUI thread, cancel keeps the old data."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from j3490_desk.paths import DataPaths
from j3490_desk.reference import job as job_module
from j3490_desk.reference.importing import ImportSummary
from j3490_desk.reference.job import CancelCheck, ProgressCallback
from j3490_desk.services.reference import ReferenceService
from j3490_desk.ui.reference_page import ReferencePage

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reference"
CROSSWALK = FIXTURES / "asp_crosswalk_2026q1_slice.csv"
HCPCS = FIXTURES / "hcpcs_2025q4_slice.xlsx"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[ReferenceService]:
    opened = ReferenceService(DataPaths(tmp_path / "data"))
    yield opened
    opened.close()


@pytest.fixture
def page(qtbot: QtBot, service: ReferenceService) -> Iterator[ReferencePage]:
    widget = ReferencePage(service)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.cancel_import()


def _pick(page: ReferencePage, monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    monkeypatch.setattr(page, "choose_files", lambda: list(paths))


def test_an_empty_store_shows_nothing_loaded_and_where_to_download(page: ReferencePage) -> None:
    assert page.row_texts() == []
    assert "asp-pricing-files" in page.warnings.text()


def test_importing_a_picked_file_fills_the_status_table(
    qtbot: QtBot, page: ReferencePage, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pick(page, monkeypatch, CROSSWALK)

    with qtbot.waitSignal(page.import_finished, timeout=10_000) as finished:
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)

    (outcome,) = finished.args[0]
    assert outcome.error is None
    (row,) = page.row_texts()
    assert row[0] == "CMS ASP NDC-HCPCS crosswalk"
    assert row[1] == CROSSWALK.name
    assert row[2] == "2026 Q1"
    assert "now in effect: 2026 Q1" in page.last_message
    assert page.import_button.isEnabled() and not page.is_importing


def test_dropping_files_imports_them(qtbot: QtBot, page: ReferencePage) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(CROSSWALK)), QUrl.fromLocalFile(str(HCPCS))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )

    with qtbot.waitSignal(page.import_finished, timeout=10_000):
        page.dropEvent(event)

    assert {row[0] for row in page.row_texts()} == {
        "CMS ASP NDC-HCPCS crosswalk",
        "CMS HCPCS Level II codes",
    }


def test_a_rejected_file_gets_a_clear_message_box(
    qtbot: QtBot, page: ReferencePage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wrong = tmp_path / "visits.csv"
    wrong.write_text("Patient,Visit\r\nA,B\r\n")
    _pick(page, monkeypatch, wrong)

    with qtbot.waitSignal(page.import_finished, timeout=10_000):
        page.pick_and_import()

    assert page.message_box is not None and page.message_box.isVisible()
    assert page.message_box.icon() == page.message_box.Icon.Warning
    assert "visits.csv: NOT IMPORTED" in page.last_message
    assert "Expected the FDA NDC Directory" in page.last_message
    page.message_box.close()


def test_cancel_rolls_back_and_keeps_what_was_loaded(
    qtbot: QtBot,
    page: ReferencePage,
    service: ReferenceService,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    service.import_file([CROSSWALK])
    page.refresh()
    before = page.row_texts()
    corrected = tmp_path / "corrected.csv"  # same quarter: would replace the rows
    corrected.write_bytes(CROSSWALK.read_bytes().replace(b"Avastin", b"AVASTIN"))
    _hold_import_until_cancelled(service, monkeypatch)
    _pick(page, monkeypatch, corrected)

    page.pick_and_import()
    qtbot.waitUntil(lambda: page.progress_dialog is not None and page.progress_dialog.isVisible())
    assert page.is_importing  # the window is still responsive while the import runs
    assert page.progress_dialog is not None
    cancel_button = page.progress_dialog.findChild(QPushButton)
    with qtbot.waitSignal(page.import_cancelled, timeout=10_000):
        qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)

    assert page.row_texts() == before
    assert "Import cancelled" in page.last_message
    assert service.lookup("50242-0060-01").proprietary_name == "Avastin"  # not "AVASTIN"


def _hold_import_until_cancelled(
    service: ReferenceService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Make the import wait at its first row check until Cancel is pressed (or 5 s pass)."""
    monkeypatch.setattr(job_module, "CHECK_EVERY_ROWS", 1)
    real_import: Callable[..., ImportSummary] = service.import_file

    def held(
        paths: Sequence[Path],
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> ImportSummary:
        assert cancelled is not None

        def wait_for_cancel() -> bool:
            deadline = time.monotonic() + 5
            while not cancelled() and time.monotonic() < deadline:
                time.sleep(0.01)
            return cancelled()

        return real_import(paths, progress, wait_for_cancel)

    monkeypatch.setattr(service, "import_file", held)
