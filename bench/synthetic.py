"""Synthetic city-year seeds for scale benchmarks: the real seeds plus many made-up units.

The output is shaped like the committed seeds (same files, columns, types and gap pattern)
but is NOT data: it exists only to time the warehouse at county scale and beyond. It is
written to a folder outside the repository, never to seeds/, and everything synthetic is
marked:

- synthetic units have 6-digit codes starting with 9 (900001, 900002, ...). GB/T 2260
  province prefixes run from 11 to 82, so these codes cannot collide with a real unit;
- every synthetic value row cites a source id starting with "synthetic", registered in the
  sources file as a benchmark generator, not a publisher;
- extra indicators are named synthetic_metric_NN.

How a synthetic unit is made: it takes a real unit as its template (round robin over the
real roster), keeps the template's province, region, validity years and the exact pattern of
which years and indicators have values (so sparsity, reconciliation and the index's coverage
rules behave as on real data), and multiplies the template's level figures (100m CNY, 10k
persons, USD m) by a random size factor. Ratios, shares, growth rates and per-person figures
are kept, so they stay inside their valid ranges. Extra indicators get a random level per
unit and a common growth path, in the years the template has GDP.

Deterministic: a seeded numpy generator and an ordered write, so the same arguments give
byte-identical files.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

SYNTHETIC_SOURCE = "synthetic"
SYNTHETIC_CODE_FIRST = 900001
SYNTHETIC_CODE_LAST = 999999
# Indicators that measure a size (and so grow with a bigger unit); the rest are ratios.
LEVEL_SUFFIXES = ("_cny_100m", "_10k", "_usd_m")
MARKER_FILE = "SYNTHETIC_DATA.txt"
UNITS_PER_PART = 2000
REPO = Path(__file__).resolve().parents[1]

CITY_COLUMNS = [
    "city_code", "name_zh", "name_en", "name_en_source", "former_names_zh", "unit_type",
    "province_code", "province_name_zh", "province_name_en", "region", "is_coastal_province",
    "is_inland", "admin_rank", "is_provincial_capital", "longitude", "latitude",
    "coord_source_id", "valid_from_year", "valid_to_year", "successor_code", "change_note",
    "source_id",
]


def is_level_indicator(code: str) -> bool:
    return code.endswith(LEVEL_SUFFIXES)


def _refuse_repository_folder(out_dir: Path) -> None:
    out = out_dir.resolve()
    if out == REPO or REPO in out.parents:
        raise ValueError(f"synthetic data must be written outside the repository, not to {out}")


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    """Write a query's rows to a headerless CSV; return how many."""
    return con.execute(f"copy ({query}) to '{path.as_posix()}' (header false, quote '\"')").fetchall()[0][0]


def _read(seeds: Path, name: str) -> pd.DataFrame:
    # Everything as text, so real rows are written back exactly as they were.
    return pd.read_csv(seeds / f"{name}.csv", dtype=str, keep_default_na=False)


def synthetic_cities(real: pd.DataFrame, n_units: int, rng: np.random.Generator) -> pd.DataFrame:
    """n_units made-up units, each patterned on a real template unit (round robin)."""
    if SYNTHETIC_CODE_FIRST + n_units - 1 > SYNTHETIC_CODE_LAST:
        raise ValueError(f"at most {SYNTHETIC_CODE_LAST - SYNTHETIC_CODE_FIRST + 1} synthetic units fit the code range")
    templates = real.iloc[np.arange(n_units) % len(real)].reset_index(drop=True)
    numbers = np.arange(SYNTHETIC_CODE_FIRST, SYNTHETIC_CODE_FIRST + n_units)
    units = templates.copy()
    units["city_code"] = numbers.astype(str)
    units["name_zh"] = [f"合成单位{n}" for n in numbers]
    units["name_en"] = [f"Synthetic unit {n}" for n in numbers]
    units["former_names_zh"] = ""
    # A synthetic unit is never a capital or a municipality, so capital counts stay real.
    units["admin_rank"] = "prefecture"
    units["is_provincial_capital"] = "false"
    units["successor_code"] = ""
    units["change_note"] = "Synthetic benchmark unit; not a real place."
    units["source_id"] = SYNTHETIC_SOURCE
    # Seats scattered around the template's, so distances differ from unit to unit.
    for column, spread in (("longitude", 0.5), ("latitude", 0.4)):
        known = units[column] != ""
        jitter = rng.uniform(-spread, spread, size=n_units)
        base = pd.to_numeric(units[column], errors="coerce").to_numpy()
        units.loc[known, column] = [f"{value:.6f}" for value in (base + jitter)[known.to_numpy()]]
    units.loc[units["longitude"] != "", "coord_source_id"] = SYNTHETIC_SOURCE
    units["template_code"] = templates["city_code"]
    return units


