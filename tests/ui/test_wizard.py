"""The claim wizard, driven as a clerk would: typing, picking, clicking Next, attaching files.

Each of the four scenarios is entered from an empty draft through the real window; the
stored claim must equal the scenario, and the review must show what the rules say.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from j3490_desk.domain import claim as domain
from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.domain.deadlines import filing_deadline
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.pricing import PricingError
from j3490_desk.models import Payer, Provider
from j3490_desk.services import claims, drafts, records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.drafts.review_summary import Review
from j3490_desk.ui.app import create_application
from j3490_desk.ui.date_field import DateField
from j3490_desk.ui.wizard import window as wizard_window
from j3490_desk.ui.wizard.fields import FieldPage, get_path
from j3490_desk.ui.wizard.review_page import review_html
from j3490_desk.ui.wizard.window import ClaimWizard, open_wizard
from tests.domain import scenarios
from tests.domain.scenarios import Scenario
from tests.reference.conftest import write_ndctext_zip
from tests.sample_claims import sample_claim

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")

# --- driving the window ----------------------------------------------------------------------


@pytest.fixture
def open_wizards(qtbot: QtBot) -> Iterator[list[ClaimWizard]]:
    opened: list[ClaimWizard] = []
    yield opened
    for wizard in opened:
        if shiboken6.isValid(wizard):
            wizard.close()


def start(
    qtbot: QtBot, data: AppData, today: date, opened: list[ClaimWizard], claim_id: int | None = None
) -> ClaimWizard:
    create_application()
    if claim_id is None:
        claim_id = drafts.start_draft(data, today=today)
    wizard = open_wizard(data, claim_id, today=today)
    opened.append(wizard)  # closed by the fixture: the window deletes itself on close
    return wizard


def save_records(data: AppData, scenario: Scenario) -> None:
    """What the clinic typed once in Settings: the payer and the provider."""
    payer = scenario.claim.payer
    values = {f.name: _plain(getattr(payer, f.name)) for f in dataclasses.fields(payer)}
    records.save_record(data, Payer(**values))
    provider = scenario.claim.provider
    records.save_record(
        data, Provider(name=provider.name, credentials=provider.credentials, npi=provider.npi)
    )


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def pick(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Choose an entry by its shown text as a keyboard clerk does: Home, then Down to it."""
    index = combo.findText(text, Qt.MatchFlag.MatchStartsWith)
    assert index >= 0, (text, [combo.itemText(i) for i in range(combo.count())])
    key_to_index(qtbot, combo, index)


def key_to_index(qtbot: QtBot, combo: QComboBox, index: int) -> None:
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(index):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == index


def type_date(qtbot: QtBot, field: DateField, value: date | datetime | None) -> None:
    """A whole date typed digit by digit over what the field held (select all, then type)."""
    field.setFocus()
    field.selectAll()
    if value is None:
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    elif isinstance(value, datetime):  # the clinic types its own wall-clock time
        qtbot.keyClicks(field, f"{value.astimezone():%Y%m%d%H%M}")
    else:
        qtbot.keyClicks(field, f"{value:%Y%m%d}")


def enter(qtbot: QtBot, widget: QWidget, spec_kind: str, value: Any) -> None:
    """Put a scenario value into a field the way a clerk would enter it."""
    if isinstance(widget, QCheckBox):
        if widget.isChecked() != bool(value):
            qtbot.keyClick(widget, Qt.Key.Key_Space)
    elif isinstance(widget, QComboBox) and not widget.isEditable():
        key_to_index(qtbot, widget, widget.findData(_plain(value)))
    elif isinstance(widget, QComboBox):
        widget.lineEdit().selectAll()
        qtbot.keyClicks(widget.lineEdit(), str(value))
    elif isinstance(widget, DateField):
        type_date(qtbot, widget, value)
    elif isinstance(widget, QPlainTextEdit):
        widget.clear()
        qtbot.keyClicks(widget, value)
    elif isinstance(widget, QLineEdit):
        widget.clear()
        if spec_kind in ("codes", "modifiers"):
            text = " ".join(value)
        else:
            text = "" if value is None else str(value)
        if text:
            qtbot.keyClicks(widget, text)
    else:
        raise AssertionError(f"no way to enter {widget!r}")


