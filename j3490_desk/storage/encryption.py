"""Encryption at rest: the claims database (SQLCipher) and attachment files (AES-256-GCM).

One random 256-bit data key encrypts everything. The clinic's passphrase never encrypts data
itself: scrypt (memory-hard) turns it into a key-encryption key that wraps the data key, and
only the wrapped key is written, to `encryption.json` beside the database. So changing the
passphrase rewraps 32 bytes instead of re-encrypting years of claims, and nothing in the
folder opens the data without the passphrase. The data key may also be kept in the OS
keychain (`keyring`) so the app opens without asking; the passphrase stays the way back in on
a new computer or from a backup.

The database, the files, the audit log and backup manifests get separate keys derived from
the data key (HMAC-SHA256 with a label), so the same bytes never serve two purposes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from j3490_desk.errors import (
    DataFolderError,
    KnownError,
    PassphraseRequiredError,
    WrongPassphraseError,
)

SETTINGS_FILE = "encryption.json"
FORMAT = "j3490-desk-encryption"
KEYCHAIN_SERVICE = "J3490 Desk"
PASSPHRASE_ENV = "J3490_DESK_PASSPHRASE"  # for scripts and scheduled tasks; the app asks
MIN_PASSPHRASE_LENGTH = 12

# scrypt at OWASP's recommended N=2^17, r=8, p=1: 128 MiB and about half a second, paid once
# per unlock, which is what makes guessing passphrases from a stolen folder slow.
_SCRYPT = {"n": 2**17, "r": 8, "p": 1}
_SCRYPT_MAXMEM = 256 * 1024 * 1024

# Attachment files: magic, an 8-byte random nonce prefix, then 1 MiB chunks each sealed with
# AES-GCM under nonce = prefix + chunk number; the associated data marks the last chunk, so a
# file cut short or with chunks reordered fails to decrypt instead of reading as shorter.
FILE_MAGIC = b"J3490E01"
_PREFIX_BYTES = 8
_CHUNK = 1024 * 1024
_TAG = 16


@dataclass(frozen=True)
class DataKey:
    """The data key of one folder; `key_id` names it in the keychain and in backups."""

    key: bytes
    key_id: str

    def _derive(self, label: bytes) -> bytes:
        return hmac.new(self.key, b"j3490-desk " + label, hashlib.sha256).digest()

    @property
    def database_key(self) -> bytes:
        return self._derive(b"sqlcipher")

    @property
    def file_key(self) -> bytes:
        return self._derive(b"attachments")

    @property
    def audit_key(self) -> bytes:
        """Keys the audit log's hashes and head record."""
        return self._derive(b"audit")

    @property
    def backup_key(self) -> bytes:
        """Signs backup manifests."""
        return self._derive(b"backup manifest")

    @property
    def check(self) -> str:
        """Written beside the wrapped key: tells a wrong keychain entry from a damaged file."""
        return self._derive(b"check").hex()[:32]


@dataclass(frozen=True)
class EncryptionSettings:
    key_id: str
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    check: str
    keychain: bool

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "version": 1,
                "key_id": self.key_id,
                "kdf": {"name": "scrypt", "salt": self.salt.hex(), **_SCRYPT},
                "wrapped_key": {"nonce": self.nonce.hex(), "ciphertext": self.wrapped_key.hex()},
                "check": self.check,
                "keychain": self.keychain,
            },
            indent=2,
        )


# --- the settings file -----------------------------------------------------------------------


def settings_path(root: Path) -> Path:
    return root / SETTINGS_FILE


def read_settings(root: Path) -> EncryptionSettings | None:
    """The folder's encryption settings, or None when the folder is not encrypted."""
    path = settings_path(root)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT or raw["kdf"]["name"] != "scrypt":
            raise ValueError("not our format")
        if {k: raw["kdf"][k] for k in _SCRYPT} != _SCRYPT:
            raise ValueError("unknown scrypt parameters")
        return EncryptionSettings(
            key_id=str(raw["key_id"]),
            salt=bytes.fromhex(raw["kdf"]["salt"]),
            nonce=bytes.fromhex(raw["wrapped_key"]["nonce"]),
            wrapped_key=bytes.fromhex(raw["wrapped_key"]["ciphertext"]),
            check=str(raw["check"]),
            keychain=bool(raw.get("keychain", False)),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise DataFolderError(
            f"{path} cannot be read ({error}), so the encrypted data cannot be opened.",
            "Restore encryption.json from your latest backup (it holds no secret by itself). "
            "Nothing was changed.",
        ) from error


def write_settings(root: Path, settings: EncryptionSettings) -> None:
    write_atomically(settings_path(root), settings.to_json().encode("utf-8"))


def new_key(passphrase: str, *, keychain: bool = False) -> tuple[EncryptionSettings, DataKey]:
    require_strong(passphrase)
    data_key = DataKey(secrets.token_bytes(32), secrets.token_hex(8))
    return wrap(data_key, passphrase, keychain=keychain), data_key


def wrap(data_key: DataKey, passphrase: str, *, keychain: bool) -> EncryptionSettings:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_kek(passphrase, salt)).encrypt(nonce, data_key.key, _aad(data_key.key_id))
    return EncryptionSettings(data_key.key_id, salt, nonce, sealed, data_key.check, keychain)


