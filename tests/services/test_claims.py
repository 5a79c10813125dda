"""Claims go into the store and come back exactly as they went in."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlmodel import select

from j3490_desk.domain import claim as d
from j3490_desk.errors import InvalidInputError, NotFoundError
from j3490_desk.models import AuditEntry, Payer
from j3490_desk.services import claim_import, claim_json, claim_list, claims, records
from j3490_desk.services.app_data import AppData
from tests.sample_claims import sample_claim


def _without_ids(claim: d.Claim) -> d.Claim:
    lines = tuple(dataclasses.replace(line, id=None) for line in claim.drug_lines)
    return dataclasses.replace(claim, id=None, drug_lines=lines)


def test_claim_round_trips_through_the_store(app_data: AppData) -> None:
    claim = sample_claim()
    claim_id = claims.create_claim(app_data, claim)
    stored = claims.get_claim(app_data, claim_id)
    assert stored.id == claim_id and all(line.id for line in stored.drug_lines)
    assert _without_ids(stored) == claim


def test_update_keeps_each_drug_lines_identity(app_data: AppData) -> None:
    first = sample_claim().drug_lines[0]
    second = dataclasses.replace(first, brand_name="Second", ndc="00574-4072-05")
    claim_id = claims.create_claim(app_data, sample_claim(drug_lines=(first, second)))
    stored = claims.get_claim(app_data, claim_id)
    kept = stored.drug_lines[1]
    added = dataclasses.replace(first, brand_name="Third")
    claims.update_claim(app_data, dataclasses.replace(stored, drug_lines=(kept, added)))
    after = claims.get_claim(app_data, claim_id).drug_lines
    assert [line.brand_name for line in after] == ["Second", "Third"]
    assert after[0].id == kept.id  # the removed first line did not shift the second's identity
    assert after[1].id not in {line.id for line in stored.drug_lines}


def test_saved_records_are_reused_not_duplicated(app_data: AppData) -> None:
    claims.create_claim(app_data, sample_claim())
    claims.create_claim(app_data, sample_claim())
    assert len(records.list_records(app_data, Payer)) == 1
    assert [row.patient for row in claim_list.list_claims(app_data)] == ["Roe, Jane", "Roe, Jane"]


def test_update_records_the_changed_fields_in_the_audit_log(app_data: AppData) -> None:
    claim_id = claims.create_claim(app_data, sample_claim())
    stored = claims.get_claim(app_data, claim_id)
    line = dataclasses.replace(stored.drug_lines[0], lot=d.Lot(number="NEWLOT"))
    claims.update_claim(app_data, dataclasses.replace(stored, drug_lines=(line,)))
    assert claims.get_claim(app_data, claim_id).drug_lines[0].lot.number == "NEWLOT"
    with app_data.db.read() as session:
        last = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    assert last is not None and last.action == "update" and last.claim_id == claim_id
    changes = json.loads(last.changes)
    assert changes["drug_lines[0].lot_number"] == ["L2231A", "NEWLOT"]
    assert changes["drug_lines[0].lot_expiration"] == ["2027-06-30", None]


def test_json_round_trip_is_exact() -> None:
    claim = sample_claim()
    assert (
        claim_json.claim_from_json(json.loads(json.dumps(claim_json.claim_to_json(claim)))) == claim
    )


def test_committed_schema_matches_the_domain() -> None:
    committed = json.loads(claim_json.schema_path().read_text(encoding="utf-8"))
    assert committed == claim_json.claim_schema(), "regenerate resources/schema/claim.schema.json"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda c: c.pop("payer"), "payer"),
        (lambda c: c["drug_lines"][0]["dose"].update(amount="ten"), "drug_lines[0].dose.amount"),
        (lambda c: c.update(date_of_service="11/02/2026"), "date_of_service"),
        (lambda c: c.update(date_of_service="2026-02-30"), "date_of_service"),
        (lambda c: c["drug_lines"][0].update(kind="vitamin"), "drug_lines[0].kind"),
        (lambda c: c["patient"].update(nickname="J"), "patient"),
        (
            lambda c: c["drug_lines"][0]["dose"].update(administered_at="2026-11-02T09:30"),
            "drug_lines[0].dose.administered_at",
        ),
    ],
)
def test_invalid_claim_names_the_field(mutate: object, field: str) -> None:
    data = claim_json.claim_to_json(sample_claim())
    mutate(data)  # type: ignore[operator]
    with pytest.raises(InvalidInputError) as caught:
        claim_json.claim_from_json(data)
    assert f"Claim field {field}:" in caught.value.message


def test_missing_claim_is_not_found(app_data: AppData) -> None:
    with pytest.raises(NotFoundError):
        claims.get_claim(app_data, 42)


def test_import_of_bad_file_writes_nothing(app_data: AppData, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"patient": {"name": "x"},', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        claim_import.import_claim_file(app_data, bad)
    assert claim_list.list_claims(app_data) == []
    with app_data.db.read() as session:
        assert session.exec(select(AuditEntry)).all() == []


def test_retention_below_seven_years_is_refused(app_data: AppData) -> None:
    settings = records.get_settings(app_data)
    settings.retention_years = 5
    with pytest.raises(InvalidInputError, match="7 years"):
        records.save_settings(app_data, settings)


def test_work_queue_values_are_kept_on_save_and_check(app_data: AppData) -> None:
    """Medicare's filing limit is 12 months from the date of service (42 CFR 424.44)."""
    from datetime import date
    from decimal import Decimal

    from j3490_desk.models import Claim as ClaimRow
    from j3490_desk.services import checks

    claim_id = claims.create_claim(app_data, sample_claim())
    with app_data.db.read() as session:
        row = session.get(ClaimRow, claim_id)
    assert row is not None
    assert row.filing_deadline == date(2027, 11, 2)
    assert row.billed_total == Decimal("60100.00")
    assert row.readiness_checked_at is None  # never checked: the queue must not show it as ready
    findings = checks.claim_findings(app_data, claim_id, today=date(2026, 11, 5))
    with app_data.db.read() as session:
        row = session.get(ClaimRow, claim_id)
    assert row is not None and row.readiness_checked_at is not None
    assert row.readiness_blockers == sum(f.severity.value == "blocker" for f in findings)
    assert row.readiness_warnings == sum(f.severity.value == "warning" for f in findings)
