"""The regression the bench gate catches: the offline coach made twice as slow inside the measured
workload, in its own process (nothing leaks into this one), fails the gate; an unmodified run passes.
Only the in-process part of the gate runs, three rounds: a few seconds per run."""

from __future__ import annotations

import subprocess
import sys

from tests.support.helpers import REPO

# The slowdown is a patched function inside the measured workload, as a code change would make it.
RUN_GATE = """
import sys
from bench import gate
from memo_coach.coaching.offline.analyzer import OfflineEvaluator

if sys.argv[1] == "slowed":
    evaluate = OfflineEvaluator.evaluate

    def evaluate_twice(self, memo, rubric, prompts=None):
        evaluate(self, memo, rubric, prompts)
        return evaluate(self, memo, rubric, prompts)

    OfflineEvaluator.evaluate = evaluate_twice
sys.exit(gate.main(sys.argv[2:]))
"""


def gate(variant: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", RUN_GATE, variant, "--only", "offline_coach", "--rounds", "3", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_gate_fails_on_a_slowed_coach_and_passes_an_unmodified_one(tmp_path):
    baseline = str(tmp_path / "baseline.json")
    made = gate("unmodified", "--write-baseline", "--baseline", baseline)
    assert made.returncode == 0, made.stderr

    unmodified = gate("unmodified", "--baseline", baseline, "--out", str(tmp_path / "unmodified.json"))
    assert unmodified.returncode == 0, unmodified.stdout + unmodified.stderr
    assert "REGRESSION" not in unmodified.stdout

    slowed = gate("slowed", "--baseline", baseline, "--out", str(tmp_path / "slowed.json"))
    assert slowed.returncode == 1, slowed.stdout + slowed.stderr
    assert (
        slowed.stdout.split("FAILED: ")[1].strip() == "1 figure(s) worse than 25 %: offline_coach.evaluations_per_cpu_s"
    )