def synthetic_indicators(real: pd.DataFrame, n_extra: int) -> pd.DataFrame:
    rows = [
        {
            "indicator_code": f"synthetic_metric_{number:02d}",
            "name": f"Synthetic benchmark metric {number}",
            "unit": "synthetic units",
            "description": "Made-up values for scale benchmarks only; meaningless.",
            "scope": "whole_city",
            "series_kind": "derived",
        }
        for number in range(1, n_extra + 1)
    ]
    return pd.DataFrame(rows, columns=real.columns)


def synthetic_thresholds(real: pd.DataFrame, codes) -> pd.DataFrame:
    """Screening thresholds for the synthetic metrics: screened as level series, like GDP."""
    rows = [
        {
            "indicator_code": code,
            "tolerance_unit": "relative_pct",
            "agree_within": "0.5",
            "disagree_beyond": "5",
            "range_min": "0",
            "range_max": "1000000000",
            "is_level_series": "true",
            "rationale": "Synthetic benchmark metric: screened like a level series; the range only excludes negatives.",
        }
        for code in codes
    ]
    return pd.DataFrame(rows, columns=real.columns)


def synthetic_sources(real: pd.DataFrame, n_alternatives: int) -> pd.DataFrame:
    ids = [SYNTHETIC_SOURCE] + [f"{SYNTHETIC_SOURCE}_alt_{n}" for n in range(1, n_alternatives + 1)]
    rows = [
        {
            "source_id": source_id,
            "producer": "bench/synthetic.py (scale benchmark generator)",
            "original_source": "none: generated numbers, not statistics",
            "repository": "",
            "path": "",
            "commit": "",
            "url": "",
            "licence": "",
            "accessed_on": "",
            "caveats": "Synthetic rows for timing the warehouse at larger sizes; never part of a published warehouse.",
        }
        for source_id in ids
    ]
    return pd.DataFrame(rows, columns=real.columns)


