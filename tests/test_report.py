"""The offline HTML report: rendered from a small fixture and from the real build, then opened
in headless Chromium (no console messages, the charts are in the rendered page, a screenshot)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import duckdb
import pytest

from hefei_warehouse.docs import external_assets
from hefei_warehouse.report import ReportError, render, ReportInfo, write_report

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("headless Chromium is needed for the report test: run `make test` (it installs the "
                "Debian package `chromium`) or install it yourself")


def open_in_chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120,
    )


def console_messages(stderr: str) -> list[str]:
    """Messages the page wrote to the browser console (errors, warnings, uncaught exceptions)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def png_size_and_variety(path: Path) -> tuple[int, int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    chunks, position = [], 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        if kind == b"IDAT":
            chunks.append(data[position + 8:position + 8 + length])
        position += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return width, height, len(set(pixels[: 4_000_000]))


# ---------------------------------------------------------------- fixture database

def make_fixture(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema seeds")
        con.execute("""create table marts.dim_city as select * from (values
            ('340100', 'Hefei', '合肥市', 117.23, 31.82, true, null::integer),
            ('340200', 'Wuhu', '芜湖市', 118.43, 31.35, true, null),
            ('320100', 'Nanjing', '南京市', 118.80, 32.06, false, null),
            ('341400', 'Chaohu', '巢湖市', 117.87, 31.60, true, 2011)
        ) t(city_code, name_en, name_zh, longitude, latitude, is_inland, valid_to_year)""")
        con.execute("""create table marts.fct_replicability_ranking as select * from (values
            ('340100', 'Hefei', '合肥市', 2020, 70.5, 1, 1.0, 1, 1, 2, 1000, 100.0, 0),
            ('340200', 'Wuhu', '芜湖市', 2020, 40.25, 2, 2.0, 2, 2, 2, 1000, 90.0, 1)
        ) t(city_code, name_en, name_zh, year, index_score, nominal_rank, median_rank, rank_p05, rank_p95,
            n_ranked, n_scenarios, coverage_pct, n_indicators_imputed)""")
        con.execute("""create table marts.fct_replicability_pillar_scores as select * from (values
            ('340100', 2020, 'talent_pool', 81.9), ('340200', 2020, 'talent_pool', 18.0)
        ) t(city_code, year, pillar, pillar_score)""")
        con.execute("""create table marts.fct_city_vs_hefei as select * from (values
            ('340200', 2023, 4741.0, 12674.0, 12013.0, 2022, 1)
        ) t(city_code, year, gdp_cny_100m, hefei_gdp_cny_100m, hefei_same_stage_gdp_cny_100m,
            hefei_same_stage_year, years_behind_hefei)""")
        con.execute("create table seeds.sources as select 'src_a' as source_id, 'Producer A' as producer, "
                    "'MIT' as licence, 'https://example.org' as url, '2025-01-01' as accessed_on")


def test_fixture_report_has_every_section_and_fetches_nothing(tmp_path):
    make_fixture(tmp_path / "hefei.duckdb")
    with duckdb.connect(str(tmp_path / "hefei.duckdb"), read_only=True) as con:
        page = render(con, ReportInfo("b1", "abcdef1234567890"))
    for anchor in ("ranking", "map-title", "profiles", "ledger", "coverage", "sources"):
        assert f'id="{anchor}"' in page
    assert "Wuhu <span class=\"zh\">芜湖市</span>" in page          # Chinese name beside the English
    assert "4,741" in page and "12,013" in page                     # city now and Hefei at the same stage
    assert page.count('class="rank-row') == 2
    assert page.count('class="dot scored"') == 2                    # Hefei and Wuhu coloured
    assert page.count('class="dot coastal"') == 1                   # Nanjing grey; abolished Chaohu left out
    assert "Not in this build: <code>marts.city_state_capital_summary</code>" in page
    assert "<script" not in page and external_assets(page) == []
    assert "nan" not in re.sub(r"<[^>]+>", " ", page).split()        # a gap is a dash, never NaN


def test_fixture_report_for_an_unknown_city_is_an_error(tmp_path):
    make_fixture(tmp_path / "hefei.duckdb")
    with pytest.raises(ReportError, match="999999"):
        write_report(tmp_path / "hefei.duckdb", tmp_path / "r.html", build_id="b", git_commit=None, city="999999")
    assert not (tmp_path / "r.html").exists()


def test_browser_console_check_catches_a_broken_page(tmp_path):
    # The console check below must be able to fail: a page with a script error is caught.
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><link rel="icon" href="data:,"><script>notDefined()</script>', encoding="utf-8")
    result = open_in_chromium(page, tmp_path / "profile", "--dump-dom")
    assert any("notDefined" in line for line in console_messages(result.stderr))


# ---------------------------------------------------------------- the real build

@pytest.fixture(scope="module")
def published_report(built_warehouse) -> Path:
    page = built_warehouse.parent / "report.html"
    assert page.is_file(), "the build publishes report.html beside the database"
    return page


def test_report_shows_the_published_ranking(published_report, warehouse):
    page = published_report.read_text(encoding="utf-8")
    ranking = warehouse.execute(
        "select name_en, name_zh, nominal_rank, rank_p05, rank_p95 from marts.fct_replicability_ranking order by nominal_rank").fetchall()
    assert len(ranking) > 50
    for name_en, name_zh, rank, p05, p95 in ranking:
        assert f"<td>{name_en} <span class=\"zh\">{name_zh}</span></td>".replace("'", "&#x27;") in page
    assert f"{ranking[0][3]}–{ranking[0][4]}" in page
    first_profile = re.search(r'<details class="profile" data-city="(\d+)" open>', page).group(1)
    top_other = warehouse.execute(
        "select city_code from marts.fct_replicability_ranking where city_code <> '340100' order by nominal_rank limit 1").fetchone()[0]
    assert first_profile == top_other
    assert "Byton" in page or "failure" in page.lower()   # the ledger keeps failed bets
    assert "<script" not in page and external_assets(page) == []


def test_report_renders_in_headless_chromium_without_console_messages(published_report, warehouse, tmp_path):
    result = open_in_chromium(published_report, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    dom = result.stdout
    assert dom.count('class="rank-row') == min(40, warehouse.execute(
        "select count(*) from marts.fct_replicability_ranking").fetchone()[0])
    mapped = warehouse.execute(
        "select count(*) from marts.dim_city where longitude is not null and latitude is not null and valid_to_year is null").fetchone()[0]
    assert len(re.findall(r'<circle [^>]*class="dot ', dom)) == mapped
    assert 'id="map"' in dom and 'class="chart pillars"' in dom


def test_report_screenshot_is_a_full_non_blank_page(published_report, tmp_path):
    shot = tmp_path / "report.png"
    result = open_in_chromium(published_report, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1366,3000")
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    width, height, variety = png_size_and_variety(shot)
    assert (width, height) == (1366, 3000)
    assert variety > 50, "the screenshot looks blank"
    print(f"report screenshot: {shot}")
