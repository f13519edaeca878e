"""Prefecture boundaries for the report's map, simplified from the census file's polygons.

Seed `city_boundaries`: one row per prefecture-level city of the registry that has a polygon
in the China Census file (2020 boundaries, lon/lat as published; the datum is not stated).
The outlines are simplified for a national map (Douglas-Peucker, tolerance SIMPLIFY_DEGREES,
coordinates rounded to ROUND_DIGITS decimals); rings that shrink below a triangle at that
scale (small islands) are left out and counted in `n_rings_dropped`. Units of the file that
are not prefecture-level cities (county-level cities under a province) are not kept.

`boundary_lonlat` text format: polygons separated by "|", rings of a polygon by ";", points
by "," and a point as "lon lat" (the first ring of each polygon is its outline).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .cities import CityRegistry
from .errors import IngestError
from .readers import ROW, read_csv

CENSUS_FILE = "census_2010_2020_leiii/census_city_2010-2020_v1.csv"
SOURCE_ID = "census_2010_2020_leiii"
SIMPLIFY_DEGREES = 0.04   # about 4 km: under one pixel on a national map
ROUND_DIGITS = 2


def _parse_wkt(text: str) -> list[list[list[tuple[float, float]]]]:
    """POLYGON((...),(...)) or MULTIPOLYGON(((...)),((...))) -> polygons of rings of points."""
    kind = text.split("(", 1)[0].strip().upper()
    if kind not in ("POLYGON", "MULTIPOLYGON"):
        raise ValueError(f"not a polygon: {kind or text[:20]!r}")
    body = text[text.index("("):].strip()
    polygon_texts = re.split(r"\)\s*\)\s*,\s*\(\s*\(", body.strip("()")) if kind == "MULTIPOLYGON" else [body.strip("()")]
    polygons = []
    for polygon_text in polygon_texts:
        rings = []
        for ring_text in re.split(r"\)\s*,\s*\(", polygon_text.strip("()")):
            points = [tuple(float(v) for v in pair.split()) for pair in ring_text.strip("()").split(",") if pair.strip()]
            if any(len(p) != 2 for p in points):
                raise ValueError("a point without exactly two coordinates")
            rings.append(points)
        polygons.append(rings)
    return polygons


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: keep the points that stray more than `tolerance` from the simplified line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length if length else ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep) if kept]


def build(raw_dir: Path, registry: CityRegistry) -> dict[str, pd.DataFrame]:
    path = raw_dir / CENSUS_FILE
    frame = read_csv(path, ["city_code", "coord"], encoding="utf-8-sig")
    rows = []
    for _, record in frame.iterrows():
        code = str(record["city_code"]).strip()
        if not registry.is_known(code):
            continue
        try:
            polygons = _parse_wkt(str(record["coord"]))
        except ValueError as error:
            raise IngestError(path, f"boundary of {code} is not readable WKT: {error}", row=int(record[ROW]),
                              column="coord", expected="POLYGON or MULTIPOLYGON in lon/lat") from None
        kept, dropped, n_points = [], 0, 0
        for polygon in polygons:
            rings = []
            for ring in polygon:
                simple = []
                for lon, lat in _simplify(ring, SIMPLIFY_DEGREES):
                    point = (round(lon, ROUND_DIGITS), round(lat, ROUND_DIGITS))
                    if not simple or simple[-1] != point:
                        simple.append(point)
                if len(simple) >= 4:
                    rings.append(",".join(f"{lon:g} {lat:g}" for lon, lat in simple))
                    n_points += len(simple)
                else:
                    dropped += 1
            if rings:
                kept.append(";".join(rings))
        if kept:
            rows.append({"city_code": code, "boundary_lonlat": "|".join(kept), "n_points": n_points,
                         "n_rings_dropped": dropped, "source_id": SOURCE_ID})
    boundaries = pd.DataFrame(rows, columns=["city_code", "boundary_lonlat", "n_points", "n_rings_dropped", "source_id"])
    if boundaries["city_code"].duplicated().any():
        duplicated = boundaries.loc[boundaries["city_code"].duplicated(), "city_code"].iloc[0]
        raise IngestError(path, f"two boundaries for city {duplicated}", column="city_code", expected="one row per city")
    return {"city_boundaries": boundaries.sort_values("city_code", ignore_index=True)}
