"""Render the one icon source, resources/icons/j3490-desk.svg, into every size the platforms need.

    python packaging/make_icons.py

Writes into resources/icons/: j3490-desk-<N>.png for N in SIZES (Linux, the window icon),
j3490-desk.ico (Windows: 16-256 px in one file) and j3490-desk.icns (macOS: 16-1024 px).
Each size is rendered from the SVG itself (Qt's SVG renderer, offscreen), never scaled down from a
larger bitmap, so the small sizes stay sharp. The outputs are committed; rerun this after
editing the SVG.
"""

from __future__ import annotations

import os
import sys
from io import BytesIO
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen needed

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "j3490-desk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    with Image.open(BytesIO(bytes(data.data()))) as decoded:
        return decoded.convert("RGBA")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        sys.stderr.write(f"{SOURCE} is not a valid SVG\n")
        return 1
    images = {size: render(renderer, size) for size in SIZES}
    for size, image in images.items():
        image.save(ICONS / f"j3490-desk-{size}.png", optimize=True)
    ico = [images[size] for size in ICO_SIZES]
    ico[-1].save(
        ICONS / "j3490-desk.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=ico[:-1],
    )
    icns = [images[size] for size in ICNS_SIZES]
    icns[-1].save(ICONS / "j3490-desk.icns", append_images=icns[:-1])
    del app
    sys.stdout.write(f"wrote {len(SIZES)} PNGs, j3490-desk.ico and j3490-desk.icns into {ICONS}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
