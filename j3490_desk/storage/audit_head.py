"""The audit log's head record: its newest entry's id and hash, kept outside the database.

A row edit does not reach this file, so a log whose newest entries were removed, or that was
rewritten with recomputed hashes, no longer matches it (see `storage.audit`). In an encrypted
folder it is signed with a key derived from the data key. Plain SQL only: a backup and the
start-up path read it without loading the ORM.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from j3490_desk.storage.encryption import DataKey, write_atomically
from j3490_desk.storage.plain_sql import PlainSQL

ANCHOR_FILE = "audit-head.json"
ANCHOR_FORMAT = "j3490-desk-audit-head"


@dataclass(frozen=True)
class ChainHead:
    """The newest entry's id (0: none yet) and hash."""

    entry_id: int
    head: str


@dataclass(frozen=True)
class UnsignedHead(ChainHead):
    """A head record without a signature, read in a folder that has a key."""


NOT_SIGNED = "is not signed with this folder's key (written or changed by someone without it)"


def chain_head(connection: PlainSQL) -> ChainHead:
    """The head of the log in a DB-API connection (sqlite3, SQLCipher or the server's)."""
    row = connection.execute(
        "SELECT id, entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return ChainHead(0, "") if row is None else ChainHead(int(row[0]), str(row[1]))


def hash_of(connection: PlainSQL, entry_id: int) -> str | None:
    """The hash of one entry, None when there is no such entry."""
    row = connection.execute(
        "SELECT entry_hash FROM audit_entry WHERE id = ?", (entry_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def write_anchor(folder: Path, key: DataKey | None, head: ChainHead) -> None:
    """Write the head record (signed when the folder has a key)."""
    anchor = {"format": ANCHOR_FORMAT, "entry": head.entry_id, "head": head.head}
    if key is not None:
        anchor["signature"] = _sign(key, head)
    write_atomically(folder / ANCHOR_FILE, json.dumps(anchor, indent=2).encode())


def read_anchor(folder: Path, key: DataKey | None) -> ChainHead | str | None:
    """The head record; a string saying what is wrong with it; None when there is none.
    With a `key`, a record without a signature comes back as UNSIGNED: written before the
    folder was encrypted, it is only wrong once the log holds keyed entries."""
    try:
        raw = json.loads((folder / ANCHOR_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        return f"cannot be read ({error})"
    if (
        not isinstance(raw, dict)
        or raw.get("format") != ANCHOR_FORMAT
        or not isinstance(raw.get("entry"), int)
        or not isinstance(raw.get("head"), str)
    ):
        return "is not a head record"
    head = ChainHead(raw["entry"], raw["head"])
    if key is None:
        return head
    if "signature" not in raw:
        return UnsignedHead(head.entry_id, head.head)
    if not hmac.compare_digest(str(raw["signature"]), _sign(key, head)):
        return NOT_SIGNED
    return head


def _sign(key: DataKey, head: ChainHead) -> str:
    message = f"{ANCHOR_FORMAT}:{head.entry_id}:{head.head}".encode()
    return hmac.new(key.audit_key, message, hashlib.sha256).hexdigest()
