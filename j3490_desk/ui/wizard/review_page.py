"""The last step: every finding, the expected payment, the exact claim text, the deadline."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from j3490_desk.domain.findings import Finding, item_label
from j3490_desk.domain.pricing import PriceBreakdown
from j3490_desk.services.drafts import Review

GUIDANCE = (
    "Everything the claim check found, worst first. Blockers must be fixed before the claim "
    "is marked ready; warnings deserve a look. Below them: what the payer should pay, the "
    "exact narrative and NDC line the claim will carry, and the last day to file."
)


class ReviewPage(QWidget):
    mark_ready_requested = Signal()
    export_requested = Signal()
    title = "Review"
    guidance = GUIDANCE

    def __init__(self) -> None:
        super().__init__()
        self.report = QTextBrowser()
        self.report.setAccessibleName("Claim review")
        self.report.setOpenLinks(False)
        self.mark_ready = QPushButton("Mark &ready to submit")
        self.mark_ready.clicked.connect(self.mark_ready_requested)
        self.export = QPushButton("E&xport packet…")
        self.export.clicked.connect(self.export_requested)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Review outcome")
        buttons = QHBoxLayout()
        buttons.addWidget(self.mark_ready)
        buttons.addWidget(self.export)
        buttons.addStretch()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.report, 1)
        column.addWidget(self.outcome)
        column.addLayout(buttons)
        self._enabled_before = (False, False)

    def show_busy(self, text: str) -> None:
        """While work for this page runs off the GUI thread: no second click, a busy cursor."""
        self._enabled_before = (self.mark_ready.isEnabled(), self.export.isEnabled())
        self.mark_ready.setEnabled(False)
        self.export.setEnabled(False)
        self.outcome.setText(text)
        self.setCursor(Qt.CursorShape.BusyCursor)

    def end_busy(self) -> None:
        self.mark_ready.setEnabled(self._enabled_before[0])
        self.export.setEnabled(self._enabled_before[1])
        self.unsetCursor()

    def show_review(self, review: Review, drug_names: list[str]) -> None:
        # A fresh review: the last Mark ready's outcome no longer holds once the claim moved
        # (a file removed, an edit that brings a blocker); the status line says where it is.
        self.outcome.clear()
        self.report.setHtml(review_html(review, drug_names))
        self.mark_ready.setEnabled(review.can_mark_ready)
        self.mark_ready.setToolTip(
            "" if review.can_mark_ready else "Fix the blockers first; the draft stays saved."
        )


def review_html(review: Review, drug_names: list[str]) -> str:
    e = html.escape

    def name(index: int | None) -> str:
        if index is None or index >= len(drug_names):
            return "Claim"
        return f"Drug {index + 1} ({e(drug_names[index])})"

    def findings(title: str, sign: str, items: tuple[Finding, ...]) -> str:
        if not items:
            return f"<h3>{sign} {title}: none</h3>"
        rows = "".join(
            f"<li><b>{name(f.line)}, {e(item_label(f.item))}:</b> {e(f.message)}<br>"
            f"<i>What to do:</i> {e(f.fix)} <small>[{e(f.code)}]</small></li>"
            for f in items
        )
        return f"<h3>{sign} {title} ({len(items)})</h3><ul>{rows}</ul>"

    prices = []
    for index, price in enumerate(review.prices):
        if isinstance(price, PriceBreakdown):
            parts = "<br>".join(f"{e(p.label)}: ${p.amount:,.2f}" for p in price.parts)
            prices.append(
                f"<li><b>{name(index)}:</b> ${price.total:,.2f} "
                f"({e(price.method.value.replace('_', ' '))})<br>{parts}</li>"
            )
        else:
            prices.append(
                f"<li><b>{name(index)}:</b> cannot be priced yet: {e(price.reason)}<br>"
                f"<i>What to do:</i> {e(price.fix)}</li>"
            )
    total = review.expected_total
    lines = []
    for paper, electronic in zip(review.paper_lines, review.electronic_lines, strict=True):
        label = name(paper.drug_line) + (" — discarded amount" if paper.is_waste_line else "")
        codes = " ".join((paper.hcpcs_code, *paper.modifiers))
        lines.append(
            f"<li><b>{label}:</b> {e(codes)}, units {paper.units if paper.units is not None else '?'}"
            f"<br>24A shaded line: <code>{e(paper.shaded_24a or '(cannot be built yet)')}</code>"
            f"<br>Item 19 narrative: <code>{e(paper.narrative or '(none: coded drug)')}</code>"
            f"<br>NTE / SV101-7 narrative: <code>{e(electronic.narrative or '(none)')}</code></li>"
        )
    deadline = review.deadline
    return (
        f"<p>Status: <b>{e(review.status.value)}</b></p>"
        + findings("Blockers", "✖", review.blockers)
        + findings("Warnings", "⚠", review.warnings)
        + findings("Information", "ℹ", review.infos)
        + "<h3>Expected payment</h3><ul>"
        + "".join(prices)
        + "</ul>"
        + (f"<p><b>Total: ${total:,.2f}</b></p>" if total is not None else "")
        + "<h3>What the claim will carry</h3><ul>"
        + "".join(lines)
        + "</ul><h3>Filing deadline</h3>"
        + f"<p><b>{deadline.deadline.isoformat()}</b> ({deadline.days_left} days left). "
        + f"{e(deadline.basis)}</p>"
    )
