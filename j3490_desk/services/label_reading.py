"""Reading a drug-label photo: the GS1 DataMatrix (DSCSA) or the linear NDC barcode.

zxing-cpp finds and decodes the symbols; `domain.gs1` reads their values and checks them.
A phone photo is tried as it is first, then in variants that rescue common failures
(downscaled for 12 MP photos, contrast-stretched for faded print, sharpened for blur,
rotated), stopping at the first GS1 symbol. A linear UPC-A carries the NDC but no lot or
expiry, so it is only used when no DataMatrix is found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import zxingcpp
from PIL import Image, ImageFilter, ImageOps

from j3490_desk.domain.gs1 import Gs1Data, Gs1Error, gtin_from_ndc10, ndc10_from_linear, parse_gs1
from j3490_desk.domain.ndc import NdcError, hyphenate_ndc11, ndc_candidates, to_billing_ndc
from j3490_desk.errors import InvalidInputError, NotFoundError
from j3490_desk.services.attachments import open_image

if TYPE_CHECKING:
    from j3490_desk.services.reference import ReferenceService

_FORMATS = zxingcpp.BarcodeFormats(
    [
        zxingcpp.BarcodeFormat.DataMatrix,
        zxingcpp.BarcodeFormat.UPCA,
        zxingcpp.BarcodeFormat.EAN13,
        zxingcpp.BarcodeFormat.Code128,
    ]
)
_LINEAR = {zxingcpp.BarcodeFormat.UPCA, zxingcpp.BarcodeFormat.EAN13}
_PHOTO_SIDE = 1600  # a label's code stays several pixels per module at this size
_TYPE_IT = "Type the NDC, lot and expiry from the label instead."


class NoBarcodeFoundError(NotFoundError):
    """The photo holds no barcode zxing could find (CLI exit status 1)."""


@dataclass(frozen=True)
class LabelReading:
    gtin: str
    ndc10_digits: str | None
    ndc11: str | None  # None when the 10 digits are ambiguous and no reference data decides
    candidates: tuple[str, ...]  # the 11-digit readings still possible
    lot: str
    expiry: date | None
    serial: str
    barcode_format: str  # "DataMatrix", "UPC-A", ...

    @property
    def ndc_hyphenated(self) -> str | None:
        return hyphenate_ndc11(self.ndc11) if self.ndc11 else None

    def to_json(self) -> dict[str, Any]:
        """The `label read --json` object; its first six keys are a published contract."""
        return {
            "gtin": self.gtin,
            "ndc10_digits": self.ndc10_digits,
            "ndc11": self.ndc11,
            "lot": self.lot,
            "expiry": self.expiry.isoformat() if self.expiry else None,
            "serial": self.serial,
            "ndc11_candidates": list(self.candidates),
            "barcode_format": self.barcode_format,
        }


def read_label(
    source: Path | bytes, *, name: str = "", reference: ReferenceService | None = None
) -> LabelReading:
    """Decode a label photo: a file (the CLI) or stored content (`attachment_bytes`), which
    messages call `name`; `reference` (when loaded) settles the 10-digit NDC."""
    name = name or (source.name if isinstance(source, Path) else "the photo")
    image = _load(source, name)
    linear: Any = None
    non_gs1: Any = None
    for variant in _variants(image):
        for barcode in zxingcpp.read_barcodes(variant, formats=_FORMATS):
            if barcode.content_type == zxingcpp.ContentType.GS1:
                return _from_gs1(barcode.text, str(barcode.format), reference)
            if barcode.format in _LINEAR:
                linear = linear or barcode
            else:
                non_gs1 = non_gs1 or barcode
    if linear is not None:
        return _from_linear(linear.text, reference)
    if non_gs1 is not None:
        raise InvalidInputError(
            f"The barcode in {name} is a {non_gs1.format} that does not hold GS1 data, so "
            "it carries no NDC, lot or expiry.",
            f"Photograph the square DataMatrix or the UPC barcode next to the NDC. {_TYPE_IT}",
        )
    raise NoBarcodeFoundError(
        f"No barcode was found in {name}.",
        "Photograph the label's square DataMatrix code straight on, filling a good part of the "
        f"picture, in even light and in focus. {_TYPE_IT}",
    )


def _load(source: Path | bytes, name: str) -> Image.Image:
    try:
        with open_image(source, name) as opened:
            upright = ImageOps.exif_transpose(opened)
            # zxing reads luminance only; handing it grey halves the time on a 12 MP photo.
            return upright.convert("L")
    except FileNotFoundError as error:
        assert isinstance(source, Path)  # content already in memory cannot be missing
        raise InvalidInputError(f"There is no file {source}.", "Check the path.") from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # Pillow's decode failures
        raise InvalidInputError(
            f"{name} is not an image that can be read (JPEG, PNG, TIFF or HEIC), or it is damaged.",
            "Take or copy the photo again.",
        ) from error


def _variants(image: Image.Image) -> Iterator[Image.Image]:
    """The photo as is, then the rescues in order of how often they help; made lazily, so a
    clean photo costs one decode."""
    yield image
    small = _downscaled(image)
    makers: list[Callable[[Image.Image], Image.Image]] = [
        lambda im: im,
        lambda im: ImageOps.autocontrast(im, cutoff=2),
        lambda im: ImageOps.autocontrast(im.filter(ImageFilter.UnsharpMask(3, 250, 2)), cutoff=1),
        lambda im: im.rotate(45, expand=True, fillcolor=255),
    ]
    for make in makers:
        variant = make(small)
        if variant is not image:
            yield variant


def _downscaled(image: Image.Image) -> Image.Image:
    if max(image.size) <= _PHOTO_SIDE:
        return image
    smaller = image.copy()
    smaller.thumbnail((_PHOTO_SIDE, _PHOTO_SIDE), Image.Resampling.BOX)
    return smaller


def _from_gs1(text: str, barcode_format: str, reference: ReferenceService | None) -> LabelReading:
    try:
        data = parse_gs1(text)
    except Gs1Error as error:
        raise InvalidInputError(str(error)) from error
    return _reading(data, _format_name(barcode_format), reference)


def _from_linear(text: str, reference: ReferenceService | None) -> LabelReading:
    try:
        ndc10 = ndc10_from_linear(text)
    except Gs1Error as error:
        raise InvalidInputError(str(error)) from error
    data = Gs1Data(gtin=gtin_from_ndc10(ndc10), expiry=None, lot="", serial="", ndc10_digits=ndc10)
    return _reading(data, "UPC-A", reference)


def _reading(
    data: Gs1Data, barcode_format: str, reference: ReferenceService | None
) -> LabelReading:
    candidates: tuple[str, ...] = ()
    ndc11 = None
    if data.ndc10_digits is not None:
        candidates = ndc_candidates(data.ndc10_digits)
        ndc11, candidates = _resolve(data.ndc10_digits, candidates, reference)
    return LabelReading(
        gtin=data.gtin,
        ndc10_digits=data.ndc10_digits,
        ndc11=ndc11,
        candidates=candidates,
        lot=data.lot,
        expiry=data.expiry,
        serial=data.serial,
        barcode_format=barcode_format,
    )


def _resolve(
    ndc10: str, candidates: tuple[str, ...], reference: ReferenceService | None
) -> tuple[str | None, tuple[str, ...]]:
    """The FDA directory picks the one listed reading; without it all three stay open."""
    if reference is None or not reference.paths.reference_database.exists():
        return None, candidates
    from j3490_desk.reference.errors import AmbiguousNdcError, NdcNotFoundError

    try:
        ndc11 = reference.directory.resolve(ndc10)
    except AmbiguousNdcError as error:
        return None, tuple(match.replace("-", "") for match in error.matches)
    except NdcNotFoundError:
        return None, candidates
    return ndc11, (ndc11,)


def _format_name(barcode_format: str) -> str:
    return barcode_format.replace(" ", "")


@dataclass(frozen=True)
class LabelComparison:
    """One value as the photo gives it and as the clerk typed it."""

    field: str
    from_photo: str
    typed: str
    agrees: bool | None  # None when either side is empty: nothing to compare


def compare_with_typed(
    reading: LabelReading, *, ndc: str, lot: str, expiry: date | str | None
) -> list[LabelComparison]:
    """NDC (as 11-digit billing NDCs), lot and expiry, side by side with what was typed.

    `expiry` is a date, or the text typed when it does not make one (shown, never equal)."""
    try:
        typed_ndc11: str | None = to_billing_ndc(ndc) if ndc.strip() else None
    except NdcError:
        typed_ndc11 = None
    photo_ndc = reading.ndc_hyphenated or " or ".join(
        hyphenate_ndc11(candidate) for candidate in reading.candidates
    )
    ndc_agrees = (
        None if not ndc.strip() or not reading.candidates else (typed_ndc11 in reading.candidates)
    )
    photo_expiry = reading.expiry.isoformat() if reading.expiry else ""
    typed_expiry = expiry.isoformat() if isinstance(expiry, date) else (expiry or "").strip()
    return [
        LabelComparison("NDC", photo_ndc, ndc.strip(), ndc_agrees),
        _compare("Lot", reading.lot, lot.strip(), reading.lot.upper() == lot.strip().upper()),
        _compare("Expiry", photo_expiry, typed_expiry, photo_expiry == typed_expiry),
        LabelComparison("Serial", reading.serial, "", None),
    ]


def _compare(name: str, from_photo: str, typed: str, same: bool) -> LabelComparison:
    return LabelComparison(name, from_photo, typed, same if from_photo and typed else None)
