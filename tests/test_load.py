"""A short run of benchmarks/load.py: mixed reads with a concurrent ingest against a real server on loopback.

No timing is asserted (machines differ); what must hold anywhere is no failed request, and every payment
the writer sent stored once and every upload audited.
"""
from __future__ import annotations

from benchmarks.load import run_load


def test_reads_during_ingest_fail_nothing_and_lose_no_write(tmp_path):
    result = run_load(tmp_path / "data", seconds=6, readers=3, max_requests=3000)
    assert result["errors"] == 0, result["error_samples"]
    writes = result["writes"]
    assert result["requests"] > writes["files"] > 0  # reads and writes really overlapped
    assert writes["payments_stored"] == writes["payments_sent"] and writes["lost"] == 0
    assert writes["audited_files"] == writes["files"]
