"""Files a clerk names (a claim file, a photo, a scan): only regular files are read.

A FIFO or a device would block the command forever or never end; a folder is a typo. Each
is refused at once, from its metadata, before anything opens it (issue 18 item 10).
"""

from __future__ import annotations

import stat
from pathlib import Path

from j3490_desk.errors import InvalidInputError


def regular_file_size(path: Path, name: str = "") -> int:
    """The size in bytes of a regular file; anything else raises InvalidInputError."""
    shown = name or str(path)
    try:
        info = path.stat()
    except FileNotFoundError as error:
        raise InvalidInputError(
            f"{shown} cannot be read: it does not exist.", "Check the file name."
        ) from error
    except OSError as error:
        raise InvalidInputError(f"{shown} cannot be read: {error.strerror}.") from error
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe or device)"
        raise InvalidInputError(f"{shown} is {what}.", "Give the path of one file.")
    return info.st_size
