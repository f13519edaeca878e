"""The analyst report: one self-contained HTML page built from a warehouse file.

Plain string templating with inline CSS, SVG and one inline script (the city explorer,
report_explorer.js, with its data as an embedded JSON block): no library, no web fonts,
nothing fetched from the network (a Content-Security-Policy forbids it), so the page opens
from disk anywhere. Each section reads one or two marts; a section whose mart is not in the
database says so instead of failing, and a missing value is shown as a dash (gaps stay gaps).
Every heading and sentence is written in English and Chinese; a button switches between them.

To add a section (say, a new mart), write a function `(wh, ranking) -> html` and add it to
SECTIONS with its anchor and bilingual menu label.
"""

from __future__ import annotations

import functools
import html
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import yaml_files
from .comparison import BESIDE_HEFEI, beside_hefei, stage_sentence, stage_sentence_zh
from .why_rank import why_this_rank

HEFEI = "340100"
DASH = "–"
PROFILES_SHOWN = 10   # top-ranked cities (besides Hefei) with a profile in the report
RANKS_CHARTED = 40    # cities drawn in the rank-interval chart (the table lists all)
EXPLORER_JS = Path(__file__).with_name("report_explorer.js")
REPORT_TEXT = Path(__file__).with_name("report_text.yml")

# Colour ramp for index scores (a perceptually even ramp, dark = low, yellow = high).
RAMP = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]


class ReportError(RuntimeError):
    pass


# ---------------------------------------------------------------- formatting helpers

def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def num(value, digits: int = 1) -> str:
    if is_missing(value):
        return DASH
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def tr(en: str, zh: str) -> str:
    """Text in both languages; the page shows the one the reader picked (CSS hides the other)."""
    return f'<span lang="en">{en}</span><span lang="zh">{zh}</span>'


def city_label(name_en, name_zh) -> str:
    """English name with the Chinese name beside it."""
    english = esc(name_en) if name_en else ""
    chinese = f' <span class="zh">{esc(name_zh)}</span>' if name_zh else ""
    return (english + chinese).strip() or DASH


def colour(score: float, low: float, high: float) -> str:
    share = 0.0 if high <= low else min(max((score - low) / (high - low), 0.0), 1.0)
    position = share * (len(RAMP) - 1)
    index = min(int(position), len(RAMP) - 2)
    mix = position - index
    a, b = RAMP[index], RAMP[index + 1]
    channels = [
        round(int(a[i:i + 2], 16) * (1 - mix) + int(b[i:i + 2], 16) * mix) for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in channels)


# ---------------------------------------------------------------- reading the warehouse

class Warehouse:
    """Small read helpers over a read-only connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.tables = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }

    def has(self, *tables: str) -> bool:
        return all(table in self.tables for table in tables)

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def missing_note(*tables: str) -> str:
    names = ", ".join(f"<code>{esc(t)}</code>" for t in tables)
    return f'<p class="note">Not in this build: {names}.</p>'


# ---------------------------------------------------------------- sections

@functools.cache
def indicator_text() -> dict:
    return yaml_files.load(REPORT_TEXT)["indicators"]


def _rounded(value, digits: int):
    if is_missing(value):
        return None
    return round(float(value), digits + 1)


def explorer_data(wh: Warehouse, ranking: list[dict], chosen: str | None) -> dict:
    """Everything the explorer script draws, as plain JSON-able data."""
    from .cities_lookup import load_cities

    entries = load_cities(wh.con)
    ranked = {r["city_code"]: r for r in ranking}
    columns = {r["column_name"] for r in wh.rows(
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = 'fct_city_vs_hefei'")}
    texts = indicator_text()
    indicators = [
        {"column": column, "digits": digits, **texts[column]}
        for _, column, _, _, digits in BESIDE_HEFEI if column in columns and column in texts
    ]
    years = [r["year"] for r in wh.rows("select distinct year from marts.fct_city_vs_hefei order by year")]
    first = years[0] if years else 2000
    span = (years[-1] - first + 1) if years else 0
    series: dict[str, dict[str, list]] = {}
    stage: dict[str, list] = {}
    latest: dict[str, dict] = {}
    wanted = ", ".join(i["column"] for i in indicators)
    for row in wh.rows(
        f"select city_code, year, {wanted}, hefei_same_stage_year, years_behind_hefei, same_stage_position, "
        "gdp_per_resident_2023_prices_cny from marts.fct_city_vs_hefei order by city_code, year"
    ):
        code, offset = row["city_code"], row["year"] - first
        per_city = series.setdefault(code, {i["column"]: [None] * span for i in indicators})
        for indicator in indicators:
            per_city[indicator["column"]][offset] = _rounded(row[indicator["column"]], indicator["digits"])
        # Only a real match is drawn as "Hefei at the same stage": above or below Hefei's range
        # there is no Hefei year at that level.
        aligned = row["hefei_same_stage_year"] if row["same_stage_position"] == "within_hefei_range" else None
        stage.setdefault(code, [None] * span)[offset] = aligned
        if not is_missing(row["gdp_per_resident_2023_prices_cny"]):
            latest[code] = row
    cities = []
    for entry in entries:
        city = entry.city
        r = ranked.get(city.code)
        last = latest.get(city.code)
        args = (last["year"], last["hefei_same_stage_year"], last["years_behind_hefei"], last["same_stage_position"]) if last else None
        cities.append({
            "code": city.code, "en": city.name_en, "zh": city.name_zh, "prov_en": city.province_en,
            "prov_zh": city.province_zh, "current": int(city.is_current),
            "former": sorted(entry.zh - {city.name_zh}), "keys": sorted(entry.latin | entry.province),
            "rank": [r["nominal_rank"], r["n_ranked"], r["rank_p05"], r["rank_p95"]] if r else None,
            "stage_en": stage_sentence(*args) if args else "", "stage_zh": stage_sentence_zh(*args) if args else "",
        })
    start = chosen or next((r["city_code"] for r in ranking if r["city_code"] != HEFEI), HEFEI)
    return {"hefei": HEFEI, "start": start, "years": list(range(first, first + span)), "indicators": indicators,
            "series": series, "stage": stage, "cities": cities,
            "rankYear": ranking[0]["year"] if ranking else None}


def explorer_section(wh: Warehouse, ranking: list[dict], chosen: str | None) -> tuple[str, dict | None]:
    if not wh.has("marts.dim_city", "marts.fct_city_vs_hefei"):
        return '<h2 id="explorer">' + tr("Explore a city", "城市浏览") + "</h2>" + missing_note("marts.fct_city_vs_hefei"), None
    data = explorer_data(wh, ranking, chosen)
    placeholder_en = "e.g. 苏州, suzhou, huhehaote, 340100"
    placeholder_zh = "例如 苏州、suzhou、huhehaote、340100"
    return f"""
<h2 id="explorer">{tr("Explore any city over time, beside Hefei", "任选城市：历年指标与合肥对照")}</h2>
<p>{tr("Search any of the " + str(len(data["cities"])) + " cities in Chinese, pinyin or English (or by code). Each chart shows the city's "
       "indicator over time (blue), Hefei in the same year (orange), and Hefei when it was at the same stage (dashed: "
       "the Hefei year whose GDP per resident at 2023 prices was closest; left out where the city is above or below "
       "anything Hefei reached). Add a second city to compare. The last value of each line is labelled, with its year "
       "when it is older than the axis end. Gaps are gaps: no line is drawn through a missing year.",
       "可用中文、拼音、英文或行政区划代码搜索全部" + str(len(data["cities"])) + "个城市。每张图显示该城市历年指标（蓝线）、合肥同年数值（橙线）"
       "以及合肥处于同一发展阶段时的数值（虚线：人均地区生产总值（2023年价格）最接近的合肥年份；城市水平高于或低于合肥历年范围时不画）。"
       "可添加第二个城市对比。每条线末端标出最新数值，早于坐标轴末年时注明年份。缺失年份不连线。")}</p>
