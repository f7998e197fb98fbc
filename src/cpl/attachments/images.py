"""Photos are decoded, turned upright, stripped of every piece of metadata, and re-encoded.

Rules (OWASP ASVS 5.0 V5.2.6 pixel limit, V14.2.8 metadata):

- The pixel count is read from the header before any pixel is decoded, and more than
  ``image_max_pixels`` (Pillow's own ``MAX_IMAGE_PIXELS`` by default, where Pillow merely
  warns) is an error: pixel floods and decompression bombs never reach the decoder.
- The memory a decoded image takes is bounded too (``image_max_decoded_bytes``, computed
  from its size and mode before decoding): a JPEG over it is decoded at 1/2, 1/4 or 1/8 of
  its size (the decoder's own DCT scaling: Pillow's ``draft``, cheap and never at full size),
  and stored at that size; any other image over it is refused with 422. A 9,400×9,400 PNG,
  just under the pixel limit, took 17.7 s and 1.19 GB before (bench/RESULTS.md, bench.images).
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


#: Bytes per pixel of Pillow's in-memory image by mode (RGB is held in 4 bytes, like RGBA).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}
_DRAFT_SCALES = (2, 4, 8)


def decoded_bytes(width: int, height: int, mode: str) -> int:
    """What the decoded image takes in memory (one copy)."""
    return width * height * _BYTES_PER_PIXEL.get(mode, 4)


def _within_budget(opened: Image.Image, max_decoded_bytes: int) -> None:
    """Decode a JPEG over the budget at the first DCT scale that fits; refuse any other image over it."""
    width, height = opened.size
    if decoded_bytes(width, height, opened.mode) <= max_decoded_bytes:
        return
    if opened.format == "JPEG":
        for scale in _DRAFT_SCALES:
            if decoded_bytes(-(-width // scale), -(-height // scale), opened.mode) <= max_decoded_bytes:
                opened.draft(opened.mode, (-(-width // scale), -(-height // scale)))
                if decoded_bytes(*opened.size, opened.mode) <= max_decoded_bytes:
                    return
    raise InvalidInput(
        f"The image is {width}×{height} pixels ({opened.mode}): decoded, it would take "
        f"{decoded_bytes(width, height, opened.mode) // 2**20:,} MiB; at most {max_decoded_bytes // 2**20:,} MiB "
        "per image are accepted. Send it smaller (or as a JPEG, which is reduced on arrival)."
    )


def _decode_upright(source: Path, kind: FileType, max_pixels: int, max_decoded_bytes: int) -> Image.Image:
    """The first frame, decoded within the memory budget and turned by its EXIF orientation."""
    try:
        with Image.open(source, formats=[kind.pillow_format]) as opened:
            width, height = opened.size
            if width * height > max_pixels:
                raise _too_many_pixels(width, height, max_pixels)
            _within_budget(opened, max_decoded_bytes)
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


def sanitize_image(
    source: Path, kind: FileType, directory: Path, max_pixels: int, max_decoded_bytes: int
) -> CleanImage:
    """Write a metadata-free, upright copy of the image and its thumbnail into ``directory``."""
    _register_heif()
    upright = _decode_upright(source, kind, max_pixels, max_decoded_bytes)
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