def fill_page(qtbot: QtBot, page: FieldPage, source: Any) -> None:
    for spec in page.specs:
        enter(qtbot, page.inputs[spec.path], spec.kind, get_path(source, spec.path))


def click_next(qtbot: QtBot, wizard: ClaimWizard) -> None:
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)


def attach(qtbot: QtBot, page: Any, path: Path) -> None:
    panel = page.attachments
    if panel is None:
        pytest.skip("the attachments panel is not installed")
    with qtbot.wait_signal(panel.attachments_changed, timeout=10_000):
        panel.add_files([path])  # added off the GUI thread: the signal says it is done


def scan(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF if "invoice" in name else 0xEEEEEE)
    assert image.save(str(path))
    return path


def enter_scenario(qtbot: QtBot, wizard: ClaimWizard, scenario: Scenario, tmp_path: Path) -> None:
    claim = scenario.claim
    header = wizard.header_page
    assert wizard.step == drafts.HEADER
    enter(qtbot, header.inputs["patient.name"], "text", claim.patient.name)
    enter(qtbot, header.inputs["patient.date_of_birth"], "date", claim.patient.date_of_birth)
    enter(qtbot, header.inputs["patient.member_id"], "text", claim.patient.member_id)
    pick(qtbot, header.payer_picker, claim.payer.name)
    pick(qtbot, header.provider_picker, claim.provider.name)
    for spec in header.visit_specs:
        enter(qtbot, header.inputs[spec.path], spec.kind, get_path(claim, spec.path))
    for index, line in enumerate(claim.drug_lines):
        # the first drug's steps follow the header; each further drug is added by its button
        button = wizard.add_drug_button if index else wizard.next_button
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        for item in drafts.LINE_ITEMS:
            assert wizard.step == drafts.line_step(index, item)
            page = wizard.drug_pages[item]
            fill_page(qtbot, page, line)
            if item == "2":  # the scans are the evidence ("on file" is typed like any field)
                attach(qtbot, page, scan(tmp_path, f"invoice-{index}"))
            if item == "5":
                attach(qtbot, page, scan(tmp_path, f"order-{index}"))
            if item == "7":
                attach(qtbot, page, scan(tmp_path, f"label-{index}"))
            if item == "8":  # the app chose JW/JZ from the waste; the scenario's choice stands
                enter(qtbot, page.inputs["modifiers"], "modifiers", line.modifiers)
            if item != "9":
                click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    assert wizard.step == drafts.NECESSITY
    fill_page(qtbot, wizard.necessity_page, claim)
    click_next(qtbot, wizard)
    assert wizard.step == drafts.PROVIDER
    click_next(qtbot, wizard)
    assert wizard.step == drafts.REVIEW


def load_reference_data(data: AppData, tmp_path: Path) -> None:
    """The FDA directory and CMS files the scenarios were built from, imported as a clinic
    would (Settings > Reference data)."""
    directory = write_ndctext_zip(
        tmp_path / "ndctext.zip",
        (scenarios.FIXTURES / "fda_ndc_2019_product_slice.txt").read_bytes(),
        (scenarios.FIXTURES / "fda_ndc_2019_package_slice.txt").read_bytes(),
    )
    cms = ("asp_ndc_hcpcs_crosswalk_jan2026_slice.csv", "hcpcs_2025_oct_slice.csv")
    outcomes = data.reference.import_files([directory, *(scenarios.FIXTURES / n for n in cms)])
    assert all(outcome.error is None for outcome in outcomes), outcomes


def expected_claim(scenario: Scenario, stored: domain.Claim) -> domain.Claim:
    """The scenario as the wizard stores it: its ids, a draft (nobody marked it ready)."""
    lines = tuple(
        replace(line, id=kept.id)
        for line, kept in zip(scenario.claim.drug_lines, stored.drug_lines, strict=True)
    )
    return replace(scenario.claim, id=stored.id, drug_lines=lines, status=domain.ClaimStatus.DRAFT)


