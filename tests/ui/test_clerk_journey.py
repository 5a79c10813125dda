"""A clerk's journey, through the real windows only (issue 19, "How the GUI is tested").

From an empty draft the clerk types the new-immunotherapy claim (Libtayo, J9999), attaches an
invoice PDF, the signed order and a label photo whose GS1 DataMatrix the app reads, marks the
claim ready, exports the packet and reads it as a medical reviewer would: every statement in
it must hold for what was attached. Then the invoice is removed: the claim is no longer ready
and the packet is a DRAFT.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from j3490_desk.domain import claim as domain
from j3490_desk.domain.gs1 import gtin_from_ndc10
from j3490_desk.services import claims, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import AttachmentKind
from j3490_desk.ui.attachments_panel import AttachmentsPanel
from j3490_desk.ui.label_confirm_dialog import LabelConfirmDialog
from j3490_desk.ui.packet_dialog import PacketDialog
from j3490_desk.ui.wizard.fields import get_path
from j3490_desk.ui.wizard.window import ClaimWizard
from tests.attachments.files import barcode_image
from tests.domain import scenarios
from tests.ui.test_wizard import (  # noqa: F401  (open_wizards is a fixture)
    click_next,
    enter,
    fill_page,
    load_reference_data,
    open_wizards,
    pick,
    save_records,
    start,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")
BUILD_TIMEOUT_MS = 60_000
NDC = "61755-0008-01"  # Libtayo 350 mg/7 mL, as the invoice and the directory print it
LABEL_LOT, LABEL_EXPIRY = "CEM8X01", date(2020, 6, 30)
INVOICE_NUMBER = "INV-190301-17"
ALL_FILES = frozenset({"invoice.pdf", "order.pdf", "label.jpg"})


# --- what the clerk has on paper, made by the test -------------------------------------------


def invoice_pdf(path: Path, line: domain.DrugLine) -> Path:
    """The supplier's invoice for the vial given: a text PDF, as distributors send them."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    invoice = line.invoice
    assert invoice.date is not None and invoice.price_paid is not None
    page = canvas.Canvas(str(path), pagesize=letter)
    for row, text in enumerate(
        [
            f"{invoice.supplier}  -  INVOICE {invoice.number}",
            f"Invoice date: {invoice.date:%m/%d/%Y}",
            f"Item: {invoice.drug}",
            f"NDC {invoice.ndc}",
            f"Qty {invoice.quantity}   Unit price ${invoice.price_paid:,.2f}",
            f"Invoice total: ${invoice.price_paid:,.2f}",
        ]
    ):
        page.drawString(72, 700 - row * 20, text)
    page.showPage()
    page.save()
    return path


def order_pdf(path: Path, line: domain.DrugLine) -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=letter)
    page.drawString(72, 700, f"Physician order: {line.brand_name} {line.dose.amount} mg IV once")
    page.drawString(72, 680, f"Signed: Dr {line.prescription.prescriber}")
    page.showPage()
    page.save()
    return path


