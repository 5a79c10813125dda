"""The claim list as a Qt table model: a thin, paged adapter over the service's `ClaimSummary` rows.

Rows arrive a page at a time (`canFetchMore`/`fetchMore`) as the view scrolls, so a clinic with
years of claims opens its window as fast as one with ten. Sorting asks the database for a new
first page in the new order (`sort_key`, `descending`), never sorts what happens to be loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from j3490_desk.services.claim_list import ClaimSummary


def _day(value: object) -> str:
    return value.isoformat() if value is not None else ""  # type: ignore[attr-defined]


def _days_left(row: ClaimSummary) -> str:
    if row.days_left is None or row.status not in ("draft", "ready", "corrected"):
        return ""  # only a claim still to be sent can miss its filing limit
    return "overdue" if row.days_left < 0 else f"{row.days_left} d"


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[ClaimSummary], str]
    sort_key: str
    numeric: bool = False


COLUMNS = (
    Column("Claim", lambda row: str(row.id), "id", numeric=True),
    Column("Patient", lambda row: row.patient, "patient"),
    Column("Date of service", lambda row: row.date_of_service.isoformat(), "date_of_service"),
    Column("Payer", lambda row: row.payer, "payer"),
    Column("Drugs", lambda row: row.drugs, "drugs"),
    Column("Status", lambda row: row.status.capitalize(), "status"),
    Column("Readiness", lambda row: row.readiness, "readiness"),
    Column("Filing deadline", lambda row: _day(row.filing_deadline), "filing_deadline"),
    Column("Days left", _days_left, "filing_deadline", numeric=True),
    Column("Prior auth until", lambda row: _day(row.prior_auth_valid_to), "prior_auth_valid_to"),
    Column(
        "Billed",
        lambda row: f"{row.billed_total:,.2f}" if row.billed_total is not None else "",
        "billed_total",
        numeric=True,
    ),
    Column("Retain until", lambda row: row.retain_until.isoformat(), "date_of_service"),
)
DAYS_LEFT_COLUMN = 8
URGENT = QBrush(QColor("#b00020"))
URGENT_DAYS = 7  # days left at which the count turns red

AnyIndex = QModelIndex | QPersistentModelIndex
FetchPage = Callable[[int, int], list[ClaimSummary]]  # (offset, limit) -> rows
PAGE_SIZE = 200


class ClaimTableModel(QAbstractTableModel):
    sort_changed = Signal(str, bool)  # sort key, descending

    def __init__(self, fetch_page: FetchPage, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._fetch_page = fetch_page
        self._page_size = page_size
        self._rows: list[ClaimSummary] = []
        self._exhausted = False
        self.sort_key = "date_of_service"
        self.descending = True

    def reload(self) -> None:
        """Start again from the first page (after a change, a new filter or a new order)."""
        self.beginResetModel()
        self._rows = self._fetch_page(0, self._page_size)
        self._exhausted = len(self._rows) < self._page_size
        self.endResetModel()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = self._fetch_page(len(self._rows), self._page_size)
        self._exhausted = len(page) < self._page_size
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[column].sort_key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.sort_changed.emit(self.sort_key, self.descending)
        self.reload()

    def claim_id(self, row: int) -> int:
        return self._rows[row].id

    def row_of(self, claim_id: int) -> int | None:
        """The loaded row showing this claim, or None."""
        return next((i for i, row in enumerate(self._rows) if row.id == claim_id), None)

    def summary(self, row: int) -> ClaimSummary:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column, row = COLUMNS[index.column()], self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == DAYS_LEFT_COLUMN:
            urgent = row.days_left is not None and row.days_left <= URGENT_DAYS
            return URGENT if urgent and _days_left(row) else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None
