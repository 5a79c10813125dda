"""Several seats saving at once: a claim save made from an older version is refused, saying who
changed the claim and when, and a unit of work that re-reads what it checks is retried when the
server broke off a collision (deadlock).

Each save of a claim raises its version counter (`models.tables.Claim.version`). A window
remembers the version it loaded and hands it to the save, which refuses when the stored one
moved on, even in a new session long after. Nothing is overwritten: the clerk's draft stays on
screen, and they reload or compare.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from j3490_desk.errors import KnownError
from j3490_desk.models import Claim
from j3490_desk.storage.server_database import ConcurrentSaveError

if TYPE_CHECKING:
    from sqlmodel import Session

    from j3490_desk.services.app_data import AppData

T = TypeVar("T")

# A collision (one seat's transaction broken off so another's can finish) is retried this many
# times in all, after a short random pause, so two seats do not collide again in step.
ATTEMPTS = 4
PAUSE_S = 0.05


class ClaimChangedElsewhereError(KnownError):
    """A save of a claim that someone else saved since this window loaded it: refused."""

    def __init__(self, claim_id: int, by: str, at: datetime | None) -> None:
        self.claim_id = claim_id
        self.by = by or "someone"
        self.at = at
        super().__init__(
            f"Claim {claim_id} was changed by {self.by}{_when(at)} in another window or on "
            "another computer; your changes were not saved.",
            "What you typed is still on screen: reload the claim to see theirs, or compare "
            "the two and type your changes again.",
        )


def _when(at: datetime | None) -> str:
    if at is None:
        return ""
    local = at.astimezone()
    if local.date() == datetime.now(UTC).astimezone().date():
        return f" at {local:%H:%M}"
    return f" on {local:%Y-%m-%d} at {local:%H:%M}"


def locked_claim(session: Session, claim_id: int) -> Claim | None:
    """The claim's row as committed now, locked until the transaction ends on a server (SQLite
    writes one at a time already): what is checked is what is changed."""
    return session.get(Claim, claim_id, with_for_update={"key_share": True}, populate_existing=True)


def refuse_if_changed(row: Claim, version: int | None) -> None:
    """`version`: the one the clerk's window loaded (None: the caller saves over whatever is
    stored, as an import or a command that just read it does)."""
    if version is not None and row.version != version:
        assert row.id is not None
        raise ClaimChangedElsewhereError(row.id, row.updated_by, row.updated_at)


def mark_saved(row: Claim, user: str) -> None:
    """Who changed the claim and when, for the next seat whose stale save is refused."""
    row.updated_by = user
    row.updated_at = datetime.now(UTC)


def set_derived(session: Session, claim_id: int, **values: Any) -> None:
    """Columns derived from the claim (its check's counts, the step the clerk is on, the filing
    deadline its payer gives): no change of the claim, so its version stays, and no window
    editing it finds it changed (an ORM update would raise the counter)."""
    from sqlalchemy import update

    table = Claim.__table__  # type: ignore[attr-defined]
    session.execute(update(table).where(table.c.id == claim_id).values(values))


@contextmanager
def writing_claim(data: AppData, claim_id: int) -> Iterator[Session]:
    """`data.db.write()` for a change to one claim. The version counter itself is the last
    guard: a row another seat changed under this transaction refuses the save at flush."""
    from sqlalchemy.orm.exc import StaleDataError

    try:
        with data.db.write() as session:
            yield session
    except StaleDataError:
        raise changed_elsewhere(data, claim_id) from None


def changed_elsewhere(data: AppData, claim_id: int) -> ClaimChangedElsewhereError:
    with data.db.read() as session:
        row = session.get(Claim, claim_id)
        by, at = (row.updated_by, row.updated_at) if row is not None else ("", None)
    return ClaimChangedElsewhereError(claim_id, by, at)


def retried(unit: Callable[[], T]) -> T:
    """Run `unit`, again when another seat's save collided with it (the server rolled it back,
    so nothing of it was kept). Only for units that read what they check inside their own
    transaction: a retry then decides afresh, and a stale version is still refused."""
    attempt = 1
    while True:
        try:
            return unit()
        except ConcurrentSaveError:
            if attempt == ATTEMPTS:
                raise
            time.sleep(PAUSE_S * attempt * (1 + random.random()))
            attempt += 1
