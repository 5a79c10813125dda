"""Settings > Reference data: what FDA/CMS files are loaded, how old, and importing new ones.

Imports run off the GUI thread in a BackgroundJob (a full FDA directory takes several seconds)
behind a cancellable progress dialog, so the window never freezes; a cancel rolls the file back.
Files come from the picker or are dropped on the page. Results are shown in window-modal
message boxes opened with open(), never exec(), so nothing here blocks the event loop.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
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
from j3490_desk.ui.background import (
    BackgroundJob,
    JobControl,
    progress_dialog_for,
    run_in_background,
)

PROGRESS_STEPS = 1000
COLUMNS = ("Data", "File", "Covers", "Age (days)", "Rows", "Imported", "Status")
FILE_FILTER = "Reference files (*.zip *.txt *.csv *.xlsx);;All files (*)"


class ReferencePage(QWidget):
    """The "Reference data" page of the Settings dialog."""

    import_finished = Signal(list)  # list[ImportOutcome], after the table is refreshed
    import_cancelled = Signal()

    def __init__(self, service: ReferenceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.last_message = ""
        self._job: BackgroundJob | None = None
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
            "files, the NOC crosswalk and pricing files, the HCPCS file and the OPPS Addendum B, "
            "or drop them here. Files are recognised by content."
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
        return self._job is not None

    def start_import(self, paths: list[Path]) -> None:
        if self.is_importing:
            return
        self.import_button.setEnabled(False)
        service = self.service
        self._job = run_in_background(
            lambda control: _import(service, paths, control),
            parent=self,
            on_success=self._on_finished,
            on_failure=self._on_failed,  # a KnownError, e.g. the data folder cannot be written
            on_cancel=self._on_cancelled,
            cancelled_by=(ImportCancelledError,),
        )
        self.progress_dialog = progress_dialog_for(
            self._job,
            self,
            title="Importing reference files",
            label="Importing…",
            steps=PROGRESS_STEPS,
            cancelling="Cancelling: putting the data back as it was…",
        )

    def cancel_import(self) -> None:
        """Cancel a running import and wait for the rollback (used when the dialog closes)."""
        if self._job is not None:
            self._job.cancel()
            self._job.wait()

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

    def _on_failed(self, error: KnownError) -> None:
        self._end_import()
        self._show(QMessageBox.Icon.Critical, "Import failed", str(error))
        self.import_finished.emit([])

    def _end_import(self) -> None:
        self._job = None
        self.progress_dialog = None  # it closes itself with the job
        self.import_button.setEnabled(True)
        self.refresh()

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        self.last_message = text
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.message_box = box
        box.open()


def _import(
    service: ReferenceService, paths: list[Path], control: JobControl
) -> list[ImportOutcome]:
    """Off the GUI thread: every file in turn; a cancel rolls the current file back."""

    def progress(done: int, total: int) -> None:
        control.report(PROGRESS_STEPS * done // total if total else 0)

    def file_started(index: int, count: int, name: str) -> None:
        control.report(0, f"Importing {name} ({index + 1} of {count})…")

    return service.import_files(
        paths, progress=progress, cancelled=control.is_cancelled, file_started=file_started
    )


def _local_files(urls: list[QUrl]) -> list[Path]:
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]


def _outcome_text(outcome: ImportOutcome) -> str:
    if outcome.summary is not None:
        return "\n".join(outcome.summary.lines())
    return f"{outcome.name}: NOT IMPORTED\n{outcome.error}"
