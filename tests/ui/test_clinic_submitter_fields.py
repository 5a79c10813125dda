"""Settings > Clinic: the 837P submitter fields, typed; a bad ZIP is refused by the same check
as `j3490-desk clinic set`, and a good one is saved where `clinic show` reads it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from j3490_desk.services import clinic
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.settings_dialog import ClinicPage


def _type(qtbot: QtBot, page: ClinicPage, name: str, text: str) -> None:
    line = page.inputs[name]
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)


def test_submitter_fields_are_checked_and_saved(qtbot: QtBot, app_data: AppData) -> None:
    create_application()
    page = ClinicPage(app_data)
    qtbot.add_widget(page)
    page.show()
    for name, text in (
        ("city", "Duluth"),
        ("state", "MN"),
        ("zip", "5580"),
        ("submitter_id", "LAKESIDE01"),
        ("receiver_id", "CLEARHOUSE"),
        ("usage", "T"),
    ):
        _type(qtbot, page, name, text)
    assert "4 digits" in page.messages["zip"].text()  # said as it is typed, under the field
    assert page.messages["state"].text() == ""
    assert page.save() is False
    assert "zip" in page.status.text() and "4 digits" in page.status.text()
    assert clinic.clinic_details(app_data)["city"] == ""  # nothing saved

    _type(qtbot, page, "zip", "55802-1234")
    assert page.messages["zip"].text() == ""
    qtbot.mouseClick(_save_button(page), Qt.MouseButton.LeftButton)
    details = clinic.clinic_details(app_data)
    assert (details["city"], details["zip"], details["submitter_id"]) == (
        "Duluth",
        "55802-1234",
        "LAKESIDE01",
    )


def _save_button(page: ClinicPage) -> QPushButton:
    [button] = [b for b in page.findChildren(QPushButton) if "Save clinic" in b.text()]
    return button
