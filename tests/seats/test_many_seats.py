"""Issue 17 item 7: several seats, each its own process, save and move 200 claims at once, some
of them the same claims. Afterwards every claim is there and whole, every save that was
accepted is in the claim (none lost), every refused one was refused in the clerk's words, the
audit chain verifies, and no "deadlock" or "serialization" reached anyone.

On the server (`postgresql`): 4 seats, each with its own data folder, one database. On SQLite:
2 seats sharing one data folder, as two processes on one computer do.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import col, select

from j3490_desk.models import Claim, ClaimEvent, DrugLine
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage.server_url import DATABASE_URL_ENV

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = 200
TOKEN = re.compile(r"s\d+e\d+")  # a seat's save, as seat_worker writes it
UNTRANSLATED = ("deadlock", "serializ", "traceback", "staledata", "psycopg", "sqlalchemy")


@pytest.mark.postgresql
def test_four_seats_on_the_server_save_and_move_200_claims_at_once(
    shared_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, shared_url)
    folders = [tmp_path / f"seat{seat}" for seat in range(4)]
    # `audit verify` on the shared database runs for a named account (cli.signed_in).
    person = {"J3490_DESK_USER": "auditor", "J3490_DESK_USER_PASSWORD": "auditor's password"}
    _run_seats(tmp_path, folders, {DATABASE_URL_ENV: shared_url, **person})


@pytest.mark.sqlite_only
def test_two_processes_on_one_sqlite_folder_save_and_move_the_same_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    folder = tmp_path / "shared-folder"
    open_app_data(folder).close()  # made and migrated once, before the seats start
    _run_seats(tmp_path, [folder, folder], {})


def _run_seats(tmp_path: Path, folders: list[Path], env: dict[str, str]) -> None:
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    seats = len(folders)
    outputs = [tmp_path / f"seat{seat}.json" for seat in range(seats)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.seats.seat_worker",
                *(str(arg) for arg in (seat, seats, CLAIMS // seats, folder, barrier, out)),
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seat, (folder, out) in enumerate(zip(folders, outputs, strict=True))
    ]
    ends = [process.communicate(timeout=900) for process in processes]
    elapsed = time.monotonic() - started
    for process, (stdout, stderr) in zip(processes, ends, strict=True):
        assert process.returncode == 0, stderr
        assert not any(word in (stdout + stderr).lower() for word in UNTRANSLATED), stderr
    reports = [json.loads(out.read_text()) for out in outputs]

    data = open_app_data(folders[0])
    try:
        with data.db.read() as session:
            rows = {row.id: row for row in session.exec(select(Claim))}
            lines = Counter(
                session.exec(select(col(DrugLine.claim_id)).order_by(col(DrugLine.id))).all()
            )
            names = set(session.exec(select(col(DrugLine.brand_name))).all())
            events = session.exec(select(ClaimEvent).order_by(col(ClaimEvent.id))).all()
    finally:
        data.close()

    created = [claim_id for report in reports for claim_id in report["created"]]
    assert len(created) == len(set(created)) == CLAIMS and set(rows) == set(created)
    assert all(lines[claim_id] == 2 for claim_id in created)  # every claim whole
    assert len(names) == 2 * CLAIMS
    # No lost update: each accepted save's token is in its claim, and nothing else is.
    saved: dict[int, list[str]] = {}
    for report in reports:
        for claim_id, tokens in report["saves"].items():
            saved.setdefault(int(claim_id), []).extend(tokens)
    for claim_id, row in rows.items():
        tokens = [word for word in row.prior_treatments.split() if TOKEN.fullmatch(word)]
        assert sorted(tokens) == sorted(saved.get(claim_id, [])), claim_id
    # Each accepted move is one event, and the events of a claim follow one another.
    moved = Counter[int]()
    for report in reports:
        moved.update({int(claim_id): count for claim_id, count in report["moves"].items()})
    assert Counter(event.claim_id for event in events) == moved
    last: dict[int, str] = {}
    for event in events:
        assert event.from_status == last.get(event.claim_id, "draft")
        last[event.claim_id] = event.to_status
    assert all(rows[claim_id].status == status for claim_id, status in last.items())
    # Refusals happened, each in the clerk's words; nothing else went wrong.
    refused = [message for report in reports for message in report["refused"]]
    assert refused and all("your changes were not saved" in m for m in refused)
    said = refused + [m for report in reports for m in report["lifecycle"] + report["other"]]
    assert not any(word in message.lower() for message in said for word in UNTRANSLATED)
    assert [m for report in reports for m in report["other"]] == []

    verify = subprocess.run(
        [sys.executable, "-m", "j3490_desk", "--data-dir", str(folders[0]), "audit", "verify"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "audit log intact" in verify.stdout
    saves = sum(len(tokens) for tokens in saved.values())
    print(
        f"\n{seats} seats, {CLAIMS} claims: {elapsed:.1f} s; {saves} saves, {len(refused)} "
        f"refused as stale and saved again after a reload, {sum(moved.values())} moves, "
        f"{sum(len(r['lifecycle']) for r in reports)} moves refused by the lifecycle, "
        f"{sum(len(r['collisions']) for r in reports)} collisions retried"
    )
