"""The invoice step tells the truth: the file's state comes from the attachments, and the clerk's
only choice is "paper on file at the clinic, not sent" (issue 19: no tick box claims a file)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.services import checks, claims, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.wizard.window import ClaimWizard, open_wizard
from tests.attachments.files import invoice_pdf
from tests.domain import scenarios

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")


@pytest.fixture
def wizard_on_invoice(qtbot: QtBot, app_data: AppData) -> Iterator[ClaimWizard]:
    """Gamifant, priced from the invoice (Palmetto), imported saying "attached" with no file."""
    scenario = scenarios.rare_biologic()
    line = scenario.claim.drug_lines[0]
    line = dataclasses.replace(
        line, invoice=dataclasses.replace(line.invoice, attached=True, on_file=False)
    )
    claim = dataclasses.replace(scenario.claim, drug_lines=(line,), status=ClaimStatus.DRAFT)
    claim_id = claims.create_claim(app_data, claim)
    create_application()
    wizard = open_wizard(app_data, claim_id, today=scenario.today)
    wizard.go_to(drafts.line_step(0, "2"))
    qtbot.wait_until(lambda: wizard.drug_pages["2"].attachments is not None)
    yield wizard
    if shiboken6.isValid(wizard):
        wizard.close()


def _click_box(qtbot: QtBot, box: QCheckBox) -> None:
    """On the box itself, as a clerk's mouse does (its indicator is at the left)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _message(wizard: ClaimWizard) -> str:
    wizard.reassess()  # what the check timer does after a pause
    return wizard.drug_pages["2"].messages["invoice.on_file"].text()


def test_the_on_file_choice_is_a_warning_and_never_attached(
    qtbot: QtBot, app_data: AppData, wizard_on_invoice: ClaimWizard
) -> None:
    wizard, page = wizard_on_invoice, wizard_on_invoice.drug_pages["2"]
    assert "invoice.attached" not in page.inputs  # the tick box that claimed a file is gone
    box = page.inputs["invoice.on_file"]
    assert isinstance(box, QCheckBox)
    assert box.text().replace("&", "") == "Paper invoice on file at the clinic, not sent"
    assert page.evidence_state.text().startswith("No invoice file is attached.")
    assert "no invoice file is stored" in _message(wizard)

    _click_box(qtbot, box)
    assert box.isChecked()
    assert "on file at the clinic and is not sent" in _message(wizard)
    assert page.evidence_state.text().startswith("No invoice file is attached.")
    wizard.save_now()
    stored = claims.get_claim(app_data, wizard.claim_id)
    assert stored.drug_lines[0].invoice.on_file and stored.drug_lines[0].invoice.attached
    findings = checks.claim_findings(app_data, wizard.claim_id, today=wizard.today)
    (not_sent,) = [f for f in findings if f.code == "INVOICE_NOT_SENT"]
    assert not_sent.severity == "warning"
    assert not [f for f in findings if f.code == "INVOICE_MISSING"]


def test_attaching_the_file_is_what_completes_the_item(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, wizard_on_invoice: ClaimWizard
) -> None:
    wizard, page = wizard_on_invoice, wizard_on_invoice.drug_pages["2"]
    panel = page.attachments
    assert panel is not None
    invoice = invoice_pdf(tmp_path / "invoice.pdf", ndc="72171-0505-01")
    with (
        qtbot.wait_signal(wizard.check_timer.timeout, timeout=10_000),
        qtbot.wait_signal(panel.attachments_changed, timeout=10_000),
    ):
        panel.add_files([invoice])
    assert page.evidence_state.text() == "Invoice file attached: invoice.pdf."
    assert page.messages["invoice.on_file"].text() == ""  # the check ran again by itself
    assert not page.inputs["invoice.on_file"].isChecked()  # type: ignore[attr-defined]


