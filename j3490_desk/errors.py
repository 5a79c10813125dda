"""Errors split by who is at fault.

A `KnownError` is about the environment or the user's input (damaged file, folder not
writable, data in use, invalid claim JSON): it carries the message the user sees and
what to do. Anything else is a bug and goes to the crash handler.
"""

from __future__ import annotations


class KnownError(Exception):
    """A problem we can explain to the user. `exit_status` is what the CLI returns for it."""

    exit_status = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class DataFolderError(KnownError):
    """The data folder cannot be used: not writable, not a folder."""


class DatabaseDamagedError(KnownError):
    """The database file is not a J3490 Desk database, or is corrupt."""


class NewerDatabaseError(KnownError):
    """The database was written by a newer version of the app."""


class PassphraseRequiredError(KnownError):
    """The folder (or backup) is encrypted and no passphrase or keychain entry was given."""


class WrongPassphraseError(KnownError):
    """The passphrase does not unwrap this folder's (or backup's) data key."""


class EncryptionUnfinishedError(KnownError):
    """The folder's encryption was started and interrupted; running it again finishes it."""


class StorageError(KnownError):
    """A save failed because of the disk or the file: full, read-only, held by another program."""


class DataInUseError(KnownError):
    """Another J3490 Desk window has this data folder open."""


class InvalidInputError(KnownError):
    """Input the user gave (a claim file, a field) is not valid; the message names the field."""


class NotFoundError(KnownError):
    """A claim, patient or other record asked for does not exist."""

    exit_status = 1
