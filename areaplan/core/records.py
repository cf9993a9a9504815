"""The values the parsers produce and the store saves: one parsed message and its parts.

Plain data (no SQL, no I/O), shared by ``parsers`` (which fill them) and ``store`` (which
writes them), so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from areaplan.core.reasons import REVIEW, Reason


@dataclass(frozen=True)
class ExtractedImage:
    """A picture found in a message: an attached photo or one embedded in a PDF/DOCX."""

    data: bytes
    filename: str
    mime_type: str
    width: int | None = None
    height: int | None = None
    source: str = ""  # e.g. "attachment", "pdf page 3", "docx"


@dataclass(frozen=True)
class Provenance:
    """Where one field of a submission was read."""

    source: str  # "attachment", "body", "forwarded", "subject", "sender", "sender-table", "derived"
    attachment_part: int | None = None  # AttachmentRecord.part_index
    filename: str | None = None
    page: int | None = None
    method: str = ""  # "form", "ocr", "gazetteer-exact", "fuzzy", "sender table", ...
    confidence: float | None = None


@dataclass(frozen=True)
class LabelledValue:
    """One answer of a form laid out in cells (a spreadsheet): its label, its value, where.

    ``field`` is what the label asks for: province, district, zone, reporter, position,
    coordinator, coordinator_position, phone, narrative, criterion1..criterion4, or title (a
    heading of the sheet, no value). ``location`` is the cell of the value (or of the label
    when the value is blank), e.g. ``แบบฟอร์ม!C4``.
    """

    field: str
    label: str
    value: str
    location: str


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
    problems: list[str] = field(default_factory=list)  # the reader's own words (English, for logs)
    notes: list[str] = field(default_factory=list)
    images: list[ExtractedImage] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)  # the problems as coded reasons
    parent: int | None = None  # part_index of the archive (or forwarded part) it was found in
    # The forwarded message it came in (its pictures too): "" the mail itself, "1" the mail's
    # first attached message/rfc822 part, "1.2" the second one inside that. Archive members
    # keep their archive's. (Mails pasted into the body, "i1", "i2", carry no files.)
    origin: str = ""
    # Several forms in one file (e.g. one per spreadsheet sheet): each is its own text, read as
    # its own form. Empty: ``text`` is searched for one or more forms.
    sections: list[str] = field(default_factory=list)
    # Forms laid out in cells (spreadsheets), one tuple of answers per form, parallel to
    # ``sections`` when there are several: read by ``role_model_form.read_form_entries``.
    cell_forms: list[tuple[LabelledValue, ...]] = field(default_factory=list)


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
    images: list[str] = field(default_factory=list)  # sha256 of the pictures it counts (image_count of them)
    source: str = ""  # where most fields came from, e.g. "attachment form.pdf", "body"
    # Where in the message this form is, for its stable key: "" for the message's main form
    # (key "<message>", as for a message with one form), else "<part>" (the attachment or
    # archive member's part_index) or "<part>-<k>" (the k-th further form in that file),
    # "b<k>" for a further form in the body. The store's key is "<message>.<slot>".
    slot: str = ""
    key: str = ""  # stable id within the store: "<message>" or "<message>.<slot>" (set when saved)
    reasons: list[Reason] = field(default_factory=list)
    provenance: dict[str, Provenance] = field(default_factory=dict)  # field name -> where it was read

    @property
    def review_reasons(self) -> list[str]:
        return [r.text_th for r in self.reasons if r.severity == REVIEW]


@dataclass(frozen=True)
class SharedLink:
    """A link to files shared elsewhere (Google Drive, OneDrive, Dropbox, LINE) found in a message."""

    url: str
    service: str  # "google_drive", "onedrive", "dropbox", "line", ...


@dataclass(frozen=True)
class FollowupHint:
    """Evidence that a message adds to an earlier submission (photos or links sent later).

    The parser cannot see other messages: it records what it saw, and the store links the
    message to the earlier submission it belongs to (``store.followups``).
    """

    kind: str  # "photos" or "links"
    from_addr: str
    subject_key: str  # the subject without Re:/Fwd: prefixes, normalised
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    images: int = 0  # distinct pictures it carries
    evidence: str = ""  # Thai words or thread headers that made it a follow-up


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
    reasons: list[Reason] = field(default_factory=list)  # the message's own (not a submission's)
    defects: list[str] = field(default_factory=list)
    attachments: list[AttachmentRecord] = field(default_factory=list)
    body_images: list[ExtractedImage] = field(default_factory=list)
    # One per report form found: the main one first (a zone office may send several provinces').
    submissions: list[SubmissionRecord] = field(default_factory=list)
    links: list[SharedLink] = field(default_factory=list)
    followup: FollowupHint | None = None

    @property
    def submission(self) -> SubmissionRecord | None:
        """The main submission (the first), or None."""
        return self.submissions[0] if self.submissions else None

    @submission.setter
    def submission(self, value: SubmissionRecord | None) -> None:
        self.submissions = [] if value is None else [value]

    @property
    def review_reasons(self) -> list[str]:
        """The Thai lines staff read: the message's reasons, then its main submission's."""
        own = [r.text_th for r in self.reasons if r.severity == REVIEW]
        return own + (self.submission.review_reasons if self.submission else [])

    def all_reasons(self) -> list[Reason]:
        """The message's reasons and every submission's."""
        return list(self.reasons) + [r for s in self.submissions for r in s.reasons]
