"""The packaging files, checked without building anything (one slow test builds the bundle).

The PyInstaller spec is executed with PyInstaller's build steps replaced by recorders, once per
platform (Linux, Windows, macOS), so what it would put in each bundle is checked here, where
only the Linux bundle can actually be built. PyInstaller need not be installed for these.
"""

from __future__ import annotations

import os
import plistlib
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
SPEC = PACKAGING / "j3490_desk.spec"
ISS = PACKAGING / "windows" / "j3490-desk.iss"
PLIST = PACKAGING / "macos" / "Info.plist"
ICONS = REPO / "resources" / "icons"
LICENCES = PACKAGING / "THIRD_PARTY_LICENSES.txt"
WORKFLOW = REPO / ".github" / "workflows" / "installers.yml"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]

# What PyInstaller's analysis "found": the spec's filters must keep and drop the right ones.
FOUND_BINARIES = [
    ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/x/libqoffscreen.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", "/x/libqwayland.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", "/x/libqvnc.so", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", "/x/libqjpeg.so", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", "/x/libqtiff.so", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqwebp.so", "/x/libqwebp.so", "BINARY"),
    ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", "/x/libqsqlite.so", "BINARY"),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "/x/libqopensslbackend.so", "BINARY"),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x/libqgtk3.so", "BINARY"),
    ("PySide6/plugins/platforms/qwindows.dll", "/x/qwindows.dll", "BINARY"),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", "/x/qmodernwindowsstyle.dll", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", "/x/libqcocoa.dylib", "BINARY"),
    ("pypdfium2_raw/libpdfium.so", "/x/libpdfium.so", "BINARY"),
]
KEPT_BINARIES = {
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    "pypdfium2_raw/libpdfium.so",
}


class Recorder:
    """Stands in for one of PyInstaller's build steps (Analysis, PYZ, EXE, COLLECT, BUNDLE)."""

    def __init__(self, kind: str, made: list[Recorder], *args: Any, **kwargs: Any) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs
        made.append(self)
        if kind == "Analysis":
            self.binaries = list(FOUND_BINARIES)
            self.datas = [
                *((f"{folder}/{Path(src).name}", src, "DATA") for src, folder in kwargs["datas"]),
                ("PySide6/Qt/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA"),
            ]
            self.scripts: list[Any] = []
            self.pure: list[Any] = []


