"""The whole ingest on the real raw data: deterministic, equal to the committed seeds,
and all-or-nothing when one raw file is malformed."""

from __future__ import annotations

import csv
import hashlib
import shutil

import pytest

from conftest import REPO
from hefei_warehouse.ingest.errors import IngestError
from hefei_warehouse.ingest.pipeline import run

# Seeds written by hand, not by the ingest.
HAND_WRITTEN = {"index_indicator_catalogue.csv", "screening_thresholds.csv", "documented_breaks.csv"}


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def ingested(raw_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    run(raw_dir, out)
    return out


def test_ingest_reproduces_the_committed_seeds_byte_for_byte(ingested):
    committed = {k: v for k, v in digests(REPO / "seeds").items() if k not in HAND_WRITTEN}
    assert digests(ingested) == committed


def test_ingest_writes_the_committed_seed_manifest(ingested):
    """The manifest the build checks the seeds against (issue case 5) is the ingest's own."""
    from hefei_warehouse import seed_manifest

    written = seed_manifest.read(ingested)
    assert written == seed_manifest.read(REPO / "seeds")
    assert set(written) == set(digests(ingested))
    assert written["city_year_values.csv"]["rows"] > 100_000


def test_ingest_twice_gives_identical_files(raw_dir, ingested, tmp_path):
    run(raw_dir, tmp_path)
    assert digests(tmp_path) == digests(ingested)


def test_malformed_raw_file_stops_ingest_and_writes_nothing(raw_dir, tmp_path):
    raw_copy = tmp_path / "raw"
    shutil.copytree(raw_dir, raw_copy)
    broken = raw_copy / "curated_facts" / "state_investments.csv"
    with open(broken, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    amount = rows[0].index("amount")
    rows[3][amount] = "about five"
    with open(broken, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)

    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    before = digests(seeds)
    with pytest.raises(IngestError) as error:
        run(raw_copy, seeds)
    message = str(error.value)
    assert "state_investments.csv" in message
    assert "row 4" in message and "amount" in message
    assert digests(seeds) == before
    assert not any(p.name.startswith(".ingest-") for p in seeds.iterdir())
