"""The replicability index, checked on the built warehouse: ranks always carry their
interval, the scenario draws reproduce, the back-test statistic matches an independent
computation, and the nominal index behaves as a geometric mean of its pillars should."""

from __future__ import annotations

import hashlib
import math

import pandas as pd
import pytest

HEFEI = "340100"


@pytest.fixture(scope="module")
def ranking(warehouse) -> pd.DataFrame:
    return warehouse.execute("select * from marts.fct_replicability_ranking").df()


def test_every_rank_has_an_interval_that_contains_its_median(ranking):
    assert len(ranking) >= 100, "expected well over a hundred inland cities to meet the coverage rule"
    assert ranking[["nominal_rank", "median_rank", "rank_p05", "rank_p95"]].notna().all().all()
    assert (ranking["rank_p05"] <= ranking["median_rank"]).all()
    assert (ranking["median_rank"] <= ranking["rank_p95"]).all()
    assert (ranking["n_scenarios"] >= 1000).all()


def test_ranks_run_one_to_n_among_inland_cities_only(warehouse, ranking):
    n = len(ranking)
    assert sorted(ranking["nominal_rank"]) == list(range(1, n + 1))
    assert (ranking["n_ranked"] == n).all()
    coastal = warehouse.execute("""
        select count(*) from marts.fct_replicability_ranking as r
        join marts.dim_city as c using (city_code)
        where not c.is_inland
    """).fetchone()[0]
    assert coastal == 0


def test_latest_rankable_year_is_limited_by_fiscal_data(ranking):
    # City fiscal revenue is published for most cities up to 2018; carried forward at most
    # two years, 2020 is the last year in which most inland cities cover every pillar.
    assert set(ranking["year"]) == {2020}


def test_hefei_is_kept_in_the_ranking_as_a_control(ranking):
    hefei = ranking[ranking["city_code"] == HEFEI]
    assert len(hefei) == 1
    row = hefei.iloc[0]
    assert row["is_reference_city"]
    assert row["rank_p05"] <= row["nominal_rank"] <= row["rank_p95"]
    assert ranking["is_reference_city"].sum() == 1


def test_scenario_draws_are_a_pure_function_of_scenario_and_factor(warehouse):
    stored = warehouse.execute("""
        select scenario_id, factor, draw from intermediate.int_index__scenario_draws
        where scenario_id in (1, 17, 999) and factor in ('normalisation', 'aggregation')
        order by scenario_id, factor
    """).fetchall()
    assert len(stored) == 6
    for scenario_id, factor, draw in stored:
        # the first 52 bits of MD5('id|factor') over 2^52: what both DuckDB and Spark compute
        digest = hashlib.md5(f"{scenario_id}|{factor}".encode()).hexdigest()
        assert draw == int(digest[:13], 16) / 2**52


def test_each_assumption_has_a_measured_effect_on_ranks(warehouse):
    sensitivity = warehouse.execute(
        "select varied_factor, n_scenarios, mean_abs_rank_shift from marts.fct_index_sensitivity"
    ).df().set_index("varied_factor")
    assert set(sensitivity.index) == {"all", "weights", "normalisation", "imputation", "aggregation"}
    assert sensitivity.loc["all", "n_scenarios"] == 1000
    assert sensitivity.loc["weights", "n_scenarios"] >= 100
    assert (sensitivity["mean_abs_rank_shift"] > 0).all()


def test_geometric_index_never_exceeds_the_arithmetic_mean_of_its_pillars(warehouse):
    # AM-GM: with equal nominal pillar weights the geometric mean is at most the arithmetic mean
    # (pillar scores below the 1-point floor are raised to it, hence the small tolerance).
    rows = warehouse.execute("""
        select h.index_score, avg(greatest(p.pillar_score, 1)) as arithmetic_mean
        from marts.fct_replicability_index_history as h
        join marts.fct_replicability_pillar_scores as p using (city_code, year)
        group by h.city_code, h.year, h.index_score
    """).fetchall()
    assert len(rows) > 1000
    assert all(index <= mean + 1e-6 for index, mean in rows)


def test_imputation_is_flagged_and_never_reaches_beyond_two_years(warehouse):
    n_carried, max_gap = warehouse.execute("""
        select count(*), max(year - source_year)
        from intermediate.int_index__imputed
        where imputation_status = 'carried_forward'
    """).fetchone()
    assert n_carried > 0
    assert max_gap <= 2
    imputed_in_ranking = warehouse.execute(
        "select sum(n_indicators_imputed) from marts.fct_replicability_ranking").fetchone()[0]
    assert imputed_in_ranking > 0, "2020 uses fiscal revenue carried forward from 2018, and must say so"


def test_backtest_spearman_matches_an_independent_computation(warehouse):
    summary = warehouse.execute("select * from marts.fct_index_backtest").df().iloc[0]
    cities = warehouse.execute("select * from marts.fct_index_backtest_cities").df()
    assert summary["base_year"] == 2012 and summary["end_year"] == 2022
    assert summary["n_cities"] == len(cities) >= 100
    rho = cities["index_score"].rank().corr(cities["real_gdp_cagr_next_10y_pct"].rank())
    assert summary["spearman_rho"] == pytest.approx(rho, abs=1e-9)
    z, se = math.atanh(rho), 1.06 / math.sqrt(len(cities) - 3)
    assert summary["spearman_rho_ci95_low"] == pytest.approx(math.tanh(z - 1.96 * se), abs=1e-9)
    assert summary["spearman_rho_ci95_high"] == pytest.approx(math.tanh(z + 1.96 * se), abs=1e-9)
    assert summary["spearman_rho_scenario_p05"] <= summary["spearman_rho_scenario_p95"]


def test_backtest_growth_is_compounded_from_the_panel(warehouse):
    # Hefei's real GDP grew more than 8% a year over 2012-2022 (the Economist's claim).
    hefei = warehouse.execute(
        "select real_gdp_cagr_next_10y_pct from marts.fct_index_backtest_cities where city_code = ?", [HEFEI]
    ).fetchone()
    assert hefei is not None and hefei[0] > 8


def test_twins_compare_with_hefei_at_take_off_and_exclude_hefei(warehouse):
    twins = warehouse.execute("select * from marts.fct_hefei_twins order by nearness_rank").df()
    assert len(twins) >= 50
    assert HEFEI not in set(twins["city_code"])
    assert twins["twin_distance"].is_monotonic_increasing
    gaps = warehouse.execute("select * from marts.fct_hefei_twin_gaps").df()
    assert (gaps["z_gap"] - (gaps["city_z_score"] - gaps["hefei_takeoff_z_score"])).abs().max() < 1e-9
    assert (gaps["lacks_vs_hefei"] == (gaps["z_gap"] < -0.5)).all()


def test_the_catalogue_drives_the_index(warehouse):
    catalogue = warehouse.execute("select * from seeds.index_indicator_catalogue").df()
    indicators = warehouse.execute("select * from marts.dim_index_indicator").df()
    assert set(catalogue["indicator_code"]) == set(indicators["indicator_code"])
    pillars = warehouse.execute(
        "select distinct pillar from marts.fct_replicability_pillar_scores").df()["pillar"]
    assert set(pillars) == set(catalogue["pillar"])
    assert {"none", "winsorise", "log"} >= set(indicators["outlier_treatment"])
