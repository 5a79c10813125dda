"""Reports over a period, the code list, and their CSV export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from j3490_desk.errors import InvalidInputError
from j3490_desk.services import claim_status, reports, work_queue
from j3490_desk.services.app_data import AppData
from tests.work_queue.helpers import claim_in

PERIOD = reports.Period(date(2026, 1, 1), date(2026, 12, 31))


def test_reports_rank_denials_and_sum_payments(app_data: AppData) -> None:
    sent = date(2026, 11, 5)
    for carc in ("16", "16 4"):
        claim_id = claim_in(app_data, "submitted", submitted_on=sent)
        claim_status.record_denial(
            app_data, claim_id, denied_on=date(2026, 11, 20), carc=carc, rarc="M119"
        )
    paid = claim_in(app_data, "submitted", submitted_on=sent)
    claim_status.record_payment(app_data, paid, amount=Decimal("500.00"), paid_on=sent)
    period = reports.Period(date(2026, 1, 1), date.today())
    denials = reports.denial_reasons(app_data, period)
    assert denials.rows[0][:3] == ("CARC", "16", "2")
    assert "lacks information" in denials.rows[0][3]
    assert ("RARC", "M119", "2") in [row[:3] for row in denials.rows]
    money = dict(reports.billed_vs_paid(app_data, PERIOD).rows)
    assert money == {"Billed": "180300.00", "Paid": "500.00"}
    by_status = dict(reports.claims_by_status(app_data, PERIOD).rows)
    assert by_status["denied"] == "2" and by_status["paid"] == "1"
    days = dict(reports.days_to_submission(app_data, PERIOD).rows)
    assert days["Average days from service"] == "3.0"
    assert reports.claims_by_status(app_data, PERIOD).to_csv().startswith("Status,Claims\ndraft,0")


def test_clinic_code_list_overrides_the_shipped_one(app_data: AppData, tmp_path: Path) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("code_type,code,description\nCARC,16,Our wording\n", encoding="utf-8")
    assert work_queue.import_code_list(app_data, codes) == 1
    names = work_queue.code_descriptions(app_data)
    assert names[("CARC", "16")] == "Our wording"
    assert {("CARC", "4"), ("RARC", "N350"), ("RARC", "M123")} <= names.keys()


def test_a_malformed_code_list_is_refused_with_its_line(app_data: AppData, tmp_path: Path) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("code_type,code,description\nCARC,CO-16,x\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="line 2"):
        work_queue.import_code_list(app_data, codes)
