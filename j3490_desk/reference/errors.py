"""What can go wrong with reference files and NDC look-ups, in words a clerk can act on."""

from __future__ import annotations

from j3490_desk.errors import InvalidInputError, KnownError, NotFoundError


class ReferenceFileError(InvalidInputError):
    """A picked file was rejected as a whole; nothing loaded before was changed."""


class ImportCancelledError(KnownError):
    """The clerk cancelled an import; the data loaded before is unchanged."""

    def __init__(self) -> None:
        super().__init__(
            "Import cancelled.", "Nothing was changed: the reference data loaded before is kept."
        )


class InvalidNdcError(InvalidInputError):
    """The text typed or scanned is not an NDC in any FDA or billing form."""


class AmbiguousNdcError(InvalidInputError):
    """A bare 10-digit NDC matches more than one package in the FDA directory."""

    def __init__(self, text: str, matches: tuple[str, ...]) -> None:
        self.matches = matches
        super().__init__(
            f"NDC {text} is ambiguous: it matches {len(matches)} packages ({', '.join(matches)}).",
            "Type the NDC with its hyphens as printed on the label, or pick one of these.",
        )


class NdcNotFoundError(NotFoundError):
    """No loaded FDA or CMS file knows this NDC."""
