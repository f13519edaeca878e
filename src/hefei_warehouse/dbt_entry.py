"""dbt's own command line, as the build starts it: `python -P -m hefei_warehouse.dbt_entry <args>`.

It calls the entry point the `dbt` script calls, with the same arguments, output and exit
codes. Two garbage-collector settings suit a process that lives for one command and builds a
large manifest (measured in docs/benchmarks.md, eighth round):

- the objects dbt's imports create are moved out of the collector's view once the imports are
  done; they live until the process ends anyway, and every full collection walked them again;
- at exit, the objects still alive are left to the operating system instead of being
  collected one by one, which took about a second after each build.

Users run the plain `dbt` script; both give the same results.
"""

from __future__ import annotations

import gc

from dbt.cli.main import cli


def main() -> None:
    gc.freeze()
    try:
        cli(prog_name="dbt")  # exits with dbt's code
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
