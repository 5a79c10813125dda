"""The one date (and date-and-time) field of the app.

A plain line edit: the clerk types a whole date digit by digit (19500302, 1950-03-02,
03/02/1950), pastes one, or picks it from the calendar button. `domain.typed_dates` reads the
text, so what was typed is what is kept: no section that keeps the current year, no Tab that
jumps out half way through a date. A date the text does not make is `problem()`, for the form
to show; the text is then left exactly as typed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QWidget

from j3490_desk.domain.typed_dates import (
    EXAMPLE,
    format_date,
    format_moment,
    parse_date,
    parse_moment,
)
from j3490_desk.errors import InvalidInputError

DATE_HINT = "yyyy-mm-dd"
MOMENT_HINT = "yyyy-mm-dd hh:mm"


class DateField(QLineEdit):
    def __init__(
        self,
        value: date | None = None,
        *,
        with_time: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.with_time = with_time
        self.setPlaceholderText(MOMENT_HINT if with_time else DATE_HINT)
        self.setMaxLength(40)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView)
        self.calendar_action = self.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip("Pick the date from a calendar")
        self.calendar_action.triggered.connect(self.open_calendar)
        self.calendar: QCalendarWidget | None = None
        self.editingFinished.connect(self._tidy)
        self.set_value(value)

    def minimumSizeHint(self) -> QSize:
        """Wide enough for a whole date (and time) beside the calendar button.

        A line edit's own hint is a few characters wide: squeezed into a tool bar, the field
        scrolled its text and showed "-09-05" for 2026-09-05.
        """
        hint = super().minimumSizeHint()
        sample = "8888-88-88 88:88 pm" if self.with_time else "8888-88-88"
        button = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 12
        text = self.fontMetrics().horizontalAdvance(sample) + 16  # frame and text margins
        return QSize(max(hint.width(), text + button), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.minimumSizeHint().width()), hint.height())

    # --- values -----------------------------------------------------------------------------

    def value(self) -> date | datetime | None:
        """The date (or naive wall-clock datetime) typed; None when empty or unreadable."""
        return self._parsed()[0]

    def problem(self) -> str | None:
        """Why the text is not a date (None when it is one, or when the field is empty)."""
        return self._parsed()[1]

    def day(self, label: str) -> date:
        """The typed date, for a dialog that refuses to go on without one."""
        value = self.value()
        if isinstance(value, datetime):
            return value.date()
        if value is None:
            raise InvalidInputError(
                f"{label}: {self.problem() or 'no date typed.'}",
                f"Type the date as year-month-day, {EXAMPLE}.",
            )
        return value

    def is_empty(self) -> bool:
        return not self.text().strip()

    def set_value(self, value: date | datetime | None) -> None:
        if value is None:
            self.clear()
        elif self.with_time:
            moment = value if isinstance(value, datetime) else datetime.combine(value, time())
            self.setText(format_moment(moment))
        else:
            self.setText(format_date(value.date() if isinstance(value, datetime) else value))

    def _parsed(self) -> tuple[date | datetime | None, str | None]:
        if self.with_time:
            moment = parse_moment(self.text())
            return moment.value, moment.problem
        day = parse_date(self.text())
        return day.value, day.problem

    # --- typing -----------------------------------------------------------------------------

    def _tidy(self) -> None:
        """On leaving the field, a readable date is shown in the app's own format, so the
        clerk sees how 03/02/1950 was read."""
        value = self.value()
        if value is not None:
            shown = self.text()
            self.set_value(value)
            if self.text() != shown:
                self.textEdited.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(Qt.Key(event.key()))
        value = self.value()
        if step is not None and value is not None:  # the arrows still move a day
            self.set_value(value + timedelta(days=step))
            self.textEdited.emit(self.text())
            return
        super().keyPressEvent(event)

    # --- the calendar -----------------------------------------------------------------------

    def open_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)  # Enter, for the keyboard
        value = self.value()
        day = value.date() if isinstance(value, datetime) else value
        shown = QDate(day.year, day.month, day.day) if day else QDate.currentDate()
        self.calendar.setSelectedDate(shown)
        self.calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar.show()

    def _picked(self, picked: QDate) -> None:
        assert self.calendar is not None
        self.calendar.hide()
        day = picked.toPython()
        assert isinstance(day, date)
        old = self.value()
        if not self.with_time:
            self.set_value(day)
        elif isinstance(old, datetime):
            self.set_value(datetime.combine(day, old.time()))
        else:  # the calendar gives no time: the clerk types it, none is made up
            self.setText(f"{format_date(day)} ")
        self.textEdited.emit(self.text())
        self.setFocus()