def differences(stored: Any, expected: Any, path: str = "claim") -> list[str]:
    """Where two claims differ, as attribute paths: a readable failure for a long claim."""
    if dataclasses.is_dataclass(stored) and dataclasses.is_dataclass(expected):
        return [
            diff
            for f in dataclasses.fields(stored)
            for diff in differences(
                getattr(stored, f.name), getattr(expected, f.name), f"{path}.{f.name}"
            )
        ]
    if isinstance(stored, tuple) and isinstance(expected, tuple) and len(stored) == len(expected):
        return [
            diff
            for i, (a, b) in enumerate(zip(stored, expected, strict=True))
            for diff in differences(a, b, f"{path}[{i}]")
        ]
    return [] if stored == expected else [f"{path}: stored {stored!r}, expected {expected!r}"]


def assert_stored_as_scenario(data: AppData, wizard: ClaimWizard, scenario: Scenario) -> None:
    stored = claims.get_claim(data, wizard.claim_id)
    assert differences(stored, expected_claim(scenario, stored)) == []


def review_text(wizard: ClaimWizard) -> str:
    return wizard.review_page.report.toPlainText()


# --- the four scenarios ----------------------------------------------------------------------


def test_new_immunotherapy(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, open_wizards: list[ClaimWizard]
) -> None:
    scenario = scenarios.new_immunotherapy()
    save_records(app_data, scenario)
    wizard = start(qtbot, app_data, scenario.today, open_wizards)
    enter_scenario(qtbot, wizard, scenario, tmp_path)
    assert_stored_as_scenario(app_data, wizard, scenario)
    text = review_text(wizard)
    assert "Blockers: none" in text
    assert "J9999" in text and "Filing deadline" in text and "2020-03-12" in text
    assert wizard.review_page.mark_ready.isEnabled()
    qtbot.mouseClick(wizard.review_page.mark_ready, Qt.MouseButton.LeftButton)
    # the check and the status move run off the GUI thread: busy, and no second click
    assert not wizard.review_page.mark_ready.isEnabled() and not wizard.steps.isEnabled()
    qtbot.waitUntil(lambda: wizard.marking_ready is None)
    assert claims.get_claim(app_data, wizard.claim_id).status is domain.ClaimStatus.READY
    assert "Marked ready" in wizard.review_page.outcome.text()
    assert wizard.steps.isEnabled()


def test_compound_of_three_drugs(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, open_wizards: list[ClaimWizard]
) -> None:
    scenario = scenarios.compound_trimix()
    save_records(app_data, scenario)
    wizard = start(qtbot, app_data, scenario.today, open_wizards)
    enter_scenario(qtbot, wizard, scenario, tmp_path)
    assert len(claims.get_claim(app_data, wizard.claim_id).drug_lines) == 3
    assert_stored_as_scenario(app_data, wizard, scenario)
    wizard.go_to(drafts.line_step(2, "1"))
    wizard.reassess()
    assert wizard.drug_pages["1"].suggestion.text().startswith("Suggested code: J7999")
    text = review_text(wizard)
    assert text.count("J7999 JW") == 3  # each ingredient's discarded rest on its own JW line
    assert "Drug 3 (Alprostadil)" in text


