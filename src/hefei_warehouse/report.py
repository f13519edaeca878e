"""The analyst report: one self-contained HTML page built from a warehouse file.

Plain string templating with inline CSS and SVG: no scripts, no web fonts, nothing fetched
from the network, so the page opens from disk anywhere. Each section reads one or two marts;
a section whose mart is not in the database says so instead of failing, and a missing
value is shown as a dash (gaps stay gaps).
"""

from __future__ import annotations

import html
import math
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .comparison import BESIDE_HEFEI
from .why_rank import why_this_rank

HEFEI = "340100"
DASH = "–"
PROFILES_SHOWN = 10   # top-ranked cities (besides Hefei) with a profile in the report
RANKS_CHARTED = 40    # cities drawn in the rank-interval chart (the table lists all)

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

def ranking_section(wh: Warehouse, ranking: list[dict]) -> str:
    if not ranking:
        return '<h2 id="ranking">Ranking of inland cities</h2>' + missing_note("marts.fct_replicability_ranking")
    n_ranked = ranking[0]["n_ranked"] or len(ranking)
    year = ranking[0]["year"]
    shown = ranking[:RANKS_CHARTED]
    row_h, left, width = 17, 190, 520
    height = row_h * len(shown) + 40

    def x(rank: float) -> float:
        return left + (rank - 1) / max(n_ranked - 1, 1) * width

    parts = [f'<svg class="chart" id="rank-chart" viewBox="0 0 {left + width + 30} {height}" role="img" '
             f'aria-label="Rank intervals of the top {len(shown)} cities">']
    ticks = [1, *range(10, n_ranked + 1, 10)]
    if n_ranked - ticks[-1] >= 6:  # label the last rank unless it would overlap the previous tick
        ticks.append(n_ranked)
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
    return f"""
<h2 id="ranking">Ranking of inland cities, {esc(year)}</h2>
<p>Which inland cities look most able to repeat Hefei's path: the replicability index (0–100) under the
nominal assumptions, and how far each rank moves over {num(ranking[0]["n_scenarios"])} scenarios that vary
weights, normalisation, imputation and aggregation. The bar spans the 5th–95th percentile rank, the dot is the
median rank, the square the nominal rank. Hefei stays in the ranking as a control.
{n_ranked} cities ranked; the chart shows the top {len(shown)}.</p>
{headline_note(wh, year)}
{"".join(parts)}
<details><summary>All {len(ranking)} ranked cities</summary>
<table><thead><tr><th>Rank</th><th>City</th><th>Index score</th><th>Median rank</th><th>5–95% rank</th>
<th>Coverage %</th><th>Values carried forward</th></tr></thead><tbody>{rows}</tbody></table></details>
"""


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
    return (text + "<details><summary>Which year's data each indicator uses</summary><table><thead><tr>"
            "<th>Indicator</th><th>Pillar</th><th>Observed that year %</th><th>Values carried forward</th>"
            f"<th>Oldest year used</th></tr></thead><tbody>{rows}</tbody></table></details>")


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
    labelled = {r["city_code"] for r in ranking[:8]} | {HEFEI}
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
            parts.append(f'<text x="{x + 6:.1f}" y="{y - 4:.1f}" class="maplabel">{esc(city["name_en"])} {esc(city["name_zh"])}</text>')
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
<h2 id="map-title">Map: where the replicable cities are</h2>
<p>Each dot is a prefecture-level city at its seat's coordinates (no borders are drawn: the warehouse holds
points, not boundaries). Ranked inland cities are coloured by index score; hover a dot for its name and score.</p>
{"".join(parts)}
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
        behind = v.get("years_behind_hefei")
        stage_text = (f"Its GDP per resident in {v['year']} (2023 prices) is closest to Hefei's in {stage}"
                      + (f": {behind} years behind Hefei." if not is_missing(behind) and behind > 0 else ".")
                      if not is_missing(stage) else "No same-stage match (GDP per resident missing).")
        rows = "".join(
            f"<tr><td>{esc(label)}</td><td class=n>{num(v.get(c), d)}</td>"
            f"<td class=n>{num(v.get(h), d) if h else DASH}</td><td class=n>{num(v.get(s), d) if s else DASH}</td></tr>"
            for label, c, h, s, d in BESIDE_HEFEI
        )
        table = (f"<p>{esc(stage_text)}</p><table class=profile-table><thead><tr><th>Indicator</th>"
                 f"<th>{esc(city['name_en'])} {v['year']}</th><th>Hefei {v['year']}</th>"
                 f"<th>Hefei at the same stage ({esc(stage) if not is_missing(stage) else DASH})</th></tr></thead>"
                 f"<tbody>{rows}</tbody></table>")
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
    return f"""
<h2 id="profiles">City profiles against Hefei</h2>
<p>Pillar scores ({esc(year)}) beside Hefei's, and key indicators now, for Hefei in the same year, and for
Hefei when it was at the same stage (the Hefei year whose GDP per resident in 2023 prices was closest).
Open a city to see its profile; the first is {"the city chosen for this report" if chosen else "the top-ranked city after Hefei"}.</p>
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
    return f"""
