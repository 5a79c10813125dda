"""One seat of the many-seats test, run as its own process: creates its claims, waits for the
other seats, then saves and moves claims that every seat is saving and moving at the same time.

Each save appends the seat's token to the claim's prior-treatments text of the version it
loaded, so a lost update shows as a missing token. A save refused because another seat saved
first must say so in the clerk's words; the seat then reloads and tries again, as a clerk would.
It writes what it did (each save's token, each move, each refusal's message) as JSON for the
test to check against the database.

    python -m tests.seats.seat_worker SEAT SEATS CLAIMS DATA_DIR BARRIER_DIR OUT_JSON
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from j3490_desk.domain import claim as d
from j3490_desk.errors import InvalidInputError, KnownError
from j3490_desk.services import checks, claim_status, claims, concurrency, drafts
from j3490_desk.services.app_data import AppData, open_app_data
from j3490_desk.services.concurrency import ClaimChangedElsewhereError
from j3490_desk.storage.server_database import ConcurrentSaveError
from tests.sample_claims import sample_claim

SAVE_TRIES = 40  # a clerk reloading and saving again, until the others leave the claim alone
SHARED_EVERY = 4  # every 4th claim (by id) is saved and moved by every seat


def main(seat: int, seats: int, count: int, data_dir: Path, barrier: Path, out: Path) -> None:
    # The claim check is not what this test is about: it finds nothing, so a move is allowed
    # by the lifecycle alone (mark ready from draft, back to draft from ready).
    checks.claim_findings = lambda *_args, **_kwargs: []  # type: ignore[assignment]
    _count_collisions()
    rng = random.Random(seat)
    data = open_app_data(data_dir)
    data.user = f"seat{seat}"
    report: dict[str, Any] = {
        "created": [],
        "saves": {},
        "moves": {},
        "refused": [],
        "lifecycle": [],
        "other": [],
    }
    try:
        created = report["created"]
        for number in range(count):
            created.append(claims.create_claim(data, _new_claim(seat, number)))
        _meet(barrier, f"created{seat}", seats)
        everyone = sorted(claims_of_all(data))
        shared = [claim_id for claim_id in everyone if claim_id % SHARED_EVERY == 0]
        mine = [claim_id for claim_id in created if claim_id % SHARED_EVERY != 0]
        rng.shuffle(mine)
        work = shared + mine  # the shared claims in one order: the seats meet on each of them
        for step, claim_id in enumerate(work):
            # On the first claim every seat opens it, waits for the others to have it open too,
            # then saves: all but one are refused, whatever the machine's speed.
            meet = (lambda: _meet(barrier, f"opened{seat}", 2 * seats)) if step == 0 else None
            _save(data, seat, step, claim_id, rng, report, meet)
            _move(data, claim_id, report)
    finally:
        data.close()
        report["collisions"] = COLLISIONS
        out.write_text(json.dumps(report))


COLLISIONS: list[str] = []  # each save the server broke off and the seat tried again


def _count_collisions() -> None:
    """Count what `concurrency.retried` absorbs: the test reports how often seats collided."""
    original = concurrency.retried

    def counting(unit: Callable[[], Any]) -> Any:
        def counted() -> Any:
            try:
                return unit()
            except ConcurrentSaveError as error:
                COLLISIONS.append(error.message)
                raise

        return original(counted)

    for module in (claims, claim_status):
        module.retried = counting  # type: ignore[attr-defined]


def claims_of_all(data: AppData) -> list[int]:
    from sqlmodel import col, select

    from j3490_desk.models import Claim

    with data.db.read() as session:
        return list(session.exec(select(col(Claim.id))))


def _new_claim(seat: int, number: int) -> d.Claim:
    base = sample_claim()
    first = dataclasses.replace(base.drug_lines[0], brand_name=f"S{seat}N{number}A")
    second = dataclasses.replace(base.drug_lines[0], brand_name=f"S{seat}N{number}B", id=None)
    patient = dataclasses.replace(base.patient, name=f"Seat{seat} Patient{number}")
    return dataclasses.replace(base, patient=patient, drug_lines=(first, second))


def _meet(barrier: Path, name: str, until: int) -> None:
    """Wait for the other seats: each leaves a file in the barrier folder."""
    (barrier / name).write_text("here")
    while len(list(barrier.iterdir())) < until:
        time.sleep(0.02)


def _save(
    data: AppData,
    seat: int,
    step: int,
    claim_id: int,
    rng: random.Random,
    report: dict[str, Any],
    meet: Callable[[], None] | None = None,
) -> None:
    token = f"s{seat}e{step}"
    for attempt in range(SAVE_TRIES):
        opened = drafts.open_draft(data, claim_id)
        if meet is not None and attempt == 0:
            meet()
        time.sleep(rng.random() * 0.02)  # the clerk types; other seats save meanwhile
        necessity = opened.claim.medical_necessity
        treatments = f"{necessity.prior_treatments} {token}".strip()
        edited = dataclasses.replace(
            opened.claim,
            medical_necessity=dataclasses.replace(necessity, prior_treatments=treatments),
        )
        try:
            claims.update_claim(data, edited, version=opened.version)
        except ClaimChangedElsewhereError as refused:
            report["refused"].append(refused.message)
            continue
        except KnownError as error:
            report["other"].append(str(error))
            return
        report["saves"].setdefault(str(claim_id), []).append(token)
        return
    report["other"].append(f"claim {claim_id}: not saved after {SAVE_TRIES} reloads")


def _move(data: AppData, claim_id: int, report: dict[str, Any]) -> None:
    status = claims.get_claim(data, claim_id).status
    try:
        if status is d.ClaimStatus.DRAFT:
            claim_status.mark_ready(data, claim_id)
        else:
            claim_status.back_to_draft(data, claim_id, note="seat test")
    except ClaimChangedElsewhereError as refused:
        report["refused"].append(refused.message)
        return
    except InvalidInputError as refused:
        # Another seat moved it between the look and the move: the lifecycle refuses, clearly.
        report["lifecycle"].append(str(refused))
        return
    except KnownError as error:
        report["other"].append(str(error))
        return
    report["moves"][str(claim_id)] = report["moves"].get(str(claim_id), 0) + 1


if __name__ == "__main__":
    seat_, seats_, count_ = (int(arg) for arg in sys.argv[1:4])
    main(seat_, seats_, count_, Path(sys.argv[4]), Path(sys.argv[5]), Path(sys.argv[6]))