def test_off_label_rituximab_billed_j3490_names_j9312(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, open_wizards: list[ClaimWizard]
) -> None:
    scenario = scenarios.off_label_rituximab()
    load_reference_data(app_data, tmp_path)
    save_records(app_data, scenario)
    wizard = start(qtbot, app_data, scenario.today, open_wizards)
    enter_scenario(qtbot, wizard, scenario, tmp_path)
    assert_stored_as_scenario(app_data, wizard, scenario)
    text = review_text(wizard)
    assert "SPECIFIC_HCPCS_EXISTS" in text and "J9312" in text
    assert not wizard.review_page.mark_ready.isEnabled()  # a blocker: not ready
    wizard.mark_ready()  # as if it were clicked: refused with the blockers, off the GUI thread
    qtbot.waitUntil(lambda: wizard.marking_ready is None)
    assert "Not marked ready" in wizard.review_page.outcome.text()
    assert not wizard.review_page.mark_ready.isEnabled() and wizard.checklist.isEnabled()
    entries = [wizard.checklist.item(i).text() for i in range(wizard.checklist.count())]
    item1 = next(e for e in entries if e.startswith("1. "))
    assert "✖ blocker" in item1 and "J9312" in item1  # the row says which blocker
    # clicking the checklist entry jumps to the step that fixes it
    row = wizard.checklist.item(entries.index(item1))
    rect = wizard.checklist.visualItemRect(row)
    qtbot.mouseClick(wizard.checklist.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wizard.step == drafts.line_step(0, "1")
    assert "J9312" in wizard.drug_pages["1"].messages["hcpcs_code"].text()


def test_rare_biologic_infusion(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, open_wizards: list[ClaimWizard]
) -> None:
    scenario = scenarios.rare_biologic()
    save_records(app_data, scenario)
    wizard = start(qtbot, app_data, scenario.today, open_wizards)
    enter_scenario(qtbot, wizard, scenario, tmp_path)
    assert_stored_as_scenario(app_data, wizard, scenario)
    text = review_text(wizard)
    assert "J3590 JW" in text  # the 5 mg discarded, billed on its own line
    assert "Blockers: none" in text


def test_waste_chooses_jw(qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]) -> None:
    scenario = scenarios.rare_biologic()
    claim_id = claims.create_claim(
        app_data,
        replace(
            scenario.claim,
            drug_lines=(replace(scenario.claim.drug_lines[0], modifiers=(), waste=domain.Waste()),),
        ),
    )
    wizard = start(qtbot, app_data, scenario.today, open_wizards, claim_id)
    wizard.go_to(drafts.line_step(0, "8"))
    qtbot.keyClicks(wizard.drug_pages["8"].inputs["waste.amount"], "5")
    assert wizard.drug_pages["8"].inputs["modifiers"].text() == "JW"
    assert wizard.claim.drug_lines[0].modifiers == ("JW",)


# --- drafts: autosave, close, resume, one window ---------------------------------------------


def test_autosave_within_the_timer(
    qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]
) -> None:
    wizard = start(qtbot, app_data, date(2026, 4, 20), open_wizards)
    qtbot.keyClicks(wizard.header_page.inputs["patient.name"], "Solano, Beatriz")
    assert claims.get_claim(app_data, wizard.claim_id).patient.name == ""  # not yet: typing
    qtbot.waitUntil(
        lambda: claims.get_claim(app_data, wizard.claim_id).patient.name == "Solano, Beatriz",
        timeout=4000,
    )
    assert "saved" in wizard.save_status.text()


def test_closing_saves_and_reopening_resumes_at_the_step(
    qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]
) -> None:
    wizard = start(qtbot, app_data, date(2026, 4, 20), open_wizards)
    claim_id = wizard.claim_id
    wizard.go_to(drafts.line_step(0, "7"))
    qtbot.keyClicks(wizard.drug_pages["7"].inputs["lot.number"], "N7301B")
    wizard.close()
    assert claims.get_claim(app_data, claim_id).drug_lines[0].lot.number == "N7301B"
    again = start(qtbot, app_data, date(2026, 4, 20), open_wizards, claim_id)
    assert again is not wizard
    assert again.step == drafts.line_step(0, "7")
    assert again.drug_pages["7"].inputs["lot.number"].text() == "N7301B"


def test_a_crash_saves_the_draft_being_typed_first(
    qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]
) -> None:
    from j3490_desk.ui.crash import save_open_drafts

    wizard = start(qtbot, app_data, date(2026, 4, 20), open_wizards)
    wizard.go_to(drafts.line_step(0, "7"))
    qtbot.keyClicks(wizard.drug_pages["7"].inputs["lot.number"], "LOT-BEFORE-CRASH")
    assert save_open_drafts() >= 1  # what the crash handler does before its dialog
    assert (
        claims.get_claim(app_data, wizard.claim_id).drug_lines[0].lot.number == "LOT-BEFORE-CRASH"
    )


