"""'Open by NAME on COMPUTER': a claim open in one seat's window is held; the others see who
holds it; a hold not renewed (a crashed seat) lapses; closing the window lets it go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from j3490_desk.services import claim_holds, claims
from j3490_desk.services.app_data import AppData
from tests.sample_claims import sample_claim

Seats = tuple[AppData, AppData]
NINE = datetime(2020, 1, 6, 14, 3, tzinfo=UTC)  # never today


def test_the_first_seat_holds_the_claim_and_the_second_sees_who(two_seats: Seats) -> None:
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    my_seat, their_seat = claim_holds.new_seat(), claim_holds.new_seat()

    assert claim_holds.take_hold(mine, claim_id, my_seat, computer="FRONT-DESK", now=NINE) is None
    holder = claim_holds.take_hold(
        theirs, claim_id, their_seat, computer="BACK-OFFICE", now=NINE + timedelta(minutes=1)
    )

    assert holder is not None
    assert (holder.user, holder.computer, holder.seat) == ("mreyes", "FRONT-DESK", my_seat)
    local = NINE.astimezone()  # another day than today: the date is said too
    assert holder.describe() == f"Open by mreyes on FRONT-DESK since {local:%Y-%m-%d %H:%M}"
    assert claim_holds.holders(theirs, [claim_id], now=NINE)[claim_id] == holder


def test_renewing_keeps_the_hold_and_a_crashed_seats_hold_lapses(two_seats: Seats) -> None:
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    my_seat, their_seat = claim_holds.new_seat(), claim_holds.new_seat()
    claim_holds.take_hold(mine, claim_id, my_seat, now=NINE)
    for minutes in (1, 2, 3, 4):  # my window's timer renews it
        renewed = NINE + timedelta(minutes=minutes)
        assert claim_holds.take_hold(mine, claim_id, my_seat, now=renewed) is None
        assert claim_holds.take_hold(theirs, claim_id, their_seat, now=renewed) is not None

    last_renewal = NINE + timedelta(minutes=4)
    lapsed = last_renewal + claim_holds.EXPIRES_AFTER  # then my seat crashed: no renewal since
    assert claim_holds.holder_of(theirs, claim_id, now=lapsed - timedelta(seconds=1)) is not None
    assert claim_holds.holder_of(theirs, claim_id, now=lapsed) is None
    assert claim_holds.take_hold(theirs, claim_id, their_seat, now=lapsed) is None
    taken = claim_holds.take_hold(mine, claim_id, my_seat, now=lapsed)  # mine woke up
    assert taken is not None and taken.user == "jchen" and taken.taken_at == lapsed


def test_closing_the_window_releases_only_its_own_hold(two_seats: Seats) -> None:
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    my_seat, their_seat = claim_holds.new_seat(), claim_holds.new_seat()
    claim_holds.take_hold(mine, claim_id, my_seat)
    claim_holds.release_hold(theirs, claim_id, their_seat)  # theirs was read-only: no hold
    assert claim_holds.holder_of(theirs, claim_id) is not None
    claim_holds.release_hold(mine, claim_id, my_seat)
    assert claim_holds.holder_of(theirs, claim_id) is None
    assert claim_holds.take_hold(theirs, claim_id, their_seat) is None


def test_a_hold_changes_nothing_in_the_claim(two_seats: Seats) -> None:
    """Holds are advisory: taking one is no save, so no open window finds the claim changed."""
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    _, version = claims.get_claim_version(mine, claim_id)
    claim_holds.take_hold(theirs, claim_id, claim_holds.new_seat())
    assert claims.get_claim_version(mine, claim_id)[1] == version