def test_removing_any_file_from_a_ready_claim_is_not_undone_by_the_next_save(
    qtbot: QtBot,
    app_data: AppData,
    tmp_path: Path,
    wizard_on_invoice: ClaimWizard,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The invoice step lists every file of the line: removing the label photo there (a file
    of another step) sends the ready claim back to draft, and typing on afterwards must not
    write the old "ready" back over it."""
    from PySide6.QtWidgets import QMessageBox

    from j3490_desk.services import attachments, claim_status
    from j3490_desk.services.attachments import AttachmentKind
    from tests.attachments.files import label_photo, save

    wizard, page = wizard_on_invoice, wizard_on_invoice.drug_pages["2"]
    line_id = wizard.claim.drug_lines[0].id
    for kind, source in (
        (AttachmentKind.INVOICE, invoice_pdf(tmp_path / "invoice.pdf", ndc="72171-0505-01")),
        (AttachmentKind.LABEL_PHOTO, save(label_photo(), tmp_path / "label.png")),
    ):
        attachments.add_attachment(
            app_data,
            claim_id=wizard.claim_id,
            drug_line_id=line_id,
            kind=kind,
            source=source,
            original_name=source.name,
        )
    claim_status.mark_ready(app_data, wizard.claim_id, today=wizard.today)
    wizard.claim = claims.get_claim(app_data, wizard.claim_id)  # as the review shows it
    wizard.go_to(drafts.line_step(0, "2"))  # the panel lists both files
    panel = page.attachments
    assert panel is not None
    row = next(i for i in range(panel.list.count()) if "label.png" in panel.list.item(i).text())
    rect = panel.list.visualItemRect(panel.list.item(row))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert claims.get_claim(app_data, wizard.claim_id).status is ClaimStatus.DRAFT
    assert wizard.claim.status is ClaimStatus.DRAFT  # what the review page says, at once

    supplier = page.inputs["invoice.supplier"]
    qtbot.mouseClick(supplier, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(supplier, " Inc")
    wizard.save_now()

    assert claims.get_claim(app_data, wizard.claim_id).status is ClaimStatus.DRAFT
    assert wizard.claim.status is ClaimStatus.DRAFT  # the review page shows the stored status
    wizard.go_to(drafts.REVIEW)
    review = wizard.review_page.report.toPlainText()
    assert review.startswith("Status: draft")
    assert "Drug 1 (Gamifant), Item 5:" in review  # items as the packet names them
    assert ", item " not in review  # not "item coding", "item timely_filing"


def test_the_invoice_offer_goes_with_the_invoice_file(
    qtbot: QtBot,
    app_data: AppData,
    tmp_path: Path,
    wizard_on_invoice: ClaimWizard,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the invoice file shows is said while the file is stored, with the price as money,
    and no longer once the clerk removed the file."""
    from PySide6.QtWidgets import QMessageBox

    page = wizard_on_invoice.drug_pages["2"]
    panel = page.attachments
    assert panel is not None
    invoice = invoice_pdf(tmp_path / "invoice.pdf", ndc="72171-0505-01", price="7,000.00")
    with qtbot.wait_signal(panel.attachments_changed, timeout=10_000):
        panel.add_files([invoice])
    assert page.invoice_offer.text().startswith(
        "The invoice file shows NDC 72171-0505-01, price $7,000.00."
    )
    assert page.use_invoice.isVisibleTo(page)

    rect = panel.list.visualItemRect(panel.list.item(0))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)

    assert page.evidence_state.text().startswith("No invoice file is attached.")
    assert not page.invoice_offer.isVisibleTo(page)
    assert not page.use_invoice.isVisibleTo(page)


def test_deleting_the_ndc_of_a_ready_claim_says_it_is_back_to_draft(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, wizard_on_invoice: ClaimWizard
) -> None:
    from j3490_desk.services import attachments, claim_status
    from j3490_desk.services.attachments import AttachmentKind

    wizard = wizard_on_invoice
    attachments.add_attachment(
        app_data,
        claim_id=wizard.claim_id,
        drug_line_id=wizard.claim.drug_lines[0].id,
        kind=AttachmentKind.INVOICE,
        source=invoice_pdf(tmp_path / "invoice.pdf", ndc="72171-0505-01"),
        original_name="invoice.pdf",
    )
    claim_status.mark_ready(app_data, wizard.claim_id, today=wizard.today)
    reopened = drafts.open_draft(app_data, wizard.claim_id)  # as the window has it once ready
    wizard.claim, wizard.version = reopened.claim, reopened.version
    wizard.go_to(drafts.line_step(0, "1"))
    ndc = wizard.drug_pages["1"].inputs["ndc"]
    qtbot.mouseClick(ndc, Qt.MouseButton.LeftButton)
    qtbot.keyClick(ndc, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(ndc, Qt.Key.Key_Delete)
    wizard.save_now()

    assert claims.get_claim(app_data, wizard.claim_id).status is ClaimStatus.DRAFT
    assert wizard.save_status.text() == "Saved; back to draft: this change brings a blocker"


def test_the_review_forgets_marked_ready_once_the_claim_is_back_to_draft(
    qtbot: QtBot,
    app_data: AppData,
    tmp_path: Path,
    wizard_on_invoice: ClaimWizard,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    wizard, page = wizard_on_invoice, wizard_on_invoice.drug_pages["2"]
    panel = page.attachments
    assert panel is not None
    with qtbot.wait_signal(panel.attachments_changed, timeout=10_000):
        panel.add_files([invoice_pdf(tmp_path / "invoice.pdf", ndc="72171-0505-01")])
    wizard.go_to(drafts.REVIEW)
    review = wizard.review_page
    qtbot.mouseClick(review.mark_ready, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: wizard.marking_ready is None, timeout=10_000)
    assert review.outcome.text() == "Marked ready to submit."

    wizard.go_to(drafts.line_step(0, "2"))
    panel = page.attachments
    assert panel is not None
    rect = panel.list.visualItemRect(panel.list.item(0))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    wizard.go_to(drafts.REVIEW)

    assert review.report.toPlainText().startswith("Status: draft")
    assert review.outcome.text() == ""  # not "Marked ready to submit." under a draft