def test_a_second_window_on_the_same_claim_is_refused(
    qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]
) -> None:
    wizard = start(qtbot, app_data, date(2026, 4, 20), open_wizards)
    count = wizard_window.open_wizard_count()
    assert open_wizard(app_data, wizard.claim_id) is wizard  # raised, not opened again
    assert wizard_window.open_wizard_count() == count


def test_title_never_shows_the_patient(
    qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]
) -> None:
    wizard = start(qtbot, app_data, date(2026, 4, 20), open_wizards)
    qtbot.keyClicks(wizard.header_page.inputs["patient.name"], "Solano")
    wizard.save_now()
    assert wizard.windowTitle() == f"Claim {wizard.claim_id} — J3490 Desk"


def test_add_and_remove_a_drug(
    qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]
) -> None:
    wizard = start(qtbot, app_data, date(2026, 4, 20), open_wizards)
    qtbot.mouseClick(wizard.add_drug_button, Qt.MouseButton.LeftButton)
    assert wizard.step == drafts.line_step(1, "1")
    qtbot.keyClicks(wizard.drug_pages["1"].inputs["brand_name"], "Caverject")
    wizard.remove_drug(0)
    stored = claims.get_claim(app_data, wizard.claim_id)
    assert [line.brand_name for line in stored.drug_lines] == ["Caverject"]


# --- keyboard and accessibility --------------------------------------------------------------


def test_keyboard_alone_reaches_the_review(
    qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]
) -> None:
    wizard = start(qtbot, app_data, date(2026, 4, 20), open_wizards)
    wizard.activateWindow()  # shortcuts work in the active window only
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    # Alt+N / Alt+B are the buttons' own shortcuts (QTest's Alt clicks do not reach the
    # shortcut map offscreen, so the keys themselves are checked by their binding).
    assert wizard.next_button.shortcut().toString() == "Alt+N"
    assert wizard.back_button.shortcut().toString() == "Alt+B"
    for _ in drafts.step_keys(wizard.claim):
        qtbot.keyClick(
            wizard.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier
        )
    assert wizard.step == drafts.REVIEW
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert wizard.step == drafts.PROVIDER
    assert wizard.focusWidget() is wizard.provider_page.inputs["provider.name"]  # typing goes on


def test_every_input_is_named_by_its_label(
    qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]
) -> None:
    wizard = start(qtbot, app_data, date(2026, 4, 20), open_wizards)
    checked = 0
    for page in wizard.field_pages():
        labels = {label.buddy(): label.text() for label in page.findChildren(QLabel)}
        mnemonics: list[str] = []
        for widget in page.findChildren(QWidget):
            if not _is_input(widget) or _inside_other_widget(widget, page):
                continue
            shown = widget.text() if isinstance(widget, QAbstractButton) else labels.get(widget, "")
            mnemonics.append(shown)
            visible = shown.replace("&", "")
            assert visible and widget.accessibleName() == visible, (page.title, widget)
            checked += 1
        keys = [text[text.index("&") + 1].lower() for text in mnemonics if "&" in text]
        assert len(keys) == len(set(keys)), (page.title, keys)  # no two fields share Alt+key
        assert not set(keys) & {"n", "b"}  # Alt+N / Alt+B stay Next and Back
    assert checked > 40


def _is_input(widget: QWidget) -> bool:
    return isinstance(widget, QLineEdit | QComboBox | QPlainTextEdit | QCheckBox)


def _inside_other_widget(widget: QWidget, page: QWidget) -> bool:
    """The line edit inside a combo or date edit, or the attachments panel's own controls."""
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if _is_input(parent) or type(parent).__name__ == "AttachmentsPanel":
            return True
        parent = parent.parentWidget()
    return False


# --- bad input: a clear message, nothing lost ------------------------------------------------


