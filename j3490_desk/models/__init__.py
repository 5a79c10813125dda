"""SQLModel tables of the claims database."""

from j3490_desk.models.tables import (
    Attachment,
    AuditEntry,
    Claim,
    ClinicSettings,
    DrugLine,
    Patient,
    Payer,
    Provider,
)

__all__ = [
    "Attachment",
    "AuditEntry",
    "Claim",
    "ClinicSettings",
    "DrugLine",
    "Patient",
    "Payer",
    "Provider",
]
