"""Great Expectations suites, kept in quality/suites/*.yml, run against a freshly built file.

A suite names one table and a list of expectations (GX type + arguments). Tables are read
into pandas through a read-only DuckDB connection; GX runs on the DataFrame. Results are
returned as plain dicts so the build can write a report and a one-line summary.
"""

from __future__ import annotations

import gc
import html
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from . import yaml_files
from .paths import project_dir
from .preflight import declared_column_types, type_family


@dataclass
class ExpectationOutcome:
    suite: str
    table: str
    expectation: str
    kwargs: dict
    success: bool
    observed: str
    examples: list = field(default_factory=list)   # failing keys, as dicts

    def rule(self) -> str:
        """The expectation with the bounds that matter to a reader, e.g. 'be_between 0..5000'."""
        text = self.expectation
        low, high = self.kwargs.get("min_value"), self.kwargs.get("max_value")
        if low is not None or high is not None:
            text += f" {'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}"
        condition = self.kwargs.get("row_condition")
        if isinstance(condition, dict):  # GX keeps a string condition as a pass-through filter
            condition = condition.get("pass_through_filter")
        if condition:
            text += f" where {condition}"
        return text

    def one_line(self) -> str:
        column = self.kwargs.get("column") or self.kwargs.get("column_list") or ""
        shown = "; ".join(", ".join(f"{k}={v}" for k, v in e.items()) for e in self.examples[:3])
        return f"{self.table} {column} {self.rule()}: {self.observed}" + (f" [e.g. {shown}]" if shown else "")


def suites_dir() -> Path:
    return project_dir() / "quality" / "suites"


def load_suites(folder: Path | None = None) -> list[dict]:
    folder = folder or suites_dir()
    suites = []
    for path in sorted(folder.glob("*.yml")):
        suite = yaml_files.load(path)
        suite.setdefault("name", path.stem)
        suites.append(suite)
    return suites


def _import_gx():
    """Import Great Expectations with the garbage collector paused, then freeze what is alive.
    The import creates about 250,000 objects the collector tracks, which stay until the
    process ends: collecting during the import only walked them again (about 0.9 s of a 6 to
    7 s import on a 2-core machine), and every full collection after it walked them again too
    (the report, written after dbt in the same process, took twice as long)."""
    paused = "great_expectations" not in sys.modules and gc.isenabled()
    if paused:
        gc.disable()
    try:
        import great_expectations
    finally:
        if paused:
            gc.freeze()
            gc.enable()
    return great_expectations


def _gx_context():
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    gx = _import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


def _observed(result) -> str:
    r = result.result or {}
    if "unexpected_count" in r and r.get("unexpected_count"):
        pct = r.get("unexpected_percent")
        return f"{r['unexpected_count']} rows fail" + (f" ({pct:.2f}%)" if pct is not None else "")
    if "observed_value" in r:
        return f"observed {r['observed_value']}"
    if result.exception_info and result.exception_info.get("raised_exception"):
        return "error: " + str(result.exception_info.get("exception_message"))[:200]
    return "ok" if result.success else "failed"


def _seed_frame(seeds: Path, seed: str, types: dict[str, str]):
    """A seed CSV read with its declared types; index = CSV line number minus 2."""
    import pandas as pd

    frame = pd.read_csv(seeds / f"{seed}.csv", dtype=str, keep_default_na=False)
    for column, kind in types.items():
        if column not in frame.columns:
            continue
        family = type_family(kind)
        if family in ("integer", "number"):
            frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
        elif family == "boolean":
            frame[column] = frame[column].map({"true": True, "false": False, "": None})
        else:
            frame[column] = frame[column].replace("", None)
    return frame


def _resolve_kwargs(kwargs: dict, seed_frame, con) -> dict:
    """Fill the few indirections a suite file may use: a value set read from another table
    or seed, and the current year for 'no figures from the future'."""
    resolved = {}
    for key, value in kwargs.items():
        if key == "value_set_from":
            if "seed" in value:
                frame = seed_frame(value["seed"])
                resolved["value_set"] = sorted(set(frame[value["column"]].dropna()))
            else:
                rows = con.execute(f"select distinct {value['column']} from {value['table']}").fetchall()
                resolved["value_set"] = sorted(r[0] for r in rows if r[0] is not None)
        elif value == "$current_year":
            resolved[key] = time.gmtime().tm_year
        else:
            resolved[key] = value
    return resolved


def _frame_for(spec: dict, seed_frame, con):
    if "seed" in spec:
        return seed_frame(spec["seed"]), f"seeds/{spec['seed']}.csv", True
    if "query" in spec:
        return con.execute(spec["query"]).df(), spec.get("label", spec["name"]), False
    return con.execute(f"select * from {spec['table']}").df(), spec["table"], False


