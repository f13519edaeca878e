"""Find a city from what a person types: its code, its Chinese name, or pinyin/English.

"340100", "合肥", "合肥市", "Hefei", "hefei", "Huai'an", "huaian", "Yanbian", "huhehaote"
(full pinyin of the Chinese name, from pypinyin), "lüliang"/"lvliang" and a province-qualified
name ("Suzhou, Jiangsu", "苏州, 江苏", "江苏苏州") all work. Former names of renamed units
resolve to the unit today. The lookup never guesses: a name several cities share is an error
that lists them all (with their provinces), and an unknown name is an error too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import duckdb

# Endings that name the kind of unit, not the place (市 city, 地区 prefecture, 盟 league, 自治州).
_ZH_SUFFIXES = ("自治州", "地区", "市", "盟")
_ZH_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_EN_SUFFIXES = ("city", "shi", "league", "region", "prefecture", "autonomousprefecture")
_EN_PROVINCE_SUFFIXES = ("province", "sheng", "autonomousregion", "municipality")


class CityNotFound(LookupError):
    pass


@dataclass(frozen=True)
class City:
    code: str
    name_en: str
    name_zh: str
    is_current: bool
    province_en: str = ""
    province_zh: str = ""

    def label(self) -> str:
        province = f", {self.province_en}" if self.province_en else ""
        return f"{self.name_en} {self.name_zh} ({self.code}{province})"


@dataclass
class _Entry:
    city: City
    zh: set[str] = field(default_factory=set)      # Chinese names without their unit ending
    latin: set[str] = field(default_factory=set)   # English names and pinyin, folded to a-z0-9
    province: set[str] = field(default_factory=set)


def _plain(text: str) -> str:
    """Lower case ASCII letters and digits only: 'Huai'an City' -> 'huaiancity', 'lü' -> 'lu'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _latin_forms(text: str) -> set[str]:
    """'lüliang' is typed as 'luliang' or, on keyboards without ü, 'lvliang'."""
    return {_plain(text), _plain(text.lower().replace("ü", "v").replace("u:", "v"))} - {""}


def _strip_suffix(text: str, suffixes: tuple[str, ...], keep: int) -> str:
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix) + keep:
            return text[: -len(suffix)]
    return text


def _zh_stem(text: str) -> str:
    return _strip_suffix(text.strip(), _ZH_SUFFIXES, 1)


def _pinyin(zh: str) -> set[str]:
    """Full pinyin of a Chinese name, with ü written both as 'v' and as 'u'."""
    return set(_pinyin_spellings(zh))


@functools.lru_cache(maxsize=4096)
def _pinyin_spellings(zh: str) -> tuple[str, ...]:
    # kept: a long-running process (a notebook, the test suite) looks up the same names again
    if not zh or not re.search(r"[\u4e00-\u9fff]", zh):
        return ()
    # Imported here: loading its dictionaries takes about 0.16 s, which every command paid
    # at its start (the build before it started dbt); only a lookup by name needs it (in a
    # build, the report's city search, written after dbt).
    from pypinyin import lazy_pinyin

    spelled = "".join(lazy_pinyin(zh))  # pypinyin writes ü as 'v' by default
    return (spelled, spelled.replace("v", "u"))


def _latin_keys(name_en: str, name_zh: str) -> set[str]:
    keys = set()
    for plain in _latin_forms(name_en):
        keys |= {plain, _strip_suffix(plain, _EN_SUFFIXES, 2)}
    return keys | _pinyin(_zh_stem(name_zh))


def _province_keys(name_en: str, name_zh: str) -> set[str]:
    zh = _strip_suffix((name_zh or "").strip(), _ZH_PROVINCE_SUFFIXES, 1)
    keys = {zh} if zh else set()
    for plain in _latin_forms(name_en or ""):
        keys |= {plain, _strip_suffix(plain, _EN_PROVINCE_SUFFIXES, 2)}
    return (keys | _pinyin(zh)) - {""}


