"""Settings > Security: encrypt the data folder at rest, change its passphrase."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from j3490_desk import APP_NAME
from j3490_desk.errors import KnownError
from j3490_desk.services import encryption
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.passphrase_dialogs import NewPassphraseDialog

DISK_ADVICE = (
    "Encryption here protects the claims, attached files and backups if this computer, its "
    "disk or a backup drive is lost or stolen. Also turn on BitLocker (Windows) or FileVault "
    "(macOS) for the whole disk: it covers what the app cannot, such as the temporary copy a "
    "viewer opens and the operating system's swap file."
)


class SecurityPage(QWidget):
    def __init__(self, data: AppData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.state)
        self.advice = QLabel(DISK_ADVICE)
        self.advice.setWordWrap(True)
        layout.addWidget(self.advice)
        self.encrypt = QPushButton("&Encrypt this data folder…")
        self.encrypt.clicked.connect(self._encrypt)
        self.change = QPushButton("C&hange passphrase…")
        self.change.clicked.connect(self._change)
        buttons = QHBoxLayout()
        buttons.addWidget(self.encrypt)
        buttons.addWidget(self.change)
        buttons.addStretch()
        layout.addLayout(buttons)
        layout.addStretch()
        self._show_state()

    def _show_state(self) -> None:
        refusal = encryption.refusal_for(self.data)
        if refusal is not None:  # the claims are on the clinic's server: it protects them
            self.state.setText(
                f"<b>Folder encryption does not apply.</b> {html.escape(refusal.message)}"
                f"<br><br>{html.escape(refusal.hint)}"
            )
            for about_the_folder in (self.advice, self.encrypt, self.change):
                about_the_folder.hide()
            return
        state = encryption.status(self.data.paths.root)
        if state.encrypted:
            kept = (
                " The key is kept in this computer's keychain, so the app opens without asking."
                if state.keychain
                else " The app asks for the passphrase when it starts."
            )
            self.state.setText(
                "<b>Encrypted.</b> The claims database (SQLCipher, AES-256), every attached file "
                f"and every backup are encrypted with this folder's key.{kept}"
            )
        else:
            self.state.setText(
                "<b>Not encrypted.</b> Anyone who can read this computer's disk or a backup "
                "can read the claims in it."
            )
        self.encrypt.setVisible(not state.encrypted)
        self.change.setVisible(state.encrypted)

    def _encrypt(self) -> None:
        dialog = NewPassphraseDialog(f"{APP_NAME}: encrypt the data folder", self)
        if not dialog.exec():
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            encryption.encrypt_open_folder(
                self.data, dialog.value(), remember=dialog.remember.isChecked()
            )
        except KnownError as error:
            QMessageBox.warning(self, APP_NAME, str(error))
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._show_state()

    def _change(self) -> None:
        remembered = encryption.status(self.data.paths.root).keychain
        dialog = NewPassphraseDialog(f"{APP_NAME}: change the passphrase", self, current=True)
        dialog.remember.setChecked(remembered)
        if not dialog.exec():
            return
        try:
            encryption.change_passphrase(
                self.data.paths.root,
                dialog.old_value(),
                dialog.value(),
                remember=dialog.remember.isChecked(),
                user=self.data.user,
            )
        except KnownError as error:
            QMessageBox.warning(self, APP_NAME, str(error))
            return
        QMessageBox.information(self, APP_NAME, "The passphrase was changed.")
        self._show_state()
