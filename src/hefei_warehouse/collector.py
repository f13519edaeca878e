"""How the build's own process uses Python's garbage collector.

The build's checks read every seed file into Python objects (about 1.4 million cells), then
Great Expectations, pandas and the exports add more; nearly all of them live until the step
that made them ends. With the collector's default settings a collection starts after every
700 new objects, and every so often one walks everything alive, imports included, again and
again. The more a process holds before the checks start, the more that costs: in a process
that had imported Great Expectations (a test worker, a notebook) the seed type check took
1.5 s of CPU with those settings and 0.6 s with the ones below; in a fresh build process,
0.64 to 0.72 s and 0.55 to 0.64 s (docs/benchmarks.md, seventeenth round). Collections still
run, less often; nothing is left uncollected for good.

The process's other collector settings stay where they act: Great Expectations is imported
with the collector paused and its objects frozen (validate._import_gx), and what is alive at
exit is left to the operating system (cli.run). dbt's child process has its own (dbt_entry).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# New objects between two collections of the youngest generation (Python's default is 700).
_YOUNG_THRESHOLD = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """While the block runs: what is alive at its start (the imported modules, mostly) is kept
    out of the collector's walks, and collections start less often. Both are undone at the
    end, so a caller in a longer-lived process (a test, a notebook) keeps its own settings;
    that also unfreezes what Great Expectations' import froze inside the block (validate.py),
    unless the caller had frozen objects of its own."""
    before = gc.get_threshold()
    # Python can only unfreeze everything: objects the caller froze before stay frozen.
    caller_froze = gc.get_freeze_count() > 0
    gc.freeze()
    gc.set_threshold(_YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if not caller_froze:
            gc.unfreeze()
