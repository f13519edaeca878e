"""Build the project on Apache Spark and prove its tables equal to the DuckDB build.

`hefei-warehouse spark-check` builds the dbt project twice from the committed seeds, once on
DuckDB and once on a local Spark (dbt-spark, session method), and compares every mart and
semantic table, found in dbt's manifest so a new mart is covered without a change here:
same columns, same row count, equal keys and text, numbers equal within RELATIVE_TOLERANCE.
An empty table fails too (an empty mart on both engines is a broken build, not agreement).
The seeds are also checked against the CSV files: a gap stays NULL and text with
apostrophes arrives intact. Passing dbt tests on Spark are not enough on their own: a
model that silently returns no rows still passes most of them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .dbt_runner import dbt_command, keep_parse_of_this_project, without_users_dbt_settings
from .paths import project_dir
from .unit_tests import passed_in_run

# Numbers must agree to 1 part in a million. The engines sum floating-point values in
# different orders (Spark in parallel partitions), which moves the last few of the ~16
# significant digits; 1e-6 leaves ten orders of magnitude of room for that and still
# catches any real difference in a published figure, which is reported to 1-2 decimals.
RELATIVE_TOLERANCE = 1e-6
# Below this magnitude two numbers count as equal (a difference of exactly-zero results
# such as 1e-17 vs 0 has no meaningful relative size).
ABSOLUTE_FLOOR = 1e-9

PUBLISHED_SCHEMAS = ("marts", "semantic")


@dataclass
class TableResult:
    relation: str
    rows_duckdb: int | None
    rows_spark: int | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def published_relations(manifest_path: Path) -> list[str]:
    """schema.name of every model the manifest places in a published schema (marts, semantic)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    relations = {
        f"{node['schema']}.{node['alias']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] in PUBLISHED_SCHEMAS
    }
    return sorted(relations)


def seed_relations(manifest_path: Path) -> dict[str, Path]:
    """schema.name of every seed -> its CSV file."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return {
        f"{node['schema']}.{node['alias']}": Path(node["root_path"]) / node["original_file_path"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "seed"
    }


def _is_float(series: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(series) or series.dtype == object and any(
        isinstance(v, float) for v in series.dropna().head(50)
    )


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Same column order, lower-case names, engine-neutral values (dates and lists as text,
    integers and decimals as numbers), so the two engines' frames can be compared cell by cell."""
    frame = frame.rename(columns=str.lower)
    frame = frame[sorted(frame.columns)].copy()
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            if not pd.api.types.is_bool_dtype(series):
                frame[column] = series.astype("float64")
            continue
        if pd.api.types.is_datetime64_any_dtype(series):
            frame[column] = series.dt.strftime("%Y-%m-%d %H:%M:%S").where(series.notna(), None)
            continue
        if isinstance(series.dtype, pd.StringDtype):
            continue  # text already, with missing values as missing
        values = series.astype(object).where(series.notna(), None)
        if all(v is None or isinstance(v, bool) for v in values):
            continue
        if all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) or type(v).__name__ == "Decimal"
               for v in values):
            frame[column] = pd.to_numeric(values, errors="coerce").astype("float64")
            continue
        frame[column] = [None if v is None else str(list(v)) if hasattr(v, "__len__") and not isinstance(v, str)
                         else str(v) for v in values]
    return frame


