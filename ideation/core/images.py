"""Photos checked by their content and made safe: Pillow decodes, we re-encode.

A file is accepted only if Pillow recognises it as JPEG, PNG or WebP from its bytes (never
its name or declared type), decodes it completely (a truncated file fails), stays under a
pixel budget (decompression bombs fail before decoding) and carries nothing else (a file
that is also a zip archive or holds HTML is refused, though re-encoding would drop it).
What is stored is a new JPEG drawn from the decoded pixels: turned by its orientation
tag, without EXIF, GPS position, comments or colour profile.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# A 48-megapixel phone photo passes; twice this is refused by Pillow before decoding.
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# The largest stored width; the page's smaller widths are made from it (`variant`).
FULL_WIDTH = 1600
VARIANT_WIDTHS = (320, 640, 1024)
JPEG_QUALITY = 82

# Markers of another format riding in an image's bytes (HTML, XML, scripts, PDF). Long
# enough that the compressed pixels of a real photo hold one by chance about once in
# 10^6 files of 10 MB: a false refusal is rarer than a dropped connection.
_FOREIGN = re.compile(rb"<(?:!doctype|html[\s>]|script[\s>]|iframe|\?xml)|%PDF-", re.IGNORECASE)


class ImageRefused(Exception):
    """Why a file is not taken: one of the `reason` codes below, said in words by the caller."""

    TOO_BIG = "too_big"
    NOT_AN_IMAGE = "not_an_image"
    DAMAGED = "damaged"
    TOO_MANY_PIXELS = "too_many_pixels"
    NOT_ONLY_AN_IMAGE = "not_only_an_image"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Prepared:
    """A checked photo, re-encoded: the JPEG bytes to store and its size."""

    data: bytes
    width: int
    height: int


def _carries_something_else(data: bytes) -> bool:
    if _FOREIGN.search(data):
        return True
    try:
        return zipfile.is_zipfile(io.BytesIO(data))
    except Exception:  # noqa: BLE001  (a damaged zip directory is still a zip directory)
        return True


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Pillow writes the original's comment again unless told otherwise: forget it all.
    image.info = {}
    # No exif=, no icc_profile=, no comment: nothing of the original's metadata goes on.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def prepare(data: bytes, max_bytes: int) -> Prepared:
    """Check an upload by its content and re-encode it; ImageRefused says why not."""
    if len(data) > max_bytes:
        raise ImageRefused(ImageRefused.TOO_BIG)
    if not data:
        raise ImageRefused(ImageRefused.NOT_AN_IMAGE)
    if _carries_something_else(data):
        raise ImageRefused(ImageRefused.NOT_ONLY_AN_IMAGE)
    try:
        with warnings.catch_warnings():
            # Over MAX_PIXELS Pillow only warns (it refuses at twice that): refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise ImageRefused(ImageRefused.NOT_AN_IMAGE)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                if getattr(image, "n_frames", 1) > 1:
                    image.seek(0)
                image.load()  # decodes every pixel: a truncated file fails here
                upright = ImageOps.exif_transpose(image)
                flat = _flatten(upright)
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRefused(ImageRefused.TOO_MANY_PIXELS) from error
    except UnidentifiedImageError as error:
        raise ImageRefused(ImageRefused.NOT_AN_IMAGE) from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as error:
        raise ImageRefused(ImageRefused.DAMAGED) from error
    if flat.width > FULL_WIDTH:
        flat = flat.resize((FULL_WIDTH, max(1, round(flat.height * FULL_WIDTH / flat.width))))
    return Prepared(_encode(flat), flat.width, flat.height)


def widths_for(full_width: int) -> list[int]:
    """The smaller widths worth making for a photo of this width."""
    return [width for width in VARIANT_WIDTHS if width < full_width]


def variant(full: bytes, width: int) -> bytes:
    """The stored photo at a smaller width (same proportions), re-encoded."""
    with Image.open(io.BytesIO(full)) as image:
        image.load()
        height = max(1, round(image.height * width / image.width))
        return _encode(image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS))