@pytest.fixture
def saved_rituximab(
    qtbot: QtBot, app_data: AppData, open_wizards: list[ClaimWizard]
) -> tuple[ClaimWizard, Scenario]:
    scenario = scenarios.off_label_rituximab()
    claim_id = claims.create_claim(app_data, scenario.claim)
    return start(qtbot, app_data, scenario.today, open_wizards, claim_id), scenario


def message(wizard: ClaimWizard, item: str, path: str) -> str:
    page = wizard.drug_pages[item] if item in drafts.LINE_ITEMS else wizard.header_page
    return page.messages[path].text()


def test_letters_in_the_ndc(qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario]) -> None:
    wizard, _ = saved_rituximab
    wizard.go_to(drafts.line_step(0, "1"))
    ndc = wizard.drug_pages["1"].inputs["ndc"]
    ndc.clear()
    qtbot.keyClicks(ndc, "50242-O53-06")  # a letter O for a zero
    qtbot.waitUntil(lambda: "Blocker" in message(wizard, "1", "ndc"))
    assert "letter" in message(wizard, "1", "ndc").lower() or "O" in message(wizard, "1", "ndc")
    wizard.save_now()  # a blocker never stops saving the draft
    assert claims.get_claim(wizard.data, wizard.claim_id).drug_lines[0].ndc == "50242-O53-06"


def test_an_administration_date_in_the_future(
    qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario]
) -> None:
    wizard, _ = saved_rituximab
    wizard.go_to(drafts.line_step(0, "3"))
    given = wizard.drug_pages["3"].inputs["dose.administered_at"]
    assert isinstance(given, DateField)
    type_date(qtbot, given, datetime(2026, 5, 14, 10, 0).astimezone())  # a month after "today"
    qtbot.waitUntil(lambda: "after today" in message(wizard, "3", "dose.administered_at"))


def test_end_before_start(qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario]) -> None:
    wizard, _ = saved_rituximab
    wizard.go_to(drafts.line_step(0, "9"))
    end = wizard.drug_pages["9"].inputs["administration.end"]
    start_value = wizard.drug_pages["9"].inputs["administration.start"]
    assert isinstance(end, DateField) and isinstance(start_value, DateField)
    begun = start_value.value()
    assert isinstance(begun, datetime)
    type_date(qtbot, end, (begun - timedelta(hours=6)).astimezone())
    qtbot.waitUntil(lambda: "before it starts" in message(wizard, "9", "administration.end"))


@pytest.mark.parametrize(
    ("typed", "expected"), [("-5", "more than zero"), ("100000", "100 packages")]
)
def test_a_negative_or_absurd_dose(
    qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario], typed: str, expected: str
) -> None:
    wizard, _ = saved_rituximab
    wizard.go_to(drafts.line_step(0, "3"))
    dose = wizard.drug_pages["3"].inputs["dose.amount"]
    dose.clear()
    qtbot.keyClicks(dose, typed)
    qtbot.waitUntil(lambda: expected in message(wizard, "3", "dose.amount"))


def test_letters_in_an_amount_are_refused_with_a_message(
    qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario]
) -> None:
    wizard, _ = saved_rituximab
    wizard.go_to(drafts.line_step(0, "3"))
    dose = wizard.drug_pages["3"].inputs["dose.amount"]
    qtbot.keyClicks(dose, "mg")
    assert dose.text() == "1000"  # the letters were not typed in
    assert "digits" in message(wizard, "3", "dose.amount")
    assert wizard.claim.drug_lines[0].dose.amount == Decimal("1000")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("0", "more than $0.00"), ("10000000", "under $10,000,000.00"), ("12.345", "2 decimals")],
)
def test_a_charge_a_claim_form_cannot_carry_is_not_kept(
    qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario], typed: str, expected: str
) -> None:
    wizard, _ = saved_rituximab
    wizard.go_to(drafts.line_step(0, "2"))
    charge = wizard.drug_pages["2"].inputs["charge"]
    charge.clear()
    qtbot.keyClicks(charge, typed)
    qtbot.waitUntil(lambda: expected in message(wizard, "2", "charge"))
    assert wizard.claim.drug_lines[0].charge != Decimal(typed)  # never kept


