"""The audit trail: append-only, each entry hashed with the one before it.

Call `record` inside the same write transaction as the change it describes, so the log
and the data can never disagree. The chain makes a silently edited or deleted entry
visible to `verify_chain`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from j3490_desk.models import AuditEntry
from j3490_desk.models.tables import utc_now

Changes = Mapping[str, tuple[Any, Any]]


def record(
    session: Session,
    *,
    user: str,
    action: str,
    entity: str,
    entity_id: int | None,
    claim_id: int | None = None,
    changes: Changes | None = None,
) -> AuditEntry:
    previous = _chain_head(session)
    entry = AuditEntry(
        at=utc_now(),  # given, not defaulted: pydantic inspects a default factory per instance
        user=user,
        action=action,
        entity=entity,
        entity_id=entity_id,
        claim_id=claim_id,
        changes=json.dumps(
            {name: [_plain(old), _plain(new)] for name, (old, new) in (changes or {}).items()},
            sort_keys=True,
        ),
        prev_hash=previous.entry_hash if previous else "",
    )
    entry.entry_hash = entry_hash(entry)
    session.add(entry)
    session.info[_HEAD] = entry
    return entry


# The entry this session appended last. Within one write transaction no one else appends
# (SQLite's write lock), so the next entry follows it without asking the database, which
# would first flush everything pending: posting an 835 appends thousands in a row.
_HEAD = "audit_chain_head"


def _chain_head(session: Session) -> AuditEntry | None:
    head = session.info.get(_HEAD)
    if isinstance(head, AuditEntry) and head in session:  # a rollback expunges it
        return head
    return session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(1)).first()


def entry_hash(entry: AuditEntry) -> str:
    body = json.dumps(
        [
            entry.prev_hash,
            entry.at.isoformat(),
            entry.user,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.claim_id,
            entry.changes,
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    problem: str


def verify_chain(session: Session) -> list[ChainBreak]:
    breaks: list[ChainBreak] = []
    previous_hash = ""
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
        assert entry.id is not None
        if entry.prev_hash != previous_hash:
            breaks.append(ChainBreak(entry.id, "does not follow the entry before it"))
        if entry.entry_hash != entry_hash(entry):
            breaks.append(ChainBreak(entry.id, "was changed after it was written"))
        previous_hash = entry.entry_hash
    return breaks


def _plain(value: Any) -> Any:
    """JSON has no dates or decimals: keep their text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)
