"""The main window: the claim list, and the actions a biller starts from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from j3490_desk import APP_NAME
from j3490_desk.errors import KnownError
from j3490_desk.services import claim_list
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.about_dialog import show_about
from j3490_desk.ui.claim_table_model import ClaimTableModel

EMPTY_STATE = (
    "<h2>Welcome to J3490 Desk</h2>"
    "<p>There are no claims yet. To start:</p>"
    "<ol><li><b>Settings</b> (Ctrl+,): enter your clinic, your payers and your providers "
    "with their NPIs. You type them once.</li>"
    "<li><b>New claim</b> (Ctrl+N): start a claim for a patient who received an "
    "unclassified drug, or <b>Import claim</b> (Ctrl+I) to load a claim file.</li></ol>"
)


class MainWindow(QMainWindow):
    def __init__(self, data: AppData) -> None:
        super().__init__()
        self._data = data
        self.setWindowTitle(APP_NAME)  # never a patient's name: titles show on the taskbar
        self.model = ClaimTableModel(
            lambda offset, limit: claim_list.list_claims(data, offset=offset, limit=limit)
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Claims")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(self._open_index)
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
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.reference_banner)
        column.addWidget(self.stack)
        self.setCentralWidget(central)
        self.actions = self._build_actions()
        self.statusBar().showMessage(f"Data folder: {data.paths.root}")
        self._restore_geometry()
        self.refresh()
        # after the window shows: opening the reference data is not needed to draw it
        QTimer.singleShot(0, self.show_reference_warnings)

    # --- actions ---------------------------------------------------------------------------

    def _build_actions(self) -> dict[str, QAction]:
        specs = (
            ("new", "&New claim…", QKeySequence.StandardKey.New, self.new_claim),
            ("open", "&Open claim", QKeySequence.StandardKey.Open, self.open_selected),
            ("import", "&Import claim file…", QKeySequence("Ctrl+I"), self.import_claim),
            ("settings", "&Settings…", QKeySequence("Ctrl+,"), self.show_settings),
            ("refresh", "&Refresh", QKeySequence.StandardKey.Refresh, self.refresh),
            ("quit", "&Quit", QKeySequence.StandardKey.Quit, self.close),
            (
                "about",
                "&About J3490 Desk",
                QKeySequence("F1"),
                lambda: show_about(self._data, self),
            ),
        )
        actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in specs:
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.triggered.connect(slot)
            actions[key] = action
        menus = (
            ("&File", ("new", "open", "import", "refresh", "quit")),
            ("&Edit", ("settings",)),
            ("&Help", ("about",)),
        )
        for title, keys in menus:
            menu = self.menuBar().addMenu(title)
            for key in keys:
                menu.addAction(actions[key])
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        for key in ("new", "open", "import", "settings"):
            toolbar.addAction(actions[key])
        return actions

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        text = QLabel(EMPTY_STATE)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        settings = QPushButton("Open Settings")
        settings.clicked.connect(self.show_settings)
        new = QPushButton("New claim")
        new.clicked.connect(self.new_claim)
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
        self.model.reload()
        self.stack.setCurrentWidget(self.table if self.model.rowCount() else self.empty_state)

    def show_reference_warnings(self) -> None:
        """Stale or missing FDA/CMS files make the claim check miss things: say so, and where to
        download the new ones."""
        warnings = self._data.reference.status().warnings
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
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_claim(self.model.claim_id(rows[0].row()))

    def _open_index(self, index: QModelIndex) -> None:
        self.open_claim(self.model.claim_id(index.row()))

    def open_claim(self, claim_id: int) -> None:
        """The claim's wizard, where the clerk left off; a claim already open is raised."""
        from j3490_desk.ui.wizard.window import open_wizard  # loads the rules engine

        # Its own top-level window: it outlives this one until closed, and closing saves it.
        wizard = open_wizard(self._data, claim_id)
        wizard.destroyed.connect(self.refresh)  # the list shows the new patient and status

    def import_claim(self) -> None:
        settings = QSettings()
        start = str(settings.value("folders/import", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "Import claim", start, "Claim files (*.json)")
        if not path:
            return
        settings.setValue("folders/import", str(Path(path).parent))
        from j3490_desk.services import claims  # the ORM: loaded after start-up

        try:
            claim_id = claims.import_claim_file(self._data, Path(path))
        except KnownError as error:
            QMessageBox.warning(self, "Claim not imported", str(error))
            return
        self.refresh()
        self.statusBar().showMessage(f"Imported claim {claim_id}.")

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
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        super().closeEvent(event)  # type: ignore[arg-type]
