"""Sign in, when the clinic has set up user accounts: the audit log then names the clerk."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from j3490_desk import APP_NAME
from j3490_desk.services import users
from j3490_desk.services.app_data import AppData


class LoginDialog(QDialog):
    def __init__(self, data: AppData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Sign in to {APP_NAME}")
        self._data = data
        self.username = QLineEdit()
        self.username.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.sign_in)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("User name", self.username)
        form.addRow("Password", self.password)
        form.addRow(self.message)
        form.addRow(buttons)

    def sign_in(self) -> None:
        if users.sign_in(self._data, self.username.text(), self.password.text()):
            self.accept()
            return
        self.password.clear()
        self.message.setText("That user name and password do not match. Try again.")
