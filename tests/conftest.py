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
from j3490_desk.storage.server_url import DATABASE_URL_ENV
from tests.test_server import TestServer

# CI runs the same examples every time, so a landing never depends on luck; a developer's run
# explores new ones (and Hypothesis keeps any failure it finds in .hypothesis/ for next time).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

FIXTURES = Path(__file__).parent / "fixtures"


# The shared-database tests need a PostgreSQL server they may create and drop databases on:
# the admin URL of a throw-away cluster (tools/pg_cluster.sh start prints it). Without it they
# skip; `--engine postgresql` then runs the storage, services and CLI tests on it as well.
TEST_SERVER_ENV = "J3490_TEST_DATABASE_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="where the claims live in every test: each test's SQLite data folder (default), "
        f"or a fresh database per test on the server ${TEST_SERVER_ENV} names",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: about the SQLite file itself (encryption, WAL, file swaps)"
    )
    config.addinivalue_line(
        "markers", f"postgresql: needs the PostgreSQL server ${TEST_SERVER_ENV} names"
    )
    if config.getoption("--engine") == "postgresql" and not os.environ.get(TEST_SERVER_ENV):
        raise pytest.UsageError(f"--engine postgresql needs ${TEST_SERVER_ENV}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_server = config.getoption("--engine") == "postgresql"
    for item in items:
        if on_server and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="about the SQLite file, not the server"))
        if item.get_closest_marker("postgresql") and not os.environ.get(TEST_SERVER_ENV):
            item.add_marker(
                pytest.mark.skip(reason=f"no PostgreSQL server: set ${TEST_SERVER_ENV}")
            )


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
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)


@pytest.fixture(autouse=True)
def _engine_of_the_run(
    request: pytest.FixtureRequest, _isolated_user_folders: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """With --engine postgresql, every test's data is in a fresh database on the test server."""
    if request.config.getoption("--engine") != "postgresql":
        yield
        return
    server = request.getfixturevalue("test_server")
    with server.fresh_database() as url:
        monkeypatch.setenv(DATABASE_URL_ENV, url)
        # A command on a shared database names its person (cli.signed_in); the first command
        # of a test makes this account.
        monkeypatch.setenv("J3490_DESK_USER", "tester")
        monkeypatch.setenv("J3490_DESK_USER_PASSWORD", "tester's long password")
        yield


@pytest.fixture(scope="session")
def test_server() -> Iterator[TestServer]:
    """The PostgreSQL server the shared-database tests create their databases on."""
    admin_url = os.environ.get(TEST_SERVER_ENV)
    if not admin_url:
        pytest.skip(f"no PostgreSQL server: set ${TEST_SERVER_ENV}")
    server = TestServer(admin_url)
    yield server
    server.close()


@pytest.fixture
def shared_url(test_server: TestServer) -> Iterator[str]:
    """A fresh, migrated database on the test server, whatever --engine says."""
    with test_server.fresh_database() as url:
        yield url


@pytest.fixture
def app_data(tmp_path: Path) -> Iterator[AppData]:
    data = open_app_data(tmp_path / "data")
    yield data
    data.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.reliability.fuzz_tally import TRIED

    for target, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"fuzz: {count} inputs tried on the {target}")
