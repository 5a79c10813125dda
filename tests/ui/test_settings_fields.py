"""Settings driven as a clerk types: each identifier is checked where it is typed, and one that
fails is never saved (issue 19: a group NPI failing its check digit printed on every cover
sheet)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from j3490_desk.models import Payer, Provider
from j3490_desk.services import records
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.settings_dialog import SettingsDialog

GOOD = {
    "name": "Harbor Clinic",
    "address": "1200 Harbor Rd, Duluth MN 55802",
    "group_npi": "1234567893",
    "tax_id": "41-1234567",
}


@pytest.fixture
def dialog(qtbot: QtBot, app_data: AppData) -> SettingsDialog:
    create_application()
    shown = SettingsDialog(app_data)
    qtbot.add_widget(shown)
    shown.show()
    return shown


def type_over(qtbot: QtBot, line: QLineEdit, text: str) -> None:
    """Click into the field, select what is there, and type: what a clerk does."""
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, text)


def fill_clinic(qtbot: QtBot, dialog: SettingsDialog, values: dict[str, str]) -> None:
    """Tab from the clinic name through the fields, typing each."""
    clinic = dialog.clinic
    type_over(qtbot, clinic.inputs["name"], values["name"])
    for name, _label in clinic.FIELDS[1:]:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        assert dialog.focusWidget() is clinic.inputs[name], name  # Tab lands on the next field
        qtbot.keyClick(clinic.inputs[name], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(clinic.inputs[name], values.get(name, ""))


@pytest.mark.parametrize(
    ("field", "typed", "words"),
    [
        ("group_npi", "1234567894", "last digit should be 3"),
        ("group_npi", "123456789", "9 digits"),
        ("tax_id", "41-123456", "8 digits"),
        ("address", "1200 Harbor Rd, Duluth MN 5580", "ZIP code"),
        ("address", "1200 Harbor Rd, Duluth XZ 55802", "not a state"),
        ("address", "1200 Harbor Rd, Duluth", "state and ZIP"),
    ],
)
def test_a_wrong_identifier_is_flagged_as_typed_and_never_saved(
    qtbot: QtBot, app_data: AppData, dialog: SettingsDialog, field: str, typed: str, words: str
) -> None:
    fill_clinic(qtbot, dialog, GOOD | {field: typed})
    assert words in dialog.clinic.messages[field].text()  # said while typing, under the field
    qtbot.mouseClick(dialog.clinic.save_button, Qt.MouseButton.LeftButton)
    assert "Not saved" in dialog.clinic.status.text()
    assert getattr(records.get_settings(app_data), field) == ""  # nothing stored


def test_correct_identifiers_clear_the_messages_and_are_saved(
    qtbot: QtBot, app_data: AppData, dialog: SettingsDialog
) -> None:
    fill_clinic(qtbot, dialog, GOOD | {"group_npi": "1234567894"})
    assert dialog.clinic.messages["group_npi"].text()
    type_over(qtbot, dialog.clinic.inputs["group_npi"], "1234567893")
    assert all(message.text() == "" for message in dialog.clinic.messages.values())
    qtbot.mouseClick(dialog.clinic.inputs["tax_id"], Qt.MouseButton.LeftButton)
    for spin, typed in ((dialog.clinic.retention, "10"), (dialog.clinic.auto_lock, "15")):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        assert dialog.focusWidget() in (spin, spin.lineEdit())
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(dialog.focusWidget(), typed)
    qtbot.mouseClick(dialog.clinic.save_button, Qt.MouseButton.LeftButton)
    assert dialog.clinic.status.text() == "Saved."
    saved = records.get_settings(app_data)
    assert (saved.retention_years, saved.auto_lock_minutes) == (10, 15)
    assert (saved.group_npi, saved.tax_id, saved.address) == (
        "1234567893",
        "41-1234567",
        "1200 Harbor Rd, Duluth MN 55802",
    )


def test_a_message_does_not_move_the_fields_below_it(qtbot: QtBot, dialog: SettingsDialog) -> None:
    clinic = dialog.clinic
    below = clinic.inputs["tax_id"]
    before = below.mapTo(dialog, below.rect().topLeft()), below.size()
    type_over(qtbot, clinic.inputs["group_npi"], "1234567894")
    assert clinic.messages["group_npi"].text()
    qtbot.wait(10)
    assert (below.mapTo(dialog, below.rect().topLeft()), below.size()) == before


def test_a_provider_npi_failing_its_check_digit_is_not_saved(
    qtbot: QtBot, app_data: AppData, dialog: SettingsDialog
) -> None:
    qtbot.mouseClick(dialog.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=_tab(dialog, 2))
    editor = dialog.providers
    type_over(qtbot, editor.input("name"), "Ann Smith")
    qtbot.keyClick(editor.input("name"), Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.focusWidget(), "MD")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is editor.input("npi")
    qtbot.keyClicks(editor.input("npi"), "1234567894")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "last digit should be 3" in editor._messages["npi"].text()
    assert records.list_records(app_data, Provider) == []
    type_over(qtbot, editor.input("npi"), "1234567893")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert [p.npi for p in records.list_records(app_data, Provider)] == ["1234567893"]


def test_a_payer_address_with_a_short_zip_is_not_saved(
    qtbot: QtBot, app_data: AppData, dialog: SettingsDialog
) -> None:
    qtbot.mouseClick(dialog.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=_tab(dialog, 1))
    editor = dialog.payers
    type_over(qtbot, editor.input("name"), "Medicare Part B")
    type_over(qtbot, editor.input("address"), "PO Box 1, Omaha NE 6810")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "ZIP code" in editor._messages["address"].text()
    assert records.list_records(app_data, Payer) == []
    qtbot.keyClicks(editor.input("address"), "1")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert [p.address for p in records.list_records(app_data, Payer)] == [
        "PO Box 1, Omaha NE 68101"
    ]


def _tab(dialog: SettingsDialog, index: int) -> QPoint:
    return dialog.tabs.tabBar().tabRect(index).center()


def test_every_payer_field_is_typed_with_tab_between_them(
    qtbot: QtBot, app_data: AppData, dialog: SettingsDialog
) -> None:
    """Name, type, filing limit, pricing, markup, prior auth, narrative, decimals, address, fax:
    each reached with Tab and set from the keyboard, then saved with the mouse."""
    qtbot.mouseClick(dialog.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=_tab(dialog, 1))
    editor = dialog.payers
    type_over(qtbot, editor.input("name"), "Medicare Part B - WPS J5")
    keys: list[tuple[str, list[Qt.Key] | str]] = [
        ("kind", [Qt.Key.Key_Home]),  # Medicare, the first choice
        ("timely_filing_days", "365"),
        ("pricing_policy", [Qt.Key.Key_Home, Qt.Key.Key_Down, Qt.Key.Key_Down]),  # WAC
        ("markup_percent", "6.5"),
        ("prior_auth_required", [Qt.Key.Key_Space]),
        ("narrative_profile", "wps"),
        ("ndc_quantity_decimals", "2"),
        ("address", "PO Box 8248, Madison WI 53708-8248"),
        ("fax", "608-223-7539"),
    ]
    for name, typed in keys:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        widget = editor.input(name)
        assert dialog.focusWidget() in (widget, getattr(widget, "lineEdit", lambda: None)()), name
        if isinstance(typed, str):
            qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(dialog.focusWidget(), typed)
        else:
            for key in typed:
                qtbot.keyClick(dialog.focusWidget(), key)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    (payer,) = records.list_records(app_data, Payer)
    assert (payer.name, payer.kind, payer.timely_filing_days) == (
        "Medicare Part B - WPS J5",
        "medicare",
        365,
    )
    assert (payer.pricing_policy, str(payer.markup_percent), payer.prior_auth_required) == (
        "wac",
        "6.5",
        True,
    )
    assert (payer.narrative_profile, payer.ndc_quantity_decimals) == ("wps", 2)
    assert (payer.address, payer.fax) == ("PO Box 8248, Madison WI 53708-8248", "608-223-7539")
