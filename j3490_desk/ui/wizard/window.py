"""The claim wizard window: a step list, the current step, the checklist, and autosave.

One window per claim (`open_wizard` raises the open one instead of opening a second). Every
change is applied to the window's claim (a plain domain object), checked at once, and saved
as a draft about 1.5 s after the clerk stops typing; closing the window saves too.
"""

from __future__ import annotations

import contextlib
import importlib.util
from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from j3490_desk import APP_NAME
from j3490_desk.domain import claim as domain
from j3490_desk.errors import InvalidInputError, KnownError
from j3490_desk.services import claim_holds, claim_status, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.services.claim_history import differences_from_stored
from j3490_desk.services.claim_holds import Holder
from j3490_desk.services.concurrency import ClaimChangedElsewhereError
from j3490_desk.ui.background import BackgroundJob, run_in_background
from j3490_desk.ui.history_view import HistoryView
from j3490_desk.ui.wizard.checklist import ChecklistPanel
from j3490_desk.ui.wizard.claim_pages import HeaderPage, NecessityPage, ProviderPage
from j3490_desk.ui.wizard.drug_pages import DRUG_PAGES, DrugPage
from j3490_desk.ui.wizard.fields import FieldPage
from j3490_desk.ui.wizard.review_page import ReviewPage
from j3490_desk.ui.wizard.seat_notices import CompareDialog, ConflictBar

AUTOSAVE_MS = 1500
HOLD_RENEW_MS = int(claim_holds.RENEW_EVERY.total_seconds() * 1000)
CHECK_MS = 120
STEP_ROLE = Qt.ItemDataRole.UserRole
PACKET_DIALOG = "j3490_desk.ui.packet_dialog"

_open_windows: dict[tuple[str, int], ClaimWizard] = {}


def open_wizard(
    data: AppData, claim_id: int, *, today: date | None = None, parent: QWidget | None = None
) -> ClaimWizard:
    """Show the claim's wizard; a claim already open is raised, never opened twice."""
    key = (str(data.paths.root), claim_id)
    wizard = _open_windows.get(key)
    if wizard is None:
        wizard = ClaimWizard(data, claim_id, today=today, parent=parent)
        _open_windows[key] = wizard
    wizard.show()
    wizard.raise_()
    wizard.activateWindow()
    return wizard


def open_wizard_count() -> int:
    return len(_open_windows)


def open_windows() -> list[ClaimWizard]:
    return list(_open_windows.values())


