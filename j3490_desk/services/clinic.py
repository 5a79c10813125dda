"""The clinic's details as keys a script can set (`j3490-desk clinic show | set`): the billing
provider and the submitter of the 837P. They live in the one clinic-settings row that Settings
> Clinic edits (records.get_settings / save_settings), never in a second store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from j3490_desk.domain.electronic_claim import Submitter
from j3490_desk.errors import InvalidInputError
from j3490_desk.models import ClinicSettings
from j3490_desk.services import records
from j3490_desk.services.app_data import AppData

Check = Callable[[str], str | None]

# key -> the ClinicSettings column that holds it (the NPI is the clinic's group NPI)
CLINIC_KEYS: Mapping[str, str] = {
    "name": "name",
    "npi": "group_npi",
    "tax_id": "tax_id",
    "taxonomy": "taxonomy",
    "address": "address",
    "city": "city",
    "state": "state",
    "zip": "zip",
    "phone": "phone",
    "submitter_id": "submitter_id",
    "submitter_contact": "submitter_contact",
    "receiver_id": "receiver_id",
    "receiver_name": "receiver_name",
    "usage": "usage",
}


# The same checks Settings > Clinic applies as the clerk types (records.SETTINGS_CHECKS).
CHECKS: Mapping[str, Check] = {
    key: records.SETTINGS_CHECKS[column]
    for key, column in CLINIC_KEYS.items()
    if column in records.SETTINGS_CHECKS
}


def clinic_details(data: AppData) -> dict[str, str]:
    return settings_values(records.get_settings(data))


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """KEY=VALUE words as typed on the command line; an unknown key or a word without '='
    is refused before anything is saved."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        key = key.strip()
        if not equals:
            raise InvalidInputError(
                f"'{pair}' is not KEY=VALUE.", "Write each setting as key=value, e.g. state=MN."
            )
        if key not in CLINIC_KEYS:
            raise InvalidInputError(
                f"'{key}' is not a clinic setting.", f"The keys are: {', '.join(CLINIC_KEYS)}."
            )
        values[key] = value.strip()
    return values


def refuse_problems(values: Mapping[str, str]) -> None:
    """InvalidInputError naming the first key whose value fails its check (the same checks
    for `clinic set` and Settings > Clinic)."""
    for key, value in values.items():
        problem = CHECKS[key](value) if key in CHECKS else None
        if problem:
            raise InvalidInputError(f"Not saved: {key}: {problem}", "Correct it and set it again.")


def settings_values(settings: ClinicSettings) -> dict[str, str]:
    """The clinic keys' values in a settings row (as Settings > Clinic is about to save it)."""
    return {key: str(getattr(settings, column)) for key, column in CLINIC_KEYS.items()}


def set_clinic_details(data: AppData, values: Mapping[str, str]) -> dict[str, str]:
    """Check every value, then save them all in one audited change (or none)."""
    refuse_problems(values)
    settings = records.get_settings(data)
    for key, value in values.items():
        # State and usage are codes: upper case is their only spelling.
        setattr(settings, CLINIC_KEYS[key], value.upper() if key in ("state", "usage") else value)
    records.save_settings(data, settings)
    return clinic_details(data)


def submitter(data: AppData) -> Submitter:
    """The clinic as the 837P's submitter and billing provider (the same keys)."""
    return Submitter(**clinic_details(data))
