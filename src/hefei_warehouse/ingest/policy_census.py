"""The 2026 policy census (`policy_census_2026/`): chain-boss adoption for every province and
provincial capital, and the comprehensive national science centres.

Seeds: `chain_boss_census` and `science_centre_census`.

The census searched stored copies of web pages. A row with status `no_evidence_found` means
the search found nothing, not that the place has no chain-boss system, so it is kept as its
own status and never turned into "not adopted". What the year of an adopted row stands for
is reduced to a short code by the written rules below (`date_basis`):

- `formal`: a document or launch meeting dated that year; before it the system was not in force;
- `first_evidence`: the system was already running that year; it may have started earlier;
- `listed_in_year`: named in a dated list of adopters; started that year or earlier;
- `rollup_only`: named in an undated list of adopters; no year.

An adopted row may have no year (the start was not found); it is adopted at an unknown date.

Quotes, notes and search terms are explanations in the census's words and do not carry over;
the page address does, and so does the curated record a row was carried over from.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .errors import IngestError
from .policy import resolve_place
from .readers import ROW, read_csv

FOLDER = "policy_census_2026"
SRC_CHAIN_BOSS = f"{FOLDER}.chain_boss_census"
SRC_SCIENCE_CENTRES = f"{FOLDER}.science_centres_census"

# Order matters: the first rule whose pattern matches the census's date_basis text wins.
_DATE_BASIS_RULES = [
    (r"^roll-up only", "rollup_only"),
    (r"roll-up", "listed_in_year"),
    (r"first (explicit )?evidence|already operating|^active\b|^mentioned in", "first_evidence"),
    (r".", "formal"),
]

_STATUS = {"adopted", "no_evidence_found"}

# item_type text of the science-centre census -> code; the national count row is not a place.
_CENTRE_TYPE_RULES = [
    (r"\(bid\)", "bid"),
    (r"^regional comprehensive", "regional_comprehensive_science_centre"),
    (r"comprehensive (national )?science centre", "comprehensive_national_science_centre"),
    (r"^count$", "national_count"),
]


def _rule(text: str, rules: list[tuple[str, str]], file, row, column, what: str) -> str:
    for pattern, code in rules:
        if re.search(pattern, text, flags=re.IGNORECASE):
            return code
    raise IngestError(file, f"unrecognised {what} {text!r}", row=row, column=column,
                      expected=f"text matching one of {[p for p, _ in rules]}")


def _whole(text: str, file, row, column, low: int, high: int) -> int | None:
    value = text.strip()
    if value == "":
        return None
    if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
        raise IngestError(file, f"not a whole number in {low}-{high}: {value!r}", row=row, column=column,
                          expected=f"blank or a whole number from {low} to {high}")
    return int(value)


def _code(text: str, level: str, registry, file, row) -> str:
    value = text.strip()
    if not re.fullmatch(r"\d{6}", value):
        raise IngestError(file, f"not a 6-digit area code {value!r}", row=row, column="code",
                          expected="a GB/T 2260 code")
    if level == "province" and not value.endswith("0000"):
        raise IngestError(file, f"province code {value!r} does not end in 0000", row=row, column="code",
                          expected="a province code such as 340000")
    if level == "city" and not registry.is_known(value):
        raise IngestError(file, f"unknown prefecture code {value!r}", row=row, column="code",
                          expected="a prefecture code known to the city registry")
    return value


def _carried_from(text: str) -> str:
    """'carried over from curated_facts (record CB021, CB030)' -> 'CB021 CB030'; '' otherwise."""
    return " ".join(re.findall(r"\b[A-Z]{2}\d{3}\b", text)) if "carried over" in text else ""


def _url(text: str, file, row, *, required: bool) -> str:
    value = text.strip()
    if value == "" and not required:
        return ""
    if not re.match(r"^https?://\S+$", value):
        raise IngestError(file, f"not a web address {value!r}", row=row, column="source_url", expected="an http(s) URL")
    return value


def chain_boss_census(raw_dir: Path, registry) -> pd.DataFrame:
    path = raw_dir / FOLDER / "chain_boss_census.csv"
    frame = read_csv(path, ["level", "code", "name_zh", "adopted_year", "adopted_month", "n_chains", "status",
                            "date_basis", "source_url", "accessed_via"])
    rows = []
    for r in frame.to_dict("records"):
        line = r[ROW]
        level = r["level"].strip()
        if level not in ("province", "city"):
            raise IngestError(path, f"unknown level {level!r}", row=line, column="level", expected="province or city")
        status = r["status"].strip()
        if status not in _STATUS:
            raise IngestError(path, f"unknown status {status!r}", row=line, column="status", expected=sorted(_STATUS))
        year = _whole(r["adopted_year"], path, line, "adopted_year", 2000, 2026)
        month = _whole(r["adopted_month"], path, line, "adopted_month", 1, 12)
        basis_text = r["date_basis"].strip()
        if status == "no_evidence_found":
            if year is not None or basis_text:
                raise IngestError(path, "a year or date basis on a no-evidence row", row=line, column="adopted_year",
                                  expected="blank adopted_year and date_basis when status is no_evidence_found")
            basis = ""
        else:
            basis = _rule(basis_text, _DATE_BASIS_RULES, path, line, "date_basis", "date basis") if basis_text else ""
            if basis == "rollup_only" and year is not None:
                raise IngestError(path, f"adopted_year {r['adopted_year']!r} on an undated roll-up row",
                                  row=line, column="adopted_year",
                                  expected="a blank adopted_year when the basis is 'roll-up only'")
        rows.append({
            "admin_level": level,
            "area_code": _code(r["code"], level, registry, path, line),
            "name_zh": r["name_zh"].strip(),
            "status": status,
            "adoption_year": year,
            "adoption_month": month,
            "date_basis": basis,
            "num_chains": _whole(r["n_chains"], path, line, "n_chains", 1, 200),
            "source_url": _url(r["source_url"], path, line, required=status == "adopted"),
            "carried_from_records": _carried_from(r["accessed_via"]),
            "source_id": SRC_CHAIN_BOSS,
        })
    out = pd.DataFrame(rows)
    duplicated = out[out.duplicated("area_code", keep=False)]
    if not duplicated.empty:
        raise IngestError(path, f"area code {duplicated['area_code'].iloc[0]} listed twice", column="code",
                          expected="one row per province or city")
    for column in ("adoption_year", "adoption_month", "num_chains"):
        out[column] = pd.array(out[column], dtype="Int64")
    return out


def science_centre_census(raw_dir: Path, registry) -> pd.DataFrame:
    path = raw_dir / FOLDER / "science_centres_census.csv"
    frame = read_csv(path, ["city", "code", "item_type", "status", "approval_year", "approval_month",
                            "source_url", "accessed_via"])
    rows = []
    for r in frame.to_dict("records"):
        line = r[ROW]
        item = _rule(r["item_type"].strip(), _CENTRE_TYPE_RULES, path, line, "item_type", "item type")
        if item == "national_count":
            continue  # a count of centres, not a place
        code = r["code"].strip()
        # municipalities are listed with their province code; the registry knows them as cities
        if re.fullmatch(r"(11|12|31|50)0000", code):
            code = code[:2] + "0100"
        codes = [_code(code, "city", registry, path, line)]
        # a centre shared by two cities ('Chengdu / Chongqing') carries one code; list both
        if " / " in r["city"]:
            for place in r["city"].split(" / "):
                other, _ = resolve_place(place, registry, path, line, "city")
                if other not in codes:
                    codes.append(other)
        status_text = r["status"].strip()
        status = "approved" if status_text.startswith("approved") else "planned" if "planned" in status_text else None
        if status is None:
            raise IngestError(path, f"unknown status {status_text!r}", row=line, column="status",
                              expected="text starting with 'approved', or 'planned/bidding'")
        rows.extend({
            "city_code": city_code,
            "item_type": item,
            "status": status,
            "approval_year": _whole(r["approval_year"], path, line, "approval_year", 2000, 2026),
            "approval_month": _whole(r["approval_month"], path, line, "approval_month", 1, 12),
            "source_url": _url(r["source_url"], path, line, required=True),
            "carried_from_records": _carried_from(r["accessed_via"]),
            "source_id": SRC_SCIENCE_CENTRES,
        } for city_code in codes)
    out = pd.DataFrame(rows)
    for column in ("approval_year", "approval_month"):
        out[column] = pd.array(out[column], dtype="Int64")
    return out


def build(raw_dir: Path, registry) -> dict[str, pd.DataFrame]:
    raw_dir = Path(raw_dir)
    return {
        "chain_boss_census": chain_boss_census(raw_dir, registry),
        "science_centre_census": science_centre_census(raw_dir, registry),
    }
