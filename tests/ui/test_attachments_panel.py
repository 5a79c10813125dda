"""The attachments panel and viewer, driven as a clerk would: picker, drop, paste, remove.

Adding runs off the GUI thread, so every test that adds waits for `attachments_changed`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from j3490_desk.services import attachments as attachments_service
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import (
    PDF,
    PNG,
    TIFF,
    AttachmentKind,
    attachment_bytes,
    list_attachments,
)
from j3490_desk.services.claims import create_claim
from j3490_desk.services.label_reading import LabelReading
from j3490_desk.ui import attachments_panel as panel_module
from j3490_desk.ui.attachment_viewer import AttachmentViewer
from j3490_desk.ui.attachments_panel import LAST_FOLDER_KEY, AttachmentsPanel
from j3490_desk.ui.label_confirm_dialog import LabelConfirmDialog
from tests.attachments import files
from tests.attachments import stored as stored_content
from tests.sample_claims import sample_claim
from tests.services.test_attachment_content import scramble_store


@pytest.fixture
def panel(qtbot: QtBot, app_data: AppData) -> AttachmentsPanel:
    claim_id = create_claim(app_data, sample_claim())
    widget = AttachmentsPanel(app_data, claim_id, default_kind=AttachmentKind.INVOICE)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    return shown


TIMEOUT_MS = 10_000


def add(qtbot: QtBot, panel: AttachmentsPanel, paths: list[Path]) -> None:
    """Add as the clerk does, and wait for the job to finish (the panel's one signal)."""
    with qtbot.waitSignal(panel.attachments_changed, timeout=TIMEOUT_MS):
        panel.add_files(paths)


class SlowAdd:
    """`add_attachment` that waits for `release` first and records the names it was given."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.names: list[str] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        assert self.release.wait(TIMEOUT_MS / 1000), "the test never released the add"
        self.names.append(kwargs["original_name"])
        return attachments_service.add_attachment(*args, **kwargs)


@pytest.fixture
def slow_add(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowAdd]:
    slow = SlowAdd()
    monkeypatch.setattr(panel_module, "add_attachment", slow)
    yield slow
    slow.release.set()  # a failed test must not leave a thread waiting
    panel_module.wait_for_adding()


def _wait_for_thumbnails(qtbot: QtBot, panel: AttachmentsPanel) -> None:
    def all_have_icons() -> None:
        assert all(not panel.list.item(i).icon().isNull() for i in range(panel.list.count()))

    qtbot.waitUntil(all_have_icons, timeout=10_000)


def test_add_by_file_picker_remembers_the_folder(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf")
    tif = files.multipage_tiff(tmp_path / "scan.tif")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args: ([str(pdf), str(tif)], ""))
    with qtbot.waitSignal(panel.attachments_changed):
        panel.add_button.click()
    added = list_attachments(panel.data, panel.claim_id)
    assert [(a.original_name, a.media_type, a.page_count, a.kind) for a in added] == [
        ("invoice.pdf", PDF, 1, AttachmentKind.INVOICE),
        ("scan.tif", TIFF, 3, AttachmentKind.INVOICE),
    ]
    assert QSettings().value(LAST_FOLDER_KEY) == str(tmp_path)
    assert panel.list.count() == 2
    _wait_for_thumbnails(qtbot, panel)


def test_drop_a_file_onto_the_panel(qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path) -> None:
    photo = files.save(files.label_photo(), tmp_path / "label.png")
    panel.kind.setCurrentIndex(panel.kind.findData(AttachmentKind.LABEL_PHOTO))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(panel.attachments_changed):
        panel.dropEvent(drop)  # as Qt delivers it at the end of a drag
    (info,) = list_attachments(panel.data, panel.claim_id)
    assert (info.original_name, info.media_type, info.kind) == (
        "label.png",
        PNG,
        AttachmentKind.LABEL_PHOTO,
    )
    _wait_for_thumbnails(qtbot, panel)


def test_paste_an_image_with_ctrl_v(qtbot: QtBot, panel: AttachmentsPanel) -> None:
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    QApplication.clipboard().setImage(image)
    panel.activateWindow()
    panel.setFocus()
    with qtbot.waitSignal(panel.attachments_changed):
        qtbot.keyClick(panel, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    (info,) = list_attachments(panel.data, panel.claim_id)
    assert info.media_type == PNG and info.original_name.startswith("pasted image")


def test_a_refused_file_says_why_and_adds_nothing(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, warnings: list[str]
) -> None:
    liar = files.invoice_pdf(tmp_path / "photo.jpg")
    add(qtbot, panel, [liar])
    assert list_attachments(panel.data, panel.claim_id) == []
    assert "named .jpg but its content is PDF" in warnings[0]


def test_remove_asks_first(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(qtbot, panel, [files.invoice_pdf(tmp_path / "invoice.pdf")])
    panel.list.setCurrentRow(0)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    panel.remove_button.click()
    assert panel.list.count() == 1  # "No" keeps it
    panel.remove_button.click()
    assert panel.list.count() == 0
    assert list_attachments(panel.data, panel.claim_id) == []


def test_viewer_pages_zooms_and_rotates_for_display_only(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path
) -> None:
    tif = files.multipage_tiff(tmp_path / "scan.tif", pages=3)
    original = tif.read_bytes()
    add(qtbot, panel, [tif])
    viewer = panel.open_viewer(panel.attachments()[0])
    qtbot.addWidget(viewer)
    assert viewer.page_label.text() == "Page 1 of 3"
    assert not viewer.previous_button.isEnabled()
    viewer.next_button.click()
    viewer.next_button.click()
    assert viewer.page_label.text() == "Page 3 of 3" and not viewer.next_button.isEnabled()
    assert (viewer.shown_pixmap().width(), viewer.shown_pixmap().height()) == (400, 520)
    viewer.rotate_button.click()
    assert (viewer.shown_pixmap().width(), viewer.shown_pixmap().height()) == (520, 400)
    viewer.set_zoom(2.0)
    assert viewer.shown_pixmap().width() == 1040
    stored = attachment_bytes(panel.data, panel.attachments()[0])
    assert stored == original  # rotation never touched the file


def test_double_click_opens_the_viewer(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(qtbot, panel, [files.invoice_pdf(tmp_path / "invoice.pdf")])
    opened: list[AttachmentViewer] = []
    original = AttachmentsPanel.open_viewer
    monkeypatch.setattr(
        AttachmentsPanel, "open_viewer", lambda self, info: opened.append(original(self, info))
    )
    item = panel.list.item(0)
    rect = panel.list.visualItemRect(item)
    viewport = panel.list.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened and opened[0].page_label.text() == "Page 1 of 1"
    qtbot.addWidget(opened[0])


def test_read_label_photo_confirms_and_emits(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.kind.setCurrentIndex(panel.kind.findData(AttachmentKind.LABEL_PHOTO))
    add(qtbot, panel, [files.save(files.label_photo(), tmp_path / "label.jpg")])
    panel.set_typed_values(lambda: ("55566-1050-01", "L2231B", None))
    panel.list.setCurrentRow(0)
    assert panel.read_label_button.isEnabled()
    shown: list[LabelConfirmDialog] = []

    def accept(dialog: LabelConfirmDialog) -> int:
        shown.append(dialog)
        return LabelConfirmDialog.DialogCode.Accepted

    monkeypatch.setattr(LabelConfirmDialog, "exec", accept)
    with qtbot.waitSignal(panel.label_confirmed, timeout=10_000) as confirmed:
        panel.read_label_button.click()
    reading: LabelReading = confirmed.args[0]
    assert (reading.lot, reading.serial, reading.gtin) == ("L2231A", "SN000123", files.GTIN)
    summary = shown[0].summary.text()
    assert "disagree on the lot" in summary and "ndc" not in summary.split("disagree")[1]


def test_take_label_photo_is_hidden_without_a_camera(panel: AttachmentsPanel) -> None:
    assert not panel_module.camera_available()  # no QtMultimedia or no camera on this machine
    assert panel.camera_button.isHidden()


def test_thumbnails_viewer_and_label_read_the_content_through_the_store(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With garbage on disk (as encryption will leave it), nothing opens the stored file."""
    panel.kind.setCurrentIndex(panel.kind.findData(AttachmentKind.LABEL_PHOTO))
    add(qtbot, panel, [files.save(files.label_photo(), tmp_path / "label.jpg")])
    panel.kind.setCurrentIndex(panel.kind.findData(AttachmentKind.OTHER))
    add(qtbot, panel, [files.multipage_tiff(tmp_path / "scan.tif", pages=2)])
    _wait_for_thumbnails(qtbot, panel)
    scramble_store(panel.data, monkeypatch)
    panel._thumbnails.clear()  # made again, from the scrambled store
    panel.refresh()
    _wait_for_thumbnails(qtbot, panel)
    _label, scan = panel.attachments()
    viewer = panel.open_viewer(scan)
    qtbot.addWidget(viewer)
    viewer.next_button.click()
    assert viewer.page_label.text() == "Page 2 of 2"
    assert (viewer.shown_pixmap().width(), viewer.shown_pixmap().height()) == (400, 520)
    accepted = LabelConfirmDialog.DialogCode.Accepted
    monkeypatch.setattr(LabelConfirmDialog, "exec", lambda _dialog: accepted)
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(panel.label_confirmed, timeout=10_000) as confirmed:
        panel.read_label_button.click()
    assert confirmed.args[0].lot == files.LOT


def test_label_photo_missing_from_the_store_is_explained(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, warnings: list[str]
) -> None:
    panel.kind.setCurrentIndex(panel.kind.findData(AttachmentKind.LABEL_PHOTO))
    add(qtbot, panel, [files.save(files.label_photo(), tmp_path / "label.jpg")])
    (info,) = panel.attachments()
    stored_content.remove(panel.data, info.sha256)
    panel.list.setCurrentRow(0)
    panel.read_label_button.click()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert "'label.jpg' is missing from the attachment store" in warnings[0]
    assert panel.read_label_button.isEnabled()  # the clerk can try again after a restore


# --- adding off the GUI thread ---------------------------------------------------------------


def _scans(tmp_path: Path, *names: str) -> list[Path]:
    return [files.multipage_tiff(tmp_path / f"{name}.tif", pages=1) for name in names]


def test_a_slow_add_keeps_the_window_responsive_and_queues_a_second_add(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, slow_add: SlowAdd
) -> None:
    first, second, third = _scans(tmp_path, "first", "second", "third")
    changed: list[None] = []
    panel.attachments_changed.connect(lambda: changed.append(None))
    panel.add_files([first, second])
    qtbot.waitUntil(lambda: panel.status.text() == "Adding 1 of 2…", timeout=TIMEOUT_MS)
    assert panel.status.isVisible() and panel.cursor().shape() == Qt.CursorShape.BusyCursor
    assert not panel.add_button.isEnabled() and not panel.remove_button.isEnabled()
    ticks: list[None] = []
    timer = QTimer(panel)
    timer.timeout.connect(lambda: ticks.append(None))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=TIMEOUT_MS)  # the event loop runs on
    timer.stop()

    panel.kind.setCurrentIndex(panel.kind.findData(AttachmentKind.OTHER))
    panel.add_files([third])  # while the first is still being added: queued, never at once
    assert panel.status.text() == "Adding 1 of 3…"
    assert changed == [] and list_attachments(panel.data, panel.claim_id) == []

    with qtbot.waitSignal(panel.attachments_changed, timeout=TIMEOUT_MS):
        slow_add.release.set()
    assert slow_add.names == ["first.tif", "second.tif", "third.tif"]
    added = list_attachments(panel.data, panel.claim_id)
    assert [(a.original_name, a.kind) for a in added] == [
        ("first.tif", AttachmentKind.INVOICE),
        ("second.tif", AttachmentKind.INVOICE),
        ("third.tif", AttachmentKind.OTHER),  # the kind chosen when it was queued
    ]
    assert [panel._info(panel.list.item(i)).original_name for i in range(3)] == slow_add.names
    qtbot.wait(50)
    assert len(changed) == 1  # once, at the end of the whole queue
    assert not panel.is_adding and not panel.status.isVisible()
    assert panel.add_button.isEnabled()
    assert panel.cursor().shape() == Qt.CursorShape.ArrowCursor


