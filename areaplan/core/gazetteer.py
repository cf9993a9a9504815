"""Resolve free-text Thai province (จังหวัด) and district (อำเภอ / เขต) names to DOPA geocodes.

The data are the CSVs shipped in ``areaplan/core/gazetteer_data/`` (see the README there for
sources, licences and the traps this module handles). Use :meth:`Gazetteer.load`;
the default instance is built once per process.

Every resolver returns a :class:`Match` carrying a ``confidence`` in 0..1 and the
``method`` that produced it, so callers can decide what to trust:

========================  ==========  =============================================
method                    confidence  meaning
========================  ==========  =============================================
``exact``                 1.0         the Thai name, after prefixes/blanks are removed
``exact_en``              1.0         the English name (case/space/hyphen-insensitive)
``alias``                 0.95–1.0    a listed variant (:data:`PROVINCE_ALIASES_TH`, …)
``capital``               1.0         ``อำเภอเมือง`` / ``อ.เมือง`` / ``Mueang`` (+ province)
``abbr``                  0.9         the official 2-letter abbreviation, alone
``contained``             0.9         one province name found inside a longer text
``in_district_name``      0.8         province only seen inside a district name
``fuzzy`` / ``fuzzy_en``  score       rapidfuzz ratio / 100, at most :data:`FUZZY_MAX`
``fuzzy_prefix``          score       :meth:`Gazetteer.province_at_start` with a typo
``…_ambiguous``           lowered     another place scored (almost) the same
``prefixed`` / ``bare``   1.0 / 0.9   :meth:`Gazetteer.find_provinces_in` hits (an alias
                                      starting a misspelt full name: ``fuzzy_prefix``)
``bare_common_word``      0.8         เลย / แพร่ / ตาก standing alone, unprefixed
``en``                    0.9         an English province name in free text
``scan``                  1.0 / 0.9   :meth:`Gazetteer.scan_districts` (with / without อำเภอ)
========================  ==========  =============================================

Anything below :data:`CONFIDENT` should be shown to a person rather than trusted.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import functools
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz, process

from areaplan.core.thai_text import ZERO_WIDTH, has_thai, normalize

logger = logging.getLogger(__name__)

CONFIDENT = 0.9
"""A match at or above this confidence can be used without a person checking it."""

FUZZY_CUTOFF = 0.75
"""Fuzzy matches scoring below this are not returned at all."""

FUZZY_MAX = 0.89
"""A fuzzy match is never confident: its confidence is its score, capped just below CONFIDENT,
so a misspelt name always reaches a person (who can confirm it in one look)."""

_AMBIGUITY_MARGIN = 4.0  # rapidfuzz points: a runner-up this close makes a fuzzy hit ambiguous
_AMBIGUITY_PENALTY = 0.9

# --------------------------------------------------------------------------- aliases
# Variant spellings that are in common use but are not the official names.
# (text, province code, confidence). Keys are compared after ``th_key``/``en_key``.
PROVINCE_ALIASES_TH: tuple[tuple[str, str, float], ...] = (
    ("กรุงเทพ", "10", 1.0),  # also กรุงเทพฯ (ฯ is dropped by th_key)
    ("กทม", "10", 1.0),  # also กทม.
    ("กรุงเทพมหานครฯ", "10", 1.0),
    ("อยุธยา", "14", 0.95),
    ("กรุงศรีอยุธยา", "14", 0.95),
    ("โคราช", "30", 0.95),
    ("นครศรี", "80", 0.95),  # นครศรีฯ
    ("สุราษฎร์", "84", 0.95),  # สุราษฎร์ฯ
    ("สุราษฎ์ธานี", "84", 0.95),
    ("สุราษฎร์ธานีฯ", "84", 0.95),
    ("ประจวบ", "77", 0.95),  # ประจวบฯ
    ("อุบล", "34", 0.95),  # อุบลฯ
    ("อุดร", "41", 0.95),
    ("ศรีษะเกษ", "33", 0.95),  # frequent misspelling of ศรีสะเกษ
    ("แปดริ้ว", "24", 0.95),
    ("สุพรรณ", "72", 0.95),
    ("กาญจน์", "71", 0.95),
    ("ปทุม", "13", 0.95),
)

PROVINCE_ALIASES_EN: tuple[tuple[str, str, float], ...] = (
    ("Krung Thep", "10", 1.0),
    ("Krung Thep Maha Nakhon", "10", 1.0),
    ("BKK", "10", 1.0),
    ("Bangkok Metropolis", "10", 1.0),
    ("Ayutthaya", "14", 0.95),
    ("Ayudhya", "14", 0.95),
    ("Ayuthaya", "14", 0.95),
    ("Korat", "30", 0.95),
    ("Khorat", "30", 0.95),
    ("Ubon", "34", 0.95),
    ("Udon", "41", 0.95),
    ("Prachuap", "77", 0.95),
    ("Surat", "84", 0.95),
    ("Sisaket", "33", 0.95),
    ("Srisaket", "33", 0.95),
)

# District spellings from other lists that fuzzy matching cannot reach (README: 1039).
DISTRICT_ALIASES_EN: tuple[tuple[str, str], ...] = (
    ("Watthana", "1039"),
    ("Wattana", "1039"),
    ("Khwao Sinarin", "3216"),
)

# Province names that are also everyday words (เลย "at all", เผยแพร่/แพร่ระบาด, ตากแดด):
# find_provinces_in() only reports them after a จังหวัด/จ. prefix.
COMMON_WORD_PROVINCES: frozenset[str] = frozenset({"เลย", "แพร่", "ตาก"})

# --------------------------------------------------------------------------- prefixes
_BLANKS_RE = re.compile(r"[.…_·•⋯]{2,}|…")
_PROVINCE_PREFIX_RE = re.compile(
    r"^(?:"
    r"ที่ทำการปกครองจังหวัด|ที่ทำการปกครอง\s*จ\.|ท?ปค\.?\s*จ\.|สำนักงานจังหวัด|ศาลากลางจังหวัด"
    r"|ผู้ว่าราชการจังหวัด|ปลัดจังหวัด|ชื่อจังหวัด|จังหวัด|จ\.|จ\s+(?=\S)"
    r"|(?:province\s+of|province|changwat)(?![a-z])"
    r")\s*[:：|]?\s*",
    re.IGNORECASE,
)
_PROVINCE_SUFFIX_RE = re.compile(r"\s*(?:province|จังหวัด)\s*$", re.IGNORECASE)
_DISTRICT_PREFIX_RE = re.compile(
    r"^(?:"
    r"ที่ทำการปกครองอำเภอ|นายอำเภอ|กิ่งอำเภอ|กิ่ง\s*อ\.|ชื่ออำเภอ|อำเภอ|อ\.|สำนักงานเขต|เขต"
    r"|(?:amphoe|amphur|amphoe\s+district|district\s+of|district|khet)(?![a-z])"
    r")\s*[:：|]?\s*",
    re.IGNORECASE,
)
_DISTRICT_SUFFIX_RE = re.compile(r"\s*(?:district|amphoe|khet)\s*$", re.IGNORECASE)
# "สันทราย จังหวัดเชียงใหม่", "แม่ริม จ.เชียงใหม่", "San Sai, Chiang Mai Province"
_TRAILING_PROVINCE_RE = re.compile(r"\s*[,，]?\s*(?:จังหวัด|จ\.)\s*(?P<prov>\S.*)$")
_EDGE_PUNCT = " \t\r\n:：|,，;()[]{}\"'“”‘’-–—*•"

_CAPITAL_TH = "เมือง"
_CAPITAL_EN = ("amphoemueang", "mueangdistrict", "mueang")

# --------------------------------------------------------------------------- keys
_ZW_RE = re.compile(f"[{ZERO_WIDTH}]")
_TH_DROP_RE = re.compile(r"[\s.\-‐‑‒–—―−ฯ'’]+")
_TH_DUP_MARK_RE = re.compile(r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+")
_EN_DROP_RE = re.compile(r"[^a-z0-9]+")


def th_key(text: str) -> str:
    """Comparison key for Thai names: no spaces, dots, hyphens or ฯ; sara am and แ recomposed."""
    s = unicodedata.normalize("NFC", text)
    s = _ZW_RE.sub("", s)
    s = s.replace("\u0e4d\u0e32", "\u0e33").replace("เเ", "แ")
    s = _TH_DUP_MARK_RE.sub(r"\1", s)
    return _TH_DROP_RE.sub("", s)


def en_key(text: str) -> str:
    """Comparison key for romanised names: lower case ASCII letters/digits only; Muang → Mueang."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = _EN_DROP_RE.sub("", s)
    return s.replace("muang", "mueang")


