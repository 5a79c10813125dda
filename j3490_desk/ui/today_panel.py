"""The Today panel: what needs doing, as counts; clicking one shows those claims in the list."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from j3490_desk.services.startup_jobs import JobOutcome
from j3490_desk.services.work_queue import QUEUE_LABELS, TodayReport


class TodayPanel(QWidget):
    queue_chosen = Signal(str, str)  # queue key, its label

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Today")
        layout = QVBoxLayout(self)
        title = QLabel("<b>Today</b>")
        layout.addWidget(title)
        self.buttons: dict[str, QPushButton] = {}
        for queue in QUEUE_LABELS:
            button = QPushButton()
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 2px 4px;")
            button.clicked.connect(lambda _=False, q=queue: self._choose(q))
            layout.addWidget(button)
            self.buttons[queue] = button
        self.reference = QLabel()
        self.reference.setWordWrap(True)
        layout.addWidget(self.reference)
        self.backup = QLabel()  # what today's automatic backup did, or why it failed
        self.backup.setWordWrap(True)
        self.backup.setAccessibleName("Daily backup")
        self.backup.hide()
        layout.addWidget(self.backup)
        layout.addStretch()
        self._labels: dict[str, str] = {}
        self.show_counting()

    def show_counting(self) -> None:
        for queue, button in self.buttons.items():
            button.setText(QUEUE_LABELS[queue].format(days="…") + ": …")
            button.setEnabled(False)

    def show_report(self, report: TodayReport) -> None:
        for item in report.items:
            button = self.buttons[item.queue]
            self._labels[item.queue] = item.label
            button.setText(f"{item.label}: {item.count}")
            button.setEnabled(item.count > 0)
            button.setAccessibleName(f"{item.label}: {item.count} claims")

    def show_reference_warnings(self, warnings: tuple[str, ...]) -> None:
        count = len(warnings)
        self.reference.setText(
            f"Reference data: {count} file(s) missing or over a quarter old" if count else ""
        )
        self.reference.setVisible(bool(count))

    def show_backup(self, outcome: JobOutcome) -> None:
        if outcome.failed:
            self.backup.setText(f"⚠ Daily backup failed: {outcome.message}")
            self.backup.setStyleSheet("color: #b00020;")
        else:
            self.backup.setText(f"Daily backup: {outcome.message}")
            self.backup.setStyleSheet("")
        self.backup.show()

    def _choose(self, queue: str) -> None:
        self.queue_chosen.emit(queue, self._labels.get(queue, queue))
