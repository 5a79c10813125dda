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
