"""Settings > Reference data: what FDA/CMS files are loaded, how old, and importing new ones.

Imports run on a worker thread (a full FDA directory takes several seconds) behind a
cancellable progress dialog, so the window never freezes; a cancel rolls the file back.
Files come from the picker or are dropped on the page. Results are shown in window-modal
message boxes opened with open(), never exec(), so nothing here blocks the event loop.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.errors import KnownError
from j3490_desk.reference.errors import ImportCancelledError
from j3490_desk.services.reference import ImportOutcome, ReferenceService

PROGRESS_STEPS = 1000
COLUMNS = ("Data", "File", "Covers", "Age (days)", "Rows", "Imported", "Status")
FILE_FILTER = "Reference files (*.zip *.txt *.csv *.xlsx);;All files (*)"


class ImportWorker(QObject):
    """Runs ReferenceService.import_files on a QThread; talks to the page by signals only."""

    progress = Signal(int)  # 0..PROGRESS_STEPS within the current file
    file_started = Signal(int, int, str)
    finished = Signal(list)  # list[ImportOutcome]
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, service: ReferenceService, paths: list[Path]) -> None:
        super().__init__()
        self._service = service
        self._paths = paths
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Thread-safe: the import sees it at its next check and rolls back."""
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            outcomes = self._service.import_files(
                self._paths,
                progress=self._report,
                cancelled=self._cancel.is_set,
                file_started=self.file_started.emit,
            )
        except ImportCancelledError:
            self.cancelled.emit()
        except KnownError as error:  # e.g. the data folder cannot be written
            self.failed.emit(str(error))
        else:
            self.finished.emit(outcomes)

    def _report(self, done: int, total: int) -> None:
        self.progress.emit(PROGRESS_STEPS * done // total if total else 0)


class ReferencePage(QWidget):
    """The "Reference data" page of the Settings dialog."""

    import_finished = Signal(list)  # list[ImportOutcome], after the table is refreshed
    import_cancelled = Signal()

    def __init__(self, service: ReferenceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.last_message = ""
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.message_box: QMessageBox | None = None

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setOpenExternalLinks(False)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton("Import files…")
        self.import_button.clicked.connect(self.pick_and_import)
        hint = QLabel(
            "Import the FDA NDC Directory (ndctext.zip), the CMS ASP crosswalk and pricing "
            "files and the HCPCS file, or drop them here. Files are recognised by content."
        )
        hint.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addWidget(self.warnings)
        layout.addLayout(buttons)
        self.setAcceptDrops(True)
        self.refresh()

    # --- What is loaded ----------------------------------------------------------------

    def refresh(self) -> None:
        try:
            status = self.service.status(date.today())
        except KnownError as error:
            self.warnings.setText(str(error))
            return
        self.table.setRowCount(len(status.loaded))
        for row, item in enumerate(status.loaded):
            values = (
                item.kind.label,
                item.file_name,
                item.period_text,
                str(item.age_days),
                f"{item.rows_kept:,}",
                item.imported_at.strftime("%Y-%m-%d %H:%M"),
                "Out of date" if item.stale else "Current",
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.warnings.setText("\n".join(status.warnings))

    def row_texts(self) -> list[tuple[str, ...]]:
        """The table's cells, row by row (for tests and accessibility checks)."""
        return [
            tuple(self._cell(row, column) for column in range(self.table.columnCount()))
            for row in range(self.table.rowCount())
        ]

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    # --- Choosing files ----------------------------------------------------------------

    def choose_files(self) -> list[Path]:
        """The file picker (tests replace this method; never call exec() in tests)."""
        names, _ = QFileDialog.getOpenFileNames(
            self, "Import reference files", str(Path.home()), FILE_FILTER
        )
        return [Path(name) for name in names]

    @Slot()
    def pick_and_import(self) -> None:
        paths = self.choose_files()
        if paths:
            self.start_import(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.is_importing or not _local_files(event.mimeData().urls()):
            event.ignore()
            return
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_files(event.mimeData().urls())
        if paths and not self.is_importing:
            event.acceptProposedAction()
            self.start_import(paths)

    # --- Importing off the GUI thread ----------------------------------------------------

    @property
    def is_importing(self) -> bool:
        return self._thread is not None

    def start_import(self, paths: list[Path]) -> None:
        if self.is_importing:
            return
        self.import_button.setEnabled(False)
        dialog = QProgressDialog("Importing…", "Cancel", 0, PROGRESS_STEPS, self)
        dialog.setWindowTitle("Importing reference files")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        self.progress_dialog = dialog

        thread = QThread(self)
        worker = ImportWorker(self.service, paths)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(dialog.setValue)
        worker.file_started.connect(self._on_file_started)
        worker.finished.connect(self._on_finished)
        worker.cancelled.connect(self._on_cancelled)
        worker.failed.connect(self._on_failed)
        # Not straight to worker.cancel: that slot would be queued behind the running import.
        dialog.canceled.connect(self._request_cancel)
        self._thread, self._worker = thread, worker
        thread.start()
        dialog.show()

    def cancel_import(self) -> None:
        """Cancel a running import and wait for the rollback (used when the dialog closes)."""
        if self._worker is not None and self._thread is not None:
            self._worker.cancel()
            self._thread.quit()
            self._thread.wait()

    @Slot()
    def _request_cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            if self.progress_dialog is not None:
                self.progress_dialog.setLabelText("Cancelling: putting the data back as it was…")

    @Slot(int, int, str)
    def _on_file_started(self, index: int, count: int, name: str) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText(f"Importing {name} ({index + 1} of {count})…")
            self.progress_dialog.setValue(0)

    @Slot(list)
    def _on_finished(self, outcomes: list[ImportOutcome]) -> None:
        self._end_import()
        rejected = [outcome for outcome in outcomes if outcome.error is not None]
        text = "\n\n".join(_outcome_text(outcome) for outcome in outcomes)
        if rejected:
            self._show(QMessageBox.Icon.Warning, "Some files were not imported", text)
        else:
            self._show(QMessageBox.Icon.Information, "Reference files imported", text)
        self.import_finished.emit(outcomes)

    @Slot()
    def _on_cancelled(self) -> None:
        self._end_import()
        self._show(
            QMessageBox.Icon.Information,
            "Import cancelled",
            "Import cancelled. The file being imported was not changed; the reference data "
            "loaded before is kept.",
        )
        self.import_cancelled.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._end_import()
        self._show(QMessageBox.Icon.Critical, "Import failed", message)
        self.import_finished.emit([])

    def _end_import(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread, self._worker = None, None
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self.import_button.setEnabled(True)
        self.refresh()

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        self.last_message = text
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.message_box = box
        box.open()


def _local_files(urls: list[QUrl]) -> list[Path]:
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]


def _outcome_text(outcome: ImportOutcome) -> str:
    if outcome.summary is not None:
        return "\n".join(outcome.summary.lines())
    return f"{outcome.name}: NOT IMPORTED\n{outcome.error}"
