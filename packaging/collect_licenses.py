"""Write packaging/THIRD_PARTY_LICENSES.txt: the licence of every library the app bundle ships.

    python packaging/collect_licenses.py          # rewrite the file
    python packaging/collect_licenses.py --check  # exit 1 if the file is out of date

The list is the installed runtime dependency closure of j3490-desk (extras and test tools left
out), plus the optional libraries the bundle takes when they are installed (BUNDLED_IF_PRESENT),
read from each distribution's metadata: name, version, licence expression or classifiers, and
the text of every licence file its wheel ships. PySide6 and shiboken6 come first, with the
LGPL-3.0 terms a user of the bundle has (to replace the Qt libraries), then Python itself,
the PyInstaller bootloader and the fonts in resources/. Output is sorted and has no dates, so
rerunning it on the same installed set changes nothing. Offline: it reads only local files.
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement

PACKAGING = Path(__file__).resolve().parent
REPO = PACKAGING.parent
OUTPUT = PACKAGING / "THIRD_PARTY_LICENSES.txt"
APP_DISTRIBUTION = "j3490-desk"
# Imported by j3490_desk (attachments, label reading) when installed; the spec bundles them then.
# pypdf encrypts packets (AES-256) with cryptography when it is installed.
BUNDLED_IF_PRESENT = (
    "pillow-heif",
    "zxing-cpp",
    "pypdfium2",
    "cryptography",
    # psycopg's libpq build (with the OpenSSL it links), installed by psycopg's "binary" extra
    "psycopg-binary",
    "PySide6-Addons",
    "PySide6-Pdf",
)
QT_FIRST = ("pyside6-essentials", "pyside6-addons", "pyside6-pdf", "shiboken6")
# Where a wheel ships no licence text, the text of its licence on this machine (Debian).
COMMON_LICENSES = Path("/usr/share/common-licenses")
LICENCE_FILE = re.compile(r"^(licen[cs]e|copying|notice|authors)", re.IGNORECASE)
RULE = "=" * 78

QT_NOTE = """\
J3490 Desk uses Qt for Python (PySide6 and shiboken6) and the Qt libraries they contain,
under the GNU Lesser General Public License version 3 (LGPL-3.0-only). Qt is developed by
The Qt Company and contributors: https://www.qt.io/ and https://code.qt.io/.

Your rights under the LGPL, and how to use them with this app:

