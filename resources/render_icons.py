"""Render LeadDesk's platform icons from the one SVG: `python resources/render_icons.py OUT`.

Writes into OUT:
  leaddesk.ico             Windows (exe, installer, Apps & features): 16-256 px
  leaddesk.icns            macOS (LeadDesk.app): 16-1024 px
  hicolor/NxN/apps/leaddesk.png   Linux (the .deb's icon theme): 16-512 px

Qt's own SVG renderer (QtSvg, part of PySide6-Essentials) draws every size, so
no image tool is needed. The .ico and .icns containers are written here rather
than through Qt's image plugins: those write one image per file, and a Windows
or macOS icon carries every size so the desktop never scales a bitmap.

The files are generated at build time (the spec runs this script), not
committed: the SVG stays the single source, and a changed icon cannot ship with
stale bitmaps beside it.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parent / "icons" / "leaddesk.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 256)
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# ICNS element types holding PNG data, by pixel size (the @2x types share sizes).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def render_png(size: int) -> bytes:
    """The SVG drawn on a transparent square of ``size`` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file with one PNG-compressed entry per size (Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render_all(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    sizes = sorted({*ICO_SIZES, *PNG_SIZES, *(size for _kind, size in ICNS_TYPES)})
    pngs = {size: render_png(size) for size in sizes}
    del app
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "leaddesk.ico", out / "leaddesk.icns"]
    written[0].write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    written[1].write_bytes(icns_bytes(pngs))
    for size in PNG_SIZES:
        path = out / "hicolor" / f"{size}x{size}" / "apps" / "leaddesk.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    written = render_all(Path(argv[0]))
    print(f"{len(written)} icon files written to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
