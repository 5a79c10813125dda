"""The work queue as a biller uses it: columns, sort, filters, search, Today, status moves; and
that it never shows a stale state (a wizard's check, F5, the selection after an action)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from j3490_desk.domain import claim as d
from j3490_desk.services import attachments, claim_list, claim_status, claims, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.claim_table_model import COLUMNS, ClaimTableModel
from j3490_desk.ui.main_window import MainWindow
from j3490_desk.ui.reports_view import BarChart, ReportsView
from j3490_desk.ui.status_dialog import StatusDialog
from j3490_desk.ui.wizard import window as wizard_window
from tests.domain import scenarios
from tests.reference.conftest import write_ndctext_zip
from tests.sample_claims import sample_claim
from tests.work_queue.helpers import PDF, claim_in

TODAY = date(2026, 11, 27)
AETNA = d.Payer(name="Aetna", timely_filing_days=90)


def _column(title: str) -> int:
    return [c.title for c in COLUMNS].index(title)


@pytest.fixture
def filled(app_data: AppData) -> dict[str, int]:
    doe_line = dataclasses.replace(sample_claim().drug_lines[0], brand_name="Zynrelef")
    return {
        "roe": claims.create_claim(app_data, sample_claim()),
        "doe": claims.create_claim(
            app_data,
            sample_claim(
                patient=d.Patient(name="Doe, John"),
                payer=AETNA,
                date_of_service=TODAY - timedelta(days=88),
                drug_lines=(doe_line,),
            ),
        ),
        "denied": claim_in(app_data, "denied", patient=d.Patient(name="Poe, Ann")),
    }


@pytest.fixture
def window(qtbot: QtBot, app_data: AppData, filled: dict[str, int]) -> MainWindow:
    create_application()
    main = MainWindow(app_data, today=TODAY)
    qtbot.add_widget(main)
    main.show()
    qtbot.waitUntil(lambda: main.today_report is not None)
    return main


def _ids(window: MainWindow) -> list[int]:
    return [window.model.claim_id(r) for r in range(window.model.rowCount())]


def test_columns_show_readiness_deadline_and_days_left(window: MainWindow) -> None:
    model, row = window.model, _ids(window).index(2)
    assert model.index(row, _column("Readiness")).data() == "not checked"
    assert model.index(row, _column("Filing deadline")).data() == "2026-11-29"
    days = model.index(row, _column("Days left"))
    assert days.data() == "2 d" and days.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(row, _column("Billed")).data() == "60,100.00"
    assert model.index(row, _column("Retain until")).data() == "2033-08-31"


def test_clicking_a_header_sorts_in_sql(window: MainWindow, filled: dict[str, int]) -> None:
    header = window.table.horizontalHeader()
    header.setSortIndicator(_column("Filing deadline"), Qt.SortOrder.AscendingOrder)
    assert window.model.sort_key == "filing_deadline" and not window.model.descending
    assert _ids(window)[0] == filled["doe"]
    header.setSortIndicator(_column("Patient"), Qt.SortOrder.AscendingOrder)
    assert [window.model.index(r, 1).data() for r in range(3)] == [
        "Doe, John",
        "Poe, Ann",
        "Roe, Jane",
    ]


def test_status_filter_and_search_as_you_type(
    qtbot: QtBot, window: MainWindow, filled: dict[str, int]
) -> None:
    bar = window.filter_bar
    bar.status.setCurrentIndex(bar.status.findData("denied"))
    assert _ids(window) == [filled["denied"]]
    bar.status.setCurrentIndex(0)
    qtbot.keyClicks(bar.search, "zynr")
    assert len(_ids(window)) == 3  # nothing yet: the search waits for a pause in typing
    qtbot.waitUntil(lambda: _ids(window) == [filled["doe"]], timeout=2000)
    bar.search.clear()
    qtbot.waitUntil(lambda: len(_ids(window)) == 3, timeout=2000)
    assert window.stack.currentWidget() is window.table


def test_payer_filter_lists_saved_payers(window: MainWindow, filled: dict[str, int]) -> None:
    window._load_filter_choices()
    bar = window.filter_bar
    bar.payer.setCurrentIndex(bar.payer.findText("Aetna"))
    assert _ids(window) == [filled["doe"]]


def test_today_panel_counts_filter_the_list_and_alert(
    window: MainWindow, filled: dict[str, int]
) -> None:
    panel = window.today_panel
    assert panel.buttons["filing_due_soon"].text() == "Filing deadline within 3 days: 1"
    assert panel.buttons["denied"].text().endswith(": 1")
    assert not panel.buttons["prior_auth_pending"].isEnabled()
    panel.buttons["filing_due_soon"].click()
    assert _ids(window) == [filled["doe"]]
    assert window.filter_bar.queue_label.isVisible()
    window.filter_bar.clear_queue.click()
    assert len(_ids(window)) == 3
    # offscreen there is no tray: the alert goes to the status bar, with no patient in it
    assert window.last_alert.startswith("1 claim(s) must reach the payer within 3 days")
    assert window.statusBar().currentMessage() == window.last_alert
    assert "Doe" not in window.last_alert and window.windowTitle() == "J3490 Desk"


def test_nothing_due_means_no_alert(qtbot: QtBot, app_data: AppData) -> None:
    claims.create_claim(app_data, sample_claim())
    main = MainWindow(app_data, today=TODAY)
    qtbot.add_widget(main)
    qtbot.waitUntil(lambda: main.today_report is not None)
    assert main.last_alert == ""


def test_mark_submitted_with_its_proof_of_filing(
    qtbot: QtBot, app_data: AppData, tmp_path: Path
) -> None:
    claim_id = claim_in(app_data, "ready")
    proof = tmp_path / "confirmation.pdf"
    proof.write_bytes(PDF)
    dialog = StatusDialog(app_data, claim_id, "submit", today=TODAY)
    qtbot.add_widget(dialog)
    qtbot.keyClicks(dialog.reference, "ICN 2026310000123")
    assert not dialog.apply()
    assert "Attach the proof of filing" in dialog.message.text()
    dialog.set_proof(proof)
    dialog.method.setCurrentIndex(dialog.method.findData("clearinghouse"))
    assert dialog.apply()
    [event] = claim_status.claim_events(app_data, claim_id)
    assert (event.to_status, event.method, event.event_date) == (
        "submitted",
        "clearinghouse",
        TODAY,
    )
    stored = attachments.get_attachment(app_data, event.attachment_id or 0)
    assert stored.original_name == "confirmation.pdf"
    assert "claim" in dialog.windowTitle() and "Roe" not in dialog.windowTitle()


def test_denial_dialog_names_codes_and_refuses_bad_ones(qtbot: QtBot, app_data: AppData) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    dialog = StatusDialog(app_data, claim_id, "denied", today=TODAY)
    qtbot.add_widget(dialog)
    qtbot.keyClicks(dialog.rarc, "M119")
    assert "National Drug Code" in dialog.code_help.text()
    qtbot.keyClicks(dialog.carc, "CO-16")
    assert not dialog.apply()
    assert "group code CO" in dialog.message.text()
    dialog.carc.setText("16")
    assert dialog.apply()
    assert claims.get_claim(app_data, claim_id).status.value == "denied"


def test_payment_over_billed_needs_the_box_ticked(qtbot: QtBot, app_data: AppData) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    dialog = StatusDialog(app_data, claim_id, "paid", today=TODAY)
    qtbot.add_widget(dialog)
    qtbot.keyClicks(dialog.amount, "70,000.00")
    assert not dialog.apply() and "more than the billed" in dialog.message.text()
    dialog.over_billed.setChecked(True)
    assert dialog.apply()


def test_reports_view_charts_and_exports(
    qtbot: QtBot, app_data: AppData, filled: dict[str, int], tmp_path: Path
) -> None:
    view = ReportsView(app_data)
    qtbot.add_widget(view)
    start = view.start.day("From")
    view.start.selectAll()
    qtbot.keyClicks(view.start, f"{start.year - 2}{start:%m%d}")  # typed, digit by digit
    with qtbot.waitSignal(view.refreshed):  # built off the GUI thread
        view.refresh()
    assert view.tabs.count() == 6 and not view.is_building  # with the remittance adjustments
    assert view.tabs.widget(0).findChild(BarChart) is not None
    view.show()
    view.tabs.widget(0).grab()  # paints the chart
    path = view.export(view.reports[0], tmp_path / "status.csv")
    assert path is not None and "denied,1" in path.read_text(encoding="utf-8")


def test_extended_model_passes_qt_model_tests(
    qtmodeltester: object, app_data: AppData, filled: dict[str, int]
) -> None:
    for n in range(5):
        claims.create_claim(app_data, sample_claim(date_of_service=date(2026, 1, 1 + n)))
    chosen = claim_list.ClaimFilter(search="roe", sort="filing_deadline")
    model = ClaimTableModel(
        lambda offset, limit: claim_list.list_claims(
            app_data, claim_filter=chosen, offset=offset, limit=limit, today=TODAY
        ),
        page_size=2,
    )
    model.reload()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 6
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_correct_claim_records_why_and_opens_it_for_editing(
    qtbot: QtBot, app_data: AppData
) -> None:
    claim_id = claim_in(app_data, "denied", submitted_on=date(2026, 11, 5))
    dialog = StatusDialog(app_data, claim_id, "correct", today=TODAY)
    qtbot.add_widget(dialog)
    assert not dialog.apply() and "Say what was corrected" in dialog.message.text()
    qtbot.keyClicks(dialog.note, "units 10 -> 1 (M123)")
    assert dialog.apply()
    assert claims.get_claim(app_data, claim_id).status.value == "corrected"
    assert claim_status.claim_events(app_data, claim_id)[-1].note == "units 10 -> 1 (M123)"


# --- the queue never shows a stale state (issue 19) -------------------------------------------


def _click_row(qtbot: QtBot, window: MainWindow, claim_id: int) -> None:
    row = _ids(window).index(claim_id)
    rect = window.table.visualRect(window.model.index(row, 1))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _selected(window: MainWindow) -> list[int]:
    return [window.model.claim_id(i.row()) for i in window.table.selectionModel().selectedRows()]


def _readiness(window: MainWindow, claim_id: int) -> str:
    row = _ids(window).index(claim_id)
    return str(window.model.index(row, _column("Readiness")).data())


def _choose_menu_item(qtbot: QtBot, window: MainWindow, menu_title: str, item: str) -> None:
    """Click the menu bar's menu, then the item in it, as a clerk does."""
    bar = window.menuBar()
    menu_action = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(menu_action).center())
    menu = menu_action.menu()
    qtbot.waitUntil(menu.isVisible)
    action = next(a for a in menu.actions() if a.text().replace("&", "") == item)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def _click_ok_when_shown(qtbot: QtBot, shown: list[str]) -> QTimer:
    """The dialog runs its own event loop: a timer finds it there and clicks its OK button."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, StatusDialog):
            timer.stop()
            shown.append(dialog.windowTitle())
            ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(look)
    timer.start()
    return timer


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_claim_reviewed_in_the_wizard_shows_its_check_in_the_queue(
    qtbot: QtBot, window: MainWindow, filled: dict[str, int]
) -> None:
    claim_id = filled["roe"]  # one blocker (NDC quantity) and two warnings
    assert _readiness(window, claim_id) == "not checked"
    _click_row(qtbot, window, claim_id)
    qtbot.keyClick(window.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    [wizard] = wizard_window.open_windows()
    try:  # a second window offscreen: Qt warns it cannot raise it
        steps = wizard.steps
        review = steps.topLevelItem(steps.topLevelItemCount() - 1)
        rect = steps.visualItemRect(review)
        qtbot.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert wizard.step == drafts.REVIEW
        assert "NDC_QUANTITY_INVALID" in wizard.review_page.report.toPlainText()
        qtbot.waitUntil(lambda: _readiness(window, claim_id).startswith("1 blocker"))
        assert _selected(window) == [claim_id]  # the refresh kept the clerk's place
    finally:
        wizard.close()
    assert _readiness(window, claim_id).startswith("1 blocker")


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_mark_ready_keeps_the_claim_selected(qtbot: QtBot, app_data: AppData) -> None:
    clean = scenarios.new_immunotherapy()
    other = claims.create_claim(app_data, sample_claim())
    claim_id = claims.create_claim(app_data, clean.claim)
    create_application()
    main = MainWindow(app_data, today=clean.today)
    qtbot.add_widget(main)
    main.show()
    qtbot.waitUntil(lambda: main.today_report is not None)
    _click_row(qtbot, main, claim_id)
    shown: list[str] = []
    timer = _click_ok_when_shown(qtbot, shown)
    _choose_menu_item(qtbot, main, "Status", "Mark ready")
    qtbot.waitUntil(lambda: bool(shown))
    timer.stop()
    assert claims.get_claim(app_data, claim_id).status is d.ClaimStatus.READY
    assert _selected(main) == [claim_id] and other in _ids(main)
    assert _readiness(main, claim_id) != "not checked"
    # the next action works on the same claim without choosing it again
    _choose_menu_item(qtbot, main, "Status", "Archive claim")
    assert "Select a claim" not in main.statusBar().currentMessage()
    assert main.statusBar().currentMessage().startswith(f"Claim {claim_id} archived")


def test_f5_reads_the_reference_data_again_after_a_command_line_import(
    qtbot: QtBot, window: MainWindow, app_data: AppData, tmp_path: Path
) -> None:
    qtbot.waitUntil(window.reference_banner.isVisible)
    before = window.reference_banner.text()
    assert "No FDA NDC Directory is loaded" in before
    directory = write_ndctext_zip(
        tmp_path / "ndctext.zip",
        (scenarios.FIXTURES / "fda_ndc_2019_product_slice.txt").read_bytes(),
        (scenarios.FIXTURES / "fda_ndc_2019_package_slice.txt").read_bytes(),
    )
    command = [sys.executable, "-m", "j3490_desk", "--data-dir", str(app_data.paths.root)]
    done = subprocess.run(
        [*command, "reference", "import", str(directory)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert window.reference_banner.text() == before  # nothing has told the window yet
    qtbot.keyClick(window.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.reference_banner.text() != before)
    assert "No FDA NDC Directory is loaded" not in window.reference_banner.text()


def test_the_served_dates_show_whole_in_the_filter_bar(qtbot: QtBot, window: MainWindow) -> None:
    """A date field squeezed into the bar scrolled its text: "-09-05" for 2026-09-05."""
    window.resize(1100, 520)
    window.show()
    qtbot.waitExposed(window)
    for field in (window.filter_bar.date_from, window.filter_bar.date_to):
        field.end(False)  # the cursor after the last digit, where a clerk's typing leaves it
        first_shown = field.cursorPositionAt(QPoint(6, field.height() // 2))
        assert first_shown == 0, f"{field.text()!r} is scrolled: it starts at character {first_shown}"
