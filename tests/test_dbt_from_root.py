"""An analyst runs `dbt` from the root of a fresh checkout, as the README says they can: against a
build of their own (the default target) or read-only against the published warehouse. Logs
redirected to a file carry no colour codes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from hefei_warehouse.dbt_runner import dbt_executable

pytestmark = pytest.mark.long

ANSI = "\x1b["


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """The files git tracks, copied as a fresh clone would have them (nothing built, no warehouse/)."""
    target = tmp_path_factory.mktemp("checkout")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        origin = REPO / name
        python_side = name.startswith(("src/", "bench/", "docs/")) or (name.startswith("tests/") and not name.startswith("tests/dbt/"))
        if origin.is_file() and not python_side:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target / name)
    return target


def run_dbt_in(folder: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "HEFEI_"))}
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", **env_extra)
    return subprocess.run([dbt_executable(), *args], cwd=folder, env=env, capture_output=True, text=True, timeout=600)


def test_a_fresh_checkout_keeps_the_folder_dbt_writes_to(checkout):
    assert (checkout / "warehouse" / "build").is_dir()
    assert not (checkout / "warehouse" / "hefei.duckdb").exists()


def test_dbt_debug_show_and_compile_work_from_the_repository_root(checkout):
    debug = run_dbt_in(checkout, "debug")
    assert debug.returncode == 0, debug.stdout[-3000:]
    assert "All checks passed" in debug.stdout
    shown = run_dbt_in(checkout, "show", "--inline", "select 6 * 7 as answer")
    assert shown.returncode == 0, shown.stdout[-3000:]
    assert "42" in shown.stdout
    compiled = run_dbt_in(checkout, "compile", "--select", "fct_replicability_ranking")
    assert compiled.returncode == 0, compiled.stdout[-3000:]
    assert list((checkout / "target" / "compiled").rglob("fct_replicability_ranking.sql"))
    assert (checkout / "warehouse" / "build" / "hefei.duckdb").is_file()
    # Output to a pipe or a file is plain text, and so is dbt's own log file.
    for result in (debug, shown, compiled):
        assert ANSI not in result.stdout + result.stderr
    assert ANSI not in (checkout / "logs" / "dbt.log").read_text(encoding="utf-8")


def test_dbt_show_reads_the_published_warehouse_read_only(checkout, built_warehouse, warehouse):
    before = hashlib.sha256(built_warehouse.read_bytes()).hexdigest()
    query = "select name_en from {{ ref('fct_replicability_ranking') }} order by nominal_rank"
    # A target folder of its own: the second call then re-parses only what changed (dbt parses
    # everything again whenever the profile differs from the one its saved parse was made with).
    published = dict(HEFEI_WAREHOUSE_PATH=str(built_warehouse), DBT_TARGET_PATH=str(checkout / "target-published"))
    shown = run_dbt_in(checkout, "show", "--target", "published", "--inline", query, "--limit", "3", **published)
    assert shown.returncode == 0, shown.stdout[-3000:]
    top = warehouse.execute(
        "select name_en from marts.fct_replicability_ranking order by nominal_rank limit 3").fetchall()
    for (name,) in top:
        assert name in shown.stdout
    refused = run_dbt_in(checkout, "show", "--target", "published", "--inline", "create table marts.x as select 1",
                         **published)
    assert refused.returncode != 0 and "read-only" in refused.stdout.lower()
    assert hashlib.sha256(built_warehouse.read_bytes()).hexdigest() == before


def test_the_published_docs_catalog_is_the_one_dbt_docs_generate_writes(checkout, built_warehouse):
    """The build writes the docs catalog without a second dbt process; `dbt docs generate`
    (the README's command for the published warehouse) must find the same relations, column
    types, positions and comments. Runs after the test above, whose parse it reuses."""
    published = dict(HEFEI_WAREHOUSE_PATH=str(built_warehouse), DBT_TARGET_PATH=str(checkout / "target-published"))
    generated = run_dbt_in(checkout, "docs", "generate", "--target", "published", "--no-compile", **published)
    assert generated.returncode == 0, generated.stdout[-3000:]
    theirs = json.loads((checkout / "target-published" / "catalog.json").read_text(encoding="utf-8"))
    ours = json.loads((built_warehouse.parent / "docs" / "catalog.json").read_text(encoding="utf-8"))
    assert len(theirs["nodes"]) > 90  # every model and seed, not an empty catalog
    assert sorted(ours["nodes"]) == sorted(theirs["nodes"])
    assert ours["nodes"] == theirs["nodes"]
    assert ours["sources"] == theirs["sources"]
    assert ours["errors"] is None and theirs["errors"] is None
    ranking = ours["nodes"]["model.hefei_warehouse.fct_replicability_ranking"]
    assert ranking["metadata"]["type"] == "BASE TABLE" and ranking["columns"]["city_code"]["index"] == 1


def test_the_project_does_not_force_colour_into_logs():
    flags = yaml.safe_load((REPO / "dbt_project.yml").read_text(encoding="utf-8"))["flags"]
    assert flags.get("use_colors") is False and flags.get("use_colors_file") is False


def test_the_tool_runs_dbt_without_colour_when_its_output_is_a_file(tmp_path):
    # What the README's cron line does: the build's dbt output goes to a file, not a terminal.
    log = tmp_path / "cron.log"
    script = ("from pathlib import Path; from hefei_warehouse.dbt_runner import run_dbt; "
              f"run_dbt(['debug'], Path({str(tmp_path / 'x.duckdb')!r}), Path({str(tmp_path / 'work')!r}))")
    with open(log, "w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, "-c", script], cwd=REPO, stdout=handle, stderr=subprocess.STDOUT, timeout=300)
    text = log.read_text(encoding="utf-8")
    assert "Connection test" in text or "All checks passed" in text, text[-2000:]
    assert ANSI not in text
