"""The offline HTML report: rendered from a small fixture and from the real build, then opened
in headless Chromium (no console messages, the charts are in the rendered page, a screenshot)."""

from __future__ import annotations

import html
import json
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

pytestmark = pytest.mark.long

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
            ('340100', 'Hefei', '合肥市', 117.23, 31.82, true, null::integer, null::varchar, 'Anhui', '安徽省'),
            ('340200', 'Wuhu', '芜湖市', 118.43, 31.35, true, null, null, 'Anhui', '安徽省'),
            ('320100', 'Nanjing', '南京市', 118.80, 32.06, false, null, null, 'Jiangsu', '江苏省'),
            ('341400', 'Chaohu', '巢湖市', 117.87, 31.60, true, 2011, null, 'Anhui', '安徽省')
        ) t(city_code, name_en, name_zh, longitude, latitude, is_inland, valid_to_year, former_names_zh,
            province_name_en, province_name_zh)""")
        con.execute("""create table marts.fct_replicability_ranking as select * from (values
            ('340100', 'Hefei', '合肥市', 2020, 70.5, 1, 1.0, 1, 1, 2, 1000, 100.0, 0),
            ('340200', 'Wuhu', '芜湖市', 2020, 40.25, 2, 2.0, 2, 2, 2, 1000, 90.0, 1)
        ) t(city_code, name_en, name_zh, year, index_score, nominal_rank, median_rank, rank_p05, rank_p95,
            n_ranked, n_scenarios, coverage_pct, n_indicators_imputed)""")
        con.execute("""create table marts.fct_replicability_pillar_scores as select * from (values
            ('340100', 2020, 'talent_pool', 81.9), ('340200', 2020, 'talent_pool', 18.0)
        ) t(city_code, year, pillar, pillar_score)""")
        # Every indicator column the report shows; the wage ratio stops in 2018 as the real one does.
        from hefei_warehouse.comparison import BESIDE_HEFEI

        others = [c for _, c, _, _, _ in BESIDE_HEFEI if c not in ("gdp_cny_100m", "avg_wage_ratio_to_national")]
        con.execute(f"""create table marts.fct_city_vs_hefei as select *, {", ".join(f"null::double as {c}" for c in others)}
            from (values
            ('340200', 2023, 4741.0, null::double, 12674.0, 12013.0, 2022, 1, 'within_hefei_range'),
            ('340200', 2018, 3279.0, 0.84, 7823.0, 5660.0, 2015, 3, 'within_hefei_range'),
            ('340100', 2023, 12674.0, null, 12674.0, 12674.0, 2023, 0, 'within_hefei_range'),
            ('340100', 2022, 12013.0, null, 12013.0, 12013.0, 2022, 0, 'within_hefei_range'),
            ('340100', 2018, 7823.0, 1.05, 7823.0, 7823.0, 2018, 0, 'within_hefei_range')
        ) t(city_code, year, gdp_cny_100m, avg_wage_ratio_to_national, hefei_gdp_cny_100m, hefei_same_stage_gdp_cny_100m,
            hefei_same_stage_year, years_behind_hefei, same_stage_position)""")
        con.execute("update marts.fct_city_vs_hefei set gdp_per_resident_2023_prices_cny = 100000 where year = 2023")
        con.execute("""create table marts.city_state_capital_summary as select * from (values
            ('340100', '合肥市', 'Hefei', true, 11, 43.97, 7, 0, 4),
            ('420100', '武汉市', 'Wuhan', true, 3, 12.0, 1, 2, 0)
        ) t(city_code, city_name_zh, city_name_en, is_inland, n_bets, total_committed_cny_bn, n_successes, n_failures,
            n_ongoing)""")
        con.execute("alter table marts.city_state_capital_summary add column failure_share_pct double")
        con.execute("""create table marts.fct_state_investment as select * from (values
            ('420100', 'Wuhan', '武汉市', true, 'Hongxin Semiconductor', 'chips', 2017, null::integer, 128.0, 'CNY', 128.0, 'failure', 'r1')
        ) t(city_code, city_name_en, city_name_zh, is_inland, investee, industry, start_year, end_year, amount_cny_bn,
            currency, amount_original_bn, outcome, record_id)""")
        con.execute("create table seeds.sources as select * from (values "
                    "('src_a', 'Producer A', 'MIT', 'https://example.org', '2025-01-01'), "
                    "('src_ledger', 'Producer B', 'CC-BY-4.0', 'https://example.org/ledger', '2025-01-01')"
                    ") t(source_id, producer, licence, url, accessed_on)")
        # Hefei's chain-boss system in force with its own dated row; Wuhu not searched by the census
        # (unknown), Nanjing coastal; Chaohu (abolished) has no row at all.
        con.execute("""create table marts.fct_city_policy_adoption as select * from (values
            ('340100', 'Hefei', '340000', 2020, true, 'in_force', 'city', 2017, 'formal', 12, 'src_a', 'https://example.org/hefei-chains',
             'approved', 'comprehensive_national_science_centre', 2017, 'src_a', 'https://example.org/centres',
             'recorded', 6, 'src_ledger', 'recorded', 2, 'src_ledger'),
            ('340100', 'Hefei', '340000', 2023, true, 'in_force', 'city', 2017, 'formal', 16, 'src_a', 'https://example.org/hefei-chains',
             'approved', 'comprehensive_national_science_centre', 2017, 'src_a', 'https://example.org/centres',
             'recorded', 9, 'src_ledger', 'recorded', 3, 'src_ledger'),
            ('340200', 'Wuhu', '340000', 2020, true, 'unknown', 'not_censused', null, null, null, null, null,
             'none', null, null, 'src_a', null, 'unknown', null, null, 'unknown', null, null),
            ('340200', 'Wuhu', '340000', 2023, true, 'unknown', 'not_censused', null, null, null, null, null,
             'none', null, null, 'src_a', null, 'unknown', null, null, 'unknown', null, null),
            ('320100', 'Nanjing', '320000', 2020, false, 'not_in_force', 'city', 2021, 'formal', null, 'src_a', null,
             'none', null, null, 'src_a', null, 'unknown', null, null, 'unknown', null, null)
        ) t(city_code, name_en, province_code, year, is_inland, chain_boss_status, chain_boss_record_level,
            chain_boss_adoption_year, chain_boss_date_basis, chain_boss_num_chains, chain_boss_source_id, chain_boss_source_url,
            science_centre_status, science_centre_type, science_centre_approval_year, science_centre_source_id,
            science_centre_source_url, state_bets_status, state_bets_known_to_date, state_bets_source_id,
            guidance_funds_status, guidance_funds_known_to_date, guidance_funds_source_id)""")
        # Data-quality marts: Wuhu's GDP replaced by agreeing sources, two level breaks kept and flagged.
        con.execute("""create table marts.fct_data_quality_summary as select * from (values
            ('cross_source_agreement', 'outvoted', 'gdp_cny_100m', 'src_a', 2017, 'replaced_by_agreeing_sources', 3, 3),
            ('cross_source_agreement', 'outvoted', 'gdp_cny_100m', 'src_a', 2018, 'replaced_by_agreeing_sources', 2, 2),
            ('level_break', 'unexplained_level_break', 'registered_population_10k', 'src_a', 2010, 'kept_flagged', 2, 0)
        ) t(rule_family, rule_code, indicator_code, source_id, year, resolution, n_flags, n_deciding)""")
        con.execute("""create table marts.fct_data_quality_flag as select * from (values
            ('340200', 2010, 'registered_population_10k', 'src_a', 'level_break', 'unexplained_level_break', 'keep', false,
             'kept_flagged', 19.04, 19.04, 'src_a', 'change from the year before -92.2%', 2.5, 1),
            ('340100', 2011, 'registered_population_10k', 'src_a', 'level_break', 'unexplained_level_break', 'keep', false,
             'kept_flagged', 706.1, 706.1, 'src_a', 'change from the year before 51.0%', 0.4, 2),
            ('340200', 2017, 'gdp_cny_100m', 'src_a', 'cross_source_agreement', 'outvoted', 'replace', true,
             'replaced_by_agreeing_sources', 2500.0, 3065.5, 'src_b', 'two sources agree on 3065.5', 3.1, 1)
        ) t(city_code, year, indicator_code, source_id, rule_family, rule_code, proposed_action, is_deciding_rule,
            resolution, original_value, screened_value, screened_source_id, evidence, severity, severity_rank)""")
        con.execute("""create table seeds.city_boundaries as select * from (values
            ('340100', '116.9 31.0,117.9 31.0,117.9 32.4,116.9 31.0'),
            ('320100', '118.4 31.3,119.2 31.3,119.2 32.6,118.4 31.3|118.0 32.0,118.1 32.0,118.1 32.1,118.0 32.0'),
            ('341400', '117.5 31.3,118.2 31.3,118.2 31.9,117.5 31.3')
        ) t(city_code, boundary_lonlat)""")


def test_fixture_report_has_every_section_and_fetches_nothing(tmp_path):
    make_fixture(tmp_path / "hefei.duckdb")
    with duckdb.connect(str(tmp_path / "hefei.duckdb"), read_only=True) as con:
        page = render(con, ReportInfo("b1", "abcdef1234567890"))
    for anchor in ("adoption", "ranking", "map-title", "profiles", "ledger", "coverage", "quality", "sources"):
        assert f'id="{anchor}"' in page
    assert "Wuhu <span class=\"zh\">芜湖市</span>" in page          # Chinese name beside the English
    assert "4,741" in page and "12,013" in page                     # city now and Hefei at the same stage
    assert '0.84 <span class="yr">(2018)</span>' in page             # the latest wage ratio, labelled with its year
    assert page.count('class="rank-row') == 2
    assert page.count('class="dot scored"') == 2                    # Hefei and Wuhu coloured
    assert page.count('class="dot coastal"') == 1                   # Nanjing grey; abolished Chaohu left out
    assert page.count('<path class="boundary"') == 2                # outlines of current cities only
    nanjing = re.search(r'<path class="boundary" data-city="320100" fill="([^"]+)" d="([^"]+)"', page)
    assert nanjing.group(1) == "#e9e9e4" and nanjing.group(2).count("M") == 2   # coastal grey, two polygons
    assert '<a href="https://example.org" rel="noopener noreferrer" target="_blank">' in page  # clickable source
    assert '<a href="exports/dim_city.csv" download>' in page
    assert "<script src" not in page and external_assets(page) == []
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "nan" not in re.sub(r"<[^>]+>", " ", page).split()        # a gap is a dash, never NaN


def test_fixture_adoption_overview_counts_unknown_apart_from_not_adopted(tmp_path):
    make_fixture(tmp_path / "hefei.duckdb")
    with duckdb.connect(str(tmp_path / "hefei.duckdb"), read_only=True) as con:
        page = render(con, ReportInfo("b1", None))
    overview = between(page, '<table id="adoption-overview" data-year="2020">', "</table>")
    # Inland cities in the ranking year: Hefei in force, Wuhu unknown; coastal Nanjing's "not in force" is not counted.
    chain = between(overview, 'data-fact="chain_boss"', "</tr>")
    assert re.findall(r'class="n st-(\w+)">(\d+)<', chain) == [("yes", "1"), ("no", "0"), ("unknown", "1")]
    centre = between(overview, 'data-fact="science_centre"', "</tr>")
    assert re.findall(r'class="n st-(\w+)">(\d+)<', centre) == [("yes", "1"), ("no", "1"), ("unknown", "0")]
    data = json.loads(between(page, '<script type="application/json" id="adoption-data">', "</script>").split(">", 1)[1])
    assert data["years"] == [2020, 2023]
    assert data["cities"]["340100"][1]["chain_boss_num_chains"] == 16
    assert "341400" not in data["cities"]
    assert data["sources"] == {"src_a": "https://example.org", "src_ledger": "https://example.org/ledger"}


def test_fixture_adoption_view_in_the_browser_keeps_unknown_apart(tmp_path):
    make_fixture(tmp_path / "hefei.duckdb")
    page = write_report(tmp_path / "hefei.duckdb", tmp_path / "report.html", build_id="b", git_commit=None)
    dom = explore(page, tmp_path / "profile", "city=340100")
    hefei = between(dom, '<div id="adoption-city"', "</table>")
    chain = between(hefei, 'data-fact="chain_boss"', "</tr>")
    assert re.findall(r'data-status="(\w+)">in force<', chain) == ["in_force", "in_force"]
    assert '<a href="https://example.org/hefei-chains" rel="noopener noreferrer" target="_blank">src_a</a>' in chain
    assert "16 chains" in chain and "2017 (formally dated)" in chain and "census row: the city's own" in chain
    bets = between(hefei, 'data-fact="state_bets"', "</tr>")
    assert "bets started by then: 9" in bets and '<a href="https://example.org/ledger"' in bets
    # A city the census did not search, and a city with no row at all: unknown, never "no" or "not in force".
    for code in ("340200", "341400"):
        dom = explore(page, tmp_path / "profile", f"city={code}&lang=zh")
        chain = between(between(dom, '<div id="adoption-city"', "</table>"), 'data-fact="chain_boss"', "</tr>")
        assert re.findall(r'class="st st-(\w+)" data-status="(\w+)">([^<]+)<', chain) == [("unknown", "unknown", "未知")] * 2
        assert "未实施" not in chain
    assert "该城市在政策落实数据中没有记录" in dom          # Chaohu: said, not hidden


def test_fixture_data_quality_counts_by_rule_and_resolution_and_worst_remaining_cases(tmp_path):
    make_fixture(tmp_path / "hefei.duckdb")
    with duckdb.connect(str(tmp_path / "hefei.duckdb"), read_only=True) as con:
        page = render(con, ReportInfo("b1", None))
    counts = between(page, '<table id="quality-counts">', "</table>")
    outvoted = re.findall(r"<td class=n>([^<]+)</td>", between(counts, 'data-rule="outvoted"', "</tr>"))
    assert outvoted == ["5", "–", "–", "–", "–", "–", "5"]          # 3 + 2 replaced by agreeing sources
    breaks = re.findall(r"<td class=n>([^<]+)</td>", between(counts, 'data-rule="unexplained_level_break"', "</tr>"))
    assert breaks == ["–", "–", "–", "–", "2", "–", "2"]
    assert "7 flags in all" in page
    worst = between(page, '<table id="quality-worst">', "</table>")
    # Only values kept as published count as remaining; the worst (rank 1) comes first.
    assert worst.count("<tr>") == 3 and "outvoted" not in worst      # header row + two cases
    assert worst.index("Wuhu") < worst.index("Hefei") and "change from the year before -92.2%" in worst


def test_fixture_ledger_does_not_claim_misses_hefei_does_not_have(tmp_path):
    make_fixture(tmp_path / "hefei.duckdb")
    with duckdb.connect(str(tmp_path / "hefei.duckdb"), read_only=True) as con:
        page = render(con, ReportInfo("b1", None))
    assert "Hefei's own misses" not in page
    assert "records no failed bet of Hefei's own" in page
    with duckdb.connect(str(tmp_path / "hefei.duckdb")) as con:
        con.execute("update marts.city_state_capital_summary set n_failures = 2 where city_code = '340100'")
    with duckdb.connect(str(tmp_path / "hefei.duckdb"), read_only=True) as con:
        page = render(con, ReportInfo("b1", None))
    assert "Hefei's own 2 recorded failures are listed too" in page


def test_map_labels_never_overlap():
    from hefei_warehouse.report import place_labels

    # Changsha and Nanchang sit close together; Hefei is placed first, every label keeps clear of the others.
    points = [({"city_code": "430100", "name_en": "Changsha", "name_zh": "长沙市"}, 400.0, 300.0),
              ({"city_code": "360100", "name_en": "Nanchang", "name_zh": "南昌市"}, 404.0, 302.0),
              ({"city_code": "420100", "name_en": "Wuhan", "name_zh": "武汉市"}, 402.0, 298.0),
              ({"city_code": "340100", "name_en": "Hefei", "name_zh": "合肥市"}, 403.0, 301.0),
              ({"city_code": "610100", "name_en": "Xi'an", "name_zh": "西安市"}, 401.0, 299.0)]
    labels = place_labels(points)
    assert "Hefei" in labels[0] and len(labels) == 4    # four sides, four labels; the fifth keeps only its tooltip
    boxes = [tuple(map(float, re.search(r'data-box="([^"]+)"', label).group(1).split(","))) for label in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3], (a, b)


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
    assert "<script src" not in page and external_assets(page) == []


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
    outlined = warehouse.execute(
        "select count(*) from seeds.city_boundaries b join marts.dim_city d using (city_code) "
        "where d.longitude is not null and d.latitude is not null and d.valid_to_year is null").fetchone()[0]
    assert outlined > 330 and len(re.findall(r'<path class="boundary"', dom)) == outlined   # the choropleth
    assert 'id="map"' in dom and 'class="chart pillars"' in dom


def test_report_screenshot_is_a_full_non_blank_page(published_report, tmp_path):
    shot = tmp_path / "report.png"
    result = open_in_chromium(published_report, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1366,3000")
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    width, height, variety = png_size_and_variety(shot)
    assert (width, height) == (1366, 3000)
    assert variety > 50, "the screenshot looks blank"
    print(f"report screenshot: {shot}")


def test_browser_console_check_catches_a_network_request(tmp_path):
    # The page's Content-Security-Policy turns any attempt to fetch something into a console message,
    # so "no console message" below also means "no network request".
    from hefei_warehouse.report import CSP

    page = tmp_path / "fetching.html"
    page.write_text(f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{CSP}">'
                    '<link rel="icon" href="data:,"><img src="https://example.org/pixel.png">', encoding="utf-8")
    result = open_in_chromium(page, tmp_path / "profile", "--dump-dom")
    assert any("Content Security Policy" in line for line in console_messages(result.stderr)), result.stderr[-2000:]


# ---------------------------------------------------------------- the explorer in the browser

def explore(page: Path, profile: Path, fragment: str, *extra: str) -> str:
    """The page's DOM after its script ran, opened with a deep link (#q=..., #city=..., #lang=...)."""
    from urllib.parse import quote

    url = page.resolve().as_uri() + "#" + quote(fragment, safe="=&")
    result = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", *extra, url],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == [], console_messages(result.stderr)
    return result.stdout