def test_a_pasted_terminal_escape_or_direction_override_is_not_kept(
    qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario]
) -> None:
    wizard, _ = saved_rituximab
    name = wizard.header_page.inputs["patient.name"]
    name.selectAll()
    name.insert("Dana \x1b[2J\u202eleifhtiW")  # as a paste arrives: one edit
    name.textEdited.emit(name.text())
    qtbot.waitUntil(lambda: "were removed" in message(wizard, "header", "patient.name"))
    wizard.save_now()
    stored = claims.get_claim(wizard.data, wizard.claim_id)
    assert stored.patient.name == "Dana [2JleifhtiW"


def test_a_2000_character_paste_is_trimmed_with_a_message(
    qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario]
) -> None:
    wizard, _ = saved_rituximab
    name = wizard.header_page.inputs["patient.name"]
    name.selectAll()
    name.insert("x" * 2000)  # as a paste arrives: one edit
    name.textEdited.emit(name.text())
    qtbot.waitUntil(lambda: "Too long" in message(wizard, "header", "patient.name"))
    wizard.save_now()
    stored = claims.get_claim(wizard.data, wizard.claim_id)
    assert stored.patient.name == "x" * drafts.TEXT_LIMIT
    assert stored.drug_lines[0].ndc == "50242-053-06"  # nothing else lost


def test_an_emoji_is_kept_with_a_message(
    qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario]
) -> None:
    wizard, _ = saved_rituximab
    name = wizard.header_page.inputs["patient.name"]
    name.end(False)
    name.insert(" 😀")  # QTest cannot type characters outside the BMP
    name.textEdited.emit(name.text())
    qtbot.waitUntil(lambda: "emoji" in message(wizard, "header", "patient.name"))
    wizard.save_now()
    assert claims.get_claim(wizard.data, wizard.claim_id).patient.name == "Beatriz Solano 😀"


def test_a_date_typed_month_first_is_read_and_shown_year_first(
    qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario]
) -> None:
    wizard, _ = saved_rituximab
    dos = wizard.header_page.inputs["date_of_service"]
    assert isinstance(dos, DateField)
    dos.setFocus()
    dos.selectAll()
    qtbot.keyClicks(dos, "04/14/2026")
    qtbot.keyClick(dos, Qt.Key.Key_Tab)
    assert dos.text() == "2026-04-14"  # how the month-first date was read, shown on leaving
    wizard.save_now()
    assert claims.get_claim(wizard.data, wizard.claim_id).date_of_service == date(2026, 4, 14)
    assert "year-month-day" in wizard.guidance.text()


def test_invoice_pdf_is_read_offered_and_a_foreign_ndc_flagged(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, open_wizards: list[ClaimWizard]
) -> None:
    from tests.attachments.files import invoice_pdf

    scenario = scenarios.rare_biologic()
    claim_id = claims.create_claim(app_data, scenario.claim)
    wizard = start(qtbot, app_data, scenario.today, open_wizards, claim_id)
    wizard.go_to(drafts.line_step(0, "2"))
    page = wizard.drug_pages["2"]
    assert page.attachments is not None and not page.invoice_offer.isVisible()
    attach(
        qtbot, page, invoice_pdf(tmp_path / "invoice.pdf", ndc="55566-1050-01", price="61,250.00")
    )
    assert "NDC 55566-1050-01, price $61,250.00" in page.invoice_offer.text()
    assert "not this drug's NDC" in page.invoice_offer.text()  # the line is Gamifant, not this
    qtbot.mouseClick(page.use_invoice, Qt.MouseButton.LeftButton)
    wizard.save_now()
    stored = claims.get_claim(app_data, claim_id).drug_lines[0].invoice
    assert stored.ndc == "55566-1050-01" and stored.price_paid == Decimal("61250.00")


