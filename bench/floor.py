"""The floor: what a dbt build costs DuckDB alone.

Replays a finished `dbt build` in one DuckDB connection: every seed loaded with DuckDB's own
CSV reader (typed as the seed's column_types say), every model's compiled SQL materialised
as its view or table, every data and unit test's compiled query counted. Nodes run in the
order dbt finished them, which respects the dependency graph. What remains between this and
dbt's wall time is dbt's own work: start-up, parsing, compiling, per-node bookkeeping,
contracts, agate seed loading, metadata queries and logging.

Run as a child process (`python bench/floor.py RUN_RESULTS MANIFEST DATABASE [--skip-seeds]
[--memory-limit=6GB]`) so its peak
memory can be measured alone; it prints one JSON object with seconds per node kind.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def _seed_sql(node: dict, relation: str) -> str:
    path = (Path(node["root_path"]) / node["original_file_path"]).as_posix()
    types = node.get("config", {}).get("column_types") or {}
    typed = ""
    if types:
        pairs = ", ".join(f"'{name}': '{kind}'" for name, kind in types.items())
        typed = f", types = {{{pairs}}}"
    return f"create or replace table {relation} as select * from read_csv('{path}', header = true, hive_partitioning = false{typed})"


def _model_sql(node: dict, compiled: str, relation: str) -> str:
    kind = "view" if node["config"]["materialized"] == "view" else "table"
    return f"create or replace {kind} {relation} as {compiled}"


def replay(
    run_results: Path, manifest: Path, database: Path, *, skip_seeds: bool = False, memory_limit: str | None = None,
    threads: int | None = None,
) -> dict[str, float]:
    """Execute the build's SQL directly; return seconds per node kind and in total."""
    results = json.loads(run_results.read_text())["results"]
    nodes = json.loads(manifest.read_text())
    by_id = {**nodes["nodes"], **nodes.get("unit_tests", {})}
    seconds: dict[str, float] = {"seed": 0.0, "model": 0.0, "test": 0.0, "unit_test": 0.0}
    counts = dict.fromkeys(seconds, 0)
    started = time.perf_counter()
    config = {"storage_compatibility_version": "v1.4.0"}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if threads:
        config["threads"] = threads
    with duckdb.connect(str(database), config=config) as con:
        for schema in sorted({node.get("schema") for node in nodes["nodes"].values() if node.get("schema")}):
            con.execute(f'create schema if not exists "{schema}"').fetchall()
        for result in results:
            kind = result["unique_id"].split(".")[0]
            node = by_id.get(result["unique_id"])
            if kind not in seconds or node is None or result["status"] == "skipped":
                continue
            relation = node.get("relation_name") or result.get("relation_name")
            if kind == "seed":
                if skip_seeds:
                    continue
                sql = _seed_sql(node, relation)
            elif kind == "model":
                sql = _model_sql(node, result["compiled_code"], relation)
            else:
                sql = f"select count(*) from ({result['compiled_code']}) as checked"
            tick = time.perf_counter()
            con.execute(sql).fetchall()
            seconds[kind] += time.perf_counter() - tick
            counts[kind] += 1
        con.execute("checkpoint").fetchall()
    seconds["total"] = time.perf_counter() - started
    return {"seconds": seconds, "nodes": counts}


def main(argv: list[str]) -> int:
    run_results, manifest, database = (Path(arg) for arg in argv[:3])
    skip_seeds = "--skip-seeds" in argv
    limits = [arg.split("=", 1)[1] for arg in argv if arg.startswith("--memory-limit=")]
    threads = [int(arg.split("=", 1)[1]) for arg in argv if arg.startswith("--threads=")]
    result = replay(run_results, manifest, database, skip_seeds=skip_seeds,
                    memory_limit=limits[0] if limits else None, threads=threads[0] if threads else None)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
