"""One message, several submissions: a zone office (or a province) sends several provinces' forms.

The forms may be one per attachment, members of an archive, sections of one file (a sheet
each), or pieces of one document (``parsers.form_split``). Each filled form naming a
province of its own becomes its own submission; two copies of one form (the DOCX and its
PDF) stay one. A message whose filled forms all name the same province (or none) keeps the
one-submission reading it always had.

Forwarded mail: a zone office may forward several provinces' mails in one message (each
attached as message/rfc822, or pasted after a forward marker). Each forwarded mail's forms
are those of its own files or, when it has none, of its own body; files and pictures record
the forwarded mail they came in (``AttachmentRecord.origin``).

Pictures go to the form they belong with: those inside the form's own file, those that came
in the same forwarded mail as exactly one form, those in the same archive folder as exactly
one form, those whose file name names exactly one form's province. Any other picture of a
several-form message (one in the outer mail beside forms of several forwarded mails, say) is
not guessed: it is counted on no form and noted (``images.unassigned``).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from areaplan.core.gazetteer import Gazetteer
from areaplan.core.records import AttachmentRecord, ExtractedImage, ParsedMessage
from areaplan.parsers.resolve import Candidate

FORM_TEXT_CHARS = 200_000  # of a forwarded mail's body searched for its province


def is_filled(c: Candidate) -> bool:
    """A report form with answers: the form's structure and a district or a narrative."""
    f = c.form
    return bool(getattr(f, "is_form", False) and (f.district_text or f.narrative))


def form_province(gaz: Gazetteer, c: Candidate) -> str | None:
    """The province the form itself names (its province blank, or a district unique in the
    country), else the one its forwarded mail names (its subject, its sender's name)."""
    f = c.form
    if f.province_text:
        m = gaz.resolve_province(f.province_text)
        if m:
            return m.code
    return getattr(f, "province_code", None) or _origin_province(gaz, c)


def _origin_province(gaz: Gazetteer, c: Candidate) -> str | None:
    """The one province the form's forwarded mail names: its subject, its sender's name, else its body."""
    if c.origin is None:
        return None
    for text in (c.origin.subject, c.origin.from_name, c.origin.body[:FORM_TEXT_CHARS]):
        found = {m.code for m in gaz.find_provinces_in(text or "")}
        if len(found) == 1:
            return found.pop()
    return None


def _score(c: Candidate) -> int:
    f = c.form
    return (4 * bool(f.is_form) + 2 * bool(f.province_text) + 2 * bool(f.district_text) + bool(f.narrative)
            + bool(f.reporter_name) - 3 * c.ocr)


def _district_key(c: Candidate) -> str:
    return "".join((c.form.district_text or "").split())


def several_forms(gaz: Gazetteer, candidates: list[Candidate], best: Candidate | None) -> list[Candidate]:
    """The forms that each make a submission, the main one (``best``'s province) first.

    Only when the filled forms name two or more different provinces; else ``[best]``.
    Forms of one province are one submission (the best-read copy); a filled form naming no
    province of its own is a submission of its own (it will go to review).
    """
    if best is None:
        return []
    filled = [c for c in candidates if is_filled(c)]
    files = [c for c in filled if c.attachment is not None]
    with_files = {c.place for c in files}
    pasted = [c for c in filled if c.attachment is None and c.place and c.place not in with_files]
    # the body summarises the files; a forwarded mail's body counts when it carries no form file
    filled = (files + pasted) or [c for c in filled if c.source != "forwarded message"]
    by_province: dict[str, list[Candidate]] = {}
    unplaced: list[Candidate] = []
    for c in filled:
        code = form_province(gaz, c)
        (by_province.setdefault(code, []) if code else unplaced).append(c)
    placed_districts = {_district_key(c) for group in by_province.values() for c in group}
    unplaced = [c for c in unplaced if (c.attachment is not None or c.place or c.table_row)
                and _district_key(c) not in placed_districts]
    forwarded_apart = len({c.place for c in unplaced if c.place}) >= 2  # forms of two forwarded mails
    if len(by_province) + len(unplaced) < 2 or not (by_province or forwarded_apart):
        return [best]
    forms = [max(group, key=_score) for group in by_province.values()] + unplaced
    main_province = form_province(gaz, best) if best in filled else None
    main = next((f for f in forms if main_province and form_province(gaz, f) == main_province), forms[0])
    return [main] + [f for f in forms if f is not main]


