"""Scoring a store built from the labelled corpus against its labels (shared by the corpus test
and ``bench/bench_accuracy.py``). Reads the store with plain ``sqlite3``; imports nothing of
areaplan, so what is scored is what a person querying the database sees.

Labels: ``tests/corpus/labels.json`` (one submission per role-model / best-practice message,
none for ``other``) and ``tests/corpus/shapes/labels.json`` (an explicit ``submissions`` list,
follow-ups and links; see ``samples/shapes.py``).

Scans: the project's rule is that an answer read by OCR is trusted only on an exact gazetteer
match, else a person decides. So for a message whose label notes ``carrier=scan``, a field
left empty *in review* is left to a person (not a miss), and a scan read exactly and right
everywhere is right without review. A wrong value is a miss either way.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
SHAPES = CORPUS / "shapes"
FIELDS = ("campaign", "province_code", "zone", "district_code")


def load_labels(corpus: Path = CORPUS) -> dict[str, dict]:
    """Every label, keyed by the file's path relative to ``corpus``, in one shape."""
    out: dict[str, dict] = {}
    for name, lab in json.loads((corpus / "labels.json").read_text(encoding="utf-8")).items():
        subs = [] if lab["campaign"] == "other" else [{
            "province_code": lab["province_code"], "district_code": lab["district_code"], "zone": lab["zone"],
            "images": None, "needs_review": lab["needs_review"]}]
        out[name] = {"campaign": lab["campaign"], "submissions": subs, "needs_review": lab["needs_review"],
                     "links": None, "followup_of": None, "followup_images": 0, "notes": lab["notes"]}
    shapes = corpus / "shapes" / "labels.json"
    if shapes.exists():
        for name, lab in json.loads(shapes.read_text(encoding="utf-8")).items():
            lab = dict(lab)
            if lab.get("followup_of"):
                lab["followup_of"] = f"shapes/{lab['followup_of']}"
            out[f"shapes/{name}"] = lab
    return out


def corpus_files(corpus: Path = CORPUS) -> list[Path]:
    return sorted(corpus.glob("*.eml")) + sorted((corpus / "shapes").glob("*.eml"))


@dataclass
class Observed:
    """What the store holds for one file."""

    status: str
    campaign: str
    submissions: list[dict] = field(default_factory=list)
    links: int = 0
    followup_of: str | None = None  # the file whose submission it was linked to