<h2 id="ledger">State-capital ledger: bets, including the failures</h2>
<p>City governments' investment vehicles backing single companies or projects. Hefei's wins are famous; the
ledger keeps the bets that failed elsewhere (and Hefei's own misses) beside them, so the model is not judged by
its survivors. Amounts in billion CNY as committed; a dash means no CNY amount was published.</p>
<table><thead><tr><th>City</th><th></th><th>Bets</th><th>Committed, bn CNY</th><th>Successes</th><th>Failures</th>
<th>Ongoing</th><th>Failure share %</th></tr></thead><tbody>{summary_rows}</tbody></table>
<h3>Failed bets</h3>
<table><thead><tr><th>City</th><th>Investee</th><th>Industry</th><th>Start</th><th>Committed, bn CNY</th></tr></thead>
<tbody>{bet_rows}</tbody></table>
"""


def coverage_section(wh: Warehouse, ranking: list[dict]) -> str:
    if not wh.has("marts.fct_city_year_indicator", "marts.dim_city"):
        return '<h2 id="coverage">Data coverage</h2>' + missing_note("marts.fct_city_year_indicator")
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
        f"<tr><td><code>{esc(r['indicator_code'])}</code></td><td>{esc(r['unit'])}</td>"
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
<h2 id="coverage">Data coverage</h2>
<p>Share of inland city-years (while the city existed, 2000–2023) with a published value, per indicator.
Missing values are never filled: they stay blank in the warehouse.</p>
{index_note}
<details><summary>Coverage by indicator ({len(rows)} indicators)</summary>
<table><thead><tr><th>Indicator</th><th>Unit</th><th>First year</th><th>Last year</th><th>% of city-years</th>
<th>% in 2020</th></tr></thead><tbody>{body}</tbody></table></details>
"""


def sources_section(wh: Warehouse) -> str:
    table = next((t for t in ("seeds.sources", "staging.stg_seeds__sources") if wh.has(t)), None)
    if table is None:
        return '<h2 id="sources">Sources</h2>' + missing_note("seeds.sources")
    rows = wh.rows(f"select source_id, producer, licence, url, accessed_on from {table} order by source_id")
    body = "".join(
        f"<tr><td><code>{esc(r['source_id'])}</code></td><td>{esc(r['producer'])}</td><td>{esc(r['licence'])}</td>"
        f"<td class=url>{esc(r['url'])}</td><td>{esc(r['accessed_on'])}</td></tr>"
        for r in rows
    )
    return f"""
<h2 id="sources">Sources</h2>
<p>Every figure in the warehouse carries the id of one of these sources (see also DATA_SOURCES.md).</p>
<details><summary>{len(rows)} sources</summary>
<table><thead><tr><th>Source id</th><th>Producer</th><th>Licence</th><th>Address</th><th>Accessed</th></tr></thead>
<tbody>{body}</tbody></table></details>
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
svg .dot,svg .legend{stroke-width:1} svg .scored{stroke:#333;stroke-width:.4} svg .unscored{stroke:#8a8a8a} svg .coastal{stroke:#c9c9c9}
svg .maplabel{font-size:10px;fill:#1d2430;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg .bar-city{fill:#2b5d9b} svg .bar-hefei{fill:#e0a526}
.profile{border:1px solid #e6e6e1;background:#fff;padding:2px 12px;margin:6px 0}
.profile-body{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start} .profile-body>div{flex:1 1 420px}
svg.pillars{max-width:560px;border:none}
footer{margin-top:40px;color:#5a6270;font-size:12px}
"""


@dataclass
class ReportInfo:
    build_id: str
    git_commit: str | None


def render(con: duckdb.DuckDBPyConnection, info: ReportInfo, city: str | None = None) -> str:
    """The whole page as a string."""
    wh = Warehouse(con)
    ranking: list[dict] = []
    if wh.has("marts.fct_replicability_ranking"):
        ranking = wh.rows("select * from marts.fct_replicability_ranking order by nominal_rank, city_code")
    if city is not None:
        _city_row(wh, city)  # an unknown city is an error, not an empty profile
    sections = [
        ranking_section(wh, ranking),
        map_section(wh, ranking),
        profiles_section(wh, ranking, city),
        ledger_section(wh),
        coverage_section(wh, ranking),
        sources_section(wh),
    ]
    commit = (info.git_commit or "unknown")[:12]
    generated = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Which inland cities could repeat Hefei? 合肥模式</title>
<style>{CSS}</style></head>
<body><main>
<h1>Which inland cities could repeat Hefei? <span class="zh">谁能复制合肥模式</span></h1>
<p class="sub">State capital as venture capital, a "chain boss" per industry, a deep university talent pool:
how close each inland city is to the conditions Hefei had, and what stands in the way.</p>
<nav><a href="#ranking">Ranking</a><a href="#map-title">Map</a><a href="#profiles">Profiles</a>
<a href="#ledger">State-capital ledger</a><a href="#coverage">Coverage</a><a href="#sources">Sources</a></nav>
{"".join(sections)}
<footer>Build {esc(info.build_id)} · commit {esc(commit)} · generated {generated} from the warehouse published with it.
Figures are as published by the sources listed above; a dash means no source has the value.</footer>
</main></body></html>
"""


def write_report(database: Path, out: Path, *, build_id: str, git_commit: str | None, city: str | None = None) -> Path:
    with duckdb.connect(str(database), read_only=True) as con:
        page = render(con, ReportInfo(build_id, git_commit), city)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".partial")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(out)
    return out
