"""The attachments of a claim (or one drug line), as the claim wizard shows them on a step.

Files come by picker, drag and drop, or pasting an image (Ctrl+V). Thumbnails and label
reading run on the thread pool, so a 12 MP photo never blocks the window; the widget itself
only calls services and shows their dataclasses.

Adding runs off the GUI thread too (checking and storing a 50 MB PDF, encrypting it in an
encrypted folder, takes seconds): files are queued, and one BackgroundJob adds them in order
while the panel shows it is busy. Files added while it runs join the queue; the refusals are
shown once, and `attachments_changed` emitted once, when the queue is empty. The job has no
Qt parent, so the panel may be deleted while it runs (the wizard replaces it on each load):
the job still adds every queued file, and its signals simply no longer reach the panel.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QCoreApplication,
    QObject,
    QSettings,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.errors import KnownError
from j3490_desk.services import claims
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import (
    AttachmentInfo,
    AttachmentKind,
    add_attachment,
    attachment_bytes,
    display_image,
    list_attachments,
    remove_attachment,
)
from j3490_desk.services.label_reading import LabelReading, read_label
from j3490_desk.services.reference import ReferenceService
from j3490_desk.ui.attachment_viewer import AttachmentViewer, to_qimage
from j3490_desk.ui.background import BackgroundJob, JobControl
from j3490_desk.ui.label_confirm_dialog import LabelConfirmDialog

# The drug line's NDC, lot and expiry as on screen now (the expiry as text when no date).
TypedValues = Callable[[], tuple[str, str, date | str | None]]
THUMBNAIL_SIDE = 160
LAST_FOLDER_KEY = "attachments/last_folder"
FILE_FILTER = (
    "Documents and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic *.heif);;All files (*)"
)


class _Signals(QObject):
    thumbnail_ready = Signal(int, QImage)  # attachment id, thumbnail
    label_read = Signal(object)  # LabelReading
    label_failed = Signal(str)


# Jobs for the thread pool are plain functions (QThreadPool.start takes a callable): a Python
# QRunnable subclass deleted by Qt after `run` is a known source of crashes at shutdown.
# Each job reads the content itself (`load`), so reading a large file never blocks the window.

Loader = Callable[[], bytes]


def _make_thumbnail(signals: _Signals, attachment_id: int, load: Loader) -> None:
    try:
        image = to_qimage(display_image(load(), 0, max_side=THUMBNAIL_SIDE))
    except (KnownError, OSError, ValueError):  # content gone or unreadable: keep the icon
        return
    signals.thumbnail_ready.emit(attachment_id, image)


def _read_label(signals: _Signals, load: Loader, name: str, reference: ReferenceService) -> None:
    try:
        signals.label_read.emit(read_label(load(), name=name, reference=reference))
    except KnownError as error:
        signals.label_failed.emit(str(error))
    finally:
        reference.close()


@dataclass(frozen=True)
class _Pending:
    """One file waiting to be added; the kind is the one chosen when it was queued."""

    source: Path | QImage  # a pasted or captured image is made a PNG off the GUI thread
    name: str
    kind: AttachmentKind


class _AddQueue:
    """The files the running job still has to add, shared by the panel and the job's thread.

    The job `take`s until the queue is empty, and in that same step closes it: after that,
    `offer` says no, and the panel keeps new files for a job of its own once this one ends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: deque[_Pending] = deque()
        self._open = False

    def open(self, items: Iterable[_Pending]) -> None:
        with self._lock:
            self._items.extend(items)
            self._open = True

    def offer(self, items: Iterable[_Pending]) -> bool:
        """Hand files to the running job; False once it has taken its last one."""
        with self._lock:
            if not self._open:
                return False
            self._items.extend(items)
            return True

    def take(self) -> _Pending | None:
        """The next file, or None: then the queue is closed and the job may end."""
        with self._lock:
            if self._items:
                return self._items.popleft()
            self._open = False
            return None

    def close(self) -> list[_Pending]:
        """Close it and return what is left (nothing, unless the job ended with a bug)."""
        with self._lock:
            left = list(self._items)
            self._items.clear()
            self._open = False
            return left