def _has_latin(text: str) -> bool:
    return any("a" <= ch.lower() <= "z" for ch in text)


def clean_name(text: str) -> str:
    """Normalise a name field: Unicode/Thai normalisation, dotted blanks removed, edges trimmed."""
    s = normalize(text)
    s = _ZW_RE.sub("", s)
    s = _BLANKS_RE.sub(" ", s)
    return re.sub(r"\s+", " ", s).strip(_EDGE_PUNCT)


def _strip_repeated(pattern: re.Pattern[str], text: str) -> str:
    """Remove a prefix pattern as many times as it matches ("จังหวัด จ.น่าน" → "น่าน")."""
    prev = None
    while prev != text:
        prev = text
        text = pattern.sub("", text, count=1).strip(_EDGE_PUNCT)
    return text


def strip_province_prefix(text: str) -> str:
    """``ที่ทำการปกครองจังหวัดเชียงใหม่`` → ``เชียงใหม่``; ``Chiang Mai Province`` → ``Chiang Mai``."""
    s = _strip_repeated(_PROVINCE_PREFIX_RE, clean_name(text))
    return _PROVINCE_SUFFIX_RE.sub("", s).strip(_EDGE_PUNCT)


def strip_district_prefix(text: str) -> str:
    """``กิ่ง อ.สันทราย`` → ``สันทราย``; ``San Sai District`` → ``San Sai``."""
    s = _strip_repeated(_DISTRICT_PREFIX_RE, clean_name(text))
    return _DISTRICT_SUFFIX_RE.sub("", s).strip(_EDGE_PUNCT)


# --------------------------------------------------------------------------- values
@dataclass(frozen=True)
class Province:
    """A province (จังหวัด) or Bangkok. ``zone`` is the inspection zone (None for Bangkok)."""

    code: str
    name_th: str
    name_en: str
    zone: int | None
    abbr_th: str


