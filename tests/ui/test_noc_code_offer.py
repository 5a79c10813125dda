"""The HCPCS field offers C9399 only on a hospital outpatient or ASC claim (domain.md §16).

The clerk moves through the wizard with the mouse and picks the place of service by typing
its code into the combo, as on the keyboard.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from j3490_desk.services import claims, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.wizard.window import ClaimWizard, open_wizard
from tests.domain import scenarios

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")


@pytest.fixture
def wizard(qtbot: QtBot, app_data: AppData) -> Iterator[ClaimWizard]:
    scenario = scenarios.rare_biologic()  # a physician-office claim (place of service 11)
    claim_id = claims.create_claim(app_data, scenario.claim)
    create_application()
    window = open_wizard(app_data, claim_id, today=scenario.today)
    window.go_to(drafts.HEADER)
    yield window
    if shiboken6.isValid(window):
        window.close()


def _offered(window: ClaimWizard) -> list[str]:
    codes = window.drug_pages["1"].inputs["hcpcs_code"]
    assert isinstance(codes, QComboBox)
    return [codes.itemText(i) for i in range(codes.count())]


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_office_claim_is_not_offered_c9399_and_hospital_claim_is(
    qtbot: QtBot, wizard: ClaimWizard
) -> None:
    _click(qtbot, wizard.next_button)
    assert wizard.step == drafts.line_step(0, "1")
    assert "C9399" not in _offered(wizard)
    assert {"J3490", "J3590", "J9999", "J7999"} <= set(_offered(wizard))
    codes = wizard.drug_pages["1"].inputs["hcpcs_code"]
    assert isinstance(codes, QComboBox)
    assert codes.currentText() == "J3590"  # the line's own code is shown as entered

    _click(qtbot, wizard.back_button)
    assert wizard.step == drafts.HEADER
    place = wizard.header_page.inputs["place_of_service"]
    place.setFocus()
    qtbot.keyClicks(place, "22")  # "22 on campus outpatient hospital"
    assert wizard.claim.place_of_service.value == "22" or place.currentData() == "22"
    _click(qtbot, wizard.next_button)
    assert wizard.claim.place_of_service.value == "22"
    assert "C9399" in _offered(wizard)
    assert codes.currentText() == "J3590"


def test_a_c9399_already_typed_on_an_office_claim_stays_as_typed(
    qtbot: QtBot, wizard: ClaimWizard
) -> None:
    """Offering is not changing: the check says why C9399 does not fit, the field keeps it."""
    _click(qtbot, wizard.next_button)
    codes = wizard.drug_pages["1"].inputs["hcpcs_code"]
    assert isinstance(codes, QComboBox)
    codes.lineEdit().selectAll()
    qtbot.keyClicks(codes.lineEdit(), "C9399")
    _click(qtbot, wizard.next_button)
    _click(qtbot, wizard.back_button)
    assert wizard.step == drafts.line_step(0, "1")
    assert codes.currentText() == "C9399"
    assert "C9399" not in _offered(wizard)
    qtbot.waitUntil(lambda: "C9399" in wizard.drug_pages["1"].messages["hcpcs_code"].text())
