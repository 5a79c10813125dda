"""Fields declared as data (`Spec`), and the page that shows them with its load/apply lifecycle.

A page reads a claim into its widgets (`load`), writes the widgets back into a new claim
(`apply`), and shows the messages the draft service computed (`show_assessment`). The
widgets only ever hold plain values: text, dates, enum members.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.domain import claim as domain
from j3490_desk.services import drafts
from j3490_desk.services.drafts import Assessment, FieldKey
from j3490_desk.ui.date_field import DateField
from j3490_desk.ui.field_message import FieldMessage

RESERVED_MNEMONICS = set("nbdm")  # Next, Back, add a Drug, reMove: wizard-wide buttons
AMOUNT_PATTERN = QRegularExpression(r"-?[0-9,]*\.?[0-9]*")


@dataclass(frozen=True)
class Spec:
    """One field: the attribute path it edits, its visible label, and how it is typed."""

    path: str  # e.g. "invoice.supplier" on a drug line, "prior_auth.number" on the claim
    label: str
    kind: str = "text"  # text, long, amount, date, datetime, choice, combo, bool, codes, modifiers
    choices: tuple[tuple[str, Any], ...] = ()  # (shown, value); for "combo", suggestions only
    required_date: bool = False  # a date that always has a value (the date of service)


def enum_choices(
    kind: type[Any], names: dict[str, str] | None = None
) -> tuple[tuple[str, Any], ...]:
    # Items carry the plain value: Qt keeps strings, not Python enum objects.
    return tuple(((names or {}).get(m.value, m.value.replace("_", " ")), m.value) for m in kind)


def get_path(obj: Any, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


def set_path(obj: Any, path: str, value: Any) -> Any:
    head, _, rest = path.partition(".")
    if rest:
        value = set_path(getattr(obj, head), rest, value)
    return dataclasses.replace(obj, **{head: value})


def with_mnemonic(label: str, used: set[str]) -> str:
    """The label with an Alt+letter shortcut on the first letter not yet taken on the page."""
    for index, character in enumerate(label):
        key = character.lower()
        if character.isalpha() and key not in used and key not in RESERVED_MNEMONICS:
            used.add(key)
            return label[:index] + "&" + label[index:]
    return label


class FieldPage(QWidget):
    """A wizard step made of `Spec` fields. `scope` says what the paths start from."""

    changed = Signal()
    title = ""
    guidance = ""  # plain words: what the payer needs here, and why
    scope = "line"  # "line": a drug line; "claim": the claim
    specs: tuple[Spec, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.loading = False
        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, FieldMessage] = {}
        self.local_messages: dict[str, str] = {}  # typing problems: not a number, a bad key
        self.mnemonics: set[str] = set()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.build_top()
        self.column.addLayout(self.form)
        self.add_fields()
        self.build_bottom()
        self.column.addStretch()

    # --- hooks for pages with more than plain fields ----------------------------------------

    def build_top(self) -> None:
        """Widgets above the fields (pickers)."""

    def build_bottom(self) -> None:
        """Widgets below the fields (look-ups, attachments)."""

    def add_fields(self) -> None:
        for spec in self.specs:
            self.add_field(spec)

    # --- building ---------------------------------------------------------------------------

    def add_field(self, spec: Spec) -> QWidget:
        widget = self._make_input(spec)
        widget.setAccessibleName(spec.label)  # equal to the visible label, for screen readers
        message = FieldMessage(f"{spec.label}: message")
        cell = QVBoxLayout()
        cell.setSpacing(2)
        cell.addWidget(widget)
        cell.addWidget(message)
        if isinstance(widget, QCheckBox):
            widget.setText(with_mnemonic(spec.label, self.mnemonics))
            self.form.addRow("", cell)
        else:
            label = QLabel(with_mnemonic(spec.label, self.mnemonics))
            label.setBuddy(widget)
            self.form.addRow(label, cell)
        self.inputs[spec.path] = widget
        self.messages[spec.path] = message
        return widget

    def _make_input(self, spec: Spec) -> QWidget:
        if spec.kind == "bool":
            box = QCheckBox()
            box.checkStateChanged.connect(self._edited)  # not toggled(bool): see _edited
            return box
        if spec.kind in ("choice", "combo"):
            combo = QComboBox()
            for shown, value in spec.choices:
                combo.addItem(shown, value)
            if spec.kind == "combo":  # suggestions; the clerk may type another value
                combo.setEditable(True)
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                combo.editTextChanged.connect(self._edited)
            else:
                combo.currentIndexChanged.connect(self._edited)
            return combo
        if spec.kind in ("date", "datetime"):
            edit = DateField(with_time=spec.kind == "datetime")
            edit.textEdited.connect(self._edited)
            return edit
        if spec.kind == "long":
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)  # Tab moves on, as in every other field
            text.setMaximumHeight(90)
            text.textChanged.connect(self._edited)
            return text
        line = QLineEdit()
        if spec.kind == "amount":
            line.setValidator(QRegularExpressionValidator(AMOUNT_PATTERN, line))
            line.inputRejected.connect(lambda path=spec.path: self._rejected(path))
        line.textEdited.connect(self._edited)
        return line

    # --- lifecycle --------------------------------------------------------------------------

    def load(self, claim: domain.Claim, line: int | None) -> None:
        self.loading = True
        try:
            self.local_messages.clear()
            target = self.target(claim, line)
            for spec in self.specs:
                self._show_value(spec, get_path(target, spec.path), claim)
            self.fill_extra(claim, line)
        finally:
            self.loading = False

    def apply(self, claim: domain.Claim, line: int | None) -> domain.Claim:
        target = self.target(claim, line)
        for spec in self.specs:
            target = set_path(
                target, spec.path, self._read_value(spec, get_path(target, spec.path))
            )
        return self.apply_extra(self.put(claim, line, target), line)

    def fill_extra(self, claim: domain.Claim, line: int | None) -> None:
        """Load what is not a plain field."""

    def apply_extra(self, claim: domain.Claim, line: int | None) -> domain.Claim:
        return claim

    def target(self, claim: domain.Claim, line: int | None) -> Any:
        return claim.drug_lines[line or 0] if self.scope == "line" else claim

    def put(self, claim: domain.Claim, line: int | None, target: Any) -> domain.Claim:
        if self.scope != "line":
            return target  # type: ignore[no-any-return]
        lines = list(claim.drug_lines)
        lines[line or 0] = target
        return dataclasses.replace(claim, drug_lines=tuple(lines))

    def key(self, path: str, line: int | None) -> FieldKey:
        return (line if self.scope == "line" else None, path)

    def texts(self, line: int | None) -> dict[FieldKey, str]:
        """What is typed in the free-text fields, for the length and character checks."""
        typed: dict[FieldKey, str] = {}
        for spec in self.specs:
            widget = self.inputs[spec.path]
            if spec.kind == "text" and isinstance(widget, QLineEdit):
                typed[self.key(spec.path, line)] = widget.text()
            elif spec.kind == "long" and isinstance(widget, QPlainTextEdit):
                typed[self.key(spec.path, line)] = widget.toPlainText()
        return typed

    def show_assessment(self, assessment: Assessment, line: int | None) -> None:
        for path, label in self.messages.items():
            text = self.local_messages.get(path) or assessment.fields.get(self.key(path, line), "")
            label.show_message(text)

    # --- values <-> widgets -----------------------------------------------------------------

    def _show_value(self, spec: Spec, value: Any, claim: domain.Claim | None) -> None:
        widget = self.inputs[spec.path]
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value.value if isinstance(value, enum.Enum) else value)
            if widget.isEditable():
                widget.setEditText("" if value is None else str(value))
            else:
                widget.setCurrentIndex(max(index, 0))
        elif isinstance(widget, DateField):
            if isinstance(value, datetime):
                value = value.astimezone().replace(tzinfo=None)  # shown in the clinic's time
            widget.set_value(value if isinstance(value, date) else None)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, QLineEdit):
            if spec.kind in ("codes", "modifiers"):
                widget.setText(" ".join(value))
            else:
                widget.setText("" if value is None else str(value))

    def _read_value(self, spec: Spec, old: Any) -> Any:
        widget = self.inputs[spec.path]
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QComboBox):
            if widget.isEditable():
                return drafts.clean_text(widget.currentText())[0]
            value = widget.currentData()
            if isinstance(old, enum.Enum) and value is not None:
                return type(old)(value)  # Qt hands enum members back as their plain value
            return value
        if isinstance(widget, DateField):
            return self._read_date(spec, widget, old)
        if isinstance(widget, QPlainTextEdit):
            return drafts.clean_text(widget.toPlainText(), drafts.LONG_TEXT_LIMIT)[0]
        assert isinstance(widget, QLineEdit)
        text = widget.text()
        if spec.kind == "amount":
            parsed = drafts.parse_amount(text, spec.path.rsplit(".", 1)[-1])
            if parsed.problem:
                self.local_messages[spec.path] = "⚠ " + parsed.problem
                return old  # an unreadable amount never overwrites the saved one
            self.local_messages.pop(spec.path, None)
            return parsed.value
        if spec.kind == "codes":
            return drafts.split_codes(text)
        if spec.kind == "modifiers":
            return tuple(part.upper() for part in drafts.split_codes(text))
        return drafts.clean_text(text)[0]

    def _read_date(self, spec: Spec, widget: DateField, old: Any) -> Any:
        """The typed date; one the text does not make never overwrites the saved one."""
        problem = widget.problem()
        if problem is None and spec.required_date and widget.is_empty():
            problem = f"{spec.label} is needed: type it, e.g. 2026-04-14."
        if problem is not None:
            self.local_messages[spec.path] = "⚠ " + problem
            return old
        self.local_messages.pop(spec.path, None)
        value = widget.value()
        if isinstance(value, datetime):
            return value.astimezone()  # the clinic's local time, with its offset
        return value

    def _rejected(self, path: str) -> None:
        self.local_messages[path] = (
            "⚠ Amounts take digits and one decimal point, e.g. 45 or 12.5; that key was not typed."
        )
        self.messages[path].show_message(self.local_messages[path])

    def _edited(self, *_args: object) -> None:
        if not self.loading:
            self.changed.emit()
