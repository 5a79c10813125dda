"""A save the server broke off because another seat's collided with it (deadlock) is tried
again a few times; after that the clerk gets the translated message, never the server's."""

from __future__ import annotations

import pytest

from j3490_desk.services import concurrency
from j3490_desk.storage.server_database import ConcurrentSaveError


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
