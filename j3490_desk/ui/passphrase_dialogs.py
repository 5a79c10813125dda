"""Asking for the data folder's passphrase: to open it, and to choose one when encrypting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from j3490_desk import APP_NAME
from j3490_desk.storage.encryption import MIN_PASSPHRASE_LENGTH


def _password_field(accessible_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible_name)
    return field


def _buttons(
    dialog: QDialog, go: QDialogButtonBox.StandardButton, on_go: Callable[[], None]
) -> QDialogButtonBox:
    buttons = QDialogButtonBox(go | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_go)
    buttons.rejected.connect(dialog.reject)
    return buttons


class UnlockDialog(QDialog):
    """The passphrase that opens an encrypted data folder; `problem` says why it asks again."""

    def __init__(self, folder: str, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: encrypted data")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(f"The claims in {folder} are encrypted. Enter the clinic's passphrase.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel(problem)
        self.problem.setStyleSheet("color: #a40000;")
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        self.passphrase = _password_field("Passphrase")
        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, QDialogButtonBox.StandardButton.Open, self.accept))

    def value(self) -> str:
        return self.passphrase.text()


class NewPassphraseDialog(QDialog):
    """Choosing a passphrase: typed twice, long enough, with the one warning that matters."""

    def __init__(self, title: str, parent: QWidget | None = None, *, current: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        warning = QLabel(
            "Write the passphrase down and keep it somewhere safe, away from this computer. "
            "Without it nobody, including us, can open the claims, the attached files or the "
            "backups."
        )
        warning.setWordWrap(True)
        layout.addWidget(warning)
        form = QFormLayout()
        self.current = _password_field("Current passphrase") if current else None
        if self.current is not None:
            form.addRow("C&urrent passphrase:", self.current)
        self.first = _password_field("New passphrase")
        self.second = _password_field("Repeat the new passphrase")
        form.addRow("&New passphrase:", self.first)
        form.addRow("&Repeat it:", self.second)
        self.remember = QCheckBox("&Remember on this computer (kept in its keychain)")
        form.addRow("", self.remember)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a40000;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        layout.addWidget(_buttons(self, QDialogButtonBox.StandardButton.Ok, self._accept_if_valid))

    def _accept_if_valid(self) -> None:
        problem = ""
        if len(self.first.text()) < MIN_PASSPHRASE_LENGTH:
            problem = (
                f"Use at least {MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are "
                "easy to remember and hard to guess."
            )
        elif self.first.text() != self.second.text():
            problem = "The two new passphrases differ. Type them again."
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            self.second.clear()
            return
        self.problem.hide()
        self.accept()

    def value(self) -> str:
        return self.first.text()

    def old_value(self) -> str:
        return self.current.text() if self.current is not None else ""
