"""The packet dialog: built off the GUI thread, previewed, saved, printed; cancel and failure."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from j3490_desk.export.errors import PacketCancelled
from j3490_desk.services import attachments, claims, packets
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import AttachmentKind
from j3490_desk.ui.packet_dialog import LAST_FOLDER_KEY, PacketDialog
from tests.attachments import stored
from tests.domain.scenarios import rare_biologic
from tests.export.documents import record_pdf

BUILD_TIMEOUT_MS = 60_000


@pytest.fixture
def claim_id(app_data: AppData, tmp_path: Path) -> int:
    claim_id = claims.create_claim(app_data, rare_biologic().claim)
    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=None,
        kind=AttachmentKind.MEDICAL_RECORD,
        source=record_pdf(tmp_path / "record.pdf", "Infusion record"),
        original_name="record.pdf",
    )
    return claim_id


def test_builds_in_the_background_and_previews_every_page(
    qtbot: QtBot, app_data: AppData, claim_id: int
) -> None:
    dialog = PacketDialog(app_data, claim_id)
    qtbot.add_widget(dialog)
    assert dialog.is_building and dialog.progress_dialog is not None
    with qtbot.wait_signal(dialog.built, timeout=BUILD_TIMEOUT_MS):
        pass
    assert dialog.packet is not None and not dialog.is_building
    assert dialog.preview_page_count() == dialog.packet.page_count
    assert dialog.packet.control_number in dialog.status.text()
    assert dialog.save_button.isEnabled() and not dialog.open_folder_button.isEnabled()


def test_save_records_the_export_and_remembers_the_folder(
    qtbot: QtBot,
    app_data: AppData,
    claim_id: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = PacketDialog(app_data, claim_id)
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.built, timeout=BUILD_TIMEOUT_MS):
        pass
    out = tmp_path / "out" / "packet.pdf"
    out.parent.mkdir()
    monkeypatch.setattr(dialog, "choose_path", lambda: out)
    qtbot.keyClicks(dialog.password, "payer-pw-2026")
    with qtbot.wait_signal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert PdfReader(out).is_encrypted
    assert QSettings().value(LAST_FOLDER_KEY) == str(out.parent)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog.open_folder_button.click()
    assert opened == [QUrl.fromLocalFile(str(out.parent))]


def test_print_goes_through_the_print_dialog(
    qtbot: QtBot,
    app_data: AppData,
    claim_id: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = PacketDialog(app_data, claim_id)
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.built, timeout=BUILD_TIMEOUT_MS):
        pass
    printed = tmp_path / "printed.pdf"

    def accept(self: QPrintDialog) -> int:
        # exec() would block (or crash without printers): choose "print to file" instead.
        printer: QPrinter = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(72)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    assert dialog.print_packet()
    assert dialog.packet is not None
    assert len(PdfReader(printed).pages) == dialog.packet.page_count
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert not dialog.print_packet()
    from j3490_desk.services.claim_history import claim_history

    printed_entries = [e for e in claim_history(app_data, claim_id) if e.what == "Packet printed"]
    assert len(printed_entries) == 1  # the cancelled print is not logged
    assert ("control number", "(empty)", dialog.packet.control_number) in {
        (c.field, c.old, c.new) for c in printed_entries[0].changes
    }


def test_cancel_stops_the_build_and_writes_nothing(
    qtbot: QtBot, app_data: AppData, claim_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def wait_for_cancel(*_args: Any, cancelled: Any, **_kwargs: Any) -> None:
        deadline = time.monotonic() + BUILD_TIMEOUT_MS / 1000  # on the worker thread: no qtbot
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise PacketCancelled()

    monkeypatch.setattr(packets, "build_packet", wait_for_cancel)
    dialog = PacketDialog(app_data, claim_id)
    qtbot.add_widget(dialog)
    assert dialog.progress_dialog is not None
    cancel_button = dialog.progress_dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "Cancel"
    started = time.monotonic()
    cancel_button.click()  # as the user does: QProgressDialog.cancel() alone emits nothing
    qtbot.wait_until(lambda: not dialog.is_building, timeout=BUILD_TIMEOUT_MS)
    assert time.monotonic() - started < BUILD_TIMEOUT_MS / 1000 / 2  # seen, not timed out
    assert "Cancelled" in dialog.status.text() and dialog.packet is None
    assert not dialog.save_button.isEnabled()


def test_missing_attachment_is_explained(qtbot: QtBot, app_data: AppData, claim_id: int) -> None:
    (info,) = attachments.list_attachments(app_data, claim_id)
    stored.remove(app_data, info.sha256)
    dialog = PacketDialog(app_data, claim_id)
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.failed, timeout=BUILD_TIMEOUT_MS):
        pass
    assert "missing" in dialog.last_message and dialog.packet is None