def test_files_that_come_as_the_job_ends_are_added_by_the_next_one(
    qtbot: QtBot,
    panel: AttachmentsPanel,
    tmp_path: Path,
    slow_add: SlowAdd,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:
    """The running job has taken its last file: what comes now waits for a job of its own,
    and the clerk still sees one outcome: one signal, the refusals of both together."""
    good, late = _scans(tmp_path, "good", "late")
    liar = files.invoice_pdf(tmp_path / "photo.jpg")
    changed: list[None] = []
    panel.attachments_changed.connect(lambda: changed.append(None))
    panel.add_files([good, liar])
    qtbot.waitUntil(lambda: panel.status.text() == "Adding 1 of 2…", timeout=TIMEOUT_MS)
    monkeypatch.setattr(panel_module._AddQueue, "offer", lambda _queue, _items: False)
    panel.add_files([late, liar])
    assert panel.status.text() == "Adding 1 of 4…"
    with qtbot.waitSignal(panel.attachments_changed, timeout=TIMEOUT_MS):
        slow_add.release.set()
    assert [a.original_name for a in list_attachments(panel.data, panel.claim_id)] == [
        "good.tif",
        "late.tif",
    ]
    qtbot.wait(50)
    assert len(changed) == 1 and len(warnings) == 1
    (text,) = warnings
    assert text.count("named .jpg but its content is PDF") == 2
    assert len(text.split("\n\n")) == 2


def test_a_pasted_image_waits_its_turn(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, slow_add: SlowAdd
) -> None:
    (scan,) = _scans(tmp_path, "scan")
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    panel.add_files([scan])
    qtbot.waitUntil(lambda: panel.is_adding and panel.status.text() == "Adding 1 of 1…")
    QApplication.clipboard().setImage(image)
    panel.paste_from_clipboard()
    with qtbot.waitSignal(panel.attachments_changed, timeout=TIMEOUT_MS):
        slow_add.release.set()
    first, pasted = list_attachments(panel.data, panel.claim_id)
    assert first.original_name == "scan.tif"
    assert pasted.media_type == PNG and pasted.original_name.startswith("pasted image")


def test_a_bug_while_adding_reaches_the_crash_handler_and_the_panel_recovers(
    qtbot: QtBot, panel: AttachmentsPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(panel_module, "add_attachment", broken)
    with qtbot.capture_exceptions() as exceptions:
        panel.add_files(_scans(tmp_path, "scan"))
        qtbot.waitUntil(lambda: not panel.is_adding, timeout=TIMEOUT_MS)
    assert [type(e[1]) for e in exceptions] == [ZeroDivisionError]
    assert panel.add_button.isEnabled() and not panel.status.isVisible()


@pytest.mark.parametrize("deleted", ["panel", "window"])
def test_deleting_the_panel_while_adding_is_safe_and_every_file_is_kept(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, slow_add: SlowAdd, deleted: str
) -> None:
    """As the wizard does: `deleteLater` on a page's panel, or closing (deleting) the window."""
    claim_id = create_claim(app_data, sample_claim())
    window = QWidget()
    panel = AttachmentsPanel(app_data, claim_id, parent=window)
    window.show()
    first, second, third = _scans(tmp_path, "first", "second", "third")
    panel.add_files([first, second])
    qtbot.waitUntil(lambda: panel.is_adding and panel.status.text() == "Adding 1 of 2…")
    panel.add_files([third])
    job = panel._job
    assert job is not None
    (panel if deleted == "panel" else window).deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(panel), timeout=TIMEOUT_MS)
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT_MS):
        slow_add.release.set()
    qtbot.wait(50)  # the job's own deferred deletion
    names = [a.original_name for a in list_attachments(app_data, claim_id)]
    assert names == ["first.tif", "second.tif", "third.tif"]
    assert not panel_module._adding_jobs
    if deleted == "panel":
        window.deleteLater()
