"""Backups changed the way an attacker or a failing disk would."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from j3490_desk.storage.backup import MANIFEST

Change = Callable[[str, bytes], bytes | None]  # a member's new content; None drops it


def rewritten(
    file: Path, out: Path, change: Change, *, recompute_manifest: bool = True, **extra: bytes
) -> Path:
    """A copy of the backup with `change` applied to each member (and `extra` members added);
    with `recompute_manifest`, the manifest's hashes are made to match again."""
    with zipfile.ZipFile(file) as source:
        members = {name: source.read(name) for name in source.namelist()}
    manifest = json.loads(members.pop(MANIFEST))
    changed = {}
    for name, content in {**members, **extra}.items():
        new = change(name, content)
        if new is not None:
            changed[name] = new
    if recompute_manifest:
        manifest["sha256"] = {n: hashlib.sha256(c).hexdigest() for n, c in changed.items()}
    with zipfile.ZipFile(out, "w") as target:
        for name, content in changed.items():
            target.writestr(name, content)
        target.writestr(MANIFEST, json.dumps(manifest))
    return out


def with_manifest(file: Path, out: Path, manifest: bytes) -> Path:
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, manifest if name == MANIFEST else source.read(name))
    return out


def unchanged(_name: str, content: bytes) -> bytes:
    return content