def label_photo(path: Path) -> Path:
    """The carton photographed: printed text and the DSCSA GS1 DataMatrix (GTIN, expiry, lot,
    serial) for NDC 61755-008-01."""
    gtin = gtin_from_ndc10("6175500801")
    text = f"(01){gtin}(17){LABEL_EXPIRY:%y%m%d}(10){LABEL_LOT}(21)SN190312"
    photo = Image.new("RGB", (1200, 800), (236, 232, 224))
    draw = ImageDraw.Draw(photo)
    draw.rectangle((40, 40, 1160, 760), fill=(250, 250, 247), outline=(90, 90, 90))
    for row, printed in enumerate(
        ["LIBTAYO", "cemiplimab-rwlc", "NDC 61755-008-01", f"LOT {LABEL_LOT}", "EXP 2020-06"]
    ):
        draw.text((80, 90 + row * 40), printed, fill=(20, 20, 60))
    code = barcode_image(text, zxingcpp.BarcodeFormat.DataMatrix, gs1=True, scale=6)
    photo.paste(code, (1200 - code.width - 120, (800 - code.height) // 2))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=92)
    path.write_bytes(buffer.getvalue())
    return path


# --- the clerk's hands -----------------------------------------------------------------------


def attach(qtbot: QtBot, panel: AttachmentsPanel | None, path: Path, kind: AttachmentKind) -> None:
    """Choose the kind in the panel's list, then add the file (what Add files… and a drop do
    once the file is chosen; the native file dialog is not driven)."""
    assert panel is not None, "the attachments panel is part of the app"
    panel.kind.setFocus()
    qtbot.keyClick(panel.kind, Qt.Key.Key_Home)
    while panel.kind.currentData() != kind:
        qtbot.keyClick(panel.kind, Qt.Key.Key_Down)
    with qtbot.wait_signal(panel.attachments_changed, timeout=10_000):
        panel.add_files([path])


def click_item(qtbot: QtBot, panel: AttachmentsPanel, name: str) -> None:
    for row in range(panel.list.count()):
        item = panel.list.item(row)
        if panel._info(item).original_name == name:
            rect = panel.list.visualItemRect(item)
            qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert panel.list.currentItem() is item
            return
    raise AssertionError(f"{name} is not in the list")


def read_label_and_accept(
    qtbot: QtBot, panel: AttachmentsPanel, monkeypatch: pytest.MonkeyPatch
) -> LabelConfirmDialog:
    shown: list[LabelConfirmDialog] = []

    def click_use(dialog: LabelConfirmDialog) -> int:
        shown.append(dialog)
        return LabelConfirmDialog.DialogCode.Accepted  # "Use the photo's values"

    monkeypatch.setattr(LabelConfirmDialog, "exec", click_use)
    with qtbot.wait_signal(panel.label_confirmed, timeout=10_000):
        qtbot.mouseClick(panel.read_label_button, Qt.MouseButton.LeftButton)
    return shown[0]


@pytest.fixture
def packet_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[PacketDialog]]:
    """The Export button opens the packet dialog modally; here it is shown and kept, so the
    test can click in it as the clerk does."""
    opened: list[PacketDialog] = []

    def show(dialog: PacketDialog) -> int:
        opened.append(dialog)
        dialog.show()
        return 0

    monkeypatch.setattr(PacketDialog, "exec", show)
    yield opened
    for dialog in opened:
        dialog.close()


def export_packet(
    qtbot: QtBot,
    wizard: ClaimWizard,
    dialogs: list[PacketDialog],
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[PacketDialog, list[str]]:
    """Click Export, wait for the build, click Save…, and read the saved PDF's pages."""
    count = len(dialogs)
    qtbot.mouseClick(wizard.review_page.export, Qt.MouseButton.LeftButton)
    assert len(dialogs) == count + 1
    dialog = dialogs[-1]
    qtbot.waitUntil(lambda: dialog.packet is not None, timeout=BUILD_TIMEOUT_MS)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(path), ""))
    with qtbot.wait_signal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return dialog, [page.extract_text() or "" for page in PdfReader(path).pages]


def path_of(dialog: PacketDialog) -> Path:
    assert dialog.saved_result is not None
    return dialog.saved_result.path


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- the journey -----------------------------------------------------------------------------


