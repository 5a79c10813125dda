"""SQLModel tables of the claims database."""

from j3490_desk.models.packet_export import PacketExport
from j3490_desk.models.remittance import (
    RemittanceAdjustment,
    RemittanceFile,
    RemittanceLine,
    RemittancePosting,
)
from j3490_desk.models.shared import AttachmentChunk, AttachmentContent, ClaimHold
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
from j3490_desk.models.users import AppUser
from j3490_desk.models.work_queue import AdjustmentCode, ClaimEvent

__all__ = [
    "AdjustmentCode",
    "AppUser",
    "Attachment",
    "AttachmentChunk",
    "AttachmentContent",
    "AuditEntry",
    "Claim",
    "ClaimEvent",
    "ClaimHold",
    "ClinicSettings",
    "DrugLine",
    "PacketExport",
    "Patient",
    "Payer",
    "Provider",
    "RemittanceAdjustment",
    "RemittanceFile",
    "RemittanceLine",
    "RemittancePosting",
]
