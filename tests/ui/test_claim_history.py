"""The History tab of a claim: every audited change, who made it and when, newest first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from j3490_desk.services import claim_status, claims
from j3490_desk.services.app_data import AppData
from j3490_desk.services.claim_history import claim_history
from j3490_desk.ui.app import create_application
from j3490_desk.ui.wizard.window import ClaimWizard, open_wizard
from tests.sample_claims import sample_claim

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen


@pytest.fixture
def wizard(qtbot: QtBot, app_data: AppData) -> Iterator[ClaimWizard]:
    create_application()
    claim_id = claims.create_claim(app_data, sample_claim())
    window = open_wizard(app_data, claim_id, today=date(2026, 11, 27))
    yield window
    if shiboken6.isValid(window):
        window.close()


def _rows(wizard: ClaimWizard) -> list[tuple[str, str, list[str]]]:
    tree = wizard.history
    return [
        (
            tree.topLevelItem(i).text(1),
            tree.topLevelItem(i).text(2),
            [
                tree.topLevelItem(i).child(j).text(0)
                for j in range(tree.topLevelItem(i).childCount())
            ],
        )
        for i in range(tree.topLevelItemCount())
    ]


def test_history_tab_shows_the_typed_change_with_old_and_new(
    qtbot: QtBot, wizard: ClaimWizard, app_data: AppData
) -> None:
    field = wizard.header_page.inputs["patient.member_id"]
    field.selectAll()
    qtbot.keyClicks(field, "9XY8ZZ7QQ11")
    tab_bar = wizard.side_tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(1).center())
    assert wizard.side_tabs.currentWidget() is wizard.history
    rows = _rows(wizard)
    user, what, details = rows[0]  # newest first
    assert user == app_data.user
    assert what == "Claim changed"
    assert any("1EG4TE5MK73 → 9XY8ZZ7QQ11" in line for line in details), details
    assert rows[-1][1] == "Claim created"


def test_history_names_status_moves_files_and_who(app_data: AppData) -> None:
    from j3490_desk.services import attachments
    from tests.work_queue.helpers import PDF, claim_in

    claim_id = claim_in(app_data, "paid", submitted_on=date(2026, 11, 5))
    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=None,
        kind=attachments.AttachmentKind.INVOICE,
        source=PDF,
        original_name="invoice.pdf",
    )
    app_data.user = "maria"
    claim_status.close(app_data, claim_id, note="patient moved away")
    [closed, attached, created] = claim_history(app_data, claim_id)
    assert (closed.what, closed.user) == ("Status changed", "maria")
    assert {(c.field, c.old, c.new) for c in closed.changes} >= {
        ("status", "paid", "closed"),
        ("note", "(empty)", "patient moved away"),
    }
    assert attached.what == "File attached"
    assert ("original name", "(empty)", "invoice.pdf") in {
        (c.field, c.old, c.new) for c in attached.changes
    }
    assert created.what == "Claim created"
