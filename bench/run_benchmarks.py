"""Benchmark the warehouse build: where the time goes, how it grows, what memory it needs.

    python bench/run_benchmarks.py            # full run (median of 3, 10x and 100x synthetic)
    python bench/run_benchmarks.py --quick    # one run each, 10x only (a few minutes)

Measures, on this machine:
  1. the full build as `hefei-warehouse build` runs it (ingest excluded), per build step;
  2. dbt alone: start-up, parse, seed, run, test and build, wall time against the time dbt
     reports for its nodes;
  3. the floor: the same compiled SQL replayed directly in one DuckDB process (bench/floor.py);
  4. the uncertainty analysis (index scenarios) at 1,000 and 10,000 scenarios;
  5. synthetic data at 10x and 100x the real number of units (bench/synthetic.py), loaded
     straight into DuckDB and built with `dbt build --exclude resource_type:seed`, plus
     `dbt seed` of the 10x files to show what the agate seed path costs.

Everything is written under --out (default /tmp/hefei-bench): logs, throw-away project
copies, synthetic files and databases, results.json and results.md. Nothing is written to
the repository and the published warehouse is not touched.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import measure, synthetic  # noqa: E402
from bench.measure import Run, dbt_env, measured, run_dbt, run_results, size_mb  # noqa: E402
from hefei_warehouse.build import RULES_CHECKED, RULES_IN_ONE_QUERY  # noqa: E402

BENCH = REPO / "bench"
SCENARIO_MODELS = "int_index__scenario_draws+"
SECTIONS = ("full", "dbt", "floor", "scenarios", "scale")
# Nothing has to be excluded on synthetic data today: golden tests read the real units,
# which the synthetic seeds keep unchanged. Add selectors here if a test comes to depend on
# every unit being real.
SCALE_EXCLUDE: list[str] = []


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def say(text: str) -> None:
    print(text, flush=True)


# -- 1. the full build ---------------------------------------------------------------

def child_build(published: str) -> int:
    """Run in a child process: build and publish, print the seconds of every build step."""
    from hefei_warehouse.build import build_warehouse

    marks: list[tuple[float, str]] = []

    def note(line: str) -> None:
        if line.startswith("["):
            marks.append((time.perf_counter(), line.split("] ", 1)[1].rstrip(" .").split(" (")[0]))

    started = time.perf_counter()
    build_warehouse(Path(published), quiet=True, say=note)
    ended = time.perf_counter()
    ends = [mark for mark, _ in marks[1:]] + [ended]
    steps = {name: end - begin for (begin, name), end in zip(marks, ends)}
    print(json.dumps({"total": ended - started, "steps": steps}))
    gc.freeze()  # end as `hefei-warehouse` does (cli.run), without a last full collection
    return 0


def _timed_build(published: Path, folder: Path, log_name: str) -> dict:
    run = measured(
        [measure.python(), str(BENCH / "run_benchmarks.py"), "--child-build", str(published)],
        log=folder / log_name, env=dbt_env(REPO, published, folder),
    ).check()
    timing = measure.last_json_line(run.log)
    return {"wall": run.seconds, "peak_rss_mb": run.peak_rss_mb, "steps": timing["steps"]}


def bench_full_build(out: Path, runs: int) -> dict:
    """Each run builds twice into a new folder: the first build is cold (dbt parses the whole
    project), the second is what a scheduled build costs (dbt re-parses only changed files,
    from the parse it keeps beside the warehouse)."""
    results, warm = [], []
    for number in range(runs):
        folder = out / "full_build" / f"run{number}"
        shutil.rmtree(folder, ignore_errors=True)
        published = folder / "warehouse" / "hefei.duckdb"
        cold = _timed_build(published, folder, "build.log")
        results.append({
            **cold,
            "database_mb": size_mb(published), "exports_mb": size_mb(published.parent / "exports"),
            "docs_mb": size_mb(published.parent / "docs"), "report_mb": size_mb(published.parent / "report.html"),
        })
        warm.append(_timed_build(published, folder, "build-again.log"))
        say(f"  full build run {number + 1}: {cold['wall']:.1f} s cold, {warm[-1]['wall']:.1f} s warm, "
            f"peak {cold['peak_rss_mb']:.0f} MB")
    steps = {name: median([r["steps"].get(name) for r in results]) for name in results[0]["steps"]}
    warm_steps = {name: median([r["steps"].get(name) for r in warm]) for name in warm[0]["steps"]}
    keys = ("wall", "peak_rss_mb", "database_mb", "exports_mb", "docs_mb", "report_mb")
    return {**{key: median([r[key] for r in results]) for key in keys}, "steps": steps, "runs": results,
            "warm": {"wall": median([r["wall"] for r in warm]), "steps": warm_steps, "runs": warm}}


# -- 2. dbt alone, and 3. the floor ----------------------------------------------------

def bench_dbt(out: Path, runs: int) -> dict:
    """Each dbt command on its own, from a cold start (fresh target folder, no partial parse)."""
    collected: dict[str, list] = {}
    for number in range(runs):
        work = out / "dbt" / f"run{number}"
        shutil.rmtree(work, ignore_errors=True)
        database = work / "db" / "hefei.duckdb"
        database.parent.mkdir(parents=True)
        steps = [
            # --help loads dbt's whole command line; --version would also ask PyPI for the
            # latest release, which is a network call and not start-up.
            ("start-up (dbt --help)", ["--help"], False),
            ("parse (no partial parse)", ["parse", "--no-partial-parse"], False),
            ("seed", ["seed"], True),
            ("run", ["run"], True),
            ("test", ["test"], True),
        ]
        for label, args, has_results in steps:
            run = run_dbt(args, project=REPO, database=database, work=work, name=label.split()[0]).check()
            entry = {"wall": run.seconds, "peak_rss_mb": run.peak_rss_mb}
            if has_results:
                entry.update(run_results(work))
            collected.setdefault(label, []).append(entry)
        # dbt build on a fresh file, every node one by one (plain `dbt build`)
        build_work = out / "dbt" / f"build{number}"
        shutil.rmtree(build_work, ignore_errors=True)
        build_db = build_work / "db" / "hefei.duckdb"
        build_db.parent.mkdir(parents=True)
        run = run_dbt(["build"], project=REPO, database=build_db, work=build_work, name="build").check()
        collected.setdefault("build", []).append({"wall": run.seconds, "peak_rss_mb": run.peak_rss_mb, **run_results(build_work)})
        # again on a new file at the same path, so dbt re-parses only what changed (its target
        # folder is kept): the run whose results the floor replays, every data test a node
        build_db.unlink()
        again = run_dbt(["build"], project=REPO, database=build_db, work=build_work, name="build-again").check()
        collected.setdefault("build (warm: partial parse)", []).append(
            {"wall": again.seconds, "peak_rss_mb": again.peak_rss_mb, **run_results(build_work)})
        # as a scheduled build runs it: the build's own arguments (the column_rules tests in
        # one query at the end), on unchanged code whose unit tests passed before
        # (src/hefei_warehouse/unit_tests.py), so without the unit tests. Its own folder: other
        # --vars would make dbt parse everything again. One run first to leave a parse there.
        scheduled_work = out / "dbt" / f"scheduled{number}"
        shutil.rmtree(scheduled_work, ignore_errors=True)
        scheduled_db = scheduled_work / "db" / "hefei.duckdb"
        scheduled_db.parent.mkdir(parents=True)
        args = ["build", "--exclude-resource-type", "unit_test", *RULES_IN_ONE_QUERY]
        run_dbt(args, project=REPO, database=scheduled_db, work=scheduled_work, name="build-scheduled-first").check()
        scheduled_db.unlink()
        scheduled = run_dbt(args, project=REPO, database=scheduled_db, work=scheduled_work, name="build-scheduled").check()
        collected.setdefault("build (warm, unit tests passed before)", []).append(
            {"wall": scheduled.seconds, "peak_rss_mb": scheduled.peak_rss_mb, **run_results(scheduled_work)})
        # the same through the plain `dbt` script users run, for comparison with the build's entry
        scheduled_db.unlink()
        plain = run_dbt(args, project=REPO, database=scheduled_db, work=scheduled_work, name="build-scheduled-plain",
                        plain=True).check()
        collected.setdefault("build (warm, unit tests passed before), plain dbt script", []).append(
            {"wall": plain.seconds, "peak_rss_mb": plain.peak_rss_mb, **run_results(scheduled_work)})
        say(f"  dbt run {number + 1}: build {run.seconds:.1f} s cold, {again.seconds:.1f} s warm, "
            f"{scheduled.seconds:.1f} s warm without unit tests")
    summary = {}
    for label, entries in collected.items():
        summary[label] = {
            key: median([e.get(key) for e in entries]) for key in ("wall", "peak_rss_mb", "elapsed", "execution_sum")
        }
        if "by_kind" in entries[-1]:
            summary[label]["by_kind"] = {k: median([e["by_kind"].get(k) for e in entries]) for k in entries[-1]["by_kind"]}
            summary[label]["slowest"] = entries[-1]["slowest"]
            summary[label]["nodes"] = entries[-1]["nodes"]
    summary["_last_build_work"] = str(out / "dbt" / f"build{runs - 1}")
    return summary


def replay_floor(
    build_work: Path, database: Path, log: Path, *, skip_seeds: bool = False, memory_limit: str | None = None,
    threads: int | None = None,
) -> dict:
    target = build_work / "target"
    command = [measure.python(), str(BENCH / "floor.py"), str(target / "run_results.json"), str(target / "manifest.json"), str(database)]
    if skip_seeds:
        command.append("--skip-seeds")
    if memory_limit:
        command.append(f"--memory-limit={memory_limit}")
    if threads:
        command.append(f"--threads={threads}")
    run = measured(command, log=log).check()
    result = measure.last_json_line(run.log)
    return {"wall": run.seconds, "peak_rss_mb": run.peak_rss_mb, **result}


def bench_floor(out: Path, build_work: Path, runs: int) -> dict:
    results = []
    for number in range(runs):
        folder = out / "floor" / f"run{number}"
        shutil.rmtree(folder, ignore_errors=True)
        database = folder / "hefei.duckdb"
        database.parent.mkdir(parents=True)
        results.append(replay_floor(build_work, database, folder / "floor.log"))
    kinds = results[0]["seconds"].keys()
    return {
        "seconds": {kind: median([r["seconds"][kind] for r in results]) for kind in kinds},
        "nodes": results[0]["nodes"],
        "peak_rss_mb": median([r["peak_rss_mb"] for r in results]),
    }


# -- 4. the uncertainty analysis ---------------------------------------------------------

def bench_scenarios(out: Path, built: Path, counts: list[int]) -> dict:
    """Rebuild the scenario models and everything after them (with their tests) on a copy
    of a built warehouse, at each number of Monte Carlo scenarios: cold (a new --vars value
    makes dbt parse the whole project) and warm (the same count again on a fresh copy, with
    dbt's parse kept, as a scheduled build with the count set in dbt_project.yml runs)."""
    results = {}
    for count in counts:
        work = out / "scenarios" / str(count)
        shutil.rmtree(work, ignore_errors=True)
        args = ["build", "--select", SCENARIO_MODELS, "--vars", json.dumps({"index_n_scenarios": count})]
        runs, timings = {}, {}
        # The same path both times: the profile reads it from the environment, and a changed
        # profile makes dbt parse everything again.
        database = work / "db" / "hefei.duckdb"
        database.parent.mkdir(parents=True)
        for kind in ("cold", "warm"):
            shutil.copy2(built, database)
            runs[kind] = run_dbt(args, project=REPO, database=database, work=work, name=f"build-{kind}").check()
            timings[kind] = run_results(work)
        timing = timings["cold"]
        floor_db = work / "floor" / "hefei.duckdb"
        floor_db.parent.mkdir(parents=True)
        shutil.copy2(built, floor_db)
        floor = replay_floor(work, floor_db, work / "floor.log", skip_seeds=True)
        results[count] = {
            "wall": runs["cold"].seconds, "warm_wall": runs["warm"].seconds,
            "peak_rss_mb": max(run.peak_rss_mb for run in runs.values()), "elapsed": timing["elapsed"],
            "model_seconds": timing["by_kind"].get("model"), "floor": floor["seconds"]["total"],
            "warm_elapsed": timings["warm"]["elapsed"], "warm_model_seconds": timings["warm"]["by_kind"].get("model"),
            "slowest": timing["slowest"],
        }
        say(f"  {count} scenarios: {runs['cold'].seconds:.1f} s cold, {runs['warm'].seconds:.1f} s warm, "
            f"DuckDB floor {floor['seconds']['total']:.1f} s")
    return results


# -- 5. synthetic data at scale -------------------------------------------------------------

def bench_scale(out: Path, scale: int, *, with_dbt_seed: bool, memory_limit: str | None) -> dict:
    folder = out / "scale" / f"x{scale}"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    counts = synthetic.generate(REPO / "seeds", folder / "synthetic", scale=scale)
    generated = time.perf_counter() - started
    project = measure.copy_project(folder / "project")
    synthetic.write_project_seeds(REPO / "seeds", folder / "synthetic", project / "seeds")
    shutil.rmtree(folder / "synthetic")  # the project copy holds the files now
    if memory_limit:
        measure.cap_duckdb_memory(project, memory_limit)

    database = folder / "db" / "hefei.duckdb"
    database.parent.mkdir(parents=True)
    load = measured([measure.python(), str(BENCH / "direct_load.py"), str(project), str(database)], log=folder / "load.log").check()
    floor_db = folder / "floor" / "hefei.duckdb"
    floor_db.parent.mkdir(parents=True)
    shutil.copy2(database, floor_db)

    args = ["build", "--exclude", "resource_type:seed", *SCALE_EXCLUDE]
    build = run_dbt(args, project=project, database=database, work=folder, name="build")
    timing = run_results(folder)
    if build.returncode != 0:
        # Keep what was measured (a failure at this size is a result), skip the floor.
        errors = [line.strip() for line in build.log.read_text().splitlines() if "Error:" in line][:3]
        say(f"  x{scale}: dbt build FAILED after {build.seconds:.1f} s, peak {build.peak_rss_mb:.0f} MB: {timing['failed']}")
        return {
            **counts, "memory_limit": memory_limit, "failed": timing["failed"], "errors": errors,
            "seeds_csv_mb": size_mb(project / "seeds" / "city_year_values.csv"), "generate_s": generated,
            "direct_load_s": load.seconds, "build_wall": build.seconds, "build_peak_rss_mb": build.peak_rss_mb,
            "build_elapsed": timing["elapsed"], "model_seconds": timing["by_kind"].get("model"),
            "slowest": timing["slowest"], "floor": None, "database_mb": size_mb(database),
            "spine_rows": _count(database, "marts.fct_city_year_indicator"), "scenario_pillar_rows": None,
        }
    node_seconds = column_rules_node_seconds(folder)
    # One DuckDB thread, as the build's profile: at 100x two threads need more than the 6 GB cap.
    floor = replay_floor(folder, floor_db, folder / "floor.log", skip_seeds=True, memory_limit=memory_limit, threads=1)
    # The build checks the column_rules tests in one query at the end of dbt's run instead of as
    # test nodes. This run loads the seeds outside dbt, so that hook would refuse (its tests on
    # seeds read nodes the run did not build); the same query runs here on the finished
    # database, through the operation `hefei-warehouse build`'s hook calls, beside what the test
    # nodes took in the build above. After the floor, which replays that build's run_results.json;
    # with a log folder of its own. A failure is a result, as the build's is above.
    rules = check_column_rules_at_scale(project, database, folder)
    one_query = (f"FAILED after {rules['run_operation_s']:.1f} s: {rules['failed']}" if rules["failed"] else
                 f"{rules['tests']} tests in {rules['one_query_s']:.1f} s (run-operation {rules['run_operation_s']:.1f} s, "
                 f"peak {rules['run_operation_peak_mb']:.0f} MB)")
    say(f"  x{scale}: column_rules as {node_seconds['tests']} test nodes {node_seconds['seconds']:.1f} s of node "
        f"time; in one query {one_query}")
    result = {
        "memory_limit": memory_limit,
        **counts,
        "seeds_csv_mb": size_mb(project / "seeds" / "city_year_values.csv"),
        "generate_s": generated,
        "direct_load_s": load.seconds, "direct_load_peak_mb": load.peak_rss_mb,
        "build_wall": build.seconds, "build_peak_rss_mb": build.peak_rss_mb,
        "build_elapsed": timing["elapsed"], "model_seconds": timing["by_kind"].get("model"),
        "test_seconds": timing["by_kind"].get("test"), "slowest": timing["slowest"],
        "column_rules_nodes": node_seconds["tests"], "column_rules_node_seconds": node_seconds["seconds"],
        **{f"column_rules_{key}": value for key, value in rules.items()},
        "floor": floor["seconds"], "floor_peak_rss_mb": floor["peak_rss_mb"],
        "database_mb": size_mb(database),
        "spine_rows": _count(database, "marts.fct_city_year_indicator"),
        "scenario_pillar_rows": _count(database, "intermediate.int_index__scenario_pillar_scores"),
    }
    shutil.rmtree(floor_db.parent)
    say(f"  x{scale}: {counts['city_year_values']:,} value rows, load {load.seconds:.1f} s, "
        f"dbt build {build.seconds:.1f} s, peak {build.peak_rss_mb:.0f} MB, floor {floor['seconds']['total']:.1f} s")
    if with_dbt_seed:
        seed_work = folder / "dbt_seed"
        seed_db = seed_work / "db" / "hefei.duckdb"
        seed_db.parent.mkdir(parents=True)
        seeded = run_dbt(["seed"], project=project, database=seed_db, work=seed_work, name="seed").check()
        result["dbt_seed_wall"] = seeded.seconds
        result["dbt_seed_peak_rss_mb"] = seeded.peak_rss_mb
        say(f"  x{scale}: dbt seed of the same files {seeded.seconds:.1f} s, peak {seeded.peak_rss_mb:.0f} MB")
        shutil.rmtree(seed_work)
    database.unlink()  # large; the numbers are kept
    return result


def column_rules_node_seconds(work: Path) -> dict:
    """How many column_rules test nodes the last dbt command in `work` ran, and their summed
    node time (read before another command replaces run_results.json)."""
    data = json.loads((work / "target" / "run_results.json").read_text())
    found = [r["execution_time"] for r in data["results"]
             if r["unique_id"].startswith("test.") and ".column_rules_" in r["unique_id"]]
    return {"tests": len(found), "seconds": sum(found)}


def check_column_rules_at_scale(project: Path, database: Path, folder: Path) -> dict:
    """`dbt run-operation check_column_rules` on a built database: how many tests the one query
    checked, DuckDB's time for it, the command's wall time and peak memory, or how it failed."""
    work = folder / "check-column-rules"
    work.mkdir()
    shutil.copytree(folder / "target", work / "target")  # dbt's parse, so it is not done again
    run = run_dbt(["run-operation", "check_column_rules"], project=project, database=database, work=work,
                  name="run-operation")
    output = run.log.read_text(encoding="utf-8", errors="replace")
    checked = RULES_CHECKED.search(output)
    result = {"tests": int(checked.group(1)) if checked else None, "one_query_s": None,
              "run_operation_s": run.seconds, "run_operation_peak_mb": run.peak_rss_mb, "failed": None}
    if run.returncode != 0 or checked is None:
        failure = next((line.strip() for line in output.splitlines() if "Failure in column_rules" in line
                        or "Error" in line), "no count of checked tests in its output")
        result["failed"] = f"exit code {run.returncode}: {failure[:300]}"
        return result
    try:
        result["one_query_s"] = statement_seconds(work / "logs" / "dbt.log", "macro_check_column_rules")
    except RuntimeError as error:
        result["failed"] = f"the query ran, but its time is not in dbt's log: {error}"
    return result


def statement_seconds(log: Path, connection: str) -> float:
    """DuckDB's time for the last query dbt sent on a connection, from dbt's debug log: the
    "SQL status: OK in N seconds" line that the same thread writes next (dbt's threads write
    into one log). A query carries dbt's comment (`/* {"app": "dbt", ...} */`); BEGIN, COMMIT
    and Close on the same connection do not."""
    seconds = None
    waiting_in = None  # the thread that sent the connection's last query, until its status line
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        thread = re.search(r"\] \[([^\]]+)\]: ", line)
        if thread is None:
            continue
        if f"]: On {connection}: /*" in line:
            waiting_in, seconds = thread.group(1), None
        elif waiting_in == thread.group(1) and "]: SQL status:" in line:
            seconds = float(line.rsplit(" in ", 1)[1].split()[0])
            waiting_in = None
    if seconds is None:
        raise RuntimeError(f"{log}: no finished query on connection {connection}")
    return seconds


def _count(database: Path, table: str) -> int | None:
    """Rows of a table; None when a failed build never made it."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        try:
            return con.execute(f"select count(*) from {table}").fetchall()[0][0]
        except duckdb.CatalogException:
            return None


# -- report -----------------------------------------------------------------------------

def machine() -> dict:
    import duckdb

    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    from importlib.metadata import version
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory_gb, 1),
        "python": platform.python_version(), "duckdb": duckdb.__version__,
        "dbt": f"dbt-core {version('dbt-core')}, dbt-duckdb {version('dbt-duckdb')}",
        "os": platform.platform(),
    }


def markdown(results: dict) -> str:
    def f(value, digits=1):
        return "" if value is None else f"{value:,.{digits}f}"

    lines = []
    m = results["machine"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM; Python {m['python']}, DuckDB {m['duckdb']}.")
    load = ""
    if "load_average_end" in results:
        load = (f" Load average (1, 5, 15 min) at start {', '.join(f'{v:.1f}' for v in results['load_average_start'])}, "
                f"at end {', '.join(f'{v:.1f}' for v in results['load_average_end'])}: other work on the machine slows every number.")
    lines.append(f"Runs per measurement: {results['runs']} (medians).{load}\n")
    # A run with --sections measures only some parts; print the tables it has.
    if "full_build" in results:
        full = results["full_build"]
        lines.append("| full build step | seconds |")
        lines.append("|---|---:|")
        for name, seconds in full["steps"].items():
            lines.append(f"| {name} | {f(seconds)} |")
        lines.append(f"| **total (wall), median** | **{f(full['wall'])}** |")
        lines.append(f"| total (wall), fastest run | {f(min(r['wall'] for r in full['runs']))} |")
        if "warm" in full:
            lines.append(f"| **next build in the same folder (partial parse), median** | **{f(full['warm']['wall'])}** |")
            lines.append(f"| of which dbt build | {f(full['warm']['steps'].get('dbt build'))} |")
        lines.append(f"\nPeak memory {f(full['peak_rss_mb'], 0)} MB; published database {f(full['database_mb'])} MB, "
                     f"exports {f(full['exports_mb'])} MB, docs {f(full['docs_mb'])} MB, report {f(full['report_mb'], 2)} MB.\n")
    if "dbt" in results and "floor" in results and "full_build" in results:
        dbt = results["dbt"]
        lines.append("| dbt command (cold) | wall s | dbt elapsed s | node time s | peak MB |")
        lines.append("|---|---:|---:|---:|---:|")
        for label, entry in dbt.items():
            if label.startswith("_"):
                continue
            lines.append(f"| {label} | {f(entry['wall'])} | {f(entry.get('elapsed'))} | {f(entry.get('execution_sum'))} | {f(entry['peak_rss_mb'], 0)} |")
        floor = results["floor"]
        fs = floor["seconds"]
        lines.append(f"\nFloor (same SQL, one DuckDB connection): seeds {f(fs['seed'])} s + models {f(fs['model'])} s + "
                     f"data tests {f(fs['test'])} s + unit tests {f(fs['unit_test'])} s = **{f(fs['total'])} s**, "
                     f"peak {f(floor['peak_rss_mb'], 0)} MB.")
        lines.append(f"Ratios: dbt build / floor = **{f(dbt['build']['wall'] / fs['total'], 2)}**, "
                     f"full build / floor = **{f(full['wall'] / fs['total'], 2)}** (cold: dbt parses everything).")
        if "warm" in full and "build (warm: partial parse)" in dbt:
            lines.append(f"Warm (partial parse): dbt build / floor = "
                         f"**{f(dbt['build (warm: partial parse)']['wall'] / fs['total'], 2)}**.")
        if "warm" in full and "build (warm, unit tests passed before)" in dbt:
            # A scheduled build on unchanged code leaves out the unit tests, so its floor does too.
            without_unit = fs["total"] - fs["unit_test"]
            lines.append(f"As a scheduled build on unchanged code (partial parse, unit tests passed before): "
                         f"dbt build / floor without unit tests ({f(without_unit)} s) = "
                         f"**{f(dbt['build (warm, unit tests passed before)']['wall'] / without_unit, 2)}**, "
                         f"full build / the same floor = **{f(full['warm']['wall'] / without_unit, 2)}**.")
            plain = dbt.get("build (warm, unit tests passed before), plain dbt script")
            if plain:
                lines.append(f"The same dbt build through the plain `dbt` script / that floor = "
                             f"{f(plain['wall'] / without_unit, 2)}.")
        lines.append("")
    if "scenarios" in results:
        lines.append("| index scenarios (Monte Carlo) | dbt build of the index, wall s: cold | warm (parse kept) | model time s | DuckDB floor s | peak MB |")
        lines.append("|---:|---:|---:|---:|---:|---:|")
        for count, entry in results["scenarios"].items():
            lines.append(f"| {int(count):,} | {f(entry['wall'])} | {f(entry.get('warm_wall'))} | {f(entry['model_seconds'])} "
                         f"| {f(entry['floor'])} | {f(entry['peak_rss_mb'], 0)} |")
    if "scale" in results:
        caps = sorted({str(entry.get("memory_limit")) for entry in results["scale"].values()})
        lines.append(f"\nSynthetic sizes, DuckDB memory_limit {', '.join(caps)} ('None' = DuckDB default, 80% of RAM).")
        lines.append("\n| size | units | city indicators | value rows | CSV MB | direct load s | dbt build s | model time s | floor s | build / floor | peak MB | database MB | long fact rows | scenario rows | dbt seed s (agate) |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for scale, entry in results["scale"].items():
            floor_total = (entry.get("floor") or {}).get("total")
            lines.append(
                f"| {scale} | {entry['units']:,} | {entry['city_indicators']} | {entry['city_year_values']:,} | {f(entry['seeds_csv_mb'], 0)} "
                f"| {f(entry['direct_load_s'])} | {f(entry['build_wall'])}{' (FAILED)' if entry.get('failed') else ''} "
                f"| {f(entry['model_seconds'])} | {f(floor_total)} "
                f"| {f(entry['build_wall'] / floor_total, 2) if floor_total else ''} | {f(entry['build_peak_rss_mb'], 0)} | {f(entry['database_mb'], 0)} "
                f"| {'' if entry['spine_rows'] is None else f(entry['spine_rows'], 0)} | {'' if entry['scenario_pillar_rows'] is None else f(entry['scenario_pillar_rows'], 0)} "
                f"| {f(entry.get('dbt_seed_wall'))} |"
            )
    scales = results.get("scale", {})
    checked = {scale: entry for scale, entry in scales.items() if "column_rules_run_operation_s" in entry}
    if checked:
        lines.append("\nThe column_rules tests at scale: as test nodes in the `dbt build` above (summed node time, "
                     "spread over dbt's two threads), and as the one query `hefei-warehouse build` runs at the end of "
                     "dbt's run instead (alone, on one DuckDB thread; through `dbt run-operation check_column_rules`).")
        lines.append("\n| size | test nodes | their node time s | tests in the one query | one query s | run-operation s | run-operation peak MB |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for scale, entry in checked.items():
            lines.append(f"| {scale} | {entry['column_rules_nodes']} | {f(entry['column_rules_node_seconds'])} "
                         f"| {entry['column_rules_tests'] or ''} | {f(entry['column_rules_one_query_s'])}"
                         f"{' (FAILED: ' + entry['column_rules_failed'] + ')' if entry.get('column_rules_failed') else ''} "
                         f"| {f(entry['column_rules_run_operation_s'])} | {f(entry['column_rules_run_operation_peak_mb'], 0)} |")
    if "x10" in scales and "x100" in scales:
        ratio = scales["x100"]["build_wall"] / scales["x10"]["build_wall"]
        failed = " (the 100x build failed, so this is a lower bound)" if scales["x100"].get("failed") else ""
        lines.append(f"\nGrowth: dbt build at 100x / at 10x = **{f(ratio, 2)}** (target under 10){failed}.")
    for scale, entry in scales.items():
        if entry.get("failed"):
            lines.append(f"\n{scale} failed at {', '.join(n.split('.')[-1] for n in entry['failed'])}: {'; '.join(entry['errors'])[:400]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run each, 10x synthetic only")
    parser.add_argument("--runs", type=int, help="runs per measurement (default 3, 1 with --quick)")
    parser.add_argument("--scales", type=int, nargs="*", help="synthetic sizes as multiples of the real units (default 1 10 100)")
    parser.add_argument("--scenarios", type=int, nargs="*", default=[1000, 10000], help="Monte Carlo scenario counts")
    parser.add_argument("--memory-limit", default="6GB",
                        help="DuckDB memory_limit for the synthetic scale runs ('' for DuckDB's default, 80%% of RAM)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/hefei-bench"), help="work and results folder (outside the repository)")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help="comma-separated subset of " + ",".join(SECTIONS) + " (others are kept from an earlier results.json)")
    parser.add_argument("--report", type=Path, help="only print the tables of an earlier results.json")
    parser.add_argument("--child-build", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_build:
        return child_build(args.child_build)
    if args.report:
        say(markdown(json.loads(args.report.read_text())))
        return 0

    runs = args.runs or (1 if args.quick else 3)
    scales = args.scales if args.scales is not None else ([1, 10] if args.quick else [1, 10, 100])
    out = args.out.resolve()
    if out == REPO or REPO in out.parents:
        parser.error("--out must be outside the repository")
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results_path = out / "results.json"
    sections = set(args.sections.split(","))
    # A partial run keeps the earlier results of the sections it does not repeat.
    results: dict = json.loads(results_path.read_text()) if results_path.exists() and sections != set(SECTIONS) else {}
    results.update(machine=machine(), runs=runs, load_average_start=os.getloadavg())

    def save() -> None:
        results_path.write_text(json.dumps(results, indent=2, default=str))

    say(f"Benchmarking into {out} ({runs} run(s) per measurement)")
    if "full" in sections:
        say("1/5 full build (hefei-warehouse build)")
        results["full_build"] = bench_full_build(out, runs)
        save()
    if "dbt" in sections:
        say("2/5 dbt commands")
        results["dbt"] = bench_dbt(out, runs)
        save()
    if sections & {"floor", "scenarios"} and "dbt" not in results:
        say("The floor and scenario sections use the dbt section's build: run --sections dbt,... first.")
        return 2
    build_work = Path(results["dbt"]["_last_build_work"]) if "dbt" in results else None
    if "floor" in sections:
        say("3/5 floor")
        results["floor"] = bench_floor(out, build_work, runs)
        save()
    if "scenarios" in sections:
        say("4/5 index scenarios")
        results["scenarios"] = bench_scenarios(out, build_work / "db" / "hefei.duckdb", args.scenarios)
        save()
    if "scale" in sections:
        say("5/5 synthetic scale")
        results.setdefault("scale", {})
        for scale in scales:
            results["scale"][f"x{scale}"] = bench_scale(
                out, scale, with_dbt_seed=(scale == 10), memory_limit=args.memory_limit or None)
            save()
    results["benchmark_seconds"] = time.perf_counter() - started
    results["load_average_end"] = os.getloadavg()
    save()
    table = markdown(results)
    (out / "results.md").write_text(table)
    say("\n" + table)
    say(f"Benchmark took {results['benchmark_seconds'] / 60:.1f} min; results in {out}/results.md and results.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
