"""Find a city from what a person types: its code, its Chinese name, or pinyin/English.

"340100", "合肥", "合肥市", "Hefei", "hefei", "Huai'an", "huaian" and "Yanbian" all work. Former
names of renamed units resolve to the unit today. Ambiguous or unknown input is an error that
lists what was meant, never a silent guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import duckdb

# Endings that name the kind of unit, not the place (市 city, 地区 prefecture, 盟 league, 自治州).
_ZH_SUFFIXES = ("自治州", "地区", "市", "盟")
_EN_SUFFIXES = ("city", "shi", "league", "region", "prefecture", "autonomousprefecture")


class CityNotFound(LookupError):
    pass


@dataclass(frozen=True)
class City:
    code: str
    name_en: str
    name_zh: str
    is_current: bool

    def label(self) -> str:
        return f"{self.name_en} {self.name_zh} ({self.code})"


def _plain(text: str) -> str:
    """Lower case ASCII letters and digits only: 'Huai'an City' -> 'huaiancity'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _zh_stem(text: str) -> str:
    text = text.strip()
    for suffix in _ZH_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def _en_stem(text: str) -> str:
    plain = _plain(text)
    for suffix in _EN_SUFFIXES:
        if plain.endswith(suffix) and len(plain) > len(suffix) + 2:
            return plain[: -len(suffix)]
    return plain


def load_cities(con: duckdb.DuckDBPyConnection) -> list[tuple[City, list[str]]]:
    """Every city in marts.dim_city with its former Chinese names."""
    rows = con.execute(
        "select city_code, name_en, name_zh, valid_to_year is null, former_names_zh "
        "from marts.dim_city order by city_code"
    ).fetchall()
    return [
        (City(code, name_en or "", name_zh or "", bool(current)), [n for n in (former or "").split("|") if n])
        for code, name_en, name_zh, current, former in rows
    ]


def resolve(con: duckdb.DuckDBPyConnection, text: str) -> City:
    """The one city `text` names; raises CityNotFound with a one-line explanation otherwise."""
    query = text.strip()
    if not query:
        raise CityNotFound("empty city name")
    cities = load_cities(con)
    matchers = [
        lambda c, former: query == c.code,
        lambda c, former: _zh_stem(query) in {_zh_stem(c.name_zh)} | {_zh_stem(n) for n in former},
        lambda c, former: _en_stem(query) == _en_stem(c.name_en) or _plain(query) == _plain(c.name_en),
        lambda c, former: len(_plain(query)) >= 3 and _plain(c.name_en).startswith(_plain(query)),
    ]
    for matches in matchers:
        found = [city for city, former in cities if matches(city, former)]
        if len(found) > 1:
            # A name shared by an abolished unit and a current one means the current one.
            current = [c for c in found if c.is_current]
            found = current if len(current) == 1 else found
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            options = ", ".join(c.label() for c in found[:6])
            raise CityNotFound(f"'{text}' matches several cities: {options}; use the code")
    raise CityNotFound(f"no city called '{text}' (try its 6-digit code, Chinese name or pinyin)")
