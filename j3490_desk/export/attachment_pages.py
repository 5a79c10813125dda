"""Attached documents made ready for the packet: scans downsampled, PDFs opened and counted.

Scans are downsampled to 200 dpi at the size they print (a 600-dpi phone photo must not make
a 40 MB packet) and kept grayscale when the scan is grayscale. A missing or unreadable file
stops the export with a message naming the document; nothing is written. Content is read once,
through the attachment's loader, and opened from memory (never from the stored file's path).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import cast

from PIL import Image, ImageChops, ImageOps, ImageSequence, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from j3490_desk.domain.input_limits import FRAME_LIMIT, PIXEL_BUDGET
from j3490_desk.export.errors import AttachmentMissingError, CorruptAttachmentError
from j3490_desk.export.layout import BODY_HEIGHT, BODY_WIDTH
from j3490_desk.export.packet_input import PacketAttachment

TARGET_DPI = 200
HEIF_TYPES = frozenset({"image/heic", "image/heif"})
# Bicubic: as sharp as Lanczos on text at a 2/3 reduction, at half the time.
JPEG_QUALITY = 80  # text on a scan stays crisp at 200 dpi; smaller files than 90+
GRAY_TOLERANCE = 10  # colour channels closer than this everywhere: a gray scan saved as RGB
_PROBE_SCALE = 8  # gray detection looks at a 1/8-size decode: cheap for JPEG
Image.MAX_IMAGE_PIXELS = 200_000_000  # a 600-dpi tabloid scan, not a decompression bomb


@dataclass(frozen=True)
class ScaledImage:
    jpeg: bytes
    width_pt: float  # proportions of the page image; the renderer scales it to fit
    height_pt: float
    grayscale: bool


@dataclass(frozen=True)
class PreparedAttachment:
    source: PacketAttachment
    images: tuple[ScaledImage, ...] = ()
    pdf: PdfReader | None = None

    @property
    def page_count(self) -> int:
        return len(self.pdf.pages) if self.pdf is not None else len(self.images)


def prepare_attachment(attachment: PacketAttachment) -> PreparedAttachment:
    try:
        content = attachment.load()
    except FileNotFoundError as error:
        raise AttachmentMissingError(
            f"The attached {attachment.title} is missing from the attachment store.",
            "Attach the document again on the claim's Attachments page, then export again. "
            "Nothing was written.",
        ) from error
    if attachment.media_type == "application/pdf":
        return PreparedAttachment(attachment, pdf=_open_pdf(attachment, content))
    return PreparedAttachment(attachment, images=_scaled_frames(attachment, content))


def _corrupt(attachment: PacketAttachment, what: str) -> CorruptAttachmentError:
    return CorruptAttachmentError(
        f"The attached {attachment.title} ({attachment.sha256}) cannot be read: {what}.",
        "Open the original, save or scan it again as a PDF or JPEG, replace the attachment, "
        "then export again. Nothing was written.",
    )


def _open_pdf(attachment: PacketAttachment, content: bytes) -> PdfReader:
    try:
        reader = PdfReader(BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _corrupt(attachment, "it is protected by a password")
        pages = reader.pages
        if len(pages) == 0:
            raise _corrupt(attachment, "it has no pages")
        for page in pages:  # touch every page now, so a broken one fails before anything is built
            _ = page.mediabox.width, page.get_contents()
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise _corrupt(attachment, f"the PDF is damaged ({error})") from error
    return reader


@cache
def _register_heif() -> None:
    from pillow_heif import register_heif_opener  # phone photos; loaded on the first only

    register_heif_opener()


def _scaled_frames(attachment: PacketAttachment, content: bytes) -> tuple[ScaledImage, ...]:
    if attachment.media_type in HEIF_TYPES:
        _register_heif()
    try:
        with Image.open(BytesIO(content)) as image:
            _within_budget(attachment, image)
            if getattr(image, "n_frames", 1) == 1:
                return (_scaled(image, content),)
            return tuple(_scaled(frame.copy(), content) for frame in ImageSequence.Iterator(image))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise _corrupt(
            attachment, f"the image is damaged or of an unknown kind ({error})"
        ) from error


def _within_budget(attachment: PacketAttachment, image: Image.Image) -> None:
    """From the header: a file stored before the pixel budget existed is refused, not decoded
    into gigabytes (attaching checks every page; issue 18 item 10)."""
    frames = int(getattr(image, "n_frames", 1))
    if image.width * image.height > PIXEL_BUDGET or frames > FRAME_LIMIT:
        raise _corrupt(
            attachment,
            f"the image is larger than {PIXEL_BUDGET // 1_000_000} megapixels a page or "
            f"{FRAME_LIMIT} pages; attach a smaller copy",
        )


def _is_grayscale(image: Image.Image, content: bytes) -> bool:
    if image.mode in {"1", "L", "LA", "I", "I;16", "F"}:
        return True
    if image.mode == "P":
        image = image.convert("RGB")
    if image.format == "JPEG":
        with Image.open(BytesIO(content)) as probe:  # a 1/8 decode: no need to decode it all twice
            probe.draft("RGB", (image.width // _PROBE_SCALE, image.height // _PROBE_SCALE))
            rgb = probe.convert("RGB")
    else:
        rgb = image.convert("RGB")
        rgb.thumbnail((max(1, image.width // _PROBE_SCALE), max(1, image.height // _PROBE_SCALE)))
    red, green, blue = rgb.split()
    return max(_largest(red, green), _largest(green, blue)) <= GRAY_TOLERANCE


def _largest(band: Image.Image, other: Image.Image) -> int:
    """The largest difference between two single-band images."""
    _, high = cast(tuple[int, int], ImageChops.difference(band, other).getextrema())
    return high


def _target_size(width: int, height: int) -> tuple[int, int]:
    """Pixels for TARGET_DPI at the size the page prints in the body; never upsampled."""
    fit_inches = min(BODY_WIDTH / width, BODY_HEIGHT / height) / 72
    scale = min(1.0, fit_inches * TARGET_DPI)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _scaled(image: Image.Image, content: bytes) -> ScaledImage:
    target = _target_size(*_upright_size(image))
    if image.format != "JPEG":
        image = _reduced(image, target)
    gray = _is_grayscale(image, content)
    if image.format == "JPEG":
        image.draft("L" if gray else "RGB", target)  # decode fewer pixels when the file allows
    upright = ImageOps.exif_transpose(image)
    if upright.mode in {"RGBA", "LA", "PA"} or (
        upright.mode == "P" and "transparency" in upright.info
    ):
        upright = _on_white(upright)
    converted = upright.convert("L" if gray else "RGB")
    target = _target_size(converted.width, converted.height)
    if target != converted.size:
        converted = converted.resize(target, Image.Resampling.BICUBIC)
    output = BytesIO()
    converted.save(output, "JPEG", quality=JPEG_QUALITY, dpi=(TARGET_DPI, TARGET_DPI))
    return ScaledImage(output.getvalue(), converted.width, converted.height, gray)


def _reduced(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """A PNG or TIFF decoded once, then cut by a whole factor to near the target size, so the
    conversions below copy a few megapixels, not the scan's 50 (issue 18: packets stay under
    1 GB with several large scans prepared at once). The EXIF orientation goes along."""
    upright = _upright_size(image)
    factor = min(upright[0] // target[0], upright[1] // target[1]) if target[0] else 1
    if factor < 2 or image.mode not in _REDUCE_AS:
        return image
    orientation = image.getexif().get(0x0112, 1)
    wanted = _REDUCE_AS[image.mode]
    reduced = (image if wanted == image.mode else image.convert(wanted)).reduce(factor)
    reduced.info = dict(image.info)
    reduced.getexif()[0x0112] = orientation
    return reduced


# The mode each reduces in: reduce() takes these, "1", "P" and "I;16" only once converted.
_REDUCE_AS = {
    **{mode: mode for mode in ("L", "LA", "PA", "RGB", "RGBA", "I", "F", "CMYK")},
    "1": "L",
    "P": "RGBA",
    "I;16": "I",
}


def _upright_size(image: Image.Image) -> tuple[int, int]:
    orientation = image.getexif().get(0x0112, 1)  # EXIF Orientation: 5-8 swap the sides
    return (image.height, image.width) if orientation in {5, 6, 7, 8} else image.size


def _on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")
