"""A save the server broke off because another seat's collided with it (deadlock) is tried
again a few times; after that the clerk gets the translated message, never the server's."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from j3490_desk.models import Claim
from j3490_desk.services import claims, concurrency
from j3490_desk.services.app_data import AppData, open_app_data
from j3490_desk.storage.server_database import ConcurrentSaveError
from j3490_desk.storage.server_url import DATABASE_URL_ENV
from tests.sample_claims import sample_claim


def _collision() -> ConcurrentSaveError:
    return ConcurrentSaveError("Another computer was saving the same records.", "Save again.")


def test_a_collided_unit_of_work_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(concurrency, "PAUSE_S", 0)
    tries: list[int] = []

    def unit() -> str:
        tries.append(1)
        if len(tries) < concurrency.ATTEMPTS:
            raise _collision()
        return "saved"

    assert concurrency.retried(unit) == "saved"
    assert len(tries) == concurrency.ATTEMPTS


def test_retries_are_bounded_and_end_in_the_translated_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(concurrency, "PAUSE_S", 0)
    tries: list[int] = []

    def unit() -> None:
        tries.append(1)
        raise _collision()

    with pytest.raises(ConcurrentSaveError, match="Another computer"):
        concurrency.retried(unit)
    assert len(tries) == concurrency.ATTEMPTS


@pytest.mark.postgresql
def test_a_real_deadlock_between_two_seats_is_retried_and_both_changes_land(
    shared_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two seats lock two claims in opposite orders: the server breaks one off (deadlock), which
    reaches the service translated, is retried, and goes through once the other is done."""
    monkeypatch.setenv(DATABASE_URL_ENV, shared_url)
    seats = [open_app_data(tmp_path / "a"), open_app_data(tmp_path / "b")]
    seats[0].user, seats[1].user = "mreyes", "jchen"
    first, second = (claims.create_claim(seats[0], sample_claim()) for _ in range(2))
    both_hold_one = threading.Barrier(2, timeout=30)
    attempts: list[str] = []

    def archive_both(data: AppData, order: tuple[int, int]) -> None:
        def unit() -> None:
            first_try = data.user not in attempts
            attempts.append(data.user)
            with data.db.write() as session:
                for position, claim_id in enumerate(order):
                    if position == 1 and first_try:  # each holds one: now each wants the other's
                        both_hold_one.wait()
                    row = concurrency.locked_claim(session, claim_id)
                    assert row is not None
                    row.archived_at = datetime.now(UTC)

        concurrency.retried(unit)

    threads = [
        threading.Thread(target=archive_both, args=(seats[0], (first, second))),
        threading.Thread(target=archive_both, args=(seats[1], (second, first))),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)
        # one of the two was broken off (deadlock) and tried once more
        assert len(attempts) == 3 and set(attempts) == {"mreyes", "jchen"}
        with seats[0].db.read() as session:
            rows = [session.get(Claim, claim_id) for claim_id in (first, second)]
            assert all(row is not None and row.archived_at is not None for row in rows)
    finally:
        for data in seats:
            data.close()