<div class="pickers">
<div class="picker"><label for="city-search">{tr("City", "城市")}</label>
<input id="city-search" type="search" autocomplete="off" spellcheck="false" data-placeholder-en="{esc(placeholder_en)}" data-placeholder-zh="{esc(placeholder_zh)}" placeholder="{esc(placeholder_en)}">
<ul id="city-results" class="results" aria-live="polite"></ul></div>
<div class="picker"><label for="compare-search">{tr("Compare with", "对比城市")}</label>
<input id="compare-search" type="search" autocomplete="off" spellcheck="false" data-placeholder-en="{esc(placeholder_en)}" data-placeholder-zh="{esc(placeholder_zh)}" placeholder="{esc(placeholder_en)}">
<ul id="compare-results" class="results" aria-live="polite"></ul></div>
</div>
<div id="explorer-city"></div>
<div id="explorer-legend" class="legend"></div>
<div id="explorer-charts" class="charts"></div>
<noscript><p class="note">{tr("The explorer needs JavaScript; the sections below work without it.", "城市浏览需要启用 JavaScript；以下各部分无需脚本。")}</p></noscript>
""", data


# The adoption view's facts: column prefix in fct_city_policy_adoption, and its label.
ADOPTION_FACTS = [
    ("chain_boss", "Chain-boss system", "产业链链长制"),
    ("science_centre", "Comprehensive science centre", "综合性科学中心"),
    ("state_bets", "Recorded state bets", "有记录的国资投资"),
    ("guidance_funds", "Recorded city guidance funds", "有记录的市级引导基金"),
]
# Each status read as a known yes, a known no, or unknown (the mart's YAML defines them).
ADOPTION_YES = {"in_force", "approved", "recorded"}
ADOPTION_NO = {"not_in_force", "none"}


def adoption_data(wh: Warehouse, years: list[int]) -> dict:
    """Per city, the adoption facts of the given years, for the explorer script to show."""
    mart = "marts.fct_city_policy_adoption"
    table = next((t for t in ("seeds.sources", "staging.stg_seeds__sources") if wh.has(t)), None)
    urls = {r["source_id"]: r["url"] for r in wh.rows(f"select source_id, url from {table}")} if table else {}
    cities: dict[str, list] = {}
    marks = ", ".join("?" for _ in years)
    for row in wh.rows(f"select * from {mart} where year in ({marks}) order by city_code, year", years):
        facts = {k: v for k, v in row.items() if k not in ("name_en", "province_code", "is_inland", "city_code")
                 and not is_missing(v)}
        slots = cities.setdefault(row["city_code"], [None] * len(years))
        slots[years.index(row["year"])] = facts
    used = {v for facts in cities.values() for f in facts if f for k, v in f.items() if k.endswith("_source_id")}
    return {"years": years, "cities": cities,
            "sources": {s: urls[s] for s in sorted(used) if str(urls.get(s) or "").startswith(("https://", "http://"))}}


def adoption_section(wh: Warehouse, ranking: list[dict]) -> str:
    mart = "marts.fct_city_policy_adoption"
    heading = '<h2 id="adoption">' + tr("Adoption view: what is known to be in place", "政策落实情况：已知已实施的做法") + "</h2>"
    if not wh.has(mart):
        return heading + missing_note(mart)
    last = wh.rows(f"select max(year) as y from {mart}")[0]["y"]
    headline = ranking[0]["year"] if ranking else last
    years = sorted({headline, last})
    counts = {(r["fact"], r["kind"]): r["n"] for r in wh.rows(" union all ".join(
        f"""select '{fact}' as fact,
                   case when {fact}_status in ({", ".join(f"'{s}'" for s in sorted(ADOPTION_YES))}) then 'yes'
                        when {fact}_status in ({", ".join(f"'{s}'" for s in sorted(ADOPTION_NO))}) then 'no'
                        else 'unknown' end as kind, count(*) as n
            from {mart} where is_inland and year = ? group by 2""" for fact, _, _ in ADOPTION_FACTS),
        [headline] * len(ADOPTION_FACTS))}
    overview = "".join(
        f'<tr data-fact="{fact}"><td>{tr(en, zh)}</td>'
        + "".join(f'<td class="n st-{kind}">{num(counts.get((fact, kind), 0))}</td>' for kind in ("yes", "no", "unknown"))
        + "</tr>"
        for fact, en, zh in ADOPTION_FACTS
    )
    payload = json.dumps(adoption_data(wh, years), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"""
{heading}
<p>{tr("Parts of the Hefei recipe that are collected for some cities only, so they stay out of the index: per city, "
       "what is <b>known</b> to be in place, each fact with its source. <i>Unknown</i> means no source settles it "
       "(no evidence found, no date, or a ledger that covers few cities); it is not the same as <i>not adopted</i>, "
       "which needs a dated source.",
       "这些做法只在部分城市有资料，因此不计入指数：逐个城市列出<b>已知</b>已实施的做法及其来源。"
       "<i>未知</i>表示没有来源能确认（未找到证据、没有日期，或账本只覆盖少数城市），不等于<i>未实施</i>；“未实施”须有注明日期的来源。")}</p>
<div id="adoption-city"></div>
<h3>{tr(f"Inland cities in {esc(headline)}, the ranking year", f"{esc(headline)}年（排名年份）内陆城市")}</h3>
<div class="scroll"><table id="adoption-overview" data-year="{esc(headline)}"><thead><tr><th>{tr("Fact", "做法")}</th>
<th>{tr("Known in place", "已知已实施")}</th><th>{tr("Known not", "已知未实施")}</th><th>{tr("Unknown", "未知")}</th></tr></thead>
<tbody>{overview}</tbody></table></div>
<p class="note-small">{tr("State bets and guidance funds have no known no: a city the ledgers do not name is unknown. "
                          "The science-centre list is complete, so a city not on it has none.",
                          "国资投资和引导基金没有“已知未实施”：账本未列出的城市记为未知。综合性科学中心名单是完整的，不在名单上的城市即为没有。")}</p>
