"""Every path the app uses comes from here, so tests and `--data-dir` can move all of it at once.

The default data folder is the one Qt's `QStandardPaths.AppDataLocation` gives for our
organization and application names; it is computed here without Qt so the CLI and the
services stay Qt-free (a UI test checks the two agree).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from j3490_desk import APPLICATION_NAME, ORGANIZATION_NAME
from j3490_desk.errors import DataFolderError

DATA_DIR_ENV = "J3490_DESK_DATA_DIR"


def default_data_dir() -> Path:
    """The per-user app-data folder, as QStandardPaths.AppDataLocation names it."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / ORGANIZATION_NAME / APPLICATION_NAME


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir` wins, then J3490_DESK_DATA_DIR, then the per-user default."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV)
    folder = Path(chosen).expanduser().resolve() if chosen else default_data_dir()
    if folder.exists() and not folder.is_dir():
        raise DataFolderError(
            f"The data folder {folder} is a file, not a folder.",
            "Give --data-dir (or J3490_DESK_DATA_DIR) a folder: an existing J3490 Desk data "
            "folder, or a new one to create.",
        )
    return folder


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a source tree, inside a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class DataPaths:
    """The files inside one data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "claims.sqlite"

    @property
    def reference_database(self) -> Path:
        """FDA/CMS reference data: large, public, re-importable, so kept apart from PHI."""
        return self.root / "reference.sqlite"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def lock_file(self) -> Path:
        return self.root / ".lock"