@dataclass(frozen=True)
class District:
    """An amphoe (อำเภอ) or, in Bangkok, a khet (เขต)."""

    code: str
    province_code: str
    name_th: str
    name_en: str
    kind: str

    @property
    def is_capital(self) -> bool:
        """The อำเภอเมือง of its province (code ``<province>01``; Bangkok has none)."""
        return self.code.endswith("01") and self.kind == "amphoe"


@dataclass(frozen=True)
class Zone:
    """An inspection zone (เขตตรวจราชการที่ N) and the provinces in it (code order)."""

    number: int
    name_th: str
    province_group_th: str
    province_codes: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A resolved name: geocode, official Thai name, how sure, how, and the text it came from."""

    code: str
    name_th: str
    confidence: float
    method: str
    matched_text: str

    @property
    def confident(self) -> bool:
        """True when ``confidence`` reaches :data:`CONFIDENT`."""
        return self.confidence >= CONFIDENT


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    code: str
    method: str


# --------------------------------------------------------------------------- loading
_DATA_FILES = ("provinces.csv", "districts.csv", "zones.csv")


def _read_data(name: str) -> str:
    """Text of one gazetteer CSV shipped beside this module (``gazetteer_data/``)."""
    return resources.files("areaplan.core").joinpath("gazetteer_data", name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read_data(name))))


def _norm_code(code: str | int) -> str:
    return str(code).strip().zfill(2)


@functools.lru_cache(maxsize=1)
def _load_default() -> Gazetteer:
    return Gazetteer(_rows("provinces.csv"), _rows("districts.csv"), _rows("zones.csv"))


@functools.lru_cache(maxsize=16)
def _load_overridden(overrides: tuple[tuple[str, int], ...]) -> Gazetteer:
    return Gazetteer(
        _rows("provinces.csv"), _rows("districts.csv"), _rows("zones.csv"), dict(overrides)
    )


class Gazetteer:
    """Provinces, districts and zones with resolvers for free-text names. Read-only."""

    def __init__(
        self,
        province_rows: Iterable[Mapping[str, str]],
        district_rows: Iterable[Mapping[str, str]],
        zone_rows: Iterable[Mapping[str, str]],
        zone_overrides: Mapping[str, int] | None = None,
    ) -> None:
        self._provinces: dict[str, Province] = {}
        for r in province_rows:
            zone = int(r["zone"]) if r.get("zone") else None
            p = Province(r["code"], r["name_th"], r["name_en"], zone, r.get("abbr_th", ""))
            self._provinces[p.code] = p
        self._apply_zone_overrides(zone_overrides or {})
        self._districts: dict[str, District] = {}
        self._by_province: dict[str, list[District]] = {c: [] for c in self._provinces}
        for r in district_rows:
            d = District(r["code"], r["province_code"], r["name_th"], r["name_en"], r["kind"])
            self._districts[d.code] = d
            self._by_province.setdefault(d.province_code, []).append(d)
        self._zones = self._build_zones(zone_rows)
        self._build_indexes()

    # ---- construction helpers
    @classmethod
    def load(cls, zone_overrides: Mapping[str, int] | None = None) -> Gazetteer:
        """The gazetteer from the shipped CSVs; ``zone_overrides`` maps province code → zone.

        Instances are cached per process (the default one and a few override sets).
        Raises ValueError for an unknown province code or a zone below 1.
        """
        if not zone_overrides:
            return _load_default()
        key = tuple(sorted((_norm_code(k), int(v)) for k, v in zone_overrides.items()))
        return _load_overridden(key)

    def _apply_zone_overrides(self, overrides: Mapping[str, int]) -> None:
        for raw_code, zone in overrides.items():
            code = _norm_code(raw_code)
            if code not in self._provinces:
                raise ValueError(f"zone override for unknown province code {raw_code!r}")
            if int(zone) < 1:
                raise ValueError(f"zone override for {code}: zone must be >= 1, got {zone!r}")
            self._provinces[code] = dataclasses.replace(self._provinces[code], zone=int(zone))
            logger.info("zone override: province %s -> zone %s", code, zone)

    def _build_zones(self, zone_rows: Iterable[Mapping[str, str]]) -> dict[int, Zone]:
        meta = {int(r["zone"]): (r["name_th"], r.get("province_group_th", "")) for r in zone_rows}
        members: dict[int, list[str]] = {}
        for p in self._provinces.values():
            if p.zone is not None:
                members.setdefault(p.zone, []).append(p.code)
        zones = {}
        for number in sorted(set(meta) | set(members)):
            name, group = meta.get(number, (f"เขตตรวจราชการที่ {number}", ""))
            zones[number] = Zone(number, name, group, tuple(sorted(members.get(number, []))))
        return zones

    def _build_indexes(self) -> None:
        self._prov_th: dict[str, tuple[str, float, str]] = {}  # key -> (code, confidence, method)
        for p in self._provinces.values():
            self._prov_th[th_key(p.name_th)] = (p.code, 1.0, "exact")
        for text, code, conf in PROVINCE_ALIASES_TH:
            self._prov_th.setdefault(th_key(text), (code, conf, "alias"))
        self._prov_en: dict[str, tuple[str, float, str]] = {}
        for p in self._provinces.values():
            self._prov_en[en_key(p.name_en)] = (p.code, 1.0, "exact_en")
        for text, code, conf in PROVINCE_ALIASES_EN:
            self._prov_en.setdefault(en_key(text), (code, conf, "alias"))
        self._prov_abbr = {p.abbr_th: p.code for p in self._provinces.values() if p.abbr_th}
        self._dist_th: dict[str, list[str]] = {}
        self._dist_en: dict[str, list[str]] = {}
        for d in self._districts.values():
            self._dist_th.setdefault(th_key(d.name_th), []).append(d.code)
            self._dist_en.setdefault(en_key(d.name_en), []).append(d.code)
        for text, code in DISTRICT_ALIASES_EN:
            self._dist_en.setdefault(en_key(text), []).append(code)
        self._prov_th_keys = list(self._prov_th)
        self._prov_en_keys = list(self._prov_en)
        self._dist_th_keys = list(self._dist_th)
        self._dist_en_keys = list(self._dist_en)

    # ---- plain look-ups
    @property
    def provinces(self) -> list[Province]:
        """All 77 provinces (Bangkok included), in code order."""
        return sorted(self._provinces.values(), key=lambda p: p.code)

    @property
    def districts(self) -> list[District]:
        """All 928 districts (amphoe and khet), in code order."""
        return sorted(self._districts.values(), key=lambda d: d.code)

    @property
    def zones(self) -> dict[int, Zone]:
        """Zone number → :class:`Zone`, overrides applied (a fresh dict each call)."""
        return dict(self._zones)

    def province(self, code: str | int) -> Province | None:
        """The province with this 2-digit code, or None."""
        return self._provinces.get(_norm_code(code))

    def district(self, code: str | int) -> District | None:
        """The district with this 4-digit code, or None."""
        return self._districts.get(str(code).strip())

    def districts_of(self, province_code: str | int) -> list[District]:
        """The districts of one province, in code order (empty for an unknown code)."""
        return list(self._by_province.get(_norm_code(province_code), []))

    def capital_of(self, province_code: str | int) -> District | None:
        """The อำเภอเมือง (code ``<province>01``); None for Bangkok, which has none."""
        d = self._districts.get(_norm_code(province_code) + "01")
        return d if d is not None and d.is_capital else None

    def zone_of(self, province_code: str | int) -> int | None:
        """The inspection zone of a province (None for Bangkok or an unknown code)."""
        p = self.province(province_code)
        return p.zone if p else None

    def provinces_in_zone(self, zone: int) -> list[Province]:
        """Provinces in one zone, in code order (empty for an unknown zone)."""
        z = self._zones.get(int(zone))
        return [self._provinces[c] for c in z.province_codes] if z else []

    # ---- province resolution
    def _province_match(self, code: str, conf: float, method: str, text: str) -> Match:
        return Match(code, self._provinces[code].name_th, round(conf, 3), method, text)

    def resolve_province(self, text: str | None) -> Match | None:
        """Resolve one province name as written (with or without prefix, Thai or English)."""
        if not text or not text.strip():
            return None
        raw = text.strip()
        name = strip_province_prefix(raw)
        if not name:
            return None
        hit = self._province_exact(name)
        if hit:
            return self._province_match(hit[0], hit[1], hit[2], raw)
        abbr = self._province_abbr(name)
        if abbr:
            return self._province_match(abbr, 0.9, "abbr", raw)
        found = self.find_provinces_in(name)
        if len({m.code for m in found}) == 1:
            weakest = min(found, key=lambda m: m.confidence)
            if weakest.method == "fuzzy_prefix":  # "สุราษฎร์ธานนี": an alias + a typo
                return self._province_match(weakest.code, weakest.confidence, "fuzzy", raw)
            return self._province_match(
                weakest.code, min(0.9, weakest.confidence), "contained", raw
            )
        fuzzy = self._province_fuzzy(name)
        if fuzzy:
            return self._province_match(fuzzy[0], fuzzy[1], fuzzy[2], raw)
        inside = [m for m in self.find_provinces_in(name, include_district_names=True)]
        if len({m.code for m in inside}) == 1:
            return self._province_match(inside[0].code, 0.8, "in_district_name", raw)
        logger.debug("no province for %r", raw)
        return None

    def _province_exact(self, name: str) -> tuple[str, float, str] | None:
        if has_thai(name):
            return self._prov_th.get(th_key(name))
        return self._prov_en.get(en_key(name)) if _has_latin(name) else None

    def _province_abbr(self, name: str) -> str | None:
        """A bare official abbreviation such as ``ชม`` or ``ชม.`` (nothing else in the text)."""
        m = re.fullmatch(r"([ก-ฮ]{2,3})\.?", name.strip())
        return self._prov_abbr.get(m.group(1)) if m else None

    def _province_fuzzy(self, name: str) -> tuple[str, float, str] | None:
        if has_thai(name):
            key, keys, index, method = th_key(name), self._prov_th_keys, self._prov_th, "fuzzy"
        else:
            key, keys, index, method = en_key(name), self._prov_en_keys, self._prov_en, "fuzzy_en"
        best = _best_fuzzy(key, keys, lambda k: index[k][0])
        if best is None:
            return None
        code, score, ambiguous = best
        conf = min(score, FUZZY_MAX) * (_AMBIGUITY_PENALTY if ambiguous else 1)
        return code, conf, method + ("_ambiguous" if ambiguous else "")

    def province_at_start(self, text: str | None) -> Match | None:
        """The province whose name ``text`` starts with, allowing a typo (``ชุมภร ประจำเดือน…``).

        For the words after จังหวัด / จ. in running text, where nothing marks where the
        name ends. An exact name or alias (longest first) gives ``exact``/``alias``;
        otherwise the best fuzzy match of a prefix of about the name's length gives
        ``fuzzy_prefix`` (score >= 0.8; names of 5 letters or fewer must also keep
        their first and last letter), never confident.
        """
        if not text:
            return None
        key = th_key(clean_name(text))[:40]
        if not key:
            return None
        for name_key, code, method in self._scan_names:
            if method == "exact" and key.startswith(name_key):
                return self._province_match(code, 1.0, method, text)
        best: tuple[float, str] | None = None
        for name_key, code, method in self._scan_names:
            if method != "exact" or len(name_key) < 3:
                continue
            for length in (len(name_key) - 1, len(name_key), len(name_key) + 1):
                head = key[:length]
                if len(name_key) <= 5 and (head[:1] != name_key[:1] or head[-1:] != name_key[-1:]):
                    continue
                score = fuzz.ratio(name_key, head) / 100
                if score >= 0.8 and (best is None or score > best[0]):
                    best = (score, code)
        if best is not None:
            return self._province_match(best[1], min(best[0], FUZZY_MAX), "fuzzy_prefix", text)
        for name_key, code, method in self._scan_names:
            if method == "alias" and key.startswith(name_key):
                return self._province_match(code, self._prov_th[name_key][1], method, text)
        return None

    # ---- district resolution
    def _district_match(self, code: str, conf: float, method: str, text: str) -> Match:
        return Match(code, self._districts[code].name_th, round(conf, 3), method, text)

    def _split_trailing_province(self, text: str) -> tuple[str, str | None]:
        """``สันทราย จ.เชียงใหม่`` → (``สันทราย``, ``50``); province None if none is there."""
        s = clean_name(text)
        m = _TRAILING_PROVINCE_RE.search(s)
        if m and m.start() > 0:
            prov = self.resolve_province(m.group("prov"))
            if prov and prov.confident:
                return s[: m.start()].strip(_EDGE_PUNCT), prov.code
        if "," in s and _has_latin(s):  # "San Sai, Chiang Mai"
            head, _, tail = s.rpartition(",")
            prov = self.resolve_province(tail)
            if head.strip() and prov and prov.confident:
                return head.strip(_EDGE_PUNCT), prov.code
        head, _, tail = s.rpartition(" ")  # "จอมทอง กทม.", "สันทราย เชียงใหม่"
        if head.strip(_EDGE_PUNCT) and has_thai(tail):
            prov = self.resolve_province(tail)
            if prov and prov.method in ("exact", "alias"):
                return head.strip(_EDGE_PUNCT), prov.code
        return s, None

    def resolve_district(self, text: str | None, province_code: str | int | None) -> Match | None:
        """Resolve a district name within one province (``อำเภอเมือง`` → its capital).

        With ``province_code=None`` the name is looked up everywhere and returned only
        when that is unambiguous (see :meth:`find_districts_anywhere`).
        """
        if not text or not text.strip():
            return None
        raw = text.strip()
        if province_code is None:
            found = self.find_districts_anywhere(raw)
            return found[0] if len(found) == 1 else None
        pcode = _norm_code(province_code)
        if pcode not in self._provinces:
            logger.warning("resolve_district: unknown province code %r", province_code)
            return None
        whole = strip_district_prefix(raw)
        body, _ = self._split_trailing_province(raw)
        name = strip_district_prefix(body)
        if not name:
            return None
        return (
            self._district_exact(whole, pcode, raw)  # "บ้าน ตาก" is บ้านตาก, not บ้าน + ตาก
            or self._district_exact(name, pcode, raw)
            or self._district_capital(name, pcode, raw)
            or self._district_fuzzy(name, pcode, raw)
        )

    def _district_exact(self, name: str, pcode: str, raw: str) -> Match | None:
        if has_thai(name):
            codes, method = self._dist_th.get(th_key(name), []), "exact"
        else:
            codes, method = self._dist_en.get(en_key(name), []), "exact_en"
        here = [code for code in codes if code[:2] == pcode]
        if len(here) > 1:  # "Bang Sai" is both 1404 บางไทร and 1413 บางซ้าย
            return self._district_match(here[0], 0.5, method + "_ambiguous", raw)
        return self._district_match(here[0], 1.0, method, raw) if here else None

    def _district_capital(self, name: str, pcode: str, raw: str) -> Match | None:
        """``เมือง``, ``เมืองฯ``, ``เมือง<province or alias>``, ``Mueang``, ``Mueang <province>``."""
        capital = self.capital_of(pcode)
        if capital is None:
            return None
        if has_thai(name):
            key = th_key(name)
            if not key.startswith(_CAPITAL_TH):
                return None
            rest = key[len(_CAPITAL_TH) :]
        else:
            key = en_key(name)
            prefix = next((p for p in _CAPITAL_EN if key.startswith(p)), None)
            if prefix is None:
                return None
            rest = key[len(prefix) :]
        if rest:
            prov = self.resolve_province(rest)
            if not (prov and prov.code == pcode and prov.method in ("exact", "exact_en", "alias")):
                return None
        return self._district_match(capital.code, 1.0, "capital", raw)

    def _district_fuzzy(self, name: str, pcode: str, raw: str) -> Match | None:
        if _is_bare_capital(name):
            return None  # "เมือง" where there is no อำเภอเมือง (Bangkok): never ดอนเมือง etc.
        districts = self._by_province.get(pcode, [])
        if has_thai(name):
            key, method = th_key(name), "fuzzy"
            choices = {th_key(d.name_th): d.code for d in districts}
        else:
            key, method = en_key(name), "fuzzy_en"
            choices = {en_key(d.name_en): d.code for d in districts}
        best = _best_fuzzy(key, list(choices), choices.__getitem__)
        if best is None:
            return None
        code, score, ambiguous = best
        conf = min(score, FUZZY_MAX) * (_AMBIGUITY_PENALTY if ambiguous else 1)
        return self._district_match(code, conf, method + ("_ambiguous" if ambiguous else ""), raw)

    def find_districts_anywhere(self, text: str | None) -> list[Match]:
        """Every district that a name (with no province) could be, best first.

        ``เฉลิมพระเกียรติ`` gives five matches and ``จอมทอง`` two; a unique name gives one.
        A trailing ``จังหวัด…``/``จ.…`` restricts the search to that province.
        ``อำเภอเมือง`` alone gives nothing (it needs the province).
        """
        if not text or not text.strip():
            return []
        raw = text.strip()
        whole = strip_district_prefix(raw)
        if whole and self._exact_anywhere(whole):
            return self._exact_anywhere(whole, raw)
        body, pcode = self._split_trailing_province(raw)
        if pcode:
            m = self.resolve_district(body, pcode)
            return [m] if m else []
        name = strip_district_prefix(body)
        if not name:
            return []
        thai = has_thai(name)
        key = th_key(name) if thai else en_key(name)
        capital = self._capital_anywhere(name, raw)
        if capital:
            return [capital]
        if _is_bare_capital(name):
            return []  # อำเภอเมือง of which province? The caller must give one.
        return self._districts_fuzzy_anywhere(key, thai, raw)

    def _exact_anywhere(self, name: str, raw: str = "") -> list[Match]:
        """Every district whose Thai (or, for Latin text, English) name is exactly ``name``."""
        thai = has_thai(name)
        codes = (self._dist_th if thai else self._dist_en).get(
            th_key(name) if thai else en_key(name)
        )
        method = "exact" if thai else "exact_en"
        return [self._district_match(c, 1.0, method, raw) for c in sorted(set(codes or []))]

    def _capital_anywhere(self, name: str, raw: str) -> Match | None:
        key = th_key(name) if has_thai(name) else en_key(name)
        prefix = (
            _CAPITAL_TH
            if has_thai(name)
            else next((p for p in _CAPITAL_EN if key.startswith(p)), None)
        )
        if not prefix or not key.startswith(prefix) or key == prefix:
            return None
        prov = self.resolve_province(key[len(prefix) :])
        if prov and prov.method in ("exact", "exact_en", "alias"):
            return self._district_capital(name, prov.code, raw)
        return None

    def _districts_fuzzy_anywhere(self, key: str, thai: bool, raw: str) -> list[Match]:
        index = self._dist_th if thai else self._dist_en
        keys = self._dist_th_keys if thai else self._dist_en_keys
        results = process.extract(
            key, keys, scorer=fuzz.ratio, limit=8, score_cutoff=FUZZY_CUTOFF * 100
        )
        if not results:
            return []
        top = results[0][1]
        method = "fuzzy" if thai else "fuzzy_en"
        out: list[Match] = []
        for choice, score, _ in results:
            if score < top - 0.01:
                break
            conf = min(score / 100, FUZZY_MAX)
            out.extend(self._district_match(c, conf, method, raw) for c in index[choice])
        if len(out) > 1:
            out = [dataclasses.replace(m, method=m.method + "_ambiguous") for m in out]
        return sorted(out, key=lambda m: m.code)

    # ---- free-text scanning
    @functools.cached_property
    def _scan_names(self) -> list[tuple[str, str, str]]:
        """(thai key, province code, method) for every name and alias, longest first."""
        names = [(k, v[0], v[2]) for k, v in self._prov_th.items()]
        return sorted(names, key=lambda t: -len(t[0]))

    @functools.cached_property
    def _district_names_with_province_inside(self) -> list[str]:
        """Thai keys of districts whose name contains a province name/alias (เมืองตาก, ตากใบ…)."""
        keys = {k for k, _, _ in self._scan_names}
        out = []
        for dkey in self._dist_th:
            if any(k in dkey and k != dkey for k in keys):
                out.append(dkey)
        return out

    def _english_mentions(self, text: str) -> list[tuple[int, Match]]:
        """English province names in text: up to 5 adjacent Latin words, longest first.

        Words may be joined by a space or hyphen, so ``Phang-nga``, ``Lopburi`` and
        ``Nakhon Si Thammarat`` are all found.
        """
        words = list(re.finditer(r"[A-Za-z]+", text))
        out: list[tuple[int, Match]] = []
        i = 0
        while i < len(words):
            hit = None
            if not words[i].group(0)[0].isupper():  # "nan", "tak" in running English
                i += 1
                continue
            for n in range(min(5, len(words) - i), 0, -1):
                group = words[i : i + n]
                gaps = (text[a.end() : b.start()] for a, b in zip(group, group[1:], strict=False))
                if any(not re.fullmatch(r"[ \t\-]{1,2}", g) for g in gaps):
                    continue
                entry = self._prov_en.get(en_key("".join(w.group(0) for w in group)))
                if entry:
                    hit = (n, entry[0], text[group[0].start() : group[-1].end()])
                    break
            if hit:
                n, code, matched = hit
                out.append((words[i].start(), self._province_match(code, 0.9, "en", matched)))
                i += n
            else:
                i += 1
        return out

    def find_provinces_in(
        self, text: str | None, include_district_names: bool = False
    ) -> list[Match]:
        """All province mentions in free text, in order of appearance (one Match per mention).

        Longest name wins (พระนครศรีอยุธยา, not อยุธยา); ``เมือง`` alone is never a
        province; a province name inside a district name (``เมืองเชียงใหม่``,
        ``ตากใบ``) is skipped unless ``include_district_names`` (then method
        ``in_district_name``, confidence 0.8). Names after จังหวัด/จ./ปค.จ. get
        method ``prefixed`` (1.0), others ``bare`` (0.9); :data:`COMMON_WORD_PROVINCES`
        are only reported when prefixed or standing alone between spaces
        (``bare_common_word``, 0.8). English names are found too (``en``, 0.9).
        """
        if not text:
            return []
        compact, index = _compact(text)
        spans = _longest_spans(compact, self._scan_names)
        inside = _spans_inside(compact, self._district_names_with_province_inside, spans)
        out: list[tuple[int, Match]] = []
        for span in spans:
            start, end = _original_span(text, compact, index, span)
            matched = text[start:end]
            prefixed = _is_prefixed(compact, span.start)
            if span in inside:
                if not include_district_names:
                    continue
                conf, method = 0.8, "in_district_name"
            elif prefixed:
                conf, method = 1.0, "prefixed"
            elif compact[span.start : span.end] in COMMON_WORD_PROVINCES:
                if not _stands_alone(text, start, end):
                    continue
                conf, method = 0.8, "bare_common_word"
            else:
                conf, method = (0.9, "bare")
            continues = end < len(text) and text[end] != "ฯ" and has_thai(text[end])
            if span.method == "alias" and method in ("prefixed", "bare") and continues:
                longer = self.province_at_start(compact[span.start : span.start + 40])
                if longer and longer.method == "fuzzy_prefix" and longer.code == span.code:
                    # "สุราษฎร์ธานนี": the alias starts a misspelt full name; say so
                    conf, method = longer.confidence, "fuzzy_prefix"
                    matched = _word_at(text, start)
            out.append((start, self._province_match(span.code, conf, method, matched)))
        out.extend(self._english_mentions(text))
        return [m for _, m in sorted(out, key=lambda t: t[0])]

    # ---- district scanning (for form answers)
    @functools.cached_property
    def _district_scan_all(self) -> list[tuple[str, str, str]]:
        """(thai key, codes joined by '|', method) for all district names, longest first."""
        names = [(k, "|".join(sorted(v)), "scan") for k, v in self._dist_th.items()]
        return sorted(names, key=lambda t: -len(t[0]))

    def _district_scan_names(self, pcode: str) -> list[tuple[str, str, str]]:
        names = [(th_key(d.name_th), d.code, "scan") for d in self._by_province.get(pcode, [])]
        capital = self.capital_of(pcode)
        if capital is not None:
            names.append((_CAPITAL_TH, capital.code, "capital"))
        return sorted(names, key=lambda t: -len(t[0]))

    def scan_districts(
        self,
        text: str | None,
        province_code: str | int | None = None,
        require_prefix: bool = False,
    ) -> list[Match]:
        """District names found in a piece of text, in order, longest name first.

        With a province only its districts are looked for, and a bare ``เมือง``
        means its capital (method ``capital``). Without one every district is looked
        for, names of fewer than 3 letters only after a prefix, and a name found in
        several provinces gives one Match per province (method ``scan_ambiguous``).
        A name right after จังหวัด/จ. is the province, not a district (1401), and is
        skipped. ``require_prefix`` keeps only names after อำเภอ/อ./เขต/กิ่งอำเภอ.
        Prefixed hits have confidence 1.0, others 0.9.
        """
        if not text:
            return []
        if province_code is not None:
            names = self._district_scan_names(_norm_code(province_code))
        else:
            names = self._district_scan_all
        compact, index = _compact(text)
        out: list[Match] = []
        for span in _longest_spans(compact, names):
            if _is_prefixed(compact, span.start):
                continue  # จังหวัดพระนครศรีอยุธยา: the province
            prefixed = bool(
                _DISTRICT_BEFORE_RE.search(compact[max(0, span.start - 24) : span.start])
            )
            short_anywhere = province_code is None and span.end - span.start < 3
            if (require_prefix or short_anywhere) and not prefixed:
                continue
            start, end = _original_span(text, compact, index, span)
            matched = text[start:end]
            codes = span.code.split("|")
            method = span.method if len(codes) == 1 else "scan_ambiguous"
            conf = 1.0 if prefixed else 0.9
            out.extend(self._district_match(c, conf, method, matched) for c in codes)
        return out


# --------------------------------------------------------------------------- helpers
def _is_bare_capital(name: str) -> bool:
    """``เมือง`` / ``Mueang`` / ``Amphoe Mueang`` with no province name after it."""
    return th_key(name) == _CAPITAL_TH if has_thai(name) else en_key(name) in _CAPITAL_EN


def _best_fuzzy(
    key: str, keys: list[str], code_of: Callable[[str], str]
) -> tuple[str, float, bool] | None:
    """Best rapidfuzz ratio (0..1) and whether a different code scores within the margin."""
    if not key or not keys:
        return None
    results = process.extract(
        key, keys, scorer=fuzz.ratio, limit=5, score_cutoff=FUZZY_CUTOFF * 100
    )
    if not results:
        return None
    best_key, best_score, _ = results[0]
    code = code_of(best_key)
    ambiguous = any(
        code_of(k) != code and best_score - s <= _AMBIGUITY_MARGIN for k, s, _ in results[1:]
    )
    return code, best_score / 100, ambiguous


_MARKS = set(
    "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
)


_COMPACT_SKIP_RUN = re.compile(r"[\s\x00\u200b\u200c\u200d\u2060\ufeff\u00adฯ\-‐‑‒–—―−]+")
_COMPACT_FIX = re.compile("\u0e4d\u0e32|เเ|([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\\1+")


def _same_length_fix(m: re.Match[str]) -> str:
    """th_key's repairs, padded with NUL (then skipped) so offsets do not move."""
    s = m.group(0)
    if s == "\u0e4d\u0e32":
        return "\u0e33\x00"
    if s == "เเ":
        return "แ\x00"
    return s[0] + "\x00" * (len(s) - 1)


