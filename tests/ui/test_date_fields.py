"""Every date field takes a whole date typed digit by digit, with or without separators, or
pasted; an incomplete date is a message, never a default (issue 19: 1950-03-02 was stored as
2026-03-02, and a lot expiring 2028-01-31 as 2026-01-31, which raised a false "expired").
Also: a message that appears moves no field, and the label-photo dialog compares with what is
on screen when it opens."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from j3490_desk.services import claims, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import AttachmentKind
from j3490_desk.ui.date_field import DateField
from j3490_desk.ui.label_confirm_dialog import LabelConfirmDialog
from j3490_desk.ui.status_dialog import StatusDialog
from j3490_desk.ui.wizard.window import ClaimWizard
from tests.attachments import files
from tests.sample_claims import sample_claim
from tests.ui.test_wizard import message, open_wizards, start  # noqa: F401  (a fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")
TODAY = date(2026, 4, 20)


@pytest.fixture
def wizard(qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]) -> ClaimWizard:  # noqa: F811
    """A new draft whose patient has a name (a nameless patient is not stored)."""
    opened = start(qtbot, app_data, TODAY, open_wizards)
    opened.activateWindow()  # focus and Tab work in the active window only
    qtbot.waitUntil(lambda: QApplication.activeWindow() is opened)
    name = opened.header_page.inputs["patient.name"]
    qtbot.mouseClick(name, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(name, "Harold Lindqvist")
    return opened


def click_into(qtbot: QtBot, field: QLineEdit) -> None:
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # over what is there


def stored(wizard: ClaimWizard) -> object:
    wizard.save_now()
    return claims.get_claim(wizard.data, wizard.claim_id)


@pytest.mark.parametrize("typed", ["19500302", "1950-03-02", "03/02/1950", "1950/3/2"])
def test_date_of_birth_keeps_the_typed_year_and_tab_goes_on(
    qtbot: QtBot, wizard: ClaimWizard, typed: str
) -> None:
    header = wizard.header_page
    birth, member = header.inputs["patient.date_of_birth"], header.inputs["patient.member_id"]
    assert isinstance(birth, DateField) and isinstance(member, QLineEdit)
    qtbot.keyClick(header.inputs["patient.name"], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is birth
    qtbot.keyClicks(birth, typed)  # digit by digit
    qtbot.keyClick(birth, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is member  # Tab leaves only when the clerk presses it
    qtbot.keyClicks(member, "1EG4TE5MK73")  # the next keys land in the next field
    assert birth.text() == "1950-03-02"  # shown year first: how it was read
    claim = stored(wizard)
    assert claim.patient.date_of_birth == date(1950, 3, 2)  # type: ignore[attr-defined]
    assert claim.patient.member_id == "1EG4TE5MK73"  # type: ignore[attr-defined]


def test_a_pasted_date_is_read(qtbot: QtBot, wizard: ClaimWizard) -> None:
    birth = wizard.header_page.inputs["patient.date_of_birth"]
    assert isinstance(birth, DateField)
    QApplication.clipboard().setText(" 1950-03-02\n")
    click_into(qtbot, birth)
    qtbot.keyClick(birth, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert stored(wizard).patient.date_of_birth == date(1950, 3, 2)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("typed", "words"),
    [("1950-03", "not a whole date"), ("19500230", "There is no 1950-02-30"), ("3/2/50", "year")],
)
def test_an_incomplete_or_impossible_date_is_a_message_and_stores_nothing(
    qtbot: QtBot, wizard: ClaimWizard, typed: str, words: str
) -> None:
    birth = wizard.header_page.inputs["patient.date_of_birth"]
    assert isinstance(birth, DateField)
    click_into(qtbot, birth)
    qtbot.keyClicks(birth, typed)
    qtbot.keyClick(birth, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: words in message(wizard, "header", "patient.date_of_birth"))
    assert birth.text() == typed  # left as typed, for the clerk to finish
    assert stored(wizard).patient.date_of_birth is None  # type: ignore[attr-defined]


def test_an_emptied_date_of_service_is_a_message_not_a_default(
    qtbot: QtBot, wizard: ClaimWizard
) -> None:
    service = wizard.header_page.inputs["date_of_service"]
    assert isinstance(service, DateField)
    click_into(qtbot, service)
    qtbot.keyClick(service, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "is needed" in message(wizard, "header", "date_of_service"))
    assert stored(wizard).date_of_service == TODAY  # type: ignore[attr-defined]


def test_lot_expiry_2028_is_kept_and_not_expired(qtbot: QtBot, wizard: ClaimWizard) -> None:
    wizard.go_to(drafts.line_step(0, "7"))
    lot = wizard.drug_pages["7"]
    click_into(qtbot, lot.inputs["lot.number"])  # type: ignore[arg-type]
    qtbot.keyClicks(lot.inputs["lot.number"], "N7301B")
    qtbot.keyClick(lot.inputs["lot.number"], Qt.Key.Key_Tab)
    expiry = lot.inputs["lot.expiration"]
    assert QApplication.focusWidget() is expiry
    qtbot.keyClicks(expiry, "20280131")
    wizard.reassess()
    assert "expired" not in message(wizard, "7", "lot.expiration")
    assert stored(wizard).drug_lines[0].lot.expiration == date(2028, 1, 31)  # type: ignore[attr-defined]


def test_a_time_is_typed_with_its_date(qtbot: QtBot, wizard: ClaimWizard) -> None:
    wizard.go_to(drafts.line_step(0, "3"))
    given = wizard.drug_pages["3"].inputs["dose.administered_at"]
    assert isinstance(given, DateField)
    click_into(qtbot, given)
    qtbot.keyClicks(given, "2026-04-14")
    qtbot.keyClick(given, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "Add the time" in message(wizard, "3", "dose.administered_at"))
    click_into(qtbot, given)
    qtbot.keyClicks(given, "202604140930")
    qtbot.keyClick(given, Qt.Key.Key_Tab)
    assert given.text() == "2026-04-14 09:30"
    moment = stored(wizard).drug_lines[0].dose.administered_at  # type: ignore[attr-defined]
    assert moment.astimezone().replace(tzinfo=None) == datetime(2026, 4, 14, 9, 30)


def test_the_arrow_keys_still_move_a_day(qtbot: QtBot, wizard: ClaimWizard) -> None:
    service = wizard.header_page.inputs["date_of_service"]
    click_into(qtbot, service)
    qtbot.keyClicks(service, "20260228")
    qtbot.keyClick(service, Qt.Key.Key_Up)
    assert stored(wizard).date_of_service == date(2026, 3, 1)  # type: ignore[attr-defined]


def test_a_message_appearing_moves_no_field(qtbot: QtBot, wizard: ClaimWizard) -> None:
    header = wizard.header_page
    qtbot.waitExposed(wizard)
    watched = [
        header.inputs[path] for path in ("patient.member_id", "payer.name", "date_of_service")
    ]
    before = [(w.mapTo(wizard, w.rect().topLeft()), w.size()) for w in watched]
    birth = header.inputs["patient.date_of_birth"]
    click_into(qtbot, birth)
    qtbot.keyClicks(birth, "1950-0")
    qtbot.waitUntil(lambda: bool(message(wizard, "header", "patient.date_of_birth")))
    qtbot.wait(20)  # let the layout settle
    assert [(w.mapTo(wizard, w.rect().topLeft()), w.size()) for w in watched] == before


# --- the label-photo dialog compares with what is on screen ----------------------------------


def test_the_label_dialog_compares_with_the_values_typed_now(
    qtbot: QtBot,
    app_data: AppData,
    open_wizards: list[ClaimWizard],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claim_id = claims.create_claim(app_data, sample_claim())
    wizard = start(qtbot, app_data, TODAY, open_wizards, claim_id)
    wizard.go_to(drafts.line_step(0, "7"))
    page = wizard.drug_pages["7"]
    panel = page.attachments
    assert panel is not None
    panel.kind.setFocus()
    for _ in range(panel.kind.count()):  # the clerk arrows down to "label photo"
        if panel.kind.currentData() == AttachmentKind.LABEL_PHOTO:
            break
        qtbot.keyClick(panel.kind, Qt.Key.Key_Down)
    assert panel.kind.currentData() == AttachmentKind.LABEL_PHOTO
    with qtbot.wait_signal(panel.attachments_changed, timeout=10_000):
        panel.add_files([files.save(files.label_photo(), tmp_path / "label.jpg")])
    # typed after the step opened, not yet saved: the barcode says L2231A, 2027-06-30
    click_into(qtbot, page.inputs["lot.number"])  # type: ignore[arg-type]
    qtbot.keyClicks(page.inputs["lot.number"], "L2231A")
    qtbot.keyClick(page.inputs["lot.number"], Qt.Key.Key_Tab)
    qtbot.keyClick(page.inputs["lot.expiration"], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.inputs["lot.expiration"], "20280131")
    shown: list[LabelConfirmDialog] = []

    def keep(dialog: LabelConfirmDialog) -> int:
        shown.append(dialog)
        return LabelConfirmDialog.DialogCode.Rejected

    monkeypatch.setattr(LabelConfirmDialog, "exec", keep)
    item = panel.list.item(0)
    qtbot.mouseClick(
        panel.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.list.visualItemRect(item).center(),
    )
    qtbot.mouseClick(panel.read_label_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    table = shown[0].table
    typed = {
        table.item(row, 0).text(): table.item(row, 2).text() for row in range(table.rowCount())
    }
    assert typed["Lot"] == "L2231A" and typed["Expiry"] == "2028-01-31"
    summary = shown[0].summary.text()
    assert "disagree on the expiry" in summary and "agrees" not in summary


def test_the_label_dialog_never_says_agrees_about_nothing_typed(qtbot: QtBot) -> None:
    from j3490_desk.services.label_reading import LabelReading

    reading = LabelReading(
        gtin=files.GTIN,
        ndc10_digits=files.NDC10,
        ndc11="55566105001",
        candidates=("55566105001",),
        lot=files.LOT,
        expiry=date(2027, 6, 30),
        serial=files.SERIAL,
        barcode_format="DataMatrix",
    )
    dialog = LabelConfirmDialog(reading)
    qtbot.add_widget(dialog)
    assert "agrees" not in dialog.summary.text()
    assert "Nothing is typed for the NDC and lot and expiry" in dialog.summary.text()


# --- dialogs outside the wizard use the same field -------------------------------------------


def test_a_status_date_typed_half_way_is_refused_with_its_reason(
    qtbot: QtBot, app_data: AppData
) -> None:
    claim_id = claims.create_claim(app_data, sample_claim())
    dialog = StatusDialog(app_data, claim_id, "paid", today=TODAY)
    qtbot.add_widget(dialog)
    assert isinstance(dialog.day, DateField) and dialog.day.text() == "2026-04-20"
    click_into(qtbot, dialog.day)
    qtbot.keyClicks(dialog.day, "202605")
    assert not dialog.apply()
    assert "not a whole date" in dialog.message.text()
    qtbot.keyClicks(dialog.day, "02")
    assert dialog.day.day("Paid on") == date(2026, 5, 2)


def test_a_date_of_birth_typed_before_the_name_says_the_name_is_needed(
    qtbot: QtBot,
    app_data: AppData,
    open_wizards: list[ClaimWizard],  # noqa: F811
) -> None:
    """A nameless patient is not stored: the clerk is told, not left to lose the date."""
    wizard = start(qtbot, app_data, TODAY, open_wizards)
    birth = wizard.header_page.inputs["patient.date_of_birth"]
    qtbot.keyClicks(birth, "19500302")
    qtbot.waitUntil(lambda: "Type the patient's name" in message(wizard, "header", "patient.name"))
    qtbot.keyClicks(wizard.header_page.inputs["patient.name"], "Harold Lindqvist")
    qtbot.waitUntil(lambda: message(wizard, "header", "patient.name") == "")
    assert stored(wizard).patient.date_of_birth == date(1950, 3, 2)  # type: ignore[attr-defined]


@pytest.mark.qt_log_ignore(  # the offscreen plugin's limits, popups included
    "This plugin does not support raise", "propagateSizeHints", "grabbing the keyboard"
)
def test_the_calendar_button_picks_a_day_with_the_keyboard(
    qtbot: QtBot, wizard: ClaimWizard
) -> None:
    from PySide6.QtWidgets import QCalendarWidget, QToolButton

    service = wizard.header_page.inputs["date_of_service"]
    assert isinstance(service, DateField)
    button = service.findChild(QToolButton)
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    calendar = service.calendar
    assert isinstance(calendar, QCalendarWidget) and calendar.isVisible()
    view = calendar.focusProxy() or calendar
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the day after the one shown
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not calendar.isVisible()
    assert stored(wizard).date_of_service == date(2026, 4, 21)  # type: ignore[attr-defined]


def test_a_long_message_is_cut_in_its_space_and_whole_in_its_tooltip(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    from j3490_desk.ui.field_message import FieldMessage

    label = FieldMessage("NPI: message")
    qtbot.add_widget(label)
    label.resize(220, label.height())
    label.show()
    height = label.height()
    whole = " ".join(["The last digit should be 3; check for a typo."] * 6)
    label.show_message(whole)
    assert label.height() == height  # nothing below it moves
    assert label.text() == whole == label.toolTip() == label.accessibleDescription()
    shown = QLabel.text(label)
    assert shown.endswith("…") and whole.startswith(shown[:-1].rstrip())
    label.show_message("⚠ Short.")
    assert QLabel.text(label) == "⚠ Short."
