"""Load a project's seed CSVs straight into DuckDB, the way a county-scale user would.

`dbt seed` reads each CSV into Python (agate) and inserts it row batch by row batch; for
millions of rows that is slow and memory-hungry. This loads every seed with DuckDB's own
CSV reader into the seeds schema, typed as the seed's column_types in seeds/*.yml, so
`dbt build --exclude resource_type:seed` can run on top.

Run as a child process: `python bench/direct_load.py PROJECT DATABASE`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from hefei_warehouse.preflight import declared_column_types


def load(project: Path, database: Path) -> dict[str, int]:
    seeds = project / "seeds"
    types = declared_column_types(seeds)
    rows: dict[str, int] = {}
    with duckdb.connect(str(database), config={"storage_compatibility_version": "v1.4.0"}) as con:
        con.execute("create schema if not exists seeds").fetchall()
        for csv in sorted(seeds.glob("*.csv")):
            name = csv.stem
            typed = ""
            if types.get(name):
                pairs = ", ".join(f"'{column}': '{kind}'" for column, kind in types[name].items())
                typed = f", types = {{{pairs}}}"
            con.execute(
                f"create or replace table seeds.{name} as "
                f"select * from read_csv('{csv.as_posix()}', header = true, hive_partitioning = false{typed})"
            ).fetchall()
            rows[name] = con.execute(f"select count(*) from seeds.{name}").fetchall()[0][0]
        con.execute("checkpoint").fetchall()
    return rows


def main(argv: list[str]) -> int:
    project, database = Path(argv[0]), Path(argv[1])
    started = time.perf_counter()
    rows = load(project, database)
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