def load_cities(con: duckdb.DuckDBPyConnection, code: str | None = None) -> list[_Entry]:
    """Every city in marts.dim_city (or the one with this code) with its names, former Chinese
    names and province."""
    columns = {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = 'dim_city'"
    ).fetchall()}
    province = ("province_name_en, province_name_zh" if {"province_name_en", "province_name_zh"} <= columns
                else "null, null")
    rows = con.execute(
        f"select city_code, name_en, name_zh, valid_to_year is null, former_names_zh, {province} "
        "from marts.dim_city where ? is null or city_code = ? order by city_code", [code, code]
    ).fetchall()
    entries = []
    for code, name_en, name_zh, current, former, province_en, province_zh in rows:
        city = City(code, name_en or "", name_zh or "", bool(current), province_en or "", province_zh or "")
        names_zh = [city.name_zh] + [n for n in (former or "").split("|") if n]
        entry = _Entry(city, zh={_zh_stem(n) for n in names_zh if n},
                       latin=_latin_keys(city.name_en, city.name_zh),
                       province=_province_keys(city.province_en, city.province_zh))
        for former_name in names_zh[1:]:
            entry.latin |= _pinyin(_zh_stem(former_name))
        entries.append(entry)
    return entries


def _split_province(query: str, entries: list[_Entry]) -> tuple[str, str | None]:
    """'Suzhou, Jiangsu' -> ('Suzhou', 'Jiangsu'); '江苏苏州' -> ('苏州', '江苏'); else (query, None)."""
    parts = [p.strip() for p in re.split(r"[,，、/]", query) if p.strip()]
    if len(parts) == 2:
        return parts[0], parts[1]
    if re.fullmatch(r"[\u4e00-\u9fff]+", query):
        for entry in entries:
            for key in entry.province:
                if re.fullmatch(r"[\u4e00-\u9fff]+", key):
                    for prefix in (entry.city.province_zh, key):
                        if prefix and query.startswith(prefix) and len(query) > len(prefix) + 1:
                            return query[len(prefix):], prefix
    return query, None


def _matches(entry: _Entry, name: str) -> bool:
    typed = _latin_forms(name)
    typed |= {_strip_suffix(t, _EN_SUFFIXES, 2) for t in typed}
    return _zh_stem(name) in entry.zh or name == entry.city.code or bool(typed & entry.latin)


def _in_province(entry: _Entry, province: str) -> bool:
    stem = _strip_suffix(province, _ZH_PROVINCE_SUFFIXES, 1)
    keys = {stem} | {_strip_suffix(p, _EN_PROVINCE_SUFFIXES, 2) for p in _latin_forms(province)} | _latin_forms(province)
    return bool(keys & entry.province)


def resolve(con: duckdb.DuckDBPyConnection, text: str) -> City:
    """The one city `text` names; raises CityNotFound with a one-line explanation otherwise."""
    # NFKC: full-width digits and punctuation from a Chinese keyboard (３４０２００, 苏州，江苏)
    # read as their ASCII forms; Chinese characters are unchanged.
    query = " ".join(unicodedata.normalize("NFKC", text).split())
    if not query:
        raise CityNotFound("empty city name")
    if re.fullmatch(r"\d{6}", query):
        # A code names at most one city; its row alone is read instead of every city's names.
        exact = load_cities(con, code=query)
        if exact:
            return exact[0].city
    entries = load_cities(con)
    name, province = _split_province(query, entries)
    candidates = [e for e in entries if _in_province(e, province)] if province else entries
    if province and not candidates:
        raise CityNotFound(f"no province called '{province}' (in '{text}')")
    found = [e.city for e in candidates if _matches(e, name)]
    if not found and len(_plain(name)) >= 3:
        # A unique beginning of an English or pinyin name ("huhe", "urumq"), never a pick among several.
        typed = _latin_forms(name)
        found = [e.city for e in candidates if any(k.startswith(t) for k in e.latin for t in typed)]
    if len(found) > 1:
        # A name shared by an abolished unit and a current one means the current one.
        current = [c for c in found if c.is_current]
        found = current if len(current) == 1 else found
    if len(found) == 1:
        return found[0]
    if found:
        options = "; ".join(c.label() for c in found[:8])
        example = next((c for c in found if c.province_en), None)
        hint = f"add the province (e.g. '{name}, {example.province_en}') or use the code" if example else "use the code"
        raise CityNotFound(f"'{text}' matches {len(found)} cities: {options}; {hint}")
    raise CityNotFound(f"no city called '{text}' (try its 6-digit code, Chinese name or pinyin)")
