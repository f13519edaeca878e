"""The `hefei-warehouse` command: build, ingest, rollback, info.

Exit codes scripts can rely on: 0 success, 1 a build or check failed (nothing was
published), 2 bad input or bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build_warehouse

    published = Path(args.warehouse).resolve() if args.warehouse else paths.published_path()
    result = build_warehouse(published, quiet=args.quiet)
    print(f"\nPublished {result.published} (build {result.build_id}, {result.seconds:.1f} s)")
    width = max((len(name) for name in result.tables), default=10)
    for name, rows in result.tables.items():
        print(f"  {name:<{width}}  {rows:>9,} rows")
    print(f"\nOpen it read-only: duckdb {result.published} -readonly")
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest.pipeline import run

    raw = Path(args.raw).resolve() if args.raw else paths.default_raw_dir()
    seeds = Path(args.seeds).resolve() if args.seeds else paths.seeds_dir()
    written = run(raw, seeds)
    print(f"Wrote {len(written)} seed files to {seeds} from {raw}")
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    from .publish import rollback

    published = Path(args.warehouse).resolve() if args.warehouse else paths.published_path()
    rollback(published)
    print(f"Rolled back: {published} is now the previous build (run again to roll forward)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hefei-warehouse",
        description="Build and publish the Hefei-model comparison warehouse (DuckDB).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build from the committed seeds, test, and publish")
    build.add_argument("--warehouse", help="published DuckDB file (default: $HEFEI_WAREHOUSE_PATH or warehouse/hefei.duckdb)")
    build.add_argument("--quiet", action="store_true", help="hide dbt's progress (kept in the build folder on failure)")
    build.set_defaults(run=_cmd_build)

    ingest = commands.add_parser("ingest", help="re-create the seed files from the raw public data")
    ingest.add_argument("--raw", help="raw data folder (default: ../shared/data/raw)")
    ingest.add_argument("--seeds", help="where to write the seed CSVs (default: seeds/)")
    ingest.set_defaults(run=_cmd_ingest)

    rollback = commands.add_parser("rollback", help="put the previously published build back")
    rollback.add_argument("--warehouse", help="published DuckDB file")
    rollback.set_defaults(run=_cmd_rollback)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .build import BuildFailed
    from .ingest.errors import IngestError
    from .publish import PublishError

    try:
        return args.run(args)
    except IngestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (BuildFailed, PublishError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
