"""The restore drill (bench/restore_drill.py) on both databases: a demo installation backed
up, restored into a fresh database and directory, every page, result, recount and file
the same. PostgreSQL runs in the test's own cluster (pg_dump / pg_restore)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.faults.conftest import ROOT, binary


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_backup_then_restore_gives_the_same_site(database, tmp_path, request):
    command = [sys.executable, "bench/restore_drill.py", "--keep", str(tmp_path)]
    if database == "postgresql":
        binary("pg_dump")
        binary("pg_restore")
        cluster = request.getfixturevalue("postgres")
        command += ["--postgres", cluster.url()]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "everything is the same" in out.stdout
