"""Between the domain claim and its rows: one table of column <-> field paths, used both ways."""

from __future__ import annotations

import dataclasses
import enum
import functools
import typing
from typing import Any

from j3490_desk.domain import claim as domain
from j3490_desk.models import tables

# DrugLine column -> path of attributes in domain.DrugLine
LINE_COLUMNS: dict[str, tuple[str, ...]] = {
    "brand_name": ("brand_name",),
    "generic_name": ("generic_name",),
    "ndc": ("ndc",),
    "strength": ("strength",),
    "kind": ("kind",),
    "hcpcs_code": ("hcpcs_code",),
    "billed_units": ("billed_units",),
    "charge": ("charge",),
    "acquisition": ("acquisition",),
    "package_amount": ("package", "amount"),
    "package_unit": ("package", "unit"),
    "package_volume_ml": ("package", "volume_ml"),
    "container": ("package", "container"),
    "ndc_unit_qualifier": ("package", "ndc_unit_qualifier"),
    "invoice_date": ("invoice", "date"),
    "invoice_supplier": ("invoice", "supplier"),
    "invoice_number": ("invoice", "number"),
    "invoice_drug": ("invoice", "drug"),
    "invoice_ndc": ("invoice", "ndc"),
    "invoice_quantity": ("invoice", "quantity"),
    "invoice_price_paid": ("invoice", "price_paid"),
    "invoice_attached": ("invoice", "attached"),
    "invoice_on_file": ("invoice", "on_file"),
    "wac_per_package": ("wac", "per_package"),
    "wac_source": ("wac", "source"),
    "dose_amount": ("dose", "amount"),
    "dose_unit": ("dose", "unit"),
    "route": ("dose", "route"),
    "administered_at": ("dose", "administered_at"),
    "prescriber": ("prescription", "prescriber"),
    "prescription_date": ("prescription", "date"),
    "prescription_attached": ("prescription", "attached"),
    "prescription_on_file": ("prescription", "on_file"),
    "fda_status": ("fda", "status"),
    "off_label": ("fda", "off_label"),
    "off_label_rationale": ("fda", "off_label_rationale"),
    "compendium_reference": ("fda", "compendium_reference"),
    "lot_number": ("lot", "number"),
    "lot_expiration": ("lot", "expiration"),
    "waste_amount": ("waste", "amount"),
    "waste_reason": ("waste", "reason"),
    "admin_start": ("administration", "start"),
    "admin_end": ("administration", "end"),
    "admin_cpt_code": ("administration", "cpt_code"),
}

CLAIM_COLUMNS: dict[str, tuple[str, ...]] = {
    "date_of_service": ("date_of_service",),
    "place_of_service": ("place_of_service",),
    "status": ("status",),
    "submitted_on": ("submitted_on",),
    "prior_auth_status": ("prior_auth", "status"),
    "prior_auth_number": ("prior_auth", "number"),
    "prior_auth_valid_from": ("prior_auth", "valid_from"),
    "prior_auth_valid_to": ("prior_auth", "valid_to"),
    "prior_treatments": ("medical_necessity", "prior_treatments"),
    "why_standard_failed": ("medical_necessity", "why_standard_failed"),
    "necessity_rationale": ("medical_necessity", "rationale"),
    "patient_address": ("patient_details", "address"),
    "patient_city": ("patient_details", "city"),
    "patient_state": ("patient_details", "state"),
    "patient_zip": ("patient_details", "zip"),
    "patient_sex": ("patient_details", "sex"),
    "relationship": ("patient_details", "relationship"),
    "subscriber_name": ("patient_details", "subscriber_name"),
    "frequency": ("frequency",),
    "original_claim_number": ("original_claim_number",),
    "documents_sent": ("documents_sent",),
}

PATIENT_COLUMNS = ("name", "date_of_birth", "member_id")
PROVIDER_COLUMNS = ("name", "credentials", "npi")
PAYER_COLUMNS = tuple(f.name for f in dataclasses.fields(domain.Payer))


def line_row_values(line: domain.DrugLine) -> dict[str, Any]:
    values = {column: _column_value(_get(line, path)) for column, path in LINE_COLUMNS.items()}
    values["modifiers"] = " ".join(line.modifiers)
    return values


def claim_row_values(claim: domain.Claim) -> dict[str, Any]:
    values = {column: _column_value(_get(claim, path)) for column, path in CLAIM_COLUMNS.items()}
    values["icd10_codes"] = " ".join(claim.medical_necessity.icd10_codes)
    return values


def record_values(record: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    return {column: _column_value(getattr(record, column)) for column in columns}


def record_to_domain(row: Any, kind: Any) -> Any:
    """A saved patient, payer or provider row as its domain class (`kind`)."""
    columns = {
        domain.Patient: PATIENT_COLUMNS,
        domain.Payer: PAYER_COLUMNS,
        domain.Provider: PROVIDER_COLUMNS,
    }[kind]
    return kind(**_record(row, columns, kind))


def to_domain_claim(
    row: tables.Claim,
    lines: list[tables.DrugLine],
    patient: tables.Patient | None,
    payer: tables.Payer | None,
    provider: tables.Provider | None,
) -> domain.Claim:
    values = _nest(row, CLAIM_COLUMNS, domain.Claim)
    necessity = dataclasses.replace(
        values.pop("medical_necessity"), icd10_codes=tuple(row.icd10_codes.split())
    )
    return domain.Claim(
        id=row.id,
        patient=domain.Patient(**_record(patient, PATIENT_COLUMNS, domain.Patient, name="")),
        payer=domain.Payer(**_record(payer, PAYER_COLUMNS, domain.Payer, name="")),
        provider=domain.Provider(**_record(provider, PROVIDER_COLUMNS, domain.Provider, name="")),
        medical_necessity=necessity,
        drug_lines=tuple(to_domain_line(line) for line in lines),
        **values,
    )


def to_domain_line(row: tables.DrugLine) -> domain.DrugLine:
    values = _nest(row, LINE_COLUMNS, domain.DrugLine)
    return domain.DrugLine(id=row.id, modifiers=tuple(row.modifiers.split()), **values)


def _nest(row: Any, columns: dict[str, tuple[str, ...]], kind: Any) -> dict[str, Any]:
    """Rebuild nested dataclass arguments from flat columns, converting enums by type hint."""
    flat: dict[str, dict[str, Any]] = {}
    top: dict[str, Any] = {}
    for column, path in columns.items():
        value = getattr(row, column)
        if len(path) == 1:
            top[path[0]] = value
        else:
            flat.setdefault(path[0], {})[path[1]] = value
    hints = _hints(kind)
    for name, value in top.items():
        top[name] = _typed(hints[name], value)
    for name, parts in flat.items():
        part_kind = hints[name]
        part_hints = _hints(part_kind)
        top[name] = part_kind(**{k: _typed(part_hints[k], v) for k, v in parts.items()})
    return top


def _record(row: Any, columns: tuple[str, ...], kind: Any, **empty: Any) -> dict[str, Any]:
    if row is None:
        return empty
    hints = _hints(kind)
    return {column: _typed(hints[column], getattr(row, column)) for column in columns}


@functools.cache  # the domain classes do not change; evaluating their hints is most of a load
def _hints(kind: Any) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _typed(hint: Any, value: Any) -> Any:
    if isinstance(hint, type) and issubclass(hint, enum.Enum) and value is not None:
        return hint(value)
    return value


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        obj = getattr(obj, name)
    return obj


def _column_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value
