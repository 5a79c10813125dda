"""What needs doing today: the Today panel's counts, the start-up alert, and the CARC/RARC code
list that explains denials (shipped in resources/, replaceable by the clinic's own import).

The main window imports this at start-up, so the ORM is imported only inside the code-list
functions.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from j3490_desk.domain.adjustment_codes import CodeType, code_problem
from j3490_desk.errors import InvalidInputError
from j3490_desk.paths import resources_dir
from j3490_desk.services import claim_list
from j3490_desk.services.app_data import AppData

QUEUE_LABELS = {
    "filing_due_soon": "Filing deadline within {days} days",
    "filing_overdue": "Filing deadline passed",
    "clinic_standard_passed": "Past the clinic's submit-within standard",
    "prior_auth_expiring": "Prior authorization expiring soon",
    "prior_auth_expired": "Prior authorization expired",
    "prior_auth_pending": "Prior authorization pending",
    "denied": "Denied: follow up",
    "not_ready": "Drafts with blockers or not checked",
}
SHIPPED_CODES = "adjustment_codes.csv"


@dataclass(frozen=True)
class TodayItem:
    queue: str  # a claim_list.QUEUES key: clicking it filters the list
    label: str
    count: int


@dataclass(frozen=True)
class TodayReport:
    items: tuple[TodayItem, ...]
    reference_warnings: tuple[str, ...]
    due_within_days: int

    @property
    def due_soon(self) -> int:
        """Claims whose filing deadline falls within the notify window (start-up alert)."""
        return sum(item.count for item in self.items if item.queue == "filing_due_soon")

    def alert_text(self) -> str:
        """One line for the tray or status bar; no patient data."""
        if not self.due_soon:
            return ""
        return (
            f"{self.due_soon} claim(s) must reach the payer within {self.due_within_days} days. "
            "See the Today panel."
        )


def today_report(
    data: AppData, today: date | None = None, *, with_reference: bool = True
) -> TodayReport:
    today = today or date.today()
    counts = claim_list.today_counts(data, today)
    days = claim_list.notify_due_within_days(data)
    items = tuple(
        TodayItem(queue, label.format(days=days), counts[queue])
        for queue, label in QUEUE_LABELS.items()
    )
    warnings = tuple(data.reference.status(today).warnings) if with_reference else ()
    return TodayReport(items, warnings, days)


# --- CARC/RARC descriptions -------------------------------------------------------------------


def read_code_file(path: Path) -> list[tuple[CodeType, str, str]]:
    """A code list CSV with the columns code_type (CARC/RARC), code, description."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(
            f"The code list {path.name} could not be read ({error}).",
            "Save it as a UTF-8 CSV with the columns code_type, code, description.",
        ) from error
    codes = []
    for number, row in enumerate(rows, start=2):
        kind = (row.get("code_type") or "").strip().upper()
        code = (row.get("code") or "").strip().upper()
        if kind not in CodeType.__members__:
            raise InvalidInputError(
                f"{path.name}, line {number}: code_type must be CARC or RARC, not '{kind}'.",
                "The file needs the columns code_type, code, description.",
            )
        problem = code_problem(CodeType(kind), code)
        if problem:
            raise InvalidInputError(f"{path.name}, line {number}: {problem}", "Fix that line.")
        codes.append((CodeType(kind), code, (row.get("description") or "").strip()))
    return codes


def import_code_list(data: AppData, path: Path) -> int:
    """Add or update the clinic's CARC/RARC descriptions; returns how many codes it holds."""
    from sqlmodel import select

    from j3490_desk.models.work_queue import AdjustmentCode

    codes = read_code_file(path)
    with data.db.write() as session:
        for kind, code, description in codes:
            row = session.exec(
                select(AdjustmentCode).where(
                    AdjustmentCode.code_type == kind.value, AdjustmentCode.code == code
                )
            ).first()
            if row is None:
                row = AdjustmentCode(code_type=kind.value, code=code)
            row.description = description
            session.add(row)
    return len(codes)


def code_descriptions(data: AppData) -> dict[tuple[str, str], str]:
    """(code_type, code) -> description: the clinic's imported list over the shipped one."""
    from sqlmodel import select

    from j3490_desk.models.work_queue import AdjustmentCode

    shipped = {
        (kind.value, code): text
        for kind, code, text in read_code_file(resources_dir() / SHIPPED_CODES)
    }
    with data.db.read() as session:
        imported = {
            (row.code_type, row.code): row.description
            for row in session.exec(select(AdjustmentCode))
        }
    return {**shipped, **imported}