def observe(db: Path, corpus: Path = CORPUS) -> dict[str, Observed]:
    """Per corpus file (by its path relative to ``corpus``): status, campaign, submissions, links."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        files: dict[int, str] = {}
        for r in con.execute("SELECT message, path FROM message_locations WHERE path IS NOT NULL"):
            p = Path(r["path"])
            try:
                files[r["message"]] = str(p.resolve().relative_to(corpus.resolve()))
            except ValueError:
                files[r["message"]] = p.name
        out: dict[str, Observed] = {}
        for r in con.execute("SELECT message, status, campaign FROM parsed_messages"):
            out[files.get(r["message"], str(r["message"]))] = Observed(r["status"], r["campaign"])
        for r in con.execute("SELECT * FROM submissions ORDER BY id"):
            out[files[r["message"]]].submissions.append(dict(r))
        for r in con.execute("SELECT message, COUNT(*) AS n FROM shared_links GROUP BY message"):
            out[files[r["message"]]].links = r["n"]
        for r in con.execute("SELECT message, target_message FROM followups"):
            out[files[r["message"]]].followup_of = files.get(r["target_message"])
    finally:
        con.close()
    return out


@dataclass
class Score:
    right: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    left_to_person: Counter = field(default_factory=Counter)  # scans: empty and in review (counted right)
    confident_wrong: int = 0
    rows_for_non_submissions: int = 0
    expected_without_row: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        r, t = self.right[name], self.total[name]
        left = f"  ({self.left_to_person[name]} of them a scan left empty for a person)" if self.left_to_person[name] else ""
        return f"{name:<28} {r:4d}/{t:<4d} = {100 * r / max(t, 1):6.2f}%{left}"


def _match(expected: list[dict], rows: list[dict]) -> list[tuple[dict, dict | None]]:
    """Pair each expected submission with the row of its province (in order for unknown ones)."""
    left = list(rows)
    pairs = []
    for want in expected:
        row = next((r for r in left if r["province_code"] == want["province_code"]), None)
        if row is None and want["province_code"] is None and left:
            row = next((r for r in left if r["province_code"] is None), None)
        if row is not None:
            left.remove(row)
        pairs.append((want, row))
    return pairs


def score(labels: dict[str, dict], seen: dict[str, Observed]) -> Score:
    s = Score()
    for name, want in sorted(labels.items()):
        got = seen.get(name)
        if got is None:
            s.misses.append(f"{name}: not in the store")
            continue
        scan = "carrier=scan" in want.get("notes", "")
        s.total["campaign"] += 1
        if got.campaign == want["campaign"]:
            s.right["campaign"] += 1
        else:
            s.misses.append(f"{name}: campaign {got.campaign!r} != {want['campaign']!r}")
        review = got.status == "review"
        if not want["submissions"]:
            live = [r for r in got.submissions if not r.get("excluded")]
            s.rows_for_non_submissions += len(live)
            s.confident_wrong += sum(1 for r in live if not r["needs_review"])
            if live:
                s.misses.append(f"{name}: {len(live)} submissions row(s) for mail that is not a submission")
        for want_sub, row in _match(want["submissions"], got.submissions):
            if row is None:
                s.expected_without_row += 1
                s.misses.append(f"{name}: expected submission {want_sub['province_code']} has no row")
                continue
            wrong = []
            for fld in ("province_code", "zone", "district_code"):
                if fld == "district_code" and want_sub[fld] is None and want["campaign"] != "role_model":
                    continue
                s.total[fld] += 1
                if row[fld] == want_sub[fld]:
                    s.right[fld] += 1
                elif scan and row[fld] is None and row["needs_review"]:
                    s.right[fld] += 1
                    s.left_to_person[fld] += 1
                else:
                    wrong.append(f"{fld} {row[fld]!r} != {want_sub[fld]!r}")
            if want_sub.get("images") is not None:
                s.total["images"] += 1
                if row["image_count"] == want_sub["images"]:
                    s.right["images"] += 1
                else:
                    wrong.append(f"images {row['image_count']} != {want_sub['images']}")
            s.total["submission review"] += 1
            if bool(row["needs_review"]) == bool(want_sub["needs_review"]) or (scan and not wrong):
                s.right["submission review"] += 1
            else:
                wrong.append(f"needs_review {row['needs_review']} != {want_sub['needs_review']}")
            if wrong:
                s.misses.append(f"{name}: {'; '.join(wrong)}")
                if not row["needs_review"] and any(not w.startswith("needs_review") for w in wrong):
                    s.confident_wrong += 1
        s.total["message review"] += 1
        if review == bool(want["needs_review"]) or (scan and bool(want["needs_review"])):
            s.right["message review"] += 1
        else:
            s.misses.append(f"{name}: status {got.status!r}, label needs_review={want['needs_review']}")
        if want.get("links") is not None:
            s.total["links"] += 1
            if got.links == want["links"]:
                s.right["links"] += 1
            else:
                s.misses.append(f"{name}: {got.links} links recorded, label {want['links']}")
        if want.get("followup_of"):
            s.total["follow-up linked"] += 1
            if got.followup_of == want["followup_of"]:
                s.right["follow-up linked"] += 1
            else:
                s.misses.append(f"{name}: follow-up linked to {got.followup_of!r}, label {want['followup_of']!r}")
            base = seen.get(want["followup_of"])
            added = sum(r.get("followup_images") or 0 for r in (base.submissions if base else []))
            s.total["follow-up images"] += 1
            if base is not None and added == want["followup_images"]:
                s.right["follow-up images"] += 1
            else:
                s.misses.append(f"{name}: {added} follow-up pictures on {want['followup_of']}, "
                                f"label {want['followup_images']}")
    return s
