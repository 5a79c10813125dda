"""Edit saved records (payers, providers, patients): a list on the left, a form on the right.

Which fields a kind has, and how each is typed, is declared as data (`FieldSpec`), so one
editor serves every kind of record.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.errors import InvalidInputError
from j3490_desk.services import records
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.date_field import DateField
from j3490_desk.ui.field_message import FieldMessage


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text, int, decimal, bool, date, choice
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)


class RecordEditor(QWidget):
    def __init__(
        self, data: AppData, kind: type[records.Record], fields: tuple[FieldSpec, ...]
    ) -> None:
        super().__init__()
        self._data = data
        self._kind = kind
        self._fields = fields
        self._records: list[Any] = []
        self._current: Any = None
        self._list = QListWidget()
        self._list.setAccessibleName(f"Saved {kind.__tablename__}s")
        self._list.currentRowChanged.connect(self._show)
        self._inputs: dict[str, QWidget] = {}
        self._messages: dict[str, FieldMessage] = {}
        self._checks = records.RECORD_CHECKS.get(kind, {})  # the same checks the save makes
        form = QFormLayout()
        for spec in fields:
            message = FieldMessage(f"{spec.label}: message")
            message.setStyleSheet("color: #b00020;")
            self._messages[spec.name] = message
            widget = self._make_input(spec)
            widget.setAccessibleName(spec.label)
            self._inputs[spec.name] = widget
            column = QVBoxLayout()
            column.addWidget(widget)
            column.addWidget(message)
            form.addRow(spec.label, column)
        self._status = QLabel()
        self._status.setWordWrap(True)
        new_button = QPushButton(f"&New {kind.__tablename__}")
        new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton("&Save")
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(new_button)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self._status)
        right.addStretch()
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self._list, 1)
        layout.addLayout(right, 2)
        self.reload()

    def input(self, name: str) -> QWidget:
        return self._inputs[name]

    def reload(self) -> None:
        self._records = records.list_records(self._data, self._kind)
        self._list.clear()
        self._list.addItems([record.name for record in self._records])
        if self._records:
            self._list.setCurrentRow(0)
        else:
            self.start_new()

    def start_new(self) -> None:
        self._list.clearSelection()
        self._current = self._kind()
        self._fill(self._current)

    def save(self) -> bool:
        try:
            values = {spec.name: self._read(spec) for spec in self._fields}
            record = self._kind.model_validate({**self._current.model_dump(), **values})
            for name, problem in records.field_problems(record, self._checks).items():
                self._messages[name].show_message(problem)
            saved = records.save_record(self._data, record)
        except InvalidInputError as error:
            self._status.setText(str(error))
            return False
        self._status.setText(f"Saved {saved.name}.")
        names = [r.id for r in records.list_records(self._data, self._kind)]
        self.reload()
        self._list.setCurrentRow(names.index(saved.id))
        return True

    def _show(self, row: int) -> None:
        if 0 <= row < len(self._records):
            self._current = self._records[row]
            self._fill(self._current)

    def _make_input(self, spec: FieldSpec) -> QWidget:
        if spec.kind == "bool":
            return QCheckBox()
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 3650)
            return spin
        if spec.kind == "choice":
            combo = QComboBox()
            for value, label in spec.choices:
                combo.addItem(label, value)
            return combo
        if spec.kind == "date":
            return DateField()
        line = QLineEdit()
        line.setMaxLength(200)
        check = self._checks.get(spec.name)
        if check is not None:
            message = self._messages[spec.name]
            line.textChanged.connect(lambda text: message.show_message(check(text) or ""))
        return line

    def _fill(self, record: Any) -> None:
        for spec in self._fields:
            value = getattr(record, spec.name)
            widget = self._inputs[spec.name]
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value or 0))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, DateField):
                widget.set_value(value)
            elif isinstance(widget, QLineEdit):
                widget.setText("" if value is None else str(value))
        self._status.clear()

    def _read(self, spec: FieldSpec) -> Any:
        widget = self._inputs[spec.name]
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, DateField):
            problem = widget.problem()
            if problem:
                raise InvalidInputError(f"{spec.label}: {problem}")
            return widget.value()
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        if spec.kind == "decimal":
            try:
                return Decimal(text or "0")
            except InvalidOperation as error:
                raise InvalidInputError(
                    f"{spec.label}: {text!r} is not a number.", "Type digits, e.g. 6 or 4.5."
                ) from error
        return text