def between(dom: str, start: str, end: str) -> str:
    return dom[dom.index(start):dom.index(end, dom.index(start))]


@pytest.mark.parametrize("typed, found, not_found", [
    ("苏州", ["苏州市"], ["宿州市"]),
    ("suzhou", ["苏州市", "宿州市"], []),
    ("huhehaote", ["呼和浩特市"], []),
    ("Hohhot", ["呼和浩特市"], []),
    ("lvliang", ["吕梁市"], []),
    ("yichun", ["伊春市", "宜春市"], []),
])
def test_explorer_search_finds_cities_in_chinese_pinyin_and_english(published_report, tmp_path, typed, found, not_found):
    dom = explore(published_report, tmp_path / "profile", f"q={typed}")
    results = between(dom, '<ul id="city-results"', "</ul>")
    for name in found:
        assert name in results, results
    for name in not_found:
        assert name not in results, results


def test_explorer_draws_a_city_over_time_beside_hefei(published_report, warehouse, tmp_path):
    dom = explore(published_report, tmp_path / "profile", "city=340200")
    assert "Wuhu 芜湖市" in between(dom, '<div id="explorer-city"', "</div>")
    charts = between(dom, '<div id="explorer-charts"', "<noscript>")
    drawn = re.findall(r'<svg class="ts-chart" data-indicator="([a-z0-9_]+)"', charts)
    assert "gdp_cny_100m" in drawn and "avg_wage_ratio_to_national" in drawn and len(drawn) >= 8
    gdp = between(charts, 'data-indicator="gdp_cny_100m"', "</svg>")
    years = warehouse.execute(
        "select count(*) from marts.fct_city_vs_hefei where city_code = '340200' and gdp_cny_100m is not null").fetchone()[0]
    for line in ("city", "hefei", "stage"):
        path = re.search(rf'<path d="([^"]*)" class="line {line}"', gdp).group(1)
        assert path.count("L") >= 5, (line, path)
    assert gdp.count('class="pt city"') == years
    latest = warehouse.execute(
        "select gdp_cny_100m from marts.fct_city_vs_hefei where city_code = '340200' and gdp_cny_100m is not null "
        "order by year desc limit 1").fetchone()[0]
    assert f">{latest:,.0f}</text>" in gdp   # the city's latest value labels its line


