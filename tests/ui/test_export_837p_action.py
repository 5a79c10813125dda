"""The work queue's Status > Export 837P…: the selected claim is written as an 837P, its status
stays as it was, and a refusal is shown with what is missing."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from j3490_desk.services import claims, clinic
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.main_window import MainWindow
from tests.export.x12_claims import SUBMITTER, electronic_sample_claim

TODAY = date(2026, 11, 20)


def _select_first_row(qtbot: QtBot, main: MainWindow) -> None:
    qtbot.waitUntil(lambda: main.model.rowCount() == 1)
    index = main.table.model().index(0, 0)
    rect = main.table.visualRect(index)
    qtbot.mouseClick(main.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_export_837p_writes_the_selected_claim(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim_id = claims.create_claim(app_data, electronic_sample_claim())
    out = tmp_path / "claim.837"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    create_application()
    main = MainWindow(app_data, today=TODAY)
    qtbot.add_widget(main)
    main.show()
    _select_first_row(qtbot, main)

    main.actions["export837p"].trigger()  # the clinic's submitter details are not set yet
    assert "the clinic's npi is missing" in warnings[0] and not out.exists()

    clinic.set_clinic_details(app_data, dataclasses.asdict(SUBMITTER))
    main.actions["export837p"].trigger()
    assert out.read_text().count(f"CLM*{claim_id}*") == 1
    assert f"Wrote {out}" in main.statusBar().currentMessage()
    assert claims.get_claim(app_data, claim_id).status.value == "draft"
