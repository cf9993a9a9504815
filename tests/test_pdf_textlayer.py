"""Specification of the Thai text-layer repairs on PDFs made here (issue 12, text layers).

The PDFs come from :mod:`textlayer_docs` (LibreOffice exports of DOCX files made with
python-docx, and reportlab pages drawn the way iText draws the Royal Gazette); the
expected text of each is the text it was made from.
"""

from __future__ import annotations

import os
import random
import re
from functools import cache

import pytest
import textlayer_docs as docs

from areaplan.core.thai_text import normalize
from areaplan.parsers.pdf import read_pdf
from areaplan.parsers.thai_pdf_text import (
    GlyphBox,
    mark_hosts,
    plumber_actual_text,
    plumber_chars,
    reordered,
)


def comparable_lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.split("\n") if line.strip()]


def reads_as(text: str, lines: list[str]) -> list[str]:
    """What is wrong in ``text`` read from a page of ``lines`` that may wrap anywhere.

    Each line read must be a piece of the source (so no space is added or lost inside a
    line), and all of it, blanks aside, must be the source. Returns the faults ([] if none).
    """
    source = " ".join(lines)
    faults = [line for line in comparable_lines(text) if line not in source]
    if re.sub(r"\s", "", text) != re.sub(r"\s", "", source):
        faults.append("the characters differ")
    return faults


def require_soffice() -> None:
    """Skip without LibreOffice; fail instead if AREAPLAN_REQUIRE_SOFFICE=1."""
    if docs.soffice():
        return
    if os.environ.get("AREAPLAN_REQUIRE_SOFFICE", "").strip() not in ("", "0"):
        pytest.fail("LibreOffice (soffice) not installed (AREAPLAN_REQUIRE_SOFFICE is set)")
    pytest.skip("LibreOffice (soffice) not installed")


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory) -> dict[str, bytes]:
    """LIBREOFFICE_LINES per font, and with LIBREOFFICE_TABLE below, exported by LibreOffice."""
    require_soffice()
    made = {font: docs.thai_docx(docs.LIBREOFFICE_LINES, font) for font in docs.LIBREOFFICE_FONTS}
    made["table"] = docs.thai_docx(docs.LIBREOFFICE_LINES, "Laksaman", docs.LIBREOFFICE_TABLE)
    return docs.libreoffice_pdfs(made, tmp_path_factory.mktemp("lo-textlayer"))


# --------------------------------------------------------------------------- LibreOffice: sara am


@pytest.mark.slow
@pytest.mark.parametrize("font", docs.LIBREOFFICE_FONTS)
def test_libreoffice_pdf_reads_every_sara_am_once(libreoffice, font):
    result = read_pdf(libreoffice[font])
    assert "ำา" not in result.text
    assert reads_as(result.text, docs.LIBREOFFICE_LINES) == []
    assert result.problems == []


@pytest.mark.slow
def test_pdfplumber_reads_libreoffice_clusters_by_their_actual_text(libreoffice):
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(libreoffice["table"])) as pdf:
        page = pdf.pages[0]
        bare = "".join(c["text"] for c in page.chars)
        honoured = "".join(c["text"] for c in plumber_actual_text(plumber_chars(page)))
    # the damage is real: the SARA AA glyph drawn inside ำ clusters has no ToUnicode ...
    assert "(cid:" in bare
    # ... and the ActualText spans give the text the page shows
    assert "(cid:" not in honoured and "ำา" not in honoured
    for line in docs.LIBREOFFICE_LINES + [c for row in docs.LIBREOFFICE_TABLE for c in row]:
        assert line.replace(" ", "") in honoured.replace(" ", "")


@pytest.mark.slow
def test_libreoffice_pdf_with_every_glyph_mapped_reads_sara_am_once(libreoffice):
    import io

    import pdfplumber

    data = docs.map_every_glyph(libreoffice["Laksaman"])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        bare = page.extract_text()
        honoured = "".join(c["text"] for c in plumber_actual_text(plumber_chars(page)))
    assert "คำาสั่ง" in bare and "ดำาเนิน" in bare  # what an extractor without ActualText reads
    assert "ำา" not in honoured and "คำสั่งสำนักนายกรัฐมนตรี" in honoured
    result = read_pdf(data)
    assert "ำา" not in result.text
    assert reads_as(result.text, docs.LIBREOFFICE_LINES) == []


def test_sara_am_followed_by_sara_aa_is_read_as_sara_am():
    assert normalize("ทำา ดำาเนิน น้ำา") == "ทำ ดำเนิน น้ำ"


def test_a_tone_mark_between_sara_am_and_sara_aa_goes_before_sara_am():
    assert normalize("นำ้า") == "น้ำ"


# --------------------------------------------------------------------------- iText: floating marks


def test_gazette_header_with_marks_drawn_apart_reads_as_shown():
    result = read_pdf(docs.itext_like_pdf(docs.GAZETTE_LINES, detached=[0]))
    lines = comparable_lines(result.text)
    assert lines[0] == docs.GAZETTE_HEADER
    assert lines[0].startswith("หน้า ๒ เล่ม ๑๓๘")
    assert lines == docs.GAZETTE_LINES


@pytest.mark.parametrize("font", ["Garuda", "Laksaman", "Loma", "Norasi", "Waree", "Umpush"])
@pytest.mark.parametrize("order", ["after", "reverse"])
def test_marks_drawn_as_text_of_their_own_rejoin_their_base(font, order):
    pdf = docs.itext_like_pdf(docs.GAZETTE_LINES, range(len(docs.GAZETTE_LINES)), font, order=order)
    assert comparable_lines(read_pdf(pdf).text) == docs.GAZETTE_LINES


