"""The claim's current attachments as the packet encloses them, in manifest order.

Order follows what a reviewer checks first: the invoice (price), the label (NDC, lot), the
order, the prior authorization, then the records; within a kind, by drug line, then as added.
"""

from __future__ import annotations

from functools import partial

from j3490_desk.domain.claim import Claim
from j3490_desk.export.packet_input import PacketAttachment
from j3490_desk.services import attachments
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import AttachmentInfo, AttachmentKind

MANIFEST_ORDER = (
    AttachmentKind.INVOICE,
    AttachmentKind.LABEL_PHOTO,
    AttachmentKind.PRESCRIPTION,
    AttachmentKind.PRIOR_AUTH,
    AttachmentKind.MEDICAL_RECORD,
    AttachmentKind.OTHER,
)


def packet_attachments(data: AppData, claim: Claim) -> tuple[PacketAttachment, ...]:
    """Each attachment's content is read when the packet prepares it, through the attachment
    service, whose KnownError then says which file is missing from the store."""
    if claim.id is None:
        return ()
    line_index = {line.id: i for i, line in enumerate(claim.drug_lines) if line.id is not None}
    infos = attachments.list_attachments(data, claim.id)
    infos.sort(key=lambda info: _sort_key(info, line_index))
    return tuple(_packet_attachment(data, info, claim, line_index) for info in infos)


def _sort_key(info: AttachmentInfo, line_index: dict[int, int]) -> tuple[int, int, str, int]:
    line = line_index.get(info.drug_line_id, -1) if info.drug_line_id is not None else -1
    return MANIFEST_ORDER.index(info.kind), line, info.added_at.isoformat(), info.id


def _packet_attachment(
    data: AppData, info: AttachmentInfo, claim: Claim, line_index: dict[int, int]
) -> PacketAttachment:
    index = line_index.get(info.drug_line_id) if info.drug_line_id is not None else None
    title = info.kind.label
    if index is not None and len(claim.drug_lines) > 1:
        line = claim.drug_lines[index]
        title += f" - {line.brand_name or line.generic_name or f'drug line {index + 1}'}"
    return PacketAttachment(
        title=f"{title} ({info.original_name})" if info.original_name else title,
        kind=info.kind.value,
        sha256=info.sha256,
        media_type=info.media_type,
        load=partial(attachments.attachment_bytes, data, info),
        drug_line=index,
    )
