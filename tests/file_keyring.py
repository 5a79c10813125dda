"""A keychain for command-line tests run in a subprocess: a JSON file the test names.

Selected with PYTHON_KEYRING_BACKEND=tests.file_keyring.FileKeyring and
J3490_TEST_KEYRING_FILE=PATH; never used by the app itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend

FILE_ENV = "J3490_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        if FILE_ENV not in os.environ:  # never picked on its own, only where a test names a file
            raise RuntimeError(f"{FILE_ENV} is not set")
        return 1

    def _load(self) -> dict[str, str]:
        path = Path(os.environ[FILE_ENV])
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}|{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        kept = self._load()
        kept[f"{service}|{username}"] = password
        Path(os.environ[FILE_ENV]).write_text(json.dumps(kept))

    def delete_password(self, service: str, username: str) -> None:
        kept = self._load()
        kept.pop(f"{service}|{username}", None)
        Path(os.environ[FILE_ENV]).write_text(json.dumps(kept))
