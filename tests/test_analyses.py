"""The claim-checking analyses, compiled by dbt and run against the built warehouse.

Each `analyses/claim_*.sql` returns rows of (claim, warehouse_figure, holds, note) where holds is
'true', 'false' or 'unverifiable'; the `question_*.sql` files answer analyst questions with a
ranking. The figures asserted here are the warehouse's golden values for Hefei.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hefei_warehouse.dbt_runner import run_dbt
from hefei_warehouse.paths import project_dir

CLAIM_COLUMNS = ["claim", "warehouse_figure", "holds", "note"]
HOLDS_VALUES = {"true", "false", "unverifiable"}

# dbt writes relations as "<catalog>"."<schema>"."<table>"; the published file may have another
# catalog name than the one used while compiling, so the catalog part is dropped.
_CATALOG = re.compile(r'"[^"]+"\.("(?:seeds|staging|intermediate|marts)"\.)')


@pytest.fixture(scope="session")
def compiled_analyses(tmp_path_factory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("analyses")
    result = run_dbt(["compile", "--select", "path:analyses"], work / "compile.duckdb", work, quiet=True)
    assert result.returncode == 0, f"dbt compile failed:\n{result.stdout}\n{result.stderr}"
    compiled = work / "target" / "compiled" / "hefei_warehouse" / "analyses"
    sources = sorted(p.name for p in (project_dir() / "analyses").glob("*.sql"))
    assert sorted(p.name for p in compiled.glob("*.sql")) == sources
    return {p.stem: _CATALOG.sub(r"\1", p.read_text(encoding="utf-8")) for p in compiled.glob("*.sql")}


def run(warehouse, compiled_analyses, name: str) -> list[dict]:
    cursor = warehouse.execute(compiled_analyses[name])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def claim_row(rows: list[dict], fragment: str) -> dict:
    matches = [r for r in rows if fragment in r["claim"]]
    assert len(matches) == 1, f"expected one claim containing {fragment!r}, got {[r['claim'] for r in rows]}"
    return matches[0]


def test_every_claim_analysis_has_the_claim_shape(warehouse, compiled_analyses):
    claim_files = [name for name in compiled_analyses if name.startswith("claim_")]
    assert len(claim_files) >= 6
    for name in claim_files:
        cursor = warehouse.execute(compiled_analyses[name])
        assert [d[0] for d in cursor.description] == CLAIM_COLUMNS, name
        rows = cursor.fetchall()
        assert rows, f"{name} returned no rows"
        for claim, figure, holds, note in rows:
            assert claim and note, f"{name}: empty claim or note"
            assert holds in HOLDS_VALUES, f"{name}: holds={holds!r}"
            if holds == "unverifiable":
                continue
            assert figure is not None, f"{name}: a verdict without a figure for {claim!r}"


def test_population_claim(warehouse, compiled_analyses):
    rows = run(warehouse, compiled_analyses, "claim_hefei_population")
    claim_year = claim_row(rows, "claim year 2022")
    assert claim_year["warehouse_figure"] == pytest.approx(963.4)
    assert claim_year["holds"] == "true"
    latest = claim_row(rows, "latest year")
    assert latest["warehouse_figure"] == pytest.approx(985.3)   # 2023


def test_growth_claim_real_and_nominal(warehouse, compiled_analyses):
    rows = run(warehouse, compiled_analyses, "claim_hefei_gdp_growth")
    real = claim_row(rows, "real GDP grew more than 8%")
    assert real["warehouse_figure"] == pytest.approx(8.258, abs=0.01)
    assert real["holds"] == "true"
    nominal = claim_row(rows, "nominal GDP grew more than 8%")
    assert nominal["warehouse_figure"] == pytest.approx(11.176, abs=0.01)
    curated = claim_row(rows, "2012-2023")
    assert curated["warehouse_figure"] == pytest.approx(10.65, abs=0.01)
    assert curated["holds"] == "true"


def test_income_claim_is_unverifiable_and_the_proxy_is_labelled(warehouse, compiled_analyses):
    rows = run(warehouse, compiled_analyses, "claim_hefei_income")
    assert claim_row(rows, "disposable income comfortably exceeds")["holds"] == "unverifiable"
    proxy = claim_row(rows, "Proxy: Hefei average wage")
    assert "2018" in proxy["claim"]                               # latest year with both wages
    assert proxy["warehouse_figure"] == pytest.approx(89022 / 84744)
    assert proxy["holds"] == "true"
    assert "PROXY" in proxy["note"]
    benchmark = claim_row(rows, "National urban per-capita disposable income 2022")
    assert benchmark["warehouse_figure"] == pytest.approx(49283)


def test_distance_claim_uses_great_circle(warehouse, compiled_analyses):
    rows = run(warehouse, compiled_analyses, "claim_hefei_distance_to_shanghai")
    brief = claim_row(rows, "470 km")
    assert 400 < brief["warehouse_figure"] < 415
    assert brief["holds"] == "false"
    sources = claim_row(rows, "250-300 miles")
    assert sources["holds"] == "true"


def test_industrial_shift_claim(warehouse, compiled_analyses):
    rows = run(warehouse, compiled_analyses, "claim_hefei_industrial_shift")
    now = claim_row(rows, "over 56")
    assert now["warehouse_figure"] == pytest.approx(54.9)
    assert now["holds"] == "false"
    assert claim_row(rows, "in 2013")["holds"] == "unverifiable"


def test_state_capital_and_chain_claims(warehouse, compiled_analyses):
    rows = run(warehouse, compiled_analyses, "claim_hefei_state_capital_and_chains")
    assert claim_row(rows, "5bn yuan into NIO")["holds"] == "true"
    assert claim_row(rows, "5.5 times")["warehouse_figure"] == pytest.approx(5.5)
    assert claim_row(rows, "$5.2bn on BOE")["holds"] == "unverifiable"
    chains = claim_row(rows, "12 industrial chains")
    assert (chains["warehouse_figure"], chains["holds"]) == (12, "true")


def test_fastest_growing_inland_capitals(warehouse, compiled_analyses):
    rows = run(warehouse, compiled_analyses, "question_fastest_growing_inland_capitals")
    assert len(rows) >= 15
    assert {r["city_code"] for r in rows} >= {"340100", "420100", "410100", "430100", "510100", "610100"}
    assert "500100" not in {r["city_code"] for r in rows}          # Chongqing is not a capital
    ranks = [r["real_growth_rank"] for r in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1
    growth = [r["real_gdp_cagr_pct"] for r in rows if r["real_gdp_cagr_pct"] is not None]
    assert growth == sorted(growth, reverse=True)
    hefei = next(r for r in rows if r["city_code"] == "340100")
    assert hefei["real_gdp_cagr_pct"] == pytest.approx(8.258, abs=0.01)
    assert hefei["real_growth_rank"] <= 5


def test_cities_like_hefei_in_2010(warehouse, compiled_analyses):
    rows = run(warehouse, compiled_analyses, "question_cities_like_hefei_2010")
    assert len(rows) == 15
    assert "340100" not in {r["city_code"] for r in rows}
    distances = [r["profile_distance"] for r in rows]
    assert distances == sorted(distances)
    inland = warehouse.execute("select city_code from marts.dim_city where is_inland").fetchall()
    assert {r["city_code"] for r in rows} <= {code for (code,) in inland}
    for r in rows:
        assert r["missing_ingredients"] is not None
