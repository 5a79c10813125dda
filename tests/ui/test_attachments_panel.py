"""The attachments panel and viewer, driven as a clerk would: picker, drop, paste, remove."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

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
from j3490_desk.storage.attachment_store import AttachmentStore
from j3490_desk.ui import attachments_panel as panel_module
from j3490_desk.ui.attachment_viewer import AttachmentViewer
from j3490_desk.ui.attachments_panel import LAST_FOLDER_KEY, AttachmentsPanel
from j3490_desk.ui.label_confirm_dialog import LabelConfirmDialog
from tests.attachments import files
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
    panel: AttachmentsPanel, tmp_path: Path, warnings: list[str]
) -> None:
    liar = files.invoice_pdf(tmp_path / "photo.jpg")
    panel.add_files([liar])
    assert list_attachments(panel.data, panel.claim_id) == []
    assert "named .jpg but its content is PDF" in warnings[0]


def test_remove_asks_first(
    panel: AttachmentsPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.add_files([files.invoice_pdf(tmp_path / "invoice.pdf")])
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
    panel.add_files([tif])
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
    panel.add_files([files.invoice_pdf(tmp_path / "invoice.pdf")])
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
    panel.add_files([files.save(files.label_photo(), tmp_path / "label.jpg")])
    panel.set_typed_values(ndc="55566-1050-01", lot="L2231B", expiry=None)
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
    panel.add_files([files.save(files.label_photo(), tmp_path / "label.jpg")])
    panel.kind.setCurrentIndex(panel.kind.findData(AttachmentKind.OTHER))
    panel.add_files([files.multipage_tiff(tmp_path / "scan.tif", pages=2)])
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
    panel.add_files([files.save(files.label_photo(), tmp_path / "label.jpg")])
    (info,) = panel.attachments()
    AttachmentStore(panel.data.paths.attachments).path_for(info.sha256).unlink()
    panel.list.setCurrentRow(0)
    panel.read_label_button.click()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert "'label.jpg' is missing from the attachment store" in warnings[0]
    assert panel.read_label_button.isEnabled()  # the clerk can try again after a restore
