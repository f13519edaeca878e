"""The DuckDB/Spark comparison itself: it must fail on any difference that matters and on
empty tables, pass float noise within the stated tolerance, and cover every mart; and the
engine-neutral statistics it relies on must equal DuckDB's own functions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from hefei_warehouse.engine_parity import (
    RELATIVE_TOLERANCE,
    check_seed_round_trip,
    compare_frames,
    default_work_dir,
    published_relations,
    read_spark_export,
)

REPO = Path(__file__).resolve().parents[1]


def _mart() -> pd.DataFrame:
    return pd.DataFrame({
        "city_code": ["340100", "430100", "610100"],
        "name_en": ["Hefei", "Changsha", "Xi'an"],
        "year": [2020, 2020, 2020],
        "index_score": [68.7123456789, 61.6, None],
        "is_inland": [True, True, True],
    })


def test_equal_tables_pass_even_in_another_row_order():
    spark = _mart().iloc[[2, 0, 1]].reset_index(drop=True)
    result = compare_frames("marts.t", _mart(), spark)
    assert result.ok, result.problems
    assert (result.rows_duckdb, result.rows_spark) == (3, 3)


def test_float_noise_within_the_tolerance_passes_and_beyond_it_fails():
    noisy = _mart()
    noisy.loc[0, "index_score"] *= 1 + RELATIVE_TOLERANCE / 10
    assert compare_frames("marts.t", _mart(), noisy).ok
    off = _mart()
    off.loc[0, "index_score"] *= 1 + RELATIVE_TOLERANCE * 10
    problems = compare_frames("marts.t", _mart(), off).problems
    assert len(problems) == 1 and problems[0].startswith("index_score: 1 numbers differ")


def test_a_changed_key_or_text_fails():
    renamed = _mart()
    renamed.loc[2, "name_en"] = "Xi\\'an"  # an apostrophe mangled on the way in
    problems = compare_frames("marts.t", _mart(), renamed).problems
    assert problems == ["name_en: 1 values differ (first: DuckDB \"Xi'an\", Spark \"Xi\\\\'an\")"]
    recoded = _mart()
    recoded.loc[1, "city_code"] = "430101"
    assert not compare_frames("marts.t", _mart(), recoded).ok


def test_rows_told_apart_only_by_floats_pair_up_despite_noise():
    """The row order comes from floats rounded to 6 significant digits, so noise in the last
    digits of one engine does not pair a row with the wrong one."""
    duck = pd.DataFrame({"score": [3.25, 1.5, 2.75, None, -0.001, 0.0]})
    spark = pd.DataFrame({"score": [1.5 * (1 + 1e-9), None, 0.0, 2.75, -0.001 * (1 - 1e-9), 3.25 * (1 - 1e-9)]})
    assert compare_frames("marts.t", duck, spark).ok
    moved = spark.assign(score=[1.5, None, 0.0, 2.75, -0.001, 3.26])
    problems = compare_frames("marts.t", duck, moved).problems
    assert len(problems) == 1 and problems[0].startswith("score: 1 numbers differ"), problems


def test_an_infinity_equals_only_the_same_infinity():
    duck = pd.DataFrame({"city_code": ["a", "b", "c"], "ratio": [float("inf"), float("-inf"), 1.0]})
    assert compare_frames("marts.t", duck, duck.copy()).ok
    finite = duck.assign(ratio=[1e308, float("-inf"), 1.0])
    problems = compare_frames("marts.t", duck, finite).problems
    assert len(problems) == 1 and problems[0].startswith("ratio: 1 numbers differ"), problems
    flipped = duck.assign(ratio=[float("-inf"), float("inf"), 1.0])
    assert compare_frames("marts.t", duck, flipped).problems[0].startswith("ratio: 2 numbers differ")


def test_null_on_one_engine_only_fails():
    filled = _mart()
    filled.loc[2, "index_score"] = 0.0
    problems = compare_frames("marts.t", _mart(), filled).problems
    assert problems and problems[0].startswith("index_score: NULL on one engine only in 1 rows")


def test_empty_tables_fail_even_when_both_engines_agree():
    empty = _mart().iloc[0:0]
    assert compare_frames("marts.t", empty, empty.copy()).problems == [
        "empty table (DuckDB 0 rows, Spark 0 rows)"]
    assert not compare_frames("marts.t", _mart(), empty).ok


def test_row_counts_and_columns_must_match():
    assert compare_frames("marts.t", _mart(), _mart().iloc[:2]).problems == [
        "row counts differ: DuckDB 3, Spark 2"]
    problems = compare_frames("marts.t", _mart(), _mart().drop(columns="is_inland")).problems
    assert problems == ["columns differ: only on DuckDB ['is_inland'], only on Spark []"]


def test_integer_types_of_the_two_engines_compare_as_numbers():
    spark = _mart().astype({"year": "int32"})
    assert compare_frames("marts.t", _mart().astype({"year": "int64"}), spark).ok


def test_seed_round_trip_catches_none_text_and_lost_apostrophes(tmp_path):
    seed = tmp_path / "cities.csv"
    seed.write_text("city_code,name_en,note\n340100,Hefei,\n610100,Xi'an,capital\n", encoding="utf-8")
    intact = pd.DataFrame({"city_code": ["340100", "610100"], "name_en": ["Hefei", "Xi'an"], "note": [None, "capital"]})
    assert check_seed_round_trip("seeds.cities", seed, intact) == []
    as_dbt_spark_loads_it = intact.assign(note=["None", "capital"], name_en=["Hefei", "Xi"])
    problems = check_seed_round_trip("seeds.cities", seed, as_dbt_spark_loads_it)
    assert problems == [
        "seeds.cities.name_en: text differs from cities.csv (e.g. [\"Xi'an\"])",
        "seeds.cities.note: 0 NULLs loaded, 1 empty fields in cities.csv",
        "seeds.cities.note: text differs from cities.csv (e.g. [])",
    ]


def test_spark_tables_under_a_folder_named_like_a_partition_keep_their_columns(tmp_path):
    """Spark's export folder under `year=1999`: the files' own columns and values, nothing
    taken from the path."""
    folder = tmp_path / "year=1999" / "exports" / "marts.t"
    folder.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(f"copy (select * from (values ('340100', 2021), ('610100', 2022)) as v(city_code, year)) "
                    f"to '{folder / 'part-0.parquet'}'")
    frame = read_spark_export(folder.parent, "marts.t")
    assert list(frame.columns) == ["city_code", "year"]
    assert sorted(frame.itertuples(index=False, name=None)) == [("340100", 2021), ("610100", 2022)]


def test_each_checkout_has_its_own_default_spark_check_folder(tmp_path, monkeypatch):
    # One folder for every checkout let two checks clear each other's builds.
    folders = []
    for checkout in ("one", "two", "one"):
        monkeypatch.setenv("HEFEI_PROJECT_DIR", str(tmp_path / checkout))
        folders.append(default_work_dir())
    assert folders[0] == folders[2] != folders[1]
    assert folders[0].name.startswith("hefei-spark-check-")


@pytest.fixture(scope="module")
def manifest(built_warehouse) -> Path:
    """dbt's manifest of this project, as published with the warehouse built for the tests."""
    return built_warehouse.parent / "docs" / "manifest.json"


