"""The command-line tool as a user meets it: help, exit codes, one-line errors, and the
analyst commands (rank, compare, export, report, docs) on the published warehouse."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import duckdb
import pytest

from conftest import REPO, hefei_warehouse_command
from hefei_warehouse.build import Progress
from hefei_warehouse.cities_lookup import CityNotFound, resolve

COMMANDS = ("build", "validate", "rank", "compare", "export", "report", "docs", "rollback", "ingest", "snapshot")


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*hefei_warehouse_command(), *args], cwd=REPO, capture_output=True, text=True, **kwargs)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_help_lists_the_commands_and_exit_codes():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout
    assert "exit codes" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0 and "usage: hefei-warehouse " + command in result.stdout


def test_unknown_command_is_a_usage_error():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_rollback_without_previous_build_fails_in_one_line(tmp_path):
    result = run_cli("rollback", "--warehouse", str(tmp_path / "hefei.duckdb"))
    assert result.returncode == 1
    assert "no previous version" in one_line_error(result)


def test_a_build_into_a_folder_of_the_users_is_refused_before_anything_is_written(tmp_path):
    # The user's own report.html would have become a link, and folders of theirs under
    # releases/ would have been pruned.
    (tmp_path / "report.html").write_text("mine", encoding="utf-8")
    (tmp_path / "releases" / "my-old-project").mkdir(parents=True)
    result = run_cli("build", "--warehouse", str(tmp_path / "hefei.duckdb"))
    assert result.returncode == 2
    message = one_line_error(result)
    assert "report.html is a file of its own" in message and "releases holds my-old-project" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["releases", "report.html"]
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in (tmp_path / "releases").iterdir()] == ["my-old-project"]


@pytest.mark.parametrize("command", [("rank",), ("compare", "Hefei"), ("export",), ("report",), ("docs",)])
def test_commands_before_any_build_say_so_with_exit_code_3(command, tmp_path):
    result = run_cli(*command, "--warehouse", str(tmp_path / "hefei.duckdb"))
    assert result.returncode == 3
    assert "hefei-warehouse build" in one_line_error(result)


@pytest.mark.parametrize("command, mart", [(("rank",), "marts.fct_replicability_ranking"),
                                           (("compare", "Hefei"), "marts.fct_city_vs_hefei")])
def test_a_warehouse_without_the_mart_says_which_with_exit_code_3(command, mart, tmp_path):
    database = tmp_path / "hefei.duckdb"
    with duckdb.connect(str(database)) as con:  # an older or partial file: other marts, not this one
        con.execute("create schema marts; create table marts.dim_city (city_code varchar)")
        con.execute("create view marts.fct_city_vs_hefei_preview as select 1 as x")
    result = run_cli(*command, "--warehouse", str(database))
    assert result.returncode == 3
    assert one_line_error(result).endswith(f"{mart} is not in the published warehouse; rebuild with `hefei-warehouse build`")


@pytest.mark.parametrize("folder", ["/srv/hefei", "/home/张 的/warehouse", "/data/O'Brien's copy"])
def test_the_open_hint_is_a_command_that_pastes_into_a_shell(folder):
    import shlex
    from pathlib import Path

    from hefei_warehouse.cli import open_command

    database = Path(folder) / "hefei.duckdb"
    assert shlex.split(open_command(database)) == ["duckdb", str(database), "-readonly"]


def test_progress_names_each_step_and_its_time():
    lines = []
    progress = Progress(lines.append)
    progress.step("seed check")
    progress.step("publish")
    progress.done()
    assert lines[0] == f"[1/{len(Progress.STEPS)}] seed check ..."
    assert lines[1].strip().startswith("ok (") and lines[2].startswith(f"[{len(Progress.STEPS)}/")


# ---------------------------------------------------------------- city names

@pytest.fixture()
def cities(tmp_path):
    con = duckdb.connect(str(tmp_path / "cities.duckdb"))
    con.execute("create schema marts")
    con.execute("""create table marts.dim_city as select * from (values
        ('340100', 'Hefei', '合肥市', null::integer, null::varchar),
        ('320800', 'Huai''an', '淮安市', null, '淮阴市'),
        ('222400', 'Yanbian Korean Autonomous Prefecture', '延边朝鲜族自治州', null, null),
        ('341400', 'Chaohu', '巢湖市', 2011, null),
        ('341800', 'Xuancheng', '宣城市', null, null),
        ('341700', 'Chizhou', '池州市', null, null),
        ('330200', 'Ningbo', '宁波市', null, null),
        ('640500', 'Zhongwei', '中卫市', null, null),
        ('640400', 'Guyuan', '固原市', null, null),
        ('130500', 'Xingtai', '邢台市', null, null),
        ('440900', 'Maoming', '茂名市', null, null)
    ) t(city_code, name_en, name_zh, valid_to_year, former_names_zh)""")
    yield con
    con.close()


@pytest.mark.parametrize("typed, code", [
    ("340100", "340100"), ("合肥", "340100"), ("合肥市", "340100"), ("Hefei", "340100"), ("  hefei ", "340100"),
    ("HEFEI CITY", "340100"), ("Huai'an", "320800"), ("huaian", "320800"), ("淮阴", "320800"),
    ("Yanbian", "222400"), ("延边朝鲜族自治州", "222400"), ("chaohu", "341400"),
    ("３４０１００", "340100"), ("Ｈｅｆｅｉ", "340100"),  # full-width, as a Chinese keyboard types them
])
def test_city_names_in_chinese_pinyin_or_code(cities, typed, code):
    assert resolve(cities, typed).code == code


@pytest.mark.parametrize("typed, problem", [("Atlantis", "no city called"), ("", "empty"), ("x", "no city called")])
def test_unknown_city_names_are_refused(cities, typed, problem):
    with pytest.raises(CityNotFound, match=problem):
        resolve(cities, typed)


@pytest.fixture()
def namesakes(tmp_path):
    """Cities that share a romanised name, with their provinces (as marts.dim_city holds them)."""
    con = duckdb.connect(str(tmp_path / "namesakes.duckdb"))
    con.execute("create schema marts")
    con.execute("""create table marts.dim_city as select * from (values
        ('320500', 'Suzhou', '苏州市', null::integer, null::varchar, 'Jiangsu', '江苏省'),
        ('341300', 'Suzhou', '宿州市', null, null, 'Anhui', '安徽省'),
        ('230700', 'Yichun', '伊春市', null, null, 'Heilongjiang', '黑龙江省'),
        ('360900', 'Yichun', '宜春市', null, null, 'Jiangxi', '江西省'),
        ('150100', 'Hohhot', '呼和浩特市', null, null, 'Inner Mongolia', '内蒙古自治区'),
        ('141100', 'Lvliang', '吕梁市', null, null, 'Shanxi', '山西省'),
        ('350100', 'Fuzhou', '福州市', null, null, 'Fujian', '福建省'),
        ('361000', 'Fuzhou', '抚州市', null, null, 'Jiangxi', '江西省')
    ) t(city_code, name_en, name_zh, valid_to_year, former_names_zh, province_name_en, province_name_zh)""")
    yield con
    con.close()


@pytest.mark.parametrize("typed, code", [
    ("苏州", "320500"), ("宿州", "341300"), ("Suzhou, Jiangsu", "320500"), ("suzhou, anhui", "341300"),
    ("苏州，江苏", "320500"), ("江苏苏州", "320500"), ("Suzhou, Jiangsu Province", "320500"),
    ("Yichun, Jiangxi", "360900"), ("宜春", "360900"), ("huhehaote", "150100"), ("Hohhot", "150100"),
    ("lüliang", "141100"), ("lvliang", "141100"), ("Lüliang", "141100"), ("fuzhou, fujian", "350100"),
])
def test_city_lookup_uses_full_pinyin_and_provinces(namesakes, typed, code):
    assert resolve(namesakes, typed).code == code


@pytest.mark.parametrize("typed, listed", [
    ("Suzhou", ["苏州市", "宿州市", "Jiangsu", "Anhui"]), ("yichun", ["伊春市", "宜春市"]),
    ("FUZHOU", ["福州市", "抚州市"]), ("suzhou city", ["苏州市", "宿州市"]),
])
def test_a_shared_name_lists_every_city_instead_of_guessing(namesakes, typed, listed):
    with pytest.raises(CityNotFound) as error:
        resolve(namesakes, typed)
    for name in listed:
        assert name in str(error.value)
    assert "province" in str(error.value)


def test_an_unknown_province_is_named_in_the_error(namesakes):
    with pytest.raises(CityNotFound, match="no province called 'Atlantis'"):
        resolve(namesakes, "Suzhou, Atlantis")


# ---------------------------------------------------------------- on the published warehouse

def test_rank_prints_the_ranking_with_intervals(built_warehouse, warehouse):
    result = run_cli("rank", "--warehouse", str(built_warehouse), "--top", "10")
    assert result.returncode == 0, result.stderr
    assert "5-95% rank" in result.stdout
    top = warehouse.execute(
        "select name_en, rank_p05, rank_p95 from marts.fct_replicability_ranking order by nominal_rank limit 10").fetchall()
    for name, p05, p95 in top:
        assert name in result.stdout and f"{p05}-{p95}" in result.stdout


def test_rank_as_csv_is_ordered_and_complete(built_warehouse, warehouse):
    result = run_cli("rank", "--warehouse", str(built_warehouse), "--all", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == warehouse.execute("select count(*) from marts.fct_replicability_ranking").fetchone()[0]
    ranks = [int(r["nominal_rank"]) for r in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1


@pytest.mark.parametrize("typed", ["340200", "芜湖", "Wuhu", "wuhu"])
def test_compare_accepts_code_chinese_and_pinyin(built_warehouse, typed):
    result = run_cli("compare", typed, "--warehouse", str(built_warehouse))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wuhu 芜湖市 (340200) beside Hefei")
    assert "Same stage 2022" in result.stdout and "GDP, 100m CNY" in result.stdout


def test_compare_shows_the_published_figures(built_warehouse, warehouse):
    result = run_cli("compare", "Wuhu", "--year", "2010", "--warehouse", str(built_warehouse))
    assert result.returncode == 0, result.stderr
    gdp, hefei_gdp = warehouse.execute(
        "select gdp_cny_100m, hefei_gdp_cny_100m from marts.fct_city_vs_hefei where city_code = '340200' and year = 2010").fetchone()
    line = next(l for l in result.stdout.splitlines() if l.startswith("GDP, 100m CNY"))
    assert f"{gdp:,.0f}" in line and f"{hefei_gdp:,.0f}" in line


def display_width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_compare_fits_an_80_column_terminal_for_every_city(built_warehouse, warehouse, capsys):
    from hefei_warehouse.cli import main

    codes = [c for (c,) in warehouse.execute("select city_code from marts.dim_city where valid_to_year is null").fetchall()]
    assert len(codes) > 300
    widest = (0, "")
    for code in codes:
        main(["compare", code, "--warehouse", str(built_warehouse)])
        for line in capsys.readouterr().out.splitlines():
            widest = max(widest, (display_width(line), line))
    assert widest[0] <= 80, widest
    assert widest[0] >= 70  # the table is there, not truncated away


def test_compare_says_how_many_years_ahead_a_city_is(built_warehouse, warehouse):
    behind, stage = warehouse.execute(
        "select years_behind_hefei, hefei_same_stage_year from marts.fct_city_vs_hefei where city_code = '430100' and year = 2015").fetchone()
    assert behind < 0
    result = run_cli("compare", "changsha", "--year", "2015", "--warehouse", str(built_warehouse))
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert f"closest to Hefei's in {stage}: {-behind} years ahead of Hefei" in text


def test_compare_shows_a_city_above_hefeis_range_as_such(built_warehouse, warehouse):
    position = warehouse.execute(
        "select same_stage_position from marts.fct_city_vs_hefei where city_code = '110100' and year = 2023").fetchone()[0]
    assert position == "above_hefei_range"
    result = run_cli("compare", "Beijing", "--warehouse", str(built_warehouse))
    text = " ".join(result.stdout.split())
    assert "above Hefei's range" in text and "closest to" not in text


def test_compare_shows_the_latest_value_with_its_year_instead_of_a_blank(built_warehouse, warehouse):
    ratio, year = warehouse.execute(
        "select avg_wage_ratio_to_national, year from marts.fct_city_vs_hefei where city_code = '340200' "
        "and avg_wage_ratio_to_national is not null order by year desc limit 1").fetchone()
    assert year < 2023
    result = run_cli("compare", "Wuhu", "--year", "2023", "--warehouse", str(built_warehouse))
    line = next(l for l in result.stdout.splitlines() if l.startswith("Avg wage / national"))
    assert line.split()[6:8] == [f"{ratio:.2f}", f"({year})"], line


def test_compare_a_year_without_figures_lists_the_years_that_have_them(built_warehouse):
    result = run_cli("compare", "changsha", "--year", "1990", "--warehouse", str(built_warehouse))
    assert result.returncode == 2
    assert "years with figures: 2000-2023" in one_line_error(result)


def test_compare_a_shared_name_is_a_usage_error_listing_both(built_warehouse):
    result = run_cli("compare", "Suzhou", "--warehouse", str(built_warehouse))
    assert result.returncode == 2
    error = one_line_error(result)
    assert "苏州市" in error and "宿州市" in error


@pytest.mark.parametrize("top", ["0", "-3"])
def test_rank_top_below_one_is_a_usage_error(built_warehouse, top):
    result = run_cli("rank", "--top", top, "--warehouse", str(built_warehouse))
    assert result.returncode == 2
    assert "--top must be 1 or more" in one_line_error(result)


def test_rank_top_above_the_number_of_cities_shows_them_all(built_warehouse):
    every = run_cli("rank", "--warehouse", str(built_warehouse), "--all", "--format", "csv")
    for top in ("100000", "99999999999999999999"):
        result = run_cli("rank", "--warehouse", str(built_warehouse), "--top", top, "--format", "csv")
        assert result.returncode == 0, result.stderr
        assert result.stdout == every.stdout


def test_compare_unknown_city_is_a_one_line_usage_error(built_warehouse):
    result = run_cli("compare", "Atlantis", "--warehouse", str(built_warehouse))
    assert result.returncode == 2
    assert "no city called 'Atlantis'" in one_line_error(result)


def test_export_lists_and_copies_the_published_exports(built_warehouse, tmp_path):
    listed = run_cli("export", "--warehouse", str(built_warehouse))
    assert listed.returncode == 0 and "fct_replicability_ranking.parquet" in listed.stdout
    target = tmp_path / "copy"
    copied = run_cli("export", "--warehouse", str(built_warehouse), "--to", str(target))
    assert copied.returncode == 0, copied.stderr
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert all((target / f"{name}.parquet").is_file() for name in manifest["marts"])
    again = run_cli("export", "--warehouse", str(built_warehouse), "--to", str(target))
    assert again.returncode == 2 and "not empty" in one_line_error(again)
    # A link to an empty folder is a folder to copy into (it used to fail with "Not a directory").
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    linked = run_cli("export", "--warehouse", str(built_warehouse), "--to", str(tmp_path / "link"))
    assert linked.returncode == 0, linked.stderr
    assert (tmp_path / "link").is_symlink() and (tmp_path / "empty" / "manifest.json").is_file()


def test_a_machine_failure_names_the_option_whose_path_failed():
    import errno

    from hefei_warehouse.publish import describe_os_error

    read_only = OSError(errno.EROFS, "Read-only file system", "/mnt/ro/out")
    assert describe_os_error(read_only, "--to").endswith("point --to at a writable folder")
    assert describe_os_error(read_only).endswith("point --warehouse at a writable folder")
    not_a_folder = OSError(errno.ENOTDIR, "Not a directory", "/srv/file/out.html")
    assert describe_os_error(not_a_folder, "--out").endswith("choose another --out path")


def test_report_and_docs_print_their_published_paths(built_warehouse):
    for command, expected in (("report", built_warehouse.parent / "report.html"),
                              ("docs", built_warehouse.parent / "docs" / "index.html")):
        result = run_cli(command, "--warehouse", str(built_warehouse))
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(expected) and expected.is_file()


@pytest.mark.parametrize("command, page", [("report", "report.html"), ("docs", "docs/index.html")])
def test_open_fails_when_no_browser_can_be_opened(built_warehouse, monkeypatch, capsys, command, page):
    from hefei_warehouse import cli

    expected = built_warehouse.parent / page
    opened = []
    monkeypatch.setattr(cli.webbrowser, "open", lambda uri: opened.append(uri) or False)
    assert cli.main([command, "--open", "--warehouse", str(built_warehouse)]) == cli.EXIT_FAILED
    out, err = capsys.readouterr()
    assert out.strip() == str(expected)  # the path is still given
    assert "no web browser could be opened" in err and str(expected) in err
    monkeypatch.setattr(cli.webbrowser, "open", lambda uri: opened.append(uri) or True)
    assert cli.main([command, "--open", "--warehouse", str(built_warehouse)]) == cli.EXIT_OK
    assert opened == [expected.resolve().as_uri()] * 2


def test_report_for_a_chosen_city_puts_its_profile_first(built_warehouse, tmp_path):
    out = tmp_path / "wuhu.html"
    result = run_cli("report", "--city", "芜湖", "--out", str(out), "--warehouse", str(built_warehouse))
    assert result.returncode == 0, result.stderr
    assert '<details class="profile" data-city="340200" open>' in out.read_text(encoding="utf-8")


def test_docs_page_works_offline_and_shows_the_lineage(built_warehouse):
    from hefei_warehouse.docs import external_assets

    page = (built_warehouse.parent / "docs" / "index.html").read_text(encoding="utf-8")
    assert external_assets(page) == []
    manifest = json.loads((built_warehouse.parent / "docs" / "manifest.json").read_text(encoding="utf-8"))
    parents = manifest["parent_map"]
    # Walk the lineage back from the ranking: it reaches the seeds the raw data was curated into.
    seen, todo = set(), ["model.hefei_warehouse.fct_replicability_ranking"]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(parents.get(node, []))
    assert "seed.hefei_warehouse.city_year_values" in seen
    assert any(key.startswith("exposure.") for key in manifest["exposures"])


def test_validate_passes_on_the_published_warehouse(built_warehouse):
    result = run_cli("validate", "--warehouse", str(built_warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed" in result.stdout


def test_validate_of_a_warehouse_path_that_holds_nothing_says_so_with_exit_code_3(tmp_path):
    # A mistyped --warehouse must not pass as a check of the seeds alone.
    result = run_cli("validate", "--warehouse", str(tmp_path / "nope" / "hefei.duckdb"))
    assert result.returncode == 3
    assert "no warehouse at" in one_line_error(result)


def test_validate_of_a_seed_row_that_does_not_parse_names_it_in_one_line(tmp_path):
    import os
    import shutil

    from hefei_warehouse import workspace

    project = workspace.copy_project(tmp_path / "project", REPO)
    values = project / "seeds" / "city_year_values.csv"
    lines = values.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    row = lines[2].rstrip("\n").split(",")
    row[header.index("value")] += ",5"  # a thousands separator: one field too many
    lines[2] = ",".join(row) + "\n"
    values.write_text("".join(lines), encoding="utf-8")
    env = dict(os.environ, HEFEI_PROJECT_DIR=str(project))
    env.pop("HEFEI_WAREHOUSE_PATH", None)
    result = run_cli("validate", env=env)
    assert result.returncode == 1
    message = one_line_error(result)  # one line: no traceback from the suites
    assert "city_year_values.csv, row 3" in message and "fields where the header has" in message
    assert "stopped at the seed check" in result.stdout
    shutil.rmtree(project)


@pytest.mark.parametrize("command", [("build",), ("validate",), ("rank",), ("compare", "Hefei"), ("export",),
                                     ("report",), ("docs",), ("rollback",)])
def test_an_empty_or_folder_warehouse_argument_is_bad_input(command, tmp_path):
    # An empty value (a variable that was not set) must not mean the default warehouse, and
    # a folder is not the database file.
    for value, said in (("", "--warehouse is empty"), (str(tmp_path), "is a folder; --warehouse names the database file")):
        result = run_cli(*command, "--warehouse", value)
        assert result.returncode == 2, (value, result.stdout, result.stderr)
        assert said in one_line_error(result)
    assert list(tmp_path.iterdir()) == []