def _add_queued(
    queue: _AddQueue, data: AppData, claim_id: int, drug_line_id: int | None, control: JobControl
) -> list[str]:
    """The job: add the queued files one after another; the refusals, in order."""
    refused = []
    while (pending := queue.take()) is not None:
        control.report(0, pending.name)
        source = (
            _png_bytes(pending.source) if isinstance(pending.source, QImage) else pending.source
        )
        try:
            add_attachment(
                data,
                claim_id=claim_id,
                drug_line_id=drug_line_id,
                kind=pending.kind,
                source=source,
                original_name=pending.name,
            )
        except KnownError as error:
            refused.append(str(error))
    return refused


# Adding jobs still running, held here because nothing else owns them (see the module
# docstring); the application waits for them before it quits and closes the data.
_adding_jobs: set[BackgroundJob] = set()


def wait_for_adding() -> None:
    """Block until every running adding job has stored its files."""
    for job in list(_adding_jobs):
        if shiboken6.isValid(job):
            job.wait()


def _start_adding_job(work: Callable[[JobControl], list[str]]) -> BackgroundJob:
    app = QCoreApplication.instance()
    if app is not None and not app.property("j3490_waits_for_adding"):
        app.setProperty("j3490_waits_for_adding", True)
        app.aboutToQuit.connect(wait_for_adding)
    job = BackgroundJob(work)  # no parent: it may outlive the panel, never the application
    _adding_jobs.add(job)
    job.finished.connect(partial(_adding_jobs.discard, job))
    return job