def _six_significant_digits(values: pd.Series) -> np.ndarray:
    """Floats rounded to 6 significant digits, NULL as +inf: a sort key that float noise in
    the last digits of one engine cannot change (whole columns at once, not value by value)."""
    v = values.to_numpy(dtype=float, na_value=np.nan)
    finite = np.isfinite(v) & (v != 0)
    scale = np.ones_like(v)
    scale[finite] = 10.0 ** (5 - np.floor(np.log10(np.abs(v[finite]))))
    key = np.where(finite, np.round(v * scale) / scale, v)
    return np.where(np.isnan(v), np.inf, key)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a canonical order: by every non-float column, then by floats rounded to
    6 significant digits, so float noise in one engine cannot reorder the rows."""
    keys = pd.DataFrame(index=frame.index)
    sort_columns = [c for c in frame.columns if not pd.api.types.is_float_dtype(frame[c])]
    float_columns = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    for column in sort_columns:
        text = frame[column].astype(object)
        keys[column] = text.where(text.notna(), "\x00").astype(str)
    for column in float_columns:
        keys[column] = _six_significant_digits(frame[column])
    order = keys.sort_values(sort_columns + float_columns, kind="mergesort").index
    return frame.loc[order].reset_index(drop=True)


def compare_frames(relation: str, duck: pd.DataFrame, spark: pd.DataFrame,
                   rtol: float = RELATIVE_TOLERANCE) -> TableResult:
    """Compare one table as built by the two engines; the result lists every difference found."""
    result = TableResult(relation, len(duck), len(spark))
    duck, spark = _normalise(duck), _normalise(spark)
    if list(duck.columns) != list(spark.columns):
        only_duck = sorted(set(duck.columns) - set(spark.columns))
        only_spark = sorted(set(spark.columns) - set(duck.columns))
        result.problems.append(f"columns differ: only on DuckDB {only_duck}, only on Spark {only_spark}")
        return result
    if len(duck) == 0 or len(spark) == 0:
        result.problems.append(f"empty table (DuckDB {len(duck)} rows, Spark {len(spark)} rows)")
        return result
    if len(duck) != len(spark):
        result.problems.append(f"row counts differ: DuckDB {len(duck)}, Spark {len(spark)}")
        return result
    duck, spark = _sorted(duck), _sorted(spark)
    for column in duck.columns:
        left, right = duck[column], spark[column]
        null_mismatch = left.isna() != right.isna()
        if null_mismatch.any():
            row = int(null_mismatch.idxmax())
            result.problems.append(
                f"{column}: NULL on one engine only in {int(null_mismatch.sum())} rows "
                f"(first: DuckDB {left[row]!r}, Spark {right[row]!r})")
            continue
        both = left.notna() & right.notna()
        if pd.api.types.is_float_dtype(left) and pd.api.types.is_float_dtype(right):
            a, b = left[both].to_numpy(dtype=float), right[both].to_numpy(dtype=float)
            # math.isclose over whole columns: symmetric in the two engines, equal infinities
            # are close, and NaN is close only to NaN.
            with np.errstate(invalid="ignore"):
                allowed = np.maximum(rtol * np.maximum(np.abs(a), np.abs(b)), ABSOLUTE_FLOOR)
                within = np.isfinite(a) & np.isfinite(b) & (np.abs(a - b) <= allowed)
                close = (a == b) | within | (np.isnan(a) & np.isnan(b))
            bad = np.flatnonzero(~close)
            if len(bad):
                i = bad[0]
                result.problems.append(
                    f"{column}: {len(bad)} numbers differ by more than {rtol:g} relative "
                    f"(first: DuckDB {a[i]!r}, Spark {b[i]!r})")
        else:
            unequal = both & (left.astype(str) != right.astype(str))
            if unequal.any():
                row = int(unequal.idxmax())
                result.problems.append(
                    f"{column}: {int(unequal.sum())} values differ (first: DuckDB {left[row]!r}, Spark {right[row]!r})")
    return result


def check_seed_round_trip(relation: str, csv_path: Path, loaded: pd.DataFrame) -> list[str]:
    """The seed as Spark loaded it against its CSV: one row per line, a gap is NULL (never the
    text 'None' or ''), and every text value, apostrophes included, arrives unchanged."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    problems: list[str] = []
    if len(rows) != len(loaded):
        return [f"{relation}: {len(loaded)} rows loaded, {len(rows)} in {csv_path.name}"]
    loaded = loaded.rename(columns=str.lower)
    for column in rows[0].keys() if rows else []:
        series = loaded[column.lower()]
        empty_in_csv = sum(1 for row in rows if row[column] == "")
        if int(series.isna().sum()) != empty_in_csv:
            problems.append(f"{relation}.{column}: {int(series.isna().sum())} NULLs loaded, "
                            f"{empty_in_csv} empty fields in {csv_path.name}")
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            loaded_text = sorted(str(v) for v in series.dropna())
            csv_text = sorted(row[column] for row in rows if row[column] != "")
            if loaded_text != csv_text:
                changed = sorted(set(csv_text) - set(loaded_text))[:3]
                problems.append(f"{relation}.{column}: text differs from {csv_path.name} (e.g. {changed})")
    return problems


