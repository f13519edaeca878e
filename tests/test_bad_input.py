"""Bad input, tried on purpose: each case breaks one seed in a throw-away copy of the
project and checks that the build stops before publishing, says in one line which file,
row or key, column and rule, and leaves the published warehouse byte-for-byte unchanged."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from hefei_warehouse import cli
from project_copy import copy_project, digest

HEFEI_GDP_2022 = "340100,2022,gdp_cny_100m,12013,gp_industry_structure,true"
HEFEI_POP_2022_PREFIX = "340100,2022,resident_population_10k,963.4,"
HEFEI_SHARE_PREFIX = "340100,2022,secondary_share_pct,"


def replace_line(path: Path, starts_with: str, make_new: Callable[[str], str]) -> int:
    """Replace the first line starting with the prefix; return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.startswith(starts_with):
            lines[number - 1] = make_new(line)
            path.write_text("\n".join(lines), encoding="utf-8")
            return number
    raise AssertionError(f"no line starting with {starts_with!r} in {path}")


def set_field(line: str, index: int, value: str) -> str:
    fields = line.split(",")
    fields[index] = value
    return ",".join(fields)


def non_numeric(seeds):
    return replace_line(seeds / "city_year_values.csv", HEFEI_GDP_2022, lambda l: set_field(l, 3, "12,013"[:2] + "k"))


def negative_population(seeds):
    return replace_line(seeds / "city_year_values.csv", HEFEI_POP_2022_PREFIX, lambda l: set_field(l, 3, "-963.4"))


def share_above_100(seeds):
    return replace_line(seeds / "city_year_values.csv", HEFEI_SHARE_PREFIX, lambda l: set_field(l, 3, "140.2"))


def duplicated_city_year(seeds):
    return replace_line(seeds / "city_year_values.csv", HEFEI_GDP_2022, lambda l: l + "\n" + l)


def unknown_city(seeds):
    return replace_line(seeds / "city_year_values.csv", HEFEI_GDP_2022, lambda l: set_field(l, 0, "349999"))


def missing_source(seeds):
    return replace_line(seeds / "city_year_values.csv", HEFEI_GDP_2022, lambda l: set_field(l, 4, ""))


def future_year(seeds):
    return replace_line(seeds / "city_year_values.csv", HEFEI_GDP_2022, lambda l: set_field(l, 1, "2091"))


def gdp_in_10k_cny(seeds):
    return replace_line(seeds / "city_year_values.csv", HEFEI_GDP_2022, lambda l: set_field(l, 3, "120130000"))


def gb18030(seeds):
    path = seeds / "cities.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    return 2  # the first data row holds the first Chinese name


def empty_seed(seeds):
    (seeds / "state_investments.csv").write_text("", encoding="utf-8")
    return None


def truncated_last_row(seeds):
    path = seeds / "city_year_values.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) - 12], encoding="utf-8")
    return text.count("\n")


@dataclass
class Case:
    name: str
    break_seed: Callable[[Path], int | None]
    file: str
    column: str | None
    rule: str
    key: str | None = None   # a key the message must show, e.g. the city code


CASES = [
    Case("non-numeric value", non_numeric, "city_year_values.csv", "value", "type double"),
    Case("negative population", negative_population, "city_year_values.csv", "value", "expect_column_values_to_be_between", "city_code=340100"),
    Case("share above 100", share_above_100, "city_year_values.csv", "value", "expect_column_values_to_be_between", "city_code=340100"),
    Case("duplicated city-year", duplicated_city_year, "city_year_values.csv", "city_code", "expect_compound_columns_to_be_unique", "city_code=340100"),
    Case("unknown city code", unknown_city, "city_year_values.csv", "city_code", "expect_column_values_to_be_in_set", "city_code=349999"),
    Case("value without a source", missing_source, "city_year_values.csv", "source_id", "expect_column_values_to_not_be_null", "city_code=340100"),
    Case("year in the future", future_year, "city_year_values.csv", "year", "expect_column_values_to_be_between", "year=2091"),
    Case("GDP in the wrong unit", gdp_in_10k_cny, "city_year_values.csv", "value", "expect_column_values_to_be_between", "indicator_code=gdp_cny_100m"),
    Case("seed saved as GB18030", gb18030, "cities.csv", None, "UTF-8 encoding"),
    Case("empty seed", empty_seed, "state_investments.csv", None, "not empty"),
    Case("truncated last row", truncated_last_row, "city_year_values.csv", None, "complete"),
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("pristine"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_stops_before_publishing(case, pristine, built_warehouse, tmp_path, monkeypatch, capsys):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    published = tmp_path / "published" / "hefei.duckdb"
    published.parent.mkdir()
    shutil.copy2(built_warehouse, published)
    before = digest(published)

    row = case.break_seed(project / "seeds")
    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(project))
    status = cli.main(["build", "--warehouse", str(published), "--quiet"])
    message = capsys.readouterr().err.strip()

    assert status == 1, message
    assert len(message.splitlines()) == 1, "the failure is said in one line"
    assert case.file in message
    assert case.rule in message
    if case.column:
        assert case.column in message
    if row is not None:
        assert f"row {row}" in message or f"row={row}" in message, message
    if case.key:
        assert case.key in message
    assert "details:" in message
    assert digest(published) == before, "the published warehouse must be untouched"
    assert not (published.parent / "previous").exists()


def test_failed_builds_are_recorded_in_the_history_log(pristine, built_warehouse, tmp_path, monkeypatch, capsys):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    published = tmp_path / "published" / "hefei.duckdb"
    published.parent.mkdir()
    shutil.copy2(built_warehouse, published)
    empty_seed(project / "seeds")
    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(project))
    assert cli.main(["build", "--warehouse", str(published), "--quiet"]) == 1
    from hefei_warehouse import history

    records = history.read(published)
    assert records[-1]["status"] == "failed"
    assert records[-1]["failed_step"] == "seed check"