def test_a_clerk_types_attaches_marks_ready_exports_and_the_packet_tells_the_truth(
    qtbot: QtBot,
    app_data: AppData,
    tmp_path: Path,
    open_wizards: list[ClaimWizard],  # noqa: F811
    packet_dialogs: list[PacketDialog],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = scenarios.new_immunotherapy()
    claim, line = scenario.claim, scenario.claim.drug_lines[0]
    # the clerk has the scans, so nothing is only "on file at the clinic"
    line = replace(
        line,
        invoice=replace(line.invoice, on_file=False),
        prescription=replace(line.prescription, on_file=False),
    )
    load_reference_data(app_data, tmp_path)
    save_records(app_data, scenario)  # the payer and provider the clinic typed in Settings

    # (1) a claim from nothing, typed field by field
    wizard = start(qtbot, app_data, scenario.today, open_wizards)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    header = wizard.header_page
    name = header.inputs["patient.name"]
    qtbot.mouseClick(name, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(name, claim.patient.name)
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), f"{claim.patient.date_of_birth:%Y%m%d}")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is header.inputs["patient.member_id"]
    qtbot.keyClicks(QApplication.focusWidget(), claim.patient.member_id)
    pick(qtbot, header.payer_picker, claim.payer.name)
    pick(qtbot, header.provider_picker, claim.provider.name)
    for spec in header.visit_specs:
        enter(qtbot, header.inputs[spec.path], spec.kind, get_path(claim, spec.path))
    click_next(qtbot, wizard)
    for item in drafts.LINE_ITEMS:
        assert wizard.step == drafts.line_step(0, item)
        page = wizard.drug_pages[item]
        if item != "7":  # the lot and expiry come from the label photo
            fill_page(qtbot, page, line)
        if item == "2":
            attach(qtbot, page.attachments, invoice_pdf(tmp_path / "invoice.pdf", line), INVOICE)
        if item == "5":
            attach(qtbot, page.attachments, order_pdf(tmp_path / "order.pdf", line), ORDER)
        if item == "7":
            assert page.attachments is not None
            attach(qtbot, page.attachments, label_photo(tmp_path / "label.jpg"), LABEL)
            click_item(qtbot, page.attachments, "label.jpg")
            confirm = read_label_and_accept(qtbot, page.attachments, monkeypatch)
            summary = confirm.summary.text()  # compared with the NDC typed on item 1
            assert "DataMatrix barcode agrees with the NDC typed" in summary
            assert "Nothing is typed for the lot and expiry" in summary
            assert page.inputs["lot.number"].text() == LABEL_LOT  # type: ignore[attr-defined]
            assert page.inputs["lot.expiration"].text() == LABEL_EXPIRY.isoformat()  # type: ignore[attr-defined]
        if item == "8":
            enter(qtbot, page.inputs["modifiers"], "modifiers", line.modifiers)
        if item != "9":
            click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    fill_page(qtbot, wizard.necessity_page, claim)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    assert wizard.step == drafts.REVIEW

    stored = claims.get_claim(app_data, wizard.claim_id)
    typed_line = stored.drug_lines[0]
    assert stored.patient.date_of_birth == claim.patient.date_of_birth
    assert (typed_line.lot.number, typed_line.lot.expiration) == (LABEL_LOT, LABEL_EXPIRY)
    assert "Blockers: none" in wizard.review_page.report.toPlainText()

    # (3) Ready, through the real Mark ready button
    qtbot.mouseClick(wizard.review_page.mark_ready, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.marking_ready is None, timeout=30_000)
    assert "Marked ready" in wizard.review_page.outcome.text()
    assert claims.get_claim(app_data, wizard.claim_id).status is domain.ClaimStatus.READY

    # (4) the packet, exported as the clerk does
    dialog, pages = export_packet(
        qtbot, wizard, packet_dialogs, tmp_path / "packet.pdf", monkeypatch
    )
    assert dialog.packet is not None and not dialog.packet.draft
    # (5) read as a reviewer reads it
    assert_packet_tells_the_truth(path_of(dialog), pages, enclosed=ALL_FILES)

    # the invoice is removed: not ready any more, and the packet says DRAFT
    wizard.go_to(drafts.line_step(0, "2"))
    panel = wizard.drug_pages["2"].attachments
    assert panel is not None
    click_item(qtbot, panel, "invoice.pdf")
    asked: list[str] = []

    def answer_yes(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    refused: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: refused.append(text))
    with qtbot.wait_signal(panel.attachments_changed, timeout=10_000, raising=False):
        qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)  # and "Yes"
    assert refused == [], "the clerk could not remove the invoice from the ready claim"
    assert "goes back to draft" in asked[0]  # said before it was done
    wizard.go_to(drafts.REVIEW)
    assert claims.get_claim(app_data, wizard.claim_id).status is domain.ClaimStatus.DRAFT
    assert "INVOICE_MISSING" in wizard.review_page.report.toPlainText()  # said, not hidden
    dialog, pages = export_packet(
        qtbot, wizard, packet_dialogs, tmp_path / "packet-draft.pdf", monkeypatch
    )
    assert dialog.packet is not None and dialog.packet.draft
    assert "DRAFT" in pages[0]
    assert_packet_tells_the_truth(path_of(dialog), pages, enclosed=ALL_FILES - {"invoice.pdf"})