<script type="application/json" id="adoption-data">{payload}</script>
"""


def ranking_section(wh: Warehouse, ranking: list[dict]) -> str:
    if not ranking:
        return '<h2 id="ranking">Ranking of inland cities</h2>' + missing_note("marts.fct_replicability_ranking")
    n_ranked = ranking[0]["n_ranked"] or len(ranking)
    year = ranking[0]["year"]
    shown = ranking[:RANKS_CHARTED]
    row_h, left, width = 17, 190, 520
    height = row_h * len(shown) + 40
    # The axis spans the ranks the drawn intervals reach, not every rank: the chart shows the top
    # cities only, and an axis to the last rank would squeeze their intervals into a corner.
    axis_max = min(n_ranked, max([r["rank_p95"] or r["nominal_rank"] for r in shown] + [r["nominal_rank"] for r in shown]))
    axis_max = min(n_ranked, -(-axis_max // 10) * 10)

    def x(rank: float) -> float:
        return left + (rank - 1) / max(axis_max - 1, 1) * width

    parts = [f'<svg class="chart" id="rank-chart" data-axis-max="{axis_max}" viewBox="0 0 {left + width + 30} {height}" role="img" '
             f'aria-label="Rank intervals of the top {len(shown)} cities">']
    ticks = [1, *range(10, axis_max + 1, 10)]
    if axis_max - ticks[-1] >= 6:  # label the last rank unless it would overlap the previous tick
        ticks.append(axis_max)
    for tick in ticks:
        parts.append(f'<line x1="{x(tick):.1f}" y1="18" x2="{x(tick):.1f}" y2="{height - 6}" class="grid"/>'
                     f'<text x="{x(tick):.1f}" y="12" class="tick" text-anchor="middle">{tick}</text>')
    for i, r in enumerate(shown):
        y = 28 + i * row_h
        hefei = " hefei" if r["city_code"] == HEFEI else ""
        parts.append(
            f'<g class="rank-row{hefei}"><title>{esc(r["name_en"])} {esc(r["name_zh"])}: nominal rank '
            f'{r["nominal_rank"]}, median {num(r["median_rank"], 1)}, 5-95% {r["rank_p05"]}-{r["rank_p95"]}, '
            f'score {num(r["index_score"], 1)}</title>'
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" class="label">{r["nominal_rank"]}. '
            f'{esc(r["name_en"])} {esc(r["name_zh"])}</text>'
            f'<line x1="{x(r["rank_p05"]):.1f}" y1="{y}" x2="{x(r["rank_p95"]):.1f}" y2="{y}" class="interval"/>'
            f'<circle cx="{x(r["median_rank"]):.1f}" cy="{y}" r="3.5" class="median"/>'
            f'<rect x="{x(r["nominal_rank"]) - 3:.1f}" y="{y - 3}" width="6" height="6" class="nominal"/></g>'
        )
    parts.append("</svg>")
    rows = "".join(
        f'<tr{" class=hefei" if r["city_code"] == HEFEI else ""}><td class=n>{r["nominal_rank"]}</td>'
        f'<td>{city_label(r["name_en"], r["name_zh"])}</td><td class=n>{num(r["index_score"])}</td>'
        f'<td class=n>{num(r["median_rank"], 1)}</td><td class=n>{r["rank_p05"]}–{r["rank_p95"]}</td>'
        f'<td class=n>{num(r["coverage_pct"], 0)}</td><td class=n>{num(r["n_indicators_imputed"])}</td></tr>'
        for r in ranking
    )
    intro_en = f"""Which inland cities look most able to repeat Hefei's path: the replicability index (0–100) under the
nominal assumptions, and how far each rank moves over {num(ranking[0]["n_scenarios"])} scenarios that vary
weights, normalisation, imputation and aggregation. The bar spans the 5th–95th percentile rank, the dot is the
median rank, the square the nominal rank. Hefei stays in the ranking as a control.
{n_ranked} cities ranked; the chart shows the top {len(shown)}, on an axis of ranks 1–{axis_max}."""
    intro_zh = f"""哪些内陆城市最有条件复制合肥路径：名义假设下的可复制性指数（0–100），以及在{num(ranking[0]["n_scenarios"])}个
改变权重、标准化、插补和汇总方法的情景中排名的变动幅度。横条为第5至第95百分位排名，圆点为排名中位数，方块为名义排名。
合肥作为对照保留在排名中。共{n_ranked}个城市参与排名；图中显示前{len(shown)}名，坐标轴为第1–{axis_max}名。"""
    return f"""
<h2 id="ranking">{tr(f"Ranking of inland cities, {esc(year)}", f"内陆城市排名（{esc(year)}年）")}</h2>
<p>{tr(intro_en, intro_zh)}</p>
{headline_note(wh, year)}
{"".join(parts)}
<details><summary>{tr(f"All {len(ranking)} ranked cities", f"全部{len(ranking)}个参与排名的城市")}</summary>
<div class="scroll"><table><thead><tr><th>{tr("Rank", "排名")}</th><th>{tr("City", "城市")}</th><th>{tr("Index score", "指数得分")}</th>
<th>{tr("Median rank", "排名中位数")}</th><th>{tr("5–95% rank", "5–95%排名区间")}</th>
<th>{tr("Coverage %", "数据覆盖率 %")}</th><th>{tr("Values carried forward", "沿用往年数值个数")}</th></tr></thead><tbody>{rows}</tbody></table></div></details>
"""


def text_width(text: str, size: float = 10) -> float:
    """Rough rendered width of a label: CJK characters are square, Latin ones about half."""
    return sum(size if ord(ch) > 0x2e80 else size * 0.56 for ch in text)


def place_labels(points: list[tuple[dict, float, float]]) -> list[str]:
    """Map labels that never overlap each other: each tries the four sides of its dot in turn and
    is left out (its dot keeps a hover title) only if every side is taken. Hefei goes first."""
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for city, x, y in sorted(points, key=lambda p: (p[0]["city_code"] != HEFEI, p[0]["city_code"])):
        text = f'{city["name_en"]} {city["name_zh"]}'
        w, h = text_width(text), 11
        for dx, dy, anchor in ((6, -4, "start"), (6, 10, "start"), (-6, -4, "end"), (-6, 10, "end")):
            left = x + dx if anchor == "start" else x + dx - w
            box = (left - 1, y + dy - h + 2, left + w + 1, y + dy + 2)
            if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed):
                placed.append(box)
                out.append(f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" class="maplabel" '
                           f'data-box="{box[0]:.1f},{box[1]:.1f},{box[2]:.1f},{box[3]:.1f}">{esc(text)}</text>')
                break
    return out


def headline_note(wh: Warehouse, year) -> str:
    """What the index measures and does not, and which year's data each indicator uses."""
    text = (f"<p>The ranking year, {esc(year)}, is the latest year in which every indicator is observed (not "
            "carried forward) for at least 90% of the ranked cities. The index measures the recipe's measurable "
            "preconditions on evidence collected the same way for every city (universities, industrial base, own "
            "fiscal revenue, distance to a coastal hub, growth); it does not score chain-boss systems, state bets, "
            "guidance funds or science centres, which are known for some cities only and are reported in the "
            "adoption view (marts.fct_city_policy_adoption).</p>")
    if not wh.has("marts.dim_index_indicator"):
        return text
    rows = "".join(
        f"<tr><td>{esc(r['indicator_code'])}</td><td>{esc(r['pillar'])}</td><td class=n>{num(r['headline_observed_share_pct'], 1)}</td>"
        f"<td class=n>{num(r['headline_n_carried_forward'], 0)}</td><td class=n>{esc(r['headline_oldest_source_year'])}</td></tr>"
        for r in wh.rows("select * from marts.dim_index_indicator order by pillar, indicator_code"))
    return (text + "<details><summary>Which year's data each indicator uses</summary><div class=scroll><table><thead><tr>"
            "<th>Indicator</th><th>Pillar</th><th>Observed that year %</th><th>Values carried forward</th>"
            f"<th>Oldest year used</th></tr></thead><tbody>{rows}</tbody></table></div></details>")


