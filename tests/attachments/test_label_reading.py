"""Reading label photos: GS1 DataMatrix in real photos made here, UPC-A, and the bad cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from j3490_desk.errors import InvalidInputError
from j3490_desk.services.label_reading import LabelReading, NoBarcodeFoundError, read_label
from tests.attachments import files

ALL_THREE_READINGS = ("05556610501", "55566010501", "55566105001")


def _assert_label_values(reading: LabelReading) -> None:
    assert reading.gtin == files.GTIN == "00355566105011"
    assert reading.ndc10_digits == files.NDC10
    assert reading.ndc11 is None  # no reference data: the 10 digits stay ambiguous
    assert reading.candidates == ALL_THREE_READINGS
    assert (reading.lot, reading.expiry, reading.serial) == (
        files.LOT,
        date(2027, 6, 30),
        files.SERIAL,
    )
    assert reading.barcode_format == "DataMatrix"


PHOTOS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "straight": lambda image: image,
    "rotated 30°": lambda image: files.rotated(image, 30),
    "rotated 90°": lambda image: files.rotated(image, 90),
    "upside down": lambda image: files.rotated(image, 180),
    "blurred": files.blurred,
    "low contrast": files.low_contrast,
    "perspective-warped": files.perspective_warped,
    "faded, blurred and tilted": lambda image: files.perspective_warped(
        files.blurred(files.low_contrast(files.rotated(image, 12)), 1.5)
    ),
}


@pytest.mark.parametrize("name", PHOTOS)
def test_gs1_datamatrix_in_a_label_photo(tmp_path: Path, name: str) -> None:
    photo = files.save(PHOTOS[name](files.label_photo()), tmp_path / "label.jpg", quality=85)
    _assert_label_values(read_label(photo))


def test_heic_label_photo(tmp_path: Path) -> None:
    _assert_label_values(read_label(files.heic_photo(tmp_path / "IMG_0002.HEIC")))


def test_exif_rotated_phone_photo(tmp_path: Path) -> None:
    sideways = files.label_photo().transpose(Image.Transpose.ROTATE_90)
    photo = tmp_path / "phone.jpg"
    photo.write_bytes(files.jpeg_bytes(sideways, exif_orientation=8))
    _assert_label_values(read_label(photo))


def test_twelve_megapixel_photo(tmp_path: Path) -> None:
    photo = Image.new("RGB", (4000, 3000), (180, 170, 160))
    photo.paste(files.label_photo(), (1400, 1100))
    _assert_label_values(read_label(files.save(photo, tmp_path / "12mp.jpg", quality=85)))


def test_upc_a_gives_the_ndc_without_lot_or_expiry(tmp_path: Path) -> None:
    label = files.label_photo(
        files.upc_a_for(), gs1=False, fmt=zxingcpp.BarcodeFormat.UPCA, scale=3
    )
    reading = read_label(files.save(label, tmp_path / "upc.png"))
    assert (reading.gtin, reading.ndc10_digits, reading.ndc11) == (files.GTIN, files.NDC10, None)
    assert (reading.lot, reading.expiry, reading.serial) == ("", None, "")
    assert reading.barcode_format == "UPC-A"


def test_json_has_the_contract_keys(tmp_path: Path) -> None:
    reading = read_label(files.save(files.label_photo(), tmp_path / "label.png"))
    assert reading.to_json() == {
        "gtin": files.GTIN,
        "ndc10_digits": files.NDC10,
        "ndc11": None,
        "lot": files.LOT,
        "expiry": "2027-06-30",
        "serial": files.SERIAL,
        "ndc11_candidates": list(ALL_THREE_READINGS),
        "barcode_format": "DataMatrix",
    }


def test_a_photo_with_no_barcode(tmp_path: Path) -> None:
    blank = files.label_photo().crop((0, 0, 600, 800))  # the text half only
    with pytest.raises(NoBarcodeFoundError, match="No barcode was found") as caught:
        read_label(files.save(blank, tmp_path / "text-only.jpg"))
    assert caught.value.exit_status == 1


def test_stored_content_is_read_from_bytes_and_named_by_its_original_name(
    tmp_path: Path,
) -> None:
    photo = files.save(files.label_photo(), tmp_path / "label.jpg", quality=85)
    _assert_label_values(read_label(photo.read_bytes(), name="label.jpg"))
    blank = files.save(files.label_photo().crop((0, 0, 600, 800)), tmp_path / "blank.jpg")
    with pytest.raises(NoBarcodeFoundError, match=r"^No barcode was found in IMG_0007\.jpg"):
        read_label(blank.read_bytes(), name="IMG_0007.jpg")
    with pytest.raises(InvalidInputError, match=r"^IMG_0007\.jpg is not an image that can be"):
        read_label(b"not an image at all", name="IMG_0007.jpg")


def test_a_datamatrix_that_is_not_gs1(tmp_path: Path) -> None:
    plain = files.label_photo("LOT L2231A EXP 2027-06", gs1=False)
    with pytest.raises(InvalidInputError, match="does not hold GS1 data") as caught:
        read_label(files.save(plain, tmp_path / "plain.png"))
    assert caught.value.exit_status == 2


def test_a_gtin_with_a_bad_check_digit(tmp_path: Path) -> None:
    bad = f"(01){files.bad_check_digit_gtin()}(17)270630(10)L2231A"
    with pytest.raises(InvalidInputError, match="check digit 2, but it should be 1"):
        read_label(files.save(files.label_photo(bad), tmp_path / "bad.png"))


def test_an_unreadable_file(tmp_path: Path) -> None:
    junk = tmp_path / "label.jpg"
    junk.write_bytes(b"not an image at all")
    with pytest.raises(InvalidInputError, match="not an image that can be read"):
        read_label(junk)
