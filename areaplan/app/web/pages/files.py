"""Attachments beside the fields: PDF pages as PNG (pypdfium2), photos as thumbnails."""

from __future__ import annotations

import hashlib
import io
from email import policy
from email.parser import BytesParser

from datasette.utils.asgi import NotFound, Response

from areaplan.app.web.common import page, require, store
from areaplan.store import desk
from areaplan.store.messages import raw_bytes

THUMB = 480


def part_bytes(raw: bytes, sha256: str) -> bytes | None:
    """The decoded MIME part of ``raw`` whose sha256 is ``sha256`` (forwarded mail included)."""
    msg = BytesParser(policy=policy.compat32).parsebytes(raw)
    for part in msg.walk():
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True)
        if data and hashlib.sha256(data).hexdigest() == sha256:
            return data
    return None


def _allowed(request, db, message: int) -> None:
    zones = desk.message_zones(db, message)
    require(request, "desk", next(iter(zones)))


@page
async def pdf_page(request, datasette):
    att_id, number = int(request.url_vars["id"]), int(request.url_vars["page"])
    with store(datasette) as db:
        att = desk.attachment(db, att_id)
        if att is None:
            raise NotFound("ไม่พบไฟล์แนบ")
        _allowed(request, db, att["message"])
        data = part_bytes(raw_bytes(db, att["message"]), att["sha256"])
    if data is None or not data.startswith(b"%PDF"):
        raise NotFound("ไฟล์แนบนี้ไม่ใช่ PDF ที่แสดงเป็นภาพได้")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if not 1 <= number <= len(pdf):
            raise NotFound("ไม่มีหน้านี้")
        image = pdf[number - 1].render(scale=1.4).to_pil()
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, "PNG")
    return Response(out.getvalue(), content_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@page
async def image(request, datasette):
    sha = request.url_vars["sha"]
    with store(datasette) as db:
        found = desk.image_file(db, sha)
        if found is None:
            raise NotFound("ไม่พบภาพ")
        path, mime, messages = found
        _allowed(request, db, min(messages))
    if not path.exists():
        raise NotFound("ไฟล์ภาพหายจากโฟลเดอร์ไฟล์")
    if request.args.get("full"):
        return Response(path.read_bytes(), content_type=mime, headers={"X-Content-Type-Options": "nosniff"})
    from PIL import Image

    with Image.open(path) as im:
        im.thumbnail((THUMB, THUMB))
        out = io.BytesIO()
        im.convert("RGB").save(out, "JPEG", quality=80)
    return Response(out.getvalue(), content_type="image/jpeg")


ROUTES = [(r"^/-/desk/attachment/(?P<id>[0-9]+)/page/(?P<page>[0-9]+)\.png$", pdf_page),
          (r"^/-/desk/image/(?P<sha>[0-9a-f]{64})$", image)]
