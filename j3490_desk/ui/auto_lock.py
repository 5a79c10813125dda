"""Automatic logoff (HIPAA 164.312(a)(2)(iii)): after N idle minutes every window is covered.

An application-wide event filter notes the last keyboard or mouse input; a timer compares.
When it fires, each visible top-level window gets an opaque overlay that hides its content
(patient data) until the clerk unlocks: with their password when user accounts exist.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)

PasswordCheck = Callable[[str], bool] | None  # None: no accounts, a click unlocks


class LockOverlay(QWidget):
    def __init__(
        self, window: QWidget, check_password: PasswordCheck, on_unlock: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self.setAutoFillBackground(True)
        self.setObjectName("lock-overlay")
        self._check = check_password
        self._on_unlock = on_unlock
        title = QLabel("<h2>J3490 Desk is locked</h2>")
        self.message = QLabel(
            "Locked after a time without use, so no one sees patient data while you are away."
        )
        self.message.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setPlaceholderText("Password")
        self.password.setVisible(check_password is not None)
        self.password.returnPressed.connect(self.unlock)
        self.button = QPushButton("&Unlock")
        self.button.clicked.connect(self.unlock)
        layout = QVBoxLayout(self)
        layout.addStretch()
        for widget in (title, self.message, self.password, self.button):
            layout.addWidget(widget)
        layout.addStretch()
        self.setGeometry(window.rect())
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def unlock(self) -> None:
        if self._check is not None and not self._check(self.password.text()):
            self.password.clear()
            self.message.setText("That password is not right. Try again.")
            return
        self._on_unlock()


class AutoLock(QObject):
    def __init__(
        self,
        minutes: int,
        check_password: PasswordCheck = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.idle_limit = minutes * 60
        self._check = check_password
        self._clock = clock
        self._last_input = clock()
        self.overlays: list[LockOverlay] = []
        self.timer = QTimer(self)
        self.timer.setInterval(5_000)
        self.timer.timeout.connect(self.check_idle)
        app = QApplication.instance()
        if minutes > 0 and app is not None:
            app.installEventFilter(self)
            self.timer.start()

    @property
    def locked(self) -> bool:
        return bool(self.overlays)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and not self.locked:
            self._last_input = self._clock()
        return False

    def check_idle(self) -> None:
        if not self.locked and self._clock() - self._last_input >= self.idle_limit:
            self.lock()

    def lock(self) -> None:
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and not isinstance(window, LockOverlay):
                overlay = LockOverlay(window, self._check, self.unlock)
                overlay.show()
                overlay.raise_()
                self.overlays.append(overlay)
        if self.overlays:
            self.overlays[0].password.setFocus()

    def unlock(self) -> None:
        for overlay in self.overlays:
            overlay.deleteLater()
        self.overlays.clear()
        self._last_input = self._clock()