def test_explorer_compares_two_cities_in_chinese(published_report, tmp_path):
    dom = explore(published_report, tmp_path / "profile", "city=430100&compare=360100&lang=zh")
    assert re.search(r'<body class="lang-zh"', dom)
    head = between(dom, '<div id="explorer-city"', "</div>")
    assert "长沙市" in head and "南昌市" in head and "高于合肥的范围" in head
    assert 'class="line other"' in between(dom, '<div id="explorer-charts"', "<noscript>")


def test_report_fits_a_phone_screen(published_report, tmp_path):
    dom = explore(published_report, tmp_path / "profile", "q=suzhou", "--window-size=390,2000")
    assert 'data-fits-width="true"' in dom
    shot = tmp_path / "phone.png"
    result = open_in_chromium(published_report, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=390,2400")
    assert result.returncode == 0 and shot.is_file()
    width, height, variety = png_size_and_variety(shot)
    assert (width, height) == (390, 2400) and variety > 50


def test_report_rank_axis_matches_the_cities_drawn(published_report, warehouse):
    page = published_report.read_text(encoding="utf-8")
    axis_max = int(re.search(r'id="rank-chart" data-axis-max="(\d+)"', page).group(1))
    reach, n_ranked = warehouse.execute(
        "select max(greatest(rank_p95, nominal_rank)), any_value(n_ranked) from "
        "(select * from marts.fct_replicability_ranking order by nominal_rank, city_code limit 40)").fetchone()
    assert reach <= axis_max < reach + 10 and axis_max < n_ranked


def test_report_names_indicators_links_sources_and_offers_downloads(published_report, warehouse):
    page = published_report.read_text(encoding="utf-8")
    coverage = between(page, 'id="coverage"', 'id="downloads"')
    assert "Average annual wage of employees" in coverage and "<code class=small>avg_wage_cny</code>" in coverage
    web = warehouse.execute("select count(*) from seeds.sources where url like 'http%'").fetchone()[0]
    assert between(page, 'id="sources"', "</details>").count('<a href="http') == web > 0
    marts = [m for (m,) in warehouse.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
    for mart in marts:
        for kind in ("csv", "parquet"):
            assert f'<a href="exports/{mart}.{kind}" download>' in page
            assert (published_report.parent / "exports" / f"{mart}.{kind}").is_file()
    assert "Hefei's own misses" not in page


def test_explorer_adoption_view_for_hefei_and_a_city_without_a_record(published_report, warehouse, tmp_path):
    year = warehouse.execute("select max(year) from marts.fct_city_policy_adoption").fetchone()[0]
    source, url = warehouse.execute(
        "select chain_boss_source_id, chain_boss_source_url from marts.fct_city_policy_adoption "
        "where city_code = '340100' and year = ?", [year]).fetchone()
    dom = explore(published_report, tmp_path / "profile", "city=340100")
    chain = between(between(dom, '<div id="adoption-city"', "</table>"), 'data-fact="chain_boss"', "</tr>")
    # The ranking year and the latest year, each as the mart has it; Hefei's system is in force by the latest.
    shown = re.findall(r'data-status="(\w+)">([^<]+)<', chain)
    headline = warehouse.execute("select max(year) from marts.fct_replicability_ranking").fetchone()[0]
    expected = [s for (s,) in warehouse.execute(
        "select chain_boss_status from marts.fct_city_policy_adoption where city_code = '340100' and year in (?, ?) "
        "order by year", [headline, year]).fetchall()]
    assert [s for s, _ in shown] == expected and shown[-1] == ("in_force", "in force")
    assert f'<a href="{html.escape(url)}" rel="noopener noreferrer" target="_blank">{source}</a>' in chain
    # An inland city for which the census found no dated evidence (its own row or its province's):
    # shown as unknown in every year, never as "not in force".
    code, = warehouse.execute(
        "select city_code from marts.fct_city_policy_adoption where is_inland group by city_code "
        "having count(*) filter (where chain_boss_status <> 'unknown' or chain_boss_adoption_year is not null) = 0 "
        "order by city_code limit 1").fetchone()
    dom = explore(published_report, tmp_path / "profile", f"city={code}")
    chain = between(between(dom, '<div id="adoption-city"', "</table>"), 'data-fact="chain_boss"', "</tr>")
    assert re.findall(r'class="st st-(\w+)" data-status="(\w+)">([^<]+)<', chain) == [("unknown", "unknown", "unknown")] * 2
    assert "no dated evidence found" in chain and "not in force" not in chain
    source, = warehouse.execute("select chain_boss_source_id from marts.fct_city_policy_adoption where city_code = ? "
                                "order by year desc limit 1", [code]).fetchone()
    assert f'<a href="#source-{source}">{source}</a>' in chain      # the census, in the page's source list
    assert f'<tr id="source-{source}">' in dom
    # The overview counts the inland cities of the ranking year as the mart does.
    overview = between(dom, '<table id="adoption-overview"', "</table>")
    headline = int(re.search(r'data-year="(\d+)"', overview).group(1))
    expected = dict(warehouse.execute(
        "select chain_boss_status, count(*) from marts.fct_city_policy_adoption where is_inland and year = ? "
        "group by 1", [headline]).fetchall())
    counts = re.findall(r'class="n st-\w+">([\d,]+)<', between(overview, 'data-fact="chain_boss"', "</tr>"))
    assert [int(c.replace(",", "")) for c in counts] == [expected.get(s, 0) for s in ("in_force", "not_in_force", "unknown")]


def test_report_data_quality_section_matches_the_marts(published_report, warehouse, tmp_path):
    dom = explore(published_report, tmp_path / "profile", "city=340100&lang=zh")
    counts = between(dom, '<table id="quality-counts">', "</table>")
    by_rule = warehouse.execute(
        "select rule_code, sum(n_flags) from marts.fct_data_quality_summary group by 1").fetchall()
    assert len(by_rule) > 5 and counts.count("data-rule=") == len(by_rule)
    for rule, n in by_rule:
        cells = re.findall(r'<td class="n">([^<]+)</td>', between(counts, f'data-rule="{rule}"', "</tr>"))  # as the browser writes it
        assert int(cells[-1].replace(",", "")) == n, rule
    n_worst = warehouse.execute(
        "select count(*) from (select rule_code, row_number() over (partition by rule_code order by severity_rank) as pick "
        "from marts.fct_data_quality_flag where resolution = 'kept_flagged' and proposed_action = 'keep') as r "
        "where pick <= 2").fetchone()[0]
    assert n_worst > 0 and between(dom, '<table id="quality-worst">', "</table>").count("<tr>") == n_worst + 1
