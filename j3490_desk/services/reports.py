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

from sqlalchemy import func, or_
from sqlmodel import col, select

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.models import Claim
from j3490_desk.models.remittance import RemittanceAdjustment, RemittancePosting
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
        remittance_adjustments(data, period),
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
        # a payer's reversal (a posted 835, CLP02 22) takes its payment back: its amount is
        # negative, and the payment it undid stays on record
        reversals = select(RemittancePosting.event_id).where(
            col(RemittancePosting.reverses_id).is_not(None)
        )
        paid_rows = session.exec(
            select(col(ClaimEvent.amount)).where(
                col(ClaimEvent.claim_id).in_(ids),
                or_(
                    col(ClaimEvent.to_status) == ClaimStatus.PAID.value,
                    col(ClaimEvent.id).in_(reversals),
                ),
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


def remittance_adjustments(data: AppData, period: Period) -> Report:
    """Every CAS adjustment of the 835s posted in the period (by payment date), by group code
    and CARC, largest amount first: what the payers kept back, and why. Postings a payer
    reversed, and the reversals themselves, are left out."""
    with data.db.read() as session:
        reversed_ids = select(RemittancePosting.reverses_id).where(
            col(RemittancePosting.reverses_id).is_not(None)
        )
        rows = session.exec(
            select(
                col(RemittanceAdjustment.group_code),
                col(RemittanceAdjustment.reason_code),
                col(RemittanceAdjustment.amount),
            )
            .join(RemittancePosting, col(RemittancePosting.id) == RemittanceAdjustment.posting_id)
            .where(
                col(RemittancePosting.paid_on).between(period.start, period.end),
                col(RemittancePosting.reverses_id).is_(None),
                col(RemittancePosting.id).not_in(reversed_ids),
            )
        ).all()
    times: Counter[tuple[str, str]] = Counter()
    amounts: dict[tuple[str, str], Decimal] = {}
    for group, reason, amount in rows:
        times[(group, reason)] += 1
        amounts[(group, reason)] = amounts.get((group, reason), Decimal("0")) + amount
    names = code_descriptions(data)
    ranked = sorted(amounts, key=lambda key: (-amounts[key], key))
    table = tuple(
        (group, reason, str(times[(group, reason)]), f"{amounts[(group, reason)]:.2f}",
         names.get(("CARC", reason), "(not in the code list)"))
        for group, reason in ranked
    )  # fmt: skip
    columns = ("Group", "CARC", "Times", "Amount", "Description")
    title = "Remittance adjustments (posted 835s), largest amount first"
    return Report("adjustments", title, columns, table, chart_column=3)


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