def map_section(wh: Warehouse, ranking: list[dict]) -> str:
    if not wh.has("marts.dim_city"):
        return '<h2 id="map-title">Map</h2>' + missing_note("marts.dim_city")
    cities = wh.rows(
        "select city_code, name_en, name_zh, longitude, latitude, is_inland from marts.dim_city "
        "where longitude is not null and latitude is not null and valid_to_year is null order by city_code"
    )
    scores = {r["city_code"]: r for r in ranking}
    low = min((r["index_score"] for r in ranking if not is_missing(r["index_score"])), default=0.0)
    high = max((r["index_score"] for r in ranking if not is_missing(r["index_score"])), default=100.0)
    # Equirectangular projection with the longitude squeezed by cos(35°), China's middle latitude.
    lon0, lon1, lat0, lat1, k = 73.0, 135.5, 17.5, 54.0, 13.0
    squeeze = math.cos(math.radians(35))
    width, height = (lon1 - lon0) * squeeze * k + 20, (lat1 - lat0) * k + 20

    def project(lon: float, lat: float) -> tuple[float, float]:
        return 10 + (float(lon) - lon0) * squeeze * k, 10 + (lat1 - float(lat)) * k

    parts = [f'<svg class="chart" id="map" viewBox="0 0 {width:.0f} {height + 40:.0f}" role="img" '
             f'aria-label="Cities of China coloured by replicability index score">']
    for lon in range(80, 135, 10):
        (xa, ya), (_, yb) = project(lon, lat1), project(lon, lat0)
        parts.append(f'<line x1="{xa:.1f}" y1="{ya:.1f}" x2="{xa:.1f}" y2="{yb:.1f}" class="grid"/>'
                     f'<text x="{xa:.1f}" y="{yb + 12:.1f}" class="tick" text-anchor="middle">{lon}°E</text>')
    for lat in range(20, 55, 10):
        (xa, ya), (xb, _) = project(lon0, lat), project(lon1, lat)
        parts.append(f'<line x1="{xa:.1f}" y1="{ya:.1f}" x2="{xb:.1f}" y2="{ya:.1f}" class="grid"/>'
                     f'<text x="{xa + 2:.1f}" y="{ya - 3:.1f}" class="tick">{lat}°N</text>')
    # Prefecture outlines (simplified, 2020 boundaries) under the dots, filled like the dots.
    outlines = wh.rows("select city_code, boundary_lonlat from seeds.city_boundaries order by city_code") \
        if wh.has("seeds.city_boundaries") else []
    names = {c["city_code"]: c for c in cities}
    for outline in outlines:
        city = names.get(outline["city_code"])
        if city is None:
            continue
        ranked = scores.get(outline["city_code"])
        scored = ranked and not is_missing(ranked["index_score"])
        fill = colour(ranked["index_score"], low, high) if scored else ("#e9e9e4" if not city["is_inland"] else "#f6f6f2")
        rings = []
        for polygon in outline["boundary_lonlat"].split("|"):
            for ring in polygon.split(";"):
                points = [project(*map(float, point.split())) for point in ring.split(",")]
                rings.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
        parts.append(f'<path class="boundary" data-city="{esc(city["city_code"])}" fill="{fill}" d="{"".join(rings)}">'
                     f'<title>{esc(city["name_en"])} {esc(city["name_zh"])}</title></path>')
    labelled = {r["city_code"] for r in ranking[:8]} | {HEFEI}
    to_label: list[tuple[dict, float, float]] = []
    # Unscored cities first so the coloured dots are drawn on top.
    for city in sorted(cities, key=lambda c: (c["city_code"] in scores, c["city_code"])):
        x, y = project(city["longitude"], city["latitude"])
        ranked = scores.get(city["city_code"])
        if ranked and not is_missing(ranked["index_score"]):
            fill, cls = colour(ranked["index_score"], low, high), "dot scored"
            tip = f'{city["name_en"]} {city["name_zh"]}: score {num(ranked["index_score"])}, rank {ranked["nominal_rank"]}'
        else:
            fill, cls = "none", "dot coastal" if not city["is_inland"] else "dot unscored"
            tip = f'{city["name_en"]} {city["name_zh"]}: ' + ("coastal province, not ranked" if not city["is_inland"] else "not ranked")
        radius = 5.5 if city["city_code"] == HEFEI else 3.6
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" class="{cls}" fill="{fill}"><title>{esc(tip)}</title></circle>')
        if city["city_code"] in labelled:
            to_label.append((city, x, y))
    parts.extend(place_labels(to_label))
    # Legend: the colour ramp with its score range.
    ly = height + 8
    stops = "".join(f'<stop offset="{i / (len(RAMP) - 1):.2f}" stop-color="{c}"/>' for i, c in enumerate(RAMP))
    parts.append(
        f'<defs><linearGradient id="ramp">{stops}</linearGradient></defs>'
        f'<rect x="20" y="{ly}" width="200" height="10" fill="url(#ramp)"/>'
        f'<text x="20" y="{ly + 24}" class="tick">{num(low)}</text>'
        f'<text x="220" y="{ly + 24}" class="tick" text-anchor="end">{num(high)}</text>'
        f'<text x="230" y="{ly + 9}" class="tick">index score (ranked inland cities)</text>'
        f'<circle cx="470" cy="{ly + 5}" r="3.6" class="legend unscored" fill="none"/><text x="478" y="{ly + 9}" class="tick">inland, not ranked</text>'
        f'<circle cx="590" cy="{ly + 5}" r="3.6" class="legend coastal" fill="none"/><text x="598" y="{ly + 9}" class="tick">coastal province</text>'
    )
    parts.append("</svg>")
    return f"""
<h2 id="map-title">{tr("Map: where the replicable cities are", "地图：可复制城市的分布")}</h2>
<p>{tr("Each prefecture-level city is drawn with its 2020 boundary (simplified for this scale; China Census project) "
       "and a dot at its seat. Ranked inland cities are coloured by index score; hover a dot for its name and score.",
       "每个地级城市按2020年行政边界绘制（按此比例简化；来源：China Census 项目），圆点为政府驻地。参与排名的内陆城市按指数得分着色；"
       "鼠标悬停圆点可查看名称和得分。")}</p>
<div class="scroll">{"".join(parts)}</div>
"""


def pillar_chart(city: dict, pillars: dict[str, dict[str, float]]) -> str:
    names = sorted(set(pillars.get(city["city_code"], {})) | set(pillars.get(HEFEI, {})))
    if not names:
        return '<p class="note">No pillar scores for this city.</p>'
    left, width, row_h = 190, 360, 34
    parts = [f'<svg class="chart pillars" viewBox="0 0 {left + width + 60} {row_h * len(names) + 30}" role="img" '
             f'aria-label="Pillar scores of {esc(city["name_en"])} and Hefei">']
    for i, name in enumerate(names):
        y = 10 + i * row_h
        parts.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end" class="label">{esc(name.replace("_", " "))}</text>')
        for j, (code, cls) in enumerate(((city["city_code"], "bar-city"), (HEFEI, "bar-hefei"))):
            score = pillars.get(code, {}).get(name)
            if is_missing(score):
                parts.append(f'<text x="{left + 4}" y="{y + 10 + j * 13}" class="tick">{DASH}</text>')
                continue
            parts.append(f'<rect x="{left}" y="{y + j * 13}" width="{score / 100 * width:.1f}" height="11" class="{cls}"/>'
                         f'<text x="{left + score / 100 * width + 4:.1f}" y="{y + 10 + j * 13}" class="tick">{num(score)}</text>')
    y = 10 + len(names) * row_h
    parts.append(f'<rect x="{left}" y="{y}" width="10" height="10" class="bar-city"/><text x="{left + 14}" y="{y + 9}" class="tick">{esc(city["name_en"])}</text>'
                 f'<rect x="{left + 120}" y="{y}" width="10" height="10" class="bar-hefei"/><text x="{left + 134}" y="{y + 9}" class="tick">Hefei (same year)</text>')
    parts.append("</svg>")
    return "".join(parts)


