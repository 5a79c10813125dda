"""Confirm what a label photo says before it fills the drug line; disagreements said plainly."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.services.label_reading import LabelComparison, LabelReading, compare_with_typed

_DISAGREE = QColor(255, 228, 225)


class LabelConfirmDialog(QDialog):
    def __init__(
        self,
        reading: LabelReading,
        *,
        typed_ndc: str = "",
        typed_lot: str = "",
        typed_expiry: date | str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Use the values read from the label?")
        self.reading = reading
        rows = compare_with_typed(reading, ndc=typed_ndc, lot=typed_lot, expiry=typed_expiry)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["", "From the photo", "Typed"])
        self.table.verticalHeader().hide()
        for index, row in enumerate(rows):
            for column, text in enumerate((row.field, row.from_photo, row.typed)):
                item = QTableWidgetItem(text)
                if row.agrees is False:
                    item.setBackground(_DISAGREE)
                self.table.setItem(index, column, item)
        self.table.resizeColumnsToContents()
        self.summary = QLabel(self._summary(rows), self)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.use_button = buttons.addButton(
            "Use the photo's values", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton("Keep what was typed", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def _summary(self, rows: list[LabelComparison]) -> str:
        """Agreement is said only of values that were typed and compared."""
        differing = _names(row for row in rows if row.agrees is False)
        agreeing = _names(row for row in rows if row.agrees is True)
        untyped = _names(r for r in rows if r.from_photo and not r.typed and r.field != "Serial")
        not_typed = (
            f" Nothing is typed for the {untyped} yet: using the photo's values fills them in."
            if untyped
            else ""
        )
        if not differing:
            if not agreeing:
                return f"Nothing typed to compare with the barcode.{not_typed}"
            return (
                f"The {self.reading.barcode_format} barcode agrees with the {agreeing} "
                f"typed.{not_typed}"
            )
        extra = ""
        if self.reading.ndc11 is None and self.reading.candidates:
            extra = (
                " The barcode's 10 NDC digits can be read more than one way; check the "
                "hyphens printed on the label."
            )
        return (
            f"The photo and the typed values disagree on the {differing}. Check the label: "
            f"using the photo's values replaces what was typed.{extra}{not_typed}"
        )


def _names(rows: Iterable[LabelComparison]) -> str:
    return " and ".join(row.field if row.field == "NDC" else row.field.lower() for row in rows)
