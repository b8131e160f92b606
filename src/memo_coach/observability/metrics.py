"""Every Prometheus metric of the service, on the shared REGISTRY, plus short windows of raw durations.

Counters and histograms are what /metrics exposes; the windows hold the latest raw durations so the
history sampler can store exact percentiles every tick instead of estimating them from buckets.
"""

from __future__ import annotations

import shutil
from collections import deque
from contextvars import ContextVar
from pathlib import Path

import psutil
from prometheus_client import Counter, Gauge, Histogram, ProcessCollector
from sqlalchemy import Engine, text

from memo_coach.component_status import SEVERITY
from memo_coach.observability.metrics_registry import PREFIX, REGISTRY

UNMATCHED_ROUTE = "unmatched"
EVALUATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120)
PAGE_LOAD_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 4, 8, 16)

HTTP_REQUESTS = Counter(
    PREFIX + "http_requests_total", "HTTP requests answered.", ["method", "route", "status"], registry=REGISTRY
)
HTTP_DURATION = Histogram(
    PREFIX + "http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
PLANNED_UNAVAILABLE = Counter(
    PREFIX + "http_planned_unavailable_total",
    "503 answers given because a planned maintenance window holds writes off; not server errors.",
    ["method", "route"],
    registry=REGISTRY,
)
HTTP_ERRORS = Counter(
    PREFIX + "http_errors_total", "HTTP answers with status 400 or more, by error type.", ["type"], registry=REGISTRY
)
EVALUATIONS = Counter(PREFIX + "evaluations_total", "Evaluations finished.", ["provider", "outcome"], registry=REGISTRY)
EVALUATION_DURATION = Histogram(
    PREFIX + "evaluation_duration_seconds",
    "Time to evaluate one memo.",
    ["provider", "outcome"],
    buckets=EVALUATION_BUCKETS,
    registry=REGISTRY,
)
LLM_CALLS = Counter(
    PREFIX + "llm_calls_total", "Calls to the LLM provider.", ["provider", "outcome"], registry=REGISTRY
)
LLM_DURATION = Histogram(
    PREFIX + "llm_call_duration_seconds",
    "Time of one logical LLM call, retries included.",
    ["provider"],
    buckets=EVALUATION_BUCKETS,
    registry=REGISTRY,
)
LLM_UP = Gauge(
    PREFIX + "llm_up", "1 when the last LLM call or probe succeeded, else 0.", ["provider"], registry=REGISTRY
)
HEALTH_STATUS = Gauge(
    PREFIX + "health_check_status",
    "Last health check result per component: 0 healthy, 1 degraded, 2 unhealthy.",
    ["component"],
    registry=REGISTRY,
)
HEALTH_DURATION = Gauge(
    PREFIX + "health_check_duration_seconds", "Duration of the last health check.", ["component"], registry=REGISTRY
)
RATINGS = Counter(
    PREFIX + "evaluation_ratings_total", "Writers' ratings of evaluations.", ["helpful"], registry=REGISTRY
)
PAGE_LOAD = Histogram(
    PREFIX + "page_load_seconds",
    "Page load time reported by browsers.",
    ["page"],
    buckets=PAGE_LOAD_BUCKETS,
    registry=REGISTRY,
)
HOST_CPU = Gauge(PREFIX + "host_cpu_usage_ratio", "Host CPU use since the last reading (0-1).", registry=REGISTRY)
HOST_MEMORY = Gauge(PREFIX + "host_memory_usage_ratio", "Host memory in use (0-1).", registry=REGISTRY)
PROCESS_CPU = Gauge(
    PREFIX + "process_cpu_usage_ratio", "This process's CPU use since the last reading.", registry=REGISTRY
)
DISK_FREE = Gauge(PREFIX + "disk_free_bytes", "Free space on the data directory's disk.", registry=REGISTRY)
DISK_TOTAL = Gauge(PREFIX + "disk_total_bytes", "Size of the data directory's disk.", registry=REGISTRY)
DATABASE_SIZE = Gauge(
    PREFIX + "database_size_bytes", "Size of the database (SQLite: file plus WAL).", registry=REGISTRY
)
# CPU seconds, resident memory and open files of this process (memo_coach_process_*).
ProcessCollector(namespace=PREFIX.rstrip("_"), registry=REGISTRY)

_process = psutil.Process()


class Window:
    """The newest raw values (bounded), drained by the sampler each tick."""

    def __init__(self, size: int = 50_000) -> None:
        self._values: deque[float] = deque(maxlen=size)

    def add(self, value: float) -> None:
        self._values.append(value)

    def drain(self) -> list[float]:
        values = list(self._values)
        self._values.clear()
        return values


WINDOWS = {"http": Window(), "evaluation": Window(), "llm": Window(), "page_load": Window()}


PLANNED_ERROR_TYPE = "maintenance_503"


class RequestOutcome:
    """What the instrumentation cannot tell from a status code alone, noted while the request runs."""

    __slots__ = ("planned",)

    def __init__(self) -> None:
        self.planned = False


# Set by the instrumentation middleware per request; worker threads and tasks see the same object.
REQUEST_OUTCOME: ContextVar[RequestOutcome | None] = ContextVar("memo_coach_request_outcome", default=None)


def note_planned_unavailable() -> None:
    """The request being answered is refused by a planned maintenance window: its 503 is counted apart
    (labelled maintenance_503) and stays out of the 5xx error rate and the availability SLO."""
    outcome = REQUEST_OUTCOME.get()
    if outcome is not None:
        outcome.planned = True


def error_type(status: int, exception: str | None, planned: bool = False) -> str | None:
    """The bounded label for an error: the exception class when one escaped, else the status code."""
    if exception:
        return exception
    if planned:
        return PLANNED_ERROR_TYPE
    return f"http_{status}" if status >= 400 else None


_request_children: dict[tuple[str, str, int], tuple] = {}


def _children(method: str, route: str, status: int) -> tuple:
    """The labelled counter and histogram for one (method, route, status), looked up once: `.labels()`
    costs microseconds on every request otherwise (labels are bounded, so the cache is too)."""
    key = (method, route, status)
    found = _request_children.get(key)
    if found is None:
        code = str(status)
        found = _request_children[key] = (
            HTTP_REQUESTS.labels(method, route, code),
            HTTP_DURATION.labels(method, route, code),
        )
    return found


def observe_request(
    method: str, route: str, status: int, seconds: float, exception: str | None, planned: bool = False
) -> None:
    """`planned`: a 503 of a maintenance window, counted in PLANNED_UNAVAILABLE too."""
    counter, histogram = _children(method, route, status)
    counter.inc()
    histogram.observe(seconds)
    WINDOWS["http"].add(seconds)
    planned = planned and status == 503 and not exception
    if planned:
        PLANNED_UNAVAILABLE.labels(method, route).inc()
    if status >= 400 or exception:
        HTTP_ERRORS.labels(error_type(status, exception, planned)).inc()


def observe_evaluation(provider: str, outcome: str, seconds: float) -> None:
    """Hook for Coach: outcome is completed, degraded or failed."""
    EVALUATIONS.labels(provider, outcome).inc()
    EVALUATION_DURATION.labels(provider, outcome).observe(seconds)
    WINDOWS["evaluation"].add(seconds)


def llm_call_observer(provider: str):
    """The on_call hook the LLM client reports each logical call to."""

    def on_call(outcome: str, seconds: float) -> None:
        LLM_CALLS.labels(provider, outcome).inc()
        LLM_DURATION.labels(provider).observe(seconds)
        LLM_UP.labels(provider).set(1 if outcome == "ok" else 0)
        WINDOWS["llm"].add(seconds)

    return on_call


def observe_health(component: str, status: str, latency_ms: float) -> None:
    HEALTH_STATUS.labels(component).set(SEVERITY[status])
    HEALTH_DURATION.labels(component).set(latency_ms / 1000)


def database_size(engine: Engine) -> tuple[int, int]:
    """(bytes, WAL bytes); the WAL is SQLite's and 0 elsewhere."""
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        wal = Path(f"{path}-wal")
        main = path.stat().st_size if path.exists() else 0
        return main, wal.stat().st_size if wal.exists() else 0
    with engine.connect() as conn:
        return int(conn.scalar(text("SELECT pg_database_size(current_database())")) or 0), 0


def disk_used_share(usage) -> float:
    """The share of the disk this service can no longer write to: blocks reserved for root count as
    used, as they do for the service. The disk check's card, the disk chart and the disk alerts all
    read this one number (shutil's `used` alone leaves the reserve out and reads lower)."""
    return 1 - usage.free / usage.total if usage.total else 1.0


def read_resources(data_dir: Path, engine: Engine) -> dict[str, float]:
    """Reads process, host, disk and database sizes now and sets their gauges; the sampler stores the same."""
    data_dir.mkdir(parents=True, exist_ok=True)
    disk = shutil.disk_usage(data_dir)
    db_bytes, wal_bytes = database_size(engine)
    values = {
        "process_cpu_ratio": _process.cpu_percent(None) / 100,
        "process_memory_bytes": float(_process.memory_info().rss),
        "host_cpu_ratio": psutil.cpu_percent(None) / 100,
        "host_memory_ratio": psutil.virtual_memory().percent / 100,
        "disk_free_bytes": float(disk.free),
        "disk_used_ratio": disk_used_share(disk),
        "database_bytes": float(db_bytes + wal_bytes),
    }
    PROCESS_CPU.set(values["process_cpu_ratio"])
    HOST_CPU.set(values["host_cpu_ratio"])
    HOST_MEMORY.set(values["host_memory_ratio"])
    DISK_FREE.set(disk.free)
    DISK_TOTAL.set(disk.total)
    DATABASE_SIZE.set(values["database_bytes"])
    return values