def profile(wh: Warehouse, city: dict, pillars: dict[str, dict[str, float]], is_open: bool) -> str:
    vs = []
    if wh.has("marts.fct_city_vs_hefei"):
        vs = wh.rows(
            "select * from marts.fct_city_vs_hefei where city_code = ? and gdp_cny_100m is not null "
            "order by year desc limit 1", [city["city_code"]]
        )
    if vs:
        v = vs[0]
        stage = v.get("hefei_same_stage_year")
        args = (v["year"], None if is_missing(stage) else stage, v.get("years_behind_hefei"), v.get("same_stage_position"))
        stage_text = tr(esc(stage_sentence(*args)), esc(stage_sentence_zh(*args)))

        def cell(value_year: tuple, digits: int, wanted) -> str:
            value, from_year = value_year
            if is_missing(value):
                return DASH
            # A figure from an earlier year than the column's is labelled with its year.
            return num(value, digits) + ("" if from_year == wanted else f' <span class="yr">({from_year})</span>')

        stage_year = None if is_missing(stage) else stage
        rows = "".join(
            f"<tr><td>{esc(f['label'])}</td><td class=n>{cell(f['city'], f['digits'], v['year'])}</td>"
            f"<td class=n>{cell(f['hefei'], f['digits'], v['year'])}</td>"
            f"<td class=n>{cell(f['stage'], f['digits'], stage_year) if stage_year is not None else DASH}</td></tr>"
            for f in beside_hefei(wh.con, city["city_code"], v["year"], stage_year)
        )
        table = (f"<p>{stage_text}</p><div class=scroll><table class=profile-table><thead><tr><th>{tr('Indicator', '指标')}</th>"
                 f"<th>{esc(city['name_en'])} {v['year']}</th><th>{tr('Hefei', '合肥')} {v['year']}</th>"
                 f"<th>{tr('Hefei at the same stage', '合肥同一发展阶段')} ({esc(stage) if not is_missing(stage) else DASH})</th></tr></thead>"
                 f"<tbody>{rows}</tbody></table></div>"
                 f'<p class="note-small">{tr("A year in brackets: the latest earlier year with a published value.", "括号内年份：该指标有公开数值的最近年份。")}</p>')
    else:
        table = missing_note("marts.fct_city_vs_hefei") if not wh.has("marts.fct_city_vs_hefei") else \
            '<p class="note">No GDP figures for this city.</p>'
    rank = (f'rank {city["nominal_rank"]} of {city["n_ranked"]} (5–95%: {city["rank_p05"]}–{city["rank_p95"]}), '
            f'index {num(city["index_score"])}') if city.get("nominal_rank") else "not ranked"
    return f"""
<details class="profile" data-city="{esc(city['city_code'])}"{" open" if is_open else ""}>
<summary>{city_label(city['name_en'], city['name_zh'])} — {esc(rank)}</summary>
<div class="profile-body"><div>{pillar_chart(city, pillars)}</div><div>{table}</div></div>
{why_section(wh, city)}
</details>"""


def why_section(wh: Warehouse, city: dict) -> str:
    """Why this rank: the pillars and indicators that carry the city's index and hold it back."""
    lines = why_this_rank(wh.con, city["city_code"])
    return f'<pre class="why">{esc(chr(10).join(lines))}</pre>' if lines else ""


def profiles_section(wh: Warehouse, ranking: list[dict], chosen: str | None) -> str:
    if not ranking:
        return '<h2 id="profiles">City profiles against Hefei</h2>' + missing_note("marts.fct_replicability_ranking")
    year = ranking[0]["year"]
    pillars: dict[str, dict[str, float]] = {}
    if wh.has("marts.fct_replicability_pillar_scores"):
        for r in wh.rows("select city_code, pillar, pillar_score from marts.fct_replicability_pillar_scores where year = ?", [year]):
            pillars.setdefault(r["city_code"], {})[r["pillar"]] = r["pillar_score"]
    others = [r for r in ranking if r["city_code"] != HEFEI]
    shown = others[:PROFILES_SHOWN]
    if chosen and chosen != HEFEI:
        picked = [r for r in ranking if r["city_code"] == chosen]
        if not picked:
            picked = [dict(_city_row(wh, chosen), nominal_rank=None, n_ranked=None)]
        shown = picked + [r for r in shown if r["city_code"] != chosen]
    body = "".join(profile(wh, city, pillars, i == 0) for i, city in enumerate(shown))
    intro_en = f"""Pillar scores ({esc(year)}) beside Hefei's, and key indicators now, for Hefei in the same year, and for
Hefei when it was at the same stage (the Hefei year whose GDP per resident in 2023 prices was closest).
Open a city to see its profile; the first is {"the city chosen for this report" if chosen else "the top-ranked city after Hefei"}."""
    intro_zh = f"""各支柱得分（{esc(year)}年）与合肥对照，以及主要指标的最新值、合肥同年数值和合肥处于同一发展阶段时的数值。
点击城市查看详情；第一个是{"本报告选定的城市" if chosen else "除合肥外排名最高的城市"}。"""
    return f"""
<h2 id="profiles">{tr("City profiles against Hefei", "城市与合肥对照概况")}</h2>
<p>{tr(intro_en, intro_zh)}</p>
{body}
"""


def _city_row(wh: Warehouse, code: str) -> dict:
    rows = wh.rows("select city_code, name_en, name_zh from marts.dim_city where city_code = ?", [code]) \
        if wh.has("marts.dim_city") else []
    if not rows:
        raise ReportError(f"unknown city code {code}")
    return rows[0]


def ledger_section(wh: Warehouse) -> str:
    if not wh.has("marts.city_state_capital_summary", "marts.fct_state_investment"):
        return '<h2 id="ledger">State-capital ledger</h2>' + missing_note("marts.city_state_capital_summary", "marts.fct_state_investment")
    summary = wh.rows("select * from marts.city_state_capital_summary order by n_failures desc, city_code")
    bets = wh.rows(
        "select city_code, city_name_en, city_name_zh, is_inland, investee, industry, start_year, end_year, "
        "amount_cny_bn, currency, amount_original_bn, outcome from marts.fct_state_investment "
        "where outcome = 'failure' order by amount_cny_bn desc nulls last, record_id"
    )
    summary_rows = "".join(
        f'<tr{" class=hefei" if s["city_code"] == HEFEI else ""}><td>{city_label(s["city_name_en"], s["city_name_zh"])}</td>'
        f'<td>{"inland" if s["is_inland"] else "coastal"}</td><td class=n>{num(s["n_bets"])}</td>'
        f'<td class=n>{num(s["total_committed_cny_bn"])}</td><td class=n>{num(s["n_successes"])}</td>'
        f'<td class=n>{num(s["n_failures"])}</td><td class=n>{num(s["n_ongoing"])}</td>'
        f'<td class=n>{num(s["failure_share_pct"], 0)}</td></tr>'
        for s in summary
    )
    bet_rows = "".join(
        f'<tr><td>{city_label(b["city_name_en"], b["city_name_zh"])}</td><td>{esc(b["investee"])}</td>'
        f'<td>{esc(b["industry"])}</td><td class=n>{esc(b["start_year"]) or DASH}</td>'
        f'<td class=n>{num(b["amount_cny_bn"])}</td></tr>'
        for b in bets
    )
    hefei = next((r for r in summary if r["city_code"] == HEFEI), None)
    hefei_failures = int(hefei["n_failures"] or 0) if hefei else 0
    if hefei_failures:
        hefei_note = tr(f"Hefei's own {hefei_failures} recorded failure{'s' if hefei_failures > 1 else ''} are listed too.",
                        f"合肥自身有记录的{hefei_failures}项失败也一并列出。")
    else:
        hefei_note = tr("The ledger records no failed bet of Hefei's own: that is what the sources found, not proof "
                        "that none failed.", "账本中没有合肥自身失败投资的记录：这是现有来源的情况，并不证明合肥没有失败的投资。")
    return f"""
<h2 id="ledger">{tr("State-capital ledger: bets, including the failures", "国资投资账本：包括失败的投资")}</h2>
<p>{tr("City governments' investment vehicles backing single companies or projects. Hefei's wins are famous; the "
       "ledger keeps the bets that failed elsewhere beside them, so the model is not judged by its survivors.",
       "城市政府的投资平台押注单个企业或项目。合肥的成功广为人知；账本把其他城市失败的投资与之并列，以免只凭幸存者评价这一模式。")}
{hefei_note} {tr("Amounts in billion CNY as committed; a dash means no CNY amount was published.",
                 "金额为承诺投资额（十亿元）；短横表示没有公开的人民币金额。")}</p>
<div class="scroll"><table><thead><tr><th>{tr("City", "城市")}</th><th></th><th>{tr("Bets", "投资数")}</th>
<th>{tr("Committed, bn CNY", "承诺金额（十亿元）")}</th><th>{tr("Successes", "成功")}</th><th>{tr("Failures", "失败")}</th>
<th>{tr("Ongoing", "进行中")}</th><th>{tr("Failure share %", "失败占比 %")}</th></tr></thead><tbody>{summary_rows}</tbody></table></div>
<h3>{tr("Failed bets", "失败的投资")}</h3>
<div class="scroll"><table><thead><tr><th>{tr("City", "城市")}</th><th>{tr("Investee", "被投企业")}</th><th>{tr("Industry", "行业")}</th>
<th>{tr("Start", "开始年份")}</th><th>{tr("Committed, bn CNY", "承诺金额（十亿元）")}</th></tr></thead>
<tbody>{bet_rows}</tbody></table></div>
"""


