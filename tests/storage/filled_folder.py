"""A data folder with something in it: three claims and an invoice PDF on the first."""

from __future__ import annotations

from j3490_desk.services import attachments, claims
from j3490_desk.services.app_data import AppData
from tests.attachments.files import invoice_pdf
from tests.sample_claims import sample_claim


def fill(data: AppData) -> list[int]:
    ids = [claims.create_claim(data, sample_claim()) for _ in range(3)]
    attachments.add_attachment(
        data,
        claim_id=ids[0],
        drug_line_id=None,
        kind=attachments.AttachmentKind.INVOICE,
        source=invoice_pdf(data.paths.root.parent / "invoice.pdf"),
        original_name="invoice.pdf",
    )
    return ids
