"""Two saved payers may share a name (an import keeps a file's own settings, issue 19): the
wizard never swaps one for the other behind the clerk's back."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from j3490_desk.domain.claim import PricingPolicy
from j3490_desk.paths import resources_dir
from j3490_desk.services import claim_import, claims
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.wizard.window import ClaimWizard, open_wizard

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen
EXAMPLE = json.loads((resources_dir() / "examples" / "4-rare-biologic-infusion.json").read_text())


def _import(data: AppData, tmp_path: Path, name: str, **payer: Any) -> int:
    document = copy.deepcopy(EXAMPLE)
    document["status"] = "draft"
    document["payer"].update(payer)
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return claim_import.import_claim_file(data, path).claim_id


@pytest.fixture
def first_of_two(qtbot: QtBot, app_data: AppData, tmp_path: Path) -> Iterator[ClaimWizard]:
    create_application()
    first = _import(app_data, tmp_path, "asp.json", pricing_policy="asp")
    _import(app_data, tmp_path, "markup.json", pricing_policy="invoice_markup", markup_percent="6")
    window = open_wizard(app_data, first, today=date(2019, 6, 10))
    yield window
    if shiboken6.isValid(window):
        window.close()


def test_editing_the_header_keeps_the_claims_own_payer(
    qtbot: QtBot, app_data: AppData, first_of_two: ClaimWizard
) -> None:
    member = first_of_two.header_page.inputs["patient.member_id"]
    member.setFocus()
    qtbot.keyClick(member, Qt.Key.Key_End)
    qtbot.keyClicks(member, "9")
    first_of_two.save_now()
    stored = claims.get_claim(app_data, first_of_two.claim_id)
    assert stored.patient.member_id.endswith("9")  # the edit was saved
    assert stored.payer.pricing_policy is PricingPolicy.ASP  # and the payer is its own