def require_strong(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise KnownError(
            f"The passphrase is too short ({len(passphrase)} characters).",
            f"Use at least {MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are easy "
            "to remember and hard to guess.",
        )


# --- unlocking --------------------------------------------------------------------------------


def unlock(
    settings: EncryptionSettings, passphrase: str | None, *, what: str = "data folder"
) -> DataKey:
    """The data key, from the passphrase or else from the keychain."""
    if passphrase:
        return unwrap(settings, passphrase, what=what)
    if settings.keychain:
        remembered = keychain_key(settings)
        if remembered is not None:
            return remembered
    raise PassphraseRequiredError(
        f"This {what} is encrypted; its passphrase is needed to open it.",
        f"Enter the passphrase (scripts can set {PASSPHRASE_ENV}).",
    )


def unwrap(settings: EncryptionSettings, passphrase: str, *, what: str = "data folder") -> DataKey:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = _kek(passphrase, settings.salt)
    try:
        key = AESGCM(kek).decrypt(settings.nonce, settings.wrapped_key, _aad(settings.key_id))
    except InvalidTag:
        raise WrongPassphraseError(
            f"That passphrase does not open this {what}.",
            "Check Caps Lock and try again. Nobody can recover a lost passphrase: restore an "
            "unencrypted backup if it is lost.",
        ) from None
    return DataKey(key, settings.key_id)


def keychain_key(settings: EncryptionSettings) -> DataKey | None:
    """The data key kept in the OS keychain, if there is one and it is this folder's."""
    try:
        import keyring
        from keyring.errors import KeyringError

        stored = keyring.get_password(KEYCHAIN_SERVICE, _keychain_user(settings.key_id))
    except (ImportError, KeyringError, RuntimeError):  # no keychain on this machine
        return None
    if not stored:
        return None
    try:
        candidate = DataKey(bytes.fromhex(stored), settings.key_id)
    except ValueError:
        return None
    return candidate if hmac.compare_digest(candidate.check, settings.check) else None


def remember_in_keychain(data_key: DataKey) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYCHAIN_SERVICE, _keychain_user(data_key.key_id), data_key.key.hex())
    except (KeyringError, RuntimeError) as error:
        raise KnownError(
            f"The key could not be kept in this computer's keychain ({error}).",
            "Leave 'remember on this computer' off; you will be asked for the passphrase.",
        ) from error


def forget_keychain(key_id: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.delete_password(KEYCHAIN_SERVICE, _keychain_user(key_id))
    except (ImportError, KeyringError, RuntimeError):
        pass  # nothing kept, or no keychain: either way nothing remains to forget


def _keychain_user(key_id: str) -> str:
    return f"data-key-{key_id}"


def _kek(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, maxmem=_SCRYPT_MAXMEM, dklen=32, **_SCRYPT
    )


def _aad(key_id: str) -> bytes:
    return f"{FORMAT} data key {key_id}".encode()


# --- attachment files -------------------------------------------------------------------------


def is_encrypted_file(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(FILE_MAGIC)) == FILE_MAGIC


def encrypt_stream(data_key: DataKey, source: BinaryIO, target: BinaryIO) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    cipher = AESGCM(data_key.file_key)
    prefix = secrets.token_bytes(_PREFIX_BYTES)
    target.write(FILE_MAGIC + prefix)
    for index, chunk, last in _chunks(source, _CHUNK):
        target.write(cipher.encrypt(_nonce(prefix, index), chunk, _chunk_aad(last)))


def decrypted_chunks(data_key: DataKey, source: IO[bytes]) -> Iterator[bytes]:
    """The plaintext, chunk by chunk; raises ContentDamagedError if any byte was changed."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = source.read(len(FILE_MAGIC) + _PREFIX_BYTES)
    if len(header) != len(FILE_MAGIC) + _PREFIX_BYTES or not header.startswith(FILE_MAGIC):
        raise ContentDamagedError("not an encrypted attachment")
    cipher, prefix = AESGCM(data_key.file_key), header[len(FILE_MAGIC) :]
    for index, chunk, last in _chunks(source, _CHUNK + _TAG):
        try:
            yield cipher.decrypt(_nonce(prefix, index), chunk, _chunk_aad(last))
        except InvalidTag:
            raise ContentDamagedError(f"chunk {index} fails its authentication tag") from None


def decrypt_bytes(data_key: DataKey, path: Path) -> bytes:
    with path.open("rb") as handle:
        return b"".join(decrypted_chunks(data_key, handle))


class ContentDamagedError(Exception):
    """Encrypted content that does not authenticate: changed, cut short, or another key's."""


def _chunks(source: IO[bytes], size: int) -> Iterator[tuple[int, bytes, bool]]:
    """(index, chunk, is_last), reading one chunk ahead; an empty source is one empty chunk."""
    index, current = 0, source.read(size)
    while True:
        following = source.read(size)
        yield index, current, not following
        if not following:
            return
        index, current = index + 1, following


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def _chunk_aad(last: bool) -> bytes:
    return b"last" if last else b"more"


# --- atomic writes ----------------------------------------------------------------------------


def write_atomically(path: Path, content: bytes) -> None:
    """Write a whole file or nothing: a temporary file, fsync, then rename over."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "wb") as target:
            target.write(content)
            target.flush()
            os.fsync(target.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
