"""Real-format files made in the tests: label photos with GS1 DataMatrix codes, PDFs, TIFFs."""

from __future__ import annotations

import io
from pathlib import Path

import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from j3490_desk.domain.gs1 import gtin_check_digit, gtin_from_ndc10

NDC10 = "5556610501"  # Adstiladrin 55566-1050-01, as tests/sample_claims.py bills it
GTIN = gtin_from_ndc10(NDC10)
LOT, SERIAL, EXPIRY_TEXT = "L2231A", "SN000123", "270630"
GS1_TEXT = f"(01){GTIN}(17){EXPIRY_TEXT}(10){LOT}(21){SERIAL}"


def barcode_image(text: str, fmt: zxingcpp.BarcodeFormat, *, gs1: bool, scale: int) -> Image.Image:
    code = (
        zxingcpp.create_barcode(text, fmt, gs1=gs1) if gs1 else zxingcpp.create_barcode(text, fmt)
    )
    pixels = memoryview(code.to_image(scale=scale))
    height, width = pixels.shape[0], pixels.shape[1]
    return Image.frombuffer("L", (width, height), bytes(pixels)).convert("RGB")


def label_photo(
    text: str = GS1_TEXT,
    *,
    gs1: bool = True,
    fmt: zxingcpp.BarcodeFormat = zxingcpp.BarcodeFormat.DataMatrix,
    size: tuple[int, int] = (1200, 800),
    scale: int = 6,
) -> Image.Image:
    """A drug label as a phone sees it: off-white card, printed text, the code at the right."""
    photo = Image.new("RGB", size, (236, 232, 224))
    draw = ImageDraw.Draw(photo)
    draw.rectangle((40, 40, size[0] - 40, size[1] - 40), fill=(250, 250, 247), outline=(90, 90, 90))
    for row, line in enumerate(
        [
            "ADSTILADRIN",
            "nadofaragene firadenovec-vncg",
            "NDC 55566-1050-01",
            f"LOT {LOT}",
            "EXP 2027-06",
        ]
    ):
        draw.text((80, 90 + row * 40), line, fill=(20, 20, 60))
    code = barcode_image(text, fmt, gs1=gs1, scale=scale)
    photo.paste(code, (size[0] - code.width - 120, (size[1] - code.height) // 2))
    return photo


def rotated(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(
        degrees, expand=True, fillcolor=(120, 110, 100), resample=Image.Resampling.BICUBIC
    )


def blurred(image: Image.Image, radius: float = 2.0) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(radius))


def low_contrast(image: Image.Image) -> Image.Image:
    """Faded print in dim light: everything squeezed into a narrow band of greys."""
    return image.point(lambda value: 120 + value * 40 // 255)


def perspective_warped(image: Image.Image) -> Image.Image:
    """The label photographed from the side: one edge nearer the lens than the other."""
    width, height = image.size
    # Output corners map back to these input points (top-left, bottom-left, bottom-right, top-right).
    quad = (0, 0, 0, height, width, height + height * 0.12, width, -height * 0.12)
    return image.transform(
        image.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=(120, 110, 100)
    )


def save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)
    return path


def jpeg_bytes(image: Image.Image, exif_orientation: int | None = None) -> bytes:
    buffer = io.BytesIO()
    if exif_orientation is None:
        image.save(buffer, "JPEG", quality=90)
    else:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def bad_check_digit_gtin() -> str:
    body = GTIN[:-1]
    return body + str((gtin_check_digit(body) + 1) % 10)


def upc_a_for(ndc10: str = NDC10) -> str:
    body = "3" + ndc10
    return body + str(gtin_check_digit(body))


def multipage_tiff(path: Path, pages: int = 3) -> Path:
    frames = [Image.new("L", (400, 520), 255) for _ in range(pages)]
    for number, frame in enumerate(frames, start=1):
        ImageDraw.Draw(frame).text((40, 40), f"Scanned page {number}", fill=0)
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return path


def heic_photo(path: Path, image: Image.Image | None = None) -> Path:
    from pillow_heif import from_pillow

    from_pillow(image or label_photo()).save(path, quality=90)
    return path


def invoice_pdf(
    path: Path, *, ndc: str = "55566-1050-01", price: str = "60,000.00", encrypt: str | None = None
) -> Path:
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter)
    lines = [
        "Besse Medical  -  INVOICE INV-8812",
        "Invoice date: 10/01/2026",
        "Item: Adstiladrin 3x10^11 vp/mL 75 mL",
        f"NDC {ndc}",
        f"Qty 1   Unit price ${price}   Extended ${price}",
        f"Invoice total: ${price}",
    ]
    for row, line in enumerate(lines):
        page.drawString(72, 700 - row * 20, line)
    page.showPage()
    page.save()
    if encrypt is None:
        path.write_bytes(buffer.getvalue())
        return path
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.encrypt(encrypt)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def photo_with_exif_rotation(path: Path) -> Path:
    """A landscape photo stored sideways with EXIF orientation 6 (rotate 90° clockwise to show)."""
    upright = Image.new("RGB", (300, 200), (255, 255, 255))
    ImageDraw.Draw(upright).rectangle((0, 0, 299, 40), fill=(255, 0, 0))  # red band at the top
    stored = ImageOps.exif_transpose(upright).transpose(Image.Transpose.ROTATE_90)
    path.write_bytes(jpeg_bytes(stored, exif_orientation=6))
    return path
