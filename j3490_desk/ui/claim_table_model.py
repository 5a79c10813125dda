"""The claim list as a Qt table model: a thin, paged adapter over the service's `ClaimSummary` rows.

Rows arrive a page at a time (`canFetchMore`/`fetchMore`) as the view scrolls, so a clinic with
years of claims opens its window as fast as one with ten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from j3490_desk.services.claim_list import ClaimSummary

COLUMNS = (
    ("Claim", lambda row: str(row.id)),
    ("Patient", lambda row: row.patient),
    ("Date of service", lambda row: row.date_of_service.isoformat()),
    ("Payer", lambda row: row.payer),
    ("Drugs", lambda row: row.drugs),
    ("Status", lambda row: row.status.capitalize()),
)

AnyIndex = QModelIndex | QPersistentModelIndex
FetchPage = Callable[[int, int], list[ClaimSummary]]  # (offset, limit) -> rows
PAGE_SIZE = 200


class ClaimTableModel(QAbstractTableModel):
    def __init__(self, fetch_page: FetchPage, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._fetch_page = fetch_page
        self._page_size = page_size
        self._rows: list[ClaimSummary] = []
        self._exhausted = False

    def reload(self) -> None:
        """Start again from the first page (after a change, or a new filter)."""
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

    def claim_id(self, row: int) -> int:
        return self._rows[row].id

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return COLUMNS[index.column()][1](self._rows[index.row()])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None
