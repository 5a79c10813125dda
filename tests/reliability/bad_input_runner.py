"""Run many CLI commands on bad inputs in one process, and say what each did.

    python -m tests.reliability.bad_input_runner DATA_DIR WORK_DIR TODAY FILE...

For each claim file: `claim import`, then `claim check FILE`, then `claim packet` of the new
claim when the import stored one. For each backup zip: `backup verify`, then `backup restore`
into an empty folder. Each command runs through `j3490_desk.__main__.main`, as the console
script does; starting Python once per batch instead of once per command keeps the corpus fast.
After every refusal the database must pass `PRAGMA integrity_check` with every table's row
count unchanged. One JSON line per input goes to stdout; an exception escaping a command
gives the status "traceback", with the traceback as what the command said.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import sys
import traceback
from pathlib import Path
from typing import Any

from j3490_desk.__main__ import main


def call(arguments: list[str]) -> tuple[int | str, str, str]:
    """The exit status, stdout and stderr of one command; "traceback" if an exception
    escaped (its traceback is then the stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status: int | str = main(arguments)
    except SystemExit as exit_:  # argparse refusing an argument
        status = exit_.code if isinstance(exit_.code, int) else 2
    except BaseException:  # noqa: BLE001 - any exception escaping a command is the finding
        return "traceback", "", f"Traceback in {arguments}:\n{traceback.format_exc()}"
    return status, out.getvalue(), err.getvalue()


def database_state(database: Path) -> dict[str, Any]:
    if not database.exists():
        return {}
    with contextlib.closing(sqlite3.connect(database)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        counts = {
            t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
        }
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    return {"integrity": integrity, "counts": counts}


def run_claim(data_dir: Path, work: Path, today: str, path: Path) -> dict[str, Any]:
    database = data_dir / "claims.sqlite"
    before = database_state(database)
    base = ["--data-dir", str(data_dir), "claim"]
    imported, claim_id, said = call([*base, "import", str(path)])
    after = database_state(database)
    result: dict[str, Any] = {
        "file": path.name,
        "import": imported,
        "import_says": said[-2000:],
        "unchanged": after == before,
        "integrity": after.get("integrity"),
    }
    result["check"], _, _ = call([*base, "check", str(path), "--today", today])
    if imported == 0:
        out = work / f"{path.stem}.pdf"
        result["packet"], _, packet_said = call(
            [*base, "packet", claim_id.strip(), "--out", str(out), "--today", today]
        )
        result["packet_says"] = packet_said[-2000:]
    return result


def run_backup(data_dir: Path, work: Path, path: Path) -> dict[str, Any]:
    database = data_dir / "claims.sqlite"
    before = database_state(database)
    verified, verify_out, verify_err = call(
        ["--data-dir", str(data_dir), "backup", "verify", str(path)]
    )
    said = verify_out + verify_err
    target = work / f"restore-{path.stem}"
    restored, _, restore_said = call(["--data-dir", str(target), "backup", "restore", str(path)])
    return {
        "file": path.name,
        "verify": verified,
        "verify_says": said[-2000:],
        "restore": restored,
        "restore_says": restore_said[-2000:],
        "unchanged": database_state(database) == before,
    }


def main_runner(argv: list[str]) -> int:
    data_dir, work, today, *files = argv
    for name in files:
        path = Path(name)
        if path.suffix == ".zip":
            result = run_backup(Path(data_dir), Path(work), path)
        else:
            result = run_claim(Path(data_dir), Path(work), today, path)
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main_runner(sys.argv[1:]))
