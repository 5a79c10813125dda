"""J3490 Desk: document, check and packet unclassified-drug (J3490) claims, offline."""

from __future__ import annotations

APP_NAME = "J3490 Desk"
# Qt's QStandardPaths.AppDataLocation is <data>/<organization>/<application>; paths.py mirrors it.
ORGANIZATION_NAME = "J3490Desk"
APPLICATION_NAME = "J3490Desk"


def __getattr__(name: str) -> str:
    """`__version__` is read from the installed metadata (pyproject.toml) only when asked for:
    importlib.metadata costs more than a tenth of start-up."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("j3490-desk")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0+source"
