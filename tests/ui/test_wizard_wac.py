"""The WAC field on the invoice step (issue 14: NOC pricing by WAC), typed as a clerk types it.

CMS files carry no WAC, so the clerk enters it from the invoice or a price list, with where it
came from; the pricing then uses it (domain.md section 8) and the claim file carries it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from j3490_desk.domain import claim as domain
from j3490_desk.domain.pricing import price_claim
from j3490_desk.services import claim_json, claims, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.wizard.window import ClaimWizard, open_wizard
from tests.domain import scenarios

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")


@pytest.fixture
def wizard(qtbot: QtBot, app_data: AppData) -> Iterator[ClaimWizard]:
    """The new-immunotherapy example (Medicare, no ASP code yet), opened on its invoice step."""
    scenario = scenarios.new_immunotherapy()
    claim_id = claims.create_claim(app_data, scenario.claim)
    create_application()
    opened = open_wizard(app_data, claim_id, today=scenario.today)
    opened.go_to(drafts.line_step(0, "2"))
    yield opened
    if shiboken6.isValid(opened):
        opened.close()


def test_the_clerk_types_the_wac_and_its_source_and_pricing_uses_it(
    qtbot: QtBot, app_data: AppData, wizard: ClaimWizard
) -> None:
    page = wizard.drug_pages["2"]
    price_field = page.inputs["wac.per_package"]
    qtbot.mouseClick(price_field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(price_field, "9100.00")
    qtbot.keyClick(price_field, Qt.Key.Key_Tab)  # Tab goes on to the source field
    assert page.inputs["wac.source"].hasFocus()
    qtbot.keyClicks(page.inputs["wac.source"], "Red Book, March 2019")
    wizard.close()  # closing saves

    stored = claims.get_claim(app_data, wizard.claim_id)
    assert stored.drug_lines[0].wac == domain.Wac(Decimal("9100.00"), "Red Book, March 2019")
    assert claim_json.claim_to_json(stored)["drug_lines"][0]["wac"] == {
        "per_package": "9100.00",
        "source": "Red Book, March 2019",
    }
    (priced,) = price_claim(stored, facts=scenarios.new_immunotherapy().facts)
    assert not isinstance(priced, Exception)
    assert priced.method is domain.PricingPolicy.WAC
    assert priced.total == Decimal("9373.00")  # WPS names no add-on: CMS's WAC + 3%
    assert "Red Book, March 2019" in priced.explanation
