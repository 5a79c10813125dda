"""Viewing one attachment: zoom, page through PDF/TIFF pages, rotate for display only, and
"Open with system viewer" (on a temporary copy, so the stored original stays untouched)."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap, QTransform
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.errors import KnownError
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import (
    AttachmentInfo,
    attachment_bytes,
    display_image,
    viewer_copy,
)

VIEW_MAX_SIDE = 2400  # enough for reading a scan at full-screen zoom; caps a 12 MP decode
ZOOM_STEP = 1.25


def to_qimage(image: Image.Image) -> QImage:
    """A Pillow image as a QImage that owns its pixels (safe to make on a worker thread)."""
    rgba = image.convert("RGBA")
    data = rgba.tobytes()
    return QImage(
        data, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888
    ).copy()


class AttachmentViewer(QDialog):
    def __init__(self, data: AppData, info: AttachmentInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data, self.info = data, info
        self.page, self.zoom, self.rotation = 0, 1.0, 0
        self.setWindowTitle(info.original_name)
        self.image_label = QLabel(self)
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image_label)
        scroll.setWidgetResizable(True)
        self.page_label = QLabel(self)
        self.previous_button = QPushButton("◀ Previous page", self)
        self.next_button = QPushButton("Next page ▶", self)
        zoom_in, zoom_out = QPushButton("Zoom in", self), QPushButton("Zoom out", self)
        self.rotate_button = QPushButton("Rotate ↻", self)
        self.rotate_button.setToolTip("Turns the picture on screen only; the file is not changed.")
        system = QPushButton("Open with system viewer", self)
        self.previous_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        zoom_in.clicked.connect(lambda: self.set_zoom(self.zoom * ZOOM_STEP))
        zoom_out.clicked.connect(lambda: self.set_zoom(self.zoom / ZOOM_STEP))
        self.rotate_button.clicked.connect(self.rotate)
        system.clicked.connect(self.open_with_system_viewer)
        bar = QHBoxLayout()
        for widget in (self.previous_button, self.page_label, self.next_button, zoom_out, zoom_in):
            bar.addWidget(widget)
        bar.addWidget(self.rotate_button)
        bar.addStretch()
        bar.addWidget(system)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll)
        self.resize(900, 700)
        self._page_image = QImage()
        self.show_page(0)

    def show_page(self, page: int) -> None:
        self.page = max(0, min(page, self.info.page_count - 1))
        try:
            image = display_image(
                attachment_bytes(self.data, self.info), self.page, max_side=VIEW_MAX_SIDE
            )
        except KnownError as error:
            self.image_label.setText(str(error))
            return
        self._page_image = to_qimage(image)
        self.page_label.setText(f"Page {self.page + 1} of {self.info.page_count}")
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.info.page_count - 1)
        self._refresh()

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(0.1, min(zoom, 8.0))
        self._refresh()

    def rotate(self) -> None:
        self.rotation = (self.rotation + 90) % 360
        self._refresh()

    def shown_pixmap(self) -> QPixmap:
        return self.image_label.pixmap()

    def _refresh(self) -> None:
        shown = self._page_image.transformed(QTransform().rotate(self.rotation))
        if self.zoom != 1.0:
            shown = shown.scaled(
                int(shown.width() * self.zoom),
                int(shown.height() * self.zoom),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.image_label.setPixmap(QPixmap.fromImage(shown))

    def open_with_system_viewer(self) -> None:
        try:
            copy = viewer_copy(self.data, self.info)
        except (KnownError, OSError) as error:  # missing content, or no room for the copy
            self.image_label.setText(str(error))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))
