"""State capital and policy facts from the hand-curated files in `curated_facts/`.

Seeds: `state_investments` (successes and failed bets), `guidance_funds`, `chain_boss_adoption`
and `hefei_claims`.

The curated files mix figures with explanations. Figures, dates, names and URLs carry over;
explanations do not: free-text columns (`source_quote`, `notes`, `outcome_detail`, ...) are
dropped, and category-like prose is reduced to short codes by the written rules below. A
cell that fits none of the rules stops the ingest with its file, row and column.

Place names in these files are English (`Hefei`, `Xi'an`, `Huai'an`). `PLACE_NAMES_EN` turns
them into Chinese names the city registry knows; county-level places are mapped to the
prefecture that contains them, and the row keeps `geography_level` so that is visible.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .errors import IngestError
from .national import CURATED_DIR, province_code_for
from .readers import ROW, read_csv

# --------------------------------------------------------------------------- sources


SRC_STATE_INVESTMENTS = "curated_facts.state_investments"
SRC_GUIDANCE_FUNDS = "curated_facts.guidance_funds"
SRC_CHAIN_BOSS = "curated_facts.chain_boss_adoption"
SRC_HEFEI_CLAIMS = "curated_facts.hefei_headline_figures"


# --------------------------------------------------------------------------- places

# English place name -> (Chinese name the city registry resolves, geography level).
# County-level places point at the prefecture that contains them.
PLACE_NAMES_EN: dict[str, tuple[str, str]] = {
    "Beijing": ("北京", "city"), "Shanghai": ("上海", "city"), "Chongqing": ("重庆", "city"),
    "Hefei": ("合肥", "city"), "Wuhu": ("芜湖", "city"), "Wuhan": ("武汉", "city"),
    "Xianning": ("咸宁", "city"), "Chengdu": ("成都", "city"), "Luzhou": ("泸州", "city"),
    "Nanjing": ("南京", "city"), "Huai'an": ("淮安", "city"), "Guiyang": ("贵阳", "city"),
    "Changsha": ("长沙", "city"), "Xiangtan": ("湘潭", "city"), "Guangzhou": ("广州", "city"),
    "Shenzhen": ("深圳", "city"), "Xi'an": ("西安", "city"), "Zhengzhou": ("郑州", "city"),
    "Weifang": ("潍坊", "city"),
    "Jinjiang": ("泉州", "county_level_city"),   # 晋江市, Quanzhou
    "Rugao": ("南通", "county_level_city"),      # 如皋市, Nantong
    "Xuyi": ("淮安", "county"),                  # 盱眙县, Huai'an
}


def _strip_comment(text: str) -> str:
    """'Hefei (Chaohu ETDZ)' -> 'Hefei': a trailing parenthesis only narrows the place."""
    return re.sub(r"\s*\(.*\)\s*$", "", text).strip()


def resolve_place(name: str, registry, file: Path, row: int, column: str,
                  province: str | None = None) -> tuple[str, str]:
    """(city_code, geography_level) for an English place name."""
    key = _strip_comment(name)
    if key not in PLACE_NAMES_EN:
        raise IngestError(file, f"unknown place {name!r}", row=row, column=column,
                          expected=f"a place listed in policy.PLACE_NAMES_EN ({', '.join(sorted(PLACE_NAMES_EN))})")
    name_zh, level = PLACE_NAMES_EN[key]
    code = registry.code_for(name_zh, province=province, file=file, row=row, column=column)
    return code, level


_CJK = re.compile(r"[\u3400-\u9fff]")


def drop_remark(text: str) -> str:
    """Drop a trailing parenthesis written in English (an explanation, e.g. 'NIO China (NIO Inc.
    core business)'); a parenthesis holding a Chinese name is part of the name and stays."""
    value = text.strip()
    m = re.fullmatch(r"(.*\S)\s*\(([^()]*)\)", value)
    if m and not _CJK.search(m.group(2)):
        return m.group(1).strip()
    return value


def province_of(city_code: str) -> str:
    return city_code[:2] + "0000"


# --------------------------------------------------------------------------- shared normalisers

