"""The bar above the claim list: search as you type, status, payer, provider, dates, archived.

It only gathers what the biller chose into a `ClaimFilter` and says when it changed; the
claim list service does the filtering, in SQL.
"""

from __future__ import annotations

import calendar
import dataclasses
from datetime import date

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.services.claim_list import ClaimFilter
from j3490_desk.ui.date_field import DateField

SEARCH_DELAY_MS = 150  # one query after the typing pauses, not one per key


class FilterBar(QWidget):
    changed = Signal(object)  # ClaimFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filter = ClaimFilter()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search patient, drug, NDC or claim number")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search claims")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.status = QComboBox()
        self.status.setAccessibleName("Status filter")
        self.status.addItem("All statuses", None)
        for status in ClaimStatus:
            self.status.addItem(status.value.capitalize(), status.value)
        self.payer = self._record_combo("All payers", "Payer filter")
        self.provider = self._record_combo("All providers", "Provider filter")
        self.use_dates = QCheckBox("Served from")
        self.date_from = DateField(_months_before(date.today(), 3))
        self.date_to = DateField(date.today())
        for edit in (self.date_from, self.date_to):
            edit.textEdited.connect(self._emit_if_dates)
        self.archived = QCheckBox("Show archived")
        self.queue_label = QLabel()
        self.clear_queue = QPushButton("Show all")
        self.clear_queue.clicked.connect(lambda: self.set_queue(None, ""))
        for box in (self.status, self.payer, self.provider):
            box.currentIndexChanged.connect(self._emit)
        for check in (self.use_dates, self.archived):
            check.toggled.connect(self._emit)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.search, 3)
        widgets: tuple[QWidget, ...] = (
            *(self.status, self.payer, self.provider, self.use_dates, self.date_from),
            QLabel("to"),
            *(self.date_to, self.archived, self.queue_label, self.clear_queue),
        )
        for widget in widgets:
            row.addWidget(widget)
        self.set_queue(None, "")

    @staticmethod
    def _record_combo(everything: str, name: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.addItem(everything, None)
        return box

    def set_choices(self, choices: dict[str, list[tuple[int, str]]]) -> None:
        """Fill the payer and provider lists (after start-up: not needed to draw the window)."""
        for box, table in ((self.payer, "payer"), (self.provider, "provider")):
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for record_id, name in choices[table]:
                box.addItem(name, record_id)
            box.blockSignals(False)

    def set_queue(self, queue: str | None, label: str) -> None:
        """Show only one Today queue (from the Today panel), or all claims again."""
        self.queue_label.setText(f"Showing: {label}" if queue else "")
        self.queue_label.setVisible(bool(queue))
        self.clear_queue.setVisible(bool(queue))
        self._filter = dataclasses.replace(self._filter, queue=queue)
        self._emit()

    def current(self) -> ClaimFilter:
        dates = self.use_dates.isChecked()
        return dataclasses.replace(
            self._filter,
            search=self.search.text().strip(),
            status=self.status.currentData(),
            payer_id=self.payer.currentData(),
            provider_id=self.provider.currentData(),
            date_from=_typed_day(self.date_from, self._filter.date_from) if dates else None,
            date_to=_typed_day(self.date_to, self._filter.date_to) if dates else None,
            include_archived=self.archived.isChecked(),
        )

    def _emit_if_dates(self) -> None:
        """A date typed half way keeps the list as it is until it is a whole date."""
        whole = self.date_from.problem() is None and self.date_to.problem() is None
        if self.use_dates.isChecked() and whole:
            self._emit()

    def _emit(self) -> None:
        self._debounce.stop()
        self._filter = self.current()
        self.changed.emit(self._filter)


def _typed_day(field: DateField, kept: date | None) -> date | None:
    """The field's date; while it is typed half way, the date the list already uses."""
    value = field.value()
    return value if isinstance(value, date) else kept


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
