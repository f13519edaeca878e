"""The `hefei-warehouse` command: build, validate, rank, compare, export, report, docs,
rollback, ingest, snapshot.

Exit codes scripts can rely on:
  0  success
  1  a build or check failed (nothing was published), or rollback had nothing to go back to
  2  bad input or bad usage (unknown city, malformed raw file, wrong option)
  3  nothing is published yet (run `hefei-warehouse build` first)
Errors are printed on one line to stderr, starting with "error:".
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shlex
import shutil
import sys
import webbrowser
from pathlib import Path

from . import paths

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOT_BUILT = 0, 1, 2, 3

EPILOG = """exit codes: 0 ok, 1 build or check failed (nothing published), 2 bad input or usage,
3 nothing published yet. Cities can be given as a code (340100), in Chinese (合肥) or in
pinyin/English (Hefei)."""


class NotPublished(RuntimeError):
    pass


class UsageProblem(RuntimeError):
    pass


class BrowserNotOpened(RuntimeError):
    pass


def _open_in_browser(page: Path) -> None:
    """--open: the page's path is printed first, so a machine without a browser (a server,
    a container) still tells where the page is; the command then fails, as it did not do
    what was asked."""
    if not webbrowser.open(page.resolve().as_uri()):
        raise BrowserNotOpened(f"no web browser could be opened here; open {page} in one yourself")


def _published(args: argparse.Namespace) -> Path:
    given = getattr(args, "warehouse", None)
    if given is not None and not given.strip():
        # e.g. `--warehouse "$WH"` with WH unset: never the default warehouse by accident
        raise UsageProblem("--warehouse is empty; name the warehouse's .duckdb file, or leave the option out")
    # Absolute but not resolved: the published path is a symlink into the current release.
    published = Path(os.path.abspath(given)) if given else paths.published_path()
    if published.is_dir():
        raise UsageProblem(f"{published} is a folder; --warehouse names the database file, "
                           f"e.g. {published / 'hefei.duckdb'}")
    return published


def _connect_published(args: argparse.Namespace):
    """A read-only connection to the published warehouse, as any reader opens it."""
    import duckdb

    published = _published(args)
    if not published.exists():
        raise NotPublished(f"no warehouse at {published}; run `hefei-warehouse build` first")
    return duckdb.connect(str(published), read_only=True)


def _tables(con) -> set[str]:
    """'schema.table' of every table and view in the warehouse. One catalog query a command:
    information_schema costs a few milliseconds a question, which `compare` paid three times."""
    return {f"{schema}.{name}" for schema, name in con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "union all select schema_name, view_name from duckdb_views() where not internal"
    ).fetchall()}


def _require_table(tables: set[str], table: str) -> None:
    if table not in tables:
        raise NotPublished(f"{table} is not in the published warehouse; rebuild with `hefei-warehouse build`")


def _fmt(value, digits: int = 1) -> str:
    from .report import DASH, is_missing

    if is_missing(value):
        return DASH
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _print_table(headers: list[str], rows: list[list[str]], right: set[int]) -> None:
    """A plain aligned table; width counts CJK characters as two columns."""
    width = _width

    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - width(cell))
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


# ---------------------------------------------------------------- commands

def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build_warehouse

    published = _published(args)
    say = None if args.no_progress else (lambda text: print(text, flush=True))
    result = build_warehouse(published, quiet=args.quiet, say=say, rerun_unit_tests=args.rerun_unit_tests)
    marts = {name: rows for name, rows in result.tables.items() if name.startswith(("marts.", "meta."))}
    print(f"\nPublished build {result.build_id} in {result.seconds:.1f} s")
    width = max((len(name) for name in marts), default=10)
    for name, rows in marts.items():
        print(f"  {name:<{width}}  {rows:>9,} rows")
    print(f"  ({len(result.tables) - len(marts)} staging and intermediate tables not listed)")
    print(f"\n  database  {result.published}")
    print(f"  exports   {result.exports}/ (Parquet, CSV, manifest.json)")
    print(f"  report    {result.report}")
    print(f"  docs      {result.docs}")
    print(f"\nOpen it read-only: {open_command(result.published)}")
    return EXIT_OK


def open_command(database: Path) -> str:
    """The shell command that opens the warehouse read-only, ready to paste: the path quoted
    when a folder's name has a space or a quote in it."""
    return f"duckdb {shlex.quote(str(database))} -readonly"


