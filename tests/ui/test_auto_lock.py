"""After the idle time every window is covered, and only the right password uncovers it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from j3490_desk.ui.auto_lock import AutoLock


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    window.setCentralWidget(QLabel("Roe, Jane  DOB 1950-04-02"))
    qtbot.add_widget(window)
    window.resize(600, 400)
    window.show()
    return window


def test_locks_after_idle_and_unlocks_with_the_password(qtbot: QtBot) -> None:
    window = _window(qtbot)
    clock = FakeClock()
    lock = AutoLock(10, lambda password: password == "right password", clock=clock)
    clock.now += 9 * 60
    lock.check_idle()
    assert not lock.locked
    clock.now += 61
    lock.check_idle()
    assert lock.locked
    overlay = lock.overlays[0]
    assert overlay.parent() is window and overlay.isVisible()
    assert overlay.geometry() == window.rect()  # the patient's name is covered, edge to edge
    qtbot.keyClicks(overlay.password, "wrong")
    overlay.unlock()
    assert lock.locked and "not right" in overlay.message.text()
    qtbot.keyClicks(overlay.password, "right password")
    overlay.unlock()
    assert not lock.locked
    lock.timer.stop()


def test_input_keeps_it_unlocked_and_no_accounts_unlock_with_a_click(qtbot: QtBot) -> None:
    window = _window(qtbot)
    clock = FakeClock()
    lock = AutoLock(1, None, clock=clock)
    clock.now += 50
    qtbot.keyClick(window, "a")  # typing counts as activity
    clock.now += 50
    lock.check_idle()
    assert not lock.locked
    clock.now += 61
    lock.check_idle()
    assert lock.locked and not lock.overlays[0].password.isVisible()
    lock.overlays[0].button.click()
    assert not lock.locked
    lock.timer.stop()


def test_zero_minutes_never_locks(qtbot: QtBot) -> None:
    lock = AutoLock(0, None, clock=FakeClock())
    assert not lock.timer.isActive()