def read_spark_export(export_dir: Path, relation: str) -> pd.DataFrame | None:
    folder = export_dir / relation
    files = sorted(folder.glob("*.parquet"))
    if not folder.is_dir():
        return None
    if not files:
        return pd.DataFrame()
    con = duckdb.connect()
    try:
        # No partition columns from the path (the tables are not partitioned): a folder named
        # like `year=1999` above them would otherwise replace or add a column.
        return con.execute("select * from read_parquet(?, hive_partitioning = false)", [[str(f) for f in files]]).df()
    finally:
        con.close()


def read_duckdb(database: Path, relation: str) -> pd.DataFrame | None:
    con = duckdb.connect(str(database), read_only=True)
    try:
        schema, name = relation.split(".")
        found = con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                            [schema, name]).fetchone()[0]
        return con.execute(f'select * from "{schema}"."{name}"').df() if found else None
    finally:
        con.close()


def _dbt(args: list[str], env: dict[str, str], log: Path) -> tuple[int, float]:
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run([*dbt_command(), *args], cwd=project_dir(), env=env, stdout=out,
                              stderr=subprocess.STDOUT, check=False).returncode
    return code, time.monotonic() - started


def _tail(log: Path, lines: int = 25) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def run_spark_check(work_dir: Path, *, rtol: float = RELATIVE_TOLERANCE, echo=print) -> int:
    """Build on DuckDB and on Spark under work_dir, compare, print a table; 0 when equal, 1 otherwise."""
    try:
        import pyspark  # noqa: F401
        import dbt.adapters.spark  # noqa: F401
    except ImportError:
        echo("error: dbt-spark and pyspark are not installed; run `make spark-deps` "
             "(Java 17 must be on the PATH)")
        return 2
    work_dir.mkdir(parents=True, exist_ok=True)
    duck_db = work_dir / "duckdb" / "hefei.duckdb"
    spark_dir = work_dir / "spark"
    export_dir = work_dir / "spark-export"
    for stale in (duck_db.parent, spark_dir, export_dir):
        shutil.rmtree(stale, ignore_errors=True)
    duck_db.parent.mkdir(parents=True)
    spark_dir.mkdir(parents=True)

    base = dict(without_users_dbt_settings(os.environ), DBT_SEND_ANONYMOUS_USAGE_STATS="false",
                DBT_PROFILES_DIR=str(project_dir()), DBT_PROJECT_DIR=str(project_dir()), DBT_USE_COLORS="false")
    duck_env = dict(base, HEFEI_BUILD_PATH=str(duck_db), DBT_TARGET_PATH=str(work_dir / "target-duckdb"),
                    DBT_LOG_PATH=str(work_dir / "logs-duckdb"))
    # Spark's driver binds to the loopback address: nothing listens beyond this machine.
    spark_env = dict(base, HEFEI_SPARK_DIR=str(spark_dir), SPARK_LOCAL_IP="127.0.0.1",
                     DBT_TARGET_PATH=str(work_dir / "target-spark"), DBT_LOG_PATH=str(work_dir / "logs-spark"))

    for target in ("target-duckdb", "target-spark"):  # their saved parses are kept between checks
        keep_parse_of_this_project(work_dir / target)
    echo("building on DuckDB ...")
    code, duck_seconds = _dbt(["build", "--target", "local"], duck_env, work_dir / "duckdb-build.log")
    if code != 0:
        echo(f"error: the DuckDB build failed (log: {work_dir / 'duckdb-build.log'}):\n{_tail(work_dir / 'duckdb-build.log')}")
        return 1
    echo(f"  DuckDB build: {duck_seconds:.0f} s")

    echo("building on Spark (local, 2 cores) ...")
    variables = json.dumps({"spark_export_dir": str(export_dir)})
    code, spark_seconds = _dbt(["build", "--target", "spark", "--vars", variables], spark_env,
                               work_dir / "spark-build.log")
    if code != 0:
        echo(f"error: the Spark build failed (log: {work_dir / 'spark-build.log'}):\n{_tail(work_dir / 'spark-build.log')}")
        return 1
    echo(f"  Spark build: {spark_seconds:.0f} s")

    started = time.monotonic()
    manifest = work_dir / "target-spark" / "manifest.json"
    relations = published_relations(manifest)
    results: list[TableResult] = []
    for relation in relations:
        duck = read_duckdb(duck_db, relation)
        spark = read_spark_export(export_dir, relation)
        if duck is None or spark is None:
            missing = "DuckDB" if duck is None else "Spark"
            results.append(TableResult(relation, None if duck is None else len(duck),
                                       None if spark is None else len(spark), [f"not built on {missing}"]))
            continue
        results.append(compare_frames(relation, duck, spark, rtol))

    seed_problems: list[str] = []
    seeds = seed_relations(manifest)
    for relation, csv_path in seeds.items():
        spark = read_spark_export(export_dir, relation)
        if spark is None:
            seed_problems.append(f"{relation}: not loaded on Spark")
            continue
        seed_problems.extend(check_seed_round_trip(relation, csv_path, spark))
    compare_seconds = time.monotonic() - started

    width = max(len(r.relation) for r in results) if results else 10
    echo(f"\n{'table':<{width}}  {'DuckDB rows':>11}  {'Spark rows':>10}  result")
    for r in results:
        status = "equal" if r.ok else "DIFFERS: " + "; ".join(r.problems)
        echo(f"{r.relation:<{width}}  {r.rows_duckdb if r.rows_duckdb is not None else '-':>11}  "
             f"{r.rows_spark if r.rows_spark is not None else '-':>10}  {status}")
    echo(f"\nseeds: {len(seeds)} loaded on Spark and checked against their CSV files (NULLs, text, apostrophes): "
         + ("all intact" if not seed_problems else f"{len(seed_problems)} problems"))
    for problem in seed_problems:
        echo(f"  {problem}")
    failed = [r for r in results if not r.ok]
    echo(f"\n{len(results) - len(failed)} of {len(results)} marts and semantic tables equal "
         f"(relative tolerance {rtol:g}); DuckDB build {duck_seconds:.0f} s, Spark build {spark_seconds:.0f} s, "
         f"comparison {compare_seconds:.1f} s")
    summary = {
        "tolerance": rtol, "duckdb_build_s": round(duck_seconds, 1), "spark_build_s": round(spark_seconds, 1),
        "compare_s": round(compare_seconds, 1), "seed_problems": seed_problems,
        # every unit test of each build's manifest passed: how many (None if not all did)
        "duckdb_unit_tests_passed": passed_in_run(work_dir / "target-duckdb"),
        "spark_unit_tests_passed": passed_in_run(work_dir / "target-spark"),
        "tables": [{"relation": r.relation, "rows_duckdb": r.rows_duckdb, "rows_spark": r.rows_spark,
                    "problems": r.problems} for r in results],
    }
    (work_dir / "spark-check.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0 if results and not failed and not seed_problems else 1


def default_work_dir() -> Path:
    """A folder in the system's temp dir for this checkout: two checkouts on one machine do
    not build into, or clear, each other's."""
    checkout = hashlib.sha256(str(project_dir().resolve()).encode("utf-8")).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"hefei-spark-check-{checkout}"


if __name__ == "__main__":  # pragma: no cover - the CLI is the entry point
    sys.exit(run_spark_check(default_work_dir()))
