"""The picture of the country: 76 tiles coloured by status, as an HTML table and an inline PNG."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from email import policy
from email.parser import BytesParser

import pytest
from digest_fixtures import chromium, chromium_or_skip, make_db, rows, sample_story
from PIL import Image
from selection_fixtures import selection_db, stage

from areaplan.core.clock import end_of_day_utc
from areaplan.digest.message import build_message
from areaplan.digest.model import build_digests
from areaplan.digest.render import render_national
from areaplan.digest.send import write_outbox
from areaplan.digest.settings import DigestSettings
from areaplan.digest.tile_map import GAP, LAYOUT, STATUS_STYLE, TILE
from areaplan.store import selection as sel
from areaplan.store.campaigns import visible_periods
from areaplan.store.status import province_status_rows

DAY = date(2021, 4, 5)  # after Sing Buri's late form: every status is on the map
SETTINGS = DigestSettings()


@pytest.fixture
def story(tmp_path):
    db = make_db(tmp_path)
    sample_story(db)
    return db


def role_model_statuses(db, on=DAY):
    """The store's statuses as of the end of the Thai day ``on`` (what the digest of that day shows)."""
    periods = [p for p in visible_periods(db, on) if p.kind == "role_model"]
    return {r["province_code"]: r["status"] for r in province_status_rows(db, end_of_day_utc(on), periods)}


def tile_cells(html, period="role_model_2021/2021"):
    section = html.split(f'data-map-period="{period}"')[1].split("</table>")[0]
    return dict(re.findall(r'data-province="(\d\d)" data-status="(\w*)"', section))


def role_model_index(national):
    return next(i for i, p in enumerate(national.periods) if p.period.kind == "role_model")


def test_the_grid_holds_every_province_in_a_zone_once(story):
    zoned = {r["code"] for r in rows(story, "SELECT code FROM provinces WHERE zone IS NOT NULL")}
    assert set(LAYOUT) == zoned and len(zoned) == 76
    assert len(set(LAYOUT.values())) == 76  # no two provinces on one tile


def test_each_tile_has_the_colour_of_its_provinces_status(story):
    _, national = build_digests(story, DAY)
    html = render_national(national, SETTINGS).html
    cells = tile_cells(html)
    assert cells == role_model_statuses(story)
    assert {"received", "late", "needs_review", "missing"} <= set(cells.values())
    for code, status in cells.items():
        bg = STATUS_STYLE[status][0]
        assert re.search(rf'bgcolor="{bg}" title="[^"]+" data-province="{code}"', html)


def test_the_png_shows_the_same_colours(story):
    _, national = build_digests(story, DAY)
    rendered = render_national(national, SETTINGS)
    image = Image.open(io.BytesIO(rendered.images[role_model_index(national)][1])).convert("RGB")
    for code, status in role_model_statuses(story).items():
        row, col = LAYOUT[code]
        x, y = GAP + col * (TILE + GAP) + 3, GAP + row * (TILE + GAP) + TILE // 2
        want = tuple(int(STATUS_STYLE[status][0][i:i + 2], 16) for i in (1, 3, 5))
        assert image.getpixel((x, y)) == want, code


def test_the_national_mail_carries_the_png_inline_under_the_html(story):
    _, national = build_digests(story, DAY)
    rendered = render_national(national, SETTINGS)
    msg = build_message(rendered, sender="a@example.org", sender_name="areaplan", to=("p@example.org",),
                        digest_date=DAY.isoformat())
    parsed = BytesParser(policy=policy.default).parsebytes(msg.as_bytes())
    related = next(p for p in parsed.walk() if p.get_content_type() == "multipart/related")
    html = related.get_body(("html",)).get_content()
    images = [p for p in related.iter_parts() if p.get_content_type() == "image/png"]
    assert len(images) == len(national.periods)
    for part in images:
        cid = part["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in html
        assert part.get_content()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chromium_renders_the_grid_colours_and_loads_the_picture(story, tmp_path):
    binary = chromium_or_skip()
    _, national = build_digests(story, DAY)
    outbox = tmp_path / "outbox"
    write_outbox([render_national(national, SETTINGS)], outbox, SETTINGS, DAY.isoformat())
    probe = """<script>window.addEventListener('load', () => {
      const tiles = {};
      document.querySelector('[data-map-period="role_model_2021/2021"] [data-tile-map]').querySelectorAll('td[data-province]').forEach(
        td => { tiles[td.dataset.province] = getComputedStyle(td).backgroundColor; });
      const img = document.querySelector('img[src$=".png"]');
      document.body.setAttribute('data-probe', JSON.stringify({tiles, width: img.naturalWidth}));
    });</script>"""
    page = outbox / "probe.html"
    page.write_text((outbox / "national.html").read_text(encoding="utf-8").replace("</body>", probe + "</body>"),
                    encoding="utf-8")
    dom = chromium(binary, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()).decode()
    found = json.loads(re.search(r"data-probe=\"([^\"]+)\"", dom).group(1).replace("&quot;", '"'))
    assert found["width"] > 0  # the PNG beside the page loaded and decoded
    for code, status in role_model_statuses(story).items():
        r, g, b = (int(STATUS_STYLE[status][0][i:i + 2], 16) for i in (1, 3, 5))
        assert found["tiles"][code] == f"rgb({r}, {g}, {b})", code


def test_the_national_digest_shows_the_18_zone_choices_and_who_has_not_chosen(tmp_path):
    db, config = selection_db(tmp_path)
    campaign = stage(config)
    sel.choose(db, campaign, 2, "12", "insp-c@example.go.th", date(2021, 4, 10))
    _, national = build_digests(db, date(2021, 4, 12))
    (block,) = national.selections
    assert len(block.choices) == 18 and [c.zone for c in block.not_chosen] == [z for z in range(1, 19) if z != 2]
    rendered = render_national(national, SETTINGS)
    assert "คัดเลือกแล้ว 1 จาก 18 เขต" in rendered.text
    assert "- เขตตรวจราชการที่ 2: อำเภอปากเกร็ด จังหวัดนนทบุรี (insp-c@example.go.th)" in rendered.text
    assert rendered.html.count("ยังไม่ได้คัดเลือก</td>") == 17
    assert 'data-zone="2" data-chosen="12"' in rendered.html
