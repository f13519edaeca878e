"""Prefecture outlines for the map: parsed from the census file's WKT, simplified, and refused
with a clear message when a polygon cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from hefei_warehouse.ingest import boundaries, cities
from hefei_warehouse.ingest.boundaries import _parse_wkt, _simplify
from hefei_warehouse.ingest.errors import IngestError

REAL_RAW = Path(__file__).resolve().parents[2] / "snapshots"


def test_wkt_polygons_and_multipolygons_are_parsed():
    assert _parse_wkt("POLYGON((1 2,3 4,5 6,1 2))") == [[[(1, 2), (3, 4), (5, 6), (1, 2)]]]
    multi = _parse_wkt("MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5),(5.2 5.2,5.4 5.2,5.4 5.4,5.2 5.2)))")
    assert len(multi) == 2 and len(multi[1]) == 2 and multi[1][1][0] == (5.2, 5.2)
    with pytest.raises(ValueError, match="not a polygon"):
        _parse_wkt("POINT(1 2)")


def test_simplify_drops_points_within_the_tolerance_and_keeps_corners():
    line = [(0, 0), (1, 0.001), (2, 0), (2, 2), (0, 2), (0, 0)]
    assert _simplify(line, 0.01) == [(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]


@pytest.fixture(scope="module")
def real():
    registry = cities.build_registry(REAL_RAW)
    return boundaries.build(REAL_RAW, registry)["city_boundaries"]


def test_real_boundaries_cover_the_current_cities(real):
    assert len(real) == 337 and real.city_code.is_unique
    hefei = real[real.city_code == "340100"].iloc[0]
    points = [tuple(map(float, p.split())) for p in hefei.boundary_lonlat.split("|")[0].split(";")[0].split(",")]
    lons, lats = zip(*points)
    # Hefei (with the former Chaohu counties) spans roughly 116.7-118.0 E, 30.9-32.6 N.
    assert 116.5 < min(lons) < 117.0 and 117.8 < max(lons) < 118.2
    assert 30.8 < min(lats) < 31.1 and 32.3 < max(lats) < 32.7
    assert set(real.source_id) == {"census_2010_2020_leiii"}
    assert real.n_points.sum() < 25_000   # small enough to draw in the report


def test_an_unreadable_polygon_names_file_row_and_column(tmp_path):
    folder = tmp_path / "census_2010_2020_leiii"
    folder.mkdir()
    (folder / "census_city_2010-2020_v1.csv").write_text(
        '\ufeffcity,city_code,coord\n合肥市,340100,"POLYGON((117 31,118 31,118 32,117 31))"\n芜湖市,340200,"LINESTRING(1 2,3 4)"\n',
        encoding="utf-8")

    class Known:
        def is_known(self, code):
            return code in {"340100", "340200"}

    with pytest.raises(IngestError) as error:
        boundaries.build(tmp_path, Known())
    text = str(error.value)
    assert "census_city_2010-2020_v1.csv" in text and "340200" in text and "coord" in text and "3" in text
