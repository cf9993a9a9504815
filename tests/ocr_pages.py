"""Pages to OCR, made here: Thai text rendered with the TLWG fonts, then scanned or photographed.

Independent of the product (imports nothing of ``areaplan``): its reference texts are what
was drawn, not what a reader made of it. Used by ``tests/test_ocr.py`` and
``bench/bench_ocr.py``. Everything is deterministic for a given ``random.Random`` seed.

* :func:`form_page` - the role-model report form (แบบฟอร์มการคัดเลือกอำเภอต้นแบบ) filled in,
  answers typed over dotted leaders; :func:`memo_page` - a บันทึกข้อความ-style memo with a
  header rule, dotted label leaders, Thai-digit dates and a ruled table.
* :func:`clean_scan` (300 dpi PNG), :func:`speckled_scan` (the same with dust specks),
  :func:`office_scan` (200 dpi, skew, noise, JPEG q50),
  :func:`phone_photo` (page on a table: perspective, shadow, blur, optional quarter turn).
* :func:`field_photo` - an activity photo (no document); :func:`scanner_app_pdf` - a PDF
  holding one page image and, optionally, only a scanner app's watermark as its text layer.
"""

from __future__ import annotations

import io
import math
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
FONTS = ("Laksaman", "Garuda", "Loma", "Kinnari", "Norasi")  # Laksaman is TH Sarabun New's TLWG twin
A4_MM = (210, 297)
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
          "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


@dataclass(frozen=True)
class Page:
    """One rendered page: the image (grey, white paper) and the text drawn on it."""

    name: str
    image: Image.Image
    text: str  # reference: the lines drawn, dotted leaders left out, one line per line
    dpi: int


def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / f"{name}.ttf"), px)


def thai(n: int | str) -> str:
    return str(n).translate(THAI_DIGITS)


# --------------------------------------------------------------------------- layout


