"""The repository's raw snapshots: every byte as recorded, every file described, and the
source registry generated from their metadata."""

from __future__ import annotations

import gzip
import shutil
import subprocess

import pandas as pd
import pytest
import yaml

from conftest import REPO, hefei_warehouse_command
from hefei_warehouse import snapshots
from hefei_warehouse.ingest import readers
from hefei_warehouse.ingest.errors import IngestError

SNAPSHOTS = REPO / "snapshots"


def test_every_snapshot_file_matches_its_recorded_sha256():
    assert snapshots.verify(SNAPSHOTS) == []
    documents = snapshots.load(SNAPSHOTS)
    # 17 raw folders, 43 files, as taken; a new source adds to these numbers on purpose.
    assert len(documents) >= 17
    assert sum(len(d["files"]) for d in documents) >= 43


def test_snapshots_stay_modest_in_size():
    total = sum(p.stat().st_size for p in SNAPSHOTS.rglob("*") if p.is_file())
    assert total < 15 * 1024 * 1024, f"snapshots/ holds {total / 1e6:.1f} MB"


def test_every_snapshot_describes_itself_and_its_sources():
    for document in snapshots.load(SNAPSHOTS):
        name = document["folder"]
        for key in ("about", "units", "coverage"):
            assert str(document.get(key) or "").strip(), f"{name}: {key} is empty"
        assert isinstance(document.get("quirks"), list), f"{name}: quirks must be a list"
        for entry in document.get("sources") or []:
            for key in ("source_id", "producer", "original_source", "licence", "caveats"):
                assert str(entry[key] or "").strip(), f"{name}: {entry['source_id']} has no {key}"
            assert entry["url"] or entry["repository"] or entry["path"], f"{entry['source_id']}: no origin"


def test_sources_seed_is_generated_from_the_snapshot_metadata():
    committed = pd.read_csv(REPO / "seeds" / "sources.csv", dtype=str, keep_default_na=False)
    assert committed.equals(snapshots.sources_frame(SNAPSHOTS))
    gdp = committed.set_index("source_id").loc["csmar_cre_gdpct"]
    assert gdp.repository == "eileenCHEN-9/PhD_2022_2025"
    assert gdp.commit == "ff66ee64ac22f68e47e2289dbeb95cddcecae122"


def _copy(tmp_path):
    root = tmp_path / "snapshots"
    shutil.copytree(SNAPSHOTS, root)
    return root


def test_one_changed_byte_is_caught(tmp_path):
    root = _copy(tmp_path)
    target = root / "curated_facts" / "state_investments.csv"
    data = bytearray(target.read_bytes())
    data[200] ^= 0x01
    target.write_bytes(bytes(data))
    problems = snapshots.verify(root)
    assert len(problems) == 1 and "state_investments.csv" in problems[0] and "expected" in problems[0]


def test_a_changed_byte_inside_a_compressed_copy_is_caught(tmp_path):
    root = _copy(tmp_path)
    target = root / "csmar_cre_city_eileenchen" / "CRE_Gdpct.csv.gz"
    text = gzip.decompress(target.read_bytes()).replace(b"4164.32", b"4164.33", 1)
    target.write_bytes(gzip.compress(text, mtime=0))
    problems = snapshots.verify(root)
    assert len(problems) == 1 and "CRE_Gdpct.csv.gz" in problems[0]


def test_missing_and_unlisted_files_are_caught(tmp_path):
    root = _copy(tmp_path)
    (root / "wdi_datahub_core" / "FP.CPI.TOTL.ZG.csv.gz").unlink()
    (root / "wdi_datahub_core" / "stray.csv").write_text("a,b\n", encoding="utf-8")
    problems = snapshots.verify(root)
    assert any("FP.CPI.TOTL.ZG.csv.gz: missing" in p for p in problems)
    assert any("stray.csv: not listed" in p for p in problems)


def test_ingest_command_refuses_a_damaged_snapshot_and_writes_nothing(tmp_path):
    root = _copy(tmp_path)
    target = root / "curated_facts" / "guidance_funds.csv"
    target.write_bytes(target.read_bytes().replace(b"Hefei", b"Hefey", 1))
    seeds = tmp_path / "seeds"
    result = subprocess.run([*hefei_warehouse_command(), "ingest", "--raw", str(root), "--seeds", str(seeds)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2, result.stderr
    assert "guidance_funds.csv" in result.stderr and "snapshot check failed" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not seeds.exists()


def test_readers_open_the_compressed_copy_under_the_original_name():
    frame = readers.read_csv(SNAPSHOTS / "csmar_cre_city_eileenchen" / "CRE_Gdpct.csv", ["Sgnyea"])
    assert len(frame) > 8000
    with pytest.raises(IngestError, match="file not found"):
        readers.read_csv(SNAPSHOTS / "csmar_cre_city_eileenchen" / "absent.csv")


def test_a_truncated_gzip_copy_gives_a_clear_error(tmp_path):
    root = _copy(tmp_path)
    target = root / "ceic_prefecture_wiebe" / "ceic_prefecture_1991_2019.csv.gz"
    target.write_bytes(target.read_bytes()[:5000])
    with pytest.raises(IngestError, match="damaged gzip"):
        readers.read_bytes(root / "ceic_prefecture_wiebe" / "ceic_prefecture_1991_2019.csv")


def test_take_copies_a_raw_file_and_records_it(tmp_path):
    root = _copy(tmp_path)
    raw = tmp_path / "raw" / "curated_facts"
    raw.mkdir(parents=True)
    big = "year,value\n" + "".join(f"{2000 + i % 24},{i}\n" for i in range(20000))
    (raw / "big_series.csv").write_text(big, encoding="utf-8")
    result = subprocess.run([*hefei_warehouse_command(), "snapshot", "take", "curated_facts", "big_series.csv",
                             "--raw", str(tmp_path / "raw"), "--snapshots", str(root)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert (root / "curated_facts" / "big_series.csv.gz").is_file()
    assert not (root / "curated_facts" / "big_series.csv").exists()
    assert snapshots.verify(root) == []
    document = yaml.safe_load((root / "curated_facts" / "snapshot.yml").read_text(encoding="utf-8"))
    entry = next(e for e in document["files"] if e["path"] == "big_series.csv")
    assert entry["bytes"] == len(big.encode()) and entry["stored_as"] == "big_series.csv.gz"
    # The hand-written description survives the rewrite.
    assert document["about"].startswith("Facts compiled by hand")
    assert readers.read_text(root / "curated_facts" / "big_series.csv") == big


@pytest.mark.parametrize("folder, name", [("curated_facts", "../top.csv"), ("curated_facts", "/tmp/top.csv"),
                                          ("curated_facts/../x", "top.csv"), ("..", "top.csv"),
                                          ("curated_facts", "sub/../../top.csv")])
def test_take_refuses_paths_that_leave_the_snapshot_folder(tmp_path, folder, name):
    root = _copy(tmp_path)
    (tmp_path / "raw" / "curated_facts").mkdir(parents=True)
    (tmp_path / "raw" / "top.csv").write_text("a\n1\n", encoding="utf-8")
    recorded = (root / "curated_facts" / "snapshot.yml").read_bytes()
    before = sorted(p for p in tmp_path.rglob("*"))
    result = subprocess.run([*hefei_warehouse_command(), "snapshot", "take", folder, name,
                             "--raw", str(tmp_path / "raw"), "--snapshots", str(root)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "not a name inside the snapshot folder" in result.stderr
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert (root / "curated_facts" / "snapshot.yml").read_bytes() == recorded
