"""Posted remittances in the work queue and the reports: reason codes with the code list's
descriptions, the item a denial points at, adjustments ranked, payments less reversals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from j3490_desk.services import claim_list, reports, work_queue
from j3490_desk.services.app_data import AppData
from j3490_desk.services.remittance import import_remittance, preview_remittance
from tests.remittance.era import claim_payment, era, service_line
from tests.work_queue.helpers import claim_in

PERIOD = reports.Period(date(2026, 1, 1), date(2026, 12, 31))
CHARGE = "60100.00"


def _file(tmp_path: Path, content: bytes, name: str = "era.835") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _denial(claim_id: int, remark: str) -> list[str]:
    line = service_line(
        "J3590", CHARGE, "0.00", modifiers=("JZ",), control=(claim_id, 0),
        adjustments=[("CO", "16", CHARGE)], remarks=[remark],
    )  # fmt: skip
    return claim_payment(claim_id, "4", CHARGE, "0.00", lines=[line], payer_number=remark)


def _partly_paid(claim_id: int, paid: str, payer_number: str = "P1") -> list[str]:
    rest = Decimal(CHARGE) - Decimal(paid)
    line = service_line(
        "J3590", CHARGE, paid, modifiers=("JZ",), control=(claim_id, 0),
        adjustments=[("CO", "45", f"{rest:.2f}")],
    )  # fmt: skip
    return claim_payment(claim_id, "1", CHARGE, paid, lines=[line], payer_number=payer_number)


def test_a_posted_denial_names_the_item_to_fix_in_the_work_queue(
    app_data: AppData, tmp_path: Path
) -> None:
    ndc, narrative, paid = (
        claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5)) for _ in range(3)
    )
    content = era(
        [_denial(ndc, "M119"), _denial(narrative, "N350"), _partly_paid(paid, "50000.00")]
    )
    assert import_remittance(app_data, _file(tmp_path, content)).problems == []
    rows = {row.id: row for row in claim_list.list_claims(app_data, today=date(2026, 12, 2))}
    assert (
        rows[ndc].readiness
        == "denied: fix the NDC (item 1: 11 digits, active on the date of service)"
    )
    assert (
        rows[narrative].readiness == "denied: fix the description of the drug in the NOC narrative"
    )
    assert rows[paid].readiness == "not checked"  # a paid claim keeps its own column text
    denied = claim_list.list_claims(app_data, claim_filter=claim_list.ClaimFilter(queue="denied"))
    assert {row.id for row in denied} == {ndc, narrative}


def test_preview_describes_codes_from_the_list_the_clinic_imports(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    path = _file(tmp_path, era([_denial(claim_id, "M119")]))
    (line,) = preview_remittance(app_data, path).claims
    assert line.described == (
        "CO-16 60100.00: Claim/service lacks information or has submission/billing error(s).",
        "M119: Missing/incomplete/invalid/deactivated/withdrawn National Drug Code (NDC).",
    )
    codes = tmp_path / "codes.csv"
    codes.write_text("code_type,code,description\nRARC,M119,Our NDC wording\n", encoding="utf-8")
    work_queue.import_code_list(app_data, codes)
    (line,) = preview_remittance(app_data, path).claims
    assert line.described[1] == "M119: Our NDC wording"


def test_reports_count_posted_denials_adjustments_and_payments_less_reversals(
    app_data: AppData, tmp_path: Path
) -> None:
    denied, paid = (
        claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5)) for _ in range(2)
    )
    import_remittance(
        app_data,
        _file(tmp_path, era([_denial(denied, "M119"), _partly_paid(paid, "50000.00")]), "a.835"),
    )
    reversal = claim_payment(
        paid,
        "22",
        f"-{CHARGE}",
        "-50000.00",
        adjustments=[("CO", "45", "-10100.00")],
        payer_number="P1",
    )
    later = era([reversal, _partly_paid(paid, "55000.00", "P2")], trace="EFT2", control="000000102")
    import_remittance(app_data, _file(tmp_path, later, "b.835"))

    denials = reports.denial_reasons(app_data, reports.Period(date(2026, 1, 1), date.today()))
    assert [row[:3] for row in denials.rows] == [("CARC", "16", "1"), ("RARC", "M119", "1")]
    adjustments = reports.remittance_adjustments(app_data, PERIOD)
    assert adjustments.rows == (
        (
            "CO",
            "16",
            "1",
            "60100.00",
            "Claim/service lacks information or has submission/billing error(s).",
        ),
        ("CO", "45", "1", "5100.00", "Charge exceeds fee schedule/maximum allowable."),
    )  # the reversed payment's CO-45 10100.00 and the reversal itself are left out
    assert dict(reports.billed_vs_paid(app_data, PERIOD).rows)["Paid"] == "55000.00"
    assert "adjustments" in [report.key for report in reports.all_reports(app_data, PERIOD)]
