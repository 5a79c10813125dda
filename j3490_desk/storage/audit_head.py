"""The audit log's head record: its entry count and newest hash, kept outside the database.

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
from typing import Any

from j3490_desk.storage.encryption import DataKey, write_atomically

ANCHOR_FILE = "audit-head.json"
ANCHOR_FORMAT = "j3490-desk-audit-head"


@dataclass(frozen=True)
class ChainHead:
    """How many entries the log holds, and the newest one's hash."""

    count: int
    head: str


def chain_head(connection: Any) -> ChainHead:
    """The head of the log in a DB-API connection (sqlite3 or SQLCipher)."""
    count, head = connection.execute(
        "SELECT count(*), (SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1) "
        "FROM audit_entry"
    ).fetchone()
    return ChainHead(int(count), str(head or ""))


def hash_at(connection: Any, position: int) -> str | None:
    """The hash of the `position`-th entry (1-based), None when the log is shorter."""
    row = connection.execute(
        "SELECT entry_hash FROM audit_entry ORDER BY id LIMIT 1 OFFSET ?", (position - 1,)
    ).fetchone()
    return None if row is None else str(row[0])


def write_anchor(folder: Path, key: DataKey | None, head: ChainHead) -> None:
    """Write the head record (signed when the folder has a key)."""
    anchor = {"format": ANCHOR_FORMAT, "count": head.count, "head": head.head}
    if key is not None:
        anchor["signature"] = _sign(key, head)
    write_atomically(folder / ANCHOR_FILE, json.dumps(anchor, indent=2).encode())


def read_anchor(folder: Path, key: DataKey | None) -> ChainHead | str | None:
    """The head record; a string saying what is wrong with it; None when there is none."""
    try:
        raw = json.loads((folder / ANCHOR_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        return f"cannot be read ({error})"
    if (
        not isinstance(raw, dict)
        or raw.get("format") != ANCHOR_FORMAT
        or not isinstance(raw.get("count"), int)
        or not isinstance(raw.get("head"), str)
    ):
        return "is not a head record"
    head = ChainHead(raw["count"], raw["head"])
    if key is not None and not hmac.compare_digest(str(raw.get("signature", "")), _sign(key, head)):
        return "is not signed with this folder's key (written or changed by someone without it)"
    return head


def _sign(key: DataKey, head: ChainHead) -> str:
    message = f"{ANCHOR_FORMAT}:{head.count}:{head.head}".encode()
    return hmac.new(key.audit_key, message, hashlib.sha256).hexdigest()