class _IndexMap:
    """Maps an offset in the compact text back to the original text (bisect over skipped runs)."""

    def __init__(self, kept_before: list[int], skipped_after: list[int]) -> None:
        self._kept_before = kept_before  # kept characters before each skipped run
        self._skipped_after = skipped_after  # characters skipped up to the end of each run

    def __getitem__(self, c: int) -> int:
        i = bisect.bisect_right(self._kept_before, c)
        return c + (self._skipped_after[i - 1] if i else 0)


def _original_span(text: str, compact: str, index: _IndexMap, span: _Span) -> tuple[int, int]:
    """(start, end) in the original text of a span of the compact text, trailing blanks trimmed."""
    start = index[span.start]
    end = index[span.end] if span.end < len(compact) else len(text)
    while end > start + 1 and text[end - 1] in " \t\r\n\x00-‐‑‒–—―−\u200b":
        end -= 1
    return start, end


def _compact(text: str) -> tuple[str, _IndexMap]:
    """Text without spaces or hyphens (as in th_key; PDFs split Thai words), plus an index map.

    Linear and C-speed (regexes only), so a 2 MB attachment is scanned in well under a second.
    """
    fixed = _COMPACT_FIX.sub(_same_length_fix, text)
    kept_before: list[int] = []
    skipped_after: list[int] = []
    total = 0
    for m in _COMPACT_SKIP_RUN.finditer(fixed):
        kept_before.append(m.start() - total)
        total += m.end() - m.start()
        skipped_after.append(total)
    return _COMPACT_SKIP_RUN.sub("", fixed), _IndexMap(kept_before, skipped_after)


