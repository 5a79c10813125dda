"""Who has a claim open: "Open by NAME on COMPUTER", so two clerks do not type into one claim.

A seat's wizard window takes a hold on its claim when it opens, renews it while it stays open
(`RENEW_EVERY`) and releases it when it closes. Another window that finds the claim held shows
it read-only, naming the holder. A seat that crashed cannot release its hold: one not renewed
for `EXPIRES_AFTER` has lapsed and the next window takes it over.

Holds are advisory: they spare clerks typing twice, and nothing more. What guarantees that no
save is lost is the claim's version counter (`services.concurrency`): a window whose hold
lapsed (its computer slept) still cannot save over a newer version.
"""

from __future__ import annotations

import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from j3490_desk.models import ClaimHold
from j3490_desk.services.app_data import AppData

RENEW_EVERY = timedelta(seconds=60)
# Three renewals missed: the seat is gone (crashed, unplugged), not merely busy for a moment.
EXPIRES_AFTER = timedelta(minutes=3)


@dataclass(frozen=True)
class Holder:
    """The seat that has a claim open."""

    claim_id: int
    user: str
    computer: str
    seat: str
    taken_at: datetime
    renewed_at: datetime

    def describe(self) -> str:
        since = self.taken_at.astimezone()
        day = "" if since.date() == datetime.now(UTC).astimezone().date() else f"{since:%Y-%m-%d} "
        who = self.user or "someone"
        return f"Open by {who} on {self.computer or 'another computer'} since {day}{since:%H:%M}"


def new_seat() -> str:
    """One window's id: the same user on the same computer may have two app windows open."""
    return secrets.token_hex(8)


def this_computer() -> str:
    return socket.gethostname()


def take_hold(
    data: AppData,
    claim_id: int,
    seat: str,
    *,
    computer: str | None = None,
    now: datetime | None = None,
) -> Holder | None:
    """Hold the claim for `seat`, or renew its hold (the window's timer calls this again every
    `RENEW_EVERY`). None when `seat` holds it now; otherwise the seat whose live hold stands
    (one that took it over while this seat's lapsed), and nothing changes."""
    moment = now or datetime.now(UTC)
    for _attempt in range(2):  # two seats inserting the first hold at once: one insert fails
        try:
            return _take(data, claim_id, seat, computer or this_computer(), moment)
        except IntegrityError:
            continue
    return holder_of(data, claim_id, now=moment)


def _take(data: AppData, claim_id: int, seat: str, computer: str, now: datetime) -> Holder | None:
    with data.db.write() as session:
        row = session.get(ClaimHold, claim_id, with_for_update=True)
        if row is not None and row.seat != seat and _live(row, now):
            return _holder(row)
        if row is None:
            row = ClaimHold(claim_id=claim_id)
            session.add(row)
        if row.seat != seat:  # new, or taken over from a seat whose hold lapsed
            row.seat, row.taken_at = seat, now
        row.user, row.computer, row.renewed_at = data.user, computer, now
        session.flush()  # a second seat's insert fails here, inside the retry
        return None


def release_hold(data: AppData, claim_id: int, seat: str) -> None:
    """Let the claim go when the window closes (another seat's hold is left alone)."""
    with data.db.write() as session:
        session.execute(
            delete(ClaimHold).where(
                col(ClaimHold.claim_id) == claim_id, col(ClaimHold.seat) == seat
            )
        )


def holder_of(data: AppData, claim_id: int, *, now: datetime | None = None) -> Holder | None:
    """The seat with a live hold on the claim, if any."""
    return holders(data, [claim_id], now=now).get(claim_id)


def holders(
    data: AppData, claim_ids: list[int], *, now: datetime | None = None
) -> dict[int, Holder]:
    """The live holds on these claims (the work queue shows who has a claim open)."""
    moment = now or datetime.now(UTC)
    with data.db.read() as session:
        rows = session.exec(select(ClaimHold).where(col(ClaimHold.claim_id).in_(claim_ids)))
        return {row.claim_id: _holder(row) for row in rows if _live(row, moment)}


def _live(row: ClaimHold, now: datetime) -> bool:
    return now - row.renewed_at < EXPIRES_AFTER


def _holder(row: ClaimHold) -> Holder:
    return Holder(row.claim_id, row.user, row.computer, row.seat, row.taken_at, row.renewed_at)