def test_marks_drawn_apart_on_a_page_with_a_table_rejoin_their_base_in_pdfplumber():
    lines = range(len(docs.GAZETTE_LINES))
    result = read_pdf(docs.itext_like_pdf(docs.GAZETTE_LINES, lines, "Garuda", ruled=True))
    assert result.method == "pdfplumber+tables"
    assert comparable_lines(result.text)[: len(docs.GAZETTE_LINES)] == docs.GAZETTE_LINES


@pytest.mark.parametrize("ruled", [False, True], ids=["pypdfium2", "pdfplumber"])
@pytest.mark.parametrize("rise", [0.3, -0.2])
def test_marks_drawn_apart_and_raised_or_lowered_rejoin_their_base(rise, ruled):
    lines = range(len(docs.GAZETTE_LINES))
    pdf = docs.itext_like_pdf(docs.GAZETTE_LINES, lines, "Laksaman", rise=rise, ruled=ruled)
    got = comparable_lines(read_pdf(pdf).text)
    assert got[: len(docs.GAZETTE_LINES)] == docs.GAZETTE_LINES


def test_a_mark_after_a_space_goes_to_the_consonant_it_is_drawn_on():
    # "หนา ่" with the tone drawn on น (x 10..20), emitted after a space
    texts = ["ห", "น", "า", " ", "\u0e48"]
    boxes = {
        0: GlyphBox(0, 10, 100, 16),
        1: GlyphBox(10, 20, 100, 16),
        2: GlyphBox(20, 26, 100, 16),
        4: GlyphBox(14, 17, 100, 16),
    }
    hosts = mark_hosts(texts, boxes.get)
    assert hosts == {4: 1}
    assert "".join(texts[k] for k in reordered(texts, hosts)) == "หน่า "


def test_a_mark_on_another_line_is_not_taken_by_this_one():
    texts = ["น", " ", "\u0e49"]
    boxes = {0: GlyphBox(10, 20, 100, 16), 2: GlyphBox(14, 17, 130, 16)}  # 30 pt lower
    assert mark_hosts(texts, boxes.get) == {}


# --------------------------------------------------------------------------- idempotence


@cache
def dictionary_sample(n: int = 3000, seed: int = 12) -> list[str]:
    from pythainlp.corpus import thai_words

    return random.Random(seed).sample(sorted(thai_words()), n)


def test_normalize_leaves_every_dictionary_word_unchanged():
    from pythainlp.corpus import thai_words

    changed = [w for w in thai_words() if normalize(w) != w]
    assert changed == []


@pytest.mark.parametrize("font", ["Garuda", "Laksaman", "Loma", "Norasi"])
def test_dictionary_words_drawn_in_order_read_back_unchanged(font):
    pdf, lines = docs.words_pdf(dictionary_sample(), font=font)
    result = read_pdf(pdf)
    got = [line for page in result.text.split("\f") for line in comparable_lines(page)]
    assert got == lines


@pytest.mark.parametrize("font", ["Garuda", "Laksaman"])
def test_dictionary_words_on_pages_with_a_table_read_back_unchanged_in_pdfplumber(font):
    pdf, lines = docs.words_pdf(dictionary_sample()[:1200], font=font, ruled=True)
    result = read_pdf(pdf)
    assert result.method == "pdfplumber+tables"  # every page, for its grid
    got = [
        line
        for page in result.text.split("\f")
        for line in comparable_lines(page)
        if "|" not in line  # the grid's rows
    ]
    assert got == lines


def test_words_drawn_in_order_need_no_mark_moved():
    import io

    import pdfplumber

    from areaplan.parsers.thai_pdf_text import plumber_mark_hosts

    pdf, _ = docs.words_pdf(dictionary_sample()[:600], font="Laksaman")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = doc.pages[0].chars
        assert plumber_mark_hosts(chars, [c["text"] for c in chars]) == {}


@pytest.mark.slow
def test_libreoffice_dictionary_words_read_back_unchanged(tmp_path):
    require_soffice()
    words = dictionary_sample()[:480]
    lines = [" ".join(words[k : k + 6]) for k in range(0, len(words), 6)]
    pdf = docs.libreoffice_pdfs({"words": docs.thai_docx(lines, "Laksaman")}, tmp_path)["words"]
    assert reads_as(read_pdf(pdf).text.replace("\f", ""), lines) == []


def test_a_page_of_more_floating_marks_than_the_limit_is_left_as_it_is():
    from areaplan.parsers.thai_pdf_text import MAX_FLOATING

    n = MAX_FLOATING + 1
    texts = ["ก"] * n + [" ", "\u0e48"] * n  # every tone mark after a space, all on one spot
    assert mark_hosts(texts, lambda i: GlyphBox(10, 20, 100, 16)) == {}
    few = ["ก"] * 10 + [" ", "\u0e48"] * 10
    assert len(mark_hosts(few, lambda i: GlyphBox(10, 20, 100, 16))) == 10


def test_a_page_of_marks_stacked_on_one_spot_is_read_in_bounded_time():
    import time

    from bounds import bound

    line = "ก " + "\u0e48 " * 3000  # 3,000 tone marks after spaces, all drawn on one spot
    pdf = docs.itext_like_pdf([line, "น้ำ"], detached=[1], size=4)
    started = time.monotonic()
    result = read_pdf(pdf)
    assert time.monotonic() - started < bound(10)
    assert comparable_lines(result.text)[-1] == "น้ำ"
