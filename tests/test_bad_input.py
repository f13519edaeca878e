"""Bad input, tried on purpose: each case breaks one seed in a throw-away copy of the
project and checks that the build stops before publishing, says in one line which file,
row or key, column and rule, and leaves the published warehouse byte-for-byte unchanged."""

from __future__ import annotations

import gc
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from hefei_warehouse import build, cli, history, seed_manifest
from hefei_warehouse.ingest import cities, city_values, readers
from project_copy import StandInDbt, copy_project, digest, stand_in_warehouse

pytestmark = pytest.mark.long

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


def full_width_digits(seeds):
    # Python's float() reads "１２０１３" as 12013; the seed loader does not.
    return replace_line(seeds / "city_year_values.csv", HEFEI_GDP_2022, lambda l: set_field(l, 3, "１２０１３"))


def underscore_in_coordinate(seeds):
    # float("117_227") is 117227.0 in Python; dbt would fail late with no row or column.
    return replace_line(seeds / "cities.csv", "340100,", lambda l: set_field(l, 14, "117_227"))


def byte_order_mark(seeds):
    path = seeds / "cities.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return 1


def last_percent_dropped(seeds):
    # Cut at a line end: every remaining row is well-formed, only the manifest can tell.
    path = seeds / "city_year_values.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) - len(lines) // 100]), encoding="utf-8")
    return None


def edited_by_hand(seeds):
    # A plausible change that passes every type and range check: only the checksum differs.
    replace_line(seeds / "city_year_values.csv", HEFEI_GDP_2022, lambda l: set_field(l, 3, "12014"))
    return None


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
    Case("full-width digits", full_width_digits, "city_year_values.csv", "value", "type double"),
    Case("underscore in a coordinate", underscore_in_coordinate, "cities.csv", "longitude", "type double"),
    Case("byte order mark", byte_order_mark, "cities.csv", None, "UTF-8 without BOM"),
    Case("last 1% of rows dropped", last_percent_dropped, "city_year_values.csv", None, "row count in the seed manifest"),
    Case("value edited by hand", edited_by_hand, "city_year_values.csv", None, "checksum in the seed manifest"),
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("pristine"))


@dataclass
class Trial:
    project: Path     # a copy of the project to break; the build reads its seeds
    published: Path   # a published warehouse, which the build must leave alone


@pytest.fixture
def trial(pristine, tmp_path, monkeypatch) -> Trial:
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    published = stand_in_warehouse(tmp_path / "published" / "hefei.duckdb")
    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(project))
    return Trial(project, published)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_stops_before_publishing(case, trial, capsys):
    published = trial.published
    before = digest(published)

    row = case.break_seed(trial.project / "seeds")
    collector_settings = gc.get_threshold(), gc.get_freeze_count()
    status = cli.main(["build", "--warehouse", str(published), "--quiet"])
    message = capsys.readouterr().err.strip()

    assert status == 1, message
    # the build's collector settings (collector.py) ended with it, whichever step failed
    assert (gc.get_threshold(), gc.get_freeze_count()) == collector_settings
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


def test_failed_builds_are_recorded_in_the_history_log(trial, capsys):
    empty_seed(trial.project / "seeds")
    assert cli.main(["build", "--warehouse", str(trial.published), "--quiet"]) == 1
    records = history.read(trial.published)
    assert records[-1]["status"] == "failed"
    assert records[-1]["failed_step"] == "seed check"
    # the emptied seed is listed in the seed manifest: the checks could only fail, so dbt never ran
    assert records[-1]["dbt"] == "not started: seeds differ from seeds/seed_manifest.json: state_investments.csv"