def _first_rule(text: str, rules: list[tuple[str, str]], file, row, column, what: str) -> str:
    """Return the code of the first rule whose regex matches (case-insensitive)."""
    for pattern, code in rules:
        if re.search(pattern, text, flags=re.IGNORECASE):
            return code
    raise IngestError(file, f"unrecognised {what} {text!r}", row=row, column=column,
                      expected=f"text matching one of {[p for p, _ in rules]}")


# PROVENANCE grades: verified = two or more independent copies or an official source.
_VERIFICATION_RULES = [
    (r"^verified", "verified"), (r"^two\b", "verified"), (r"^official", "verified"),
    (r"^single", "single_source"), (r"^uncertain", "uncertain"), (r"not found", "not_found"),
    (r"verified.*single|single.*verified", "partly_verified"),
]


def normalise_verification(text: str, file, row, column="verification") -> str:
    return "" if not text.strip() else _first_rule(text.strip(), _VERIFICATION_RULES, file, row, column, "verification")


# primary = official or company text; secondary = news; tertiary = blog, wiki, aggregator;
# research = published research; mirror = a copy of news or official text on an unrelated host.
_SOURCE_TYPE_RULES = [
    (r"tertiary", "tertiary"),
    (r"^(mirror|reprint|secondary mirror)", "mirror"),
    (r"^(primary|official)", "primary"),
    (r"peer-reviewed|research|journal", "research"),
    (r"^secondary|news|press|newspaper|promo site|official city site|official district site", "secondary"),
]


def normalise_source_type(text: str, file, row, column="source_type") -> str:
    return "" if not text.strip() else _first_rule(text.strip(), _SOURCE_TYPE_RULES, file, row, column, "source type")


# A number as the curated files write it: an optional qualifier, the number, then optional words.
_QUALIFIED = re.compile(r"^(?P<q>up to |>=|<=|>|<|~)?\s*(?P<n>\d+(?:\.\d+)?)(?P<plus>\+)?(?P<rest>\s.*)?$")
_QUALIFIER_CODES = {None: "exact", "": "exact", ">": "lower_bound", ">=": "lower_bound",
                    "<": "upper_bound", "<=": "upper_bound", "~": "approximate", "up to ": "upper_bound"}


