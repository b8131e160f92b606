"""`python -m bench.run compare`: figures normalised by each run's own reference workload, so a slower
machine is not a regression and a slower code path on the same machine is."""

from __future__ import annotations

import json
import re

import pytest
from bench import compare, gate, record
from bench.run import main as bench_run


def run(reference_s: float, results: dict, suite: str = "gate", reference_cpu_s: float | None = None) -> dict:
    reference = {"seconds": reference_s, "cpu_seconds": reference_cpu_s or reference_s}
    return {"suite": suite, "machine": {"cpu_model": "test"}, "reference": reference, "results": results}


FIGURES = {
    "offline_coach": {"evaluations_per_s": 200.0, "cpu_ms_per_evaluation": 5.0},
    "health": {"wall_s": 0.6},
    "memory": {"rss_at_rest_mb": 80.0},
}


def test_a_machine_half_as_fast_is_not_a_regression():
    slower = {
        "offline_coach": {"evaluations_per_s": 100.0, "cpu_ms_per_evaluation": 10.0},
        "health": {"wall_s": 1.2},
        "memory": {"rss_at_rest_mb": 80.0},
    }
    changes = compare.compare(run(0.2, FIGURES), run(0.4, slower))
    assert {c.figure for c in changes} == {
        "offline_coach.evaluations_per_s",
        "offline_coach.cpu_ms_per_evaluation",
        "health.wall_s",
        "memory.rss_at_rest_mb",
    }
    assert all(abs(c.worse_by) < 1e-9 for c in changes)
    assert compare.regressions(changes, 25) == []


def test_cpu_figures_are_scaled_by_the_reference_cpu_time_and_wall_figures_by_its_wall_time():
    """Other work on the machine stretched the reference's wall time 1.5 times, not its CPU time."""
    loaded = {
        "offline_coach": {"evaluations_per_s": 133.3, "cpu_ms_per_evaluation": 6.5},  # CPU 30 % worse
        "health": {"wall_s": 0.9},
        "memory": {"rss_at_rest_mb": 80.0},
    }
    changes = {c.figure: c for c in compare.compare(run(0.2, FIGURES), run(0.3, loaded, reference_cpu_s=0.2))}
    assert changes["health.wall_s"].worse_by == pytest.approx(0)
    assert changes["offline_coach.evaluations_per_s"].worse_by == pytest.approx(0, abs=1e-3)
    assert changes["offline_coach.cpu_ms_per_evaluation"].worse_by == pytest.approx(0.3)


def test_on_the_same_machine_a_figure_worse_than_the_tolerance_is_a_regression_in_its_own_direction():
    worse = {
        "offline_coach": {"evaluations_per_s": 150.0, "cpu_ms_per_evaluation": 5.5},  # 33 % and 10 % worse
        "health": {"wall_s": 0.45},  # faster: lower is better
        "memory": {"rss_at_rest_mb": 80.0},
    }
    changes = {c.figure: c for c in compare.compare(run(0.2, FIGURES), run(0.2, worse))}
    assert changes["offline_coach.evaluations_per_s"].better == "higher"
    assert changes["offline_coach.evaluations_per_s"].worse_by == pytest.approx(1 / 3)
    assert changes["offline_coach.cpu_ms_per_evaluation"].worse_by == pytest.approx(0.1)
    assert changes["health.wall_s"].worse_by == pytest.approx(-0.25)
    assert [c.figure for c in compare.regressions(list(changes.values()), 25)] == ["offline_coach.evaluations_per_s"]


