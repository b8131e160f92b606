"""The LLM component over real HTTP to the fake server: reachable, breaker open, unreachable."""

from memo_coach.coaching.health import ProbeMemo
from tests.support.helpers import use_fake_llm


def use_fake(app, base_url, threshold=5):
    use_fake_llm(app, base_url, timeout=1, failure_threshold=threshold)


def llm_component(client, headers) -> dict:
    return client.get("/health/llm", headers=headers).json()["components"][0]


def test_a_reachable_llm_is_healthy_and_probed_at_most_once_a_minute(app, client, admin_headers, fake):
    use_fake(app, fake.openai_base_url)
    first = llm_component(client, admin_headers)
    assert first["status"] == "healthy" and first["details"]["provider"] == "openai"
    assert first["details"]["probe_error"] is None


def test_probes_are_rationed_to_one_a_minute_per_target():
    from datetime import UTC, datetime, timedelta

    calls = []
    memo, t0 = ProbeMemo(), datetime(2026, 1, 1, tzinfo=UTC)
    for seconds in (0, 10, 59):
        memo.probe("target", t0 + timedelta(seconds=seconds), lambda: calls.append(1))
    assert len(calls) == 1
    memo.probe("target", t0 + timedelta(seconds=61), lambda: calls.append(1))
    assert len(calls) == 2


def test_an_unreachable_llm_is_degraded_never_unhealthy(app, client, admin_headers):
    use_fake(app, "http://127.0.0.1:9/v1")  # discard port: nothing listens
    component = llm_component(client, admin_headers)
    assert component["status"] == "degraded" and "probe failed" in component["reason"]
    assert client.get("/health/ready").status_code == 200  # the offline analyzer still answers


def test_an_open_breaker_is_reported(app, client, admin_headers, writer_headers, fake):
    use_fake(app, fake.openai_base_url, threshold=1)
    fake.default = "status:500"
    memo = "We should move to one vendor. It saves $120,000 a year. We ask for approval by Friday."
    assert (
        client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": memo}).status_code
        == 201
    )
    component = llm_component(client, admin_headers)
    assert component["status"] == "degraded" and "breaker is open" in component["reason"]
    assert component["details"]["breaker"]["state"] == "open"
    metrics = client.get("/metrics", headers=admin_headers).text
    assert 'memo_coach_llm_up{provider="openai"} 0.0' in metrics
    assert 'memo_coach_llm_calls_total{outcome="error",provider="openai"}' in metrics
    assert 'memo_coach_evaluations_total{outcome="degraded",provider="offline"}' in metrics


def test_a_hanging_llm_does_not_hold_the_health_check(app, client, admin_headers, fake):
    """The probe has its own short timeout: `memo-coach health` took 36 s while the model hung."""
    import time

    use_fake_llm(app, fake.openai_base_url, timeout=30)
    fake.default = "hang"
    started = time.monotonic()
    llm = llm_component(client, admin_headers)
    assert time.monotonic() - started < 10
    assert llm["status"] == "degraded" and "probe failed" in llm["reason"]