def coverage_section(wh: Warehouse, ranking: list[dict]) -> str:
    if not wh.has("marts.fct_city_year_indicator", "marts.dim_city"):
        return '<h2 id="coverage">Data coverage</h2>' + missing_note("marts.fct_city_year_indicator")
    names_table = next((t for t in ("seeds.indicators", "staging.stg_seeds__indicators") if wh.has(t)), None)
    names = {r["indicator_code"]: r["name"] for r in wh.rows(f"select indicator_code, name from {names_table}")} if names_table else {}
    rows = wh.rows(
        """
        select f.indicator_code, any_value(f.unit) as unit,
               min(f.year) filter (where not f.is_missing) as first_year,
               max(f.year) filter (where not f.is_missing) as last_year,
               100.0 * count(*) filter (where not f.is_missing) / nullif(count(*), 0) as share_pct,
               100.0 * count(*) filter (where not f.is_missing and f.year = 2020) / nullif(count(*) filter (where f.year = 2020), 0) as share_2020_pct
        from marts.fct_city_year_indicator f
        join marts.dim_city d using (city_code)
        where d.is_inland and f.unit_status = 'active'
        group by f.indicator_code
        order by f.indicator_code
        """
    )
    body = "".join(
        f"<tr><td>{esc(names.get(r['indicator_code']) or r['indicator_code'])}<br><code class=small>{esc(r['indicator_code'])}</code></td><td>{esc(r['unit'])}</td>"
        f"<td class=n>{esc(r['first_year']) or DASH}</td><td class=n>{esc(r['last_year']) or DASH}</td>"
        f"<td class=n>{num(r['share_pct'], 0)}</td><td class=n>{num(r['share_2020_pct'], 0)}</td></tr>"
        for r in rows
    )
    index_note = ""
    if ranking:
        values = sorted(r["coverage_pct"] for r in ranking if not is_missing(r["coverage_pct"]))
        if values:
            index_note = (f"<p>Index inputs: a ranked city has a value for {num(values[0], 0)}–{num(values[-1], 0)}% "
                          f"of the index indicators (median {num(values[len(values) // 2], 0)}%).</p>")
    return f"""
<h2 id="coverage">{tr("Data coverage", "数据覆盖情况")}</h2>
<p>{tr("Share of inland city-years (while the city existed, 2000–2023) with a published value, per indicator. "
       "Missing values are never filled: they stay blank in the warehouse.",
       "各指标在内陆城市-年份（城市存续期间，2000–2023年）中有公开数值的比例。缺失值从不填补，在数据仓库中保持为空。")}</p>
{index_note}
<details><summary>{tr(f"Coverage by indicator ({len(rows)} indicators)", f"按指标的覆盖情况（{len(rows)}个指标）")}</summary>
<div class="scroll"><table><thead><tr><th>{tr("Indicator", "指标")}</th><th>{tr("Unit", "单位")}</th><th>{tr("First year", "起始年份")}</th>
<th>{tr("Last year", "最近年份")}</th><th>{tr("% of city-years", "城市-年份占比 %")}</th>
<th>{tr("% in 2020", "2020年占比 %")}</th></tr></thead><tbody>{body}</tbody></table></div></details>
"""


# What the screens did with a flagged value (fct_data_quality_flag.resolution), in both languages.
RESOLUTIONS = [
    ("replaced_by_agreeing_sources", "Replaced: sources agree", "替换：多个来源一致"),
    ("replaced_by_second_source", "Replaced: second source", "替换：第二来源"),
    ("converted", "Converted", "换算"),
    ("nulled", "Set aside (null)", "置空"),
    ("kept_flagged", "Kept, flagged", "保留并标记"),
    ("kept", "Kept", "保留"),
]
WORST_PER_RULE = 2   # remaining cases listed per rule


