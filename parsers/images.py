"""Read an attached picture: its type and size in pixels (Pillow), the bytes kept as they are,
and, when the picture shows a page of text, its text by OCR.

Pillow only reads the image header first (``Image.open`` is lazy), so a large photo costs
milliseconds. An image that claims more than :data:`MAX_PIXELS` pixels (a decompression
bomb) is kept without dimensions, and a problem is recorded.

Which pictures are OCR'd: :func:`parsers.ocr_preprocess.looks_like_document` looks at a
~800 px copy (tens of milliseconds) and only a picture that shows rows of letters goes to
:func:`parsers.ocr.ocr_page` (seconds). A field photo is kept with method ``pillow`` and a
note saying why it was not OCR'd; an OCR'd page has method ``tesseract (...)`` and
``ocr=True`` (its answers then need an exact gazetteer match).
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from areaplan.parsers.errors import UnreadableAttachment
from areaplan.parsers.heif import ensure_heif_opener
from areaplan.parsers.types import ExtractedImage, ReadLimits, ReadResult

log = logging.getLogger(__name__)

MAX_PIXELS = 89_478_485  # Pillow's own default; a 48-megapixel phone photo passes
if Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS > MAX_PIXELS:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # guard for every Image.open in this process

DEFAULT_LIMITS = ReadLimits()

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_PIL_TO_MIME = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
    "HEIF": "image/heic",
    "AVIF": "image/avif",
    "WMF": "image/wmf",
    "EMF": "image/emf",
    "ICO": "image/x-icon",
    "JPEG2000": "image/jp2",
}


def sniff_image(data: bytes) -> str | None:
    """MIME type of an image from its first bytes, or None if it is not a known image."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "image/heic"
        if brand in (b"avif", b"avis"):
            return "image/avif"
    if head[:2] == b"BM" and len(data) > 26:
        return "image/bmp"
    if head[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF":
        return "image/emf"
    if head[:4] == b"\xd7\xcd\xc6\x9a":
        return "image/wmf"
    if head[4:8] == b"jP  " or head.startswith(b"\xff\x4f\xff\x51"):
        return "image/jp2"
    if head.startswith(b"\xff\xd8"):  # a JPEG stream cut after its SOI marker (PDF DCTDecode)
        return "image/jpeg"
    return None


EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
              "image/tiff": "tif", "image/heic": "heic", "image/avif": "avif", "image/bmp": "bmp",
              "image/emf": "emf", "image/wmf": "wmf", "image/jp2": "jp2"}


@dataclass(frozen=True)
class ImageInfo:
    """What Pillow said about one picture."""

    mime_type: str
    width: int | None
    height: int | None
    problem: str | None = None  # something a person should look at
    note: str | None = None  # informative only


def image_info(data: bytes, fallback_mime: str = "application/octet-stream") -> ImageInfo:
    """Type and dimensions of an image; never raises. Only the header is read."""
    sniffed = sniff_image(data)
    mime = sniffed or fallback_mime
    if mime in ("image/heic", "image/avif") and not ensure_heif_opener():
        kind = "HEIC" if mime == "image/heic" else "AVIF"
        return ImageInfo(
            mime, None, None, note=f"{kind} dimensions not read (pip install pillow-heif)"
        )
    try:
        # Between MAX_PIXELS and twice that, Pillow only warns (once); the check below
        # treats it as a bomb. warnings.catch_warnings() is not used: not thread-safe.
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
            fmt = im.format or ""
    except Image.DecompressionBombError as exc:
        return ImageInfo(mime, None, None, problem=f"image too large to open ({exc})")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        return ImageInfo(mime, None, None, problem=f"not a readable image ({exc})")
    except Exception as exc:  # noqa: BLE001 - Pillow plugins raise many types on bad input
        return ImageInfo(mime, None, None, problem=f"not a readable image ({type(exc).__name__})")
    mime = sniffed or _PIL_TO_MIME.get(fmt, mime)
    if width * height > MAX_PIXELS:
        return ImageInfo(
            mime,
            None,
            None,
            problem=f"image claims {width}×{height} pixels (decompression bomb?); not decoded",
        )
    return ImageInfo(mime, width, height)


def read_image(data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read one attached picture: kind "image", with one ExtractedImage (the bytes unchanged)."""
    if len(data) > limits.max_bytes:
        raise UnreadableAttachment(
            f"image is {len(data) / 2**20:.1f} MB, over the {limits.max_bytes / 2**20:.0f} MB limit"
        )
    started = time.monotonic()
    info = image_info(data)
    result = ReadResult(kind="image", method="pillow")
    result.images.append(
        ExtractedImage(
            data=data,
            filename=filename,
            mime_type=info.mime_type,
            width=info.width,
            height=info.height,
            source="attachment",
        )
    )
    if info.problem:
        result.problems.append(info.problem)
    if info.note:
        result.notes.append(info.note)
    if info.width and info.height and not info.problem:
        _ocr_if_document(data, result, started + limits.max_seconds - 1.0)
    return result


def _ocr_if_document(data: bytes, result: ReadResult, deadline: float) -> None:
    """OCR the picture into ``result`` if a cheap look says it is a page of text."""
    from areaplan.parsers import ocr
    from areaplan.parsers.ocr_preprocess import looks_like_document

    kind = looks_like_document(data)
    if not kind.document:
        result.notes.append(f"picture not OCR'd: looks like a photo ({kind.why})")
        return
    if ocr.tesseract_path() is None:
        result.notes.append(f"picture looks like a page ({kind.why}) but OCR needs tesseract-ocr-tha")
        return
    page = ocr.ocr_page(data, deadline)
    result.problems.extend(page.problems)
    if page.text.strip():
        result.text, result.method, result.ocr = page.text, page.method, True
        result.notes.append(f"picture read by OCR ({kind.why}; confidence {page.confidence:.0f})")
