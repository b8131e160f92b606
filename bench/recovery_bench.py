"""Crash recovery without a restart: evaluations in flight on a server killed with SIGKILL, and the
time until another running server has claimed and completed all of them.

    python -m bench.recovery_bench

The scenario is the kill drill's (tests/drills/test_kill_during_evaluations.py), timed. Results:
bench/results/recovery.json.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from tests.drills.servers import Site
from tests.drills.test_kill_during_evaluations import kill_drill
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import CONFIG_DIR

RESULTS = Path(__file__).parent / "results"


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp, FakeLLM(rubric_path=CONFIG_DIR / "rubric.yaml") as fake:
        site = Site(Path(tmp))
        try:
            return {**kill_drill(site, fake), "load_average": os.getloadavg()}
        finally:
            site.stop_all()


def main() -> None:
    result = run()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "recovery.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