def run_spec(
    platform: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> tuple[dict[str, Any], list[Recorder]]:
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package: [(f"/site/{package}/data.txt", package)]  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda package, filter=None: [package]  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda name: [(f"/site/{name}.dist-info", f"{name}.dist-info")]  # type: ignore[attr-defined]
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda filename: []  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils", "PyInstaller.depend"):
        if name not in sys.modules:
            monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setitem(sys.modules, "PyInstaller.depend.bindepend", bindepend)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "path", list(sys.path))
    made: list[Recorder] = []

    def step(kind: str) -> Any:
        return lambda *args, **kwargs: Recorder(kind, made, *args, **kwargs)

    namespace: dict[str, Any] = {
        "SPECPATH": str(PACKAGING),
        "workpath": str(tmp_path / "work"),
        "__file__": str(SPEC),
        **{kind: step(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")},
    }
    exec(compile(SPEC.read_text(), str(SPEC), "exec"), namespace)
    return namespace, made


def made_of(made: list[Recorder], kind: str) -> list[Recorder]:
    return [r for r in made if r.kind == kind]


@pytest.fixture(scope="module")
def spec_source() -> str:
    return SPEC.read_text()


def test_spec_takes_the_version_from_pyproject(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    namespace, _ = run_spec("linux", monkeypatch, tmp_path)
    assert namespace["VERSION"] == VERSION
    assert namespace["BUNDLE_ID"] == "org.j3490desk.app"


def test_installed_metadata_agrees_with_pyproject() -> None:
    import j3490_desk

    assert j3490_desk.__version__ in (VERSION, "0.0.0+source")


def test_bundle_holds_every_migration_and_resource_as_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, made = run_spec("linux", monkeypatch, tmp_path)
    (analysis,) = made_of(made, "Analysis")
    shipped = {Path(src).resolve(): Path(folder) for src, folder in analysis.kwargs["datas"]}
    migrations = REPO / "j3490_desk" / "storage" / "migrations"
    expected = [
        p for p in migrations.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ] + [p for p in (REPO / "resources").rglob("*") if p.is_file()]
    assert any(p.name == "env.py" for p in expected)
    assert any(p.parent.name == "versions" and p.suffix == ".py" for p in expected)
    for path in expected:
        assert path in shipped, f"{path} is not in the bundle"
        assert shipped[path] == path.parent.relative_to(REPO), path
    assert not any("__pycache__" in str(src) for src in shipped)
    assert shipped[LICENCES] == Path(".")
    assert (Path("/site/j3490-desk.dist-info").resolve()) in shipped  # __version__ reads it
    assert Path("/site/simple_icd_10_cm/data.txt").resolve() in shipped


def test_spec_excludes_test_tools_and_unused_qt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    namespace, made = run_spec("linux", monkeypatch, tmp_path)
    (analysis,) = made_of(made, "Analysis")
    excludes = set(analysis.kwargs["excludes"])
    assert {"pytest", "_pytest", "hypothesis", "mypy", "ruff", "pytestqt"} <= excludes
    assert {"PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick"} <= excludes
    assert {"PySide6.Qt3DCore", "PySide6.QtDesigner", "PySide6.QtNetwork"} <= excludes
    assert not {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"} & excludes
    assert "j3490_desk" in analysis.kwargs["hiddenimports"]
    assert namespace["USED_QT"] >= {"QtCore", "QtGui", "QtWidgets"}


def test_only_the_qt_plugins_a_window_needs_are_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, made = run_spec("linux", monkeypatch, tmp_path)
    (analysis,) = made_of(made, "Analysis")
    assert {dest for dest, _, _ in analysis.binaries} == KEPT_BINARIES
    assert not [dest for dest, _, _ in analysis.datas if "translations" in dest]


def test_linux_build_is_one_folder_with_a_console(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, made = run_spec("linux", monkeypatch, tmp_path)
    (exe,) = made_of(made, "EXE")
    assert exe.kwargs["name"] == "j3490-desk"
    assert exe.kwargs["exclude_binaries"] is True  # one folder, not one file
    assert made_of(made, "COLLECT")[0].kwargs["name"] == "j3490-desk"
    assert not made_of(made, "BUNDLE")


def test_windows_build_is_windowed_with_icon_version_and_a_cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, made = run_spec("win32", monkeypatch, tmp_path)
    app, cli = made_of(made, "EXE")
    assert app.kwargs["console"] is False  # never a console window with a traceback
    assert app.kwargs["icon"].endswith("j3490-desk.ico")
    assert cli.kwargs["name"] == "j3490-desk-cli" and cli.kwargs["console"] is True
    version_text = Path(app.kwargs["version"]).read_text()
    numbers = tuple(int(n) for n in [*re.findall(r"\d+", VERSION)[:3], "0", "0", "0"][:4])
    assert f"filevers={numbers}" in version_text
    assert f"StringStruct('ProductVersion', '{VERSION}')" in version_text


def test_macos_build_is_an_app_with_the_info_plist(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, made = run_spec("darwin", monkeypatch, tmp_path)
    (exe,) = made_of(made, "EXE")
    assert exe.kwargs["console"] is False
    (bundle,) = made_of(made, "BUNDLE")
    assert bundle.kwargs["name"] == "J3490 Desk.app"
    assert bundle.kwargs["icon"].endswith("j3490-desk.icns")
    info = bundle.kwargs["info_plist"]
    assert info["CFBundleShortVersionString"] == VERSION
    assert info["CFBundleIdentifier"] == "org.j3490desk.app"
    assert info["NSCameraUsageDescription"]
    assert not [v for v in info.values() if isinstance(v, str) and "@" in v and v.endswith("@")]


def test_info_plist_template_has_camera_description_and_high_dpi() -> None:
    info = plistlib.loads(PLIST.read_bytes())
    assert "label" in info["NSCameraUsageDescription"].lower()
    assert info["NSHighResolutionCapable"] is True
    assert re.fullmatch(r"\d+\.\d+", info["LSMinimumSystemVersion"])
    assert info["CFBundleShortVersionString"] == "@VERSION@"  # filled in from pyproject.toml
    assert info["CFBundleIconFile"] == "j3490-desk.icns"


def test_icons_exist_in_every_size() -> None:
    sys.path.insert(0, str(PACKAGING))
    try:
        import make_icons
    finally:
        sys.path.remove(str(PACKAGING))
    assert make_icons.SOURCE == ICONS / "j3490-desk.svg" and make_icons.SOURCE.is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512, 1024):
        with Image.open(ICONS / f"j3490-desk-{size}.png") as png:
            assert png.size == (size, size) and png.mode == "RGBA"
    with Image.open(ICONS / "j3490-desk.ico") as ico:
        assert {(s, s) for s in (16, 24, 32, 48, 256)} <= set(ico.info["sizes"])
    with Image.open(ICONS / "j3490-desk.icns") as icns:
        assert {(16, 16, 2), (256, 256, 1), (512, 512, 2)} <= set(icns.info["sizes"])


def _iss_sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections[current] = []
        elif current:
            sections[current].append(line)
    return sections


def test_windows_installer_is_per_user_and_keeps_user_data_on_uninstall() -> None:
    sections = _iss_sections(ISS.read_text())
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"].startswith("{localappdata}\\Programs\\")
    assert setup["AppVersion"] == "{#AppVersion}"  # passed by the workflow, not hard-coded
    assert setup["OutputBaseFilename"] == "J3490-Desk-Setup-{#AppVersion}"
    assert re.fullmatch(r"\{\{[0-9A-F-]{36}\}", setup["AppId"])  # fixed: upgrades find it
    deletions = sections.get("UninstallDelete", []) + sections.get("InstallDelete", [])
    assert deletions, "expected the program folder's own clean-up entries"
    for line in deletions:
        name = re.search(r'Name:\s*"([^"]+)"', line)
        assert name and name.group(1).startswith("{app}"), line
        assert not re.search(r"appdata|J3490Desk", line, re.IGNORECASE), line
    assert any(line.startswith('Name: "{autoprograms}') for line in sections["Icons"])
    assert "VersionInfoVersion" in setup


def test_licences_file_lists_pyside6_first_and_every_dependency() -> None:
    text = LICENCES.read_text()
    summary = text.split("Summary", 1)[1]
    first = summary.strip().splitlines()[1].strip()
    assert first.lower().startswith("pyside6") and "LGPL-3.0" in first
    assert "replace" in text.split("Summary", 1)[0]  # how to relink/replace the Qt libraries
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    listed = {
        re.split(r"[ :]", line.strip())[0].lower().replace("_", "-")
        for line in summary.splitlines()[2:60]
        if line.startswith("  ")
    }
    for requirement in dependencies:
        name = re.split(r"[<>=!~\[ ;]", requirement)[0].lower().replace("_", "-")
        assert name in listed, f"{name} is missing from {LICENCES.name}"


def test_workflow_builds_each_installer_step_by_step() -> None:
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load(WORKFLOW.read_text())
    jobs = workflow["jobs"]
    runners = {job["runs-on"] for job in jobs.values()}
    assert {"windows-latest", "macos-14", "ubuntu-22.04"} <= runners
    text = WORKFLOW.read_text()
    for needed in (
        "packaging/j3490_desk.spec",
        "iscc",
        "make_dmg.sh",
        "upload-artifact",
        "--version",
    ):
        assert needed in text.lower() if needed == "iscc" else needed in text


def _smoke(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "j3490_desk.ui.smoke", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_smoke_start_opens_and_closes_the_main_window(tmp_path: Path) -> None:
    result = _smoke(tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "main window opened and closed" in result.stderr
    assert (tmp_path / "data" / "claims.sqlite").is_file()


def test_smoke_start_on_a_damaged_database_prints_the_message_and_exits_2(
    tmp_path: Path,
) -> None:
    (tmp_path / "data").mkdir()
    damaged = b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 300
    (tmp_path / "data" / "claims.sqlite").write_bytes(damaged)
    result = _smoke(tmp_path / "data")
    assert result.returncode == 2
    assert "cannot open your data" in result.stderr and "What to do:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert (tmp_path / "data" / "claims.sqlite").read_bytes() == damaged


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("J3490_BUILD_BUNDLE") != "1",
    reason="builds the bundle: set J3490_BUILD_BUNDLE=1",
)
def test_linux_bundle_builds_and_starts() -> None:
    pytest.importorskip("PyInstaller")
    result = subprocess.run(
        ["bash", str(PACKAGING / "build_linux.sh")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"j3490-desk {VERSION}" in result.stdout
    size_mb = (
        sum(f.stat().st_size for f in (REPO / "dist" / "j3490-desk").rglob("*") if f.is_file())
        / 1_000_000
    )
    assert size_mb < 250