def quality_section(wh: Warehouse) -> str:
    heading = '<h2 id="quality">' + tr("Data quality", "数据质量") + "</h2>"
    summary, flags = "marts.fct_data_quality_summary", "marts.fct_data_quality_flag"
    if not wh.has(summary, flags, "marts.dim_city"):
        return heading + missing_note(summary, flags)
    counts = wh.rows(f"select rule_family, rule_code, resolution, sum(n_flags) as n from {summary} group by 1, 2, 3")
    known = [code for code, _, _ in RESOLUTIONS]
    columns = RESOLUTIONS + [(r, r, r) for r in sorted({c["resolution"] for c in counts} - set(known))]
    by_rule: dict[tuple, dict] = {}
    for c in counts:
        by_rule.setdefault((c["rule_family"], c["rule_code"]), {})[c["resolution"]] = c["n"]
    count_rows = "".join(
        f'<tr data-rule="{esc(rule)}"><td>{esc(family)}</td><td><code>{esc(rule)}</code></td>'
        + "".join(f'<td class=n>{num(int(cells[code])) if code in cells else DASH}</td>' for code, _, _ in columns)
        + f"<td class=n>{num(int(sum(cells.values())))}</td></tr>"
        for (family, rule), cells in sorted(by_rule.items())
    )
    total = sum(int(c["n"]) for c in counts)
    # The worst cases whose value stays as published, flagged: no second source settled them.
    worst = wh.rows(f"""
        select * from (
            select f.*, d.name_en, d.name_zh,
                   row_number() over (partition by f.rule_code order by f.severity_rank, f.city_code, f.year) as pick
            from {flags} f join marts.dim_city d using (city_code)
            where f.resolution = 'kept_flagged' and f.proposed_action = 'keep'
        ) as ranked
        where pick <= {WORST_PER_RULE}
        order by rule_code, pick""")
    worst_rows = "".join(
        f'<tr><td><code>{esc(w["rule_code"])}</code></td><td>{city_label(w["name_en"], w["name_zh"])}</td><td class=n>{esc(w["year"])}</td>'
        f'<td><code class=small>{esc(w["indicator_code"])}</code></td><td class=n>{num(w["original_value"], 2)}</td>'
        f'<td>{esc(w["evidence"])}</td><td><code class=small>{esc(w["source_id"])}</code></td></tr>'
        for w in worst
    )
    head = "".join(f"<th>{tr(en, zh)}</th>" for _, en, zh in columns)
    return f"""
{heading}
<p>{tr(f"The screens compare every city value with other sources, accounting identities, plausible ranges and the city's own "
       f"trend ({num(total)} flags in all; a value can carry several). Each flag has a resolution: the value two sources agree "
       "on, set aside with a reason, or kept and flagged. Nothing is corrected silently: <code>marts.fct_data_quality_flag</code> "
       "keeps the original value, the rule and the evidence (method: docs/data_quality.md).",
       f"数据筛查把每个城市数值与其他来源、核算恒等式、合理范围以及该城市自身趋势对照（共{num(total)}个标记，一个数值可有多个标记）。"
       "每个标记都有处理结果：采用两个来源一致的数值、说明理由后置空，或保留并标记。不做任何静默修正："
       "<code>marts.fct_data_quality_flag</code> 保留原值、规则和依据（方法见 docs/data_quality.md）。")}</p>
<h3>{tr("Flags by rule and resolution", "按规则和处理结果统计的标记")}</h3>
<div class="scroll"><table id="quality-counts"><thead><tr><th>{tr("Family", "类别")}</th><th>{tr("Rule", "规则")}</th>{head}
<th>{tr("All", "合计")}</th></tr></thead><tbody>{count_rows}</tbody></table></div>
<details><summary>{tr(f"Worst remaining cases ({len(worst)}: the worst {WORST_PER_RULE} per rule kept as published, flagged)",
                      f"最严重的未解决案例（{len(worst)}个：每条规则中保留原值并标记的最严重{WORST_PER_RULE}个）")}</summary>
<div class="scroll"><table id="quality-worst"><thead><tr><th>{tr("Rule", "规则")}</th><th>{tr("City", "城市")}</th><th>{tr("Year", "年份")}</th>
<th>{tr("Indicator", "指标")}</th><th>{tr("Value", "数值")}</th><th>{tr("Evidence", "依据")}</th><th>{tr("Source", "来源")}</th></tr></thead>
<tbody>{worst_rows}</tbody></table></div></details>
"""


def sources_section(wh: Warehouse) -> str:
    table = next((t for t in ("seeds.sources", "staging.stg_seeds__sources") if wh.has(t)), None)
    if table is None:
        return '<h2 id="sources">Sources</h2>' + missing_note("seeds.sources")
    rows = wh.rows(f"select source_id, producer, licence, url, accessed_on from {table} order by source_id")
    body = "".join(
        f"<tr id=\"source-{esc(r['source_id'])}\"><td><code>{esc(r['source_id'])}</code></td><td>{esc(r['producer'])}</td><td>{esc(r['licence'])}</td>"
        f"<td class=url>{link(r['url'])}</td><td>{esc(r['accessed_on'])}</td></tr>"
        for r in rows
    )
    return f"""
<h2 id="sources">{tr("Sources", "数据来源")}</h2>
<p>{tr("Every figure in the warehouse carries the id of one of these sources (see also DATA_SOURCES.md).",
       "数据仓库中的每个数值都带有以下某个来源的编号（另见 DATA_SOURCES.md）。")}</p>
<details><summary>{tr(f"{len(rows)} sources", f"{len(rows)}个来源")}</summary>
<div class="scroll"><table><thead><tr><th>{tr("Source id", "来源编号")}</th><th>{tr("Producer", "发布者")}</th><th>{tr("Licence", "许可")}</th>
<th>{tr("Address", "地址")}</th><th>{tr("Accessed", "访问日期")}</th></tr></thead>
<tbody>{body}</tbody></table></div></details>
"""


def link(url) -> str:
    """A clickable address for web links; anything else stays text."""
    text = "" if url is None else str(url)
    if text.startswith(("https://", "http://")):
        return f'<a href="{esc(text)}" rel="noopener noreferrer" target="_blank">{esc(text)}</a>'
    return esc(text)


def downloads_section(wh: Warehouse) -> str:
    marts = sorted(t.split(".", 1)[1] for t in wh.tables if t.startswith("marts."))
    if not marts:
        return '<h2 id="downloads">' + tr("Downloads", "数据下载") + "</h2>" + missing_note("marts")
    rows = "".join(
        f'<tr><td><code>{esc(m)}</code></td><td><a href="exports/{esc(m)}.csv" download>CSV</a></td>'
        f'<td><a href="exports/{esc(m)}.parquet" download>Parquet</a></td></tr>'
        for m in marts
    )
    return f"""
<h2 id="downloads">{tr("Downloads", "数据下载")}</h2>
<p>{tr('Every table shown here, as published with this report in the <code>exports/</code> folder beside it: CSV '
       '(UTF-8 with a byte-order mark, opens in Excel) and Parquet. <a href="exports/manifest.json">manifest.json</a> '
       'gives every column its unit, description and sources.',
       '本报告所用的全部数据表，与报告一同发布在同目录的 <code>exports/</code> 文件夹中：CSV（带 BOM 的 UTF-8，可直接用 Excel 打开）'
       '和 Parquet。<a href="exports/manifest.json">manifest.json</a> 列出每一列的单位、说明和来源。')}</p>
<details><summary>{tr(f"{len(marts)} tables", f"{len(marts)}张表")}</summary>
<div class="scroll"><table><thead><tr><th>{tr("Table", "表")}</th><th>CSV</th><th>Parquet</th></tr></thead>
<tbody>{rows}</tbody></table></div></details>
"""


# ---------------------------------------------------------------- the page

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC",sans-serif;
 color:#1d2430;background:#fbfbfa;margin:0}