def _cmd_validate(args: argparse.Namespace) -> int:
    from . import preflight, validate
    from .collector import fewer_collections

    published = _published(args)
    named = getattr(args, "warehouse", None) or os.environ.get("HEFEI_WAREHOUSE_PATH")
    if named and not published.exists():
        # A path the user gave that holds nothing: a typo must not pass as "seeds only".
        raise NotPublished(f"no warehouse at {published}; run `hefei-warehouse build` first")
    with fewer_collections():
        problems = preflight.check_seeds(paths.seeds_dir()) + preflight.check_manifest(paths.seeds_dir())
        for problem in problems[:20]:
            print(f"seed problem: {problem}")
        if problems:
            # As in the build: the suites read the same files, which may not even parse.
            print(f"Checked seeds: stopped at the seed check, {len(problems)} seed problems")
            print(f"error: validation failed: {problems[0]}", file=sys.stderr)
            return EXIT_FAILED
        outcomes = validate.run_suites(seeds=paths.seeds_dir(), stage="seeds")
        if published.exists():
            outcomes += validate.run_suites(published, seeds=paths.seeds_dir(), stage="warehouse")
            target = f"seeds and {published}"
        else:
            target = "seeds (no published warehouse yet)"
    failed = [o for o in outcomes if not o.success]
    for outcome in failed[:20]:
        print(f"failed: {outcome.one_line()}")
    print(f"Checked {target}: {len(outcomes)} expectations, {len(failed)} failed, {len(problems)} seed problems")
    if failed or problems:
        first = str(problems[0]) if problems else failed[0].one_line()
        print(f"error: validation failed: {first}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


RANK_COLUMNS = ["nominal_rank", "city_code", "name_en", "name_zh", "index_score", "median_rank",
                "rank_p05", "rank_p95", "coverage_pct", "year"]


def _cmd_rank(args: argparse.Namespace) -> int:
    if not args.all and args.top < 1:
        raise UsageProblem(f"--top must be 1 or more (got {args.top}); use --all for every ranked city")
    with _connect_published(args) as con:
        _require_table(_tables(con), "marts.fct_replicability_ranking")
        # More than there are cities shows them all (a number past SQL's integers would not parse).
        limit = "" if args.all else f"limit {min(int(args.top), 1_000_000)}"
        cursor = con.execute(
            f"select {', '.join(RANK_COLUMNS)}, n_ranked, n_scenarios from marts.fct_replicability_ranking "
            f"order by nominal_rank, city_code {limit}"
        )
        rows = [dict(zip([d[0] for d in cursor.description], r)) for r in cursor.fetchall()]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return EXIT_OK
    if args.format == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=RANK_COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return EXIT_OK
    if not rows:
        print("The ranking is empty.")
        return EXIT_OK
    first = rows[0]
    print(f"Replicability ranking of inland cities, {first['year']}: {first['n_ranked']} ranked, "
          f"5-95% rank interval over {first['n_scenarios']:,} scenarios (Hefei kept as a control)\n")
    _print_table(
        ["rank", "city", "", "code", "score", "median", "5-95% rank", "coverage %"],
        [[str(r["nominal_rank"]), r["name_en"] or "", r["name_zh"] or "", r["city_code"], _fmt(r["index_score"]),
          _fmt(r["median_rank"]), f"{r['rank_p05']}-{r['rank_p95']}", _fmt(r["coverage_pct"], 0)] for r in rows],
        right={0, 4, 5, 6, 7},
    )
    return EXIT_OK


WIDTH = 80  # CLI output fits an 80-column terminal


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str) -> None:
    """Print text broken at spaces so no line is wider than WIDTH terminal columns."""
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and _width(candidate) > WIDTH:
            print(line)
            candidate = "  " + word
        line = candidate
    print(line)


