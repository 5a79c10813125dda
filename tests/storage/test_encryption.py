"""Encryption at rest: nothing readable on disk, the right passphrase opens it, the wrong one
changes nothing, and an interrupted encryption finishes without losing a claim."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from j3490_desk.cli import run
from j3490_desk.errors import (
    DatabaseDamagedError,
    DataFolderError,
    InvalidInputError,
    PassphraseRequiredError,
    WrongPassphraseError,
)
from j3490_desk.paths import DataPaths
from j3490_desk.services import attachments, backups, claims, encryption
from j3490_desk.services.app_data import AppData, open_app_data
from j3490_desk.storage import encryption as keys
from j3490_desk.storage import folder_encryption
from j3490_desk.storage.attachment_store import AttachmentStore, ContentState
from tests.attachments.files import invoice_pdf
from tests.sample_claims import sample_claim
from tests.storage.filled_folder import fill

# Folder encryption is the one-seat SQLite folder's: a shared server protects itself (issue 17).
pytestmark = pytest.mark.sqlite_only

PASSPHRASE = "tidy walrus lantern quiet"
# Text that is in every sample claim and must never be readable on disk once encrypted.
PHI = [b"Roe, Jane", b"1EG4TE5MK73", "Roe, Jane".encode("utf-16-le")]


def _every_file(root: Path) -> Iterator[Path]:
    for path in root.rglob("*"):
        if path.is_file() and path.name != "reference.sqlite":  # public FDA/CMS data
            yield path


def _readable_phi(root: Path) -> list[str]:
    found = []
    for path in _every_file(root):
        blobs = [path.read_bytes()]
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs += [archive.read(name) for name in archive.namelist()]
        for blob in blobs:
            for needle in PHI:
                if needle in blob:
                    found.append(f"{path.relative_to(root)} holds {needle!r}")
        if "attachments" in path.parts and not blobs[0].startswith(keys.FILE_MAGIC):
            found.append(f"{path.relative_to(root)} is a plain attachment")
    return found


def _exports(data: AppData, ids: list[int]) -> list[str]:
    return [claims.export_claim_json(data, claim_id) for claim_id in ids]


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, list[int], list[str]]:
    folder = tmp_path / "data"
    data = open_app_data(folder)
    try:
        ids = fill(data)
        backups.back_up(data)  # a plain backup from before: the app cannot reach it, see README
        exports = _exports(data, ids)
    finally:
        data.close()
    for old in (folder / "backups").glob("*.zip"):
        old.unlink()
    return folder, ids, exports


def test_encrypted_folder_holds_no_readable_patient_data(filled, tmp_path: Path) -> None:
    folder, ids, exports = filled
    assert _readable_phi(folder), "the check must see PHI in a plain folder"
    encryption.enable(folder, PASSPHRASE)

    data = open_app_data(folder, passphrase=PASSPHRASE)
    try:
        assert _exports(data, ids) == exports
        claims.create_claim(data, sample_claim())  # new writes, WAL included
        attachments.add_attachment(
            data,
            claim_id=ids[1],
            drug_line_id=None,
            kind=attachments.AttachmentKind.INVOICE,
            source=invoice_pdf(tmp_path / "second.pdf", price="1,234.00"),
            original_name="second.pdf",
        )
        backups.back_up(data)
        assert attachments.verify_attachments(data) == []
        [invoice] = attachments.list_attachments(data, ids[0])
        assert attachments.attachment_bytes(data, invoice).startswith(b"%PDF")
        assert _readable_phi(folder) == []
    finally:
        data.close()
    assert _readable_phi(folder) == []


def test_passphrase_is_required_and_a_wrong_one_changes_nothing(filled) -> None:
    folder, _, _ = filled
    encryption.enable(folder, PASSPHRASE)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in _every_file(folder)}
    with pytest.raises(PassphraseRequiredError):
        open_app_data(folder)
    with pytest.raises(WrongPassphraseError):
        open_app_data(folder, passphrase="not the passphrase at all")
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in _every_file(folder)} == before


def test_environment_variable_unlocks_for_scripts(filled, monkeypatch, capsys) -> None:
    folder, _, _ = filled
    encryption.enable(folder, PASSPHRASE)
    assert run(["--data-dir", str(folder), "claim", "list", "--json"]) == 2
    assert "encrypted" in capsys.readouterr().err
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    assert run(["--data-dir", str(folder), "claim", "list", "--json"]) == 0
    assert "Roe, Jane" in capsys.readouterr().out


def test_changing_the_passphrase_rewraps_the_key_only(filled) -> None:
    folder, ids, exports = filled
    encryption.enable(folder, PASSPHRASE)
    salt = (folder / "claims.sqlite").read_bytes()[:16]  # SQLCipher's per-file salt
    files = {p: p.read_bytes() for p in (folder / "attachments").rglob("*") if p.is_file()}
    encryption.change_passphrase(folder, PASSPHRASE, "a brand new passphrase")
    assert (folder / "claims.sqlite").read_bytes()[:16] == salt  # not re-encrypted
    assert files and {p: p.read_bytes() for p in files} == files
    with pytest.raises(WrongPassphraseError):
        open_app_data(folder, passphrase=PASSPHRASE)
    data = open_app_data(folder, passphrase="a brand new passphrase")
    try:
        assert _exports(data, ids) == exports
    finally:
        data.close()


def test_short_passphrase_is_refused_before_anything_changes(filled) -> None:
    folder, _, _ = filled
    with pytest.raises(Exception, match="too short"):
        encryption.enable(folder, "short")
    assert not (folder / keys.SETTINGS_FILE).exists()
    assert encryption.status(folder).encrypted is False


def test_interrupted_encryption_is_finished_by_the_app_without_loss(filled, monkeypatch) -> None:
    folder, ids, exports = filled
    real = AttachmentStore.encrypt_in_place

    def power_cut(self: AttachmentStore, sha256: str) -> bool:
        raise KeyboardInterrupt  # stands for the process dying after the database was done

    monkeypatch.setattr(AttachmentStore, "encrypt_in_place", power_cut)
    with pytest.raises(KeyboardInterrupt):
        encryption.enable(folder, PASSPHRASE)
    monkeypatch.setattr(AttachmentStore, "encrypt_in_place", real)
    assert encryption.status(folder).encrypted
    assert _readable_phi(folder)  # the invoice is still plain

    data = open_app_data(folder, exclusive=True, passphrase=PASSPHRASE)  # the app finishes it
    try:
        assert _exports(data, ids) == exports
        assert attachments.verify_attachments(data) == []
    finally:
        data.close()
    assert _readable_phi(folder) == []


def test_cli_reports_an_unfinished_encryption_and_enable_finishes_it(
    filled, monkeypatch, capsys
) -> None:
    folder, ids, exports = filled
    settings, _ = keys.new_key(PASSPHRASE)
    keys.write_settings(folder, settings)  # died right after writing the key file
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    assert run(["--data-dir", str(folder), "claim", "list"]) == 2
    assert "interrupted" in capsys.readouterr().err
    assert run(["--data-dir", str(folder), "encryption", "status"]) == 0
    assert "not finished" in capsys.readouterr().out
    assert run(["--data-dir", str(folder), "encryption", "enable"]) == 0
    assert run(["--data-dir", str(folder), "encryption", "status"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "encrypted"
    data = open_app_data(folder)
    try:
        assert _exports(data, ids) == exports
    finally:
        data.close()


def test_encrypted_backup_round_trip_needs_the_passphrase(filled, tmp_path: Path) -> None:
    folder, ids, exports = filled
    encryption.enable(folder, PASSPHRASE)
    data = open_app_data(folder, passphrase=PASSPHRASE)
    try:
        file = backups.back_up(data, tmp_path / "usb")
    finally:
        data.close()
    assert _readable_phi(tmp_path / "usb") == []
    with pytest.raises(PassphraseRequiredError):
        backups.verify(file)
    assert backups.verify(file, passphrase=PASSPHRASE) == []
    with pytest.raises(WrongPassphraseError):
        backups.restore(file, tmp_path / "wrong", passphrase="not the passphrase at all")
    assert not (tmp_path / "wrong" / "claims.sqlite").exists()
    backups.restore(file, tmp_path / "restored", passphrase=PASSPHRASE)
    restored = open_app_data(tmp_path / "restored", passphrase=PASSPHRASE)
    try:
        assert _exports(restored, ids) == exports
        assert attachments.verify_attachments(restored) == []
    finally:
        restored.close()


def test_a_plain_backup_is_not_restored_over_an_encrypted_folder(tmp_path: Path) -> None:
    """Restoring it would silently turn encryption off: refused, the folder stays as it was."""
    plain = open_app_data(tmp_path / "plain")
    try:
        fill(plain)
        file = backups.back_up(plain, tmp_path / "usb")
    finally:
        plain.close()
    folder = tmp_path / "data"
    data = open_app_data(folder)
    try:
        ids = [claims.create_claim(data, sample_claim())]
    finally:
        data.close()
    encryption.enable(folder, PASSPHRASE)
    settings = (folder / keys.SETTINGS_FILE).read_bytes()
    with pytest.raises(InvalidInputError, match="would turn the folder's encryption off"):
        backups.restore(file, folder, replace_existing=True, passphrase=PASSPHRASE)
    assert (folder / keys.SETTINGS_FILE).read_bytes() == settings
    assert not list((folder / "backups").glob("j3490-desk-backup-*.zip")), "nothing was begun"
    data = open_app_data(folder, passphrase=PASSPHRASE)
    try:
        assert len(_exports(data, ids)) == 1
        assert data.db.key is not None
    finally:
        data.close()


def test_missing_key_file_gets_a_clear_message(filled) -> None:
    folder, _, _ = filled
    encryption.enable(folder, PASSPHRASE)
    (folder / keys.SETTINGS_FILE).rename(folder / "elsewhere.json")
    with pytest.raises(DatabaseDamagedError, match=r"encryption\.json is missing"):
        open_app_data(folder)


def test_damaged_key_file_is_refused_with_a_message(filled) -> None:
    folder, _, _ = filled
    encryption.enable(folder, PASSPHRASE)
    (folder / keys.SETTINGS_FILE).write_text("{ not json")
    with pytest.raises(DataFolderError, match=r"encryption\.json"):
        open_app_data(folder, passphrase=PASSPHRASE)


# --- the file format -------------------------------------------------------------------------

KEY = keys.DataKey(bytes(range(32)), "0011223344556677")
CHUNK = 1024 * 1024


def _sealed(plain: bytes) -> bytes:
    target = io.BytesIO()
    keys.encrypt_stream(KEY, io.BytesIO(plain), target)
    return target.getvalue()


def _opened(sealed: bytes) -> bytes:
    return b"".join(keys.decrypted_chunks(KEY, io.BytesIO(sealed)))


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5])
def test_file_round_trip_at_chunk_edges(size: int) -> None:
    plain = hashlib.sha256(str(size).encode()).digest() * (size // 32 + 1)
    plain = plain[:size]
    sealed = _sealed(plain)
    if size >= 64:  # a shorter run can turn up in random ciphertext by chance
        assert plain[:64] not in sealed
    assert _opened(sealed) == plain


def test_changed_cut_or_reordered_content_does_not_decrypt() -> None:
    plain = bytes(3 * CHUNK)
    sealed = _sealed(plain)
    header, chunk = len(keys.FILE_MAGIC) + 8, CHUNK + 16
    flipped = bytearray(sealed)
    flipped[header + 10] ^= 1
    cut = sealed[: header + 2 * chunk]  # the last chunk gone: must not read as a shorter file
    swapped = sealed[:header] + sealed[header + chunk : header + 2 * chunk]
    swapped += sealed[header : header + chunk] + sealed[header + 2 * chunk :]
    for damaged in (bytes(flipped), cut, swapped):
        with pytest.raises(keys.ContentDamagedError):
            _opened(damaged)
    other = keys.DataKey(bytes(32), KEY.key_id)
    with pytest.raises(keys.ContentDamagedError):
        b"".join(keys.decrypted_chunks(other, io.BytesIO(sealed)))


def test_store_reports_tampered_encrypted_content_as_changed(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "store", KEY)
    with store.staged(b"label photo bytes", max_bytes=1000) as staged:
        path = store.keep(staged)
    assert path.read_bytes().startswith(keys.FILE_MAGIC)
    assert store.read_bytes(staged.sha256) == b"label photo bytes"
    assert store.state(staged.sha256) is ContentState.OK
    path.chmod(0o600)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")
    assert store.state(staged.sha256) is ContentState.CHANGED


# --- the keychain ----------------------------------------------------------------------------


class MemoryKeyring:
    """Stands in for Windows Credential Manager / macOS Keychain."""

    priority = 1

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.items.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.items[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        self.items.pop((service, user), None)


@pytest.fixture
def keychain(monkeypatch) -> MemoryKeyring:
    import keyring

    memory = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_password", memory.get_password)
    monkeypatch.setattr(keyring, "set_password", memory.set_password)
    monkeypatch.setattr(keyring, "delete_password", memory.delete_password)
    return memory


def test_remembered_key_opens_without_a_passphrase(filled, keychain: MemoryKeyring) -> None:
    folder, ids, exports = filled
    encryption.enable(folder, PASSPHRASE, remember=True)
    assert encryption.remembered(folder)
    assert PASSPHRASE not in str(keychain.items)  # the key is kept, never the passphrase
    data = open_app_data(folder)
    try:
        assert _exports(data, ids) == exports
    finally:
        data.close()
    encryption.change_passphrase(folder, PASSPHRASE, "another long passphrase", remember=False)
    assert keychain.items == {}
    with pytest.raises(PassphraseRequiredError):
        open_app_data(folder)


def test_a_keychain_entry_for_another_key_is_not_used(filled, keychain: MemoryKeyring) -> None:
    folder, _, _ = filled
    encryption.enable(folder, PASSPHRASE, remember=True)
    [entry] = keychain.items
    keychain.items[entry] = "00" * 32
    with pytest.raises(PassphraseRequiredError):
        open_app_data(folder)


def test_pre_migration_copies_are_encrypted_too(filled) -> None:
    folder, _, _ = filled
    copy = folder / "backups" / "claims-before-migration-0002-20260101T000000Z.sqlite"
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes((folder / "claims.sqlite").read_bytes())
    assert folder_encryption.is_plain_sqlite(copy)
    encryption.enable(folder, PASSPHRASE)
    assert not folder_encryption.is_plain_sqlite(copy)
    assert not folder_encryption.is_unfinished(DataPaths(folder))
