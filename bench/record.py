"""One result file of `make bench`: a suite's figures, the machine's description and the time of the
reference workload measured in the same session (what `bench.compare` divides out)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import machine, reference

RESULTS = Path(__file__).resolve().parent / "results"
SAMPLES_EACH_SIDE = 3


def result(suite: str, results: dict, reference_samples: list[tuple[float, float]]) -> dict:
    return {
        "suite": suite,
        "machine": machine.describe(),
        "reference": reference.summary(reference_samples),
        "results": results,
    }


def around(suite: str, measure: Callable[[], dict]) -> dict:
    """A suite that runs for minutes: the reference before and after it, since the machine's other
    load may change meanwhile."""
    samples = [reference.sample() for _ in range(SAMPLES_EACH_SIDE)]
    results = measure()
    samples += [reference.sample() for _ in range(SAMPLES_EACH_SIDE)]
    return result(suite, results, samples)


def save(run: dict, path: Path | None = None) -> Path:
    path = path or RESULTS / f"{run['suite']}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    return path
