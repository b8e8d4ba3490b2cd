"""Photos for tests, drawn with Pillow, and the hostile files of issue 15: a polyglot, a
decompression bomb, an SVG renamed .jpg, a 50 MB file, a truncated JPEG, an HTML file."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

from PIL import ExifTags, Image, ImageDraw

from ideation.core.storage import DirectoryStorage

# Somewhere in Lyon: what a tenant's phone writes into every photo.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (45.0, 45.0, 36.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (4.0, 50.0, 24.0),
}


def picture(width: int = 1200, height: int = 800) -> Image.Image:
    """A small scene: sky, a building, a door; the top-left corner is red (orientation checks)."""
    image = Image.new("RGB", (width, height), (150, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle([width // 6, height // 3, width * 5 // 6, height], fill=(190, 170, 140))
    draw.rectangle([width // 2 - 40, height - 200, width // 2 + 40, height], fill=(90, 60, 40))
    draw.rectangle([0, 0, width // 10, height // 10], fill=(255, 0, 0))
    return image


def jpeg(width: int = 1200, height: int = 800, *, gps: bool = True, orientation: int = 1) -> bytes:
    """A phone-like JPEG, with GPS position, maker, a comment and an orientation tag."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telephone"
    exif[ExifTags.Base.Model] = "Modele 12"
    exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    picture(width, height).save(out, "JPEG", exif=exif, comment=b"chez moi", quality=90)
    return out.getvalue()


def png(width: int = 500, height: int = 400) -> bytes:
    out = io.BytesIO()
    picture(width, height).convert("RGBA").save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes that announce a huge image (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def polyglot_html() -> bytes:
    return jpeg(400, 300) + b"<html><body><script>alert(document.cookie)</script></body></html>"


def polyglot_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("index.html", "<script>alert(1)</script>")
    return jpeg(400, 300) + archive.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(1)</script><img src=x onerror=alert(2)></body></html>"


def truncated_jpeg() -> bytes:
    whole = jpeg(1200, 800, gps=False)
    return whole[: len(whole) // 2]


def fifty_megabytes() -> bytes:
    return jpeg(400, 300, gps=False) + b"\0" * (50 * 1024 * 1024)


HOSTILE = {
    "polyglot_html": (polyglot_html, "vacances.jpg", "Ce fichier contient autre chose"),
    "polyglot_zip": (polyglot_zip, "photo.jpg", "Ce fichier contient autre chose"),
    "bomb": (lambda: png_claiming(30_000, 30_000), "photo.png", "beaucoup trop grande"),
    "bomb_over_the_budget": (
        lambda: png_claiming(9_000, 8_000),
        "photo.png",
        "beaucoup trop grande",
    ),
    "svg_renamed": (lambda: SVG, "photo.jpg", "Ce fichier contient autre chose"),
    "fifty_megabytes": (fifty_megabytes, "enorme.jpg", "trop lourde"),
    "truncated_jpeg": (truncated_jpeg, "coupee.jpg", "abîmée ou incomplète"),
    "svg_plain": (
        lambda: SVG[SVG.index(b"<svg") :].replace(b"<script>alert(document.domain)</script>", b""),
        "photo.jpg",
        "n'est pas une photo",
    ),
    "html": (lambda: HTML, "page.jpg", "Ce fichier contient autre chose"),
    "gif": (
        lambda: (
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
        ),
        "image.jpg",
        "n'est pas une photo",
    ),
    "text": (lambda: b"juste du texte, pas une image", "photo.jpg", "n'est pas une photo"),
}


def stored_files(store: DirectoryStorage) -> list[str]:
    """Every file under the store's root, temporary ones included."""
    found = []
    for folder, _dirs, files in os.walk(store.root):
        found += [os.path.relpath(os.path.join(folder, name), store.root) for name in files]
    return sorted(found)
