"""Run one CLI command and SIGKILL this process at its Nth file-system step, so a test can
kill an operation at every step in turn: each rename, delete and folder removal counts. (An
fsync does not: a SIGKILL loses nothing the kernel already has, so killed just before an fsync
the disk holds what it holds just after the step before it.)

    python -m tests.storage.step_killer N j3490-desk-arguments...
    python -m tests.storage.step_killer N attach DATA_DIR CLAIM_ID FILE   (an attachment add)

N = 0 never kills: the command runs to the end and the last line says how many steps it took.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

STEPS = ("replace", "rename", "unlink", "rmdir")


def _counting(kill_at: int) -> Callable[[], int]:
    count = 0

    def wrap(real: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            nonlocal count
            count += 1
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return step

    for name in STEPS:
        setattr(os, name, wrap(getattr(os, name)))
    return lambda: count


def main() -> int:
    kill_at, arguments = int(sys.argv[1]), sys.argv[2:]
    steps = _counting(kill_at)
    status = _attach(*arguments[1:]) if arguments[0] == "attach" else _cli(arguments)
    print(f"steps: {steps()}")
    return status


def _cli(arguments: list[str]) -> int:
    from j3490_desk.cli import run

    return run(arguments)


def _attach(data_dir: str, claim_id: str, file: str) -> int:
    from pathlib import Path

    from j3490_desk.services import attachments
    from j3490_desk.services.app_data import open_app_data

    data = open_app_data(data_dir)
    try:
        attachments.add_attachment(
            data,
            claim_id=int(claim_id),
            drug_line_id=None,
            kind=attachments.AttachmentKind.INVOICE,
            source=Path(file),
            original_name=Path(file).name,
        )
    finally:
        data.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
