"""File-system facts: is a folder on a network share, and the portable ways we make files
private, durable and removable.

SQLite's own guidance ("SQLite Over a Network, Caveats and Considerations",
https://www.sqlite.org/useovernet.html) is that network file systems can corrupt a database
written from more than one machine. We can only warn: the clinic chose the folder.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from pathlib import Path

NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smbfs", "smb3", "afpfs", "webdav", "fuse.sshfs", "afs", "ncpfs", "9p"}
)
SQLITE_NETWORK_GUIDANCE = "https://www.sqlite.org/useovernet.html"


def is_network_path(path: Path) -> bool:
    resolved = path.resolve()
    if sys.platform == "win32":
        return _windows_is_remote(resolved)
    mounts = _mounts()
    best = max((point for point in mounts if _is_under(resolved, point)), key=len, default="/")
    return mounts.get(best, "") in NETWORK_FILE_SYSTEMS


def _is_under(path: Path, mount_point: str) -> bool:
    return path == Path(mount_point) or Path(mount_point) in path.parents


def _mounts() -> dict[str, str]:
    """Mount point -> file system type."""
    if sys.platform.startswith("linux"):
        table = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        rows = [line.split() for line in table.splitlines()]
        return {row[1].replace("\\040", " "): row[2] for row in rows if len(row) > 2}
    # macOS and the BSDs: `mount` prints "//user@server/share on /Volumes/x (smbfs, ...)"
    import subprocess  # here, not at start-up on Linux and Windows

    output = subprocess.run(["mount"], capture_output=True, text=True, check=False).stdout
    mounts = {}
    for line in output.splitlines():
        if " on " in line and " (" in line:
            point, details = line.split(" on ", 1)[1].rsplit(" (", 1)
            mounts[point] = details.split(",", 1)[0].strip(")")
    return mounts


def _windows_is_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\"):  # \\server\share
        return True
    import ctypes

    drive_remote = 4  # GetDriveTypeW's DRIVE_REMOTE
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    return bool(kernel32.GetDriveTypeW(f"{path.drive}\\") == drive_remote)


# --- what the data folder's files look like on disk ------------------------------------------

# Owner only. Windows has no such bits (chmod there only sets the read-only flag): the per-user
# app-data folder's access list already keeps other users out.
PRIVATE_FOLDER = 0o700
_OWNER_BITS = 0o700


def make_private(path: Path) -> None:
    """Take group and other access away (POSIX); a read-only file stays read-only. Best effort
    on a file that is not ours to change (a share, another user's copy)."""
    if os.name == "nt":
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & ~_OWNER_BITS:
            path.chmod(mode & _OWNER_BITS)
    except (FileNotFoundError, PermissionError):
        return


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable. Windows cannot open a folder for this, and some file
    systems (network shares, FUSE) refuse it: there the rename is as durable as they make it."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(descriptor)


def remove_tree(path: Path) -> None:
    """Delete a folder we made, read-only files included (Windows refuses to delete those)."""
    if not path.exists():
        return
    for item in path.rglob("*"):
        if not item.is_symlink():
            item.chmod(stat.S_IRWXU)
    shutil.rmtree(path)
