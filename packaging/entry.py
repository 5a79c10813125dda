"""The frozen app's entry point (PyInstaller runs this file as `__main__`).

It is `j3490-desk` itself, plus two things only a bundle needs:

- A windowed Windows build (console=False) starts with `sys.stdout` and `sys.stderr` set to
  None; anything that writes to them (the crash handler's log line, a library warning) would
  then raise inside the error path. They are pointed at os.devnull instead, so a bug still
  reaches the crash dialog and never a console.
- `--smoke-test` (see j3490_desk/ui/smoke.py) is dispatched here too, so the bundle can be
  checked whether or not `j3490_desk/__main__.py` dispatches it yet.
"""

from __future__ import annotations

import os
import sys


def _give_windowed_build_somewhere_to_write() -> None:
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115  (lives as long as the process)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def main() -> int:
    _give_windowed_build_somewhere_to_write()
    args = sys.argv[1:]
    if args[:1] == ["--smoke-test"]:
        from j3490_desk.ui.smoke import run_smoke

        return run_smoke(args[1:])
    from j3490_desk.__main__ import main as app_main

    return app_main(args)


if __name__ == "__main__":
    sys.exit(main())
