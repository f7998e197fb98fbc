"""Photos are decoded, turned upright, stripped of every piece of metadata, and re-encoded.

Rules (OWASP ASVS 5.0 V5.2.6 pixel limit, V14.2.8 metadata):

- The pixel count is read from the header before any pixel is decoded, and more than
  ``image_max_pixels`` (Pillow's own ``MAX_IMAGE_PIXELS`` by default, where Pillow merely
  warns) is an error: pixel floods and decompression bombs never reach the decoder.
- A file that does not decode completely (truncated, corrupt) is refused with 422.
- The EXIF orientation is applied, colours are converted to sRGB when an ICC profile
  says otherwise, then a fresh image is encoded from the pixels alone: EXIF (GPS above all),
  XMP, IPTC, comments and the profile itself are gone, and so is anything hidden after the
  image data (polyglots).
- HEIC/HEIF is stored as JPEG, which every browser and PDF tool can show. Animated
  images keep their first frame.
- A thumbnail fits in 320×320 pixels and is always JPEG.

Everything here is blocking: call it through ``anyio.to_thread``.
"""

from __future__ import annotations

import io
import struct
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from cpl.attachments.sniff import HEIC, JPEG, FileType
from cpl.errors import InvalidInput

THUMBNAIL_SIZE = 320
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error)
#: Output modes each format can hold; anything else is converted to the first.
_MODES = {"JPEG": ("RGB", "L"), "PNG": ("RGBA", "RGB", "LA", "L"), "WEBP": ("RGBA", "RGB")}


@dataclass(frozen=True)
class CleanImage:
    path: Path
    kind: FileType
    width: int
    height: int
    thumbnail: Path


@cache
def _register_heif() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()


def _too_many_pixels(width: int, height: int, max_pixels: int) -> InvalidInput:
    return InvalidInput(f"The image is {width}×{height} pixels; at most {max_pixels:,} pixels are accepted.")


def _decode_upright(source: Path, kind: FileType, max_pixels: int) -> Image.Image:
    """The first frame, fully decoded and turned by its EXIF orientation."""
    try:
        with Image.open(source, formats=[kind.pillow_format]) as opened:
            width, height = opened.size
            if width * height > max_pixels:
                raise _too_many_pixels(width, height, max_pixels)
            opened.load()
            return ImageOps.exif_transpose(opened)
    except Image.DecompressionBombError as error:  # Pillow's own hard stop, at twice its limit
        raise InvalidInput(f"The image has too many pixels; at most {max_pixels:,} are accepted.") from error
    except _DECODE_ERRORS as error:
        raise InvalidInput("The image is corrupt or truncated and cannot be read.") from error


def _in_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels described by an ICC profile to sRGB, so dropping the profile keeps the colours."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile is ignored: the pixels are kept as they are


def _pixels_only(image: Image.Image, pillow_format: str) -> Image.Image:
    allowed = _MODES[pillow_format]
    clean = image if image.mode in allowed else image.convert(allowed[0])
    if clean is image:
        clean = image.copy()
    clean.info = {}
    return clean


def _thumbnail(image: Image.Image, path: Path) -> None:
    scale = min(1.0, THUMBNAIL_SIZE / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    small = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    if small.mode in ("RGBA", "LA"):
        backdrop = Image.new("RGB", small.size, "white")
        backdrop.paste(small, mask=small.getchannel("A"))
        small = backdrop
    small.convert("RGB" if small.mode != "L" else "L").save(path, "JPEG", quality=80)


def sanitize_image(source: Path, kind: FileType, directory: Path, max_pixels: int) -> CleanImage:
    """Write a metadata-free, upright copy of the image and its thumbnail into ``directory``."""
    _register_heif()
    upright = _decode_upright(source, kind, max_pixels)
    out_kind = JPEG if kind is HEIC else kind
    clean = _pixels_only(_in_srgb(upright), out_kind.pillow_format)
    stem = directory / uuid.uuid4().hex
    path, thumbnail = stem.with_suffix(".clean"), stem.with_suffix(".thumb")
    options = {"quality": 90} if out_kind.pillow_format in ("JPEG", "WEBP") else {}
    try:
        clean.save(path, out_kind.pillow_format, **options)
        _thumbnail(clean, thumbnail)
    except BaseException:
        path.unlink(missing_ok=True)
        thumbnail.unlink(missing_ok=True)
        raise
    return CleanImage(path, out_kind, clean.width, clean.height, thumbnail)
