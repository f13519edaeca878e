"""Run a command as a child process and measure its wall time and peak memory.

Peak memory is the largest resident set of the child or any process it waited for (Linux
folds waited-for grandchildren into the child's ru_maxrss), so a `hefei-warehouse build`
that starts dbt reports dbt's peak if dbt was the biggest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from hefei_warehouse import workspace
from hefei_warehouse.dbt_runner import dbt_command, dbt_executable, dbt_env as build_dbt_env

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int
    log: Path

    def check(self) -> "Run":
        if self.returncode != 0:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"command failed ({self.returncode}), see {self.log}:\n{tail}")
        return self


def measured(command: list[str], *, log: Path, env: dict | None = None, cwd: Path = REPO) -> Run:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss / 1024, child.returncode, log)


def last_json_line(log: Path) -> dict:
    for line in reversed(log.read_text().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON result in {log}")


def python() -> str:
    return sys.executable


def dbt(plain: bool = False) -> list[str]:
    """dbt as the build starts it (hefei_warehouse.dbt_entry), or the plain `dbt` script."""
    return [dbt_executable()] if plain else dbt_command()


def dbt_env(project: Path, database: Path, work: Path) -> dict[str, str]:
    """dbt pointed at a project, a database file and private target/log folders, with every
    other setting the build gives its dbt (dbt_runner.dbt_env): what is timed is what a build
    runs, and its debug log holds the statement times read here."""
    env = build_dbt_env(database, work)
    env.update(HEFEI_PROJECT_DIR=str(project), DBT_PROJECT_DIR=str(project), DBT_PROFILES_DIR=str(project))
    return env


def run_dbt(args: list[str], *, project: Path, database: Path, work: Path, name: str, plain: bool = False) -> Run:
    return measured([*dbt(plain), *args], log=work / f"{name}.log", env=dbt_env(project, database, work), cwd=project)


def run_results(work: Path) -> dict:
    """dbt's own timing of the last command in `work`: elapsed and summed node execution."""
    data = json.loads((work / "target" / "run_results.json").read_text())
    by_kind: dict[str, float] = {}
    for result in data["results"]:
        kind = result["unique_id"].split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + result["execution_time"]
    slowest = sorted(data["results"], key=lambda r: -r["execution_time"])[:5]
    return {
        "elapsed": data["elapsed_time"],
        "execution_sum": sum(by_kind.values()),
        "by_kind": by_kind,
        "nodes": len(data["results"]),
        "failed": [r["unique_id"] for r in data["results"] if r["status"] in ("error", "fail")],
        "slowest": [(r["unique_id"].split(".")[-1], round(r["execution_time"], 2)) for r in slowest],
    }


def copy_project(target: Path) -> Path:
    """A throw-away copy of the dbt project (models, macros, tests, seeds, profile)."""
    return workspace.copy_project(target, REPO)


def size_mb(path: Path) -> float:
    path = path.resolve()
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def cap_duckdb_memory(project: Path, limit: str) -> None:
    """Set DuckDB's memory_limit in a project copy's profile (DuckDB then spills to disk).

    DuckDB's default is 80% of the machine's memory, which on a big machine lets one build
    hold far more than the data needs; a county-scale user would set a cap like this."""
    import yaml

    profile_path = project / "profiles.yml"
    if project.resolve() == REPO:
        raise ValueError("only a project copy's profile may be changed")
    profiles = yaml.safe_load(profile_path.read_text(encoding="utf-8"))
    for profile in profiles.values():
        for output in profile["outputs"].values():
            settings = output.setdefault("settings", {})
            settings["memory_limit"] = limit
            # Spilling is bounded too, so a run that outgrows the disk fails instead of filling it.
            settings["max_temp_directory_size"] = "20GB"
    profile_path.write_text(yaml.safe_dump(profiles, sort_keys=False), encoding="utf-8")
