"""The main window: the claim list, and the actions a biller starts from."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QSystemTrayIcon,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from j3490_desk import APP_NAME
from j3490_desk.errors import KnownError
from j3490_desk.paths import DataPaths
from j3490_desk.services import claim_list
from j3490_desk.services.app_data import AppData
from j3490_desk.services.claim_list import ClaimFilter
from j3490_desk.services.shared_database import database_in_use
from j3490_desk.services.startup_jobs import wait_for_imports
from j3490_desk.ui.claim_table_model import ClaimTableModel

if TYPE_CHECKING:
    from j3490_desk.services.startup_jobs import JobOutcome
    from j3490_desk.services.work_queue import TodayReport
    from j3490_desk.ui.filter_bar import FilterBar
    from j3490_desk.ui.today_panel import TodayPanel

EMPTY_STATE = (
    "<h2>Welcome to J3490 Desk</h2>"
    "<p>There are no claims yet. To start:</p>"
    "<ol><li><b>Settings</b> (Ctrl+,): enter your clinic, your payers and your providers "
    "with their NPIs. You type them once.</li>"
    "<li><b>New claim</b> (Ctrl+N): start a claim for a patient who received an "
    "unclassified drug, or <b>Import claim</b> (Ctrl+I) to load a claim file.</li></ol>"
)


STATUS_ACTIONS = (  # (key, menu text): each opens the StatusDialog for that move
    ("ready", "Mark &ready"),
    ("submit", "Mark &submitted…"),
    ("paid", "Record &payment…"),
    ("denied", "Record &denial…"),
    ("appeal", "Record &appeal…"),
    ("correct", "C&orrect claim…"),
    ("resubmit", "Mark res&ubmitted…"),
    ("close", "&Close claim…"),
    ("draft", "Back to &draft…"),
)


class _TodaySignals(QObject):
    counted = Signal(object)  # TodayReport
    reference_checked = Signal(object)  # tuple[str, ...]: warnings about the reference data


_FOLLOWED = "followed_by_claim_list"  # a wizard property: its checks refresh the list

# Started once the window has painted, or after this long if it is never painted (hidden).
BACKGROUND_START_FALLBACK_MS = 250


def _count_today(signals: _TodaySignals, data: AppData, today: date) -> None:
    """On the thread pool: one scan of the claims table, kept off the GUI thread."""
    from j3490_desk.services.work_queue import today_report

    signals.counted.emit(today_report(data, today, with_reference=False))


def _check_reference(signals: _TodaySignals, paths: DataPaths, today: date) -> None:
    """On the thread pool, with its own connection: opening the reference data costs start-up
    time the window should not wait for."""
    from j3490_desk.services.reference import ReferenceService  # loaded off the GUI thread

    service = ReferenceService(paths)
    try:
        signals.reference_checked.emit(tuple(service.status(today).warnings))
    finally:
        service.close()


def _after_imports(action: Callable[[], object]) -> None:
    """A clerk's action, once the start-up jobs' thread has imported the ORM most actions load:
    two threads importing it at once can each find it half-initialised."""
    wait_for_imports()
    action()


class _FirstPaint(QObject):
    """Calls back once, from the event loop, after the watched widget has painted once."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Posted from inside the paint: it runs on a later pass of the event loop.
            QTimer.singleShot(0, self._callback)
        return False