INVOICE, ORDER, LABEL = (
    AttachmentKind.INVOICE,
    AttachmentKind.PRESCRIPTION,
    AttachmentKind.LABEL_PHOTO,
)
# What the packet may say of each document; each one said must be enclosed.
_SAID_ENCLOSED = {
    "invoice.pdf": (r"invoice (?:is )?(?:attached|enclosed)",),
    "order.pdf": (r"order (?:is )?(?:attached|enclosed):? (?:yes|✔)", r"order (?:is )?enclosed"),
    "label.jpg": (r"label photo (?:is )?(?:attached|enclosed)",),
}
_PROVEN_BY = re.compile(r"(?:Invoice|Label photo|Prescription / order) \(([^)]+)\): pages? (\d+)")


def page_is(pages: list[str], reader: PdfReader, number: int, file_name: str) -> bool:
    """Page `number` of the packet is the file the clerk attached under that name."""
    text = pages[number - 1]
    if file_name == "invoice.pdf":
        return INVOICE_NUMBER in text and "Invoice date: 03/01/2019" in text
    if file_name == "order.pdf":
        return "Physician order: Libtayo" in text
    if file_name == "label.jpg":
        return len(reader.pages[number - 1].images) == 1  # the photo, and nothing typed on it
    raise AssertionError(f"the packet names {file_name}, which the clerk never attached")


def assert_packet_tells_the_truth(
    path: Path, pages: list[str], *, enclosed: frozenset[str]
) -> None:
    """Every statement checked against what was attached: the drug, dose and dates typed; each
    document the packet says is attached, enclosed or proves an item is a page of this packet
    and is that very file; a document not attached is never said to be."""
    reader = PdfReader(path)
    text = flat("\n".join(pages))
    said = text.lower()
    for typed in (
        "61755-008-01",  # the NDC as on the carton
        "61755000801",  # and as billed
        "350 mg",  # the dose given
        "03/12/2019",  # date of service
        "05/02/1941",  # date of birth
        "03/01/2019",  # invoice date
        "03/05/2019",  # order date
        LABEL_LOT,
        "06/30/2020",  # the expiry the barcode gave
    ):
        assert typed in text, typed
    for file_name, patterns in _SAID_ENCLOSED.items():
        for pattern in patterns:
            found = re.search(pattern, said)
            assert found is None or file_name in enclosed, (
                f"the packet says {found and found[0]!r}, but {file_name} is not enclosed"
            )
    if "records enclosed in this packet" in said:
        assert enclosed, "the letter speaks of enclosed records, and none is enclosed"
    proven = [(match[1], int(match[2])) for match in _PROVEN_BY.finditer(text)]
    for file_name, number in proven:
        assert file_name in enclosed, f"'Proven by' names {file_name}, which is not enclosed"
        assert page_is(pages, reader, number, file_name), f"page {number} is not {file_name}"
    for file_name in enclosed:  # each enclosed file is a page, and the item it proves says so
        assert any(name == file_name for name, _ in proven), f"{file_name} proves nothing"
        assert any(page_is(pages, reader, n, file_name) for n in range(1, len(pages) + 1))
