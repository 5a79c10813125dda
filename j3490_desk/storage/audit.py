"""The audit trail: append-only, each entry hashed with the one before it, the chain anchored.

Call `record` inside the same write transaction as the change it describes, so the log
and the data can never disagree. The chain makes a silently edited or deleted entry
visible to `verify_chain`; what it can and cannot prove:

- Each entry's hash covers the entry and the hash before it, so editing or removing an entry
  in the middle breaks the chain.
- Removing the newest entries, or rewriting the whole chain with recomputed hashes, leaves a
  chain that is consistent in itself. So after every commit that adds entries, the newest
  entry's id and hash (the *head*) are also written outside the database, to `audit-head.json`
  (`ANCHOR_FILE`), which a row edit does not reach, and every backup's manifest carries them.
  An entry made by a process killed between its commit and that write is simply not anchored
  yet: the head may lag behind the log, never run ahead of it.
- In an encrypted folder the hashes are HMACs keyed with a secret derived from the data key,
  and the head record is signed with it: without the passphrase nobody can forge an entry, a
  chain or a head record. A plain folder has no secret: anyone who can write its files can
  recompute the whole chain and the head record together, and the chain only shows edits
  made with a database tool alone.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypedDict

from sqlalchemy import event, insert, text
from sqlmodel import Session, col, select

from j3490_desk.models import AuditEntry
from j3490_desk.models.tables import utc_now
from j3490_desk.storage.audit_head import (
    ANCHOR_FILE,
    NOT_SIGNED,
    ChainHead,
    UnsignedHead,
    read_anchor,
    write_anchor,
)
from j3490_desk.storage.encryption import DataKey
from j3490_desk.storage.server_database import AUDIT_LOCK

Changes = Mapping[str, tuple[Any, Any]]

KEYED_PREFIX = "hmac:"  # entries hashed with the folder's key; older ones are plain SHA-256
# What Database.write() puts in each session's info, so a record knows its folder and key.
FOLDER_INFO = "data_folder"
KEY_INFO = "data_key"
_NEWEST_INFO = "audit_newest_entry"


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
        changes=_changes_text(changes),
        prev_hash=previous.entry_hash if previous else "",
    )
    entry.entry_hash = entry_hash(entry, session.info.get(KEY_INFO))
    session.add(entry)
    _remember_head(session, entry)
    return entry


class NewEntry(TypedDict):
    """One entry for `record_many`: what `record` takes."""

    user: str
    action: str
    entity: str
    entity_id: int | None
    claim_id: int | None
    changes: Changes | None


def record_many(session: Session, entries: Sequence[NewEntry]) -> None:
    """`record` for many entries in a row, in their order, as one executemany INSERT with no
    ORM object per entry (posting an 835 appends thousands, and building and flushing those
    objects cost more than the rest of the posting). The session is flushed first, so the
    entries it holds come before these in the chain."""
    if not entries:
        return
    session.flush()
    previous = _chain_head(session)
    prev_hash = previous.entry_hash if previous else ""
    key = session.info.get(KEY_INFO)
    rows: list[dict[str, Any]] = []
    for new in entries:
        row: dict[str, Any] = {**new, "at": utc_now(), "changes": _changes_text(new["changes"])}
        row["prev_hash"] = prev_hash
        row["entry_hash"] = prev_hash = _hash([row[name] for name in _HASHED], key)
        rows.append(row)
    session.connection().execute(insert(AuditEntry), rows)
    # The chain goes on from the newest entry, loaded back for its id (given by the database).
    newest = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(1)).one()
    assert newest.entry_hash == prev_hash  # no one else appends inside our write transaction
    _remember_head(session, newest)


def _changes_text(changes: Changes | None) -> str:
    return json.dumps(
        {name: [_plain(old), _plain(new)] for name, (old, new) in (changes or {}).items()},
        sort_keys=True,
    )


def _remember_head(session: Session, entry: AuditEntry) -> None:
    """`entry` is the newest of the chain: the next one follows it, and it is the head
    record's once the transaction commits."""
    _anchor_after_commit(session, entry)
    if _HEAD not in session.info:  # the first entry of this transaction: forget it at its end
        event.listen(session, "after_transaction_end", _forget_chain_head, once=True)
    session.info[_HEAD] = entry


# The entry this session appended last. Within one write transaction no one else appends
# (SQLite's write lock), so the next entry follows it without asking the database, which
# would first flush everything pending: posting an 835 appends thousands in a row. Once the
# transaction ends, another process may append, so the next transaction asks again.
_HEAD = "audit_chain_head"


def _chain_head(session: Session) -> AuditEntry | None:
    head = session.info.get(_HEAD)
    if isinstance(head, AuditEntry) and head in session:  # a rollback expunges it
        return head
    if session.get_bind().dialect.name == "postgresql":
        # Seats append at once there: each waits for the last one's commit before it reads
        # the head, so the chain stays one chain. Released when this transaction ends.
        # The change itself is written (its rows locked) first: every transaction takes the
        # rows, then the chain, so none holds the chain while it waits for another's row.
        session.flush()
        session.execute(text(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})"))
    return session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(1)).first()


