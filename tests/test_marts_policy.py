"""Golden figures in the policy marts and the city talent/policy table, read from the built warehouse.

The figures are the ones the project brief checks: Hefei's 2020 NIO bet, the failed chip bets
that must stay in the ledger, Hefei's chain-boss system and USTC counting as an elite university.
"""

from __future__ import annotations

import pytest

HEFEI = "340100"


def one_row(con, sql: str, params: list | None = None) -> dict:
    cursor = con.execute(sql, params or [])
    rows = cursor.fetchall()
    assert len(rows) == 1, f"expected exactly one row, got {len(rows)}: {rows}"
    names = [d[0] for d in cursor.description]
    return dict(zip(names, rows[0]))


def test_nio_2020_bet_is_a_5bn_yuan_success_with_up_to_5_5x(warehouse):
    row = one_row(warehouse, """
        select * from marts.fct_state_investment
        where city_code = ? and investee = 'NIO China' and amount_basis = 'pledged_for_stake'
    """, [HEFEI])
    assert row["start_year"] == 2020
    assert row["currency"] == "CNY"
    assert row["amount_cny_bn"] == pytest.approx(5.0)
    assert row["amount_usd_bn"] is None
    assert row["outcome"] == "success"
    assert row["return_multiple"] == pytest.approx(5.5)
    assert row["return_multiple_qualifier"] == "upper_bound"
    assert row["city_name_en"] == "Hefei"
    assert row["is_inland"] is True
    assert row["source_url"].startswith("http")
    assert row["source_id"] == "curated_facts.state_investments"


@pytest.mark.parametrize("investee_fragment, city_code", [
    ("HSMC", "420100"),             # Wuhan
    ("Dehuai", "320800"),           # Huai'an
    ("Huaxintong", "520100"),       # Guiyang (Gui'an New Area)
    ("GlobalFoundries", "510100"),  # Chengdu
])
def test_failed_bets_are_in_the_ledger(warehouse, investee_fragment, city_code):
    row = one_row(warehouse, """
        select city_code, outcome, is_aggregate from marts.fct_state_investment
        where investee like '%' || ? || '%'
    """, [investee_fragment])
    assert row == {"city_code": city_code, "outcome": "failure", "is_aggregate": False}


def test_ledger_keeps_usd_amounts_unconverted(warehouse):
    row = one_row(warehouse, """
        select currency, amount_cny_bn, amount_usd_bn from marts.fct_state_investment
        where investee like '%GlobalFoundries%'
    """)
    assert row == {"currency": "USD", "amount_cny_bn": None, "amount_usd_bn": pytest.approx(10.0)}


def test_hefei_state_capital_summary(warehouse):
    row = one_row(warehouse, "select * from marts.city_state_capital_summary where city_code = ?", [HEFEI])
    # every Hefei bet in the ledger except the two cumulative aggregate rows
    ledger = warehouse.execute("""
        select count(*), sum(amount_cny_bn) from marts.fct_state_investment
        where city_code = ? and outcome <> 'aggregate'
    """, [HEFEI]).fetchone()
    assert row["n_bets"] == ledger[0] >= 10
    assert row["total_committed_cny_bn"] == pytest.approx(ledger[1])
    assert row["n_failures"] == 0
    assert row["n_successes"] >= 8
    assert row["failure_share_pct"] == pytest.approx(0.0)
    assert row["n_bets"] == row["n_successes"] + row["n_failures"] + row["n_ongoing"] + row["n_outcome_unknown"]


def test_summary_separates_usd_bets_and_counts_failures(warehouse):
    chengdu = one_row(warehouse, "select * from marts.city_state_capital_summary where city_code = '510100'")
    assert chengdu["n_failures"] == 2
    assert chengdu["n_bets_non_cny"] == 1           # GlobalFoundries, in USD
    assert chengdu["failure_share_pct"] == pytest.approx(100.0)


def test_summary_has_one_row_per_city_with_bets(warehouse):
    n_rows, n_cities = warehouse.execute(
        "select count(*), count(distinct city_code) from marts.city_state_capital_summary").fetchone()
    expected = warehouse.execute("""
        select count(distinct city_code) from marts.fct_state_investment
        where city_code is not null and outcome <> 'aggregate'
    """).fetchone()[0]
    assert n_rows == n_cities == expected


def test_hefei_chain_boss_2020_with_12_chains(warehouse):
    row = one_row(warehouse, """
        select adoption_year, num_chains, city_name_en from marts.fct_chain_boss_adoption
        where city_code = ? and admin_level = 'city'
    """, [HEFEI])
    assert row == {"adoption_year": 2020, "num_chains": 12, "city_name_en": "Hefei"}


def test_city_policy_talent_for_hefei(warehouse):
    row = one_row(warehouse, "select * from intermediate.int_city_policy_talent where city_code = ?", [HEFEI])
    assert row["chain_boss_level"] == "city"
    assert row["chain_boss_adoption_year"] == 2020
    assert row["chain_boss_num_chains"] == 12
    assert row["science_centre_status"] == "comprehensive_national_science_centre"
    assert row["science_centre_year"] == 2017
    assert row["n_project_985"] == 1                # USTC
    assert row["n_elite_universities"] >= 3         # USTC, Hefei University of Technology, Anhui University


def test_ustc_is_an_elite_university_in_hefei(warehouse):
    row = one_row(warehouse, """
        select city_code, is_project_985, is_project_211, is_elite from staging.stg_talent__universities
        where institution_name_zh = '中国科学技术大学'
    """)
    assert row == {"city_code": HEFEI, "is_project_985": True, "is_project_211": True, "is_elite": True}


def test_every_city_has_one_policy_talent_row(warehouse):
    n_rows, n_distinct = warehouse.execute(
        "select count(*), count(distinct city_code) from intermediate.int_city_policy_talent").fetchone()
    n_cities = warehouse.execute("select count(*) from staging.stg_seeds__cities").fetchone()[0]
    assert n_rows == n_distinct == n_cities


def test_guidance_fund_national_totals(warehouse):
    row = one_row(warehouse, """
        select target_size_cny_bn, number_of_funds, number_of_funds_is_lower_bound, share_reaching_target_pct
        from marts.fct_guidance_fund where scope = 'national' and as_of = '2021-12'
    """)
    assert row["target_size_cny_bn"] == pytest.approx(10180)     # 10.18 trillion yuan
    assert row["number_of_funds"] == 1800
    assert row["number_of_funds_is_lower_bound"] is True          # "more than 1,800"
    assert row["share_reaching_target_pct"] == pytest.approx(26)
