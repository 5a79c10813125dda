"""The claim list: summaries a page at a time, without loading the ORM (start-up depends on it).

`ClaimFilter` says which claims and in what order; the deadline columns are computed against a
`today` the caller may fix (tests, the CLI's reports), never read from the clock deep inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from j3490_desk.domain.deadlines import retain_until
from j3490_desk.domain.denial_items import items_to_fix
from j3490_desk.services.app_data import AppData
from j3490_desk.storage.claim_list import (
    QUEUE_SQL,
    SORT_SQL,
    UNSENT_STATUSES,
    claim_page,
    clinic_day_counts,
    denial_codes,
    named_records,
    queue_counts,
)

SORT_KEYS = tuple(SORT_SQL)
QUEUES = tuple(QUEUE_SQL)
__all__ = ["QUEUES", "SORT_KEYS", "UNSENT_STATUSES", "ClaimFilter", "ClaimSummary", "list_claims"]


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims the list shows, and in what order. Empty fields do not filter."""

    status: str | None = None
    payer_id: int | None = None
    provider_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""
    queue: str | None = None  # one of QUEUES: what a Today panel count shows
    include_archived: bool = False
    sort: str = "date_of_service"
    descending: bool = True


@dataclass(frozen=True)
class ClaimSummary:
    """One row of the claim list."""

    id: int
    patient: str
    date_of_service: date
    payer: str
    drugs: str
    status: str
    updated_at: datetime
    provider: str = ""
    readiness_checked: bool = False
    blockers: int = 0
    warnings: int = 0
    filing_deadline: date | None = None
    days_left: int | None = None
    prior_auth_valid_to: date | None = None
    prior_auth_status: str = "not_requested"
    billed_total: Decimal | None = None
    archived: bool = False
    retention_years: int = 7
    denial_items: tuple[str, ...] = ()  # what the latest denial's codes say to fix

    @property
    def retain_until(self) -> date:
        return retain_until(self.date_of_service, self.retention_years)

    @property
    def readiness(self) -> str:
        if self.status == "denied" and self.denial_items:
            return "denied: fix " + "; ".join(self.denial_items)
        if not self.readiness_checked:
            return "not checked"
        if not (self.blockers or self.warnings):
            return "ready to send"
        parts = []
        if self.blockers:
            parts.append(f"{self.blockers} blocker{'s' if self.blockers != 1 else ''}")
        if self.warnings:
            parts.append(f"{self.warnings} warning{'s' if self.warnings != 1 else ''}")
        return ", ".join(parts)


def queue_params(days: dict[str, int], today: date) -> dict[str, Any]:
    """The dates the Today queues compare against, from the clinic's settings."""
    return {
        "today": today.isoformat(),
        "due_by": (today + timedelta(days=days["notify_due_within_days"])).isoformat(),
        "auth_by": (today + timedelta(days=days["prior_auth_warning_days"])).isoformat(),
        "clinic_cutoff": (today - timedelta(days=days["submit_within_days"])).isoformat(),
    }


def list_claims(
    data: AppData,
    *,
    status: str | None = None,
    claim_filter: ClaimFilter | None = None,
    offset: int = 0,
    limit: int | None = None,
    today: date | None = None,
) -> list[ClaimSummary]:
    """Claims in the filter's order (newest date of service first by default), a page at a time
    when `limit` is given."""
    chosen = claim_filter or ClaimFilter(status=status)
    today = today or date.today()
    with data.db.read_plain() as connection:
        days = clinic_day_counts(connection)
        filters = {
            name: getattr(chosen, name)
            for name in ("status", "payer_id", "provider_id", "search", "queue")
        }
        filters.update(
            include_archived=chosen.include_archived,
            date_from=chosen.date_from.isoformat() if chosen.date_from else None,
            date_to=chosen.date_to.isoformat() if chosen.date_to else None,
            queue_params=queue_params(days, today),
        )
        rows = claim_page(
            connection,
            offset=offset,
            limit=limit,
            filters=filters,
            sort=chosen.sort,
            descending=chosen.descending,
        )
        denied = denial_codes(connection, [row[0] for row in rows if row[4] == "denied"])
    return [
        _summary(row, today, days["retention_years"], items_to_fix(*denied.get(row[0], ([], []))))
        for row in rows
    ]


def today_counts(data: AppData, today: date | None = None) -> dict[str, int]:
    """How many claims each Today queue holds (see `QUEUES`)."""
    with data.db.read_plain() as connection:
        params = queue_params(clinic_day_counts(connection), today or date.today())
        return queue_counts(connection, params)


def notify_due_within_days(data: AppData) -> int:
    with data.db.read_plain() as connection:
        return clinic_day_counts(connection)["notify_due_within_days"]


def _date(value: date | str) -> date:
    """A date column: psycopg reads PostgreSQL's dates as dates, sqlite3 SQLite's as ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _day(value: date | str | None) -> date | None:
    return _date(value) if value else None


def _summary(
    row: tuple[Any, ...], today: date, retention_years: int, denial_items: tuple[str, ...]
) -> ClaimSummary:
    (claim_id, patient, served, payer, status, updated, checked_at, blockers, warnings,
     deadline, auth_to, auth_status, billed, archived_at, provider, drugs) = row  # fmt: skip
    served_on = _date(served)
    deadline_day = _day(deadline)
    return ClaimSummary(
        id=claim_id,
        patient=patient,
        date_of_service=served_on,
        payer=payer,
        drugs=drugs or "",
        status=status,
        updated_at=datetime.fromisoformat(updated),
        provider=provider,
        readiness_checked=checked_at is not None,
        blockers=blockers,
        warnings=warnings,
        filing_deadline=deadline_day,
        days_left=(deadline_day - today).days if deadline_day else None,
        prior_auth_valid_to=_day(auth_to),
        prior_auth_status=auth_status,
        billed_total=Decimal(billed) if billed is not None else None,
        archived=archived_at is not None,
        retention_years=retention_years,
        denial_items=denial_items,
    )


def filter_choices(data: AppData) -> dict[str, list[tuple[int, str]]]:
    """The payers and providers the list can be filtered by."""
    with data.db.read_plain() as connection:
        return {table: named_records(connection, table) for table in ("payer", "provider")}
