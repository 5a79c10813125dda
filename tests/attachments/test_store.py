"""The content-addressed store: atomic, stored once, verifiable."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from j3490_desk.storage.attachment_store import AttachmentStore, ContentState, ContentTooLargeError


def _keep(store: AttachmentStore, content: bytes) -> Path:
    with store.staged(content, max_bytes=10_000_000) as staged:
        return store.keep(staged)


def test_content_is_named_by_its_hash_in_a_two_digit_folder(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "attachments")
    path = _keep(store, b"invoice")
    digest = hashlib.sha256(b"invoice").hexdigest()
    assert path == tmp_path / "attachments" / digest[:2] / digest
    assert path.read_bytes() == b"invoice"
    assert store.state(digest) is ContentState.OK


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(min_size=1, max_size=4096))
def test_identical_content_added_twice_is_stored_once(tmp_path: Path, content: bytes) -> None:
    store = AttachmentStore(tmp_path / "once")
    first, second = _keep(store, content), _keep(store, content)
    assert first == second
    stored = [p for p in store.root.rglob("*") if p.is_file()]
    assert stored.count(first) == 1
    assert not [p for p in stored if p.name.startswith(".incoming-")]


def test_staged_content_that_is_not_kept_leaves_nothing(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "a")
    with pytest.raises(RuntimeError), store.staged(b"x" * 10, max_bytes=100):
        raise RuntimeError("validation failed")
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_content_growing_past_the_limit_is_refused(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "a")
    with pytest.raises(ContentTooLargeError), store.staged(b"x" * 101, max_bytes=100):
        pass
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_verify_reports_missing_and_changed_content_and_a_re_add_heals_it(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "a")
    path = _keep(store, b"label photo")
    digest = path.name
    path.chmod(0o644)
    path.write_bytes(b"tampered")
    assert store.state(digest) is ContentState.CHANGED
    _keep(store, b"label photo")
    assert store.state(digest) is ContentState.OK
    store.discard(digest)
    assert store.state(digest) is ContentState.MISSING
