"""J3490 Desk: document, check and packet unclassified-drug (J3490) claims, offline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("j3490-desk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

APP_NAME = "J3490 Desk"
# Qt's QStandardPaths.AppDataLocation is <data>/<organization>/<application>; paths.py mirrors it.
ORGANIZATION_NAME = "J3490Desk"
APPLICATION_NAME = "J3490Desk"
