"""requirements.lock against an OSV database on disk: what an offline host can still check."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from memo_coach.security.osv_database import match_lock, pinned_packages

SAMPLE = Path(__file__).with_name("osv-sample.json")
REPO = Path(__file__).resolve().parents[3]
LOCK = """\
jinja2==3.1.6 \\
    --hash=sha256:85ece4451f492d0c13c5dd7c13a64681a86afae63a5f347908daf103ce6d2f67
    # via memo-coach
pyyaml==6.0.4 \\
    --hash=sha256:00
requests==2.34.2 \\
    --hash=sha256:00
typer==0.29.2 \\
    --hash=sha256:00
uvicorn[standard]==0.54.0 \\
    --hash=sha256:00
"""


def found(database: Path) -> set[tuple[str, str]]:
    return {(f["name"], f["id"]) for f in match_lock(LOCK, database).findings}


EXPECTED = {("jinja2", "PYSEC-2099-1"), ("pyyaml", "PYSEC-2099-3"), ("typer", "PYSEC-2099-4")}


def test_a_locked_version_inside_a_range_listed_or_at_last_affected_is_found():
    # requests 2.34.2 is past the fix, the uvicorn record is withdrawn, the Debian one is another ecosystem
    assert found(SAMPLE) == EXPECTED
    matches = match_lock(LOCK, SAMPLE)
    assert matches.records == 6 and matches.newest_modified == "2026-11-30T08:00:00Z"
    jinja = next(f for f in matches.findings if f["name"] == "jinja2")
    assert jinja == {"name": "jinja2", "version": "3.1.6", "id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001"]}


@pytest.mark.parametrize("layout", ["directory", "zip"])
def test_a_directory_or_osv_s_zip_export_reads_the_same(tmp_path, layout):
    records = json.loads(SAMPLE.read_text())
    if layout == "directory":
        database = tmp_path / "osv"
        (database / "PyPI").mkdir(parents=True)
        for record in records:
            (database / "PyPI" / f"{record['id']}.json").write_text(json.dumps(record))
        (database / "PyPI" / "broken.json").write_text("{not json")
    else:
        database = tmp_path / "all.zip"
        with zipfile.ZipFile(database, "w") as archive:
            for record in records:
                archive.writestr(f"{record['id']}.json", json.dumps(record))
    assert found(database) == EXPECTED
    if layout == "directory":
        assert match_lock(LOCK, database).unreadable == [str(database / "PyPI" / "broken.json")]


def test_the_real_lock_file_is_read_name_by_name():
    pinned = pinned_packages((REPO / "requirements.lock").read_text())
    assert pinned["fastapi"] and pinned["uvicorn"] and pinned["pyyaml"]
    assert all(" " not in v and "\\" not in v for v in pinned.values())
