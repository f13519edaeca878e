"""The talent pillar: universities by city and the big-science centres.

Seeds:
- `universities`: one row per higher-education institution in the 2023 list, placed in its
  prefecture city, with 985 / 211 / Double-First-Class flags (2017 first round) and a check
  against the 2021 CHSI list.
- `science_centres`: comprehensive national science centres, big science facilities and counts.

Rules for the university list (the file mixes a few non-institution rows in):
- Rows whose code is a placeholder (`cs…`, `qt`) or a foreign partner (`R…`) are not
  Chinese institutions and are skipped. Branch campuses whose code is the parent's 5-digit
  code plus letters (e.g. `10213w`) are skipped: they share the parent's MoE code.
- A name listed twice is kept once: the row that carries a serial number (序号) wins; the
  unnumbered rows look like later additions and one of them reuses another school's code.
- Rows with no city are skipped (the file gives no way to place them).
- City names go through the city registry. Because the list is a 2023 list, a prefecture
  abolished before 2023 is replaced by the unit that absorbed it (`MERGED_BEFORE_2023`). In a
  municipality every institution belongs to the municipality. A county-level city is placed
  in its prefecture using the official division list (admin_codes_modood/areas.csv); county-level
  cities administered directly by a province (e.g. 仙桃, 济源, 石河子) belong to no prefecture
  and keep a blank `city_code` with `city_resolution = province_administered`.
- Where the listed province differs from the city's province (a school run by one province but
  located in another, e.g. in Tianjin but run by Hebei), `province_code` is where the school is
  and `listed_province_code` keeps the province in the list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .errors import IngestError
from .national import CURATED_DIR, MUNICIPALITY_CODES, province_code_for
from .policy import (check_partial_date, normalise_source_type, normalise_verification, parse_qualified,
                     record_id_of, resolve_place)
from .readers import ROW, read_csv, read_excel, read_text

MOE_DIR = "universities_moe2023_zhiyin121"
CHSI_DIR = "china_universities_xuexin_2021"
ADMIN_DIR = "admin_codes_modood"
LIST_YEAR = 2023

SRC_MOE_LIST = "universities_moe2023_zhiyin121.China_uni_2023"
SRC_TOP_UNI = "universities_moe2023_zhiyin121.top_uni"
SRC_CHSI = "china_universities_xuexin_2021.china_mainland_universities"
SRC_SCIENCE_CENTRES = "curated_facts.science_centres"


# Prefectures abolished before the 2023 list -> the prefecture that absorbed them.
MERGED_BEFORE_2023 = {"莱芜市": "济南市", "莱芜": "济南"}

UNIVERSITY_COLUMNS = [
    "institution_code", "name_zh", "level", "city_code", "city_resolution", "city_name_as_listed",
    "province_code", "listed_province_code", "is_985", "is_211", "is_double_first_class",
    "double_first_class_category", "in_chsi_2021_list", "list_year", "flag_round_year", "source_id",
]
FLAG_ROUND_YEAR = 2017  # Double-First-Class round the flags come from

_LEVELS = {"本科": "undergraduate", "专科": "vocational"}
_DFC_CATEGORIES = {"A": "university_class_a", "B": "university_class_b", "一流学科": "discipline"}


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _name_key(name: str) -> str:
    """Names compared across files: no spaces, ASCII parentheses."""
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


def _clean_name(name: str) -> str:
    # stray spaces inside a Chinese name are typing artefacts; English names keep theirs
    return re.sub(r"\s+", "", name) if re.search(r"[\u3400-\u9fff]", name) else name.strip()


def _code_kind(code: str, path, line) -> str:
    if re.fullmatch(r"\d+", code):
        return "institution"
    if re.fullmatch(r"\d{5}[A-Za-z]+", code):
        return "branch_campus"
    if re.fullmatch(r"cs\d+|qt", code):
        return "placeholder"
    if re.fullmatch(r"R\d+", code):
        return "foreign"
    raise IngestError(path, f"unrecognised institution code {code!r}", row=line, column="学校代码",
                      expected="digits (MoE code), or a known non-institution marker")


def _county_parents(raw_dir: Path) -> dict[tuple[str, str], str]:
    """(county-level name, province 2-digit) -> the 4-digit parent code from the official list."""
    path = raw_dir / ADMIN_DIR / "areas.csv"
    frame = read_csv(path, ["name", "cityCode", "provinceCode"])
    return {(r["name"].strip(), r["provinceCode"].strip()): r["cityCode"].strip() for r in frame.to_dict("records")}


def _place_university(city: str, province_code: str, registry, parents, path, line) -> tuple[str, str]:
    """(city_code, city_resolution) for a city label from the 2023 list."""
    if province_code in MUNICIPALITY_CODES:
        return registry.code_for(province_code[:2] + "0100", file=path, row=line, column="所属城市"), "municipality"
    name = MERGED_BEFORE_2023.get(city, city)
    code = registry.try_code_for(name, year=LIST_YEAR, province=province_code)
    if code:
        return code, "registry" if name == city else "merged_prefecture"
    parent = parents.get((city, province_code[:2]))
    if parent is not None:
        if parent.endswith("90"):
            return "", "province_administered"
        return registry.code_for(parent + "00", file=path, row=line, column="所属城市"), "county_level_city"
    # Not in the listed province: the school may sit in another province (run from elsewhere).
    code = registry.try_code_for(name, year=LIST_YEAR)
    if code:
        return code, "other_province"
    return registry.code_for(name, year=LIST_YEAR, province=province_code, file=path, row=line, column="所属城市"), ""


def _top_universities(raw_dir: Path) -> dict[str, dict]:
    path = raw_dir / MOE_DIR / "top_uni.xlsx"
    frame = read_excel(path, "Sheet1", ["学校代码", "学校名称", "211", "985", "一流学校"])
    flags = {}
    for r in frame.to_dict("records"):
        line = r[ROW]
        code = _text(r["学校代码"])
        if not re.fullmatch(r"\d{5}", code):
            raise IngestError(path, f"not a 5-digit MoE code {code!r}", row=line, column="学校代码", expected="5 digits")
        marks = {}
        for column in ("211", "985"):
            value = _text(r[column])
            if value not in ("0", "1"):
                raise IngestError(path, f"flag {value!r}", row=line, column=column, expected="0 or 1")
            marks[column] = value == "1"
        category = _text(r["一流学校"])
        if category and category not in _DFC_CATEGORIES:
            raise IngestError(path, f"unknown Double-First-Class category {category!r}", row=line, column="一流学校",
                              expected=f"one of {list(_DFC_CATEGORIES)} or blank")
        flags[code] = {"is_985": marks["985"], "is_211": marks["211"],
                       "double_first_class_category": _DFC_CATEGORIES.get(category, ""),
                       "is_double_first_class": bool(category), "name": _name_key(_text(r["学校名称"]))}
    return flags


def _chsi_names(raw_dir: Path) -> set[str]:
    path = raw_dir / CHSI_DIR / "china_mainland_universities.json"
    try:
        data = json.loads(read_text(path))
        return {_name_key(n) for block in data.values() for n in block["all"]}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IngestError(path, f"unexpected layout ({exc})", expected='{province: {"all": [names]}}') from None


def universities(raw_dir: Path, registry) -> pd.DataFrame:
    path = raw_dir / MOE_DIR / "China_uni_2023.xlsx"
    frame = read_excel(path, "Sheet1", ["序号", "学校名称", "学校代码", "学校类型", "所属城市", "省/直辖市"])
    top = _top_universities(raw_dir)
    chsi = _chsi_names(raw_dir)
    parents = _county_parents(raw_dir)

    records = []
    for r in frame.to_dict("records"):
        line = r[ROW]
        code = _text(r["学校代码"])
        if _code_kind(code, path, line) != "institution":
            continue
        city = re.sub(r"\s+", "", _text(r["所属城市"]))
        if not city:
            continue  # no city given: cannot be placed (see module docstring)
        records.append({"line": line, "numbered": _text(r["序号"]) != "", "code": code,
                        "name": _clean_name(_text(r["学校名称"])), "level": _text(r["学校类型"]),
                        "city": city, "province": _text(r["省/直辖市"])})

    # one row per name: the numbered row wins over an unnumbered duplicate
    records.sort(key=lambda x: (_name_key(x["name"]), not x["numbered"], x["line"]))
    kept, seen = [], set()
    for record in records:
        key = _name_key(record["name"])
        if key not in seen:
            seen.add(key)
            kept.append(record)

    rows = []
    for record in kept:
        line = record["line"]
        if record["level"] not in _LEVELS:
            raise IngestError(path, f"unknown institution type {record['level']!r}", row=line, column="学校类型",
                              expected=f"one of {list(_LEVELS)}")
        listed_province = province_code_for(record["province"], path, line, "省/直辖市")
        city_code, resolution = _place_university(record["city"], listed_province, registry, parents, path, line)
        province_code = city_code[:2] + "0000" if city_code else listed_province
        flags = top.get(record["code"]) if len(record["code"]) == 5 else None
        if flags and flags["name"] != _name_key(record["name"]):
            raise IngestError(path, f"code {record['code']} is {record['name']!r} here but {flags['name']!r} in top_uni.xlsx",
                              row=line, column="学校名称", expected="the same institution under the same code")
        flags = flags or {"is_985": False, "is_211": False, "is_double_first_class": False,
                          "double_first_class_category": ""}
        rows.append({
            "institution_code": record["code"], "name_zh": record["name"], "level": _LEVELS[record["level"]],
            "city_code": city_code, "city_resolution": resolution, "city_name_as_listed": record["city"],
            "province_code": province_code, "listed_province_code": listed_province,
            "is_985": flags["is_985"], "is_211": flags["is_211"],
            "is_double_first_class": flags["is_double_first_class"],
            "double_first_class_category": flags["double_first_class_category"],
            "in_chsi_2021_list": _name_key(record["name"]) in chsi,
            "list_year": LIST_YEAR, "flag_round_year": FLAG_ROUND_YEAR, "source_id": SRC_MOE_LIST,
        })
    out = pd.DataFrame(rows, columns=UNIVERSITY_COLUMNS)
    duplicated = out[out["institution_code"].duplicated(keep=False)]
    if not duplicated.empty:
        raise IngestError(path, f"institution code used by two institutions: {duplicated[['institution_code', 'name_zh']].values.tolist()}",
                          column="学校代码", expected="one institution per code")
    return out.sort_values(["institution_code", "name_zh"], ignore_index=True)


# --------------------------------------------------------------------------- science centres

SCIENCE_CENTRE_COLUMNS = [
    "record_id", "geography_level", "city_code", "item_type", "name_zh", "name_en", "status",
    "approval_date", "date_precision", "approval_year", "as_of", "metric", "value", "source_url",
    "source_type", "verification", "source_id",
]

_ITEM_TYPE_RULES = [
    (r"count", "big_science_facility_count"),
    (r"\bbid\b", "science_centre_bid"),
    (r"big science facility", "big_science_facility"),
    (r"comprehensive.*innovation centre", "science_and_innovation_centre"),
    (r"comprehensive national science centre", "comprehensive_science_centre"),
    (r"innovation centre", "innovation_centre"),
]
_STATUS_RULES = [(r"^approved", "approved"), (r"^operating", "operating"),
                 (r"^under construction", "under_construction"), (r"^planned", "planned")]


def _rule(text, rules, path, line, column):
    for pattern, code in rules:
        if re.search(pattern, text, flags=re.IGNORECASE):
            return code
    raise IngestError(path, f"unrecognised {column} {text!r}", row=line, column=column,
                      expected=f"text matching one of {[p for p, _ in rules]}")


def _split_name(name: str) -> tuple[str, str]:
    """'稳态强磁场实验装置 (Steady High Magnetic Field Facility)' -> Chinese and English parts.
    An English-only label is the English name; a parenthesis in Chinese stays out of both."""
    text = name.strip()
    m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", text)
    head, paren = (m.group(1), m.group(2)) if m else (text, "")
    if not re.search(r"[\u3400-\u9fff]", head):
        return "", head
    english = paren.split(",")[0].strip() if paren and not re.search(r"[\u3400-\u9fff:]", paren) else ""
    return head, english


def science_centres(raw_dir: Path, registry) -> pd.DataFrame:
    path = raw_dir / CURATED_DIR / "science_centres.csv"
    frame = read_csv(path, ["record_id", "city", "item_type", "name", "status", "date", "metric", "value",
                            "source_url", "source_type", "verification"])
    rows = []
    for r in frame.to_dict("records"):
        line = r[ROW]
        place = r["city"].strip()
        if place == "(national)":
            level, city_code = "national", ""
        elif ";" in place:
            level, city_code = "multi_city", ""
        else:
            city_code, level = resolve_place(place, registry, path, line, "city")

        item_type = _rule(r["item_type"], _ITEM_TYPE_RULES, path, line, "item_type")
        status_text = r["status"].strip()
        status = _rule(status_text, _STATUS_RULES, path, line, "status") if status_text else ""

        # the date: YYYY[-MM[-DD]] optionally followed by a remark; for counts it is the as-of date
        date_cell = r["date"].strip()
        date = ""
        if date_cell:
            m = re.fullmatch(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\s+\(.*\))?", date_cell)
            if not m:
                raise IngestError(path, f"not a date {date_cell!r}", row=line, column="date",
                                  expected="YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by a remark")
            date = m.group(1)
        elif m := re.match(r"approved (\d{4}-\d{2}-\d{2})", status_text):
            date = m.group(1)  # approval date written in the status cell
        year, precision = check_partial_date(date, path, line, "date") if date else (None, "")
        is_count = item_type == "big_science_facility_count"

        metric_cell, value_cell = r["metric"].strip(), r["value"].strip()
        metric, value = "", None
        if metric_cell == "count":
            metric = "facility_count"
            value, qualifier = parse_qualified(value_cell, path, line, "value")
            if qualifier not in ("", "exact"):
                raise IngestError(path, f"qualified count {value_cell!r}", row=line, column="value", expected="a whole number")
        elif metric_cell == "records":
            # a record as found: '<magnitude> for <seconds> s (<date>)'; the duration is the figure kept
            m = re.search(r"for (\d+(?:\.\d+)?) s\b", value_cell)
            if not m:
                raise IngestError(path, f"record without a duration {value_cell!r}", row=line, column="value",
                                  expected="'... for <seconds> s (YYYY-MM-DD)'")
            metric, value = "record_plasma_duration_s", float(m.group(1))
        elif metric_cell or value_cell:
            raise IngestError(path, f"unknown metric {metric_cell!r}", row=line, column="metric",
                              expected="count, records or blank")

        name_zh, name_en = _split_name(r["name"])
        source_url = r["source_url"].strip()
        if not re.match(r"^https?://\S+$", source_url):
            raise IngestError(path, f"not a web address {source_url!r}", row=line, column="source_url", expected="an http(s) URL")
        rows.append({
            "record_id": record_id_of(r, path, line), "geography_level": level, "city_code": city_code,
            "item_type": item_type, "name_zh": name_zh, "name_en": name_en, "status": status,
            "approval_date": "" if is_count else date, "date_precision": "" if is_count else precision,
            "approval_year": None if is_count else year, "as_of": date if is_count else "",
            "metric": metric, "value": value, "source_url": source_url,
            "source_type": normalise_source_type(r["source_type"], path, line),
            "verification": normalise_verification(r["verification"], path, line),
            "source_id": SRC_SCIENCE_CENTRES,
        })
    out = pd.DataFrame(rows, columns=SCIENCE_CENTRE_COLUMNS)
    out["approval_year"] = pd.array([None if pd.isna(v) else int(v) for v in out["approval_year"]], dtype="Int64")
    out["value"] = out["value"].astype("float64")
    if out["record_id"].duplicated().any():
        raise IngestError(path, "duplicate record_id", column="record_id", expected="unique ids")
    return out.sort_values("record_id", ignore_index=True)


def build(raw_dir: Path, registry) -> dict[str, pd.DataFrame]:
    raw_dir = Path(raw_dir)
    return {"universities": universities(raw_dir, registry), "science_centres": science_centres(raw_dir, registry)}
