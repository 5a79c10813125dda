"""The wizard's checklist without Qt: each row's state from the review's findings and from what
was entered; nothing blank or blocked shows as complete, and no row repeats another."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from j3490_desk.domain import claim as domain
from j3490_desk.domain.findings import Severity
from j3490_desk.services import attachments, claims, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import AttachmentKind
from j3490_desk.services.drafts import RowState
from tests.attachments import files
from tests.domain import scenarios

TEN_ITEMS = tuple(f"{n}. " for n in range(1, 11))


def _rows(app_data: AppData, claim: domain.Claim, today: date) -> dict[str, drafts.ChecklistEntry]:
    return {e.name: e for e in drafts.assess(app_data, claim, today=today).checklist}


def _blank_draft() -> domain.Claim:
    """What "New claim" stores: no patient, payer or provider, one empty drug line."""
    return domain.Claim(
        patient=domain.Patient(name=""),
        payer=domain.Payer(name=""),
        provider=domain.Provider(name=""),
        date_of_service=date(2026, 4, 20),
        drug_lines=(domain.DrugLine(),),
    )


def test_a_blank_claim_has_no_complete_row(app_data: AppData) -> None:
    rows = _rows(app_data, _blank_draft(), date(2026, 4, 20))
    assert [name for name in rows if name.startswith(TEN_ITEMS)] == [
        "1. Drug name and NDC",
        "2. Purchase invoice",
        "3. Dose, route, date",
        "4. Medical necessity",
        "5. Prescription",
        "6. FDA status",
        "7. Lot and expiry",
        "8. Waste and modifiers",
        "9. Administration times",
        "10. Provider and NPI",
    ]
    assert {e.state for e in rows.values()} <= {RowState.BLOCKER, RowState.NOT_STARTED}
    for name in ("6. FDA status", "8. Waste and modifiers", "9. Administration times"):
        assert rows[name].state is RowState.NOT_STARTED, name
    assert "unknown" in rows["6. FDA status"].detail
    assert rows["1. Drug name and NDC"].state is RowState.BLOCKER  # NDC_MISSING
    assert rows["1. Drug name and NDC"].step == drafts.line_step(0, "1")
    assert rows["Prior authorization"].detail == "Choose the payer first."


def test_fda_status_unknown_is_not_complete_on_a_finished_claim(app_data: AppData) -> None:
    scenario = scenarios.new_immunotherapy()
    line = scenario.claim.drug_lines[0]
    unknown = replace(line, fda=replace(line.fda, status=domain.FdaStatus.UNKNOWN))
    claim = replace(scenario.claim, drug_lines=(unknown,))
    rows = _rows(app_data, claim, scenario.today)
    assert rows["6. FDA status"].state is RowState.NOT_STARTED
    assert rows["6. FDA status"].step == drafts.line_step(0, "6")
    fixed = _rows(app_data, scenario.claim, scenario.today)
    assert fixed["6. FDA status"].state is RowState.COMPLETE


def test_every_row_agrees_with_the_review_page(app_data: AppData) -> None:
    """One source: each blocker and warning the review lists is on exactly one row, and that
    row is no better than the finding."""
    for scenario in (
        scenarios.compound_trimix(),
        scenarios.off_label_rituximab(),
        scenarios.rare_biologic(),
        scenarios.new_immunotherapy(),
    ):
        review = drafts.review(app_data, scenario.claim, today=scenario.today)
        rows = list(_rows(app_data, scenario.claim, scenario.today).values())
        for finding in (*review.blockers, *review.warnings):
            holding = [row for row in rows if finding.message in row.notes]
            assert len(holding) == 1, (scenario.name, finding.code)
            worst = holding[0].state
            if finding.severity is Severity.BLOCKER:
                assert worst is RowState.BLOCKER, (scenario.name, finding.code)
            else:
                assert worst is not RowState.COMPLETE, (scenario.name, finding.code)
        blocked = sum(row.state is RowState.BLOCKER for row in rows)
        assert bool(blocked) == bool(review.blockers), scenario.name


def test_a_filing_deadline_blocker_is_its_own_row(app_data: AppData) -> None:
    scenario = scenarios.new_immunotherapy()
    late = date(2021, 1, 1)  # more than a year after the 2019 date of service
    rows = _rows(app_data, scenario.claim, late)
    deadline = rows["Filing deadline"]
    assert deadline.state is RowState.BLOCKER and deadline.step == drafts.HEADER
    assert "deadline" in deadline.detail.lower()
    on_time = _rows(app_data, scenario.claim, scenario.today)
    assert on_time["Filing deadline"].state is not RowState.BLOCKER


def test_a_warning_shows_as_a_warning_and_its_fix_clears_it(app_data: AppData) -> None:
    scenario = scenarios.new_immunotherapy()
    line = scenario.claim.drug_lines[0]
    no_expiry = replace(line, lot=replace(line.lot, expiration=None))
    claim = replace(scenario.claim, drug_lines=(no_expiry,))
    lot = _rows(app_data, claim, scenario.today)["7. Lot and expiry"]
    assert lot.state is RowState.WARNING and lot.step == drafts.line_step(0, "7")
    assert any("expiration" in note for note in lot.notes)
    fixed = _rows(app_data, scenario.claim, scenario.today)["7. Lot and expiry"]
    assert not any("expiration" in note for note in fixed.notes)
    assert fixed.warnings == lot.warnings - 1  # what is left: no label photo stored


def test_rows_do_not_repeat_and_a_second_blank_drug_is_not_started(app_data: AppData) -> None:
    scenario = scenarios.new_immunotherapy()
    claim = replace(scenario.claim, drug_lines=(*scenario.claim.drug_lines, domain.DrugLine()))
    entries = drafts.assess(app_data, claim, today=scenario.today).checklist
    names = [e.name for e in entries]
    assert len(names) == len(set(names)) == 12
    rows = {e.name: e for e in entries}
    admin = rows["9. Administration times"]
    assert admin.state is RowState.NOT_STARTED and admin.detail.startswith("Drug 2:")
    assert admin.step == drafts.line_step(1, "9")


def test_a_row_not_started_still_counts_its_warnings(app_data: AppData) -> None:
    scenario = scenarios.new_immunotherapy()
    line = scenario.claim.drug_lines[0]
    fda = domain.FdaApproval(off_label=True, off_label_rationale="NCCN 2A")  # status unknown
    claim = replace(scenario.claim, drug_lines=(replace(line, fda=fda),))
    row = _rows(app_data, claim, scenario.today)["6. FDA status"]
    assert row.state is RowState.NOT_STARTED and row.warnings == 1  # OFF_LABEL_NO_COMPENDIUM
    assert any("compendium" in note.lower() for note in row.notes)


def test_a_stored_invoice_alone_starts_the_invoice_row(app_data: AppData, tmp_path: Path) -> None:
    """A file is what the item needs: with the invoice stored and nothing typed, the row is
    no longer "not started", and INVOICE_MISSING is gone from it."""
    claim_id = drafts.start_draft(app_data, today=date(2026, 4, 20))
    row = _rows(app_data, claims.get_claim(app_data, claim_id), date(2026, 4, 20))
    assert row["2. Purchase invoice"].state is RowState.BLOCKER  # INVOICE_MISSING
    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=claims.get_claim(app_data, claim_id).drug_lines[0].id,
        kind=AttachmentKind.INVOICE,
        source=files.invoice_pdf(tmp_path / "invoice.pdf", ndc="72171-0505-01", price="7.00"),
        original_name="invoice.pdf",
    )
    after = _rows(app_data, claims.get_claim(app_data, claim_id), date(2026, 4, 20))
    invoice = after["2. Purchase invoice"]
    assert invoice.state is not RowState.NOT_STARTED
    assert not any("invoice" in note.lower() and "stored" in note.lower() for note in invoice.notes)


def test_dose_and_administration_rows_are_not_complete_without_their_times(
    app_data: AppData,
) -> None:
    """The tester's case: an injection's code typed, but neither the time given nor a start
    or end time. Rows 3 and 9 are "not started" and name what is missing; the times typed
    back make them complete."""
    scenario = scenarios.compound_trimix()
    lines = tuple(
        replace(line, dose=replace(line.dose, administered_at=None))
        for line in scenario.claim.drug_lines
    )
    claim = replace(scenario.claim, drug_lines=lines)
    rows = _rows(app_data, claim, scenario.today)
    dose, times = rows["3. Dose, route, date"], rows["9. Administration times"]
    assert dose.state is RowState.NOT_STARTED
    assert "date and time given" in dose.detail
    assert times.state is RowState.NOT_STARTED
    assert "start and end times" in times.detail
    fixed = _rows(app_data, scenario.claim, scenario.today)
    assert fixed["3. Dose, route, date"].state is RowState.COMPLETE
    assert fixed["9. Administration times"].state is RowState.COMPLETE


def test_the_provider_row_needs_the_name_as_well_as_the_npi(app_data: AppData) -> None:
    scenario = scenarios.new_immunotherapy()
    nameless = replace(scenario.claim, provider=replace(scenario.claim.provider, name=""))
    row = _rows(app_data, nameless, scenario.today)["10. Provider and NPI"]
    assert row.state is RowState.NOT_STARTED and "name" in row.detail
    fixed = _rows(app_data, scenario.claim, scenario.today)["10. Provider and NPI"]
    assert fixed.state is not RowState.NOT_STARTED
