"""A second throw-away PostgreSQL cluster that asks for passwords (SCRAM), for the wrong- and
missing-password tests: the main test cluster trusts every local connection.

Debian's server binaries, as tools/pg_cluster.sh uses them; as root the cluster belongs to the
`postgres` user. Yields the URL of a database `j3490` owned by login `billing` (no password in
the URL, as always), whose password is PASSWORD.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PASSWORD = "correct horse battery"


def server_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def password_cluster() -> Iterator[str]:
    binaries = server_binaries()
    assert binaries is not None
    folder = Path(tempfile.mkdtemp(prefix="j3490-scram-"))  # not under pytest's 0700 folders
    data = folder / "data"
    secret = folder / "pwfile"
    secret.write_text("superuser secret\n")
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(secret, "postgres")
    port = _free_port()
    run = subprocess.run
    run(
        _as_owner(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "admin",
                f"--pwfile={secret}",
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = str(binaries / "pg_ctl")
    run(
        _as_owner(
            [pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w", "-o", options, "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        psql = str(binaries / "psql")
        for statement in (
            f"CREATE ROLE billing LOGIN PASSWORD '{PASSWORD}'",
            "CREATE DATABASE j3490 OWNER billing",
        ):
            run(
                _as_owner(
                    [
                        psql,
                        "-h",
                        str(folder),
                        "-p",
                        str(port),
                        "-U",
                        "admin",
                        "-d",
                        "postgres",
                        "-c",
                        statement,
                    ]
                ),
                check=True,
                capture_output=True,
            )
        yield f"postgresql+psycopg://billing@127.0.0.1:{port}/j3490?sslmode=disable"
    finally:
        stop = [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]
        run(_as_owner(stop), check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