def test_closing_the_wizard_while_a_file_is_being_added_keeps_the_file(
    qtbot: QtBot,
    app_data: AppData,
    tmp_path: Path,
    open_wizards: list[ClaimWizard],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window (and its panel) is deleted mid-add: no crash, and the file is still added."""
    from j3490_desk.services.attachments import AttachmentKind, list_attachments
    from j3490_desk.ui import attachments_panel as panel_module
    from tests.ui.test_attachments_panel import SlowAdd

    slow = SlowAdd()
    monkeypatch.setattr(panel_module, "add_attachment", slow)
    scenario = scenarios.rare_biologic()
    claim_id = claims.create_claim(app_data, scenario.claim)
    wizard = start(qtbot, app_data, scenario.today, open_wizards, claim_id)
    wizard.go_to(drafts.line_step(0, "2"))
    panel = wizard.drug_pages["2"].attachments
    assert panel is not None
    try:
        panel.add_files([scan(tmp_path, "invoice-late")])
        qtbot.wait_until(lambda: panel.is_adding and panel.status.isVisible(), timeout=10_000)
        job = panel._job
        assert job is not None
        wizard.close()
        qtbot.wait_until(lambda: not shiboken6.isValid(panel), timeout=10_000)
        with qtbot.wait_signal(job.finished, timeout=10_000):
            slow.release.set()
    finally:
        slow.release.set()
        panel_module.wait_for_adding()
    (info,) = list_attachments(app_data, claim_id)
    assert (info.original_name, info.kind) == ("invoice-late.png", AttachmentKind.INVOICE)
    reopened = start(qtbot, app_data, scenario.today, open_wizards, claim_id)
    reopened.go_to(drafts.line_step(0, "2"))
    page = reopened.drug_pages["2"]
    assert page.attachments is not None
    assert [a.original_name for a in page.attachments.attachments()] == ["invoice-late.png"]
    assert page.evidence_state.text() == "Invoice file attached: invoice-late.png."


def test_a_provider_npi_failing_its_check_digit_is_said_as_typed(
    qtbot: QtBot, saved_rituximab: tuple[ClaimWizard, Scenario]
) -> None:
    wizard, _ = saved_rituximab
    wizard.go_to(drafts.PROVIDER)
    npi = wizard.provider_page.inputs["provider.npi"]
    assert isinstance(npi, QLineEdit)
    npi.setFocus()
    npi.selectAll()
    qtbot.keyClicks(npi, "1234567894")
    message = wizard.provider_page.messages["provider.npi"]
    qtbot.waitUntil(lambda: "last digit should be 3" in message.text())
    qtbot.keyClick(npi, Qt.Key.Key_Backspace)
    qtbot.keyClicks(npi, "3")
    qtbot.waitUntil(lambda: message.text() == "")


def test_the_review_names_items_in_words_not_internal_keys() -> None:
    """'item coding' and 'item timely_filing' were the checklist's keys, not words."""
    claim = sample_claim()
    coding = Finding("SPECIFIC_HCPCS_EXISTS", Severity.BLOCKER, "coding", "m", "f", 0, "s")
    filing = Finding("FILING_DEADLINE_PASSED", Severity.BLOCKER, "timely_filing", "m", "f")
    deadline = filing_deadline(claim.payer, claim.date_of_service, claim.date_of_service)
    review = Review((coding, filing), (), (), (), (), (), deadline, ClaimStatus.DRAFT)
    html = review_html(review, ["Rituxan"])
    assert "Drug 1 (Rituxan), HCPCS code:" in html and "Claim, Filing deadline:" in html
    assert "coding" not in html and "timely_filing" not in html


def test_the_review_shows_why_a_line_cannot_be_priced_and_what_to_do() -> None:
    """The packet prints only the reason (a reviewer's words); the app adds the fix."""
    claim = sample_claim()
    unpriced = PricingError("No WAC is entered for this drug.", "Enter the WAC per package.")
    deadline = filing_deadline(claim.payer, claim.date_of_service, claim.date_of_service)
    review = Review((), (), (), (unpriced,), (), (), deadline, ClaimStatus.DRAFT)
    html = review_html(review, ["Rituxan"])
    assert "cannot be priced yet: No WAC is entered for this drug." in html
    assert "<i>What to do:</i> Enter the WAC per package." in html
