""""Why this rank": the lines the `compare` command prints under a city's index, read from
marts.fct_index_rank_decomposition (which pillars carry the city's index against the typical
ranked city and which hold it back, and the indicators behind them). Lines stay within 80
columns."""

from __future__ import annotations

import textwrap

WIDTH = 80
TABLE = "marts.fct_index_rank_decomposition"


def _label(code: str) -> str:
    return code.replace("_", " ")


def _join(parts: list[str], lead: str) -> list[str]:
    text = ", ".join(parts) if parts else "none"
    return textwrap.wrap(text, WIDTH, initial_indent=lead, subsequent_indent=" " * len(lead))


def why_this_rank(con, city_code: str, n_indicators: int = 3) -> list[str]:
    """The lines for one city, or [] when the city is not ranked (or the mart is absent)."""
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' "
        "and table_name = 'fct_index_rank_decomposition'").fetchone()[0]
    if not found:
        return []
    rows = con.execute(
        f"select year, level, coalesce(indicator_code, pillar), effect_on_index_pct, points_vs_peer, role "
        f"from {TABLE} where city_code = ? order by level desc, order_in_city", [city_code]).fetchall()
    if not rows:
        return []
    year = rows[0][0]
    pillars = [r for r in rows if r[1] == "pillar"]
    indicators = [r for r in rows if r[1] == "indicator"]
    carries = [f"{_label(r[2])} {r[3]:+.1f}%" for r in pillars if r[5] == "carries"]
    holds = [f"{_label(r[2])} {r[3]:+.1f}%" for r in reversed(pillars) if r[5] == "holds_back"]
    best = [f"{_label(r[2])} {r[4]:+.0f} pts" for r in indicators[:n_indicators] if r[5] == "carries"]
    worst = [f"{_label(r[2])} {r[4]:+.0f} pts" for r in reversed(indicators) if r[5] == "holds_back"][:n_indicators]
    lines = [f"Why this rank ({year}; pillar effect on the index vs the typical city):"]
    lines += _join(carries, "  carried by:  ")
    lines += _join(holds, "  held back by: ")
    lines += _join(best, "  top indicators (pillar points vs mean): ")
    lines += _join(worst, "  weakest indicators: ")
    return lines