def test_memory_is_not_excused_by_a_slower_machine():
    grown = {**FIGURES, "memory": {"rss_at_rest_mb": 120.0}}
    changes = compare.compare(run(0.2, FIGURES), run(0.6, grown))
    assert [c.figure for c in compare.regressions(changes, 25)] == ["memory.rss_at_rest_mb"]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (("health", "requests_per_s"), "throughput"),
        (("offline_coach", "evaluations_per_cpu_s"), "cpu throughput"),
        (("throughput", "transactions_per_second_for_evaluations"), "throughput"),
        (("submit_offline", "p95_ms"), "time"),
        (("commands", "--help", "wall_s", "median"), "time"),
        (("commands", "health", "cpu_s", "max"), "cpu time"),
        (("coach", "wall_ms_per_evaluation"), "time"),
        (("rss_peak_under_load_mb",), "memory"),
        (("commands", "--help", "goal_s"), None),
        (("seconds",), None),
        (("load_average_before",), None),
        (("submit_offline", "requests"), None),
    ],
)
def test_the_unit_in_a_name_says_which_way_is_better(path, kind):
    assert compare.kind_of(path) == kind


def _write(path, content) -> str:
    path.write_text(json.dumps(content) if isinstance(content, dict) else content)
    return str(path)


def test_the_compare_command_exits_1_and_names_the_regression(tmp_path, capsys):
    old = _write(tmp_path / "old.json", run(0.2, FIGURES))
    new = _write(tmp_path / "new.json", run(0.2, {**FIGURES, "health": {"wall_s": 0.9}}))
    assert bench_run(["compare", old, new]) == 1
    out = capsys.readouterr().out
    assert re.search(r"health\.wall_s\s+lower\s+0\.6\s+0\.9\s+50\.0%\s+REGRESSION", out)
    assert "FAILED: 1 figure(s) worse than 25 %: health.wall_s" in out
    assert bench_run(["compare", old, new, "--tolerance", "60"]) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read a JSON result"),
        ({"suite": "gate", "results": {"help": {"wall_s": 1.0}}}, "no reference workload time"),
        ({"suite": "gate", "reference": {"seconds": 0.2}, "results": {}}, "no reference workload time"),
        ({"suite": "gate", "reference": {"seconds": 0.2}}, "no `results` object"),
        (run(0.2, FIGURES, suite="startup"), "different suites: 'gate' and 'startup'"),
        (run(0.2, {"other": {"wall_ms": 3}}), "the two runs have no figure in common"),
    ],
)
def test_a_file_compare_cannot_use_gets_a_clear_message(tmp_path, capsys, content, message):
    old = _write(tmp_path / "old.json", run(0.2, FIGURES))
    assert compare.main([old, _write(tmp_path / "new.json", content)]) == 2
    assert message in capsys.readouterr().err


def test_results_without_a_unit_are_said_to_have_nothing_to_compare():
    unitless = run(0.2, {"spearman_overall_vs_quality": 0.8, "memos": 40}, suite="corpus")
    with pytest.raises(compare.CompareError, match=r"no figure with a unit \(ms, s, per_s, mb \.\.\.\)"):
        compare.compare(unitless, unitless)


def test_a_result_file_describes_the_machine_and_the_reference_it_ran_beside(tmp_path):
    samples = [(0.25, 0.2), (0.2, 0.19), (0.3, 0.18)]
    path = record.save(record.result("gate", dict(FIGURES), samples), tmp_path / "r.json")
    saved = json.loads(path.read_text())
    machine = saved["machine"]
    assert {"cpu_model", "cores_logical", "memory_gb", "python", "os", "git_dirty", "at"} <= machine.keys()
    assert re.fullmatch(r"[0-9a-f]{40}", machine["git_commit"])
    assert machine["python"].startswith("CPython 3.")
    assert saved["reference"] == {"seconds": 0.2, "cpu_seconds": 0.18, "samples": [list(s) for s in samples]}


def test_the_committed_baseline_is_a_gate_run_with_every_gated_figure():
    baseline = compare.load(gate.BASELINE)
    assert baseline["suite"] == "gate"
    assert baseline["machine"]["cpu_model"] and baseline["machine"]["git_commit"]
    assert set(compare.figures(baseline["results"])) == {
        "help.cpu_s",
        "health.cpu_s",
        "offline_coach.evaluations_per_cpu_s",
    }
