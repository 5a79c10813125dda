"""Reports over a chosen period: a table for each, a bar chart where a picture reads better,
and CSV export of any of them.

The reports are built off the GUI thread (a BackgroundJob); `refreshed` is emitted once the
tabs show the period asked for last."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import QRectF, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.errors import InvalidInputError
from j3490_desk.services import reports
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.background import BackgroundJob, run_in_background
from j3490_desk.ui.date_field import DateField

BAR = QColor("#2f6f9f")
MAX_BARS = 12


def _number(text: str) -> float:
    try:
        return float(Decimal(text))
    except InvalidOperation:
        return 0.0


class BarChart(QWidget):
    """Horizontal bars, one per row: label on the left, value at the bar's end."""

    def __init__(self, bars: list[tuple[str, float]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars = bars[:MAX_BARS]
        self.setMinimumHeight(24 * max(len(self.bars), 1) + 8)

    def sizeHint(self) -> QSize:
        return QSize(480, self.minimumHeight())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        label_width = min(160, self.width() // 3)
        top = max((value for _, value in self.bars), default=0.0) or 1.0
        room = self.width() - label_width - 80
        for number, (label, value) in enumerate(self.bars):
            y = 4 + number * 24
            painter.setPen(self.palette().text().color())
            text_box = QRectF(0, y, label_width - 6, 20)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(text_box, align, label)
            width = max(1.0, room * value / top)
            painter.fillRect(QRectF(label_width, y + 2, width, 16), BAR)
            painter.drawText(
                QRectF(label_width + width + 4, y, 76, 20),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{value:,.2f}".rstrip("0").rstrip("."),
            )
        painter.end()


class ReportsView(QDialog):
    refreshed = Signal()  # the tabs now show the reports for the period chosen last

    def __init__(self, data: AppData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._job: BackgroundJob | None = None
        self._again = False  # the period changed while the reports were being built
        self.setWindowTitle("Reports")
        self.resize(760, 560)
        today = date.today()
        quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        self.start = DateField(quarter_start)
        self.end = DateField(today)
        self.show_button = QPushButton("Show")
        self.show_button.clicked.connect(self.refresh)
        self.period_problem = QLabel()
        self.period_problem.setAccessibleName("Period problem")
        period = QHBoxLayout()
        for widget in (QLabel("From"), self.start, QLabel("to"), self.end, self.show_button):
            period.addWidget(widget)
        period.addWidget(self.period_problem)
        period.addStretch()
        self.tabs = QTabWidget()
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.tabs)
        self.reports: list[reports.Report] = []
        self.refresh()

    def period(self) -> reports.Period:
        return reports.Period(self.start.day("From"), self.end.day("To"))

    @property
    def is_building(self) -> bool:
        return self._job is not None

    def refresh(self) -> None:
        """Build the reports for the chosen period off the GUI thread; the tabs follow."""
        if self._job is not None:
            self._again = True  # one more build when this one ends, for the new period
            return
        try:
            period = self.period()
        except InvalidInputError as error:  # a date typed half way: the reports stay as they are
            self.period_problem.setText(str(error))
            return
        self.period_problem.clear()
        data = self._data
        self.show_button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self._job = run_in_background(
            lambda _control: reports.all_reports(data, period),
            parent=self,
            on_success=self._show_reports,
        )
        self._job.finished.connect(self._build_ended)

    def _build_ended(self) -> None:
        self._job = None
        self.show_button.setEnabled(True)
        self.unsetCursor()
        if self._again:
            self._again = False
            self.refresh()

    def _show_reports(self, built: list[reports.Report]) -> None:
        if self._again:
            return  # an older period: the next build replaces it
        self.reports = built
        current = self.tabs.currentIndex()
        self.tabs.clear()
        for report in self.reports:
            self.tabs.addTab(self._page(report), report.title.split(",")[0])
        self.tabs.setCurrentIndex(max(current, 0))
        self.refreshed.emit()

    def done(self, result: int) -> None:
        if self._job is not None:
            self._again = False
            self._job.wait()  # a short read: no thread may outlive the dialog's owner
        super().done(result)

    def _page(self, report: reports.Report) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(f"<b>{report.title}</b>"))
        if report.chart_column is not None and report.rows:
            column = report.chart_column
            # the columns before the number name the bar: "paid", "CARC 16", "NDC_MISSING"
            bars = [(" ".join(row[:column]), _number(row[column])) for row in report.rows]
            layout.addWidget(BarChart(bars))
        table = QTableWidget(len(report.rows), len(report.columns))
        table.setHorizontalHeaderLabels(list(report.columns))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        for r, row in enumerate(report.rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(value))
        layout.addWidget(table, 1)
        if not report.rows:
            layout.addWidget(QLabel("Nothing in this period."))
        export = QPushButton("Export to CSV…")
        export.clicked.connect(lambda: self.export(report))
        layout.addWidget(export, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def export(self, report: reports.Report, path: Path | None = None) -> Path | None:
        if path is None:
            settings = QSettings()
            start = str(settings.value("folders/reports", str(Path.home())))
            name, _ = QFileDialog.getSaveFileName(
                self, "Export report", str(Path(start) / f"{report.key}.csv"), "CSV (*.csv)"
            )
            if not name:
                return None
            path = Path(name)
            settings.setValue("folders/reports", str(path.parent))
        try:
            path.write_text(report.to_csv(), encoding="utf-8")
        except OSError as error:  # a full disk, a read-only folder, a file open elsewhere
            QMessageBox.warning(
                self, "Report not saved", f"{path.name} could not be written: {error.strerror}."
            )
            return None
        return path