class MainWindow(QMainWindow):
    backup_finished = Signal(str)  # what the status bar says: where the file went, or why not

    def __init__(self, data: AppData, *, today: date | None = None) -> None:
        super().__init__()
        self._data = data
        self._fixed_today = today  # tests and demos fix the day; None follows the clock
        self.setWindowTitle(APP_NAME)  # never a patient's name: titles show on the taskbar
        self.claim_filter = ClaimFilter()
        self.today_report: TodayReport | None = None
        self.last_alert = ""
        self._alerted = False
        self.model = ClaimTableModel(self._fetch_page)
        self._filter_bar: FilterBar | None = None  # built after the first paint, see below
        self._today_panel: TodayPanel | None = None
        self._pool = QThreadPool(self)
        self._today_signals = _TodaySignals(self)
        self._today_signals.counted.connect(self._show_today)
        self._today_signals.reference_checked.connect(self.show_reference_warnings)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Claims")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(
            lambda index: _after_imports(lambda: self._open_index(index))
        )
        self.table.selectionModel().selectionChanged.connect(self._show_holder)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)  # newest service first
        header.sortIndicatorChanged.connect(self.model.sort)
        self.empty_state = self._build_empty_state()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.table)
        self.reference_banner = QLabel()
        self.reference_banner.setWordWrap(True)
        self.reference_banner.setOpenExternalLinks(False)
        self.reference_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.reference_banner.setAccessibleName("Reference data warning")
        self.reference_banner.hide()
        central = QWidget()
        self._column = QVBoxLayout(central)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.addWidget(self.reference_banner)
        self._column.addWidget(self.stack)  # the filter bar goes above it
        self.setCentralWidget(central)
        self.today_dock = QDockWidget("Today", self)  # the Today panel goes in it
        self.today_dock.setObjectName("today-dock")
        self.today_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.today_dock)
        self.actions = self._build_actions()
        self.statusBar().showMessage(f"Data folder: {data.paths.root}")
        self.job_problems = QLabel()  # a failed background job: stays until the next start
        self.job_problems.setAccessibleName("Background job problems")
        self.job_problems.setStyleSheet("color: #b00020;")
        self.job_problems.setWordWrap(True)
        self.job_problems.hide()
        self.statusBar().addPermanentWidget(self.job_problems)
        self.database_label = QLabel(f"Database: {database_in_use(data)}")  # which one, always
        self.database_label.setAccessibleName("Database in use")
        self.statusBar().addPermanentWidget(self.database_label)
        self._restore_geometry()
        # The first paint shows the claim list. Then the filter bar and the Today panel are
        # built, and the Today count and the reference check start on the thread pool (their
        # Python work would otherwise hold the GIL from the first paint).
        self._background_started = False
        self._today_pending = False
        self._first_paint = _FirstPaint(self, self._start_background)
        self._background_fallback = QTimer(self)
        self._background_fallback.setSingleShot(True)
        self._background_fallback.setInterval(BACKGROUND_START_FALLBACK_MS)
        self._background_fallback.timeout.connect(self._start_background)
        self._background_fallback.start()
        self.refresh()

    def _start_background(self) -> None:
        if self._background_started:
            return
        self._background_started = True
        self._background_fallback.stop()
        self._build_filters_and_today()
        data = self._data
        self._pool.start(lambda: _check_reference(self._today_signals, data.paths, self.today()))
        self._load_filter_choices()
        if self._today_pending:
            self.refresh_today()

    def _build_filters_and_today(self) -> None:
        """The filter bar and the Today panel, after the first paint (or when first asked for)."""
        if self._filter_bar is not None:
            return
        from j3490_desk.ui.filter_bar import FilterBar
        from j3490_desk.ui.today_panel import TodayPanel

        bar = FilterBar()
        bar.changed.connect(self.set_filter)
        panel = TodayPanel()
        panel.queue_chosen.connect(bar.set_queue)
        self._filter_bar, self._today_panel = bar, panel
        self._column.insertWidget(self._column.indexOf(self.stack), bar)
        bar.setVisible(self.stack.currentWidget() is self.table)
        self.today_dock.setWidget(panel)

    @property
    def filter_bar(self) -> FilterBar:
        self._build_filters_and_today()
        assert self._filter_bar is not None
        return self._filter_bar

    @property
    def today_panel(self) -> TodayPanel:
        self._build_filters_and_today()
        assert self._today_panel is not None
        return self._today_panel

    def today(self) -> date:
        return self._fixed_today or date.today()

    def _fetch_page(self, offset: int, limit: int) -> list[claim_list.ClaimSummary]:
        chosen = dataclasses.replace(
            self.claim_filter, sort=self.model.sort_key, descending=self.model.descending
        )
        return claim_list.list_claims(
            self._data, claim_filter=chosen, offset=offset, limit=limit, today=self.today()
        )

    # --- actions ---------------------------------------------------------------------------

    def _build_actions(self) -> dict[str, QAction]:
        specs = (
            ("new", "&New claim…", QKeySequence.StandardKey.New, self.new_claim),
            ("open", "&Open claim", QKeySequence.StandardKey.Open, self.open_selected),
            ("import", "&Import claim file…", QKeySequence("Ctrl+I"), self.import_claim),
            ("settings", "&Settings…", QKeySequence("Ctrl+,"), self.show_settings),
            ("refresh", "&Refresh", QKeySequence.StandardKey.Refresh, self.refresh_all),
            ("quit", "&Quit", QKeySequence.StandardKey.Quit, self.close),
            (
                "about",
                "&About J3490 Desk",
                QKeySequence("F1"),
                self.show_about,
            ),
        )
        actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in specs:
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.triggered.connect(lambda _=False, s=slot: _after_imports(s))
            actions[key] = action
        for key, text in STATUS_ACTIONS:
            action = QAction(text, self)
            action.triggered.connect(
                lambda _=False, k=key: _after_imports(lambda: self.change_status(k))
            )
            actions[f"status:{key}"] = action
        for key, text, slot in (
            ("archive", "&Archive claim", lambda: self.archive_selected(True)),
            ("unarchive", "Bring back from archi&ve", lambda: self.archive_selected(False)),
            ("delete", "De&lete claim…", self.delete_selected),
            ("export837p", "E&xport 837P…", self.export_837p_selected),
            ("reports", "&Reports…", self.show_reports),
            ("codes", "Import CARC/RARC &code list…", self.import_code_list),
            ("remit", "Import &remittance (835)…", self.import_remittance),
            ("backup", "&Back up now…", self.back_up_now),
            ("restore", "Res&tore from backup…", self.restore_from_backup),
        ):
            action = QAction(text, self)
            action.triggered.connect(lambda _=False, s=slot: _after_imports(s))
            actions[key] = action
        actions["reports"].setShortcut(QKeySequence("Ctrl+R"))
        menus = (
            (
                "&File",
                ("new", "open", "import", "remit", "codes", "backup", "restore", "refresh", "quit"),
            ),
            ("&Edit", ("settings",)),
            (
                "&Status",
                (
                    *(f"status:{k}" for k, _ in STATUS_ACTIONS),
                    "export837p",
                    "archive",
                    "unarchive",
                    "delete",
                ),
            ),
            ("&View", ("reports",)),
            ("&Help", ("about",)),
        )
        for title, keys in menus:
            menu = self.menuBar().addMenu(title)
            for key in keys:
                menu.addAction(actions[key])
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        for key in ("new", "open", "import", "settings", "reports"):
            toolbar.addAction(actions[key])
        return actions

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        text = QLabel(EMPTY_STATE)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        settings = QPushButton("Open Settings")
        settings.clicked.connect(lambda: _after_imports(self.show_settings))
        new = QPushButton("New claim")
        new.clicked.connect(lambda: _after_imports(self.new_claim))
        buttons = QHBoxLayout()
        buttons.addWidget(settings)
        buttons.addWidget(new)
        buttons.addStretch()
        layout = QVBoxLayout(page)
        layout.addWidget(text)
        layout.addLayout(buttons)
        layout.addStretch()
        return page

    def refresh(self) -> None:
        """Reload the list from the database, keeping the selected claim selected."""
        selected, loaded = self._selected_id(), self.model.rowCount()
        self.model.reload()
        if selected is not None:
            self._select_claim(selected, within=loaded)
        filtered = dataclasses.replace(self.claim_filter, sort="date_of_service", descending=True)
        showing = self.model.rowCount() or filtered != ClaimFilter()
        self.stack.setCurrentWidget(self.table if showing else self.empty_state)
        if self._filter_bar is not None:
            self._filter_bar.setVisible(bool(showing))
        self.refresh_today()

    def refresh_all(self) -> None:
        """F5: the list, the Today counts, and the reference data's state read again (an import
        from the command line changes it behind the window's back)."""
        self.refresh()
        if self._background_started:
            data = self._data
            self._pool.start(
                lambda: _check_reference(self._today_signals, data.paths, self.today())
            )

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.claim_id(rows[0].row()) if rows else None

    def _show_holder(self) -> None:
        """Who has the selected claim open in their wizard ("Open by NAME on COMPUTER")."""
        claim_id = self._selected_id()
        if claim_id is None:
            return
        from j3490_desk.services import claim_holds  # the ORM: never before the first paint

        try:
            holder = claim_holds.holder_of(self._data, claim_id)
        except KnownError:
            return  # the list says nothing it could not check
        if holder is not None:
            self.statusBar().showMessage(f"Claim {claim_id}: {holder.describe()}")

    def _select_claim(self, claim_id: int, *, within: int) -> None:
        """Select the claim's row again after a reload, fetching pages until it shows, but no
        further than the rows loaded before (it was among them); a claim the filter now hides,
        or that moved far down, stays unselected."""
        row = self.model.row_of(claim_id)
        while row is None and self.model.rowCount() < within and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of(claim_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def set_filter(self, claim_filter: ClaimFilter) -> None:
        self.claim_filter = claim_filter
        self.refresh()

    def _load_filter_choices(self) -> None:
        self.filter_bar.set_choices(claim_list.filter_choices(self._data))

    # --- Today panel and the start-up alert --------------------------------------------------

    def refresh_today(self) -> None:
        if not self._background_started:
            self._today_pending = True  # counted once the window has painted
            return
        self._pool.start(lambda: _count_today(self._today_signals, self._data, self.today()))

    def _show_today(self, report: TodayReport) -> None:
        self.today_report = report
        self.today_panel.show_report(report)
        if not self._alerted:
            self._alerted = True
            self.alert(report.alert_text())

    def show_job_outcome(self, outcome: JobOutcome) -> None:
        """A start-up job ended: a failure stays in the status bar; the backup's outcome, good
        or bad, also shows in the Today panel."""
        from j3490_desk.services.startup_jobs import DAILY_BACKUP

        if outcome.job == DAILY_BACKUP:
            self.today_panel.show_backup(outcome)
        if outcome.failed:
            problem = f"⚠ {outcome.title} failed: {outcome.message}"
            shown = self.job_problems.text()
            self.job_problems.setText(f"{shown}\n{problem}" if shown else problem)
            self.job_problems.show()

    def alert(self, text: str) -> None:
        """A desktop notification where there is a tray, else the status bar: never a dialog
        that stops the biller at start-up."""
        self.last_alert = text
        if not text:
            return
        if QSystemTrayIcon.isSystemTrayAvailable():
            tray = QSystemTrayIcon(self.windowIcon(), self)
            tray.show()
            tray.showMessage(APP_NAME, text)
        else:
            self.statusBar().showMessage(text)

    # --- status, retention, reports ----------------------------------------------------------

    def _selected_claim(self) -> int | None:
        claim_id = self._selected_id()
        if claim_id is None:
            self.statusBar().showMessage("Select a claim in the list first.")
        return claim_id

    def change_status(self, action: str) -> None:
        from j3490_desk.ui.status_dialog import StatusDialog  # loads the ORM: not at start-up

        claim_id = self._selected_claim()
        if claim_id is None:
            return
        dialog = StatusDialog(self._data, claim_id, action, today=self.today(), parent=self)
        if dialog.exec():
            self.refresh()

    def export_837p_selected(self) -> None:
        """The selected claim as an 837P file, checked first; its status does not move."""
        from j3490_desk.services import claim_837p  # the ORM and pyx12: not at start-up

        claim_id = self._selected_claim()
        if claim_id is None:
            return
        settings = QSettings()
        start = Path(str(settings.value("folders/837p", str(Path.home()))))
        path, _ = QFileDialog.getSaveFileName(
            self, "Export 837P", str(start / f"claim-{claim_id}.837"), "X12 files (*.837 *.txt)"
        )
        if not path:
            return
        settings.setValue("folders/837p", str(Path(path).parent))
        try:
            result = claim_837p.export_837p(self._data, [claim_id], Path(path), today=self.today())
        except KnownError as error:
            QMessageBox.warning(self, "837P not written", str(error))
            return
        notes = "".join(f" {warning}" for warning in result.warnings)
        self.statusBar().showMessage(
            f"Wrote {result.path}. Upload it in the clearinghouse's portal, then mark the claim "
            f"submitted.{notes}"
        )

    def archive_selected(self, archived: bool) -> None:
        from j3490_desk.services import claim_status

        claim_id = self._selected_claim()
        if claim_id is None:
            return
        claim_status.archive(self._data, claim_id, archived=archived)
        self.refresh()
        self.statusBar().showMessage(
            f"Claim {claim_id} archived: tick Show archived to see it."
            if archived
            else f"Claim {claim_id} is back in the work queue."
        )

    def delete_selected(self) -> None:
        from j3490_desk.services import claim_status

        claim_id = self._selected_claim()
        if claim_id is None:
            return
        answer = QMessageBox.question(self, "Delete claim", f"Delete claim {claim_id}?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            claim_status.delete_claim(self._data, claim_id, today=self.today())
        except KnownError as error:
            QMessageBox.warning(self, "Claim not deleted", str(error))
            return
        self.refresh()

    def show_about(self) -> None:
        from j3490_desk.ui.about_dialog import show_about  # not needed at start-up

        show_about(self._data, self)

    def show_reports(self) -> None:
        from j3490_desk.ui.reports_view import ReportsView  # not needed at start-up

        ReportsView(self._data, self).exec()

    def import_code_list(self) -> None:
        from j3490_desk.services import work_queue

        path, _ = QFileDialog.getOpenFileName(self, "Import code list", "", "CSV (*.csv)")
        if not path:
            return
        try:
            count = work_queue.import_code_list(self._data, Path(path))
        except KnownError as error:
            QMessageBox.warning(self, "Code list not imported", str(error))
            return
        self.statusBar().showMessage(f"{count} CARC/RARC descriptions imported.")

    def import_remittance(self) -> None:
        """Read the payer's 835, show what it would post, and post it when the clerk confirms;
        the claim list then shows the new statuses (a denial names what to fix)."""
        from j3490_desk.services import remittance  # the ORM and pyx12: after start-up
        from j3490_desk.ui.remittance_dialog import RemittanceDialog

        settings = QSettings()
        start = str(settings.value("folders/remittance", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import remittance (835)",
            start,
            "835 remittance (*.835 *.edi *.txt);;All files (*)",
        )
        if not path:
            return
        settings.setValue("folders/remittance", str(Path(path).parent))
        try:
            preview = remittance.preview_remittance(self._data, Path(path))
        except KnownError as error:
            QMessageBox.warning(self, "Remittance not read", str(error))
            return
        self.remittance_dialog = RemittanceDialog(self._data, Path(path), preview, self)
        self.remittance_dialog.accepted.connect(self._remittance_posted)
        self.remittance_dialog.open()

    def _remittance_posted(self) -> None:
        result = self.remittance_dialog.posted
        assert result is not None
        self.refresh()
        self.statusBar().showMessage(
            f"Remittance {result.file_name}: {len(result.posted)} posted, "
            f"{len(result.reversed)} reversed, {len(result.already_posted)} already posted, "
            f"{len(result.unmatched)} unmatched, {len(result.problems)} problem(s)."
        )

    def back_up_now(self) -> None:
        """One backup file (database + attachments) into a folder the clerk picks; the window
        stays usable meanwhile, as SQLite's online backup copies a consistent snapshot."""
        from j3490_desk.services import backups, records
        from j3490_desk.ui.background import run_in_background

        chosen = records.get_settings(self._data).backup_folder or str(self._data.paths.backups)
        folder = QFileDialog.getExistingDirectory(self, "Back up into which folder?", chosen)
        if not folder:
            return
        self.actions["backup"].setEnabled(False)
        self.statusBar().showMessage("Backing up…")

        def done(message: str, failed: bool = False) -> None:
            self.actions["backup"].setEnabled(True)
            self.statusBar().showMessage(message, 0 if failed else 10_000)
            if failed:
                QMessageBox.warning(self, "Backup not made", message)
            self.backup_finished.emit(message)

        self.backup_job = run_in_background(
            lambda _control: backups.back_up(self._data, Path(folder)),
            parent=self,
            on_success=lambda path: done(f"Backed up to {path}"),
            on_failure=lambda error: done(str(error), failed=True),
        )

    def restore_from_backup(self) -> bool:
        """Replace this folder's claims and files with a backup's, after the clerk confirms;
        what was there is backed up first. True when a backup was restored."""
        from j3490_desk.services import backups
        from j3490_desk.ui.app import ask_passphrase
        from j3490_desk.ui.wizard.window import open_wizard_count

        if open_wizard_count():
            QMessageBox.information(
                self, "Restore from backup", "Close the open claims first, then restore."
            )
            return False
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Restore which backup?",
            str(self._data.paths.backups),
            "J3490 Desk backups (j3490-desk-backup-*.zip)",
        )
        if not name:
            return False
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace every claim and attached file in {backups.restore_target(self._data)} "
            f"with those in {Path(name).name}?\n\nWhat is there now is backed up first, into "
            f"{self._data.paths.backups}.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            passphrase = None
            if backups.is_encrypted(Path(name)):
                passphrase = ask_passphrase(name, "")
                if passphrase is None:
                    return False
            safety_copy = backups.restore_into_open_folder(
                self._data, Path(name), passphrase=passphrase
            )
        except KnownError as error:
            QMessageBox.warning(self, "Not restored", str(error))
            return False
        self.refresh()
        kept = "" if safety_copy is None else f" The data that was there is saved in {safety_copy}."
        QMessageBox.information(self, "Restored", f"Restored {Path(name).name}.{kept}")
        return True

    def show_reference_warnings(self, warnings: tuple[str, ...] | None = None) -> None:
        """Stale or missing FDA/CMS files make the claim check miss things: say so, and where to
        download the new ones."""
        if warnings is None:
            warnings = self._data.reference.status(self.today()).warnings
        self.today_panel.show_reference_warnings(tuple(warnings))
        self.reference_banner.setVisible(bool(warnings))
        if warnings:
            more = (
                f" ({len(warnings) - 1} more in Settings > Reference data)"
                if len(warnings) > 1
                else ""
            )
            self.reference_banner.setText(f"Reference data: {warnings[0]}{more}")

    def new_claim(self) -> None:
        from j3490_desk.services import drafts  # loads the ORM: not at start-up

        claim_id = drafts.start_draft(self._data)
        self.refresh()
        self.open_claim(claim_id)

    def open_selected(self) -> None:
        claim_id = self._selected_id()
        if claim_id is not None:
            self.open_claim(claim_id)

    def _open_index(self, index: QModelIndex) -> None:
        self.open_claim(self.model.claim_id(index.row()))

    def open_claim(self, claim_id: int) -> None:
        """The claim's wizard, where the clerk left off; a claim already open is raised."""
        from j3490_desk.ui.wizard.window import open_wizard  # loads the rules engine

        # Its own top-level window: it outlives this one until closed, and closing saves it.
        wizard = open_wizard(self._data, claim_id, today=self._fixed_today)
        if not wizard.property(_FOLLOWED):  # a wizard raised again is already followed
            wizard.setProperty(_FOLLOWED, True)
            wizard.checked.connect(self.refresh)  # its readiness, as soon as it is checked
            wizard.destroyed.connect(self.refresh)  # the list shows the new patient and status

    def import_claim(self) -> None:
        settings = QSettings()
        start = str(settings.value("folders/import", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "Import claim", start, "Claim files (*.json)")
        if not path:
            return
        settings.setValue("folders/import", str(Path(path).parent))
        from j3490_desk.services import claim_import  # the ORM: loaded after start-up

        try:
            report = claim_import.import_claim_file(self._data, Path(path))
        except KnownError as error:
            QMessageBox.warning(self, "Claim not imported", str(error))
            return
        self.refresh()
        self.statusBar().showMessage(f"Imported claim {report.claim_id}.")
        if report.notes:  # what it matched, what differs, its status, likely duplicates
            QMessageBox.information(
                self, f"Imported claim {report.claim_id}", "\n\n".join(report.notes)
            )

    def show_settings(self) -> None:
        from j3490_desk.ui.settings_dialog import SettingsDialog  # not needed at start-up

        SettingsDialog(self._data, self).exec()
        self.show_reference_warnings()

    # --- window state ----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1000, 640)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: object) -> None:
        self._background_started = True  # nothing new starts once the window is closing
        self._background_fallback.stop()
        self._pool.waitForDone()  # a count still running must not outlive the data it reads
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        super().closeEvent(event)  # type: ignore[arg-type]
