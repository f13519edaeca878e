"""The scale generator used by the benchmarks: shape, determinism and the synthetic marker.

Runs on a tiny seed folder written into tmp_path; it times nothing."""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest

from conftest import REPO

sys.path.insert(0, str(REPO))
from bench import synthetic  # noqa: E402

CITIES = """city_code,name_zh,name_en,name_en_source,former_names_zh,unit_type,province_code,province_name_zh,province_name_en,region,is_coastal_province,is_inland,admin_rank,is_provincial_capital,longitude,latitude,coord_source_id,valid_from_year,valid_to_year,successor_code,change_note,source_id
340100,合肥市,Hefei,src_a,,city,340000,安徽省,Anhui,central,false,true,provincial_capital,true,117.227,31.820,coords_a,2000,,,,roster_a
341400,巢湖市,Chaohu,src_a,,city,340000,安徽省,Anhui,central,false,true,prefecture,false,,,,2000,2010,340100,Abolished,roster_a
"""

VALUES = """city_code,year,indicator_code,value,source_id,is_primary
340100,2000,gdp_cny_100m,324.7,gdp_a,true
340100,2000,gdp_cny_100m,330.1,gdp_b,false
340100,2000,secondary_share_pct,44.2,gdp_a,true
340100,2001,gdp_cny_100m,363.4,gdp_a,true
341400,2000,resident_population_10k,450.5,pop_a,true
"""

INDICATORS = """indicator_code,name,unit,description,scope,series_kind
gdp_cny_100m,GDP,100m CNY,Test row.,whole_city,as_published
resident_population_10k,Residents,10k persons,Test row.,whole_city,as_published
secondary_share_pct,Secondary share,% of GDP,Test row.,whole_city,derived
"""

SOURCES = """source_id,producer,original_source,repository,path,commit,url,licence,accessed_on,caveats
gdp_a,Producer A,Origin,repo/a,a.csv,abc,https://example.org/a,MIT,,Test row.
gdp_b,Producer B,Origin,repo/b,b.csv,abc,https://example.org/b,MIT,,Test row.
pop_a,Producer C,Origin,repo/c,c.csv,abc,https://example.org/c,MIT,,Test row.
roster_a,Producer D,Origin,repo/d,d.csv,abc,https://example.org/d,MIT,,Test row.
"""

THRESHOLDS = """indicator_code,tolerance_unit,agree_within,disagree_beyond,range_min,range_max,is_level_series,rationale
gdp_cny_100m,relative_pct,0.5,5,1,100000,true,Test row.
resident_population_10k,relative_pct,0.5,5,1,5000,true,Test row.
secondary_share_pct,points,0.05,1,0,100,false,Test row.
"""


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, text in (("cities", CITIES), ("city_year_values", VALUES), ("indicators", INDICATORS), ("sources", SOURCES),
                       ("screening_thresholds", THRESHOLDS)):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def _read(folder, name):
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def test_scale_multiplies_units_and_keeps_real_rows(seeds, tmp_path):
    out = tmp_path / "x3"
    counts = synthetic.generate(seeds, out, scale=3, indicators=5)

    cities = _read(out, "cities")
    assert len(cities) == 6 and counts["synthetic_units"] == 4
    made_up = cities[cities["city_code"].str.startswith("9")]
    assert list(made_up["city_code"]) == ["900001", "900002", "900003", "900004"]
    assert set(made_up["source_id"]) == {"synthetic"}
    # the real units come through unchanged
    assert _read(out, "cities").iloc[:2].equals(_read(seeds, "cities"))

    values = _read(out, "city_year_values")
    real = values[~values["city_code"].str.startswith("9")].reset_index(drop=True)
    assert real.equals(_read(seeds, "city_year_values"))
    fake = values[values["city_code"].str.startswith("9")]
    assert fake["source_id"].str.startswith("synthetic").all()
    # 5 indicators wanted, 3 real: two synthetic metrics, in the years the template has GDP
    assert sorted(fake["indicator_code"].unique()) == [
        "gdp_cny_100m", "resident_population_10k", "secondary_share_pct",
        "synthetic_metric_01", "synthetic_metric_02",
    ]
    assert counts["city_indicators"] == 5
    # exactly one primary row per unit, year and indicator, as in the real seeds
    primary = values[values["is_primary"] == "true"]
    assert not primary.duplicated(["city_code", "year", "indicator_code"]).any()
    # every synthetic source id is registered
    assert set(fake["source_id"]) <= set(_read(out, "sources")["source_id"])
    # every city indicator, synthetic ones included, has its screening thresholds; real rows unchanged
    thresholds = _read(out, "screening_thresholds")
    assert set(values["indicator_code"]) <= set(thresholds["indicator_code"])
    assert thresholds.iloc[:3].equals(_read(seeds, "screening_thresholds"))
    assert "SYNTHETIC" in (out / synthetic.MARKER_FILE).read_text()


def test_levels_scale_but_shares_stay(seeds, tmp_path):
    out = tmp_path / "x2"
    synthetic.generate(seeds, out, scale=2, indicators=3)
    values = _read(out, "city_year_values").set_index(["city_code", "year", "indicator_code", "source_id"])["value"]
    # 900001 is patterned on Hefei (the first real unit)
    assert values[("900001", "2000", "secondary_share_pct", "synthetic")] == "44.2"
    scaled = float(values[("900001", "2000", "gdp_cny_100m", "synthetic")])
    assert 0.3 * 324.7 <= scaled <= 1.4 * 324.7
    assert ("900001", "2000", "gdp_cny_100m", "synthetic_alt_1") in values.index


