"""About: version, where the data lives and how big it is, and the third-party licences."""

from __future__ import annotations

import html
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

import j3490_desk
from j3490_desk import APP_NAME
from j3490_desk.paths import resources_dir
from j3490_desk.services.app_data import AppData, database_size_bytes
from j3490_desk.services.shared_database import database_in_use

LICENCES_FILE_NAME = "THIRD_PARTY_LICENSES.txt"


def licences_file() -> Path:
    """The licences of every bundled library: at the top of a frozen bundle (the installers
    ship it there), in packaging/ in a source tree (packaging/collect_licenses.py writes it)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / LICENCES_FILE_NAME
    return resources_dir().parent / "packaging" / LICENCES_FILE_NAME


def about_text(data: AppData) -> str:
    if data.db.shared:
        offline = "Works offline: nothing leaves the clinic's own computers and database server."
        size = ""
    else:
        offline = "Works offline: nothing leaves this computer."
        size = f"<br><b>Database size:</b> {database_size_bytes(data.paths) / 1_000_000:.1f} MB"
    return (
        f"<h3>{APP_NAME} {j3490_desk.__version__}</h3>"
        f"<p>Documents, checks and packets unclassified-drug (J3490) claims. {offline}</p>"
        f"<p><b>Data folder:</b> {data.paths.root}<br>"
        f"<b>Database:</b> {html.escape(database_in_use(data))}{size}</p>"
        "<p>Built with Qt for Python (PySide6, LGPL-3.0), SQLModel, SQLAlchemy, Alembic, "
        "ReportLab, pypdf and Pillow.</p>"
        f"<p><b>Licences</b> of every library included: {licences_file()}</p>"
    )


class LicencesDialog(QDialog):
    """The licences file, read-only, inside the app (no text editor needed)."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: third-party licences")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        where = QLabel(f"From {path}")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Third-party licences")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        try:
            self.text.setPlainText(path.read_text(encoding="utf-8"))
        except OSError as error:
            self.text.setPlainText(f"The licences file cannot be read: {error.strerror or error}.")
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_about(data: AppData, parent: QWidget | None = None) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setText(about_text(data))
    box.setIconPixmap(box.windowIcon().pixmap(64, 64))
    licences = box.addButton("Licences…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is licences:
        LicencesDialog(licences_file(), parent).exec()
