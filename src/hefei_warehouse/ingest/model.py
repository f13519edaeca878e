"""Shapes shared by the ingest modules: a source and an indicator definition."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import pandas as pd


@dataclass(frozen=True)
class Source:
    """One source every value row can point to (seed `sources`)."""

    source_id: str
    producer: str            # who compiled / published the file we read
    original_source: str     # the statistical publication the numbers come from
    repository: str          # e.g. owner/name on GitHub, PyPI package, or '' for a web page
    path: str                # path inside the repository or package ('' if none)
    commit: str              # commit hash or package version ('' if none)
    url: str                 # landing URL of the repository or page
    licence: str
    accessed_on: str         # ISO date the copy was taken
    caveats: str             # our own words: what to watch out for


@dataclass(frozen=True)
class Indicator:
    """One city-year or national indicator (seed `indicators`)."""

    indicator_code: str      # unit in the name, e.g. gdp_cny_100m
    name: str
    unit: str
    description: str
    scope: str               # whole_city | urban_districts | national | province
    series_kind: str         # as_published | revised | census | derived | proxy


def frame_of(items: list) -> pd.DataFrame:
    """Dataclass list -> DataFrame with the dataclass's field order."""
    if not items:
        raise ValueError("frame_of needs at least one item")
    columns = [f.name for f in fields(items[0])]
    return pd.DataFrame([asdict(i) for i in items], columns=columns)