def test_same_arguments_give_identical_files(seeds, tmp_path):
    synthetic.generate(seeds, tmp_path / "a", scale=4, indicators=6, seed=7)
    synthetic.generate(seeds, tmp_path / "b", scale=4, indicators=6, seed=7)
    for name in ("cities", "city_year_values", "indicators", "sources"):
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (tmp_path / "b" / f"{name}.csv").read_bytes()


def test_scale_one_is_the_real_seeds(seeds, tmp_path):
    synthetic.generate(seeds, tmp_path / "x1", scale=1)
    for name in ("cities", "city_year_values", "indicators", "sources"):
        assert (tmp_path / "x1" / f"{name}.csv").read_bytes() == (seeds / f"{name}.csv").read_bytes()


def test_never_writes_into_the_repository(seeds):
    with pytest.raises(ValueError, match="outside the repository"):
        synthetic.generate(seeds, REPO / "seeds", scale=2)


def test_the_scale_benchmark_reads_the_one_query_checks_time_from_dbts_log(tmp_path):
    from bench.run_benchmarks import column_rules_node_seconds, statement_seconds

    log = tmp_path / "dbt.log"
    log.write_text("\n".join([
        "10:39:36.757 [debug] [MainThread]: On macro_check_column_rules: BEGIN",
        "10:39:36.757 [debug] [MainThread]: SQL status: OK in 0.000 seconds",
        "10:39:36.800 [debug] [MainThread]: On macro_check_column_rules: COMMIT",
        "10:39:36.801 [debug] [MainThread]: SQL status: OK in 0.001 seconds",
        "10:39:36.874 [debug] [MainThread]: On macro_check_column_rules: /* {\"app\": \"dbt\"} */",
        "    select 'column_rules_dim_city' as test_name",
        "10:39:36.900 [debug] [Thread-1 (]: SQL status: OK in 9.999 seconds",  # another thread's statement
        "10:39:37.477 [debug] [MainThread]: SQL status: OK in 0.594 seconds",
        "10:39:37.481 [debug] [MainThread]: On macro_check_column_rules: Close",
    ]), encoding="utf-8")
    assert statement_seconds(log, "macro_check_column_rules") == pytest.approx(0.594)
    with pytest.raises(RuntimeError, match="no finished query on connection master"):
        statement_seconds(log, "master")
    # a query that never finished: not the time of an earlier statement
    with log.open("a", encoding="utf-8") as more:
        more.write("\n10:40:00.000 [debug] [MainThread]: On macro_check_column_rules: /* {\"app\": \"dbt\"} */\n")
    with pytest.raises(RuntimeError, match="no finished query"):
        statement_seconds(log, "macro_check_column_rules")

    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": "test.hefei_warehouse.column_rules_dim_city", "execution_time": 0.25},
        {"unique_id": "test.hefei_warehouse.column_rules_fct_city_growth", "execution_time": 0.5},
        {"unique_id": "test.hefei_warehouse.golden_wuhan_gdp_2022", "execution_time": 4.0},
        {"unique_id": "model.hefei_warehouse.column_rules_like_name", "execution_time": 8.0},
    ]}), encoding="utf-8")
    assert column_rules_node_seconds(tmp_path) == {"tests": 2, "seconds": 0.75}


def test_the_scale_report_shows_the_one_query_beside_the_test_nodes_and_its_failures():
    from bench.run_benchmarks import markdown

    entry = {
        "units": 3400, "city_indicators": 40, "city_year_values": 2426648, "seeds_csv_mb": 145.0,
        "direct_load_s": 1.2, "build_wall": 45.1, "model_seconds": 45.3, "floor": {"total": 39.6},
        "build_peak_rss_mb": 1566.0, "database_mb": 543.0, "spine_rows": 3264000, "scenario_pillar_rows": 12806550,
        "memory_limit": "6GB", "column_rules_nodes": 75, "column_rules_node_seconds": 5.8, "column_rules_tests": 78,
        "column_rules_one_query_s": 2.358, "column_rules_run_operation_s": 5.0,
        "column_rules_run_operation_peak_mb": 707.0, "column_rules_failed": None,
    }
    failed = {**entry, "column_rules_tests": None, "column_rules_one_query_s": None,
              "column_rules_failed": "exit code 1: Out of Memory Error"}
    report = markdown({"machine": {"cpu": "cpu", "cores": 2, "memory_gb": 25.3, "python": "3.11.7", "duckdb": "2.0.1"},
                       "runs": 1, "scale": {"x10": entry, "x100": failed}})
    assert "| x10 | 75 | 5.8 | 78 | 2.4 | 5.0 | 707 |" in report
    assert "| x100 | 75 | 5.8 |  |  (FAILED: exit code 1: Out of Memory Error) | 5.0 | 707 |" in report


def test_the_benchmark_gives_dbt_what_the_build_gives_it_in_its_own_project(tmp_path, monkeypatch):
    from bench.measure import dbt_env
    from hefei_warehouse.dbt_runner import dbt_env as build_dbt_env

    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "none")  # a user's setting the statement times need undone
    project, database, work = tmp_path / "project", tmp_path / "db" / "hefei.duckdb", tmp_path / "work"
    env = dbt_env(project, database, work)
    assert env["DBT_LOG_LEVEL_FILE"] == "debug" and env["DBT_LOG_FORMAT_FILE"] == "debug"
    assert env["HEFEI_BUILD_PATH"] == str(database) and env["DBT_LOG_PATH"] == str(work / "logs")
    project_keys = {"HEFEI_PROJECT_DIR", "DBT_PROJECT_DIR", "DBT_PROFILES_DIR"}
    assert {key: env[key] for key in project_keys} == dict.fromkeys(project_keys, str(project))
    build = build_dbt_env(database, work)
    assert {k: v for k, v in env.items() if k not in project_keys} == \
        {k: v for k, v in build.items() if k not in project_keys}