def run_suites(
    database: Path | None = None,
    suites: list[dict] | None = None,
    *,
    seeds: Path | None = None,
    stage: str | None = None,
) -> list[ExpectationOutcome]:
    """Run suites and return one outcome per expectation.

    stage='seeds' runs the suites that read seed CSVs (before dbt); stage='warehouse' the
    ones that read the built database (after dbt); None runs all."""
    suites = load_suites() if suites is None else suites
    if stage == "seeds":
        suites = [s for s in suites if "seed" in s]
    elif stage == "warehouse":
        suites = [s for s in suites if "seed" not in s]
    if not suites:
        return []
    gx, context = _gx_context()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    source = context.data_sources.add_pandas("warehouse")
    outcomes: list[ExpectationOutcome] = []
    con = duckdb.connect(str(database), read_only=True) if database else duckdb.connect()
    types = declared_column_types(seeds) if seeds else {}
    frames: dict = {}

    def seed_frame(seed: str):
        # Each seed is read once per run, also when other suites take a value set from it.
        if seed not in frames:
            frames[seed] = _seed_frame(seeds, seed, types.get(seed, {}))
        return frames[seed]

    try:
        for suite_spec in suites:
            frame, label, from_csv = _frame_for(suite_spec, seed_frame, con)
            key = suite_spec.get("key", [])
            asset = source.add_dataframe_asset(suite_spec["name"])
            batch = asset.add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": frame})
            suite = gx.ExpectationSuite(name=suite_spec["name"])
            for spec in suite_spec["expectations"]:
                kwargs = _resolve_kwargs(dict(spec.get("kwargs", {})), seed_frame, con)
                suite.add_expectation(ExpectationConfiguration(type=spec["type"], kwargs=kwargs).to_domain_obj())
            result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
            for item in result.results:
                examples = []
                indexes = (item.result or {}).get("unexpected_index_list") or []
                for index in indexes[:5]:
                    if isinstance(index, dict):
                        index = index.get("index", next(iter(index.values())))
                    try:
                        example = {"row": int(index) + 2} if from_csv else {}
                        example.update({k: _plain(frame.iloc[int(index)][k]) for k in key})
                        examples.append(example)
                    except (ValueError, IndexError, KeyError, TypeError):
                        continue
                kwargs = {k: v for k, v in item.expectation_config.kwargs.items()
                          if k != "batch_id" and not (k == "value_set" and len(v) > 12)}
                outcomes.append(ExpectationOutcome(
                    suite=suite_spec["name"], table=label, expectation=item.expectation_config.type,
                    kwargs=kwargs, success=bool(item.success), observed=_observed(item), examples=examples,
                ))
    finally:
        con.close()
    return outcomes


def _plain(value):
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and value != value else value  # NaN: a blank cell


def summary(outcomes: list[ExpectationOutcome]) -> dict:
    failed = [o for o in outcomes if not o.success]
    return {
        "suites": len({o.suite for o in outcomes}),
        "expectations": len(outcomes),
        "failed": len(failed),
        "failures": [o.one_line() for o in failed[:20]],
    }


def write_report(outcomes: list[ExpectationOutcome], folder: Path, build_id: str) -> Path:
    """A self-contained HTML page (no scripts, no external styles) plus the same as JSON."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "validation.json").write_text(
        json.dumps({"build_id": build_id, "summary": summary(outcomes),
                    "results": [o.__dict__ for o in outcomes]}, ensure_ascii=False, indent=1, default=str),
        encoding="utf-8",
    )
    rows = []
    for o in outcomes:
        status = "pass" if o.success else "FAIL"
        rows.append(
            f"<tr class='{status.lower()}'><td>{status}</td><td>{html.escape(o.suite)}</td>"
            f"<td>{html.escape(o.table)}</td><td>{html.escape(o.expectation)}</td>"
            f"<td><code>{html.escape(json.dumps(o.kwargs, ensure_ascii=False, default=str))}</code></td>"
            f"<td>{html.escape(o.observed)}</td>"
            f"<td>{html.escape('; '.join(str(e) for e in o.examples[:3]))}</td></tr>"
        )
    s = summary(outcomes)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Validation report {html.escape(build_id)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.85rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }}
tr.fail td:first-child {{ color: #b00020; font-weight: bold; }}
tr.pass td:first-child {{ color: #2e7d32; }}
code {{ font-size: 0.8rem; }}
</style></head><body>
<h1>Data validation, build {html.escape(build_id)}</h1>
<p>{s['suites']} suites, {s['expectations']} expectations, <strong>{s['failed']} failed</strong>.</p>
<table><thead><tr><th>result</th><th>suite</th><th>table</th><th>expectation</th><th>arguments</th><th>observed</th><th>failing keys</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table></body></html>
"""
    path = folder / "validation.html"
    path.write_text(page, encoding="utf-8")
    return path
