"""About: version, where the data lives and how big it is."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

import j3490_desk
from j3490_desk import APP_NAME
from j3490_desk.services.app_data import AppData, database_size_bytes


def about_text(data: AppData) -> str:
    size = database_size_bytes(data.paths) / 1_000_000
    return (
        f"<h3>{APP_NAME} {j3490_desk.__version__}</h3>"
        "<p>Documents, checks and packets unclassified-drug (J3490) claims. "
        "Works offline: nothing leaves this computer.</p>"
        f"<p><b>Data folder:</b> {data.paths.root}<br>"
        f"<b>Database size:</b> {size:.1f} MB</p>"
        "<p>Built with Qt for Python (PySide6, LGPL-3.0), SQLModel, SQLAlchemy, Alembic, "
        "ReportLab, pypdf and Pillow.</p>"
    )


def show_about(data: AppData, parent: QWidget | None = None) -> None:
    QMessageBox.about(parent, f"About {APP_NAME}", about_text(data))