def _longest_spans(compact: str, names: list[tuple[str, str, str]]) -> list[_Span]:
    """Non-overlapping occurrences of ``names`` (already longest first), in text order."""
    taken = bytearray(len(compact))
    spans: list[_Span] = []
    for key, code, method in names:
        start = compact.find(key)
        while start != -1:
            end = start + len(key)
            if not any(taken[start:end]) and not _splits_cluster(compact, start, end):
                taken[start:end] = b"\x01" * (end - start)
                spans.append(_Span(start, end, code, method))
            start = compact.find(key, start + 1)
    return sorted(spans, key=lambda s: s.start)


_LEADING_VOWELS = frozenset("เแโใไ")
_FOLLOWING_VOWELS = frozenset("ะาำๅ")


def _splits_cluster(compact: str, start: int, end: int) -> bool:
    """True when a hit cuts a Thai syllable, so it cannot be a whole name.

    That is: it ends before a combining mark or a following vowel (``พล`` in ``พลัง``,
    ``พลา``), or starts right after a leading vowel (``ลอง`` in ``เลอง``). Thai words
    never start with those, so this holds even after spaces were removed.
    """
    if end < len(compact) and (compact[end] in _MARKS or compact[end] in _FOLLOWING_VOWELS):
        return True
    return start > 0 and compact[start - 1] in _LEADING_VOWELS


