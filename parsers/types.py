"""Small typed values passed between the readers (no SQL, no I/O here).

The values the parsers hand to the store (``ParsedMessage`` and its parts) live in
``areaplan.core.records``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from areaplan.core.reasons import Reason
from areaplan.core.records import ExtractedImage, LabelledValue

__all__ = ["ExtractedImage", "ParseSettings", "ReadLimits", "ReadResult"]


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
    # Several forms in one file (one per sheet of a workbook, say): each section is read as a
    # form of its own, making its own submission. Empty: ``text`` is searched for forms.
    sections: list[str] = field(default_factory=list)
    # Forms laid out in cells (spreadsheets): the answers of each form, with their cells.
    cell_forms: list[tuple[LabelledValue, ...]] = field(default_factory=list)
    # Coded reasons the reader raises itself (notes such as tracked changes pending); the
    # pipeline adds the file name to their evidence.
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class ParseSettings:
    """What parsing needs from the config (picklable, for worker processes)."""

    zone_overrides: tuple[tuple[str, int], ...] = ()
    senders: tuple[tuple[str, str], ...] = ()  # address or domain -> province code
    campaigns: tuple = ()  # core.campaigns.Campaign values from the config; () = the defaults
    limits: ReadLimits = field(default_factory=ReadLimits)
    # Each message is parsed in a worker process that is killed past these budgets
    # (reason parse.timeout / parse.memory); the readers' own limits normally stop first.
    seconds_per_message: float = 300.0
    memory_per_message: int = 300 * 1024 * 1024  # peak resident memory of the worker