main{max-width:1180px;margin:0 auto;padding:18px 28px 48px}
h1{font-size:24px;margin:8px 0 2px} h2{font-size:19px;margin:34px 0 6px;border-bottom:1px solid #dcdcd6;padding-bottom:3px}
h3{font-size:15px;margin:18px 0 6px} p{max-width:880px} .sub{color:#5a6270;margin:0 0 10px}
nav a{margin-right:14px;color:#2b5d9b;text-decoration:none} .zh{color:#5a6270}
table{border-collapse:collapse;margin:8px 0;font-size:13px} th,td{padding:3px 9px;border-bottom:1px solid #e6e6e1;text-align:left;vertical-align:top}
th{background:#f0f0ec;font-weight:600} td.n{text-align:right;font-variant-numeric:tabular-nums} td.url{word-break:break-all;max-width:360px}
tr.hefei td{background:#fff4d6} .note{color:#8a5a00;background:#fff8e6;padding:6px 10px;display:inline-block}
details{margin:8px 0} summary{cursor:pointer;font-weight:600;padding:4px 0}
svg.chart{display:block;width:100%;max-width:860px;height:auto;background:#fff;border:1px solid #e6e6e1;margin:8px 0}
svg .grid{stroke:#ececec;stroke-width:1} svg .tick{font-size:10px;fill:#6a717d} svg .label{font-size:11px;fill:#1d2430}
svg .interval{stroke:#7d93b8;stroke-width:5;stroke-linecap:round;opacity:.75} svg .median{fill:#1d3f73}
svg .nominal{fill:#d9822b} svg .hefei .label{font-weight:700}
svg .boundary{stroke:#fff;stroke-width:.5} svg .dot,svg .legend{stroke-width:1} svg .scored{stroke:#333;stroke-width:.4} svg .unscored{stroke:#8a8a8a} svg .coastal{stroke:#c9c9c9}
svg .maplabel{font-size:10px;fill:#1d2430;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg .bar-city{fill:#2b5d9b} svg .bar-hefei{fill:#e0a526}
.profile{border:1px solid #e6e6e1;background:#fff;padding:2px 12px;margin:6px 0}
.profile-body{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start} .profile-body>div{flex:1 1 420px}
svg.pillars{max-width:560px;border:none}
footer{margin-top:40px;color:#5a6270;font-size:12px}
pre.why{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:#f7f7f4;padding:6px 8px}
.lang-en [lang=zh],.lang-zh [lang=en]{display:none}
.top{display:flex;justify-content:space-between;align-items:flex-start;gap:12px}
#lang-switch{font:inherit;padding:4px 12px;margin-top:8px;border:1px solid #2b5d9b;background:#fff;color:#2b5d9b;border-radius:4px;cursor:pointer}
nav{display:flex;flex-wrap:wrap;gap:4px 14px} nav a{margin:0}
.scroll{overflow-x:auto;max-width:100%}
.pickers{display:flex;flex-wrap:wrap;gap:12px 28px} .picker{flex:1 1 280px;max-width:420px}
.picker label{display:block;font-weight:600;margin-bottom:3px}
.picker input{font:inherit;width:100%;box-sizing:border-box;padding:6px 8px;border:1px solid #b9bcc4;border-radius:4px}
.results{list-style:none;margin:4px 0;padding:0;max-height:260px;overflow-y:auto}
.results li{margin:2px 0} .results .count,.results .none{color:#5a6270;font-size:12px}
.results button{font:inherit;text-align:left;width:100%;padding:4px 8px;border:1px solid #e0e0da;background:#fff;border-radius:3px;cursor:pointer}
.results button:hover{background:#eef3fa} .prov{color:#5a6270;font-size:12px;font-weight:400}
#explorer-city h3{margin:14px 0 2px} #explorer-city p{margin:2px 0} .stage{color:#1d3f73}
.legend{margin:8px 0;font-size:13px} .legend .key{display:inline-block;width:18px;height:0;border-top:3px solid;margin:0 5px 3px 12px;vertical-align:middle}
.key.city{border-color:#2b5d9b} .key.hefei{border-color:#e0a526} .key.stage{border-color:#b5651d;border-top-style:dashed} .key.other{border-color:#2e8b57}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px}
figure.ts{margin:0;background:#fff;border:1px solid #e6e6e1;padding:6px 8px} figure.ts h4{margin:0 0 2px;font-size:13px}
.unit{color:#5a6270;font-weight:400}
svg.ts-chart{display:block;width:100%;height:auto}
svg .line{fill:none;stroke-width:2} svg .line.city{stroke:#2b5d9b} svg .line.hefei{stroke:#e0a526}
svg .line.stage{stroke:#b5651d;stroke-dasharray:4 3} svg .line.other{stroke:#2e8b57}
svg .pt.city{fill:#2b5d9b} svg .pt.hefei{fill:#e0a526} svg .pt.stage{fill:#b5651d} svg .pt.other{fill:#2e8b57}
svg .endlabel{font-size:10px} svg .endlabel.city{fill:#2b5d9b} svg .endlabel.hefei{fill:#a8760a} svg .endlabel.stage{fill:#b5651d} svg .endlabel.other{fill:#2e8b57}
.yr{color:#8a5a00;font-size:11px} .note-small{font-size:12px;color:#5a6270} code.small{font-size:11px;color:#5a6270}
td.url a{color:#2b5d9b}
td.st{white-space:nowrap} td.st-yes{background:#e3f1e5;color:#1f5f2c;font-weight:600} td.st-no{background:#eeeeea;color:#3d434d}
td.st-unknown{color:#6a5a2a;font-style:italic;background:repeating-linear-gradient(135deg,#fff,#fff 4px,#f6efd9 4px,#f6efd9 8px)}
table.adoption td.url{max-width:260px}
@media (max-width:600px){main{padding:10px 12px 32px} h1{font-size:20px} .profile-body>div{flex:1 1 100%}
 table{font-size:12px} th,td{padding:3px 5px}}
"""


@dataclass
class ReportInfo:
    build_id: str
    git_commit: str | None


# Menu of the page: anchor, English and Chinese label. A new section adds a line here and a
# function in render().
MENU = [
    ("explorer", "Explore a city", "城市浏览"), ("adoption", "Adoption", "政策落实"), ("ranking", "Ranking", "排名"), ("map-title", "Map", "地图"),
    ("profiles", "Profiles", "城市概况"), ("ledger", "State-capital ledger", "国资投资账本"),
    ("coverage", "Coverage", "数据覆盖"), ("quality", "Data quality", "数据质量"),
    ("downloads", "Downloads", "下载"), ("sources", "Sources", "来源"),
]

# Nothing may be fetched: the page is one file. The browser enforces it and reports any attempt.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def render(con: duckdb.DuckDBPyConnection, info: ReportInfo, city: str | None = None) -> str:
    """The whole page as a string."""
    wh = Warehouse(con)
    ranking: list[dict] = []
    if wh.has("marts.fct_replicability_ranking"):
        ranking = wh.rows("select * from marts.fct_replicability_ranking order by nominal_rank, city_code")
    if city is not None:
        _city_row(wh, city)  # an unknown city is an error, not an empty profile
    explorer, data = explorer_section(wh, ranking, city)
    sections = [
        explorer,
        adoption_section(wh, ranking),
        ranking_section(wh, ranking),
        map_section(wh, ranking),
        profiles_section(wh, ranking, city),
        ledger_section(wh),
        coverage_section(wh, ranking),
        quality_section(wh),
        downloads_section(wh),
        sources_section(wh),
    ]
    script = ""
    if data is not None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        script = (f'<script type="application/json" id="explorer-data">{payload}</script>\n'
                  f"<script>{EXPLORER_JS.read_text(encoding='utf-8')}</script>")
    commit = (info.git_commit or "unknown")[:12]
    generated = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    menu = "".join(f'<a href="#{anchor}">{tr(en, zh)}</a>' for anchor, en, zh in MENU)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Which inland cities could repeat Hefei? 谁能复制合肥模式</title>
<style>{CSS}</style></head>
<body class="lang-en"><main>
<div class="top"><h1>{tr("Which inland cities could repeat Hefei?", "哪些内陆城市能复制合肥模式？")}</h1>
<button type="button" id="lang-switch" lang="">中文</button></div>
<p class="sub">{tr('State capital as venture capital, a "chain boss" per industry, a deep university talent pool: '
                   'how close each inland city is to the conditions Hefei had, and what stands in the way.',
                   "国有资本像风险投资一样运作、每条产业链一位“链长”、深厚的高校人才储备：各内陆城市离合肥当年的条件有多近，又有哪些障碍。")}</p>
<nav>{menu}</nav>
{"".join(sections)}
<footer>{tr(f"Build {esc(info.build_id)} · commit {esc(commit)} · generated {generated} from the warehouse published with it. "
            "Figures are as published by the sources listed above; a dash means no source has the value.",
            f"构建 {esc(info.build_id)} · 提交 {esc(commit)} · 生成于 {generated}，数据来自与本报告一同发布的数据仓库。"
            "数值均按上列来源发布的原样呈现；短横表示没有来源提供该数值。")}</footer>
</main>
{script}
</body></html>
"""


def write_report(database: Path, out: Path, *, build_id: str, git_commit: str | None, city: str | None = None) -> Path:
    with duckdb.connect(str(database), read_only=True) as con:
        page = render(con, ReportInfo(build_id, git_commit), city)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".partial")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(out)
    return out
