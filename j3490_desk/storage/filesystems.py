"""Is a folder on a network share? SQLite's locking is unreliable there.

SQLite's own guidance ("SQLite Over a Network, Caveats and Considerations",
https://www.sqlite.org/useovernet.html) is that network file systems can corrupt a database
written from more than one machine. We can only warn: the clinic chose the folder.
"""

from __future__ import annotations

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