def camera_available() -> bool:
    """True only with QtMultimedia (PySide6-Addons) installed and a camera attached."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return False
    return bool(QMediaDevices.videoInputs())


class AttachmentsPanel(QWidget):
    attachments_changed = Signal()
    label_confirmed = Signal(object)  # LabelReading

    def __init__(
        self,
        data: AppData,
        claim_id: int,
        drug_line_id: int | None = None,
        default_kind: AttachmentKind = AttachmentKind.OTHER,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data, self.claim_id, self.drug_line_id = data, claim_id, drug_line_id
        self.typed_values: TypedValues = lambda: ("", "", None)
        self._thumbnails: dict[str, QIcon] = {}  # by sha256: identical content, one thumbnail
        self._attachments: dict[int, AttachmentInfo] = {}
        self._queue = _AddQueue()
        self._job: BackgroundJob | None = None
        self._job_refused: list[str] | None = None  # what the job returned; None: it crashed
        self._waiting: list[_Pending] = []  # came after the running job took its last file
        self._refused: list[str] = []  # since the panel became busy
        self._total = self._started = 0  # files queued and begun since the panel became busy
        # No Qt parent: a job still running when the panel closes keeps its signals alive.
        self._signals = _Signals()
        self._signals.thumbnail_ready.connect(self._set_thumbnail)
        self._signals.label_read.connect(self._confirm_label)
        self._signals.label_failed.connect(self._label_failed)
        self.pool = QThreadPool(self)
        self.setAcceptDrops(True)

        self.list = QListWidget(self)
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.itemDoubleClicked.connect(lambda item: self.open_viewer(self._info(item)))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.kind = QComboBox(self)
        for kind in AttachmentKind:
            self.kind.addItem(kind.label, kind)
        self.kind.setCurrentIndex(self.kind.findData(default_kind))
        self.add_button = QPushButton("Add files…", self)
        self.add_button.clicked.connect(self.pick_files)
        self.camera_button = QPushButton("Take label photo", self)
        self.camera_button.setVisible(camera_available())
        self.camera_button.clicked.connect(self._take_photo)
        self.read_label_button = QPushButton("Read label photo", self)
        self.read_label_button.clicked.connect(self.read_selected_label)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.status = QLabel(self)
        self.status.setVisible(False)
        QShortcut(QKeySequence.StandardKey.Paste, self, self.paste_from_clipboard)

        buttons = QHBoxLayout()
        for widget in (self.kind, self.add_button, self.camera_button, self.read_label_button):
            buttons.addWidget(widget)
        buttons.addStretch()
        buttons.addWidget(self.status)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        self.refresh()

    # --- what the wizard sets and reads ----------------------------------------------------

    def set_typed_values(self, source: TypedValues) -> None:
        """Where a label photo's values are compared from: read when the photo is read, so
        the comparison is with what is on screen then, not when the step was opened."""
        self.typed_values = source

    def attachments(self) -> list[AttachmentInfo]:
        return list(self._attachments.values())

    @property
    def is_adding(self) -> bool:
        return self._job is not None

    # --- adding ----------------------------------------------------------------------------

    def pick_files(self) -> None:
        settings = QSettings()
        folder = str(settings.value(LAST_FOLDER_KEY, str(Path.home())))
        names, _ = QFileDialog.getOpenFileNames(self, "Attach files", folder, FILE_FILTER)
        if names:
            settings.setValue(LAST_FOLDER_KEY, str(Path(names[0]).parent))
            self.add_files([Path(name) for name in names])

    def add_files(self, paths: list[Path]) -> None:
        """Queue the files; they are added in order off the GUI thread (see the module)."""
        self._queue_adding([_Pending(path, path.name, self.kind.currentData()) for path in paths])

    def paste_from_clipboard(self) -> None:
        mime = QApplication.clipboard().mimeData()
        if mime.hasUrls():
            self.add_files([Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()])
            return
        image = QApplication.clipboard().image()
        if image.isNull():
            self._warn("Nothing to paste", "The clipboard holds no image or file.")
            return
        stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H%M%S")
        self._queue_adding([_Pending(image, f"pasted image {stamp}.png", self.kind.currentData())])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [url for url in event.mimeData().urls() if url.isLocalFile()]
        self.add_files([Path(url.toLocalFile()) for url in urls])
        event.acceptProposedAction()

    def _queue_adding(self, items: list[_Pending]) -> None:
        if not items:
            return
        self._total += len(items)
        if self._job is None:
            self._refused = []
            self._start_job(items)
        elif not self._queue.offer(items):
            self._waiting.extend(items)  # the job is ending: the next one takes them
        self._show_busy()

    def _start_job(self, items: list[_Pending]) -> None:
        self._queue.open(items)
        self._job_refused = None
        work = partial(_add_queued, self._queue, self.data, self.claim_id, self.drug_line_id)
        job = _start_adding_job(work)
        # Bound slots of the panel: Qt drops these connections if the panel is deleted first.
        job.progress.connect(self._adding_one)
        job.succeeded.connect(self._job_succeeded)
        job.finished.connect(self._job_ended)
        self._job = job
        job.start()

    def _adding_one(self, _value: int, _name: str) -> None:
        self._started += 1
        self._show_busy()

    def _job_succeeded(self, refused: list[str]) -> None:
        self._job_refused = refused

    def _job_ended(self) -> None:
        self._job = None
        self._queue.close()
        if self._job_refused is None:  # a bug: the crash handler shows it; stop here
            self._waiting.clear()
        else:
            self._refused.extend(self._job_refused)
            if self._waiting:
                items, self._waiting = self._waiting, []
                self._start_job(items)
                return
        refused, self._refused = self._refused, []
        self._total = self._started = 0
        self._show_busy()
        self._after_adding(refused)

    def _show_busy(self) -> None:
        busy = self._job is not None
        self.status.setText(f"Adding {max(self._started, 1)} of {self._total}…" if busy else "")
        self.status.setVisible(busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
        self._update_buttons()

    def _after_adding(self, refused: list[str]) -> None:
        self.refresh()
        self.attachments_changed.emit()
        if refused:
            self._warn("File not attached", "\n\n".join(refused))

    # --- removing, viewing, label reading ---------------------------------------------------

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is None or self.is_adding:
            return
        info = self._info(item)
        ready = claims.get_claim(self.data, self.claim_id).status is ClaimStatus.READY
        answer = QMessageBox.question(
            self,
            "Remove attachment",
            f"Remove '{info.original_name}' from this claim?"
            + (
                "\n\nThe claim is marked ready: it goes back to draft, and must pass the "
                "check again before it is marked ready."
                if ready
                else ""
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            remove_attachment(self.data, info.id)
        except KnownError as error:
            self._warn("Not removed", str(error))
            return
        self.refresh()
        self.attachments_changed.emit()

    def open_viewer(self, info: AttachmentInfo) -> AttachmentViewer:
        viewer = AttachmentViewer(self.data, info, self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
        return viewer

    def read_selected_label(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        info = self._info(item)
        self.read_label_button.setEnabled(False)
        self.pool.start(
            partial(
                _read_label,
                self._signals,
                partial(attachment_bytes, self.data, info),
                info.original_name,
                ReferenceService(self.data.paths),
            )
        )

    def _label_failed(self, text: str) -> None:
        self._update_buttons()  # the clerk may try again, e.g. after restoring the content
        self._warn("Label not read", text)

    def _confirm_label(self, reading: LabelReading) -> None:
        self._update_buttons()
        ndc, lot, expiry = self.typed_values()
        dialog = LabelConfirmDialog(
            reading, typed_ndc=ndc, typed_lot=lot, typed_expiry=expiry, parent=self
        )
        if dialog.exec() == LabelConfirmDialog.DialogCode.Accepted:
            self.label_confirmed.emit(reading)

    def _take_photo(self) -> None:
        image = _capture_from_camera(self)
        if image is not None and not image.isNull():
            self.kind.setCurrentIndex(self.kind.findData(AttachmentKind.LABEL_PHOTO))
            stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H%M%S")
            kind = AttachmentKind.LABEL_PHOTO
            self._queue_adding([_Pending(image, f"label photo {stamp}.png", kind)])

    # --- the list --------------------------------------------------------------------------

    def refresh(self) -> None:
        self.list.clear()
        self._attachments.clear()
        for info in list_attachments(self.data, self.claim_id):
            if self.drug_line_id is not None and info.drug_line_id not in (None, self.drug_line_id):
                continue
            self._attachments[info.id] = info
            item = QListWidgetItem(f"{info.kind.label}\n{info.original_name}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setToolTip(
                f"{info.original_name}\n{info.page_count} page(s), {info.size_bytes:,} bytes\n"
                f"added {info.added_at:%Y-%m-%d %H:%M} by {info.added_by}"
            )
            icon = self._thumbnails.get(info.sha256)
            if icon is not None:
                item.setIcon(icon)
            else:
                self._start_thumbnail(info)
        self._update_buttons()

    def _start_thumbnail(self, info: AttachmentInfo) -> None:
        # Missing content: `attachments verify` reports it; the item stays without an icon.
        load = partial(attachment_bytes, self.data, info)
        self.pool.start(partial(_make_thumbnail, self._signals, info.id, load))

    def _set_thumbnail(self, attachment_id: int, image: QImage) -> None:
        info = self._attachments.get(attachment_id)
        if info is None:
            return
        icon = QIcon(QPixmap.fromImage(image))
        self._thumbnails[info.sha256] = icon
        for row in range(self.list.count()):
            item = self.list.item(row)
            if self._info(item).sha256 == info.sha256:
                item.setIcon(icon)

    def _info(self, item: QListWidgetItem) -> AttachmentInfo:
        return self._attachments[int(item.data(Qt.ItemDataRole.UserRole))]

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        selected = self._info(item) if item is not None else None
        busy = self.is_adding
        self.add_button.setEnabled(not busy)
        self.camera_button.setEnabled(not busy)
        self.remove_button.setEnabled(selected is not None and not busy)
        self.read_label_button.setEnabled(
            selected is not None and selected.kind is AttachmentKind.LABEL_PHOTO
        )

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)


def _png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def _capture_from_camera(parent: QWidget) -> QImage | None:
    """A viewfinder with a Capture button; the first camera QtMultimedia reports."""
    from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession
    from PySide6.QtMultimediaWidgets import QVideoWidget
    from PySide6.QtWidgets import QDialog

    dialog = QDialog(parent)
    dialog.setWindowTitle("Take label photo")
    viewfinder = QVideoWidget(dialog)
    camera, capture, session = QCamera(dialog), QImageCapture(dialog), QMediaCaptureSession(dialog)
    session.setCamera(camera)
    session.setImageCapture(capture)
    session.setVideoOutput(viewfinder)
    captured: list[QImage] = []
    capture.imageCaptured.connect(lambda _id, image: (captured.append(image), dialog.accept()))
    button = QPushButton("Capture", dialog)
    button.clicked.connect(capture.capture)
    layout = QVBoxLayout(dialog)
    layout.addWidget(viewfinder)
    layout.addWidget(button)
    camera.start()
    dialog.exec()
    camera.stop()
    return captured[0] if captured else None
