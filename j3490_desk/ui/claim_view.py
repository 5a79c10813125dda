"""A claim at a glance: header, drug lines, and what the claim check says."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from j3490_desk.services import checks, claims
from j3490_desk.services.app_data import AppData


class ClaimView(QDialog):
    def __init__(self, data: AppData, claim_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Claim {claim_id}")  # no patient name: titles show on the taskbar
        self.resize(760, 600)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Claim details")
        self.browser.setHtml(claim_html(data, claim_id))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


def claim_html(data: AppData, claim_id: int) -> str:
    claim = claims.get_claim(data, claim_id)
    e = html.escape
    rows = "".join(
        f"<tr><td>{i + 1}</td><td>{e(line.brand_name or line.generic_name)}</td>"
        f"<td>{e(line.ndc)}</td><td>{e(line.hcpcs_code)} {e(' '.join(line.modifiers))}</td>"
        f"<td>{e(str(line.dose.amount or ''))} {e(line.dose.unit)} {e(line.dose.route)}</td></tr>"
        for i, line in enumerate(claim.drug_lines)
    )
    findings = checks.claim_findings(data, claim_id)
    finding_rows = "".join(
        f"<li><b>{e(f.severity.value.upper())}</b> {e(f.message)} <i>{e(f.fix)}</i></li>"
        for f in findings
    )
    return (
        f"<h2>Claim {claim_id} ({e(claim.status.value)})</h2>"
        f"<p><b>Patient:</b> {e(claim.patient.name)} &nbsp; <b>DOB:</b> "
        f"{claim.patient.date_of_birth or ''} &nbsp; <b>Member ID:</b> {e(claim.patient.member_id)}<br>"
        f"<b>Payer:</b> {e(claim.payer.name)} &nbsp; <b>Provider:</b> {e(claim.provider.name)} "
        f"{e(claim.provider.credentials)} (NPI {e(claim.provider.npi)})<br>"
        f"<b>Date of service:</b> {claim.date_of_service} &nbsp; <b>Place:</b> "
        f"{claim.place_of_service.value}</p>"
        "<h3>Drugs</h3><table border=1 cellpadding=4 cellspacing=0>"
        "<tr><th>#</th><th>Drug</th><th>NDC</th><th>Code</th><th>Dose</th></tr>"
        f"{rows}</table>"
        f"<h3>Claim check</h3><ul>{finding_rows or '<li>No findings.</li>'}</ul>"
    )