class ClaimWizard(QWidget):
    export_requested = Signal(int)  # the claim id: the packet dialog takes it from here
    checked = Signal(int)  # the claim id, once a save or the review has kept its check

    def __init__(
        self,
        data: AppData,
        claim_id: int,
        *,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.data = data
        self.claim_id = claim_id
        self.today = today
        opened = drafts.open_draft(data, claim_id)
        self.claim = opened.claim
        self.version = opened.version  # what this window edits: a save over a newer one is refused
        self.seat = claim_holds.new_seat()
        self.read_only = False  # another seat has the claim open ("open by NAME on COMPUTER")
        self.conflict: ClaimChangedElsewhereError | None = None  # a save refused: theirs is newer
        self.save_problem: KnownError | None = None  # a save that failed (server gone, disk full)
        self.compare_dialog: CompareDialog | None = None
        self.step = drafts.HEADER
        self.dirty = False
        self.step_dirty = False
        self.marking_ready: BackgroundJob | None = None  # the claim check and status move
        self._held: dict[QWidget, bool] = {}
        self.setWindowTitle(f"Claim {claim_id} — {APP_NAME}")  # never a patient's name
        self._build()
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_now)
        self.check_timer = QTimer(self)  # one check per pause in typing, not per key
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_MS)
        self.check_timer.timeout.connect(self.reassess)
        self.hold_timer = QTimer(self)  # renews this window's hold; a read-only one looks again
        self.hold_timer.setInterval(HOLD_RENEW_MS)
        self.hold_timer.timeout.connect(self.renew_hold)
        self.renew_hold()
        self.hold_timer.start()
        self.rebuild_steps()
        resume = drafts.resume_step(data, claim_id)
        self.go_to(resume if resume in drafts.step_keys(self.claim) else drafts.HEADER)
        self.step_dirty = False
        self.resize(1180, 760)

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.steps = QTreeWidget()
        self.steps.setHeaderHidden(True)
        self.steps.setAccessibleName("Steps")
        self.steps.setMinimumWidth(230)
        self.steps.currentItemChanged.connect(self._step_clicked)
        self.header_page = HeaderPage(self.data)
        self.drug_pages: dict[str, DrugPage] = {page.item: page(self.data) for page in DRUG_PAGES}
        self.necessity_page = NecessityPage(self.data)
        self.provider_page = ProviderPage(self.data)
        self.review_page = ReviewPage()
        self.review_page.mark_ready_requested.connect(self.mark_ready)
        self.review_page.export_requested.connect(self.export_packet)
        self.review_page.export.setEnabled(importlib.util.find_spec(PACKET_DIALOG) is not None)
        self.stack = QStackedWidget()
        self._scrolls: dict[QWidget, QScrollArea] = {}
        for page in (*self.field_pages(), self.review_page):
            if isinstance(page, DrugPage):
                page.evidence_changed.connect(self.evidence_changed)
            if isinstance(page, FieldPage):
                page.changed.connect(self.page_changed)
                scroll = QScrollArea()
                scroll.setWidgetResizable(True)
                scroll.setFrameShape(QScrollArea.Shape.NoFrame)
                scroll.setWidget(page)
                self._scrolls[page] = scroll
                self.stack.addWidget(scroll)
            else:
                self.stack.addWidget(page)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.guidance = QLabel()
        self.guidance.setWordWrap(True)
        self.guidance.setAccessibleName("Guidance")
        self.step_findings = QLabel()
        self.step_findings.setWordWrap(True)
        self.step_findings.setAccessibleName("Findings on this step")
        self.back_button = QPushButton("&Back")
        self.back_button.setShortcut(QKeySequence("Alt+B"))  # also where mnemonics are off
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton("&Next")
        self.next_button.setShortcut(QKeySequence("Alt+N"))
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.add_drug_button = QPushButton("Add another &drug")
        self.add_drug_button.clicked.connect(self.add_drug)
        self.remove_drug_button = QPushButton("Re&move this drug")
        self.remove_drug_button.clicked.connect(self._confirm_remove_drug)
        self.save_status = QLabel()
        self.save_status.setAccessibleName("Save status")
        self.hold_notice = QLabel()
        self.hold_notice.setWordWrap(True)
        self.hold_notice.setAccessibleName("Open elsewhere")
        self.hold_notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.hold_notice.hide()
        self.conflict_bar = ConflictBar()
        self.conflict_bar.reload_requested.connect(self.reload_theirs)
        self.conflict_bar.compare_requested.connect(self.compare)
        self.checklist = ChecklistPanel()
        self.checklist.setMinimumWidth(250)
        self.checklist.jump_requested.connect(self.go_to)
        for keys, slot in (
            ("Ctrl+PgDown", self.next),
            ("Ctrl+PgUp", self.back),
            ("Ctrl+S", self.save_now),
        ):
            QShortcut(QKeySequence(keys), self, slot)

        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        nav.addSpacing(16)
        nav.addWidget(self.add_drug_button)
        nav.addWidget(self.remove_drug_button)
        nav.addStretch()
        nav.addWidget(self.save_status)
        center = QVBoxLayout()
        center.addWidget(self.hold_notice)
        center.addWidget(self.conflict_bar)
        center.addWidget(self.title)
        center.addWidget(self.guidance)
        center.addWidget(self.stack, 1)
        center.addWidget(self.step_findings)
        center.addLayout(nav)
        self.history = HistoryView(self.data, self.claim_id)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.checklist, "Chec&klist")
        self.side_tabs.addTab(self.history, "&History")
        self.side_tabs.setMinimumWidth(340)
        self.side_tabs.currentChanged.connect(self._side_tab_shown)
        layout = QHBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addLayout(center, 1)
        layout.addWidget(self.side_tabs)

    def _side_tab_shown(self, index: int) -> None:
        if self.side_tabs.widget(index) is self.history:
            self.save_now()  # what the clerk just typed belongs in the history they open
            self.history.refresh()

    def field_pages(self) -> list[FieldPage]:
        return [
            self.header_page,
            *self.drug_pages.values(),
            self.necessity_page,
            self.provider_page,
        ]

    def rebuild_steps(self) -> None:
        self.steps.blockSignals(True)
        self.steps.clear()
        self._step_items: dict[str, QTreeWidgetItem] = {}
        self._add_step(None, drafts.HEADER, "Claim header")
        for index, line in enumerate(self.claim.drug_lines):
            drug = self._add_step(None, drafts.line_step(index, "1"), _drug_label(index, line))
            for item, page in self.drug_pages.items():
                self._add_step(drug, drafts.line_step(index, item), page.title)
            drug.setExpanded(True)
        self._add_step(None, drafts.NECESSITY, self.necessity_page.title)
        self._add_step(None, drafts.PROVIDER, self.provider_page.title)
        self._add_step(None, drafts.REVIEW, "Review")
        self.steps.blockSignals(False)

    def _add_step(self, parent: QTreeWidgetItem | None, step: str, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setData(0, STEP_ROLE, step)
        if parent is None:
            self.steps.addTopLevelItem(item)
        else:
            parent.addChild(item)
        if step not in self._step_items or parent is not None:  # a drug's row opens its item 1
            self._step_items[step] = item
        return item

    # --- navigation -------------------------------------------------------------------------

    def page_for(self, step: str) -> QWidget:
        line, item = drafts.parse_step(step)
        if line is not None:
            return self.drug_pages[item]
        return {
            drafts.HEADER: self.header_page,
            drafts.NECESSITY: self.necessity_page,
            drafts.PROVIDER: self.provider_page,
        }.get(item, self.review_page)

    def go_to(self, step: str) -> None:
        if step not in drafts.step_keys(self.claim) or self.marking_ready is not None:
            return  # while the claim is being marked ready, the clerk stays on the review
        if self.step != step:
            self.step_dirty = True
            self.autosave.start()
        self.step = step
        line, _ = drafts.parse_step(step)
        page = self.page_for(step)
        if isinstance(page, FieldPage):
            page.load(self.claim, line)
            self.stack.setCurrentWidget(self._scrolls[page])
            self.title.setText(page.title if line is None else f"Drug {line + 1}: {page.title}")
            self.guidance.setText(page.guidance)
        else:
            self.save_now()  # the review shows what is stored
            self.stack.setCurrentWidget(page)
            self.title.setText("Review")
            self.guidance.setText(self.review_page.guidance)
            self.show_review()
        self.steps.blockSignals(True)
        self.steps.setCurrentItem(self._step_items[step])
        self.steps.blockSignals(False)
        keys = drafts.step_keys(self.claim)
        self.back_button.setEnabled(keys.index(step) > 0)
        self.next_button.setEnabled(keys.index(step) < len(keys) - 1)
        self.remove_drug_button.setEnabled(
            line is not None and len(self.claim.drug_lines) > 1 and not self.read_only
        )
        self.reassess()

    def next(self) -> None:
        keys = drafts.step_keys(self.claim)
        index = keys.index(self.step)
        if index + 1 < len(keys):
            self.go_to(keys[index + 1])
            self._focus_first_input()

    def back(self) -> None:
        keys = drafts.step_keys(self.claim)
        index = keys.index(self.step)
        if index > 0:
            self.go_to(keys[index - 1])
            self._focus_first_input()

    def _focus_first_input(self) -> None:
        page = self.page_for(self.step)
        if isinstance(page, FieldPage):
            first = next(iter(page.inputs.values()), None)
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.review_page.report.setFocus()

    def _step_clicked(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.go_to(str(item.data(0, STEP_ROLE)))

    # --- changes, checks, saving ------------------------------------------------------------

    def page_changed(self) -> None:
        if self.read_only:
            return
        page = self.page_for(self.step)
        assert isinstance(page, FieldPage)
        line, _ = drafts.parse_step(self.step)
        self.claim = page.apply(self.claim, line)
        self.dirty = True
        if self.conflict is None:  # after a refusal, only Ctrl+S tries again
            self.autosave.start()  # restarts: saves 1.5 s after the last change
            self.save_status.setText("Editing…")
        self.check_timer.start()
        if line is not None:
            top = self._step_items[drafts.line_step(line, "1")].parent()
            if top is not None:
                top.setText(0, _drug_label(line, self.claim.drug_lines[line]))

    def evidence_changed(self) -> None:
        """Files are the evidence, so the check runs again; removing one from a ready claim
        moved it back to draft, which a later save must not undo. That move was this window's
        own, so the version it made is the one this window now edits."""
        stored = drafts.open_draft(self.data, self.claim_id)
        self.claim = replace(self.claim, status=stored.claim.status)
        self.version = stored.version
        self.check_timer.start()

    def reassess(self) -> None:
        self.check_timer.stop()
        page = self.page_for(self.step)
        line, _ = drafts.parse_step(self.step)
        texts = page.texts(line) if isinstance(page, FieldPage) else {}
        assessment = drafts.assess(self.data, self.claim, today=self.today, texts=texts)
        if isinstance(page, FieldPage):
            page.show_assessment(assessment, line)
        self.checklist.show_entries(assessment.checklist)
        here = assessment.step_findings(self.step)
        self.step_findings.setText(
            "\n".join(f"{_SIGNS[f.severity.value]} {f.message}" for f in here)
        )
        self.step_findings.setVisible(bool(here))

    def save_now(self) -> None:
        self.autosave.stop()
        if self.read_only:
            return
        was_ready = self.claim.status is domain.ClaimStatus.READY
        try:
            if self.dirty:
                saved = drafts.save_draft(
                    self.data, self.claim, self.step, version=self.version, today=self.today
                )
                self.claim, self.version = saved.claim, saved.version
            elif self.step_dirty:
                drafts.set_resume_step(self.data, self.claim_id, self.step)
            else:
                return
        except ClaimChangedElsewhereError as error:  # theirs is newer: never save over it
            self.conflict = error
            self.save_status.setText("Not saved: changed elsewhere")
            self.conflict_bar.show_refusal(error.message)
            return
        except KnownError as error:  # disk full, server gone: keep the draft in memory
            self.save_problem = error
            self.save_status.setText(f"Not saved: {error}")
            self.autosave.start()  # and try again, so it goes through once the cause is gone
            return
        saved_claim = self.dirty
        self.dirty = self.step_dirty = False
        self.conflict = self.save_problem = None
        self.conflict_bar.hide()
        self.save_status.setText(f"Draft saved at {datetime.now():%H:%M:%S}")
        if was_ready and self.claim.status is domain.ClaimStatus.DRAFT:
            self.save_status.setText("Saved; back to draft: this change brings a blocker")
        if saved_claim:
            self.checked.emit(self.claim_id)

    def reload_theirs(self) -> None:
        """Show the claim as stored now, dropping this window's unsaved changes."""
        self.autosave.stop()
        self._reload()
        self.save_status.setText("Reloaded as saved elsewhere; your changes were dropped")

    def _reload(self) -> None:
        opened = drafts.open_draft(self.data, self.claim_id)
        self.claim, self.version = opened.claim, opened.version
        self.dirty = False
        self.conflict = None
        self.conflict_bar.hide()
        self.rebuild_steps()
        keys = drafts.step_keys(self.claim)
        self.go_to(self.step if self.step in keys else drafts.HEADER)

    def compare(self) -> None:
        """Mine beside theirs, field by field; the window stays usable beside it."""
        differences = differences_from_stored(self.data, self.claim)
        self.compare_dialog = CompareDialog(self.claim_id, differences, self)
        self.compare_dialog.open()

    def renew_hold(self) -> None:
        """Hold the claim while this window is open; read-only while another seat holds it."""
        if self.data.db.read_only:
            return
        try:
            holder = claim_holds.take_hold(self.data, self.claim_id, self.seat)
        except KnownError:
            return  # the server away a moment: the version counter still guards every save
        if holder is not None and not self.read_only and self.dirty:
            self.save_now()  # this seat's hold lapsed and another took it: save what is typed
        was_read_only = self.read_only
        self._show_hold(holder)
        if holder is None and was_read_only:
            self._reload()  # free now: editable, from the claim as stored

    def _show_hold(self, holder: Holder | None) -> None:
        self.read_only = holder is not None
        self.hold_notice.setVisible(holder is not None)
        if holder is not None:
            self.hold_notice.setText(f"{holder.describe()} — read-only here")
            self.save_status.setText("Read-only: open elsewhere")
        for page in self.field_pages():  # their scroll areas stay usable: read, not typed
            page.setEnabled(not self.read_only)
        if self.read_only:
            self.review_page.mark_ready.setEnabled(False)
        self.add_drug_button.setEnabled(not self.read_only)
        line, _ = drafts.parse_step(self.step)
        self.remove_drug_button.setEnabled(
            line is not None and len(self.claim.drug_lines) > 1 and not self.read_only
        )

    def show_review(self) -> None:
        review = drafts.review(self.data, self.claim, today=self.today)
        self.review_page.show_review(review, self._drug_names())
        if self.read_only:
            self.review_page.mark_ready.setEnabled(False)
        self.checked.emit(self.claim_id)

    def _drug_names(self) -> list[str]:
        return [line.brand_name or line.generic_name or "unnamed" for line in self.claim.drug_lines]

    def mark_ready(self) -> None:
        """The claim check and the status move run off the GUI thread; the review page shows
        it is busy, then the outcome."""
        if self.marking_ready is not None or self.read_only:
            return
        self.save_now()
        if self.conflict is not None:
            return  # the bar says why; marking theirs ready unseen would not be the clerk's check
        data, claim_id, today, version = self.data, self.claim_id, self.today, self.version
        self.review_page.show_busy("Checking the claim…")
        self._hold_navigation(True)
        self.marking_ready = run_in_background(
            lambda _control: _mark_ready_and_review(data, claim_id, today, version),
            parent=self,
            on_success=self._marked_ready,
            on_failure=self._not_marked_ready,
            # blockers, or another seat's save since: said on the page
            expected=(InvalidInputError, ClaimChangedElsewhereError),
        )
        self.marking_ready.finished.connect(self._mark_ready_ended)

    def _marked_ready(self, result: tuple[drafts.SavedDraft, drafts.Review]) -> None:
        saved, review = result
        self.claim, self.version = saved.claim, saved.version
        self.review_page.end_busy()
        self.review_page.show_review(review, self._drug_names())
        self.review_page.outcome.setText("Marked ready to submit.")

    def _not_marked_ready(self, error: KnownError) -> None:
        self.review_page.end_busy()
        self.review_page.outcome.setText(f"Not marked ready: {error}")

    def _mark_ready_ended(self) -> None:
        self.marking_ready = None
        self._hold_navigation(False)
        self.checked.emit(self.claim_id)  # marked ready or refused, the claim was checked

    def _hold_navigation(self, hold: bool) -> None:
        """No leaving the review, and no edits, while the claim is being marked ready."""
        widgets = (
            self.steps,
            self.checklist,
            self.back_button,
            self.next_button,
            self.add_drug_button,
            self.remove_drug_button,
        )
        if hold:
            self._held = {widget: widget.isEnabled() for widget in widgets}
            for widget in widgets:
                widget.setEnabled(False)
        else:
            for widget, enabled in self._held.items():
                widget.setEnabled(enabled)
            self._held = {}

    def export_packet(self) -> None:
        self.save_now()
        self.export_requested.emit(self.claim_id)
        if importlib.util.find_spec(PACKET_DIALOG) is None:
            return
        from j3490_desk.ui.packet_dialog import PacketDialog

        PacketDialog(self.data, self.claim_id, self, today=self.today).exec()

    # --- drug lines -------------------------------------------------------------------------

    def add_drug(self) -> None:
        self.claim = replace(self.claim, drug_lines=(*self.claim.drug_lines, domain.DrugLine()))
        self.dirty = True
        self.save_now()  # the new line gets its id now, so attachments can hang on it
        self.rebuild_steps()
        self.go_to(drafts.line_step(len(self.claim.drug_lines) - 1, "1"))
        self._focus_first_input()

    def remove_drug(self, line: int) -> None:
        lines = list(self.claim.drug_lines)
        del lines[line]
        self.claim = replace(self.claim, drug_lines=tuple(lines))
        self.dirty = True
        self.save_now()
        self.rebuild_steps()
        self.go_to(drafts.line_step(max(line - 1, 0), "1"))

    def _confirm_remove_drug(self) -> None:
        line, _ = drafts.parse_step(self.step)
        if line is None:
            return
        name = _drug_label(line, self.claim.drug_lines[line])
        answer = QMessageBox.question(self, "Remove drug", f"Remove {name} from this claim?")
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_drug(line)

    # --- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.marking_ready is not None:
            self.marking_ready.wait()  # the window is deleted on close: not under a thread
        self.save_now()
        unsaved_because = self.conflict or self.save_problem
        if unsaved_because is not None and self.dirty and not self._discard_mine(unsaved_because):
            event.ignore()
            return
        self.hold_timer.stop()
        # A server unreachable now: the hold lapses by itself (claim_holds.EXPIRES_AFTER).
        if not self.data.db.read_only:
            with contextlib.suppress(KnownError):
                claim_holds.release_hold(self.data, self.claim_id, self.seat)
        _open_windows.pop((str(self.data.paths.root), self.claim_id), None)
        super().closeEvent(event)

    def _discard_mine(self, unsaved_because: KnownError) -> bool:
        """What was typed exists only in this window: closing it must be the clerk's choice."""
        answer = QMessageBox.question(
            self,
            "Close without saving",
            f"{unsaved_because}\n\nClose this window and discard your changes?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def _mark_ready_and_review(
    data: AppData, claim_id: int, today: date | None, version: int
) -> tuple[drafts.SavedDraft, drafts.Review]:
    """Off the GUI thread: the status move (refused with the blockers, or when another seat
    saved since the window's version), then the new review."""
    claim_status.mark_ready(data, claim_id, today=today, version=version)
    saved = drafts.open_draft(data, claim_id)
    return saved, drafts.review(data, saved.claim, today=today)


_SIGNS = {"blocker": "✖ Blocker:", "warning": "⚠ Warning:", "info": "ℹ Note:"}


def _drug_label(index: int, line: domain.DrugLine) -> str:
    name = line.brand_name or line.generic_name or "new drug"
    return f"Drug {index + 1}: {name}"