def generate(
    seeds: Path, out_dir: Path, *, scale: int, indicators: int = 40, seed: int = 20240601
) -> dict[str, int]:
    """Write cities, city_year_values, indicators and sources (and screening thresholds for
    the synthetic metrics) for `scale` times the real number of units into out_dir; return
    row counts. scale 1 writes the real seeds unchanged.

    indicators is the number of city indicators wanted; synthetic_metric_NN make up the
    difference to the real ones (on synthetic units only)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    _refuse_repository_folder(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)

    cities = _read(seeds, "cities")
    indicator_table = _read(seeds, "indicators")
    sources = _read(seeds, "sources")
    n_synthetic = (scale - 1) * len(cities)
    units = synthetic_cities(cities, n_synthetic, rng)

    with duckdb.connect() as con:
        con.execute("set preserve_insertion_order = true").fetchall()
        # Spill big sorts to disk beside the output rather than hold them in memory.
        con.execute(f"set temp_directory = '{(out_dir / '.duckdb_tmp').as_posix()}'").fetchall()
        con.execute("set memory_limit = '4GB'").fetchall()
        values_csv = str(seeds / "city_year_values.csv")
        # Each real row with its place among the alternatives of its key, numbered once here so
        # the big query below needs no window over millions of rows.
        con.execute(f"""
            create table real_values as
            select *, row_number() over (
                partition by city_code, year, indicator_code, is_primary order by source_id) as alternative_number
            from read_csv('{values_csv}', all_varchar = true, header = true, hive_partitioning = false)
        """).fetchall()
        real_indicators = [row[0] for row in con.execute("select distinct indicator_code from real_values order by 1").fetchall()]
        n_extra = max(0, indicators - len(real_indicators)) if n_synthetic else 0
        extra = synthetic_indicators(indicator_table, n_extra)
        n_alternatives = con.execute(
            "select coalesce(max(n), 0) from (select count(*) - 1 as n from real_values "
            "group by city_code, year, indicator_code)"
        ).fetchall()[0][0]

        # One size factor per synthetic unit (lognormal around 1, clipped), one level per unit and
        # extra metric, and one growth path for the extra metrics over the years.
        size = pd.DataFrame({
            "city_code": units["city_code"],
            "template_code": units["template_code"],
            # clipped so no unit outgrows the accepted ranges (e.g. under 50m residents)
            "size_factor": np.round(np.clip(rng.lognormal(0.0, 0.5, size=n_synthetic), 0.3, 1.4), 6),
        })
        levels = rng.lognormal(3.0, 1.0, size=(n_synthetic, n_extra))
        metric_levels = pd.DataFrame({
            "city_code": np.repeat(units["city_code"].to_numpy(), n_extra),
            "indicator_code": np.tile(extra["indicator_code"].to_numpy(), n_synthetic),
            "metric_level": levels.reshape(-1),
        })
        years = np.arange(2000, 2024)
        growth = pd.DataFrame({"year": years.astype(str), "growth_factor": np.cumprod(rng.uniform(1.0, 1.1, size=len(years)))})
        level_codes = pd.DataFrame({"indicator_code": [c for c in real_indicators if is_level_indicator(c)]})
        for name, frame in (("size", size), ("metric_levels", metric_levels), ("growth", growth), ("level_codes", level_codes)):
            con.register(name, frame)

        # Written in parts, each sorted: the real rows, then synthetic units in chunks of
        # ascending codes (all above the real ones), so the joined file is sorted and 100x
        # never has to be held or sorted in memory at once.
        parts_dir = out_dir / ".parts"
        parts_dir.mkdir(exist_ok=True)
        order = "order by city_code, cast(year as integer), indicator_code, source_id"
        columns = "city_code, year, indicator_code, value, source_id, is_primary"
        parts = [parts_dir / "real.csv"]
        n_values = _copy(con, f"select {columns} from real_values {order}", parts[0])
        for start in range(0, n_synthetic, UNITS_PER_PART):
            chunk = size.iloc[start:start + UNITS_PER_PART]
            con.register("size_chunk", chunk)
            con.register("levels_chunk", metric_levels[metric_levels["city_code"].isin(chunk["city_code"])])
            parts.append(parts_dir / f"synthetic_{start:07d}.csv")
            n_values += _copy(con, f"""
                select * from (
                -- synthetic units: the template's rows, levels scaled, alternatives renumbered
                select
                    size_chunk.city_code,
                    t.year,
                    t.indicator_code,
                    case when t.indicator_code in (select indicator_code from level_codes)
                        then cast(round(cast(t.value as double) * size_chunk.size_factor, 6) as varchar)
                        else t.value end as value,
                    case when t.is_primary = 'true' then '{SYNTHETIC_SOURCE}'
                        else '{SYNTHETIC_SOURCE}_alt_' || cast(t.alternative_number as varchar) end as source_id,
                    t.is_primary
                from size_chunk
                inner join real_values as t on t.city_code = size_chunk.template_code
                union all
                -- extra metrics, in the years the template has a primary GDP figure
                select
                    size_chunk.city_code, t.year, levels_chunk.indicator_code,
                    cast(round(levels_chunk.metric_level * growth.growth_factor, 4) as varchar),
                    '{SYNTHETIC_SOURCE}', 'true'
                from size_chunk
                inner join real_values as t
                    on t.city_code = size_chunk.template_code and t.indicator_code = 'gdp_cny_100m' and t.is_primary = 'true'
                inner join levels_chunk on levels_chunk.city_code = size_chunk.city_code
                inner join growth on growth.year = t.year
                ) as synthetic_values
                {order}
            """, parts[-1])
        with open(out_dir / "city_year_values.csv", "wb") as joined:
            joined.write((",".join(c.strip() for c in columns.split(",")) + "\n").encode())
            for part in parts:
                with open(part, "rb") as piece:
                    shutil.copyfileobj(piece, joined)
        shutil.rmtree(parts_dir)

    shutil.rmtree(out_dir / ".duckdb_tmp", ignore_errors=True)

    all_cities = pd.concat([cities, units[CITY_COLUMNS]], ignore_index=True)
    all_indicators = pd.concat([indicator_table, extra], ignore_index=True).sort_values("indicator_code")
    all_sources = sources
    if n_synthetic:
        all_sources = pd.concat([sources, synthetic_sources(sources, n_alternatives)], ignore_index=True)
    all_sources = all_sources.sort_values("source_id")
    written = [("cities", all_cities), ("indicators", all_indicators), ("sources", all_sources)]
    if n_extra:
        # The data screens need thresholds for every city indicator (a relationship test checks it).
        thresholds = _read(seeds, "screening_thresholds")
        written.append(("screening_thresholds", pd.concat(
            [thresholds, synthetic_thresholds(thresholds, extra["indicator_code"])], ignore_index=True)))
    for name, frame in written:
        frame.to_csv(out_dir / f"{name}.csv", index=False, lineterminator="\n")
    (out_dir / MARKER_FILE).write_text(
        f"SYNTHETIC benchmark data (scale {scale}, {indicators} indicators, seed {seed}).\n"
        "Units with codes 900001 and up and every row citing a source id that starts with\n"
        "'synthetic' are made up. Never copy these files into seeds/ or publish them.\n",
        encoding="utf-8",
    )
    return {
        "units": len(all_cities),
        "synthetic_units": n_synthetic,
        "city_indicators": len(real_indicators) + n_extra,
        "city_year_values": n_values,
    }


def write_project_seeds(seeds: Path, synthetic_dir: Path, project_seeds: Path) -> None:
    """Fill a throw-away project's seeds folder: the synthetic files over copies of the rest."""
    _refuse_repository_folder(project_seeds)
    project_seeds.mkdir(parents=True, exist_ok=True)
    for path in seeds.iterdir():
        if path.is_file():
            shutil.copy2(path, project_seeds / path.name)
    for path in synthetic_dir.glob("*.csv"):
        shutil.copy2(path, project_seeds / path.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic seeds at a multiple of the real size (outside the repository).")
    parser.add_argument("--scale", type=int, required=True, help="units as a multiple of the real roster (10 = county level)")
    parser.add_argument("--indicators", type=int, default=40, help="city indicators wanted (synthetic metrics fill the gap)")
    parser.add_argument("--seed", type=int, default=20240601, help="random seed")
    parser.add_argument("--seeds", type=Path, default=REPO / "seeds", help="the real seeds to pattern on")
    parser.add_argument("--out", type=Path, required=True, help="output folder, outside the repository")
    args = parser.parse_args(argv)
    counts = generate(args.seeds, args.out, scale=args.scale, indicators=args.indicators, seed=args.seed)
    print(", ".join(f"{key}={value:,}" for key, value in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
