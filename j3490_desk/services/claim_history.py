"""A claim's history, as the wizard's History tab shows it: every audited change, newest first.

It reads the append-only audit log (`storage.audit`), so it shows what was recorded, by whom
and when, including changes to the claim's attachments, packets and status; the log's hash
chain is what `j3490-desk audit verify` checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from j3490_desk.domain import claim as domain
from j3490_desk.models import AuditEntry
from j3490_desk.services import claims
from j3490_desk.services.app_data import AppData

# How an (action, entity) pair reads to a biller; anything else is shown as it is stored.
_WHAT = {
    ("create", "claim"): "Claim created",
    ("update", "claim"): "Claim changed",
    ("status", "claim"): "Status changed",
    ("delete", "claim"): "Claim deleted",
    ("archive", "claim"): "Archived",
    ("create", "attachment"): "File attached",
    ("delete", "attachment"): "File removed",
    ("supersede", "attachment"): "File replaced by a newer one",
    ("export_packet", "packet_export"): "Packet exported",
    ("print_packet", "claim"): "Packet printed",
    ("export_837p", "claim"): "837P file written",
}
NOTHING = "(empty)"


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user: str
    what: str
    changes: tuple[Change, ...]


def claim_history(data: AppData, claim_id: int) -> list[HistoryEntry]:
    with data.db.read() as session:
        rows = session.exec(
            select(AuditEntry)
            .where(AuditEntry.claim_id == claim_id)
            .order_by(col(AuditEntry.id).desc())
        ).all()
    return [
        HistoryEntry(
            at=row.at,
            user=row.user or "unknown",
            what=_WHAT.get((row.action, row.entity), f"{row.action} {row.entity}".strip()),
            changes=tuple(
                Change(_label(name), _shown(old), _shown(new))
                for name, (old, new) in sorted(json.loads(row.changes or "{}").items())
            ),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Difference:
    """A field where the clerk's unsaved claim and the one stored now (another seat's) differ."""

    field: str
    mine: str
    theirs: str


def differences_from_stored(data: AppData, mine: domain.Claim) -> list[Difference]:
    """What Compare shows when a save was refused because another seat saved first."""
    assert mine.id is not None
    theirs = claims.get_claim(data, mine.id)
    return [
        Difference(_label(name), _text(new), _text(old))
        for name, (old, new) in sorted(claims.differences(theirs, mine).items())
    ]


def _text(value: object) -> str:
    if value is None or value == "":
        return NOTHING
    return str(value)


def _label(field: str) -> str:
    return field.replace("_", " ")


def _shown(value: object) -> str:
    if value is None or value == "":
        return NOTHING
    return value if isinstance(value, str) else json.dumps(value)
