"""Settings > Data > Shared database: this seat's own SQLite file, or the clinic's server.

The choice is this computer's (kept in its data folder, never a password) and takes effect at
the next start. The password goes only to the computer's keychain. The same page opens at
start-up when the chosen server cannot be used (`DatabaseChoiceDialog`), since the Settings
of a window that cannot open are out of reach.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from j3490_desk import APP_NAME
from j3490_desk.errors import KnownError
from j3490_desk.services import shared_database
from j3490_desk.services.shared_database import ServerAddress, ServerFields
from j3490_desk.ui.background import BackgroundJob, run_in_background


class SharedDatabasePage(QWidget):
    """`data_dir` is the seat's data folder; `in_use` says which database the app has open."""

    saved = Signal()

    def __init__(
        self, data_dir: str | os.PathLike[str] | None, in_use: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._folder = data_dir
        self.job: BackgroundJob | None = None
        in_use_label = QLabel(f"In use now: {in_use}.")
        in_use_label.setWordWrap(True)
        in_use_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QGroupBox("Shared database")
        self.sqlite = QRadioButton("SQLite in this data folder: one computer (the usual)")
        self.server = QRadioButton("A shared PostgreSQL server: several billers at once")
        self.host = self._line("Server (host name or address)")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(shared_database.DEFAULT_PORT)
        self.port.setAccessibleName("Port")
        self.database = self._line("Database")
        self.user = self._line("User (the server login)")
        self.sslmode = QComboBox()
        self.sslmode.setAccessibleName("Encryption to the server (sslmode)")
        for mode in shared_database.SSL_MODES:
            recommended = mode == shared_database.RECOMMENDED_SSL_MODE
            self.sslmode.addItem(
                f"{mode} (recommended for a server on another computer)" if recommended else mode,
                mode,
            )
        self.password = self._line("Password (kept only in this computer's keychain)")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("empty: keep the stored one, or PGPASSWORD / .pgpass")
        form = QFormLayout()
        for label, widget in (
            ("Server", self.host),
            ("Port", self.port),
            ("Database", self.database),
            ("User", self.user),
            ("sslmode", self.sslmode),
            ("Password (kept in the keychain)", self.password),
        ):
            form.addRow(label, widget)
        self.server_fields = QWidget()
        self.server_fields.setLayout(form)
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.save_button = QPushButton("Sa&ve")
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch()
        self.status = QLabel(shared_database.TAKES_EFFECT)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Shared database status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner = QVBoxLayout(box)
        inner.addWidget(self.sqlite)
        inner.addWidget(self.server)
        inner.addWidget(self.server_fields)
        inner.addLayout(buttons)
        inner.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addWidget(in_use_label)
        layout.addWidget(box)
        layout.addStretch()
        self.server.toggled.connect(self._follow_choice)
        self._load()

    @staticmethod
    def _line(name: str) -> QLineEdit:
        line = QLineEdit()
        line.setAccessibleName(name)
        line.setMaxLength(255)
        return line

    def _load(self) -> None:
        try:
            saved = shared_database.saved_choice(self._folder)
        except KnownError as error:  # an unreadable choice file: say so, start from SQLite
            self.status.setText(str(error))
            saved = None
        fields = shared_database.fields_of(saved) if saved else ServerFields()
        self.host.setText(fields.host)
        self.port.setValue(fields.port)
        self.database.setText(fields.database)
        self.user.setText(fields.user)
        self.sslmode.setCurrentIndex(max(0, self.sslmode.findData(fields.sslmode)))
        (self.server if saved else self.sqlite).setChecked(True)
        self._follow_choice(saved is not None)

    def _follow_choice(self, on_server: bool) -> None:
        self.server_fields.setEnabled(on_server)
        self.test_button.setEnabled(on_server)

    def _address(self) -> ServerAddress:
        return shared_database.address_from_fields(
            ServerFields(
                host=self.host.text(),
                port=self.port.value(),
                database=self.database.text(),
                user=self.user.text(),
                sslmode=str(self.sslmode.currentData()),
            )
        )

    def test_connection(self) -> None:
        """Off the GUI thread: a server that does not answer takes its connect timeout."""
        try:
            server = self._address()
        except KnownError as error:
            self.status.setText(str(error))
            return
        password = self.password.text()
        self.test_button.setEnabled(False)
        self.status.setText(f"Connecting to {server.label}…")
        self.job = run_in_background(
            lambda _control: shared_database.check_server(server, password),
            parent=self,
            on_success=self._tested,
            on_failure=self._tested,
        )

    def _tested(self, outcome: str | KnownError) -> None:
        self.test_button.setEnabled(self.server.isChecked())
        self.status.setText(str(outcome))

    def save(self) -> None:
        password = self.password.text()
        try:
            server = self._address() if self.server.isChecked() else None
            if server is not None and password:
                shared_database.remember_password(server, password)
            said = shared_database.save_choice(self._folder, server)
        except KnownError as error:
            self.status.setText(str(error))
            return
        self.password.clear()
        kept = " The password is in this computer's keychain." if server and password else ""
        self.status.setText(said + kept)
        self.saved.emit()


class DatabaseChoiceDialog(QDialog):
    """Start-up could not open the chosen server: choose another, or this folder's SQLite file."""

    def __init__(self, data_dir: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: choose the database")
        self.page = SharedDatabasePage(data_dir, "none: the chosen database could not be opened")
        self.page.saved.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(buttons)
