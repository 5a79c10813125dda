"""SQLModel tables of the claims database."""

from j3490_desk.models.packet_export import PacketExport
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
    "PacketExport",
    "Patient",
    "Payer",
    "Provider",
]
