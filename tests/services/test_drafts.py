"""The wizard's use cases without Qt: drafts, resume step, field messages, review (the checklist:
test_checklist.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from j3490_desk.domain import claim as domain
from j3490_desk.domain.findings import Severity
from j3490_desk.errors import InvalidInputError
from j3490_desk.models import AuditEntry
from j3490_desk.services import claim_status, claims, drafts
from j3490_desk.services.app_data import AppData
from tests.domain import scenarios


def test_a_new_draft_has_one_empty_drug_line_and_resumes_at_the_header(
    app_data: AppData,
) -> None:
    claim_id = drafts.start_draft(app_data, today=date(2026, 4, 20))
    claim = claims.get_claim(app_data, claim_id)
    assert claim.status is domain.ClaimStatus.DRAFT and claim.date_of_service == date(2026, 4, 20)
    assert len(claim.drug_lines) == 1 and claim.drug_lines[0].id is not None
    assert drafts.resume_step(app_data, claim_id) == ""
    assert drafts.step_keys(claim)[0] == drafts.HEADER
    assert drafts.step_keys(claim)[-3:] == [drafts.NECESSITY, drafts.PROVIDER, drafts.REVIEW]


def test_saving_a_draft_with_blockers_keeps_everything_and_the_step(app_data: AppData) -> None:
    claim_id = drafts.start_draft(app_data, today=date(2026, 4, 20))
    claim = claims.get_claim(app_data, claim_id)
    bad = replace(claim, drug_lines=(*claim.drug_lines, domain.DrugLine(ndc="ABC-DEF")))
    stored = drafts.save_draft(app_data, bad, drafts.line_step(1, "1")).claim
    assert stored.drug_lines[1].ndc == "ABC-DEF" and stored.drug_lines[1].id is not None
    assert drafts.resume_step(app_data, claim_id) == "line1.item1"


def test_mark_ready_refuses_blockers_and_audits_the_status(app_data: AppData) -> None:
    blocked = scenarios.off_label_rituximab()  # J3490 on a biologic: a blocker
    claim_id = claims.create_claim(app_data, blocked.claim)
    with pytest.raises(InvalidInputError, match="blocker"):
        claim_status.mark_ready(app_data, claim_id, today=blocked.today)
    assert claims.get_claim(app_data, claim_id).status is domain.ClaimStatus.DRAFT
    clean = scenarios.new_immunotherapy()
    clean_id = claims.create_claim(app_data, clean.claim)
    claim_status.mark_ready(app_data, clean_id, today=clean.today)
    assert claims.get_claim(app_data, clean_id).status is domain.ClaimStatus.READY
    with app_data.db.read() as session:
        query = select(AuditEntry).where(
            AuditEntry.claim_id == clean_id, AuditEntry.action == "status"
        )
        entries = session.exec(query).all()
    assert len(entries) == 1


def test_field_messages_come_from_the_rules() -> None:
    scenario = scenarios.rare_biologic()
    line = scenario.claim.drug_lines[0]
    bad_line = replace(
        line,
        ndc="72171-5O5-01",
        lot=replace(line.lot, expiration=date(2019, 1, 31)),
        dose=replace(line.dose, amount=Decimal("-5")),
        invoice=replace(line.invoice, ndc="7217"),
    )
    claim = replace(
        scenario.claim,
        drug_lines=(bad_line,),
        provider=replace(scenario.claim.provider, npi="1234567890"),
    )
    from j3490_desk.domain.check import check_claim

    fields = drafts.field_problems(claim, check_claim(claim, today=scenario.today))
    assert fields[(0, "ndc")].startswith("✖ Blocker")
    assert "expired" in fields[(0, "lot.expiration")]
    assert "more than zero" in fields[(0, "dose.amount")]
    assert fields[(0, "invoice.ndc")].startswith("⚠")
    assert "digit" in fields[(None, "provider.npi")]


def test_typed_text_and_amounts() -> None:
    assert drafts.parse_amount("1,000.50").value == Decimal("1000.50")
    assert drafts.parse_amount("").value is None
    assert "not a number" in (drafts.parse_amount("1.2.3").problem or "")
    kept, message = drafts.clean_text("x" * 2000)
    assert len(kept) == drafts.TEXT_LIMIT and "2000 characters" in (message or "")
    kept, message = drafts.clean_text("Ann 😀")
    assert kept == "Ann 😀" and "emoji" in (message or "")
    assert drafts.diagnosis_lines("G70.00, ZZZ")[0].startswith("G70.00: Myasthenia gravis")
    assert drafts.with_waste_modifier(("JZ", "KX"), "JW") == ("KX", "JW")


def test_review_groups_findings_and_prices(app_data: AppData) -> None:
    scenario = scenarios.compound_trimix()
    review = drafts.review(app_data, scenario.claim, today=scenario.today)
    assert all(f.severity is Severity.BLOCKER for f in review.blockers)
    assert review.can_mark_ready == (not review.blockers)
    assert len(review.prices) == 3 and review.expected_total is not None
    assert sum(1 for line in review.paper_lines if line.is_waste_line) == 3
    assert review.deadline.deadline == date(2026, 11, 4)


def test_saving_and_reviewing_a_draft_keep_its_check_for_the_work_queue(
    app_data: AppData,
) -> None:
    from j3490_desk.services import claim_list

    def readiness(claim_id: int) -> str:
        [row] = [r for r in claim_list.list_claims(app_data) if r.id == claim_id]
        return row.readiness

    scenario = scenarios.new_immunotherapy()
    claim_id = claims.create_claim(app_data, scenario.claim)
    assert readiness(claim_id) == "not checked"
    drafts.review(app_data, claims.get_claim(app_data, claim_id), today=scenario.today)
    assert "blocker" not in readiness(claim_id) and readiness(claim_id) != "not checked"
    stored = claims.get_claim(app_data, claim_id)
    no_ndc = replace(stored, drug_lines=(replace(stored.drug_lines[0], ndc=""),))
    drafts.save_draft(app_data, no_ndc, drafts.HEADER, today=scenario.today)
    assert readiness(claim_id).startswith("1 blocker")  # NDC_MISSING, from the saved version
