"""Entry point: `j3490-desk` with a command runs the CLI; without one it opens the app."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--smoke-test"]:  # the installers' check: open and close the main window
        from j3490_desk.ui.smoke import run_smoke

        return run_smoke(args[1:])
    if _wants_cli(args):
        from j3490_desk.cli import run

        return run(args)
    from j3490_desk.ui.app import run_app  # Qt is imported only when the window is wanted

    return run_app(args)


_WINDOW_OPTIONS = ("--data-dir", "--database-url")  # the window takes these; anything else: CLI


def _wants_cli(args: list[str]) -> bool:
    """Anything but `--data-dir DIR` and `--database-url URL` (or nothing) is a CLI call."""
    rest = list(args)
    for option in _WINDOW_OPTIONS:
        if option in rest:
            at = rest.index(option)
            del rest[at : at + 2]
        rest = [a for a in rest if not a.startswith(f"{option}=")]
    return bool(rest)


if __name__ == "__main__":
    sys.exit(main())
