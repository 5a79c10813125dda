"""Saved records a clinic types once: patients, payers, providers, and its own settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select

from j3490_desk.domain import claim as domain
from j3490_desk.domain import identifiers, npi, submitter
from j3490_desk.domain.deadlines import filing_deadline
from j3490_desk.domain.electronic_claim import payer_id_problem
from j3490_desk.domain.findings import ClinicRules
from j3490_desk.errors import InvalidInputError, NotFoundError
from j3490_desk.models import Claim, ClinicSettings, Patient, Payer, Provider
from j3490_desk.services import claim_rows
from j3490_desk.services.app_data import AppData
from j3490_desk.services.concurrency import set_derived
from j3490_desk.storage import audit

Record = TypeVar("Record", Patient, Payer, Provider)
Check = Callable[[str], str | None]  # what is wrong with the typed text, or None


def list_records(data: AppData, kind: type[Record]) -> list[Record]:
    with data.db.read() as session:
        return list(session.exec(select(kind).order_by(col(kind.name))))


def save_record(data: AppData, record: Record) -> Record:
    """Create (no id) or update a patient, payer or provider; the change goes in the audit log."""
    if not record.name.strip():
        raise InvalidInputError(
            f"A {kind_name(record)} needs a name.", "Type the name and save again."
        )
    _refuse_problems(record, RECORD_CHECKS.get(type(record), {}))
    with data.db.write() as session:
        before = session.get(type(record), record.id) if record.id is not None else None
        changes = _changes(before, record)
        merged = session.merge(record)
        session.flush()
        if isinstance(merged, Payer):
            _refresh_filing_deadlines(session, merged)
        audit.record(
            session,
            user=data.user,
            action="update" if before else "create",
            entity=kind_name(record),
            entity_id=merged.id,
            changes=changes,
        )
    return merged


def queue_deadline(payer: domain.Payer, date_of_service: date) -> date | None:
    """The filing deadline the work queue sorts by: from the claim's saved payer, the one
    source of a claim's payer rules (the claim check reads the same record)."""
    if not payer.name:
        return None
    return filing_deadline(payer, date_of_service, date_of_service).deadline


def _refresh_filing_deadlines(session: Session, payer: Payer) -> None:
    """A payer's new filing limit moves the deadline of every claim that names it."""
    rules = claim_rows.record_to_domain(payer, domain.Payer)
    served = select(col(Claim.id), col(Claim.date_of_service)).where(Claim.payer_id == payer.id)
    for claim_id, date_of_service in session.exec(served).all():
        assert claim_id is not None
        set_derived(session, claim_id, filing_deadline=queue_deadline(rules, date_of_service))


def kind_name(record: SQLModel) -> str:
    return str(type(record).__tablename__)


def get_settings(data: AppData) -> ClinicSettings:
    with data.db.read() as session:
        return session.get(ClinicSettings, 1) or ClinicSettings(id=1)


def save_settings(data: AppData, settings: ClinicSettings) -> None:
    if settings.retention_years < ClinicRules().retention_years:
        raise InvalidInputError(
            "Records must be kept at least 7 years after the date of service (42 CFR 424.516(f)).",
            "Choose 7 years or more; 10 years covers Medicare Advantage.",
        )
    _refuse_problems(settings, SETTINGS_CHECKS)
    settings.id = 1
    with data.db.write() as session:
        before = session.get(ClinicSettings, 1)
        changes = _changes(before, settings)
        session.merge(settings)
        audit.record(
            session,
            user=data.user,
            action="update",
            entity="settings",
            entity_id=1,
            changes=changes,
        )


def clinic_rules(data: AppData) -> ClinicRules:
    settings = get_settings(data)
    return ClinicRules(
        submit_within_days=settings.submit_within_days,
        prior_auth_warning_days=settings.prior_auth_warning_days,
        filing_warning_days=settings.filing_warning_days,
        retention_years=settings.retention_years,
    )


def get_record(data: AppData, kind: type[Record], record_id: int) -> Record:
    with data.db.read() as session:
        record = session.get(kind, record_id)
    if record is None:
        raise NotFoundError(f"There is no {kind.__tablename__} with id {record_id}.")
    return record


def _changes(before: SQLModel | None, after: SQLModel) -> dict[str, tuple[Any, Any]]:
    new = after.model_dump(exclude={"id", "created_at"})
    old = before.model_dump(exclude={"id", "created_at"}) if before else {}
    return {name: (old.get(name), value) for name, value in new.items() if old.get(name) != value}


def npi_problem(text: str) -> str | None:
    """The live check of an NPI field; an empty field is not (yet) a problem."""
    return npi.npi_problem(text) if text.strip() else None


# The identifier fields, checked as they are typed and again before they are saved: a value
# that fails is never stored (it would print on every cover sheet).
SETTINGS_CHECKS: Mapping[str, Check] = {
    "group_npi": npi_problem,
    "tax_id": identifiers.tax_id_problem,
    "address": identifiers.address_problem,
    # the 837P's billing provider and submitter (`j3490-desk clinic set` uses the same checks)
    "phone": submitter.phone_problem,
    "taxonomy": submitter.taxonomy_problem,
    "state": identifiers.state_problem,
    "zip": identifiers.zip_problem,
    "submitter_id": submitter.x12_id_problem,
    "receiver_id": submitter.x12_id_problem,
    "usage": submitter.usage_problem,
}
RECORD_CHECKS: Mapping[type, Mapping[str, Check]] = {
    Payer: {"address": identifiers.address_problem, "payer_id": payer_id_problem},
    Provider: {"npi": npi_problem},
}


def field_problems(record: Any, checks: Mapping[str, Check]) -> dict[str, str]:
    """Each checked field's problem, by field name (empty: nothing wrong)."""
    problems = {name: check(str(getattr(record, name) or "")) for name, check in checks.items()}
    return {name: problem for name, problem in problems.items() if problem}


def _refuse_problems(record: Any, checks: Mapping[str, Check]) -> None:
    problems = field_problems(record, checks)
    if problems:
        name, problem = next(iter(problems.items()))
        raise InvalidInputError(
            f"Not saved: {name.replace('_', ' ')}: {problem}", "Correct the field and save again."
        )
