"""The list query: filters, search, sort and the Today queues, against a fixed today."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from j3490_desk.domain import claim as d
from j3490_desk.services import claims, work_queue
from j3490_desk.services.app_data import AppData
from j3490_desk.services.claim_list import ClaimFilter, list_claims, today_counts
from tests.sample_claims import sample_claim
from tests.work_queue.helpers import claim_in

TODAY = date(2026, 11, 27)
COMMERCIAL = d.Payer(name="Aetna", kind=d.PayerKind.COMMERCIAL, timely_filing_days=90)


def _fill(data: AppData) -> dict[str, int]:
    line = dataclasses.replace(
        sample_claim().drug_lines[0], brand_name="Zynrelef", ndc="0000-1111-22"
    )
    return {
        "roe": claims.create_claim(data, sample_claim()),
        "doe": claims.create_claim(
            data,
            sample_claim(
                patient=d.Patient(name="Doe, John"),
                payer=COMMERCIAL,
                date_of_service=TODAY - timedelta(days=88),  # deadline in 2 days
                drug_lines=(line,),
                prior_auth=d.PriorAuthorization(
                    d.PriorAuthStatus.APPROVED, "PA1", valid_to=TODAY + timedelta(days=5)
                ),
            ),
        ),
        "denied": claim_in(data, "denied", patient=d.Patient(name="Poe, Ann")),
    }


def test_search_finds_patient_drug_ndc_and_claim_id(app_data: AppData) -> None:
    ids = _fill(app_data)

    def found(text: str) -> set[int]:
        return {r.id for r in list_claims(app_data, claim_filter=ClaimFilter(search=text))}

    assert found("doe") == {ids["doe"]}
    assert found("zynre") == {ids["doe"]}
    assert found("00001111") == {ids["doe"]}  # NDC typed without dashes
    assert found(str(ids["denied"])) >= {ids["denied"]}
    assert found("nobody") == set()


def test_filters_and_sort_by_deadline(app_data: AppData) -> None:
    ids = _fill(app_data)
    denied = list_claims(app_data, claim_filter=ClaimFilter(status="denied"))
    assert [r.id for r in denied] == [ids["denied"]]
    by_deadline = list_claims(
        app_data, claim_filter=ClaimFilter(sort="filing_deadline", descending=False), today=TODAY
    )
    assert by_deadline[0].id == ids["doe"] and by_deadline[0].days_left == 2
    old = list_claims(app_data, claim_filter=ClaimFilter(date_to=TODAY - timedelta(days=30)))
    assert [r.id for r in old] == [ids["doe"]]


def test_readiness_text() -> None:
    from j3490_desk.services.claim_list import ClaimSummary

    row = ClaimSummary(1, "", TODAY, "", "", "draft", TODAY, readiness_checked=True,
                       blockers=2, warnings=1)  # fmt: skip
    assert row.readiness == "2 blockers, 1 warning"
    assert dataclasses.replace(row, readiness_checked=False).readiness == "not checked"


def test_today_queues_count_and_filter(app_data: AppData) -> None:
    ids = _fill(app_data)
    counts = today_counts(app_data, TODAY)
    assert counts["filing_due_soon"] == 1 and counts["prior_auth_expiring"] == 1
    assert counts["denied"] == 1
    due = list_claims(app_data, claim_filter=ClaimFilter(queue="filing_due_soon"), today=TODAY)
    assert [r.id for r in due] == [ids["doe"]]
    report = work_queue.today_report(app_data, TODAY)
    assert "1 claim(s) must reach the payer within 3 days" in report.alert_text()
    assert "Roe" not in report.alert_text() and "Doe" not in report.alert_text()
    assert report.reference_warnings  # nothing loaded: the reference data warns
