"""Run the `j3490-desk` CLI as the unprivileged user `nobody`, for the read-only folder tests.

    python -m tests.reliability.unprivileged_cli UID GID j3490-desk-arguments...

Root ignores file permissions, so a test running as root cannot see what a clerk sees on a
read-only folder. `subprocess.run(user=..., group=...)` is the usual way out, but it needs the
Python interpreter to be reachable by that user, and a Python installed under root's home
(pyenv in /root, mode 0700) is not. This runner starts as root instead, imports the CLI and
every module it may import later, then gives up root for good (groups, group, user, in that
order) before it runs the command: everything that touches the data folder runs as UID, with
the kernel enforcing the permissions.
"""

from __future__ import annotations

import importlib
import os
import sys

from j3490_desk.cli import run
from j3490_desk.domain.icd10 import lookup_icd10

# Imported lazily by the commands and by SQLAlchemy/Alembic; once root is given up, files under
# an unreachable prefix cannot be imported, so they are all loaded first.
LIBRARIES = (
    "alembic.command",
    "alembic.config",
    "alembic.runtime.migration",
    "alembic.script",
    "alembic.util",
    "fcntl",
    "jsonschema",
    "pypdf",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.exc",
    "sqlmodel",
)


# What the `claim` commands import when they run (our own files stay reachable: it is the
# libraries they pull in that must be loaded now).
CLAIM_COMMANDS = (
    "j3490_desk.services.claim_check",
    "j3490_desk.services.claim_json",
    "j3490_desk.services.claim_list",
    "j3490_desk.services.claims",
    "j3490_desk.services.reference",
    "j3490_desk.storage.audit",
)


def preload() -> None:
    for name in LIBRARIES:
        importlib.import_module(name)
    for name in CLAIM_COMMANDS:
        importlib.import_module(name)
    lookup_icd10("C44.42")  # loads the ICD-10-CM code set, a data file beside its package


def drop_root(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.geteuid() != uid or os.getegid() != gid:
        raise SystemExit("could not give up root")


def main(argv: list[str]) -> int:
    uid, gid, *arguments = argv
    preload()
    drop_root(int(uid), int(gid))
    return run(arguments)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