def test_every_mart_and_semantic_model_is_compared(manifest):
    relations = published_relations(manifest)
    mart_files = {p.stem for p in (REPO / "models" / "marts").rglob("*.sql")}
    semantic_files = {p.stem for p in (REPO / "models" / "semantic").rglob("*.sql")}
    assert set(relations) == {f"marts.{m}" for m in mart_files} | {f"semantic.{m}" for m in semantic_files}
    assert {"marts.fct_replicability_ranking", "marts.dim_city", "semantic.sem_city_year"} <= set(relations)
    nodes = json.loads(manifest.read_text())["nodes"]
    assert not any(r.startswith("intermediate.") for r in relations) and len(nodes) > len(relations)



@pytest.mark.parametrize("sample", [
    [1.0, 2.0, 2.5, 3.0, 10.0, 40.0, 41.0, 0.5],                 # skewed
    [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],           # binary, as a yes/no indicator
    [12000.0, 15000.5, 9000.25, 300000.0, 11000.0, 14500.0],     # large values, one far outlier
])
def test_moment_skewness_and_kurtosis_are_the_sample_corrected_statistics(sample, tmp_path):
    """The outlier rule's skewness and kurtosis are the sample-corrected G1 and G2 on every
    engine (Spark's own functions are population statistics, which its macros correct).
    Rendered by dbt for DuckDB, they must equal scipy's bias-corrected estimates."""
    from scipy import stats

    con = duckdb.connect()
    con.execute("create table t as select unnest(?) as x", [sample])
    ours = con.execute(_rendered_moments(tmp_path) + " from t").fetchone()
    assert ours == pytest.approx((stats.skew(sample, bias=False), stats.kurtosis(sample, bias=False)), rel=1e-9)


def test_moments_are_null_for_too_few_values_or_no_spread(tmp_path):
    con = duckdb.connect()
    for sample in ([1.0, 2.0], [5.0, 5.0, 5.0, 5.0, 5.0]):
        con.execute("create or replace table t as select unnest(?) as x", [sample])
        assert con.execute(_rendered_moments(tmp_path) + " from t").fetchone() == (None, None)


_RENDERED: dict[str, str] = {}


def _rendered_moments(tmp_path: Path) -> str:
    """select <index_skewness(x)>, <index_kurtosis(x)> as dbt renders them for DuckDB.

    Rendered in a copy of the project's settings, profile and macros without its models, tests
    and seeds: the macros render the same, and dbt does not parse the whole project (about 4 s of
    CPU) for two expressions."""
    if "sql" not in _RENDERED:
        project = tmp_path / "macros-only"
        project.mkdir()
        for name in ("dbt_project.yml", "profiles.yml"):
            shutil.copy2(REPO / name, project / name)
        shutil.copytree(REPO / "macros", project / "macros")
        env = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "PATH": str(Path(sys.executable).parent),
               "HEFEI_BUILD_PATH": str(tmp_path / "compile.duckdb"), "DBT_TARGET_PATH": str(tmp_path / "target"),
               "DBT_LOG_PATH": str(tmp_path / "logs")}
        result = subprocess.run(
            [str(Path(sys.executable).with_name("dbt")), "compile", "--target", "local", "--quiet", "--inline",
             "select {{ index_skewness('x') }} as skew_value, {{ index_kurtosis('x') }} as kurt_value"],
            cwd=project, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        _RENDERED["sql"] = result.stdout.strip()
    return _RENDERED["sql"]