def parse_qualified(text: str, file, row, column) -> tuple[float | None, str]:
    """'~10+' -> (10.0, 'approximate_lower_bound'); '>1800' -> (1800.0, 'lower_bound');
    '' -> (None, ''). Words after the number must be separated by a space and are dropped."""
    value = text.strip()
    if value == "":
        return None, ""
    match = _QUALIFIED.match(value)
    if not match and _QUALIFIED.match(value.lstrip("-\u2212 ")):
        raise IngestError(file, f"negative number {value!r}", row=row, column=column,
                          expected="an amount, count or share of zero or more")
    if not match:
        raise IngestError(file, f"not a number {value!r}", row=row, column=column,
                          expected="a number, optionally preceded by >, >=, <, ~ or 'up to'")
    qualifier = _QUALIFIER_CODES[match.group("q")]
    if match.group("plus"):
        qualifier = "approximate_lower_bound" if qualifier == "approximate" else "lower_bound"
    return float(match.group("n")), qualifier


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_partial_date(text: str, file, row, column) -> tuple[int, str]:
    """Validate YYYY, YYYY-MM or YYYY-MM-DD; return (year, precision)."""
    match = _ISO_DATE.match(text)
    if not match:
        raise IngestError(file, f"not a date {text!r}", row=row, column=column, expected="YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        pd.Timestamp(year=int(year), month=int(month or 1), day=int(day or 1))
    except ValueError:
        raise IngestError(file, f"impossible date {text!r}", row=row, column=column, expected="a calendar date") from None
    return int(year), "day" if day else "month" if month else "year"


def _year_span(text: str, file, row, column) -> tuple[int | None, int | None]:
    """'2020' -> (2020, 2020); '2008-2009' -> (2008, 2009); '2008-' -> (2008, None);
    'to 2021' / 'to ~2021' -> (None, 2021); '' -> (None, None)."""
    value = text.strip()
    if value == "":
        return None, None
    if m := re.fullmatch(r"(\d{4})", value):
        return int(m.group(1)), int(m.group(1))
    if m := re.fullmatch(r"(\d{4})-(\d{4})?", value):
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None
    if m := re.fullmatch(r"to ~?(\d{4})", value):
        return None, int(m.group(1))
    raise IngestError(file, f"not a year or year range {value!r}", row=row, column=column,
                      expected="YYYY, YYYY-YYYY, YYYY- or 'to YYYY'")


def _nullable_int(values) -> pd.Series:
    return pd.array([None if v is None or pd.isna(v) else int(v) for v in values], dtype="Int64")


def _url(text: str, file, row, column, *, required: bool) -> str:
    value = text.strip()
    if value == "" and not required:
        return ""
    if not re.match(r"^https?://\S+$", value):
        raise IngestError(file, f"not a web address {value!r}", row=row, column=column, expected="an http(s) URL")
    return value


# --------------------------------------------------------------------------- state investments

_OUTCOME_RULES = [
    (r"^aggregate", "aggregate"),
    (r"fail", "failure"),
    (r"^success", "success"),
    (r"^(ongoing|operating|restructuring)", "ongoing"),
    (r"^unknown$", "unknown"),
]

# What the amount measures; the first matching rule wins. Anything else with an amount is
# 'other' (read the source), no amount at all leaves the code blank.
_AMOUNT_BASIS_RULES = [
    (r"not by|incoming investor", "third_party_money"),
    (r"planned total|touted|total project investment", "planned_project_total"),
    (r"registered capital", "registered_capital"),
    (r"pledged", "pledged_for_stake"),
    (r"cumulative|aggregate", "cumulative_claim"),
    (r"spent", "money_spent"),
    (r"placement|put in", "equity_placement"),
    (r"total strategic investment", "joint_investment_total"),
    (r"phase-1|phase 1", "phase_contribution"),
    (r".", "other"),
]

_GEOGRAPHY_AGGREGATES = {"(national)": "national", "(5 provinces)": "multi_province"}

STATE_INVESTMENT_COLUMNS = [
    "record_id", "geography_level", "place_name", "city_code", "province_code", "investor_vehicle",
    "investor_level", "investee", "industry", "year", "year_end", "year_text", "amount_bn",
    "amount_qualifier", "currency", "amount_cny_bn", "amount_basis", "stake_pct", "stake_pct_qualifier",
    "stake_pct_later", "outcome", "outcome_category_raw", "return_multiple", "return_multiple_qualifier",
    "source_url", "source_type", "verification", "source_id",
]


def _stake(text: str, file, row, column) -> tuple[float | None, str, float | None]:
    """'17' / '~40 (...)' / '>7 (...)' / '10 -> 100' (stake later raised to 100)."""
    value = text.strip()
    later = None
    if m := re.fullmatch(r"(\S+)\s*->\s*(\d+(?:\.\d+)?)(\s.*)?", value):
        value, later = m.group(1), float(m.group(2))
    stake, qualifier = parse_qualified(value, file, row, column)
    for number in (stake, later):
        if number is not None and not 0 <= number <= 100:
            raise IngestError(file, f"stake {number} outside 0-100", row=row, column=column, expected="a percentage")
    return stake, qualifier, later


def state_investments(raw_dir: Path, registry) -> pd.DataFrame:
    path = raw_dir / CURATED_DIR / "state_investments.csv"
    frame = read_csv(path, ["record_id", "city", "province", "investor_vehicle", "investor_level", "investee",
                            "industry", "year", "amount", "currency", "amount_basis", "stake_pct",
                            "outcome_category", "return_multiple", "source_url", "source_type", "verification"])
    rows = []
    for r in frame.to_dict("records"):
        line = r[ROW]
        place = r["city"].strip()
        if place in _GEOGRAPHY_AGGREGATES:
            level, city_code = _GEOGRAPHY_AGGREGATES[place], ""
            province_code = ""
        else:
            province = r["province"].strip()
            province_code = province_code_for(province, path, line, "province") if province else None
            city_code, level = resolve_place(place, registry, path, line, "city", province=province_code)
            province_code = province_of(city_code)

        currency_cell = r["currency"].strip()
        amount, amount_qualifier = parse_qualified(r["amount"], path, line, "amount")
        currency = ""
        if currency_cell:
            m = re.fullmatch(r"(CNY|USD) bn", currency_cell)
            if not m:
                raise IngestError(path, f"unknown currency {currency_cell!r}", row=line, column="currency",
                                  expected="'CNY bn' or 'USD bn'")
            currency = m.group(1)
        if amount is not None and not currency:
            raise IngestError(path, "amount without a currency", row=line, column="currency", expected="'CNY bn' or 'USD bn'")

        stake, stake_qualifier, stake_later = _stake(r["stake_pct"], path, line, "stake_pct")
        multiple_text = r["return_multiple"].strip()
        multiple, multiple_qualifier = parse_qualified(multiple_text, path, line, "return_multiple")
        year_from, year_to = _year_span(r["year"], path, line, "year")
        basis_text = r["amount_basis"].strip()
        basis = (_first_rule(basis_text, _AMOUNT_BASIS_RULES, path, line, "amount_basis", "amount basis")
                 if basis_text and amount is not None else "")
        outcome_raw = r["outcome_category"].strip()
        rows.append({
            "record_id": record_id_of(r, path, line),
            "geography_level": level,
            "place_name": place if place not in _GEOGRAPHY_AGGREGATES else "",
            "city_code": city_code,
            "province_code": province_code,
            "investor_vehicle": drop_remark(r["investor_vehicle"]),
            "investor_level": r["investor_level"].strip(),
            "investee": drop_remark(r["investee"]),
            "industry": r["industry"].strip(),
            "year": year_from,
            "year_end": year_to,
            "year_text": r["year"].strip(),
            "amount_bn": amount,
            "amount_qualifier": amount_qualifier,
            "currency": currency,
            # Converted only where nothing needs converting: USD amounts stay USD.
            "amount_cny_bn": amount if currency == "CNY" else None,
            "amount_basis": basis,
            "stake_pct": stake,
            "stake_pct_qualifier": stake_qualifier,
            "stake_pct_later": stake_later,
            "outcome": _first_rule(outcome_raw, _OUTCOME_RULES, path, line, "outcome_category", "outcome"),
            "outcome_category_raw": outcome_raw,
            "return_multiple": multiple,
            "return_multiple_qualifier": multiple_qualifier,
            "source_url": _url(r["source_url"], path, line, "source_url", required=True),
            "source_type": normalise_source_type(r["source_type"], path, line),
            "verification": normalise_verification(r["verification"], path, line),
            "source_id": SRC_STATE_INVESTMENTS,
        })
    out = pd.DataFrame(rows, columns=STATE_INVESTMENT_COLUMNS)
    for column in ("year", "year_end"):
        out[column] = _nullable_int(out[column])
    for column in ("amount_bn", "amount_cny_bn", "stake_pct", "stake_pct_later", "return_multiple"):
        out[column] = out[column].astype("float64")
    _require_unique(out, "record_id", path)
    return out.sort_values("record_id", ignore_index=True)


def record_id_of(r, file, row) -> str:
    """A record's id, which names it in every later table: it may not be blank."""
    value = r["record_id"].strip()
    if not value:
        raise IngestError(file, "record without an id", row=row, column="record_id", expected="an id such as CB001, unique in the file")
    return value


def _require_unique(frame: pd.DataFrame, column: str, path: Path) -> None:
    duplicated = frame[frame[column].duplicated()][column].tolist()
    if duplicated:
        raise IngestError(path, f"duplicate {column} {duplicated}", column=column, expected="unique ids")


# --------------------------------------------------------------------------- guidance funds

GUIDANCE_FUND_COLUMNS = [
    "record_id", "scope", "geography", "city_code", "province_code", "fund_name", "sponsor_vehicle",
    "year_established", "announced_on", "as_of", "target_size_cny_bn", "gov_contribution_cny_bn",
    "number_of_funds", "number_is_lower_bound", "share_reaching_target_pct", "source_url", "source_type",
    "verification", "source_id",
]

_AS_OF = re.compile(r"^(\d{4}(?:Q[1-4]|-\d{2}(?:-\d{2})?)?)(?:\s+\(.*\))?$")


def _numbers_in(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]


def _check_normalised_amount(amount: float | None, value_cell: str, unit_cell: str, path, line, column) -> None:
    """A normalised CNY bn figure must appear in the value cell, either as billions or as 亿 (x10).
    This catches a slipped decimal point in the hand-made normalisation."""
    if amount is None:
        return
    candidates = _numbers_in(value_cell)
    factors = [f for unit, f in (("CNY bn", 1.0), ("CNY 100m", 10.0)) if unit in unit_cell]
    if not any(abs(amount * f - c) < 1e-6 for f in factors for c in candidates):
        raise IngestError(path, f"{column} {amount} not found among the figures {value_cell!r} ({unit_cell})",
                          row=line, column=column, expected="a value equal to one of the reported figures in CNY bn")


def _share_reaching_target(metric: str, value: str, unit: str) -> float | None:
    """The national study reports the share of funds that reached their target size as one part
    of a ';'-separated cell. Take it only when metric, value and unit parts line up."""
    parts = [[p.strip() for p in cell.split(";")] for cell in (metric, value, unit)]
    if len({len(p) for p in parts}) != 1:
        return None
    for m, v, u in zip(*parts):
        if "meeting target" in m and u == "percent" and re.fullmatch(r"\d+(\.\d+)?", v):
            return float(v)
    return None


def guidance_funds(raw_dir: Path, registry) -> pd.DataFrame:
    path = raw_dir / CURATED_DIR / "guidance_funds.csv"
    frame = read_csv(path, ["record_id", "scope", "geography", "fund_name", "sponsor_vehicle", "year_established",
                            "date", "metric", "value", "unit", "as_of", "gov_contribution_cny_bn",
                            "target_size_cny_bn", "number_of_funds", "source_url", "source_type", "verification"])
    rows = []
    for r in frame.to_dict("records"):
        line = r[ROW]
        scope = r["scope"].strip()
        geography = r["geography"].strip()
        city_code = province_code = ""
        if scope == "city":
            city_code, _ = resolve_place(geography, registry, path, line, "geography")
            province_code = province_of(city_code)
        elif scope == "province":
            province_code = province_code_for(geography, path, line, "geography")
        elif scope not in ("national", "city-pair"):
            raise IngestError(path, f"unknown scope {scope!r}", row=line, column="scope",
                              expected="national, province, city or city-pair")

        established = r["year_established"].strip()
        if m := re.fullmatch(r"(\d{4})(?:-\d{4})?", established):
            year_established = int(m.group(1))  # a range gives its first year
        elif established == "":
            year_established = None
        else:
            raise IngestError(path, f"not a year {established!r}", row=line, column="year_established",
                              expected="YYYY or YYYY-YYYY")

        date = r["date"].strip()
        announced_on = ""
        if re.match(r"^\d{4}", date):
            check_partial_date(date, path, line, "date")
            announced_on = date
        elif re.search(r"\d{4}", date):
            raise IngestError(path, f"not a date {date!r}", row=line, column="date", expected="YYYY, YYYY-MM or YYYY-MM-DD")
        # a date without a year (e.g. a day and month only) cannot be placed in time: left blank

        as_of_cell = r["as_of"].strip()
        as_of = ""
        if as_of_cell:
            m = _AS_OF.match(as_of_cell)
            if not m:
                raise IngestError(path, f"not an as-of date {as_of_cell!r}", row=line, column="as_of",
                                  expected="YYYY, YYYYQn, YYYY-MM or YYYY-MM-DD, optionally followed by a remark")
            as_of = m.group(1)

        target, target_q = parse_qualified(r["target_size_cny_bn"], path, line, "target_size_cny_bn")
        contribution, contribution_q = parse_qualified(r["gov_contribution_cny_bn"], path, line, "gov_contribution_cny_bn")
        for column, q in (("target_size_cny_bn", target_q), ("gov_contribution_cny_bn", contribution_q)):
            if q not in ("", "exact"):
                raise IngestError(path, "qualified amount in a normalised column", row=line, column=column,
                                  expected="a plain number")
        _check_normalised_amount(target, r["value"], r["unit"], path, line, "target_size_cny_bn")
        _check_normalised_amount(contribution, r["value"], r["unit"], path, line, "gov_contribution_cny_bn")

        number, number_q = parse_qualified(r["number_of_funds"], path, line, "number_of_funds")
        if number_q not in ("", "exact", "lower_bound") or (number is not None and number != int(number)):
            raise IngestError(path, f"not a fund count {r['number_of_funds']!r}", row=line, column="number_of_funds",
                              expected="a whole number, optionally with '>' for 'more than'")

        rows.append({
            "record_id": record_id_of(r, path, line),
            "scope": scope,
            "geography": geography,
            "city_code": city_code,
            "province_code": province_code,
            "fund_name": r["fund_name"].strip(),
            "sponsor_vehicle": drop_remark(r["sponsor_vehicle"]),
            "year_established": year_established,
            "announced_on": announced_on,
            "as_of": as_of,
            "target_size_cny_bn": target,
            "gov_contribution_cny_bn": contribution,
            "number_of_funds": None if number is None else int(number),
            "number_is_lower_bound": None if number is None else number_q == "lower_bound",
            "share_reaching_target_pct": _share_reaching_target(r["metric"], r["value"], r["unit"]),
            "source_url": _url(r["source_url"], path, line, "source_url", required=True),
            "source_type": normalise_source_type(r["source_type"], path, line),
            "verification": normalise_verification(r["verification"], path, line),
            "source_id": SRC_GUIDANCE_FUNDS,
        })
    out = pd.DataFrame(rows, columns=GUIDANCE_FUND_COLUMNS)
    out["year_established"] = _nullable_int(out["year_established"])
    out["number_of_funds"] = _nullable_int(out["number_of_funds"])
    out["number_is_lower_bound"] = pd.array(out["number_is_lower_bound"].tolist(), dtype="boolean")
    for column in ("target_size_cny_bn", "gov_contribution_cny_bn", "share_reaching_target_pct"):
        out[column] = out[column].astype("float64")
    _require_unique(out, "record_id", path)
    return out.sort_values("record_id", ignore_index=True)


# --------------------------------------------------------------------------- chain boss

CHAIN_BOSS_COLUMNS = [
    "record_id", "geography", "admin_level", "city_code", "province_code", "adopted_on", "date_precision",
    "adoption_year", "adoption_year_is_upper_bound", "num_chains", "chain_chief_rank", "top_leader_named",
    "source_url", "source_type", "verification", "source_id",
]

_ADMIN_LEVEL_RULES = [(r"^provinces & cities$", "rollup"), (r"^province", "province"),
                      (r"^city$", "city"), (r"^district$", "district")]

# Who leads the chains. Order matters: a province whose examples name city secretaries is
# still a province-led system.
_CHIEF_RANK_RULES = [
    (r"tier", "multi_tier"),
    (r"zone", "zone_or_county_leaders"),
    (r"provincial|governor", "provincial_leaders"),
    (r"city|municipal|mayor", "city_leaders"),
    (r"双长制", "chain_chief_and_alliance_head"),
]
_TOP_LEADER = re.compile(r"party secretary|governor|mayor", re.IGNORECASE)


def _adoption(text: str, path, line) -> tuple[int | None, bool | None]:
    """Adoption year from the date cell; True in the second slot when the text only gives a
    latest possible year ('by 2025', '(active 2025-09)')."""
    value = text.strip()
    if value == "":
        return None, None
    if m := re.fullmatch(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\s+\(.*\))?", value):
        return check_partial_date(m.group(1), path, line, "adopted")[0], False
    if m := re.fullmatch(r"(\d{4})-(\d{4})(?:\s+\(.*\))?", value):
        return int(m.group(1)), False          # a range: the first year it may have started
    if m := re.fullmatch(r"by (\d{4})(?:-(\d{4}))?(?:\s+\(.*\))?", value):
        return int(m.group(2) or m.group(1)), True
    if m := re.fullmatch(r"\(active (\d{4})(?:-\d{2})?\)", value):
        return int(m.group(1)), True
    if re.fullmatch(r"\([^)]*\)", value) and not re.search(r"\d{4}", value):
        return None, None                      # a remark with no year in it
    raise IngestError(path, f"not an adoption date {value!r}", row=line, column="adopted",
                      expected="YYYY[-MM[-DD]], YYYY-YYYY, 'by YYYY' or '(active YYYY-MM)'")


def _num_chains(text: str, path, line) -> int | None:
    """The count at adoption: the leading whole number. Later counts and explanations that
    follow it are dropped; a cell that describes without counting gives a blank."""
    value = text.strip()
    if value == "" or not re.match(r"\d", value):
        return None
    m = re.match(r"(\d+)(?=$|\s|;|\()", value)
    if not m:
        raise IngestError(path, f"not a chain count {value!r}", row=line, column="num_chains",
                          expected="a whole number, optionally followed by a remark")
    return int(m.group(1))


def chain_boss_adoption(raw_dir: Path, registry) -> pd.DataFrame:
    path = raw_dir / CURATED_DIR / "chain_boss_adoption.csv"
    frame = read_csv(path, ["record_id", "geography", "admin_level", "province", "adopted", "date_precision",
                            "num_chains", "chain_chief_rank", "source_url", "source_type", "verification"])
    rows = []
    for r in frame.to_dict("records"):
        line = r[ROW]
        level = _first_rule(r["admin_level"].strip(), _ADMIN_LEVEL_RULES, path, line, "admin_level", "admin level")
        geography = r["geography"].strip()
        province_cell = r["province"].strip()
        province_hint = province_code_for(province_cell, path, line, "province") if province_cell else None
        city_code = province_code = ""
        if level == "province":
            province_code = province_code_for(geography, path, line, "geography")
        elif level == "city":
            city_code, _ = resolve_place(geography, registry, path, line, "geography", province=province_hint)
            province_code = province_of(city_code)
        elif level == "district":
            # 'Huadu district, Guangzhou': the district's parent city carries the code
            parent = geography.split(",")[-1].strip()
            city_code, _ = resolve_place(parent, registry, path, line, "geography", province=province_hint)
            province_code = province_of(city_code)

        precision_cell = r["date_precision"].strip()
        precision = precision_cell.split()[0] if precision_cell else "unknown"
        if precision not in ("day", "month", "year", "approx", "unknown"):
            raise IngestError(path, f"unknown date precision {precision_cell!r}", row=line, column="date_precision",
                              expected="day, month, year, approx or unknown (optionally followed by a remark)")
        year, upper_bound = _adoption(r["adopted"], path, line)
        rank_text = r["chain_chief_rank"].strip()
        rows.append({
            "record_id": record_id_of(r, path, line),
            "geography": geography,
            "admin_level": level,
            "city_code": city_code,
            "province_code": province_code,
            "adopted_on": r["adopted"].strip(),
            "date_precision": precision,
            "adoption_year": year,
            "adoption_year_is_upper_bound": upper_bound,
            "num_chains": _num_chains(r["num_chains"], path, line),
            "chain_chief_rank": (_first_rule(rank_text, _CHIEF_RANK_RULES, path, line, "chain_chief_rank", "chief rank")
                                 if rank_text else ""),
            "top_leader_named": bool(_TOP_LEADER.search(rank_text)) if rank_text else None,
            "source_url": _url(r["source_url"], path, line, "source_url", required=True),
            "source_type": normalise_source_type(r["source_type"], path, line),
            "verification": normalise_verification(r["verification"], path, line),
            "source_id": SRC_CHAIN_BOSS,
        })
    out = pd.DataFrame(rows, columns=CHAIN_BOSS_COLUMNS)
    out["adoption_year"] = _nullable_int(out["adoption_year"])
    out["num_chains"] = _nullable_int(out["num_chains"])
    for column in ("adoption_year_is_upper_bound", "top_leader_named"):
        out[column] = pd.array(out[column].tolist(), dtype="boolean")
    _require_unique(out, "record_id", path)
    return out.sort_values("record_id", ignore_index=True)


# --------------------------------------------------------------------------- Hefei claims

HEFEI_CLAIM_COLUMNS = [
    "record_id", "geography_level", "city_code", "metric_code", "year_text", "year_from", "year_to",
    "claimed_value", "value_qualifier", "unit", "second_value", "second_unit", "claim_source", "status",
    "verifying_source_url", "source_id",
]

_CLAIM_STATUS_RULES = [
    (r"^verified", "verified"), (r"^single", "single_source"), (r"^claim located", "claim_located"),
    (r"^partially", "partially_consistent"), (r"^derived", "derived"), (r"^approximate", "approximate"),
    (r"not found", "not_found"),
]

_VALUE_TOKEN = re.compile(r"(up to |>=|<=|>|<|~)?\$?(\d+(?:\.\d+)?)(bn)?")


def _claim_values(value: str, unit: str, path, line) -> tuple[float | None, str, str, float | None, str]:
    """First figure (with qualifier and unit) and, where the cell lists a second figure
    ('a; b' or 'a vs b'), that one too. Figures inside parentheses are remarks, not claims."""
    text = re.sub(r"\([^)]*\)", " ", value).strip()
    units = [drop_remark(u) for u in unit.split(";")] if unit.strip() else [""]
    parts = [p.strip() for p in re.split(r";|\bvs\b", text) if p.strip()]
    figures = []
    for part in parts:
        m = _VALUE_TOKEN.match(part)
        if m:
            figures.append(m)
    if not figures:
        return None, "", units[0], None, ""
    if len(parts) > 2:
        raise IngestError(path, f"more than two figures in {value!r}", row=line, column="value",
                          expected="one figure, or two separated by ';' or 'vs'")
    first = figures[0]
    first_unit = units[0] + (" bn" if first.group(3) and "bn" not in units[0] else "")
    qualifier = _QUALIFIER_CODES[first.group(1)]
    second = figures[1] if len(figures) > 1 else None
    second_unit = (units[1] if len(units) > 1 else units[0]) if second else ""
    return (float(first.group(2)), qualifier, first_unit,
            float(second.group(2)) if second else None, second_unit)


def _metric_code(text: str) -> str:
    """A short identifier built from the metric label: lower case, words joined by '_'."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"\(.*?\)", "", text.lower()))
    return "_".join(w for w in words if w not in {"the", "of", "vs", "and"})


def hefei_claims(raw_dir: Path, registry) -> pd.DataFrame:
    path = raw_dir / CURATED_DIR / "hefei_headline_figures.csv"
    frame = read_csv(path, ["record_id", "city", "metric", "year", "value", "unit", "claim_source",
                            "verifying_source_url", "status"])
    rows = []
    for r in frame.to_dict("records"):
        line = r[ROW]
        place = r["city"].strip()
        if place == "China":
            level, city_code = "national", ""
        else:
            city_code, level = resolve_place(place, registry, path, line, "city")
        year_text = _strip_comment(r["year"].strip())
        year_from, year_to = _year_span(year_text.lstrip("~"), path, line, "year")
        value, qualifier, unit, second, second_unit = _claim_values(r["value"], r["unit"], path, line)
        rows.append({
            "record_id": record_id_of(r, path, line),
            "geography_level": level,
            "city_code": city_code,
            "metric_code": _metric_code(r["metric"]),
            "year_text": year_text,
            "year_from": year_from,
            "year_to": year_to,
            "claimed_value": value,
            "value_qualifier": qualifier,
            "unit": unit,
            "second_value": second,
            "second_unit": second_unit,
            "claim_source": drop_remark(r["claim_source"]),
            "status": _first_rule(r["status"].strip(), _CLAIM_STATUS_RULES, path, line, "status", "status"),
            "verifying_source_url": _url(r["verifying_source_url"], path, line, "verifying_source_url", required=False),
            "source_id": SRC_HEFEI_CLAIMS,
        })
    out = pd.DataFrame(rows, columns=HEFEI_CLAIM_COLUMNS)
    for column in ("year_from", "year_to"):
        out[column] = _nullable_int(out[column])
    for column in ("claimed_value", "second_value"):
        out[column] = out[column].astype("float64")
    _require_unique(out, "record_id", path)
    return out.sort_values("record_id", ignore_index=True)


def build(raw_dir: Path, registry) -> dict[str, pd.DataFrame]:
    raw_dir = Path(raw_dir)
    return {
        "state_investments": state_investments(raw_dir, registry),
        "guidance_funds": guidance_funds(raw_dir, registry),
        "chain_boss_adoption": chain_boss_adoption(raw_dir, registry),
        "hefei_claims": hefei_claims(raw_dir, registry),
    }
