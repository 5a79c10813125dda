"""The shared server refused the login at start-up: ask for its password, once the server
takes it keep it in this computer's keychain (never in a file), then open as usual."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from j3490_desk import APP_NAME
from j3490_desk.errors import KnownError
from j3490_desk.services import shared_database
from j3490_desk.services.shared_database import ServerAddress
from j3490_desk.ui.background import BackgroundJob, run_in_background


class ServerPasswordDialog(QDialog):
    def __init__(self, server: ServerAddress, problem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: database server password")
        self._server = server
        self.job: BackgroundJob | None = None
        explanation = QLabel(
            f"{problem}\n\nType the password of {server.url.username} on {server.label}. "
            "It is kept in this computer's keychain, never in a file."
        )
        explanation.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Database password")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(explanation)
        form.addRow("Password", self.password)
        form.addRow(self.message)
        form.addRow(self.buttons)

    def check(self) -> None:
        """The server answers off the GUI thread (up to its connect timeout)."""
        password = self.password.text()
        self.buttons.setEnabled(False)
        self.message.setText("Connecting…")
        self.job = run_in_background(
            lambda _control: shared_database.check_server(self._server, password),
            parent=self,
            on_success=lambda _outcome: self._keep(password),
            on_failure=self._refused,
        )

    def _keep(self, password: str) -> None:
        try:
            shared_database.remember_password(self._server, password)
        except KnownError as error:  # no keychain on this computer
            self._refused(error)
            return
        self.accept()

    def _refused(self, error: KnownError) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.message.setText(str(error))