- The Qt and PySide6 libraries are shipped as separate, unmodified shared libraries, never
  linked statically into the app:
    Windows:  <install folder>\\_internal\\PySide6\\ (Qt6*.dll, pyside6*.dll, shiboken6*.dll)
    macOS:    J3490 Desk.app/Contents/Frameworks/PySide6/Qt/lib/ (Qt*.framework)
    Linux:    j3490-desk/_internal/PySide6/Qt/lib/ (libQt6*.so.6), j3490-desk/_internal/*.so
- You may replace them with your own build of the same Qt/PySide6 version (or a compatible
  later one): build Qt and PySide6 from the sources at https://code.qt.io/ (the exact
  version is listed below), then copy your libraries over the ones in the folders above,
  keeping their file names. The app loads whatever libraries it finds there.
- You may also rebuild the whole bundle: the app's Python code is in the same bundle, and
  packaging/j3490_desk.spec (PyInstaller) rebuilds it around any PySide6 wheel you install.
- The source code of the exact Qt and PySide6 versions used is available from
  https://download.qt.io/official_releases/ and https://download.qt.io/official_releases/QtForPython/;
  on request we will provide it too.
- The full text of the LGPL-3.0 and of the GPL-3.0 it builds on follows this list.
"""

EXTRA_ENTRIES = (
    (
        "Python",
        f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}",
        "PSF-2.0 (Python Software Foundation License)",
        "The Python interpreter and standard library are bundled. Full terms:\n"
        "https://docs.python.org/3/license.html",
    ),
    (
        "PyInstaller bootloader",
        "",
        "GPL-2.0-or-later WITH Bootloader-exception",
        "The small program that starts the bundle is PyInstaller's bootloader. Its licence "
        "explicitly allows\nbundling it with programs under any licence: "
        "https://pyinstaller.org/en/stable/license.html",
    ),
)


def runtime_distributions() -> list[Distribution]:
    """j3490-desk's dependency closure (no extras), plus the optional bundled libraries."""
    found: dict[str, Distribution] = {}
    pending = [APP_DISTRIBUTION, *BUNDLED_IF_PRESENT]
    while pending:
        name = pending.pop()
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        key = _key(dist.metadata["Name"])
        if key in found:
            continue
        found[key] = dist
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    found.pop(_key(APP_DISTRIBUTION), None)
    return sorted(found.values(), key=_order)


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _order(dist: Distribution) -> tuple[int, str]:
    key = _key(dist.metadata["Name"])
    return (QT_FIRST.index(key) if key in QT_FIRST else len(QT_FIRST), key)


def licence_name(dist: Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    classifiers = [
        c.removeprefix("License :: ").removeprefix("OSI Approved :: ")
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    text = (meta.get("License") or "").strip()
    if classifiers:
        return "; ".join(classifiers)
    return text.splitlines()[0] if text and len(text) < 200 else (text[:200] or "not stated")


def licence_texts(dist: Distribution) -> list[tuple[str, str]]:
    texts = []
    for file in dist.files or []:
        in_metadata = ".dist-info" in str(file)
        if in_metadata and (LICENCE_FILE.match(file.name) or "/licenses/" in str(file)):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                body = path.read_text(encoding="utf-8", errors="replace").strip()
                texts.append((str(file).split("/", 1)[-1], body))
    return sorted(texts)


def render() -> str:
    dists = runtime_distributions()
    out = [
        "J3490 Desk: third-party software",
        RULE,
        "J3490 Desk bundles the software below. Each entry gives its name, version and licence,",
        "then the licence text its authors ship with it. Generated by",
        "packaging/collect_licenses.py from the installed packages' metadata.",
        "",
        QT_NOTE,
        RULE,
        "Summary",
        RULE,
    ]
    for dist in dists:
        out.append(f"  {dist.metadata['Name']} {dist.version}: {licence_name(dist)}")
    for name, version, licence, _ in EXTRA_ENTRIES:
        out.append(f"  {name} {version}".rstrip() + f": {licence}")
    out.append("  DejaVu fonts (resources/fonts): Bitstream Vera / DejaVu licence (free)")
    out.append("")
    for dist in dists:
        out += [RULE, f"{dist.metadata['Name']} {dist.version}", f"Licence: {licence_name(dist)}"]
        home = dist.metadata.get("Home-page") or _project_url(dist)
        if home:
            out.append(f"Home: {home}")
        texts = licence_texts(dist)
        if not texts:
            out.append("(The package ships no licence file; see the licence named above.)")
        for file_name, body in texts:
            out += ["", f"--- {file_name} ---", body]
        out.append("")
    for name, version, licence, note in EXTRA_ENTRIES:
        out += [RULE, f"{name} {version}".rstrip(), f"Licence: {licence}", "", note, ""]
    fonts_licence = REPO / "resources" / "fonts" / "LICENSE-DejaVu.txt"
    if fonts_licence.is_file():
        out += [RULE, "DejaVu fonts (resources/fonts)", "", fonts_licence.read_text().strip(), ""]
    for title, file_name in (("LGPL-3.0", "LGPL-3"), ("GPL-3.0", "GPL-3")):
        path = COMMON_LICENSES / file_name
        if path.is_file():
            out += [RULE, f"Full text of the {title}", "", path.read_text().strip(), ""]
    return "\n".join(out).rstrip() + "\n"


def _project_url(dist: Distribution) -> str:
    for entry in dist.metadata.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in {"homepage", "home", "source", "repository"}:
            return url.strip()
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            sys.stderr.write(f"{OUTPUT} is out of date: run python {Path(__file__).name}\n")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {OUTPUT} ({len(text.splitlines())} lines)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