class _Canvas:
    """A4 page at ``dpi``; lines are drawn top to bottom and recorded as the reference."""

    def __init__(self, dpi: int, font_name: str, pt: float):
        self.dpi = dpi
        self.w, self.h = (round(mm / 25.4 * dpi) for mm in A4_MM)
        self.img = Image.new("L", (self.w, self.h), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.px = round(pt / 72 * dpi)
        self.font = font(font_name, self.px)
        self.left = round(25 / 25.4 * dpi)
        self.right = self.w - round(20 / 25.4 * dpi)
        self.y = round(20 / 25.4 * dpi)
        self.step = round(self.px * 1.55)
        box = self.draw.textbbox((0, 0), "ปู่ป้ำญูฎ", font=self.font)
        self.ink_top, self.ink_bottom = box[1], box[3]  # where a line's ink lies below its y
        self.lines: list[str] = []

    def text(self, s: str, x: int | None = None, center: bool = False) -> None:
        if center:
            x = (self.w - round(self.draw.textlength(s, font=self.font))) // 2
        self.draw.text((x if x is not None else self.left, self.y), s, font=self.font, fill=0)
        self.lines.append(s)
        self.y += self.step

    def leader_line(self, parts: list[str]) -> None:
        """Label, answer, label, answer ... with dotted leaders under/around each answer."""
        x = self.left
        dot = self.draw.textlength(".", font=self.font)
        shown: list[str] = []
        for k, part in enumerate(parts):
            if k % 2 == 0:  # a label
                self.draw.text((x, self.y), part, font=self.font, fill=0)
                x += round(self.draw.textlength(part, font=self.font))
            else:  # an answer between leaders
                lead = "." * 6
                s = f"{lead}{part}{lead}"
                self.draw.text((x, self.y), s, font=self.font, fill=0)
                x += round(self.draw.textlength(s, font=self.font) + dot)
            shown.append(part)
        self.lines.append("".join(shown))
        self.y += self.step

    def paragraph(self, s: str, indent: int = 0) -> None:
        for line in _wrap(self.draw, s, self.font, self.right - self.left - indent):
            self.text(line, self.left + indent)

    def rule(self, width: int = 3) -> None:
        y = self.y - self.step + self.ink_bottom + self.px // 5
        self.draw.line([(self.left, y), (self.right, y)], fill=0, width=width)
        self.y += self.step // 3

    def table(self, rows: list[list[str]], widths: list[float]) -> None:
        """A ruled table: one reference line per row, cells joined by a space."""
        xs = [self.left]
        for w in widths:
            xs.append(xs[-1] + round(w * (self.right - self.left)))
        pad = self.px // 5
        row_h = self.ink_bottom - self.ink_top + 2 * pad
        top = self.y + self.ink_top - pad
        for row in rows:
            for k, cell in enumerate(row):
                self.draw.text((xs[k] + self.px // 3, self.y), cell, font=self.font, fill=0)
            self.lines.append(" ".join(row))
            self.y += row_h
        bottom = top + row_h * len(rows)
        for r in range(len(rows) + 1):
            self.draw.line([(xs[0], top + r * row_h), (xs[-1], top + r * row_h)], fill=0, width=2)
        for x in xs:
            self.draw.line([(x, top), (x, bottom)], fill=0, width=2)
        self.y += self.step - row_h + self.step // 3

    def page(self, name: str) -> Page:
        return Page(name, self.img, "\n".join(self.lines), self.dpi)


_MARKS = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_LEADING = set("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ: a line never ends on one


def _wrap(draw: ImageDraw.ImageDraw, text: str, fnt, width: int) -> list[str]:
    """Greedy wrap at spaces; a long Thai run is cut between syllable-safe characters."""
    lines: list[str] = []
    cur = ""
    for ch in text:
        trial = cur + ch
        if draw.textlength(trial, font=fnt) <= width or not cur or ch in _MARKS or ch == "\u0e33":
            cur = trial
            continue
        cut = cur.rfind(" ")
        if cut > len(cur) // 2:
            lines.append(cur[:cut])
            cur = cur[cut + 1:] + ch
        else:
            k = len(cur)
            while k > 1 and (cur[k - 1] in _LEADING or (k < len(cur) and cur[k] in _MARKS)):
                k -= 1
            lines.append(cur[:k])
            cur = cur[k:] + ch
    if cur:
        lines.append(cur)
    return [ln.strip() for ln in lines if ln.strip()]


# --------------------------------------------------------------------------- content

INTRO = ("ตามที่ กรมการปกครอง ได้กำหนดแผนปฏิบัติการ (Action Plan) ในการขับเคลื่อนโครงการพัฒนาตำบล"
         "แบบบูรณาการ (Tambon Smart Team) เป็น ๓ ระยะ ซึ่งในระยะที่ ๓ การนำข้อมูลไปใช้ประโยชน์ "
         "ได้กำหนดเป้าหมายของโครงการฯ ให้อำเภอสามารถนำข้อมูลไปใช้ประโยชน์ในการพัฒนาพื้นที่ได้อย่างมี"
         "ประสิทธิภาพและเป็นรูปธรรม")
CRITERIA = (
    "๑. นายอำเภอกำหนดกรอบทิศทางการทำงานและติดตามผลการดำเนินงานของทีมตำบลทุกเดือน",
    "๒. ผู้ปฏิบัติงานลงพื้นที่จัดเก็บข้อมูลครบถ้วนตามกรอบเวลาที่กรมการปกครองกำหนด",
    "๓. นำข้อมูลไปใช้จัดทำแผนพัฒนาอำเภอและแผนธุรกิจชุมชนร่วมกับหน่วยงานในพื้นที่",
    "๔. บูรณาการความร่วมมือกับภาคเอกชนและภาคประชาสังคมในการแก้ไขปัญหาความยากจน",
)
MEMO_BODY = (
    "ด้วยกรมการปกครองได้กำหนดกรอบแนวทางการขับเคลื่อนโครงการพัฒนาตำบลแบบบูรณาการ โดยมีการกำหนด"
    "แผนปฏิบัติการ การดำเนินโครงการ เป็น ๓ ระยะ ประกอบด้วย กระบวนการคัดเลือกลูกจ้างเหมาบริการ "
    "การจัดเก็บข้อมูล และการนำข้อมูลไปใช้ประโยชน์",
    "เพื่อให้การขับเคลื่อนโครงการบรรลุวัตถุประสงค์และเป็นไปตามเป้าหมายที่ตั้งไว้ จึงขอความร่วมมือ"
    "ที่ทำการปกครองจังหวัดพิจารณาคัดเลือกอำเภอต้นแบบ จำนวน ๑ อำเภอ และรายงานผลการคัดเลือกให้"
    "ผู้ตรวจราชการกรมการปกครองประจำเขตตรวจราชการทราบ",
    "ทั้งนี้ ขอให้แนบรายละเอียดผลการปฏิบัติงานที่โดดเด่น รวมทั้งภาพประกอบการดำเนินงาน ส่งทาง"
    "ไปรษณีย์อิเล็กทรอนิกส์ภายในวันที่กำหนด หากมีข้อสงสัยโปรดติดต่อส่วนแผนงานยุทธศาสตร์",
)
PEOPLE = ("นายสมชาย ใจดี", "นางสาวพิมพ์ใจ ศรีสุข", "นายวิทยา บุญมา", "นางกัลยา แก้วมณี")


def thai_date(rng: random.Random) -> str:
    return f"{thai(rng.randint(1, 28))} {rng.choice(MONTHS)} {thai(rng.randint(2563, 2568))}"


def form_page(province: str, district: str, zone: int = 4, font_name: str = "Laksaman",
              dpi: int = 300, seed: int = 0, pt: float = 16) -> Page:
    """The role-model form filled in for ``province`` / ``district`` (answers on dotted leaders)."""
    rng = random.Random(seed)
    c = _Canvas(dpi, font_name, pt)
    c.text("สำหรับ ทปค.จ.", x=c.right - round(c.draw.textlength("สำหรับ ทปค.จ.", font=c.font)))
    c.text("แบบฟอร์มการคัดเลือก", center=True)
    c.text("อำเภอต้นแบบ (Role Model)", center=True)
    c.text("ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)", center=True)
    c.leader_line(["เรียน ผู้ตรวจราชการกรมการปกครอง เขต", thai(zone)])
    c.paragraph(INTRO, indent=c.px * 2)
    c.leader_line(["ที่ทำการปกครองจังหวัด", province, "ได้พิจารณาคัดเลือกอำเภอ", district])
    c.paragraph("เป็นอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) "
                "โดยมีผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ คือ")
    for line in rng.sample(CRITERIA, 3):
        c.paragraph(line, indent=c.px)
    c.text("จึงเรียนมาเพื่อโปรดพิจารณา", x=c.left + c.px * 4)
    c.text("ลงชื่อ : (ผู้รายงาน)", x=c.w // 2)
    c.text(f"({rng.choice(PEOPLE)})", x=c.w // 2)
    c.leader_line(["ตำแหน่ง ปลัดจังหวัด", province])
    c.text(f"วันที่ {thai_date(rng)}", x=c.w // 2)
    c.text(f"หมายเลขโทรศัพท์/โทรสาร {thai('0-' + str(rng.randint(2000, 5999)) + '-' + str(rng.randint(1000, 9999)))}")
    return c.page(f"form-{font_name}-{dpi}")


def memo_page(font_name: str = "Laksaman", dpi: int = 300, seed: int = 0, pt: float = 16) -> Page:
    """A government memo: header, rule, labelled lines with leaders, body, a ruled table."""
    rng = random.Random(seed)
    c = _Canvas(dpi, font_name, pt)
    c.text("บันทึกข้อความ", center=True)
    c.leader_line(["ส่วนราชการ", "กองวิชาการและแผนงาน กรมการปกครอง โทร. " + thai(rng.randint(2200, 2299))])
    c.leader_line(["ที่", f"มท {thai('0305.1')}/{thai(rng.randint(100, 9999))}", "วันที่", thai_date(rng)])
    c.leader_line(["เรื่อง", "รายงานผลการคัดเลือกอำเภอต้นแบบ"])
    c.rule()
    c.text("เรียน อธิบดีกรมการปกครอง")
    for para in MEMO_BODY:
        c.paragraph(para, indent=c.px * 2)
    rows = [["ลำดับ", "จังหวัด", "อำเภอ", "วันที่รายงาน"]]
    for k, (prov, dist) in enumerate(rng.sample(TABLE_PLACES, 3), start=1):
        rows.append([thai(k), prov, dist, thai_date(rng)])
    c.table(rows, [0.12, 0.28, 0.28, 0.32])
    c.text("จึงเรียนมาเพื่อโปรดทราบ", x=c.left + c.px * 4)
    c.text(f"({rng.choice(PEOPLE)})", x=c.w // 2)
    c.text("ผู้อำนวยการกองวิชาการและแผนงาน", x=c.w // 2)
    return c.page(f"memo-{font_name}-{dpi}")


TABLE_PLACES = (("น่าน", "ปัว"), ("เชียงราย", "แม่สาย"), ("ขอนแก่น", "ชุมแพ"), ("สงขลา", "หาดใหญ่"),
                ("ลำปาง", "เกาะคา"), ("นครพนม", "ธาตุพนม"), ("ตรัง", "กันตัง"))


# --------------------------------------------------------------------------- degradations


def _jpeg(img: Image.Image, quality: int, dpi: int | None = None) -> bytes:
    buf = io.BytesIO()
    kw = {"dpi": (dpi, dpi)} if dpi else {}
    img.save(buf, "JPEG", quality=quality, **kw)
    return buf.getvalue()


def clean_scan(page: Page) -> bytes:
    """The page as a clean 300 dpi greyscale PNG (a flatbed scan of a crisp print)."""
    buf = io.BytesIO()
    page.image.save(buf, "PNG", dpi=(page.dpi, page.dpi))
    return buf.getvalue()


def office_scan(page: Page, seed: int = 0) -> bytes:
    """An office scanner at 200 dpi: skew 1-2°, toner noise, slight blur, JPEG quality 50."""
    rng = random.Random(seed)
    scale = 200 / page.dpi
    img = page.image.resize((round(page.image.width * scale), round(page.image.height * scale)),
                            Image.Resampling.LANCZOS)
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, 2.0)
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=250)
    img = img.filter(ImageFilter.GaussianBlur(0.5))
    arr = np.asarray(img, dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0, 10, arr.shape)
    arr = np.clip(arr * 0.92 + 12 + noise, 0, 255).astype(np.uint8)
    return _jpeg(Image.fromarray(arr), 50, 200)


def speckled_scan(page: Page, seed: int = 0, specks: int = 7000) -> bytes:
    """A dusty 300 dpi scan: the clean page with ``specks`` dark dots of 2-4 px scattered over it
    (the salt-and-pepper of a dirty scanner glass or a fax), as a PNG."""
    rng = np.random.default_rng(seed)
    arr = np.asarray(page.image, dtype=np.uint8).copy()
    h, w = arr.shape
    for y, x, r in zip(rng.integers(0, h - 4, specks), rng.integers(0, w - 4, specks),
                       rng.integers(2, 5, specks), strict=True):
        arr[y:y + r, x:x + r] = rng.integers(0, 90)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG", dpi=(page.dpi, page.dpi))
    return buf.getvalue()


def phone_photo(page: Page, seed: int = 0, quarter_turn: bool = False) -> bytes:
    """A phone photo of the printed page lying on a table: perspective, shadow, blur, JPEG."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    src = page.image.convert("RGB")
    src = src.resize((round(src.width * 0.8), round(src.height * 0.8)), Image.Resampling.LANCZOS)
    pw, ph = src.size
    W, H = round(pw * 1.25), round(ph * 1.2)  # noqa: N806 - image sizes (~9 MP, a phone's)
    table = np.zeros((H, W, 3), np.float32)
    base = np.array([rng.randint(90, 140), rng.randint(70, 110), rng.randint(40, 80)], np.float32)
    table[:] = base
    table += nrng.normal(0, 6, table.shape)
    bg = Image.fromarray(np.clip(table, 0, 255).astype(np.uint8))
    # where the page's corners land: a trapezoid (camera tilted), a little rotation
    mx, my = W * 0.1, H * 0.08
    jitter = lambda a: rng.uniform(-a, a)  # noqa: E731
    tilt = rng.uniform(0.03, 0.07) * W
    quad = [(mx + tilt + jitter(30), my + jitter(30)), (W - mx - tilt + jitter(30), my + jitter(30)),
            (W - mx + jitter(30), H - my + jitter(30)), (mx + jitter(30), H - my + jitter(30))]
    turn = math.radians(rng.uniform(-3, 3))  # the page not square to the camera
    cos, sin = math.cos(turn), math.sin(turn)
    quad = [(W / 2 + (x - W / 2) * cos - (y - H / 2) * sin, H / 2 + (x - W / 2) * sin + (y - H / 2) * cos)
            for x, y in quad]
    coeffs = _perspective_coeffs(quad, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    warped = src.transform((W, H), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", (pw, ph), 255).transform((W, H), Image.Transform.PERSPECTIVE, coeffs,
                                                   Image.Resampling.BILINEAR)
    bg.paste(warped, (0, 0), mask)
    arr = np.asarray(bg, dtype=np.float32)
    # light falls off across the page, and a hand/phone shadow crosses one corner
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    gx, gy = rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25)
    light = 0.88 + gx * (xx / W - 0.5) + gy * (yy / H - 0.5)
    cx, cy = rng.choice(((0.1, 0.9), (0.9, 0.85), (0.85, 0.1)))
    d = np.hypot(xx / W - cx, yy / H - cy)
    shadow = 1 - 0.4 * np.clip(1 - d / 0.45, 0, 1) ** 1.5
    arr *= (light * shadow)[..., None]
    arr[..., 2] *= 0.93  # warm indoor light
    arr += nrng.normal(0, 4, arr.shape)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.0))
    if quarter_turn:
        img = img.transpose(Image.Transpose.ROTATE_90)
    return _jpeg(img, 80)


def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """PIL's 8 coefficients mapping output pixels (``dst`` quad) back to input (``src``)."""
    a = []
    b = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.extend([u, v])
    return [float(c) for c in np.linalg.solve(np.array(a), np.array(b))]


def field_photo(seed: int = 0, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """An activity photo: sky, ground, people-ish shapes, foliage texture; no document in it."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    w, h = size
    horizon = int(h * rng.uniform(0.35, 0.55))
    yy = np.linspace(0, 1, h)[:, None]
    sky = np.array([rng.randint(90, 160), rng.randint(150, 200), rng.randint(200, 255)], np.float32)
    ground = np.array([rng.randint(60, 140), rng.randint(100, 160), rng.randint(40, 90)], np.float32)
    arr = np.where(yy[..., None] < horizon / h, sky * (1 - 0.3 * yy[..., None]), ground).astype(np.float32)
    arr = np.broadcast_to(arr, (h, w, 3)).copy()
    arr[horizon:] += nrng.normal(0, 18, (h - horizon, w, 3))  # grass texture
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 6)):
        x0 = rng.randint(0, w - 200)
        bw, bh = rng.randint(100, 400), rng.randint(80, horizon)
        draw.rectangle([x0, horizon - bh, x0 + bw, horizon], fill=tuple(rng.randint(60, 230) for _ in range(3)))
    for _ in range(rng.randint(6, 15)):
        px, py = rng.randint(20, w - 60), rng.randint(horizon + 30, h - 120)
        r = rng.randint(14, 30)
        draw.ellipse([px, py, px + 2 * r, py + 2 * r], fill=(rng.randint(150, 230), rng.randint(110, 170), 90))
        draw.rectangle([px - r // 2, py + 2 * r, px + 2 * r + r // 2, py + 6 * r],
                       fill=tuple(rng.randint(0, 255) for _ in range(3)))
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    return _jpeg(img, 85)


def screenshot(page: Page, width: int = 1100) -> bytes:
    """A screenshot of part of the page (its top half), as a PNG pasted into a mail."""
    img = page.image.crop((0, 0, page.image.width, page.image.height // 2))
    img = img.resize((width, round(img.height * width / img.width)), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "PNG")
    return buf.getvalue()


# --------------------------------------------------------------------------- PDF


def scanner_app_pdf(jpeg: bytes, watermark: str | None = "Scanned with CamScanner",
                    producer: str = "intsig.com pdf producer") -> bytes:
    """A one-page PDF as phone scanner apps write it: the page photo as a JPEG and, as the only
    text layer, the app's watermark in small Helvetica at the bottom (or no text at all)."""
    with Image.open(io.BytesIO(jpeg)) as im:
        w, h = im.size
    pw, ph = 595.0, 595.0 * h / w
    content = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q\n"
    if watermark:
        content += f"BT /F1 7 Tf 0.5 g {pw - 130:.2f} 10 Td ({watermark}) Tj ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] /Contents 4 0 R "
         f"/Resources << /XObject << /Im0 5 0 R >> /Font << /F1 6 0 R >> >> >>").encode(),
        _stream(zlib.compress(content.encode()), b"/Filter /FlateDecode"),
        _stream(jpeg, f"/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace "
                f"/DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode".encode()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Producer ({producer}) >>".encode(),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{k} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _stream(data: bytes, dict_entries: bytes) -> bytes:
    return b"<< " + dict_entries + f" /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def rotate_quarter(data: bytes) -> bytes:
    """The same JPEG turned a quarter (a photo taken with the phone sideways, no EXIF)."""
    with Image.open(io.BytesIO(data)) as im:
        return _jpeg(im.transpose(Image.Transpose.ROTATE_270), 85)


def skew_degrees(seed: int) -> float:
    """The skew :func:`office_scan` applies for ``seed`` (for tests that check deskewing)."""
    rng = random.Random(seed)
    return rng.choice((-1, 1)) * rng.uniform(1.0, 2.0)
