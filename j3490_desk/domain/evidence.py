"""Which documents are actually stored with a claim: the only thing that proves an item.

A claim file's `"attached": true` or a clerk's tick is a statement, not a document; the rules
count an invoice, signed order or label photo only when a stored attachment of that kind is
linked to the drug line (or to the whole claim). The services build `Evidence` from the
attachment store; the rules, the narrative and the packet read it, so they all agree.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class EvidenceKind(enum.StrEnum):
    """Documents an item needs; the values are the attachment kinds the store records."""

    INVOICE = "invoice"  # item 2
    ORDER = "prescription"  # item 5: the signed order
    LABEL = "label_photo"  # item 7: the label with lot and expiry


@dataclass(frozen=True)
class Evidence:
    """(drug line index, kind) of each stored document; a None line covers the whole claim."""

    documents: frozenset[tuple[int | None, EvidenceKind]] = frozenset()

    @classmethod
    def of(cls, stored: Iterable[tuple[int | None, str]]) -> Evidence:
        """From (drug line index or None, attachment kind) pairs; other kinds prove no item."""
        kinds = {kind.value: kind for kind in EvidenceKind}
        return cls(frozenset((line, kinds[kind]) for line, kind in stored if kind in kinds))

    def has(self, kind: EvidenceKind, line: int) -> bool:
        """A document of this kind is stored for the line, or for the whole claim."""
        return (line, kind) in self.documents or (None, kind) in self.documents


NO_EVIDENCE = Evidence()
