"""What the packet renderer needs, as plain data: the service gathers it, the renderer only reads.

Nothing here touches the database or Qt, so the renderer is tested with files the tests make.
An attachment's content comes from its `load` callable, never from a path: the store may keep
it encrypted, and the service's loader gives back the plain content.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from j3490_desk.domain.claim import Claim, ClaimStatus, DrugFacts
from j3490_desk.domain.evidence import Evidence
from j3490_desk.domain.findings import Finding, Severity

# progress(done, total, what): called as the packet is built; cancelled() is polled between steps.
ProgressCallback = Callable[[int, int, str], None]
CancelledCallback = Callable[[], bool]


@dataclass(frozen=True)
class PacketAttachment:
    """One enclosed document, in manifest order. `drug_line` indexes claim.drug_lines.

    `load` returns the content. It is called once, on the worker that prepares the document,
    so several 50 MB PDFs are not all read before the first is laid out; it raises
    FileNotFoundError (or the caller's own KnownError) when the content is gone.
    """

    title: str
    kind: str  # invoice, label_photo, prescription, medical_record, prior_auth, other
    sha256: str  # names the content in messages and in the packet's content hash
    media_type: str  # application/pdf, image/jpeg, image/png, image/tiff
    load: Callable[[], bytes] = field(repr=False, compare=False)
    drug_line: int | None = None


@dataclass(frozen=True)
class ClinicInfo:
    name: str = ""
    address: str = ""
    phone: str = ""
    fax: str = ""
    npi: str = ""


@dataclass(frozen=True)
class PacketInput:
    claim: Claim
    claim_id: int
    control_number: str  # PWK06 attachment control number, at most 50 characters
    producer: str  # "J3490 Desk <version>"
    prepared_on: date  # the letter's date: the day this content was first exported
    clinic: ClinicInfo = field(default_factory=ClinicInfo)
    findings: tuple[Finding, ...] = ()
    facts: Mapping[str, DrugFacts] | None = None
    attachments: tuple[PacketAttachment, ...] = ()

    @property
    def blockers(self) -> int:
        return sum(f.severity is Severity.BLOCKER for f in self.findings)

    @property
    def draft(self) -> bool:
        """A claim that is not ready (blockers, or never marked ready) is packeted as a DRAFT."""
        return bool(self.draft_reason)

    @property
    def draft_reason(self) -> str:
        """Why this packet is a DRAFT, in a sentence; "" when it is not one."""
        if self.blockers:
            return f"The claim check found {self.blockers} blocking problem(s)."
        if self.claim.status is ClaimStatus.DRAFT:
            return "The claim has not been marked ready to submit."
        return ""

    @property
    def evidence(self) -> Evidence:
        """What the enclosed documents prove: the same rule the claim check applies."""
        return Evidence.of((a.drug_line, a.kind) for a in self.attachments)
