"""Thumbnails of image attachments for the portfolio.

Rules:
- A thumbnail fits in :data:`THUMBNAIL_PX` pixels a side and is embedded as JPEG (small,
  and a PDF embeds JPEG as it is), transparent parts laid on white.
- An image that cannot be decoded, or has more pixels than Pillow's decompression-bomb
  limit (OWASP ASVS 5.0 V5.2.6), gives no thumbnail; the portfolio shows its filename alone.
  A broken attachment never fails the export.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

THUMBNAIL_PX = 320
#: Pillow only warns past ``MAX_IMAGE_PIXELS``; here that many pixels is already too many.
PIXEL_LIMIT = Image.MAX_IMAGE_PIXELS or 89_478_485
#: What Pillow raises for a truncated, corrupt or hostile file.
_UNREADABLE = (OSError, ValueError, SyntaxError, EOFError, struct.error, IndexError, Image.DecompressionBombError)


def _flattened(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "L"):
        return image
    if "A" not in image.getbands() and "transparency" not in image.info:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


@dataclass(frozen=True)
class Thumbnail:
    jpeg: io.BytesIO
    width: int
    height: int


def thumbnail_jpeg(path: Path) -> Thumbnail | None:
    """The image at ``path`` as a JPEG thumbnail, or None when it cannot be shown."""
    try:
        with Image.open(path) as image:
            if image.width * image.height > PIXEL_LIMIT:
                return None
            image.draft("RGB", (THUMBNAIL_PX, THUMBNAIL_PX))
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            flat = _flattened(image)
            # Saved before the file closes: an image already small enough is still unread.
            buffer = io.BytesIO()
            flat.save(buffer, "JPEG", quality=82)
    except _UNREADABLE:
        return None
    buffer.seek(0)
    return Thumbnail(jpeg=buffer, width=flat.width, height=flat.height)
