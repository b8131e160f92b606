"""The history replay: the same evaluation as live, over the stored history, in the configuration dry run."""

from __future__ import annotations

from datetime import timedelta

from memo_coach.config_store.changes import preview
from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.evaluator import RuleEvaluator
from memo_coach.incidents.replay import replay
from memo_coach.observability.history.models import MetricSample
from tests.integration.incidents.conftest import T0, record, use_monitoring

RULE = """
  - {name: slow, summary: Slow, severity: P3, source: {kind: metric, series: latency_p95_s},
     threshold: 2, window_seconds: 60, for_seconds: 45}
"""
# Two slow spells: 3 minutes (fires) and 45 seconds (too short for `for` once the window is counted).
PATTERN = [0.5] * 20 + [3.0] * 12 + [0.5] * 20 + [3.0] * 3 + [0.5] * 25


def live_transitions(sessions, ticks: int) -> list[tuple[str, str]]:
    evaluator = RuleEvaluator(sessions, "replica-a")
    seen = []
    for i in range(ticks):
        now = T0 + timedelta(seconds=15 * i)
        transition = evaluator.tick(now)["slow"]
        if transition:
            seen.append((transition, now.isoformat()))
    return seen


def test_the_replay_fires_and_clears_exactly_when_the_live_evaluator_did(sessions):
    use_monitoring(sessions, RULE)
    record(sessions, "latency_p95_s", PATTERN)
    live = live_transitions(sessions, len(PATTERN))
    with session_scope(sessions) as session:
        (result,) = replay(
            session,
            read_active(session, MonitoringConfig),
            ["slow"],
            days=1,
            now=T0 + timedelta(seconds=15 * (len(PATTERN) - 1)),
        )
    replayed = [("fired", e["fired_at"]) for e in result["episodes"]] + [
        ("cleared", e["cleared_at"]) for e in result["episodes"] if e["cleared_at"]
    ]
    assert len(live) == 2 and sorted(replayed, key=lambda t: t[1]) == live


def test_the_dry_run_of_a_threshold_change_shows_when_it_would_have_fired(sessions):
    use_monitoring(sessions, RULE)
    # The dry run replays up to now: last week (5-minute tier, older than the raw day) and the last hour (raw).
    hour_ago = T0 - timedelta(hours=2)
    week_ago = hour_ago - timedelta(days=7)
    with session_scope(sessions) as session:
        session.add_all(
            MetricSample(
                ts=week_ago + timedelta(minutes=5 * i),
                resolution=300,
                replica="r1",
                name="latency_p95_s",
                labels="",
                value=1.5 if 3 <= i < 9 else 0.2,
            )
            for i in range(24)
        )
    record(sessions, "latency_p95_s", PATTERN, start=hour_ago)
    stricter = RULE.replace("threshold: 2,", "threshold: 1,")
    content = f"interval_seconds: 15\nchannels: []\nrules:\n{stricter}"
    with session_scope(sessions) as session:
        result = preview(session, "monitoring", content)
    assert result["valid"], result["problems"]
    dry = result["dry_run"]
    assert dry["changed_rules"] == ["slow"]
    before, after = dry["before"][0], dry["after"][0]
    # At threshold 2 only the long spell of the last hour fires; at 1 last week's 30-minute spell
    # and the short spell fire too.
    assert before["fired"] == 1 and after["fired"] == 3
    assert after["episodes"][0]["fired_at"].startswith(week_ago.date().isoformat())
