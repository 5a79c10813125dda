"""Shared fixtures. Qt runs offscreen; every test gets its own data folder and Qt settings."""

from __future__ import annotations

import os

# Must be set before any QApplication exists: without a display Qt would abort the process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from j3490_desk.services.app_data import AppData, open_app_data

# CI runs the same examples every time, so a landing never depends on luck; a developer's run
# explores new ones (and Hypothesis keeps any failure it finds in .hypothesis/ for next time).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QSettings and the default data folder live under a temporary home, never the real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("J3490_DESK_DATA_DIR", raising=False)


@pytest.fixture
def app_data(tmp_path: Path) -> Iterator[AppData]:
    data = open_app_data(tmp_path / "data")
    yield data
    data.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.reliability.fuzz_tally import TRIED

    for target, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"fuzz: {count} inputs tried on the {target}")