def _spans_inside(compact: str, district_keys: list[str], spans: list[_Span]) -> set[_Span]:
    """Province spans that lie strictly inside an occurrence of a longer district name."""
    if not spans:
        return set()
    ranges = []
    for dkey in district_keys:
        start = compact.find(dkey)
        while start != -1:
            ranges.append((start, start + len(dkey)))
            start = compact.find(dkey, start + 1)
    return {
        s
        for s in spans
        if any(a <= s.start and s.end <= b and (b - a) > (s.end - s.start) for a, b in ranges)
    }


def _word_at(text: str, start: int) -> str:
    """The whitespace-delimited word of ``text`` that starts at ``start``."""
    m = re.match(r"\S+", text[start:])
    return m.group(0) if m else ""


def _stands_alone(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a whole token: spaces, punctuation or the text's ends around it."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (has_thai(before) and before != "ฯ") and not has_thai(after)


_DISTRICT_BEFORE_RE = re.compile(r"(?:อำเภอ|อ\.|เขต|อ:)[.:：|…_]*$")
_PREFIX_BEFORE_RE = re.compile(r"(?:จังหวัด|จ\.|จ:)[.:：|…_]*$")


def _is_prefixed(compact: str, start: int) -> bool:
    """True when the name follows จังหวัด / จ. / ปค.จ. (blanks and separators allowed between)."""
    return bool(_PREFIX_BEFORE_RE.search(compact[max(0, start - 24) : start]))
