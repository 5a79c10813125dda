"""The first user account of a shared database, made before the main window opens.

On a shared database every change names the person who made it, so nobody works there
without an account; the first clerk to open it makes one (then signs in with it).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from j3490_desk import APP_NAME
from j3490_desk.errors import KnownError
from j3490_desk.services import users
from j3490_desk.services.app_data import AppData

EXPLANATION = (
    "This computer uses the clinic's shared database, where every change names the person "
    "who made it. It has no user accounts yet: make yours. The others sign in with their own, "
    "which you can add with `j3490-desk user add NAME`."
)


class FirstAccountDialog(QDialog):
    def __init__(self, data: AppData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: your user account")
        self._data = data
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setAccessibleName("User name")
        self.display_name = QLineEdit()
        self.display_name.setAccessibleName("Full name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("Password again")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(explanation)
        form.addRow("User name", self.username)
        form.addRow("Full name", self.display_name)
        form.addRow(f"Password (at least {users.MIN_PASSWORD_LENGTH} characters)", self.password)
        form.addRow("Password again", self.repeat)
        form.addRow(self.message)
        form.addRow(buttons)

    def create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.repeat.clear()
            self.message.setText("The two passwords differ. Type the second one again.")
            return
        username, password = self.username.text().strip(), self.password.text()
        self._data.user = username  # the account's own creation names its person
        try:
            users.add_user(self._data, username, password, self.display_name.text().strip())
        except KnownError as error:  # a name taken, a short password, the server gone
            self.message.setText(str(error))
            return
        users.sign_in(self._data, username, password)
        self.accept()
