"""What can go wrong while a packet is built, split by who can fix it."""

from __future__ import annotations

from j3490_desk.errors import KnownError


class AttachmentMissingError(KnownError):
    """An attached document's file is gone from the attachment store."""


class CorruptAttachmentError(KnownError):
    """An attached PDF or image cannot be read."""


class PacketCancelled(Exception):
    """The user cancelled the export; nothing was written."""
