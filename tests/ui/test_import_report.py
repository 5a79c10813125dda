"""File > Import claim shows what the import matched, what differs and the status it arrived
in (issue 19: "The import must report which stored patient, payer and provider it matched")."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from j3490_desk.paths import resources_dir
from j3490_desk.services import claims
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.main_window import MainWindow

EXAMPLE = json.loads((resources_dir() / "examples" / "4-rare-biologic-infusion.json").read_text())


def test_the_import_report_is_shown(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    window = MainWindow(app_data)
    qtbot.add_widget(window)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, title, text, *_: shown.append((title, text))
    )
    for name, payer in (
        ("asp.json", {"pricing_policy": "asp"}),
        ("six.json", {"markup_percent": "6"}),
    ):
        document: dict[str, Any] = copy.deepcopy(EXAMPLE)
        document["payer"].update(payer)  # the example says "ready", with its deadline long past
        path = tmp_path / name
        path.write_text(json.dumps(document), encoding="utf-8")
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, p=path: (str(p), ""))
        window.import_claim()

    title, text = shown[-1]
    assert title == "Imported claim 2"
    assert "Matched saved patient #1" in text
    assert "markup_percent: saved 0, file 6" in text
    assert "the file says ready, but the claim check finds" in text
    assert "Warning: claim 1 has the same patient" in text
    assert claims.get_claim(app_data, 2).payer.markup_percent == 6  # the file's, kept
