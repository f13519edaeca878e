"""State capital and policy seeds: fixture tests plus golden checks on the real raw folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from hefei_warehouse import snapshots
from hefei_warehouse.ingest import cities, policy
from hefei_warehouse.ingest.errors import IngestError

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from policy_fixture import CHAIN_ROWS, CLAIM_ROWS, FUND_ROWS, STATE_ROWS, FakeRegistry, write_policy_raw  # noqa: E402

REAL_RAW = Path(__file__).resolve().parents[2] / "snapshots"


def _build(tmp_path: Path, **overrides) -> dict[str, pd.DataFrame]:
    return policy.build(write_policy_raw(tmp_path / "raw", **overrides), FakeRegistry())


def _by_id(frame: pd.DataFrame, record_id: str) -> pd.Series:
    rows = frame[frame.record_id == record_id]
    assert len(rows) == 1
    return rows.iloc[0]


def _changed(rows: list[dict], record_id: str, **changes) -> list[dict]:
    return [dict(r, **changes) if r["record_id"] == record_id else r for r in rows]


def test_state_investments_fixture(tmp_path):
    frame = _build(tmp_path)["state_investments"]
    nio = _by_id(frame, "SI001")
    assert (nio.city_code, nio.province_code, nio.year, nio.amount_bn, nio.currency) == ("340100", "340000", 2020, 5, "CNY")
    assert nio.amount_cny_bn == 5 and nio.stake_pct == 17 and nio.outcome == "success"
    assert (nio.return_multiple, nio.return_multiple_qualifier) == (5.5, "upper_bound")
    assert nio.investor_vehicle == "Hefei government"  # English remark in parentheses dropped
    assert nio.amount_basis == "pledged_for_stake"
    # no copied prose columns
    assert not {"source_quote", "notes", "outcome_detail"} & set(frame.columns)


def test_usd_amount_is_not_converted(tmp_path):
    gf = _by_id(_build(tmp_path)["state_investments"], "SI044")
    assert (gf.amount_bn, gf.currency) == (10, "USD")
    assert pd.isna(gf.amount_cny_bn)
    assert gf.amount_basis == "planned_project_total"


def test_outcome_normalisation_keeps_raw_category(tmp_path):
    frame = _build(tmp_path)["state_investments"]
    outcomes = dict(zip(frame.record_id, frame.outcome))
    assert outcomes == {"SI001": "success", "SI044": "failure", "SI040": "failure", "SI046": "failure",
                        "SI011": "aggregate", "SI049": "aggregate", "SI022": "ongoing"}
    hsmc = _by_id(frame, "SI040")
    assert hsmc.outcome_category_raw == "stalled/failed (restructuring 2021)"
    assert (hsmc.stake_pct, hsmc.stake_pct_later, hsmc.return_multiple) == (10, 100, 0)
    assert _by_id(frame, "SI022").amount_basis == "third_party_money"


def test_places_years_and_qualifiers(tmp_path):
    frame = _build(tmp_path)["state_investments"]
    rugao = _by_id(frame, "SI046")
    assert (rugao.city_code, rugao.geography_level, rugao.year, rugao.year_end) == ("320600", "county_level_city", 2016, 2020)
    national = _by_id(frame, "SI049")
    assert (national.city_code, national.province_code, national.geography_level) == ("", "", "national")
    assert (national.amount_bn, national.amount_qualifier) == (10, "approximate_lower_bound")
    cumulative = _by_id(frame, "SI011")
    assert pd.isna(cumulative.year) and cumulative.year_end == 2021 and cumulative.amount_qualifier == "lower_bound"


def test_non_numeric_amount_names_file_row_column(tmp_path):
    with pytest.raises(IngestError) as error:
        _build(tmp_path, state_rows=_changed(STATE_ROWS, "SI044", amount="ten"))
    assert error.value.file.endswith("state_investments.csv")
    assert (error.value.row, error.value.column) == (3, "amount")


def test_negative_amount_is_named_as_negative(tmp_path):
    with pytest.raises(IngestError, match="negative number '-10'") as error:
        _build(tmp_path, state_rows=_changed(STATE_ROWS, "SI044", amount="-10"))
    assert (error.value.row, error.value.column) == (3, "amount")
    assert "zero or more" in error.value.expected


@pytest.mark.parametrize("rows, record_id", [("state_rows", "SI044"), ("fund_rows", "GF001"),
                                             ("chain_rows", "CB010"), ("claim_rows", "HF011")])
def test_record_without_an_id_names_file_row_column(tmp_path, rows, record_id):
    originals = {"state_rows": STATE_ROWS, "fund_rows": FUND_ROWS, "chain_rows": CHAIN_ROWS, "claim_rows": CLAIM_ROWS}
    blanked = [dict(r, record_id=" ") if r["record_id"] == record_id else r for r in originals[rows]]
    line = 2 + [r["record_id"] for r in originals[rows]].index(record_id)
    with pytest.raises(IngestError, match="record without an id") as error:
        _build(tmp_path, **{rows: blanked})
    assert (error.value.row, error.value.column) == (line, "record_id")


def test_unknown_city_is_an_error(tmp_path):
    with pytest.raises(IngestError) as error:
        _build(tmp_path, state_rows=_changed(STATE_ROWS, "SI001", city="Atlantis"))
    assert (error.value.row, error.value.column) == (2, "city")


def test_unknown_outcome_is_an_error(tmp_path):
    with pytest.raises(IngestError) as error:
        _build(tmp_path, state_rows=_changed(STATE_ROWS, "SI001", outcome_category="great"))
    assert error.value.column == "outcome_category"


def test_guidance_funds_lower_bound_and_normalised_columns(tmp_path):
    frame = _build(tmp_path)["guidance_funds"]
    study = _by_id(frame, "GF002")
    assert (study.number_of_funds, study.number_is_lower_bound) == (1800, True)
    assert study.target_size_cny_bn == 10180 and study.share_reaching_target_pct == 26
    first = _by_id(frame, "GF001")
    assert (first.number_of_funds, first.number_is_lower_bound, first.as_of) == (1741, False, "2020Q1")
    hefei = _by_id(frame, "GF010")
    assert (hefei.city_code, hefei.province_code, hefei.as_of, hefei.announced_on) == ("340100", "340000", "2024", "2024-01-19")
    assert (hefei.target_size_cny_bn, hefei.gov_contribution_cny_bn) == (154.6, 24.7)
    hubei = _by_id(frame, "GF020")
    assert (hubei.province_code, hubei.city_code, hubei.year_established, hubei.announced_on) == ("420000", "", 2022, "")
    assert pd.isna(hubei.number_of_funds) and pd.isna(hubei.number_is_lower_bound)
    assert not {"value", "metric", "unit"} & set(frame.columns)


def test_guidance_fund_amount_not_in_cell_is_an_error(tmp_path):
    # a slipped decimal point: 15.46 is not among the listed figures (1546 亿 = 154.6 bn)
    with pytest.raises(IngestError) as error:
        _build(tmp_path, fund_rows=_changed(FUND_ROWS, "GF010", target_size_cny_bn="15.46"))
    assert (error.value.row, error.value.column) == (4, "target_size_cny_bn")


def test_guidance_fund_bad_count_is_an_error(tmp_path):
    with pytest.raises(IngestError) as error:
        _build(tmp_path, fund_rows=_changed(FUND_ROWS, "GF001", number_of_funds="about 1700"))
    assert error.value.column == "number_of_funds"


def test_chain_boss_fixture(tmp_path):
    frame = _build(tmp_path)["chain_boss_adoption"]
    hefei = _by_id(frame, "CB010")
    assert (hefei.city_code, hefei.adoption_year, hefei.num_chains, hefei.date_precision) == ("340100", 2020, 12, "month")
    assert hefei.chain_chief_rank == "city_leaders" and hefei.top_leader_named
    hunan = _by_id(frame, "CB003")
    assert (hunan.province_code, hunan.city_code, hunan.num_chains) == ("430000", "", 13)
    chengdu = _by_id(frame, "CB023")
    assert (chengdu.adoption_year, chengdu.adoption_year_is_upper_bound, chengdu.num_chains) == (2022, True, 20)
    zhejiang = _by_id(frame, "CB004")
    assert pd.isna(zhejiang.num_chains) and zhejiang.chain_chief_rank == "zone_or_county_leaders"
    huadu = _by_id(frame, "CB033")
    assert (huadu.admin_level, huadu.city_code) == ("district", "440100") and pd.isna(huadu.adoption_year)
    wave = _by_id(frame, "CB030")
    assert (wave.admin_level, wave.city_code, wave.province_code, wave.adoption_year) == ("rollup", "", "", 2020)


def test_chain_boss_bad_date_is_an_error(tmp_path):
    with pytest.raises(IngestError) as error:
        _build(tmp_path, chain_rows=_changed(CHAIN_ROWS, "CB010", adopted="2020-13"))
    assert (error.value.row, error.value.column) == (2, "adopted")


def test_hefei_claims_fixture(tmp_path):
    frame = _build(tmp_path)["hefei_claims"]
    gdp = _by_id(frame, "HF006")
    assert (gdp.claimed_value, gdp.unit, gdp.second_value, gdp.second_unit) == (1141.28, "CNY bn", 9.2, "% real")
    assert gdp.status == "single_source" and gdp.claim_source == "Hefei 2021 communique"
    sei = _by_id(frame, "HF011")
    assert (sei.claimed_value, sei.value_qualifier, sei.second_value, sei.year_text) == (56, "lower_bound", 54.9, "2022")
    assert sei.status == "partially_consistent"
    national = _by_id(frame, "HF021")
    assert (national.geography_level, national.city_code, national.claimed_value) == ("national", "", 49283)
    boe = _by_id(frame, "HF033")
    assert (boe.claimed_value, boe.unit, boe.status) == (5.2, "USD bn", "not_found")
    rank = _by_id(frame, "HF031")
    assert pd.isna(rank.claimed_value) and (rank.year_from, rank.year_to) == (2010, 2020)
    assert not {"claim_text", "verifying_quote", "notes"} & set(frame.columns)


# --------------------------------------------------------------------------- real raw data

@pytest.fixture(scope="module")
def real() -> dict[str, pd.DataFrame]:
    assert REAL_RAW.is_dir(), f"raw data folder expected at {REAL_RAW}"
    return policy.build(REAL_RAW, cities.build_registry(REAL_RAW))


def test_real_nio_row(real):
    frame = real["state_investments"]
    nio = frame[(frame.investee.str.contains("NIO")) & (frame.stake_pct == 17)]
    assert len(nio) == 1
    nio = nio.iloc[0]
    assert (nio.city_code, nio.year, nio.amount_bn, nio.currency, nio.amount_cny_bn) == ("340100", 2020, 5, "CNY", 5)
    assert (nio.return_multiple, nio.return_multiple_qualifier, nio.outcome) == (5.5, "upper_bound", "success")


def test_real_failed_bets_present(real):
    frame = real["state_investments"]
    failures = frame[frame.outcome == "failure"]
    for name, city in [("HSMC", "420100"), ("Dehuai", "320800"), ("Huaxintong", "520100"), ("GlobalFoundries", "510100")]:
        match = failures[failures.investee.str.contains(name)]
        assert len(match) == 1, name
        assert match.iloc[0].city_code == city
    assert len(failures) >= 10
    assert set(frame.outcome) <= {"success", "failure", "ongoing", "aggregate", "unknown"}
    usd = frame[frame.currency == "USD"]
    assert len(usd) >= 3 and usd.amount_cny_bn.isna().all()
    assert (frame.city_code == "").sum() == (frame.geography_level.isin(["national", "multi_province"])).sum()


def test_real_chain_boss_hefei(real):
    frame = real["chain_boss_adoption"]
    hefei = frame[frame.city_code == "340100"]
    assert len(hefei) == 1
    assert (hefei.iloc[0].adoption_year, hefei.iloc[0].num_chains) == (2020, 12)
    changsha = frame[frame.city_code == "430100"].iloc[0]
    assert (changsha.adoption_year, changsha.num_chains, changsha.date_precision) == (2017, 22, "day")


def test_real_guidance_funds_and_claims(real):
    funds = real["guidance_funds"]
    study = funds[funds.number_is_lower_bound.fillna(False).astype(bool)]
    assert len(study) == 1 and study.iloc[0].number_of_funds == 1800
    assert study.iloc[0].target_size_cny_bn == 10180 and study.iloc[0].share_reaching_target_pct == 26
    claims = real["hefei_claims"]
    urban = claims[claims.geography_level == "national"].iloc[0]
    assert urban.claimed_value == 49283 and urban.status == "verified"
    chains = claims[claims.metric_code == "chain_boss_industries"].iloc[0]
    assert chains.claimed_value == 12


def test_real_rows_carry_registered_source_and_url(real):
    registered = set(snapshots.sources_frame().source_id)
    for name, frame in real.items():
        assert set(frame.source_id) <= registered, name
        assert frame.record_id.is_unique, name
        url = "verifying_source_url" if name == "hefei_claims" else "source_url"
        if name != "hefei_claims":
            assert frame[url].str.match(r"^https?://").all(), name
