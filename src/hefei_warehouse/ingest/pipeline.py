"""Run every ingest module, check the result, then write all seeds in one step.

Order matters only once: the city registry is built first because every other module
resolves city names and codes through it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import snapshots
from . import boundaries, cities, city_values, national, policy, policy_census, talent
from .model import frame_of
from .writer import write_seeds

DOMAIN_MODULES = (city_values, national, talent, policy, policy_census, boundaries)


def collect(raw_dir: Path, snapshot_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Build every seed frame in memory; raises IngestError on bad input.

    The source registry always comes from the project's snapshot metadata (snapshot_dir,
    default snapshots/), whichever folder the raw files are read from."""
    raw_dir = Path(raw_dir)
    registry = cities.build_registry(raw_dir)
    frames: dict[str, pd.DataFrame] = dict(cities.build(raw_dir, registry))
    indicators = list(getattr(cities, "INDICATORS", []))
    for module in DOMAIN_MODULES:
        for name, frame in module.build(raw_dir, registry).items():
            if name in frames:
                raise ValueError(f"two ingest modules both produce seed '{name}'")
            frames[name] = frame
        indicators.extend(getattr(module, "INDICATORS", []))
    frames["sources"] = snapshots.sources_frame(snapshot_dir)
    frames["indicators"] = frame_of(indicators).sort_values("indicator_code", ignore_index=True)
    _check_source_ids(frames)
    return frames


def _check_source_ids(frames: dict[str, pd.DataFrame]) -> None:
    known = set(frames["sources"]["source_id"])
    if len(known) != len(frames["sources"]):
        raise ValueError("duplicate source_id in the source registry")
    for name, frame in frames.items():
        if "source_id" in frame.columns and name != "sources":
            unknown = set(frame["source_id"].dropna()) - known
            if unknown:
                raise ValueError(f"seed '{name}' points to unregistered source ids {sorted(unknown)}")


def run(raw_dir: Path, seeds_dir: Path, snapshot_dir: Path | None = None) -> list[Path]:
    """Ingest raw_dir and (only if everything succeeded) write the seeds."""
    return write_seeds(collect(raw_dir, snapshot_dir), seeds_dir)
