"""Bundle size: our Linux one-folder bundle against an empty PySide6 bundle, same PyInstaller, same run.

The baseline is a QMainWindow hello-world built with PyInstaller's defaults (one folder), the
least any PySide6 app bundle costs. Ours is packaging/j3490_desk.spec. Both are built into a
temporary folder (dist/ is left alone) and measured unpacked (the sum of the files' sizes,
MB = 10^6 bytes). The goal is absolute: under 250 MB; the ratio shows what the app adds.
Takes a few minutes (two PyInstaller builds); skipped if PyInstaller is not installed.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "j3490_desk.spec"
GOAL_MB = 250.0

HELLO = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("hello")
window.show()
sys.exit(app.exec())
"""


def folder_mb(folder: Path) -> float:
    return (
        sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6
    )


def pyinstaller(*args: str, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "ERROR",
            *args,
        ],
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def size_line(name: str, ours_mb: float, baseline_mb: float, goal_mb: float) -> bool:
    """Like report.figure, for sizes: ours, the baseline, their ratio, and the absolute goal."""
    ratio = ours_mb / baseline_mb if baseline_mb else float("inf")
    met = ours_mb < goal_mb
    print(
        f"{name}: {ours_mb:.1f} MB vs baseline {baseline_mb:.1f} MB = {ratio:.2f}x "
        f"(goal < {goal_mb:.0f} MB) {'PASS' if met else 'MISS'}",
        flush=True,
    )
    return met


def main() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        print("bundle size: skipped (PyInstaller is not installed: pip install pyinstaller)")
        return
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as temp:
        work = Path(temp)
        (work / "hello.py").write_text(HELLO)
        hello_s = pyinstaller(
            "--onedir",
            "--name",
            "hello",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build-hello"),
            "--specpath",
            str(work),
            str(work / "hello.py"),
            cwd=work,
        )
        ours_s = pyinstaller(
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build-ours"),
            str(SPEC),
            cwd=REPO,
        )
        ours_mb = folder_mb(work / "dist" / "j3490-desk")
        hello_mb = folder_mb(work / "dist" / "hello")
    from PyInstaller import __version__ as pyinstaller_version

    print(
        f"PyInstaller {pyinstaller_version}: built ours in {ours_s:.0f} s, baseline in {hello_s:.0f} s"
    )
    size_line("Linux bundle, unpacked, vs empty PySide6 bundle", ours_mb, hello_mb, GOAL_MB)


if __name__ == "__main__":
    main()
