"""Small typed values passed between the readers (no SQL, no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReadLimits:
    """Bounds every attachment reader honours, so hostile input costs bounded time and memory."""

    max_bytes: int = 40 * 1024 * 1024  # an attachment larger than this is not opened
    max_pages: int = 60  # PDF pages read (the rest are reported, not read)
    max_seconds: float = 60.0  # wall time for one attachment
    max_decompressed: int = 100 * 1024 * 1024  # ZIP / DOCX members, total bytes inflated
    max_members: int = 500  # entries in one archive
    max_depth: int = 3  # nested archives / forwarded messages
    max_images: int = 200  # images kept from one attachment
    max_text_chars: int = 2_000_000  # text kept from one attachment
    # One message as a whole (all attachments and archive members together):
    max_message_seconds: float = 240.0  # reading attachments; what is left is not read
    max_message_text_chars: int = 6_000_000  # text kept from all attachments together


@dataclass(frozen=True)
class ExtractedImage:
    """A picture found in a message: an attached photo or one embedded in a PDF/DOCX."""

    data: bytes
    filename: str
    mime_type: str
    width: int | None = None
    height: int | None = None
    source: str = ""  # e.g. "attachment", "pdf page 3", "docx"


@dataclass
class ReadResult:
    """What one reader got out of one file.

    ``problems`` are human-readable reasons a person should look at the file
    (they send the message to review); ``notes`` are informative only.
    """

    kind: str  # pdf, docx, doc, image, zip, text, html, unknown
    text: str = ""
    images: list[ExtractedImage] = field(default_factory=list)
    method: str = ""  # which extractor produced the text, e.g. "pdfplumber+word-repair"
    pages: int | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # For archives and forwarded mail: (filename, bytes) of members to read in turn.
    members: list[tuple[str, bytes]] = field(default_factory=list)
    ocr: bool = False  # text came from OCR (answers need an exact gazetteer match)


@dataclass(frozen=True)
class ParseSettings:
    """What parsing needs from the config (picklable, for worker processes)."""

    zone_overrides: tuple[tuple[str, int], ...] = ()
    senders: tuple[tuple[str, str], ...] = ()  # address or domain -> province code
    campaigns: tuple = ()  # digest.campaigns.Campaign values from the config; () = the defaults
    limits: ReadLimits = field(default_factory=ReadLimits)


@dataclass
class AttachmentRecord:
    """One attachment (or archive member, or forwarded part) and what was read from it."""

    part_index: int
    filename: str | None
    content_type: str | None
    sha256: str
    size: int
    kind: str
    method: str = ""
    pages: int | None = None
    ocr: bool = False
    text: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    images: list[ExtractedImage] = field(default_factory=list)


@dataclass
class SubmissionRecord:
    """The fields of a role-model or best-practice submission, as resolved."""

    campaign: str
    period: str
    province_code: str | None = None
    province_confidence: float | None = None
    district_code: str | None = None
    district_confidence: float | None = None
    zone: int | None = None
    zone_written: int | None = None
    reporter_name: str | None = None
    reporter_position: str | None = None
    coordinator: str | None = None
    phones: list[str] = field(default_factory=list)
    narrative: str | None = None
    criteria: dict[int, str] = field(default_factory=dict)
    image_count: int = 0
    source: str = ""  # where the fields came from, e.g. "attachment form.pdf", "body"


@dataclass
class ParsedMessage:
    """Everything derived from one raw message; ``store.parsed.save_parsed`` writes it."""

    message_id: str  # Message-ID without brackets, or "sha256:<hash>" when missing
    subject: str = ""
    from_name: str = ""
    from_addr: str = ""
    to_addrs: str = ""
    sent_at: str | None = None  # Date header, ISO 8601
    text_body: str = ""
    campaign: str = "other"  # role_model, best_practice, other
    campaign_reason: str = ""
    status: str = "other"  # submission, other, review
    review_reasons: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    attachments: list[AttachmentRecord] = field(default_factory=list)
    body_images: list[ExtractedImage] = field(default_factory=list)
    submission: SubmissionRecord | None = None
