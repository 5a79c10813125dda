"""The Reports view's tables over a chosen period: plain rows and columns, each exportable to CSV.

Claims are counted by date of service; denials, ready-time findings and submissions by the day
they happened, so a quarter's report says what the practice did in that quarter.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import col, select

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.models import Claim
from j3490_desk.models.work_queue import ClaimEvent
from j3490_desk.services.app_data import AppData
from j3490_desk.services.work_queue import code_descriptions


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart_column: int | None = None  # the numeric column a bar chart draws, when one helps

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return out.getvalue()


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def moments(self) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time.min, UTC),
            datetime.combine(self.end, time.max, UTC),
        )


def all_reports(data: AppData, period: Period) -> list[Report]:
    return [
        claims_by_status(data, period),
        billed_vs_paid(data, period),
        denial_reasons(data, period),
        ready_findings(data, period),
        days_to_submission(data, period),
    ]


def claims_by_status(data: AppData, period: Period) -> Report:
    with data.db.read() as session:
        counts = dict(
            session.exec(
                select(Claim.status, func.count())
                .where(col(Claim.date_of_service).between(period.start, period.end))
                .group_by(col(Claim.status))
            ).all()
        )
    rows = tuple((s.value, str(counts.get(s.value, 0))) for s in ClaimStatus)
    return Report("status", "Claims by status", ("Status", "Claims"), rows, chart_column=1)


def billed_vs_paid(data: AppData, period: Period) -> Report:
    with data.db.read() as session:
        billed_rows = session.exec(
            select(col(Claim.id), col(Claim.billed_total)).where(
                col(Claim.date_of_service).between(period.start, period.end)
            )
        ).all()
        ids = [claim_id for claim_id, _ in billed_rows]
        paid_rows = session.exec(
            select(col(ClaimEvent.amount)).where(
                ClaimEvent.to_status == ClaimStatus.PAID.value, col(ClaimEvent.claim_id).in_(ids)
            )
        ).all()
    billed = sum((total for _, total in billed_rows if total is not None), Decimal("0"))
    paid = sum((amount for amount in paid_rows if amount is not None), Decimal("0"))
    rows = (("Billed", f"{billed:.2f}"), ("Paid", f"{paid:.2f}"))
    return Report("billed_paid", "Billed vs paid", ("", "Amount"), rows, chart_column=1)


def _events(data: AppData, period: Period, to_status: ClaimStatus) -> list[ClaimEvent]:
    start, end = period.moments()
    with data.db.read() as session:
        return list(
            session.exec(
                select(ClaimEvent).where(
                    ClaimEvent.to_status == to_status.value,
                    col(ClaimEvent.at).between(start, end),
                )
            ).all()
        )


def denial_reasons(data: AppData, period: Period) -> Report:
    counts: Counter[tuple[str, str]] = Counter()
    for event in _events(data, period, ClaimStatus.DENIED):
        counts.update(("CARC", code) for code in event.carc_codes.split())
        counts.update(("RARC", code) for code in event.rarc_codes.split())
    names = code_descriptions(data)
    rows = tuple(
        (kind, code, str(n), names.get((kind, code), "(not in the code list)"))
        for (kind, code), n in counts.most_common()
    )
    columns = ("Type", "Code", "Denials", "Description")
    return Report("denials", "Denial reasons, most frequent first", columns, rows, chart_column=2)


def ready_findings(data: AppData, period: Period) -> Report:
    """What the claim check still flagged when claims were marked ready: training material."""
    counts: Counter[str] = Counter()
    for event in _events(data, period, ClaimStatus.READY):
        if event.note.startswith("{"):
            counts.update(json.loads(event.note).get("findings", []))
    rows = tuple((code, str(n)) for code, n in counts.most_common())
    title = "Claim-check findings at ready time, most frequent first"
    return Report("findings", title, ("Finding", "Claims"), rows, chart_column=1)


def days_to_submission(data: AppData, period: Period) -> Report:
    with data.db.read() as session:
        pairs = session.exec(
            select(col(Claim.date_of_service), col(Claim.submitted_on)).where(
                col(Claim.submitted_on).between(period.start, period.end)
            )
        ).all()
    days = [(sent - served).days for served, sent in pairs if sent is not None]
    average = f"{sum(days) / len(days):.1f}" if days else "-"
    rows = (("Claims submitted", str(len(days))), ("Average days from service", average))
    return Report("days", "Days from service to submission", ("", "Value"), rows)
