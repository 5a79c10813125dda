"""Attachment content on disk: one file per distinct content, named by its SHA-256.

Layout: `<root>/<first two hex digits>/<sha256>`, so no folder grows past a few thousand
files. Content arrives through `staged()`: copied while it is hashed, so what the caller
validates is exactly what gets kept, and `keep()` moves it into place with fsync + os.replace
(a crash leaves either nothing or the whole file). Stored files are made read-only (0400):
they are evidence and are never edited.

In an encrypted folder each stored file is AES-GCM ciphertext (`storage.encryption`) while its
name stays the SHA-256 of the plain content, so de-duplication and verification work the same.
There the incoming content is staged in memory (it is at most the attachment size limit), so
no plain copy ever touches the disk, even when the process is killed. A plain folder stages it
in a `.incoming-*` file in the store; `remove_leftovers` deletes those a killed process left
(backups never copy a dot-file).
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import io
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from j3490_desk.errors import KnownError
from j3490_desk.storage.encryption import (
    FILE_MAGIC,
    ContentDamagedError,
    DataKey,
    decrypted_chunks,
    encrypt_stream,
    is_encrypted_file,
)
from j3490_desk.storage.filesystems import fsync_folder

if TYPE_CHECKING:
    from sqlmodel import Session

_CHUNK = 1024 * 1024
_READ_ONLY = stat.S_IRUSR
_INCOMING_PREFIX = ".incoming-"
# A staged file lives for the seconds its checks take; one this old was left by a killed process.
LEFTOVER_AGE_S = 15 * 60


class ContentTooLargeError(Exception):
    """The content grew past the limit while it was copied (the caller checked it before)."""


class ContentState(enum.StrEnum):
    OK = "ok"
    MISSING = "missing"
    CHANGED = "changed"


@dataclass
class StagedContent:
    """Content to be validated, not yet visible under its hash: a file inside the store (plain
    folder) or the bytes themselves (encrypted folder)."""

    sha256: str
    size_bytes: int
    path: Path | None = None
    content: bytes | None = None
    kept: bool = False

    @property
    def source(self) -> Path | bytes:
        """What the caller checks: the staged file, or the content in memory."""
        if self.content is not None:
            return self.content
        assert self.path is not None
        return self.path


def staged_in_memory(source: Path | bytes, max_bytes: int) -> StagedContent:
    """The content read once into memory while it is hashed (it is at most `max_bytes`)."""
    buffer = io.BytesIO()
    sha256, size = _copy_hashing(source, buffer, max_bytes)
    return StagedContent(sha256, size, content=buffer.getvalue())


class AttachmentStore:
    def __init__(self, root: Path, key: DataKey | None = None) -> None:
        self.root = root
        self.key = key

    @property
    def place(self) -> str:
        """Where the content is kept, as a message names it."""
        return str(self.root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    @contextlib.contextmanager
    def staged(self, source: Path | bytes, *, max_bytes: int) -> Iterator[StagedContent]:
        """Copy `source` while hashing it (into memory when encrypted, else into the store);
        removed on exit unless kept."""
        if self.key is not None:
            yield staged_in_memory(source, max_bytes)
            return
        self.root.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.root, prefix=_INCOMING_PREFIX)
        staged = StagedContent("", 0, path=Path(name))
        try:
            with os.fdopen(handle, "wb") as target:
                staged.sha256, staged.size_bytes = _copy_hashing(source, target, max_bytes)
                target.flush()
                os.fsync(target.fileno())
            yield staged
        finally:
            if not staged.kept:
                Path(name).unlink(missing_ok=True)

    def keep(self, staged: StagedContent, *, session: Session | None = None) -> Path:
        """Move staged content into place; identical content already stored is kept as is.
        A file cannot join the caller's transaction (`session`): it is kept before the commit,
        so a stored row never names missing content."""
        final = self.path_for(staged.sha256)
        if final.exists() and self.state(staged.sha256) is ContentState.OK:
            if staged.path is not None:
                staged.path.unlink()
        else:
            final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if final.exists():  # damaged copy: let the good content replace it
                final.chmod(stat.S_IRUSR | stat.S_IWUSR)  # Windows will not replace read-only
            if staged.content is not None:
                self._write_encrypted(io.BytesIO(staged.content), final)
            else:
                assert staged.path is not None
                staged.path.chmod(_READ_ONLY)
                os.replace(staged.path, final)
            fsync_folder(final.parent)
        staged.kept = True
        return final

    def read_bytes(self, sha256: str) -> bytes:
        """The stored (plain) content; FileNotFoundError when it is not in the store."""
        with self.path_for(sha256).open("rb") as handle:
            try:
                return b"".join(self._plain_chunks(handle))
            except ContentDamagedError as error:
                raise KnownError(
                    f"Stored attachment content {sha256[:12]}… is damaged ({error}).",
                    "Restore the data folder from your latest backup, or attach the file "
                    "again. `j3490-desk attachments verify` lists every attachment affected.",
                ) from error

    def state(self, sha256: str) -> ContentState:
        """Re-hash the stored file: is it there, and is it still the content it is named by?"""
        path = self.path_for(sha256)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                for chunk in self._plain_chunks(handle):
                    digest.update(chunk)
        except FileNotFoundError:
            return ContentState.MISSING
        except (ContentDamagedError, KnownError):
            return ContentState.CHANGED
        return ContentState.OK if digest.hexdigest() == sha256 else ContentState.CHANGED

    def stored_hashes(self) -> Iterator[str]:
        """The name (plain SHA-256) of every stored file."""
        if self.root.exists():
            for folder in sorted(self.root.iterdir()):
                if folder.is_dir():
                    yield from sorted(p.name for p in folder.iterdir() if len(p.name) == 64)

    def encrypt_in_place(self, sha256: str) -> bool:
        """Encrypt one stored file that is still plain (a folder being encrypted); returns
        whether it had to. Atomic per file, so an interrupted run can simply be repeated."""
        assert self.key is not None
        path = self.path_for(sha256)
        if is_encrypted_file(path):
            return False
        with path.open("rb") as plain:
            self._write_encrypted(plain, path)
        fsync_folder(path.parent)
        return True

    def _write_encrypted(self, plain: BinaryIO, final: Path) -> None:
        assert self.key is not None
        # In the store's own folder, like staged files, so clean-up looks in one folder only.
        handle, name = tempfile.mkstemp(dir=self.root, prefix=_INCOMING_PREFIX)
        try:
            with os.fdopen(handle, "wb") as target:
                encrypt_stream(self.key, plain, target)
                target.flush()
                os.fsync(target.fileno())
            Path(name).chmod(_READ_ONLY)
            if final.exists():
                final.chmod(stat.S_IRUSR | stat.S_IWUSR)  # Windows will not replace read-only
            os.replace(name, final)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise

    def _plain_chunks(self, handle: BinaryIO) -> Iterator[bytes]:
        """The plain content: decrypted when the file is encrypted, as stored when not (a
        folder part-way through being encrypted holds both)."""
        magic = handle.read(len(FILE_MAGIC))
        handle.seek(0)
        if magic == FILE_MAGIC:
            if self.key is None:
                raise ContentDamagedError("encrypted, and this folder has no key")
            yield from decrypted_chunks(self.key, handle)
        else:
            yield from iter(lambda: handle.read(_CHUNK), b"")

    def remove_leftovers(self, *, older_than_s: float = LEFTOVER_AGE_S) -> int:
        """Delete the incoming files a killed process left (only old ones: a younger one may
        belong to an add still running beside us). Returns how many. Only the store's own
        folder is looked in (where they are made), not the thousands of stored files."""
        removed = 0
        if not self.root.is_dir():
            return removed
        cutoff = time.time() - older_than_s
        for path in self.root.glob(f"{_INCOMING_PREFIX}*"):
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # its own process finished with it meanwhile
                continue
        return removed

    def discard(self, sha256: str, *, session: Session | None = None) -> None:
        """Delete stored content (the caller has made sure, in `session`, that nothing refers
        to it; that transaction holds SQLite's write lock, so no add can claim it meanwhile)."""
        path = self.path_for(sha256)
        if path.exists():
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
            path.unlink()


def _copy_hashing(
    source: Path | bytes | BinaryIO, target: BinaryIO | None, max_bytes: int | None
) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with contextlib.ExitStack() as stack:
        if isinstance(source, bytes):
            chunks: Iterator[bytes] = iter([source])
        else:
            stream = stack.enter_context(source.open("rb")) if isinstance(source, Path) else source
            chunks = iter(lambda: stream.read(_CHUNK), b"")
        for chunk in chunks:
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise ContentTooLargeError(size)
            digest.update(chunk)
            if target is not None:
                target.write(chunk)
    return digest.hexdigest(), size