def test_dbt_starts_beside_the_checks_of_seeds_that_match_their_manifest_and_is_stopped(
        trial, monkeypatch, capsys):
    """A seed kept by hand is not in the seed manifest, so a mistake in it is found while dbt
    already runs: dbt must be stopped (killed and waited for) before the build reports it.
    A broken seed that the manifest lists never starts dbt (see the history test above)."""
    published = trial.published
    before = digest(published)
    row = replace_line(trial.project / "seeds" / "screening_thresholds.csv", "gdp_cny_100m,",
                       lambda l: set_field(l, 2, "half"))
    started = []
    real_start = build.start_dbt

    def recording_start(*args, **kwargs):
        started.append(real_start(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(build, "start_dbt", recording_start)
    status = cli.main(["build", "--warehouse", str(published), "--quiet"])
    message = capsys.readouterr().err.strip()

    assert status == 1, message
    assert "seed check" in message and "screening_thresholds.csv" in message
    assert f"row {row}" in message and "agree_within" in message and "type double" in message
    assert len(started) == 1, "the seeds match their manifest, so dbt starts at once"
    assert started[0].process.returncode is not None, "dbt has ended before the build reports"
    assert "dbt" not in history.read(published)[-1]
    assert digest(published) == before


def test_seeds_that_match_their_manifest_by_the_checks_still_get_their_dbt_build(trial, monkeypatch, capsys):
    """The seeds looked changed when the build started (as if restored from git while it ran),
    so dbt was held back; every check then passed, and dbt must start after them."""
    published = trial.published
    started = []

    def start_after_the_checks(args, *rest, **kwargs):
        started.append(args)
        return StandInDbt(1, "Runtime Error in model dim_city (stand-in)\n")

    monkeypatch.setattr(seed_manifest, "differing", lambda seeds, checksums: ["cities.csv"])
    monkeypatch.setattr(build, "start_dbt", start_after_the_checks)
    status = cli.main(["build", "--warehouse", str(published), "--quiet"])
    message = capsys.readouterr().err.strip()

    assert status == 1
    assert "build failed at dbt build" in message and "(stand-in)" in message
    assert len(started) == 1 and started[0][0] == "build"
    record = history.read(published)[-1]
    assert record["failed_step"] == "dbt build"
    assert "dbt" not in record, "dbt did run: the record must not say it was not started"


# ---------------------------------------------------------------- raw files the ingest cannot parse

def raw_copy_with(raw_dir: Path, target: Path, relative: str) -> Path:
    """A raw folder of links to the real files, except `relative`, which is a plain copy to break.

    Without the snapshot metadata: the ingest then reads the files as they are (with it, the
    snapshot checksums would stop a changed file before any reader sees it)."""
    shutil.copytree(raw_dir, target, symlinks=True, copy_function=os.symlink,
                    ignore=shutil.ignore_patterns("snapshot.yml"))
    broken = target / relative
    original = readers.read_bytes(raw_dir / relative)  # the file itself or its .gz copy
    for path in (broken, broken.with_name(broken.name + ".gz")):
        if path.is_symlink() or path.exists():
            path.unlink()
    broken.write_bytes(original)
    return broken


def run_ingest(raw: Path, seeds: Path, capsys) -> tuple[int, str]:
    status = cli.main(["ingest", "--raw", str(raw), "--seeds", str(seeds)])
    return status, capsys.readouterr().err.strip()


def test_raw_row_with_an_extra_field_is_a_one_line_error(raw_dir, tmp_path, capsys):
    """Case 4: pandas' ParserError used to end the ingest with a traceback and exit 1."""
    broken = raw_copy_with(raw_dir, tmp_path / "raw", f"{cities.CROSSWALK_DIR}/entities.csv")
    lines = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n") + ",an extra field\n"
    broken.write_text("".join(lines), encoding="utf-8")
    status, message = run_ingest(tmp_path / "raw", tmp_path / "seeds", capsys)
    assert status == 2, message
    assert len(message.splitlines()) == 1 and message.startswith("error: ")
    assert "entities.csv, row 5:" in message and "fields where the header has" in message
    assert not (tmp_path / "seeds").exists() or not list((tmp_path / "seeds").glob("*.csv"))


def test_truncated_workbook_is_a_one_line_error(raw_dir, tmp_path, capsys):
    """Case 4: a cut-short .xlsx raised zipfile.BadZipFile with a traceback and exit 1."""
    broken = raw_copy_with(raw_dir, tmp_path / "raw", city_values.INDUSTRY_FILE)
    data = broken.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    status, message = run_ingest(tmp_path / "raw", tmp_path / "seeds", capsys)
    assert status == 2, message
    assert len(message.splitlines()) == 1
    assert f"{Path(city_values.INDUSTRY_FILE).name}: not a readable Excel workbook" in message
    assert "copy it again" in message


# ---------------------------------------------------------------- where report and export may write

@pytest.fixture()
def untouched(built_warehouse):
    """The session's published warehouse, checked byte for byte after the test."""
    release = built_warehouse.resolve().parent
    files = sorted(p for p in release.rglob("*") if p.is_file())
    before = {p: digest(p) for p in files}
    yield built_warehouse
    assert {p: digest(p) for p in files} == before


@pytest.mark.parametrize("where", ["hefei.duckdb", "report.html", "releases/x.html", "current/exports/a.html"])
def test_report_out_inside_the_warehouse_is_refused(untouched, where, capsys):
    """Case 1: `report --out warehouse/hefei.duckdb` wrote HTML into the live database."""
    out = untouched.parent / where
    status = cli.main(["report", "--warehouse", str(untouched), "--city", "340200", "--out", str(out)])
    message = capsys.readouterr().err.strip()
    assert status == 2, message
    assert "inside the published warehouse" in message and len(message.splitlines()) == 1
    assert not list(untouched.parent.rglob("*.partial"))


def test_report_out_to_an_existing_folder_is_a_clear_error(untouched, tmp_path, capsys):
    """Case 9: a folder as --out gave a traceback and left <folder>.partial."""
    folder = tmp_path / "reports"
    folder.mkdir()
    status = cli.main(["report", "--warehouse", str(untouched), "--out", str(folder)])
    message = capsys.readouterr().err.strip()
    assert status == 2
    assert message == f"error: --out {folder} is a folder; give a file name, e.g. {folder / 'report.html'}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_export_to_inside_the_warehouse_is_refused_and_a_copy_is_writable(untouched, tmp_path, capsys):
    status = cli.main(["export", "--warehouse", str(untouched), "--to", str(untouched.parent / "exports" / "copy")])
    assert status == 2 and "inside the published warehouse" in capsys.readouterr().err
    target = tmp_path / "copy"
    assert cli.main(["export", "--warehouse", str(untouched), "--to", str(target)]) == 0
    assert (target / "manifest.json").is_file() and os.access(target / "manifest.json", os.W_OK | os.R_OK)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy"]  # no .partial left


# ---------------------------------------------------------------- validation reports are pruned

def test_validation_reports_are_pruned_to_the_newest(pristine, built_warehouse, tmp_path, monkeypatch, capsys):
    """Case 9: warehouse/reports/ grew by one folder per build, for ever."""
    from hefei_warehouse.build import REPORTS_KEPT

    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    published = tmp_path / "published" / "hefei.duckdb"
    reports = published.parent / "reports"
    old = [f"20200101T0000{n:02d}Z-{n:06x}" for n in range(REPORTS_KEPT + 5)]  # as build ids are named
    for name in old:
        (reports / name).mkdir(parents=True)
        (reports / name / "validation.html").write_text("old")
    negative_population(project / "seeds")
    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(project))
    assert cli.main(["build", "--warehouse", str(published), "--quiet"]) == 1
    kept = sorted(p.name for p in reports.iterdir())
    assert len(kept) == REPORTS_KEPT
    assert not kept[-1].startswith("2020"), "this build's report is kept"
    assert kept[:-1] == old[-(REPORTS_KEPT - 1):]


# The seed check reads a clean column with one regular-expression match over the whole
# column and looks row by row only when that match fails; both must judge every value alike.
EDGE_VALUES = ["", "0", "-3", "+7", "12013", "1.", ".5", "1.5e3", "-0.25E-3", "1e999", ".", "1..2", "12k",
               "1_0", "１２", " 1", "1 ", "nan", "inf", "true", "FALSE", "yes", "2020-01-01", "2020-1-1", "1\n2"]


@pytest.mark.parametrize("kind", ["integer", "double", "decimal(10,2)", "boolean", "date", "varchar"])
def test_whole_column_check_agrees_with_the_row_by_row_check(kind):
    from hefei_warehouse import preflight

    for value in EDGE_VALUES:
        expected = preflight._value_problem(kind, value) is None
        assert preflight._all_values_clean([[value]], [kind]) is expected, (kind, value)
        # one bad value among many good ones, near the end, as in a long seed file
        rows = [["1"]] * 5000 + [[value]] + [["2"]] * 3
        good = expected and (kind in ("varchar",) or preflight._value_problem(kind, "1") is None)
        assert preflight._all_values_clean(rows, [kind]) is good, (kind, value)


def test_a_seed_manifest_entry_without_rows_or_checksum_is_a_clear_problem(tmp_path):
    """A seed whose checksum matches is passed without counting its rows, so an entry must
    carry both; one that does not is reported, naming the entries, instead of passing."""
    from hefei_warehouse import preflight

    seeds = tmp_path / "seeds"
    shutil.copytree(copy_project(tmp_path / "project") / "seeds", seeds)
    assert preflight.check_manifest(seeds) == []
    manifest = json.loads((seeds / "seed_manifest.json").read_text(encoding="utf-8"))
    manifest["seeds"]["cities.csv"]["rows"] = "340"
    del manifest["seeds"]["sources.csv"]["sha256"]
    (seeds / "seed_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    problems = [str(p) for p in preflight.check_manifest(seeds)]
    assert problems == ["seed_manifest.json: readable seed manifest: entries without a whole row count and a sha256: "
                        "cities.csv, sources.csv; the seeds are generated: re-create them with `hefei-warehouse ingest` "
                        "(or restore them from git)"]
