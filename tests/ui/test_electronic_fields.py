"""The 837P fields on the claim header, typed as a clerk types them: the address, sex,
relationship, payer ID and frequency are stored, and the message beside a field goes away
once it is filled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from j3490_desk.domain import claim as domain
from j3490_desk.services import claims, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.wizard.window import ClaimWizard, open_wizard

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")
TODAY = date(2026, 4, 20)


@pytest.fixture
def wizard(qtbot: QtBot, app_data: AppData) -> Iterator[ClaimWizard]:
    create_application()
    opened = open_wizard(app_data, drafts.start_draft(app_data, today=TODAY), today=TODAY)
    yield opened
    if shiboken6.isValid(opened):
        opened.close()


def choose(qtbot: QtBot, combo: QComboBox, shown: str) -> None:
    """Home, then Down until the entry shows, as with the keyboard alone."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == shown:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(
        f"{shown!r} is not among {[combo.itemText(i) for i in range(combo.count())]}"
    )


def test_typed_837p_fields_are_stored_and_their_messages_clear(
    qtbot: QtBot, app_data: AppData, wizard: ClaimWizard
) -> None:
    header = wizard.header_page
    inputs = header.inputs
    qtbot.keyClicks(inputs["payer.name"], "Medicare Part B - WPS J5")
    qtbot.keyClick(inputs["payer.name"], Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "payer ID" in header.messages["payer.payer_id"].text())
    assert header.messages["payer.payer_id"].text().startswith("⚠")  # a warning, not a blocker

    for path, text in (
        ("patient_details.address", "418 Lake Ave"),
        ("patient_details.city", "Duluth"),
        ("patient_details.state", "MN"),
        ("patient_details.zip", "55802-1402"),
        ("patient_details.subscriber_name", ""),
        ("payer.payer_id", "05202"),
        ("original_claim_number", "2226010123456"),
    ):
        if text:
            qtbot.keyClicks(inputs[path], text)
    choose(qtbot, inputs["patient_details.sex"], "Male")  # type: ignore[arg-type]
    choose(qtbot, inputs["patient_details.relationship"], "Self")  # type: ignore[arg-type]
    choose(qtbot, inputs["frequency"], "7 replacement")  # type: ignore[arg-type]
    choose(qtbot, inputs["documents_sent"], "Fax (FX)")  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: header.messages["payer.payer_id"].text() == "")
    claim_id = wizard.claim_id
    wizard.close()  # closing saves

    stored = claims.get_claim(app_data, claim_id)
    assert stored.patient_details == domain.PatientDetails(
        "418 Lake Ave", "Duluth", "MN", "55802-1402", domain.Sex.MALE, domain.Relationship.SELF
    )
    assert stored.payer.payer_id == "05202"
    assert stored.frequency is domain.ClaimFrequency.REPLACEMENT
    assert stored.original_claim_number == "2226010123456"
    assert stored.documents_sent is domain.DocumentsSent.FAX