def _cmd_compare(args: argparse.Namespace) -> int:
    from .cities_lookup import resolve
    from .comparison import beside_hefei, stage_sentence, year_ranges
    from .why_rank import why_this_rank

    with _connect_published(args) as con:
        tables = _tables(con)
        _require_table(tables, "marts.fct_city_vs_hefei")
        city = resolve(con, args.city)
        years = [y for (y,) in con.execute(
            "select year from marts.fct_city_vs_hefei where city_code = ? and gdp_cny_100m is not null order by year",
            [city.code]).fetchall()]
        if not years:
            raise UsageProblem(f"no GDP figures for {city.label()} in marts.fct_city_vs_hefei")
        year = args.year if args.year is not None else years[-1]
        cursor = con.execute("select * from marts.fct_city_vs_hefei where city_code = ? and year = ?", [city.code, year])
        found = cursor.fetchone()
        if found is None or year not in years:
            raise UsageProblem(f"no comparison for {city.label()} in {year}; years with figures: {year_ranges(years)}")
        row = dict(zip([d[0] for d in cursor.description], found))
        stage = row.get("hefei_same_stage_year")
        figures = beside_hefei(con, city.code, year, stage)
        pillars = {}
        ranking = None
        if "marts.fct_replicability_ranking" in tables:
            ranking = con.execute(
                "select year, nominal_rank, n_ranked, rank_p05, rank_p95, index_score "
                "from marts.fct_replicability_ranking where city_code = ?", [city.code]
            ).fetchone()
        if "marts.fct_replicability_pillar_scores" in tables:
            for code, pillar, score in con.execute(
                "select city_code, pillar, pillar_score from marts.fct_replicability_pillar_scores "
                "where city_code in (?, '340100') and year = (select max(year) from marts.fct_replicability_ranking) "
                "order by pillar", [city.code]
            ).fetchall():
                pillars.setdefault(pillar, {})[code] = score
        why = why_this_rank(con, city.code)
    _wrap(f"{city.name_en} {city.name_zh} ({city.code}) beside Hefei 合肥 (340100), {year}")
    if ranking:
        _wrap(f"Replicability index {ranking[0]}: {_fmt(ranking[5])}, rank {ranking[1]} of {ranking[2]} "
              f"(5-95%: {ranking[3]}-{ranking[4]})")
    _wrap(stage_sentence(year, stage, row.get("years_behind_hefei"), row.get("same_stage_position")))
    print()

    def cell(value_year: tuple, digits: int, wanted: int | None) -> str:
        value, from_year = value_year
        text = _fmt(value, digits)
        # A value from an earlier year than the column's says which year it is from.
        return text if value is None or from_year == wanted else f"{text} ({from_year})"

    short = next((name for name in (city.name_en, city.name_en.split(" ")[0]) if len(name) <= 12), "City")
    above = row.get("same_stage_position") == "above_hefei_range"
    stage_head = "Same stage " + (str(stage) if stage is not None else "-") if not above else f"Hefei top {stage}"
    _print_table(
        ["indicator", short, f"Hefei {year}", stage_head],
        [[f["label"], cell(f["city"], f["digits"], year), cell(f["hefei"], f["digits"], year),
          cell(f["stage"], f["digits"], stage) if stage is not None else "–"] for f in figures],
        right={1, 2, 3},
    )
    if any(f["city"][0] is not None and f["city"][1] != year for f in figures):
        _wrap("A year in brackets: the latest earlier year with a published value (none for the year shown).")
    if any(city.code in scores for scores in pillars.values()):
        print()
        _print_table([f"pillar score (0-100), {ranking[0] if ranking else 'latest year'}", short, "Hefei"],
                     [[p.replace("_", " "), _fmt(v.get(city.code)), _fmt(v.get("340100"))] for p, v in pillars.items()],
                     right={1, 2})
    if why:
        print()
        print("\n".join(why))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    published = _published(args)
    exports_dir = published.parent / "exports"
    if not (exports_dir / "manifest.json").is_file():
        raise NotPublished(f"no exports at {exports_dir}; run `hefei-warehouse build` first")
    manifest = json.loads((exports_dir / "manifest.json").read_text(encoding="utf-8"))
    if args.to:
        # A copy for another tool or machine, taken from the current release (never half a release:
        # the folder is resolved once, and releases are never changed after publishing).
        source = exports_dir.resolve()
        # Resolved: a link to an empty folder is a folder to copy into, not a name to replace.
        target = Path(os.path.realpath(args.to))
        _refuse_inside_warehouse(target, published, "--to")
        if target.exists() and not target.is_dir():
            raise UsageProblem(f"--to {target} is a file; give a new folder")
        if target.is_dir() and any(target.iterdir()):
            raise UsageProblem(f"--to {target} is not empty; choose a new folder")
        # Copied beside the target first and renamed into place, so a failure (a full disk)
        # leaves no half-copied folder; the copies are ordinary writable files.
        staging = target.with_name(f".{target.name}.partial")
        shutil.rmtree(staging, ignore_errors=True)
        try:
            shutil.copytree(source, staging, copy_function=shutil.copyfile)
            if target.is_dir():
                target.rmdir()
            os.replace(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        print(f"Copied {len(manifest['marts'])} marts of build {manifest['build_id']} to {target}")
        return EXIT_OK
    print(f"Exports of build {manifest['build_id']} in {exports_dir}/ (manifest.json describes every column):")
    for name, mart in sorted(manifest["marts"].items()):
        print(f"  {name:<36} {mart['row_count']:>9,} rows  {name}.parquet  {name}.csv")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    published = _published(args)
    if not args.city and not args.out:
        page = published.parent / "report.html"
        if not page.exists():
            raise NotPublished(f"no report at {page}; run `hefei-warehouse build` first")
        print(page)
        if args.open:
            _open_in_browser(page)
        return EXIT_OK
    from .cities_lookup import resolve
    from .report import write_report

    with _connect_published(args) as con:
        city = resolve(con, args.city).code if args.city else None
        build_id, commit = con.execute(
            "select build_id, git_commit from meta.build_history where status = 'published' order by finished_at desc limit 1"
        ).fetchone() if "meta.build_history" in _tables(con) else ("unknown", None)
    out = Path(os.path.abspath(args.out)) if args.out else Path.cwd() / "report.html"
    _refuse_inside_warehouse(out, published, "--out")
    if out.is_dir():
        raise UsageProblem(f"--out {out} is a folder; give a file name, e.g. {out / 'report.html'}")
    try:
        write_report(published, out, build_id=build_id, git_commit=commit, city=city)
    finally:
        out.with_name(out.name + ".partial").unlink(missing_ok=True)  # left only by a failed write
    print(out)
    if args.open:
        _open_in_browser(out)
    return EXIT_OK


def _refuse_inside_warehouse(target: Path, published: Path, option: str) -> None:
    """The published warehouse is written only by a build: a file written into it (or
    through its links) would change or break the live release."""
    if paths.inside_warehouse(target, published):
        raise UsageProblem(f"{option} {target} is inside the published warehouse ({published.parent}); "
                           "choose a path outside that folder")


def _cmd_docs(args: argparse.Namespace) -> int:
    page = _published(args).parent / "docs" / "index.html"
    if not page.exists():
        raise NotPublished(f"no docs at {page}; run `hefei-warehouse build` first")
    print(page)
    if args.open:
        _open_in_browser(page)
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    from . import snapshots
    from .ingest.pipeline import run

    raw = Path(args.raw).resolve() if args.raw else paths.default_raw_dir()
    seeds = Path(args.seeds).resolve() if args.seeds else paths.seeds_dir()
    if snapshots.metadata_files(raw):
        # Reading a snapshot folder: refuse a copy whose bytes are not the ones recorded.
        _require_intact_snapshots(raw)
    written = run(raw, seeds)
    print(f"Wrote {len(written)} seed files to {seeds} from {raw}")
    return EXIT_OK


def _require_intact_snapshots(root: Path) -> None:
    from . import snapshots

    problems = snapshots.verify(root)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UsageProblem(f"snapshot check failed: {problems[0]}{more}; restore the file "
                           "(git checkout snapshots/) or re-take it with `hefei-warehouse snapshot take`")


def _cmd_snapshot(args: argparse.Namespace) -> int:
    from . import snapshots

    root = Path(args.snapshots).resolve() if args.snapshots else snapshots.snapshot_root()
    if args.action == "take":
        if not args.folder or not args.files:
            raise UsageProblem("snapshot take needs a folder and at least one file, e.g. "
                               "`snapshot take curated_facts state_investments.csv --raw /path/to/raw`")
        if not args.raw:
            raise UsageProblem("snapshot take needs --raw, the folder the files are copied from")
        for entry in snapshots.take(args.folder, args.files, Path(args.raw), root):
            print(f"took {args.folder}/{entry['path']}: {entry['bytes']} bytes, sha256 {entry['sha256'][:12]}...")
        return EXIT_OK
    _require_intact_snapshots(root)
    count = sum(len(d.get("files") or []) for d in snapshots.load(root))
    print(f"{count} snapshot files match their recorded sha256 in {root}")
    return EXIT_OK


def _cmd_rollback(args: argparse.Namespace) -> int:
    from .publish import rollback

    published = _published(args)
    release = rollback(published)
    print(f"Rolled back: {published} is now release {release.name} (run again to roll forward)")
    return EXIT_OK


def _cmd_spark_check(args: argparse.Namespace) -> int:
    from .engine_parity import default_work_dir, run_spark_check

    work = Path(args.work).resolve() if args.work else default_work_dir()
    return run_spark_check(work, rtol=args.tolerance)


# ---------------------------------------------------------------- parser

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hefei-warehouse",
        description="Build, query and publish the Hefei-model comparison warehouse (DuckDB).",
        epilog=EPILOG,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    warehouse_help = "published DuckDB file (default: $HEFEI_WAREHOUSE_PATH or warehouse/hefei.duckdb)"

    def command(name: str, help_text: str, run) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=(help_text[0].upper() + help_text[1:] + ".").replace("%%", "%"), epilog=EPILOG)
        sub.add_argument("--warehouse", help=warehouse_help)
        sub.set_defaults(run=run)
        return sub

    build = command("build", "build from the committed seeds, test, and publish the database, exports, docs and report", _cmd_build)
    build.add_argument("--quiet", action="store_true", help="hide dbt's own output (kept in the build folder on failure)")
    build.add_argument("--no-progress", action="store_true", help="do not print a line per build step")
    build.add_argument("--rerun-unit-tests", action="store_true",
                       help="run dbt's unit tests even if they passed on exactly this code in an earlier build")

    command("validate", "check the seeds and the published warehouse against the quality suites", _cmd_validate)

    rank = command("rank", "show the replicability ranking with 5-95%% rank intervals", _cmd_rank)
    rank.add_argument("--top", type=int, default=25, help="how many cities (default 25)")
    rank.add_argument("--all", action="store_true", help="every ranked city")
    rank.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")

    compare = command("compare", "show a city beside Hefei: same year and Hefei at the same stage", _cmd_compare)
    compare.add_argument("city", help="code (340200), Chinese (芜湖) or pinyin/English name (Wuhu)")
    compare.add_argument("--year", type=int, help="year to compare (default: the city's latest year with GDP)")

    export = command("export", "list the published Parquet/CSV exports, or copy them to a folder", _cmd_export)
    export.add_argument("--to", help="copy the exports (with manifest.json) to this new folder")

    report = command("report", "print the published report's path, or render one for a chosen city", _cmd_report)
    report.add_argument("--city", help="put this city's profile first (code, Chinese or pinyin)")
    report.add_argument("--out", help="where to write the rendered report (default ./report.html)")
    report.add_argument("--open", action="store_true", help="open it in the default browser (exit 1 if none can be opened)")

    docs = command("docs", "print the path of the dbt docs page (lineage from raw sources to the ranking)", _cmd_docs)
    docs.add_argument("--open", action="store_true", help="open it in the default browser (exit 1 if none can be opened)")

    command("rollback", "put the previously published release back (run again to roll forward)", _cmd_rollback)

    ingest = commands.add_parser("ingest", help="re-create the seed files from the raw snapshots", epilog=EPILOG)
    ingest.add_argument("--raw", help="raw data folder (default: the repository's snapshots/)")
    ingest.add_argument("--seeds", help="where to write the seed CSVs (default: seeds/)")
    ingest.set_defaults(run=_cmd_ingest)

    snapshot = commands.add_parser(
        "snapshot", epilog=EPILOG,
        help="check the raw snapshots against their recorded sha256 (verify), or copy raw files in (take)")
    snapshot.add_argument("action", choices=["verify", "take"])
    snapshot.add_argument("folder", nargs="?", help="take: the snapshot folder (same name as the raw folder)")
    snapshot.add_argument("files", nargs="*", help="take: file paths inside the raw folder")
    snapshot.add_argument("--raw", help="take: the raw data folder the files are copied from")
    snapshot.add_argument("--snapshots", help="the snapshots folder (default: snapshots/)")
    snapshot.set_defaults(run=_cmd_snapshot)

    spark = commands.add_parser(
        "spark-check", epilog=EPILOG,
        help="build the project on DuckDB and on a local Apache Spark and compare every mart (needs make spark-deps)")
    spark.add_argument("--work", help="folder for both builds and the report (default: one per checkout in the system temp dir)")
    spark.add_argument("--tolerance", type=float, default=1e-6, help="relative tolerance for numbers (default 1e-6)")
    spark.set_defaults(run=_cmd_spark_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    import duckdb

    from .build import BuildFailed
    from .cities_lookup import CityNotFound
    from .ingest.errors import IngestError
    from .publish import NotAWarehouseFolder, PublishError
    from .report import ReportError

    def fail(error: BaseException, code: int) -> int:
        text = " ".join(str(error).split())  # one line, whatever the message held
        print(f"error: {text}", file=sys.stderr)
        return code

    try:
        return args.run(args)
    except (IngestError, CityNotFound, UsageProblem, ReportError, NotAWarehouseFolder) as error:
        return fail(error, EXIT_USAGE)
    except (BuildFailed, PublishError, BrowserNotOpened) as error:
        return fail(error, EXIT_FAILED)
    except NotPublished as error:
        return fail(error, EXIT_NOT_BUILT)
    except duckdb.Error as error:
        return fail(f"reading the warehouse failed: {error}", EXIT_FAILED)
    except BrokenPipeError:
        return EXIT_OK  # output piped into `head`; not an error
    except OSError as error:
        # The machine, not the input: a full disk, a read-only folder, a file in the way.
        from .publish import describe_os_error

        # The option that chose the path being written: export and report write where --to and --out say.
        option = {"export": "--to", "report": "--out"}.get(args.command, "--warehouse")
        return fail(f"{args.command} failed: {describe_os_error(error, option)}", EXIT_FAILED)


def run() -> None:
    """The `hefei-warehouse` script: main(), then exit. The objects still alive are left to
    the operating system rather than collected one by one, which took over a second after a
    build (Great Expectations, pandas and dbt's manifest); files and connections are closed
    before this point, and exit handlers and output flushing still run."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
