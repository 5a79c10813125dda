"""The documentation packet: built in the background, previewed page by page, then saved or
printed.

The packet is built off the GUI thread (a BackgroundJob; progress and Cancel in a
QProgressDialog) and its pages are rendered for the preview with pdfium there too; nothing is
written until the user saves.
Saving writes atomically and records the export on the claim (services.packets).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QRect, QSettings, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.errors import KnownError
from j3490_desk.export.errors import PacketCancelled
from j3490_desk.services import packets, pdf_pages
from j3490_desk.services.app_data import AppData
from j3490_desk.services.packets import BuiltPacket, PacketResult
from j3490_desk.ui.background import (
    BackgroundJob,
    JobControl,
    progress_dialog_for,
    run_in_background,
)

PROGRESS_STEPS = 100
PREVIEW_SCALE = 1.25  # 90 dpi: a Letter page about as wide as the dialog
PRINT_DPI_LIMIT = 300
LAST_FOLDER_KEY = "packet/last_folder"


def page_images(pdf: bytes, scale: float) -> list[QImage]:
    """Every page as a QImage (grayscale stays cheap: pdfium renders RGB, Qt keeps it)."""
    images = []
    for pil in pdf_pages.render_pages(pdf, scale=scale):
        image = QImage(
            pil.tobytes(), pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888
        )
        images.append(image.copy())  # own the pixels: the bytes object goes away
    return images


def build_with_preview(
    data: AppData, claim_id: int, control: JobControl, today: date | None = None
) -> tuple[BuiltPacket, list[QImage]]:
    """Off the GUI thread: the packet, then its pages rendered for the preview."""

    def report(done: int, total: int, what: str) -> None:
        control.report((PROGRESS_STEPS - 1) * done // total if total else 0, what)

    built = packets.build_packet(
        data, claim_id, today=today, progress=report, cancelled=control.is_cancelled
    )
    control.report(PROGRESS_STEPS - 1, "Preparing the preview")
    return built, page_images(built.pdf, PREVIEW_SCALE)


class PacketDialog(QDialog):
    built = Signal()
    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        data: AppData,
        claim_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,  # the wizard's day: its review and the packet agree
    ) -> None:
        super().__init__(parent)
        self.data = data
        self.claim_id = claim_id
        self.today = today
        self.packet: BuiltPacket | None = None
        self.saved_result: PacketResult | None = None
        self.last_message = ""
        self._images: list[QImage] = []
        self._job: BackgroundJob | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.setWindowTitle(f"Documentation packet - claim {claim_id}")
        self.resize(900, 900)
        self._build_widgets()
        self.start_build()

    def _build_widgets(self) -> None:
        self.status = QLabel("Building the packet…")
        self.status.setWordWrap(True)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("optional: protects the PDF for email")
        form = QFormLayout()
        form.addRow("Password", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("Save…")
        self.print_button = QPushButton("Print…")
        self.open_folder_button = QPushButton("Open folder")
        for button in (self.save_button, self.print_button, self.open_folder_button):
            button.setEnabled(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_packet)
        self.open_folder_button.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)

    # --- building -------------------------------------------------------------------------

    @property
    def is_building(self) -> bool:
        return self._job is not None

    def start_build(self) -> None:
        data, claim_id, today = self.data, self.claim_id, self.today
        self._job = run_in_background(
            lambda control: build_with_preview(data, claim_id, control, today),
            parent=self,
            on_success=self._on_built,
            on_failure=self._on_failed,  # a KnownError: a missing or damaged attachment, ...
            on_cancel=self._on_cancelled,
            cancelled_by=(PacketCancelled,),
        )
        self.progress_dialog = progress_dialog_for(
            self._job,
            self,
            title="Documentation packet",
            label="Building the packet…",
            steps=PROGRESS_STEPS,
            cancelling="Cancelling…",
        )

    def _on_built(self, result: tuple[BuiltPacket, list[QImage]]) -> None:
        self._end_build()
        built, images = result
        self.packet, self._images = built, images
        for number, image in enumerate(images, start=1):
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAccessibleName(f"Page {number} of {len(images)}")
            page.setFrameShape(QLabel.Shape.Box)
            self.pages_layout.addWidget(page)
        draft = f" DRAFT: {built.draft_reason} Fix that before submitting." if built.draft else ""
        self.status.setText(
            f"{built.page_count} pages, attachment control number {built.control_number}.{draft}"
        )
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.built.emit()

    @Slot()
    def _on_cancelled(self) -> None:
        self._end_build()
        self.status.setText("Cancelled: nothing was written.")

    def _on_failed(self, error: KnownError) -> None:
        self._end_build()
        message = str(error)
        self.status.setText("The packet could not be built.")
        self._show(QMessageBox.Icon.Critical, "The packet could not be built", message)
        self.failed.emit(message)

    def _end_build(self) -> None:
        self._job = None
        self.progress_dialog = None  # it closes itself with the job

    def preview_page_count(self) -> int:
        return self.pages_layout.count()

    # --- saving, printing -----------------------------------------------------------------

    def choose_path(self) -> Path | None:
        assert self.packet is not None
        settings = QSettings()
        folder = str(settings.value(LAST_FOLDER_KEY, str(Path.home())))
        name = f"claim-{self.claim_id}-packet-{self.packet.control_number}.pdf"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the packet", str(Path(folder) / name), "PDF files (*.pdf)"
        )
        return Path(chosen) if chosen else None

    @Slot()
    def save(self) -> None:
        path = self.choose_path()
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        assert self.packet is not None
        try:
            self.saved_result = packets.save_packet(
                self.data, self.packet, path, password=self.password.text() or None
            )
        except KnownError as error:
            self._show(QMessageBox.Icon.Critical, "The packet was not saved", str(error))
            self.failed.emit(str(error))
            return
        QSettings().setValue(LAST_FOLDER_KEY, str(path.parent))
        self.open_folder_button.setEnabled(True)
        self.status.setText(
            f"Saved {path.name}: {self.saved_result.page_count} pages, control number "
            f"{self.saved_result.control_number}."
        )
        self.saved.emit(str(path))

    def print_dialog(self, printer: QPrinter) -> QPrintDialog:
        return QPrintDialog(printer, self)

    @Slot()
    def print_packet(self) -> bool:
        """Through the system print dialog; True when the pages were sent to the printer."""
        assert self.packet is not None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"Claim {self.claim_id} packet {self.packet.control_number}")
        if self.print_dialog(printer).exec() != QDialog.DialogCode.Accepted:
            return False
        dpi = min(printer.resolution(), PRINT_DPI_LIMIT)
        painter = QPainter()
        if not painter.begin(printer):
            self._show(
                QMessageBox.Icon.Critical, "Printing failed", "The printer could not be opened."
            )
            return False
        try:
            for number, image in enumerate(page_images(self.packet.pdf, dpi / 72)):
                if number:
                    printer.newPage()
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(QRect(area.x(), area.y(), size.width(), size.height()))
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(area)
        finally:
            painter.end()
        try:
            packets.record_print(self.data, self.packet)
        except KnownError as error:  # printed all the same; say the log missed it
            self._show(QMessageBox.Icon.Warning, "Print not logged", str(error))
        return True

    @Slot()
    def open_folder(self) -> None:
        if self.saved_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_result.path.parent)))

    def reject(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job.wait()  # the build stops at its next check; nothing was written
            self._end_build()
        super().reject()

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        self.last_message = text
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.message_box = box
        box.open()
