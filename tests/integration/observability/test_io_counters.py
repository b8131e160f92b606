"""Disk and network counters of the process and the host: in /metrics, in the history, on the console."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.io_counters import COUNTERS

HOST = ("host_network_received_bytes", "host_network_sent_bytes", "host_disk_read_bytes", "host_disk_write_bytes")


def test_the_counters_are_exported_and_sampled_as_rates(app, client, admin_headers, tmp_path):
    families = {f.name: f for f in text_string_to_metric_families(client.get("/metrics", headers=admin_headers).text)}
    for name in ("process_disk_write_bytes", "process_io_read_chars", *HOST):
        family = families[f"memo_coach_{name}"]
        assert family.type == "counter" and family.samples[0].value >= 0
    assert families["memo_coach_process_io_read_chars"].samples[0].value > 0  # this process has read something

    sampler = app.state.runtime.sampler
    start = utcnow()
    sampler.tick(start)
    (tmp_path / "written").write_bytes(b"x" * 1_000_000)  # real I/O between the two samples
    sampler.tick(start + timedelta(seconds=15))
    with session_scope(app.state.runtime.sessions) as session:
        stored = {
            name: value
            for name, value in session.execute(
                select(MetricSample.name, MetricSample.value).where(MetricSample.name.in_(COUNTERS))
            )
        }
    assert {"host_network_received_bytes_per_s", "host_disk_write_bytes_per_s"} <= set(stored)
    assert stored["process_io_write_bytes_per_s"] > 0  # the megabyte written, spread over 15 s
    assert all(value >= 0 for value in stored.values())

    page = client.get("/ops?window=1h", headers=admin_headers).text
    assert "Disk and network" in page and "host network received" in page