def _forget_chain_head(session: Session, _transaction: object) -> None:
    session.info.pop(_HEAD, None)


# What an entry's hash covers, in this order (not its id, which the database gives).
_HASHED = ("prev_hash", "at", "user", "action", "entity", "entity_id", "claim_id", "changes")


def entry_hash(entry: AuditEntry, key: DataKey | None = None) -> str:
    return _hash([getattr(entry, name) for name in _HASHED], key)


def _hash(values: list[Any], key: DataKey | None) -> str:
    body = json.dumps(values, default=datetime.isoformat).encode()  # `at` as its ISO text
    if key is None:
        return hashlib.sha256(body).hexdigest()
    return KEYED_PREFIX + hmac.new(key.audit_key, body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None  # None: the log as a whole (its head record)
    problem: str


def verify_chain(
    session: Session, *, folder: Path | None = None, key: DataKey | None = None
) -> list[ChainBreak]:
    """Every break in the chain; with the data `folder`, also the log against its head record
    (`key`: the folder's data key when it is encrypted)."""
    breaks: list[ChainBreak] = []
    anchor = read_anchor(folder, key) if folder is not None else None
    anchored_at = anchor.entry_id if isinstance(anchor, ChainHead) else 0
    previous_hash = anchored_hash = ""
    keyed_seen = False
    newest = 0
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
        assert entry.id is not None
        newest = entry.id
        keyed = entry.entry_hash.startswith(KEYED_PREFIX)
        if entry.prev_hash != previous_hash:
            breaks.append(ChainBreak(entry.id, "does not follow the entry before it"))
        if keyed and key is None:
            breaks.append(ChainBreak(entry.id, "is keyed, and this folder has no key to check it"))
        elif entry.entry_hash != entry_hash(entry, key if keyed else None):
            breaks.append(ChainBreak(entry.id, "was changed after it was written"))
        elif keyed_seen and not keyed and key is not None:
            breaks.append(
                ChainBreak(entry.id, "was written without this encrypted folder's key (forged)")
            )
        keyed_seen = keyed_seen or keyed
        if entry.id == anchored_at:
            anchored_hash = entry.entry_hash
        previous_hash = entry.entry_hash
    if folder is not None:
        breaks += _head_breaks(anchor, newest, anchored_hash, keyed_seen)
    return breaks


def head_notes(folder: Path | None) -> list[str]:
    """What the check could not cover, to say beside its result (`folder` None: a shared
    database, whose log no head record outside it follows)."""
    if folder is None:
        return [
            "the audit chain lives on the database server, one chain for every computer; no "
            "head record is kept outside it, so removing the newest entries would not show"
        ]
    if not (folder / ANCHOR_FILE).exists():
        return [
            "no head record yet (it is written with the next change): removing the newest "
            "entries would not show"
        ]
    return []


def _head_breaks(
    anchor: ChainHead | str | None, newest: int, anchored_hash: str, keyed: bool
) -> list[ChainBreak]:
    if anchor is None:
        # An encrypted folder writes its head record with its first keyed entry.
        return [ChainBreak(None, "has lost its head record")] if keyed else []
    if isinstance(anchor, UnsignedHead) and keyed:  # a keyed log always signs its head
        anchor = NOT_SIGNED
    if isinstance(anchor, str):
        return [ChainBreak(None, f"has a head record that {anchor}")]
    if newest < anchor.entry_id:
        return [
            ChainBreak(
                None,
                f"ends at entry {newest}, but its head record says {anchor.entry_id}: "
                "the newest entries were removed",
            )
        ]
    if anchor.entry_id and anchored_hash != anchor.head:
        return [
            ChainBreak(
                None,
                f"does not match its head record at entry {anchor.entry_id}: it was rewritten",
            )
        ]
    return []


def _anchor_after_commit(session: Session, entry: AuditEntry) -> None:
    """Once the transaction commits, write the new head outside the database."""
    folder = session.info.get(FOLDER_INFO)
    if folder is None:  # a session of our own tests or tools, not of a data folder
        return
    if _NEWEST_INFO not in session.info:  # the first entry of this transaction

        def write(_session: Session) -> None:
            newest: AuditEntry = session.info.pop(_NEWEST_INFO)
            assert newest.id is not None  # flushed by the commit
            write_anchor(
                folder, session.info.get(KEY_INFO), ChainHead(newest.id, newest.entry_hash)
            )

        event.listen(session, "after_commit", write, once=True)
    session.info[_NEWEST_INFO] = entry


def _plain(value: Any) -> Any:
    """JSON has no dates or decimals: keep their text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


def rehash_without_key(session: Session) -> int:
    """Re-hash a keyed chain with plain SHA-256, for data leaving its encrypted folder for the
    shared server, which has no folder key to check HMACs with. The caller has verified the
    chain with the folder's key first, so only hashes already proven are replaced; every
    entry's content stays as it was. Returns how many entries were re-hashed."""
    previous = ""
    entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
    for entry in entries:
        entry.prev_hash = previous
        entry.entry_hash = entry_hash(entry)
        previous = entry.entry_hash
    session.flush()
    return len(entries)