def slot_of(c: Candidate, taken: set[str]) -> str:
    """The stable place of a further form in its message: "<part>", "<part>-<k>", "f<forwarded
    mail>" (a forwarded mail's body: "f2", "f1.2", "fi2") or "b<k>"."""
    if c.attachment is not None:
        slot = str(c.attachment.part_index) if c.piece == 0 else f"{c.attachment.part_index}-{c.piece}"
    elif c.place:  # the body of a forwarded mail
        slot = f"f{c.place}"
    else:
        slot = f"b{c.piece}"
    base, n = slot, 1
    while slot in taken or slot == "":
        slot, n = f"{base}-x{n}", n + 1
    taken.add(slot)
    return slot


@dataclass
class ImageShare:
    """Which pictures count for which form (by index in the forms list)."""

    per_form: list[set[bytes]] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)  # file names


def _dir(rec: AttachmentRecord) -> str:
    return posixpath.dirname((rec.filename or "").replace("\\", "/"))


def _owner(gaz: Gazetteer, rec: AttachmentRecord, forms: list[Candidate], provinces: list[str | None],
           by_part: dict[int, AttachmentRecord]) -> int | None:
    own = [i for i, f in enumerate(forms) if f.attachment is rec]
    if own:
        return own[0] if len(own) == 1 else None
    came_with = _same_forward(rec.origin, forms)
    if came_with is not None:
        return came_with
    if rec.parent is not None:
        same = [i for i, f in enumerate(forms) if f.attachment is not None and f.attachment.parent == rec.parent
                and _dir(f.attachment) == _dir(rec)]
        if len(same) == 1:
            return same[0]
    names = [rec.filename or ""]
    parent = rec.parent
    while parent is not None and parent in by_part and len(names) < 6:
        names.append(by_part[parent].filename or "")
        parent = by_part[parent].parent
    for name in names:
        codes = {m.code for m in gaz.find_provinces_in(name.replace("_", " ").replace("-", " "))}
        hits = [i for i, p in enumerate(provinces) if p in codes]
        if len(hits) == 1:
            return hits[0]
    return None


def _same_forward(origin: str, forms: list[Candidate]) -> int | None:
    """The one form that came in the forwarded mail ``origin`` (or the nearest one holding it:
    a mail forwarded inside another), or None."""
    if not origin:
        return None
    place = origin
    while place:
        hits = [i for i, f in enumerate(forms) if f.place == place]
        if hits:
            return hits[0] if len(hits) == 1 else None
        place = place.rpartition(".")[0]
    return None


def share_images(gaz: Gazetteer, pm: ParsedMessage, forms: list[Candidate]) -> ImageShare:
    """The pictures of each form: every picture for a single form; see the module text otherwise."""
    share = ImageShare(per_form=[set() for _ in forms])
    everything = [(rec, img) for rec in pm.attachments for img in rec.images]
    if len(forms) <= 1:
        if forms:
            share.per_form[0] = {img.data for _, img in everything}
        return share
    provinces = [form_province(gaz, f) for f in forms]
    by_part = {rec.part_index: rec for rec in pm.attachments}
    read_once = {rec.sha256: rec.images for rec in pm.attachments if rec.images}  # a copy is read once
    for rec in pm.attachments:
        imgs: list[ExtractedImage] = rec.images or read_once.get(rec.sha256, [])
        if not imgs:
            continue
        owner = _owner(gaz, rec, forms, provinces, by_part)
        if owner is None:
            share.unassigned += [img.filename or rec.filename or "?" for img in imgs]
        else:
            share.per_form[owner] |= {img.data for img in imgs}
    return share
