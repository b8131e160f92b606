"""Disk and network byte counters of this process and of its host, for /metrics and the metric history.

Prometheus gets the running totals (it takes rates itself); the history gets bytes per second between
two samples. Linux counts a process's storage bytes (`read_bytes`, `write_bytes`); a process has no
network counter of its own, so its `read_chars`/`write_chars` (every read and write call, sockets and
pipes included) stand in for its traffic. A counter the platform does not offer (a container without
/proc/diskstats) is left out rather than reported as zero.
"""

from __future__ import annotations

from datetime import datetime

import psutil
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from memo_coach.observability.metrics_registry import PREFIX, REGISTRY

# history series name -> (Prometheus counter name, help)
COUNTERS = {
    "process_disk_read_bytes_per_s": ("process_disk_read_bytes", "Bytes this process read from storage."),
    "process_disk_write_bytes_per_s": ("process_disk_write_bytes", "Bytes this process wrote to storage."),
    "process_io_read_bytes_per_s": (
        "process_io_read_chars",
        "Bytes this process read through system calls (files, sockets, pipes).",
    ),
    "process_io_write_bytes_per_s": (
        "process_io_write_chars",
        "Bytes this process wrote through system calls (files, sockets, pipes).",
    ),
    "host_disk_read_bytes_per_s": ("host_disk_read_bytes", "Bytes the host's disks read."),
    "host_disk_write_bytes_per_s": ("host_disk_write_bytes", "Bytes the host's disks wrote."),
    "host_network_received_bytes_per_s": ("host_network_received_bytes", "Bytes the host's interfaces received."),
    "host_network_sent_bytes_per_s": ("host_network_sent_bytes", "Bytes the host's interfaces sent."),
}

_process = psutil.Process()


def read_counters() -> dict[str, float]:
    """Running byte totals now, keyed by their history series name."""
    totals: dict[str, float] = {}
    try:
        own = _process.io_counters()
    except (psutil.Error, AttributeError, NotImplementedError):  # not offered on every platform
        own = None
    if own is not None:
        totals["process_disk_read_bytes_per_s"] = float(own.read_bytes)
        totals["process_disk_write_bytes_per_s"] = float(own.write_bytes)
        if hasattr(own, "read_chars"):
            totals["process_io_read_bytes_per_s"] = float(own.read_chars)
            totals["process_io_write_bytes_per_s"] = float(own.write_chars)
    disks = psutil.disk_io_counters()
    if disks is not None:
        totals["host_disk_read_bytes_per_s"] = float(disks.read_bytes)
        totals["host_disk_write_bytes_per_s"] = float(disks.write_bytes)
    network = psutil.net_io_counters()
    if network is not None:
        totals["host_network_received_bytes_per_s"] = float(network.bytes_recv)
        totals["host_network_sent_bytes_per_s"] = float(network.bytes_sent)
    return totals


class IoCollector(Collector):
    """The totals as counters, read at scrape time like the process collector's."""

    def describe(self):
        return []

    def collect(self):
        for series, total in read_counters().items():
            name, doc = COUNTERS[series]
            yield CounterMetricFamily(PREFIX + name, doc, value=total)


class IoRates:
    """Bytes per second since the previous reading; the first reading only sets the baseline."""

    def __init__(self) -> None:
        self._previous: tuple[datetime, dict[str, float]] | None = None

    def read(self, now: datetime) -> dict[str, float]:
        totals = read_counters()
        rates: dict[str, float] = {}
        if self._previous is not None:
            before, earlier = self._previous
            seconds = (now - before).total_seconds()
            if seconds > 0:
                # A counter that went down wrapped or its device went away: no rate for that interval.
                rates = {
                    name: (total - earlier[name]) / seconds
                    for name, total in totals.items()
                    if name in earlier and total >= earlier[name]
                }
        self._previous = (now, totals)
        return rates


REGISTRY.register(IoCollector())
